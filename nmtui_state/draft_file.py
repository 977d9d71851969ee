"""Writing the draft to a file, and saying truthfully what that file is good for.

A draft with errors is still worth saving (work in progress), but then the
message must not promise that ``nmstatectl apply`` takes it.
"""

from __future__ import annotations

from pathlib import Path

from engine import yamlio
from engine.draft import Draft
from engine.validate import validate

DEFAULT_NAME = "nmtui-state-draft.yml"


def verdict(draft: Draft) -> str:
    """What the saved file is good for: applying it, or fixing its problems first."""
    errors = [p for p in validate(draft.desired, draft.current) if p.is_error]
    if not errors:
        return "works with nmstatectl apply"
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    return f"{count} to fix first: nmstatectl apply would refuse it"


def write(draft: Draft, path: str | Path) -> str:
    """Write the draft's YAML to ``path``; the message to show. Raises OSError."""
    target = Path(path).expanduser()
    target.write_text(yamlio.dumps(draft.desired), encoding="utf-8")
    return f"{target} ({verdict(draft)})"


def default_path() -> str:
    """Where the path prompt starts: the working directory, spelled out so it is seen."""
    return str(Path.cwd() / DEFAULT_NAME)
