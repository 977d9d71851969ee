"""The apply benchmark's result cells, verdicts and table (split from ``bench/apply.py``)."""

from __future__ import annotations

from dataclasses import dataclass

FLOOR_TARGET = 1.15  # ours / floor, for the static variant


@dataclass
class Cell:
    apply: float | None = None
    remove: float | None = None
    note: str = ""


def secs(value: float | None) -> str:
    return f"{value:8.3f}" if value is not None else f"{'-':>8}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:7.2f}x" if a is not None and b else f"{'-':>8}"


def verdict(variant: str, ours: float | None, floor: float | None, peer_s: float | None) -> str:
    """Targets: never slower than the peer; for ``static``, also within 1.15x the floor."""
    if ours is None:
        return "?"
    if peer_s is None and variant != "static":
        return "n/a (no peer)"
    misses = []
    if peer_s is not None and ours > peer_s:
        misses.append("slower than peer")
    if variant == "static" and floor is not None and ours > FLOOR_TARGET * floor:
        misses.append(f">{FLOOR_TARGET}x floor")
    return "MISS: " + ", ".join(misses) if misses else "ok"


def print_table(variant: str, rows: dict[int, dict[str, Cell]], contenders: list[str]) -> None:
    titles = {
        "static": "port-less bridges, static IPv4 (NM holds each 2.0 s without carrier)",
        "noip": "port-less bridges, IPv4/IPv6 disabled (fast activation)",
        "port": "bridges with static IPv4 and one veth port each (fast activation)",
    }
    print(f"\n== {variant}: {titles[variant]}; seconds, best of fresh sandboxes")
    head = (
        f"{'N':>4} {'op':<7} {'ours':>8} {'ours-cli':>8} {'floor':>8} {'peer':>8} "
        f"{'ours/floor':>10} {'ours/peer':>9}  verdict"
    )
    print(head)
    print("-" * len(head))
    for n, cells in rows.items():
        for op in ("apply", "remove"):

            def get(who: str, op: str = op, cells: dict[str, Cell] = cells) -> float | None:
                cell = cells.get(who)
                return getattr(cell, op) if cell is not None else None

            ours, floor, peer_s = get("ours"), get("floor"), get("peer")
            print(
                f"{n:>4} {op:<7} {secs(ours)} {secs(get('ours-cli'))} {secs(floor)} "
                f"{secs(peer_s)} {_ratio(ours, floor):>10} {_ratio(ours, peer_s):>9}  "
                f"{verdict(variant, ours, floor, peer_s)}"
            )
    notes = [c.note for cells in rows.values() for c in cells.values() if c.note]
    for note in notes:
        print(f"  note: {note.splitlines()[0]}")
        for line in note.splitlines()[1:]:
            print(f"        {line}")
