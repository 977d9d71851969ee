"""The per-property diff: summary lines with +/-/~ marks, and the unified YAML diff.

Marks carry the meaning without colour (``+`` added, ``-`` removed, ``~``
changed), so the review reads the same on a 16-colour console and with
NO_COLOR.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from engine.diff import Change, summary, unified
from engine.textsafe import printable

MARK = {"add": ("+", "green"), "remove": ("-", "red"), "modify": ("~", "yellow")}
TAG_STYLE = {"+": "green", "-": "red", "@": "cyan", " ": ""}


def line_mark(kind: str, line: str) -> str:
    """The mark of one summary line: a list change's lines are items added or removed.

    :func:`engine.diff.summary` writes a list change (ports, addresses, routes)
    as one line per item, ``br0: ports + eth4`` or ``br0: ports - eth2``, and a
    changed value as ``old → new``; so a "modify" of a list is ``+`` and ``-``
    lines, as the README promises, and only a changed value is ``~``.
    """
    if kind != "modify" or "→" in line:
        return MARK.get(kind, ("~", ""))[0]
    if " + " in line:
        return "+"
    if " - " in line:
        return "-"
    return "~"


def render_changes(changes: list[Change], show_secrets: bool = False) -> RenderableType:
    """One line per changed property, marked."""
    if not changes:
        return Text("no changes", style="dim")
    styles = {mark: style for mark, style in MARK.values()}
    lines = []
    for change in changes:
        for line in summary([change], show_secrets=show_secrets):
            mark = line_mark(change.kind, line)
            lines.append(Text.assemble((f"{mark} ", styles.get(mark, "yellow")), printable(line)))
    return Group(*lines)


def render_unified(
    current: dict[str, Any], merged: dict[str, Any], show_secrets: bool = False
) -> RenderableType:
    out = Text()
    for tag, line in unified(current, merged, show_secrets=show_secrets):
        prefix = "" if tag == "@" else f"{tag} " if tag != " " else "  "
        out.append(f"{prefix}{printable(line)}\n", style=TAG_STYLE.get(tag, ""))
    return out


class DiffView(Static):
    """Shows the changes of a review: summary first, then (optionally) the YAML diff."""

    DEFAULT_CSS = """
    DiffView { height: auto; padding: 0 1; }
    """

    def show_changes(
        self,
        changes: list[Change],
        current: dict[str, Any] | None = None,
        merged: dict[str, Any] | None = None,
        unified_too: bool = False,
    ) -> None:
        parts: list[RenderableType] = [render_changes(changes)]
        if unified_too and current is not None and merged is not None and changes:
            parts += [Text(""), render_unified(current, merged)]
        self.update(Group(*parts))
