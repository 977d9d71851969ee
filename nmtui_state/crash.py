"""When the app stops on an internal error, the draft survives in a file whose path is said.

A crash must not cost the user their edits: the app's run is wrapped, and
after an unhandled exception (Textual ends the app with return code 1) the
draft, plus any YAML typed that did not parse yet, is written 0600 under
the user's state directory (``$XDG_STATE_HOME/nmtui-state``, by default
``~/.local/state/nmtui-state``) and the path is printed on stderr, where it
stays readable after the terminal is restored.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from engine import yamlio
from engine.draft import Draft

CRASH_CODE = 1  # what Textual's run() leaves in return_code after an unhandled exception


def state_dir() -> Path:
    """The user's state directory for nmtui-state (XDG base directory spec)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "nmtui-state"


def _write_private(path: Path, text: str) -> None:
    """Create ``path`` 0600 (never follow or reuse an existing file)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def save_draft(draft: Draft, typed: str | None = None, directory: Path | None = None) -> Path:
    """Write the draft (and unparsed typed YAML, next to it) and return the draft file's path."""
    where = directory or state_dir()
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        path = where / (f"draft-{stamp}.yml" if n == 0 else f"draft-{stamp}-{n}.yml")
        try:
            _write_private(path, yamlio.dumps(draft.desired))
        except FileExistsError:
            continue
        if typed is not None and typed.strip() and typed != yamlio.dumps(draft.desired):
            _write_private(path.with_suffix(".typed.yml"), typed)
        return path
    raise FileExistsError(f"no free draft file name in {where}")


def rescue(draft: Draft | None, typed: str | None = None, err: TextIO | None = None) -> Path | None:
    """Save a draft that holds edits after a crash and say where; None when nothing to keep."""
    err = err or sys.stderr
    if draft is None or (draft.empty and not (typed or "").strip()):
        return None
    try:
        path = save_draft(draft, typed)
    except OSError as exc:
        print(
            f"nmtui-state stopped on an internal error and could not save the draft: {exc}",
            file=err,
        )
        return None
    extra = ""
    if path.with_suffix(".typed.yml").exists():
        extra = f" (the YAML you typed that did not parse yet: {path.with_suffix('.typed.yml')})"
    print(
        f"nmtui-state stopped on an internal error. Your draft is saved in {path}{extra}; "
        f"open it again with: nmtui-state {path}",
        file=err,
    )
    return path


def run_guarded(
    run: Callable[[], Any],
    return_code: Callable[[], int | None],
    draft: Callable[[], Draft | None],
    typed: Callable[[], str | None],
) -> Any:
    """Call ``run`` (the app's run); on a crash, rescue the draft before handing the result on."""
    try:
        result = run()
    except Exception:
        rescue(draft(), typed())
        raise
    if return_code() == CRASH_CODE:
        rescue(draft(), typed())
    return result
