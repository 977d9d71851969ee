"""Check a network state against the schema and say, in plain words, what to fix.

Raw ``jsonschema`` errors are written for schema authors ("Unevaluated properties
are not allowed ('optons' was unexpected)"); a person editing YAML needs the
path, the offending key or value, and a fix.  So every raw error is rewritten
into one :class:`~engine.errors.Problem` per real mistake, with hints taken from
the schema itself (titles, examples, ``x-invalid-hint``) so the schema stays the
single source of field documentation. That rewriting is
:mod:`engine.schema_messages`'s job; finding the hints in the composed schema
is :mod:`engine.schema_walk`'s.

Two checks run here rather than in the schema because JSON Schema cannot
express them well: interface names are limited in *bytes* (``maxLength`` counts
characters), and IP addresses need real parsing (patterns accept nonsense such
as ``300.1.1.1``; see :mod:`engine.address_checks`).  Both are still "is this
value well-formed" questions, so they belong with schema validation, before the
cross-interface rules of :mod:`engine.rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from engine import keys as k
from engine.address_checks import Found, interface_items, ip_problems, problem_at
from engine.errors import Problem
from engine.limits import interface_problems
from engine.paths import PathPart
from engine.rules import semantic_problems
from engine.schema_dispatch import DispatchValidator, dispatch_chains
from engine.schema_files import inlined_schema
from engine.schema_messages import explain, is_iface_name, show
from engine.schema_walk import description_at
from engine.secrets import hide_value, is_secret_path, value_at

# description_at lives in engine.schema_walk and is re-exported where callers import it.
__all__ = ["description_at", "schema_problems", "validate"]

# Linux IFNAMSIZ is 16 including the terminating NUL byte.
MAX_IFNAME_BYTES = 15


# --------------------------------------------------------------------------- public API


def validate(state: Any, current: dict[str, Any] | None = None) -> list[Problem]:
    """All problems of ``state``: schema problems first, then semantic ones.

    Semantic rules (ports that exist, bond options that fit the mode ...) assume a
    well-formed state, and running them on a broken one only adds noise, so they
    run only when the schema found no errors.
    """
    typed = with_host_types(state, current)
    problems = schema_problems(typed) + interface_problems(typed)
    if any(p.is_error for p in problems) or not isinstance(state, dict):
        return problems
    return problems + semantic_problems(state, current)


def with_host_types(state: Any, current: dict[str, Any] | None) -> Any:
    """``state`` with the host's type on each interface that names none, when the host
    has exactly one interface of that name: as nmstate reads it, ``{name: br0, bridge:
    {...}}`` is br0, the bridge, and its ``bridge`` section is valid. Only for checking
    shapes; ``state`` itself is not changed."""
    ifaces = state.get(k.INTERFACES) if isinstance(state, dict) else None
    if not isinstance(ifaces, list) or not current:
        return state
    kinds: dict[Any, set[Any]] = {}
    for iface in current.get(k.INTERFACES) or []:
        if isinstance(iface, dict):
            kinds.setdefault(iface.get(k.NAME), set()).add(iface.get(k.TYPE))
    out = []
    for iface in ifaces:
        if isinstance(iface, dict) and k.TYPE not in iface:
            found = kinds.get(iface.get(k.NAME), set())
            if len(found) == 1 and isinstance(kind := next(iter(found)), str):
                iface = {**iface, k.TYPE: kind}
        out.append(iface)
    return {**state, k.INTERFACES: out}


def schema_problems(state: Any) -> list[Problem]:
    """Problems of ``state`` that concern its shape and the form of its values.

    One problem per real mistake, each with a readable path
    (``interfaces[br0].bridge.options.stp.enabled``), a message and a hint.
    """
    if state is None:
        state = {}  # an empty document asks for no change, as engine.yamlio reads it
    found: list[tuple[list[PathPart], Problem]] = []
    for error in _validator().iter_errors(state):
        parts = list(error.absolute_path)
        if is_iface_name(parts) and error.validator == "maxLength":
            continue  # reported in bytes by _name_problems, which is what Linux counts
        found.extend(_hide_secrets(explain(error, state), state))
    found.extend(_name_problems(state))
    found.extend(ip_problems(state))

    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for _, problem in sorted(found, key=lambda item: _sort_key(item[0])):
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def _hide_secrets(found: list[Found], state: Any) -> list[Found]:
    """Problems about a secret (an 802.1x password ...) never quote its value."""
    return [
        (parts, replace(p, message=hide_value(p.message, value_at(state, parts), show)))
        if is_secret_path(p.path)
        else (parts, p)
        for parts, p in found
    ]


@cache
def _validator() -> Draft202012Validator:
    """The validator, built once: compiling the schema costs more than validating a state.

    It reads the interface-type switch as a lookup (:mod:`engine.schema_dispatch`)."""
    return DispatchValidator(dispatch_chains(inlined_schema()))


def _sort_key(parts: Sequence[PathPart]) -> tuple[tuple[int, int, str], ...]:
    """Document order: list items by index, keys by name."""
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in parts)


# --------------------------------------------------------------------------- beyond the schema


def _name_problems(state: Any) -> Iterator[Found]:
    """Interface names longer than 15 bytes: Linux counts bytes, JSON Schema characters."""
    for index, iface in interface_items(state):
        name = iface.get("name")
        if not isinstance(name, str):
            continue
        size = len(name.encode("utf-8"))
        if size > MAX_IFNAME_BYTES:
            extra = " (non-ASCII characters take 2-4 bytes each)" if size != len(name) else ""
            yield problem_at(
                ["interfaces", index, "name"],
                state,
                f"name is {size} bytes; Linux allows {MAX_IFNAME_BYTES}",
                f"shorten the name to at most {MAX_IFNAME_BYTES} bytes{extra}",
            )
