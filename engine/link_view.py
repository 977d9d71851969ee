"""What the screen says about a link: its kernel state in one word, and its marks.

NetworkManager's view (a profile is active) and the kernel's (the link has
carrier) disagree exactly when something is wrong: a bridge whose ports lost
their far ends is "activated" in NM and NO-CARRIER in the kernel. The tree
shows the kernel's word, with NM's state added only when it says something
the link word does not (unmanaged, no active profile). Pure: the caller
passes the link facts (:attr:`engine.show.LiveState.links`) and the state.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from engine import keys as k
from engine.ssh_guard import session_interfaces

# Link words, from the kernel's admin flag, carrier and RFC 2863 operstate.
UP = "up"
#: No carrier: a cable out, a veth whose far end is down, a bridge without a live port.
#: The kernel's oper state says which (``down``, ``lowerlayerdown``); the details show it.
NO_CARRIER = "no-carrier"
DORMANT = "dormant"
DOWN = "down"  # administratively down (ip link set X down)
GONE = "gone"  # in the state but not in the kernel (not created yet, or just deleted)

#: NM-side words: the schema's ``state`` as an admin reads it. ``ignore`` is
#: "unmanaged" everywhere on screen (tree and details), as nmcli says it.
NM_WORDS = {k.UP: "", k.DOWN: "inactive", k.ABSENT: "absent", k.IGNORE: "unmanaged"}

MARK_DEFAULT = "default-route"
MARK_SSH = "ssh"


def link_word(link: dict[str, Any] | None) -> str:
    """The kernel's state of a link in one word (see the constants above)."""
    if link is None:
        return GONE
    if not link.get("up"):
        return DOWN
    if not link.get("carrier"):
        return NO_CARRIER
    if link.get("operstate") == "dormant":  # carrier, but waiting (802.1X, a modem)
        return DORMANT
    return UP


def nm_word(state: str | None) -> str:
    """NM's state of an interface as shown beside the link word ("" when it adds nothing)."""
    return NM_WORDS.get(str(state or k.UP), str(state))


def state_words(iface: dict[str, Any], link: dict[str, Any] | None) -> list[str]:
    """The words of a tree line: the link word, then NM's word when it has one.

    Without kernel facts (a state that is not live: a file, a draft) the
    schema state is all there is, so it stands alone.
    """
    state = str(iface.get(k.STATE, k.UP))
    if state == k.ABSENT:
        return [nm_word(state)]
    words = [link_word(link)]
    extra = nm_word(state)
    if extra:
        words.append(extra)
    return words


def default_route_ifaces(state: dict[str, Any]) -> set[str]:
    """Interfaces carrying the default route, per family the one with the lowest metric."""
    best: dict[int, tuple[int, str]] = {}
    for route in (state.get(k.ROUTES) or {}).get(k.RUNNING) or []:
        try:
            net = ipaddress.ip_network(str(route.get(k.DESTINATION, "")), strict=False)
        except ValueError:
            continue
        via = route.get(k.NEXT_HOP_INTERFACE)
        if net.prefixlen != 0 or not via:
            continue
        table = route.get(k.TABLE_ID, k.MAIN_TABLE)
        if table not in (k.MAIN_TABLE, 0):
            continue
        metric = int(route.get(k.METRIC) or 0)
        if net.version not in best or metric < best[net.version][0]:
            best[net.version] = (metric, str(via))
    return {via for _metric, via in best.values()}


def marks(state: dict[str, Any], ssh_connection: str | None) -> dict[str, list[str]]:
    """Per interface name, what it carries that an admin must not cut by accident."""
    out: dict[str, list[str]] = {}
    for name in sorted(default_route_ifaces(state)):
        out.setdefault(name, []).append(MARK_DEFAULT)
    for name in sorted(session_interfaces(state, ssh_connection)):
        out.setdefault(name, []).append(MARK_SSH)
    return out


def speed_text(link: dict[str, Any] | None) -> str:
    """``10 Gb/s full duplex``, ``100 Mb/s``, or "" when the driver does not say."""
    if not link or not link.get("speed"):
        return ""
    speed = int(link["speed"])
    text = f"{speed // 1000} Gb/s" if speed >= 1000 and speed % 1000 == 0 else f"{speed} Mb/s"
    duplex = link.get("duplex")
    return f"{text} {duplex} duplex" if duplex else text


def counter_rows(link: dict[str, Any] | None) -> list[tuple[str, str]]:
    """``rx``/``tx`` lines: bytes, packets, errors, drops (empty without counters).

    Abbreviated (``pkt``, ``err``, ``drop``, as ``ip -s link`` heads its
    columns) so a line fits the details pane at 80 columns.
    """
    stats = (link or {}).get("stats") or {}
    if not stats:
        return []
    rows = []
    for side in ("rx", "tx"):
        rows.append(
            (
                side,
                f"{_bytes(int(stats.get(side + '_bytes', 0)))}, "
                f"{stats.get(side + '_packets', 0)} pkt, "
                f"{stats.get(side + '_errors', 0)} err, "
                f"{stats.get(side + '_dropped', 0)} drop",
            )
        )
    return rows


def _bytes(n: int) -> str:
    """A byte count in the largest unit that keeps it at or above 1 (binary units)."""
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{n} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"
