"""The draft: the desired state a user builds in the app, with undo and redo.

The draft is a *partial* nmstate state, exactly what would be written to a
file for ``nmstatectl apply``: it lists only the interfaces the user
touched. Editing an interface that is not in the draft yet starts from its
current configuration, so the form shows real values and the YAML shows a
complete, readable interface. Pure: no I/O, no UI.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from engine import keys as k
from engine.comparable import comparable_iface
from engine.errors import Problem

# What of a live interface belongs in a desired state (the rest is runtime data).
CONFIG_KEYS = (
    k.NAME,
    k.TYPE,
    k.STATE,
    k.MTU,
    k.CONTROLLER,
    "description",
    k.PROFILE_NAME,
    k.IPV4,
    k.IPV6,
    *k.TYPE_SECTIONS,
    "ethtool",
    "lldp",
    "802.1x",
)
UNDO_LIMIT = 200
# The main screen's global sections and the state key each one edits.
SECTION_KEYS = {"routes": k.ROUTES, "dns": k.DNS_RESOLVER, "hostname": k.HOSTNAME}


class DraftShapeError(ValueError):
    """The draft's ``interfaces`` is not a list of mappings, so no interface can be edited in it."""


def config_of(iface: dict[str, Any]) -> dict[str, Any]:
    """The configurable part of a live interface (no MAC, no running-only values: no
    link-local addresses or bridge timers either, see :mod:`engine.comparable`)."""
    iface = comparable_iface(iface)
    return {key: copy.deepcopy(iface[key]) for key in CONFIG_KEYS if key in iface}


@dataclass
class Draft:
    """A desired state under edit; every change is one undo step."""

    current: dict[str, Any]
    desired: dict[str, Any] = field(default_factory=dict)
    _undo: list[dict[str, Any]] = field(default_factory=list)
    _redo: list[dict[str, Any]] = field(default_factory=list)
    saved: dict[str, Any] | None = None
    _group: str | None = None  # the undo group of the last edit (see set_iface)

    def __post_init__(self) -> None:
        self.desired = copy.deepcopy(self.desired)
        self.saved = copy.deepcopy(self.desired)

    @property
    def dirty(self) -> bool:
        """Whether there are edits not yet saved (or applied)."""
        return self.desired != self.saved

    @property
    def empty(self) -> bool:
        return not any(self.desired.get(key) for key in self.desired)

    def mark_saved(self) -> None:
        self.saved = copy.deepcopy(self.desired)

    def _push(self, group: str | None = None) -> None:
        """Save the state before an edit; an edit of the same ``group`` as the last one joins it."""
        if group is None or group != self._group or not self._undo:
            self._undo.append(copy.deepcopy(self.desired))
            del self._undo[:-UNDO_LIMIT]
        self._group = group
        self._redo.clear()

    def end_group(self) -> None:
        """The next edit starts a new undo step (the user moved to another field)."""
        self._group = None

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self.desired)
        self.desired = self._undo.pop()
        self._group = None
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self.desired)
        self.desired = self._redo.pop()
        self._group = None
        return True

    def replace(self, desired: dict[str, Any]) -> None:
        """Take a whole new desired state (from the YAML editor)."""
        if desired != self.desired:
            self._push()
            self.desired = copy.deepcopy(desired)

    def interfaces(self) -> list[dict[str, Any]]:
        """The draft's interface entries that are mappings (none when ``interfaces`` is not a list).

        The YAML editor hands over whatever parses, and a mapping or a number
        where the list belongs must not break lookups: validation reports it.
        """
        ifaces = self.desired.get(k.INTERFACES)
        if not isinstance(ifaces, list):
            return []
        return [i for i in ifaces if isinstance(i, dict)]

    def shape_problem(self) -> Problem | None:
        """Why interfaces cannot be edited by form right now (``interfaces`` is no list of maps)."""
        ifaces = self.desired.get(k.INTERFACES)
        if ifaces is None:
            return None
        if not isinstance(ifaces, list):
            return Problem(
                k.INTERFACES,
                "expected a list of interfaces",
                "write a list: one '- name: ...' entry per interface",
            )
        for i, iface in enumerate(ifaces):
            if not isinstance(iface, dict):
                return Problem(
                    f"{k.INTERFACES}[{i}]",
                    "expected an interface (name: ..., type: ...)",
                    "make each list entry a mapping with 'name:' and 'type:'",
                )
        return None

    def iface(self, name: str) -> dict[str, Any] | None:
        """The draft's interface ``name``, falling back to its current configuration."""
        for iface in self.interfaces():
            if iface.get(k.NAME) == name:
                found: dict[str, Any] = copy.deepcopy(iface)
                return found
        for iface in self.current.get(k.INTERFACES, []):
            if iface.get(k.NAME) == name:
                return config_of(iface)
        return None

    def _check_shape(self) -> None:
        problem = self.shape_problem()
        if problem is not None:
            raise DraftShapeError(f"{problem.path}: {problem.message}")

    def view(self, name: str | None = None, section: str | None = None) -> dict[str, Any]:
        """The draft as the YAML editor shows it: with the current config of what is edited.

        Like ``nmstatectl edit``, editing interface ``name`` (or the ``routes``,
        ``dns``, ``hostname`` section) shows its current configuration when the
        draft does not mention it yet; the draft itself is unchanged until the
        user edits that text.
        """
        shown = copy.deepcopy(self.desired)
        listed = name is None or any(i.get(k.NAME) == name for i in self.interfaces())
        if not listed and isinstance(shown.get(k.INTERFACES, []), list):
            iface = self.iface(str(name))
            if iface is not None:
                shown[k.INTERFACES] = [*shown.get(k.INTERFACES, []), iface]
        key = SECTION_KEYS.get(section or "")
        if key is not None and key not in shown:
            config = (self.current.get(key) or {}).get(k.CONFIG)
            if key == k.HOSTNAME and not config:
                config = (self.current.get(key) or {}).get(k.RUNNING)
            empty: Any = [] if key == k.ROUTES else {}
            shown[key] = {k.CONFIG: copy.deepcopy(config) if config is not None else empty}
        return shown

    def set_iface(self, iface: dict[str, Any], group: str | None = None) -> None:
        """Put ``iface`` (a whole interface) into the draft, replacing its previous entry.

        Consecutive edits with the same ``group`` (one word typed into one
        field: the form passes it) are one undo step, not one per keystroke.

        Raises DraftShapeError while ``interfaces`` is not a list of mappings:
        replacing it would silently throw away what the user wrote there.
        """
        self._check_shape()
        ifaces = list(self.desired.get(k.INTERFACES, []))
        for i, old in enumerate(ifaces):
            if old.get(k.NAME) == iface.get(k.NAME):
                if old == iface:
                    return
                self._push(group)
                ifaces[i] = copy.deepcopy(iface)
                break
        else:
            self._push(group)
            ifaces.append(copy.deepcopy(iface))
        self.desired = {**self.desired, k.INTERFACES: ifaces}

    def set_state(self, name: str, state: str) -> None:
        """Set one interface's ``state`` (down, absent, up) in the draft."""
        iface = self.iface(name)
        if iface is None:
            raise KeyError(name)
        if state == k.ABSENT:
            iface = {k.NAME: name, k.TYPE: iface.get(k.TYPE, k.UNKNOWN), k.STATE: k.ABSENT}
        else:
            iface[k.STATE] = state
        self.set_iface(iface)

    def drop_iface(self, name: str) -> None:
        """Forget the draft's edits of ``name`` (the host's interface is untouched)."""
        self._check_shape()
        ifaces = [i for i in self.desired.get(k.INTERFACES, []) if i.get(k.NAME) != name]
        if len(ifaces) != len(self.desired.get(k.INTERFACES, [])):
            self._push()
            self.desired = {**self.desired, k.INTERFACES: ifaces}

    def rebase(self, current: dict[str, Any]) -> None:
        """Adopt a newer host state as the base; the draft's own edits stay as they are."""
        self.current = current

    def section(self, key: str) -> Any:
        """The draft's top-level section ``key`` (a copy), or None when the draft has none."""
        return copy.deepcopy(self.desired.get(key))

    def set_section(self, key: str, value: Any) -> None:
        """Put a whole top-level section (``routes``, ``dns-resolver`` ...) into the draft.

        ``None`` takes the section out, so a form that is back to the host's
        values leaves no empty section behind (``dns-resolver: {config: {}}``
        would mean "remove all DNS settings").
        """
        if value is None:
            if key not in self.desired:
                return
            self._push()
            self.desired = {x: v for x, v in self.desired.items() if x != key}
            return
        if self.desired.get(key) == value:
            return
        self._push()
        self.desired = {**self.desired, key: copy.deepcopy(value)}
