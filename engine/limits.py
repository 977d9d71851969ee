"""Bounds on what a state file may cost to read, so hostile input ends in a message.

A 1.4 KB YAML alias bomb expands to billions of values, a few thousand
nested brackets overflow any recursive walker, ``/dev/zero`` never ends and
a FIFO blocks forever. Every input therefore passes these checks before it
is built into Python objects:

* its size (default 16 MiB, ``NMTUI_STATE_MAX_FILE_SIZE``, e.g. ``64M``);
* a single pass over libyaml's parse events (iterative, C speed, no
  objects built) that bounds nesting depth, the number of aliases and the
  number of values the document stands for once aliases are expanded;
* after loading, the number of interfaces: nmstate documents 1000 per state
  and we warn past it; far past it (:data:`MAX_INTERFACES`) we refuse.

The limits are generous for real states (a 1000-interface state is about
165 KB, 28,000 values and 7 levels deep) and each message names the limit
and how to raise it where raising makes sense.
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml

from engine import keys as k
from engine.errors import Problem

SIZE_ENV = "NMTUI_STATE_MAX_FILE_SIZE"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 10_000
#: Values (scalars and collections) a document may stand for, aliases expanded. Bounds
#: the time and memory of everything that walks a state after it is loaded.
MAX_VALUES = 500_000
#: nmstate's documented maximum of interfaces per state: beyond it, only a warning.
WARN_INTERFACES = 1000
#: Far beyond what NetworkManager handles in one checkpoint: refused.
MAX_INTERFACES = 10_000

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class LimitExceeded(ValueError):
    """A document is over one of the bounds; ``line`` is 1-based when known."""

    def __init__(self, message: str, hint: str, line: int | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.line = line

    def problem(self, source: str) -> Problem:
        return Problem("", str(self), self.hint, source=source, line=self.line)


def max_bytes() -> int:
    """The file size limit: ``$NMTUI_STATE_MAX_FILE_SIZE`` (bytes, or with K/M/G) or 16 MiB."""
    raw = os.environ.get(SIZE_ENV, "")
    match = _SIZE_RE.match(raw)
    if not match:
        return DEFAULT_MAX_BYTES
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def size_problem(size_text: str, source: str) -> Problem:
    limit = max_bytes()
    return Problem(
        "",
        f"the file is larger than the {_human(limit)} limit ({size_text})",
        f"give a smaller state, or raise the limit with {SIZE_ENV}=64M",
        source=source,
    )


def _human(n: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"


def check_events(events: Any) -> None:
    """Walk parse events once; raise :class:`LimitExceeded` at the first bound crossed.

    ``events`` yields PyYAML events (``yaml.parse``). An anchored
    collection's expanded size is remembered when it ends, so each alias
    adds what it repeats without anything being expanded.
    """
    sizes: dict[str, int] = {}  # anchor -> values it stands for
    open_sizes: list[int] = []  # values seen so far in each open collection
    open_anchors: list[str | None] = []
    total = aliases = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_sizes) >= MAX_DEPTH:
                raise LimitExceeded(
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "a state is a few levels deep; check for runaway brackets or indentation",
                    _line(event),
                )
            open_sizes.append(1)
            open_anchors.append(event.anchor)
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            size = open_sizes.pop()
            anchor = open_anchors.pop()
            if anchor is not None:
                sizes[anchor] = size
            if open_sizes:
                open_sizes[-1] += size
            total += 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if open_sizes:
                open_sizes[-1] += 1
            total += 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LimitExceeded(
                    f"the document uses more than {MAX_ALIASES} aliases (*name)",
                    "write the values out, or use fewer aliases",
                    _line(event),
                )
            size = sizes.get(event.anchor or "", 1)
            if open_sizes:
                open_sizes[-1] += size
            total += size
        else:
            continue
        if total + sum(open_sizes) > MAX_VALUES:
            raise LimitExceeded(
                f"the document stands for more than {MAX_VALUES} values"
                + (" once its aliases are expanded" if aliases else ""),
                "an alias that repeats an alias multiplies; write the state out plainly"
                if aliases
                else "split the state into several files",
                _line(event),
            )


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def interface_problems(state: dict[str, Any]) -> list[Problem]:
    """A warning past nmstate's 1000 interfaces per state, an error far past it."""
    ifaces = state.get(k.INTERFACES) if isinstance(state, dict) else None
    count = len(ifaces) if isinstance(ifaces, list) else 0
    if count > MAX_INTERFACES:
        return [
            Problem(
                k.INTERFACES,
                f"{count} interfaces; at most {MAX_INTERFACES} are accepted in one state",
                "split the change into several states and apply them one after another",
            )
        ]
    if count > WARN_INTERFACES:
        return [
            Problem(
                k.INTERFACES,
                f"{count} interfaces; nmstate supports {WARN_INTERFACES} per state",
                "consider splitting the change; NetworkManager may be slow to apply it",
                severity="warning",
            )
        ]
    return []
