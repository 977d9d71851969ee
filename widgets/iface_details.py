"""The details pane: one interface (or section) of a state, read-only.

Rendered from the same plain state the tree shows, so the two never
disagree; routes through an interface are listed with it because that is
what an admin checks before touching it.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from engine import keys as k
from engine.comparable import comparable_iface
from engine.link_view import (
    MARK_DEFAULT,
    MARK_SSH,
    counter_rows,
    link_word,
    nm_word,
    speed_text,
)
from engine.textsafe import printable
from engine.topology import by_name

TYPE_SECTIONS = k.TYPE_SECTIONS


def _flat(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flat(f"{prefix}.{key}" if prefix else str(key), sub, rows)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            label = item.get(k.NAME, i)
            _flat(f"{prefix}[{label}]", {kk: vv for kk, vv in item.items() if kk != k.NAME}, rows)
            if set(item) == {k.NAME}:
                rows.append((f"{prefix}[{label}]", ""))
    else:
        rows.append((prefix, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        # Text, not str: a str cell is console markup, and ``port[eth2]`` would lose its name.
        table.add_row(Text(printable(key)), Text(printable(value)))  # host text: escaped
    return table


MARK_TEXT = {MARK_DEFAULT: "the default route", MARK_SSH: "this SSH session"}


def _link_rows(link: dict[str, Any], marks: list[str]) -> list[tuple[str, str]]:
    """The kernel's side of a link: state word, carrier, oper state, speed, counters."""
    carrier = "yes" if link.get("carrier") else "no"
    rows = [
        ("link", link_word(link)),
        ("carrier", f"{carrier}  (oper state {link.get('operstate', 'unknown')})"),
    ]
    speed = speed_text(link)
    if speed:
        rows.append(("speed", speed))
    rows += counter_rows(link)
    if marks:
        rows.append(("carries", ", ".join(MARK_TEXT.get(m, m) for m in marks)))
    return rows


def _addresses(iface: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for family in (k.IPV4, k.IPV6):
        section = iface.get(family) or {}
        if not section.get(k.ENABLED, False):
            rows.append((family, "disabled"))
            continue
        modes = [m for m in (k.DHCP, k.AUTOCONF) if section.get(m)]
        addrs = [f"{a[k.IP]}/{a[k.PREFIX_LENGTH]}" for a in section.get(k.ADDRESS) or []]
        rows.append((family, "  ".join(addrs + modes) or "enabled, no address"))
    return rows


def render_iface(
    state: dict[str, Any],
    name: str,
    link: dict[str, Any] | None = None,
    marks: list[str] | None = None,
) -> RenderableType:
    """A readable summary of interface ``name`` of ``state``; ``link`` is the kernel's
    facts about it (live host only), ``marks`` what it carries."""
    iface = by_name(state).get(name)
    if iface is None:
        return Text(f"{printable(name)}: not in this state", style="dim")
    # Not the link-local addresses or bridge timers: a timer frozen at the read is no
    # information, and the pane shows what is configured.
    iface = comparable_iface(iface)
    nm_state = str(iface.get(k.STATE, k.UP))
    head = Text.assemble(
        (printable(name), "bold"),
        f"  {printable(str(iface.get(k.TYPE)))}  ",
        (f"NM: {nm_word(nm_state) or 'active'}" if link is not None else nm_state, "italic"),
    )
    rows = _link_rows(link, marks or []) if link is not None else []
    rows += _addresses(iface)
    for key in (k.MTU, k.MAC_ADDRESS, k.CONTROLLER, k.PROFILE_NAME, "description"):
        if iface.get(key) not in (None, ""):
            rows.append((key, str(iface[key])))
    parts: list[RenderableType] = [head, _table(rows)]
    for section in TYPE_SECTIONS:
        if iface.get(section):
            sub: list[tuple[str, str]] = []
            _flat("", iface[section], sub)
            parts += [Text(f"\n{section}", style="bold underline"), _table(sub)]
    routes = [
        r
        for r in (state.get(k.ROUTES) or {}).get(k.CONFIG) or []
        if r.get(k.NEXT_HOP_INTERFACE) == name
    ]
    if routes:
        lines = [
            f"{r[k.DESTINATION]} via {r.get(k.NEXT_HOP_ADDRESS, 'link')}"
            f"{' metric ' + str(r[k.METRIC]) if k.METRIC in r else ''}"
            for r in routes
        ]
        parts += [Text("\nroutes", style="bold underline"), Text(printable("\n".join(lines)))]
    return Group(*parts)


def render_section(state: dict[str, Any], section: str) -> RenderableType:
    """Routes, DNS or hostname of ``state``."""
    if section == "routes":
        routes = state.get(k.ROUTES) or {}
        rows = []
        for part in (k.CONFIG, k.RUNNING):
            for r in routes.get(part) or []:
                rows.append(
                    (
                        part,
                        f"{r[k.DESTINATION]} via {r.get(k.NEXT_HOP_ADDRESS, '-')} "
                        f"dev {r.get(k.NEXT_HOP_INTERFACE, '-')} "
                        f"metric {r.get(k.METRIC, '-')} table {r.get(k.TABLE_ID, '-')}",
                    )
                )
        return Group(Text("Routes", style="bold"), _table(rows or [("", "none")]))
    if section == "dns":
        rows = []
        _flat("", state.get(k.DNS_RESOLVER) or {}, rows)
        return Group(Text("DNS resolver", style="bold"), _table(rows or [("", "none")]))
    rows = []
    _flat("", state.get(k.HOSTNAME) or {}, rows)
    return Group(Text("Hostname", style="bold"), _table(rows or [("", "none")]))


class IfaceDetails(Static):
    """Shows one interface or section; call :meth:`show` with the state and what to show."""

    DEFAULT_CSS = """
    IfaceDetails { padding: 0 1; }
    """

    def show(
        self,
        state: dict[str, Any],
        kind: str,
        name: str,
        links: dict[str, dict[str, Any]] | None = None,
        marks: dict[str, list[str]] | None = None,
    ) -> None:
        if kind != "iface":
            self.update(render_section(state, name))
            return
        link = None if links is None else links.get(name, {})
        self.update(render_iface(state, name, link, (marks or {}).get(name)))
