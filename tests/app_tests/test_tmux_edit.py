"""The real terminal: YAML typed into the edit screen never ends the app (issue 13)."""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Callable

from tests.app_tests.harness import require_tmux
from tests.app_tests.test_tmux import EXE, SOCKET, _tmux, _wait_screen
from tests.conftest import require_nm


def _alive(session: str) -> bool:
    done = subprocess.run(["tmux", "-L", SOCKET, "has-session", "-t", session], capture_output=True)
    return done.returncode == 0


def _type_until(session: str, text: str, seen: object, tries: int = 3) -> None:
    """Select all (F7) and type ``text`` until the screen shows it.

    The bounds are generous (a loaded machine paints late); a wait ends as
    soon as the screen shows the text. Keys that arrive in the same instant as
    the focus change can reach the form's first field (a Select, which ignores
    letters); typing again once is then harmless.
    """
    for _ in range(tries):
        _tmux("send-keys", "-t", session, "F7")
        _tmux("send-keys", "-t", session, "-l", text)
        if callable(seen) and seen(_wait_screen(session, seen, timeout=8)):
            return
    raise AssertionError(f"{text!r} never reached the YAML editor")


def _only_line_is(text: str) -> Callable[[str], bool]:
    """The editor holds exactly one line, ``text``: what the screen shows elsewhere (the
    problems quote the document) and a view scrolled past br0's lines do not count."""
    first = re.compile(r"▊ 1\S? " + re.escape(text) + r"\s*▎")
    second = re.compile(r"▊ 2[ ✗]")
    return lambda screen: bool(first.search(screen)) and not second.search(screen)


def test_interfaces_as_a_mapping_typed_in_tmux_is_listed_and_the_app_lives() -> None:
    require_nm()
    require_tmux()
    session = f"nmtui-{uuid.uuid4().hex[:6]}"
    _tmux(
        "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
        f"TERM=xterm-256color {EXE} --sandbox; sleep 30",
    )  # fmt: skip
    _tmux("set-option", "-s", "escape-time", "0")
    try:
        _wait_screen(session, lambda s: "eth3" in s and "Hostname" in s)
        _tmux("send-keys", "-t", session, "e")
        _wait_screen(session, lambda s: "Draft" in s and "IPv4" in s, timeout=30)
        _tmux("send-keys", "-t", session, "F2")  # focus the YAML editor
        # The editor starts with br0's config; F7 + typing replaces all of it.
        _type_until(session, "interfaces:", _only_line_is("interfaces:"))
        _tmux("send-keys", "-t", session, "Enter")
        _tmux("send-keys", "-t", session, "-l", "  type: veth")
        screen = _wait_screen(session, lambda s: "expected a list" in s, timeout=30)
        assert "expected a list" in screen, screen
        assert "Traceback" not in screen and "AttributeError" not in screen
        # Alive and answering: Tab leaves the editor, Escape goes back to the tree.
        _tmux("send-keys", "-t", session, "F2")
        _tmux("send-keys", "-t", session, "Escape")
        back = _wait_screen(session, lambda s: "Hostname" in s and "Draft" not in s, timeout=30)
        assert "Hostname" in back and _alive(session)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
