"""Ports a desired port list cannot take away: the ones the host does not manage.

nmstate leaves out of the apply (and out of verification) every interface in
``ignore`` state, and out of every port list too, so a bridge keeps an
unmanaged port (a tap, a link made with ``ip``) or one the state says to
ignore, whatever port list the state gives. Here the merged port list keeps
them, so the plan does not touch them and verification expects them. Used by
:mod:`engine.merge`; pure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import keys as k
from engine.topology import has_port_list, is_controller, ports_of, set_ports


def ignored_ports(current: list[dict[str, Any]]) -> tuple[dict[str, list[str]], set[str]]:
    """controller → its current ports, and the interfaces the host does not manage
    (``ignore``, or a type there is no profile for, such as a tap)."""
    ports = {i[k.NAME]: ports_of(i) for i in current if is_controller(i)}
    ignored = {
        i[k.NAME] for i in current if i.get(k.STATE) == k.IGNORE or i.get(k.TYPE) == k.UNKNOWN
    }
    return ports, ignored


def keep_ignored_ports(
    items: list[Any],
    find: Callable[[dict[str, Any]], int | None],
    wanted: list[dict[str, Any]],
    held: tuple[dict[str, list[str]], set[str]],
) -> None:
    """A desired port list keeps the current ports nothing may touch, as nmstate keeps
    them: the ones the host does not manage (unless the desired state names them) and
    the ones it says to ``ignore``. They stay ports; applying cannot take them out."""
    ports, ignored = held
    asked = {w[k.NAME]: w.get(k.STATE, k.UP) for w in wanted}
    for w in wanted:
        if w.get(k.STATE) == k.ABSENT or not has_port_list(w):
            continue
        pos = find(w)
        if pos is None:
            continue
        now = ports_of(items[pos])
        keep = [
            p
            for p in ports.get(w[k.NAME], [])
            if p not in now and asked.get(p, k.IGNORE if p in ignored else k.UP) == k.IGNORE
        ]
        if keep:
            set_ports(items[pos], now + keep)
