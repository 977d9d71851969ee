"""What every semantic rule reads: the desired state indexed once, the host when known.

The rules are split by what they check (:mod:`engine.rules` for values,
:mod:`engine.rules_topology` for how interfaces hang together,
:mod:`engine.rules_link` for names and addresses a link may carry); they
share this context so each rule is a dictionary lookup even on states with
thousands of links, and so "does not exist" means the same everywhere.
"""

from __future__ import annotations

from typing import Any

from engine import keys as k
from engine.errors import Problem
from engine.paths import PathPart, format_path


class Ctx:
    """Indexes built once so every rule is a dictionary lookup (states can hold 1000s of links).

    When ``current`` is None the host is unknown (validating a file offline), so
    "does not exist" is not reported: eth0 is usually on the host, not in the file.
    """

    def __init__(self, desired: dict[str, Any], current: dict[str, Any] | None) -> None:
        self.desired = desired
        self.host_known = current is not None
        raw = desired.get(k.INTERFACES)
        self.ifaces: list[tuple[int, dict[str, Any]]] = [
            (i, iface)
            for i, iface in enumerate(raw if isinstance(raw, list) else [])
            if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str)
        ]
        self.names = {iface[k.NAME] for _, iface in self.ifaces}
        self.absent = {iface[k.NAME] for _, iface in self.ifaces if iface.get(k.STATE) == k.ABSENT}
        self.current: dict[str, dict[str, Any]] = {}
        cur = current.get(k.INTERFACES) if current else None
        for iface in cur if isinstance(cur, list) else []:
            if isinstance(iface, dict) and isinstance(iface.get(k.NAME), str):
                self.current.setdefault(iface[k.NAME], iface)
        self.problems: list[Problem] = []

    def path(self, *parts: PathPart) -> str:
        return format_path(parts, self.desired)

    def error(self, path: str, message: str, hint: str) -> None:
        self.problems.append(Problem(path, message, hint))

    def warn(self, path: str, message: str, hint: str) -> None:
        self.problems.append(Problem(path, message, hint, severity="warning"))

    def missing(self, name: str) -> bool:
        """True when ``name`` is neither in the desired state nor on the (known) host."""
        return self.host_known and name not in self.names and name not in self.current

    def live(self) -> list[tuple[int, dict[str, Any]]]:
        """Desired interfaces whose content matters (not being deleted or ignored)."""
        return [(i, f) for i, f in self.ifaces if f.get(k.STATE) not in (k.ABSENT, k.IGNORE)]


def to_int(value: Any) -> int | None:
    """An option value as int: YAML gives ``100`` or ``"100"`` depending on quoting."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
