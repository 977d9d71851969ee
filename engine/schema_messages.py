"""Raw ``jsonschema`` errors rewritten as problems a person can act on.

``jsonschema`` speaks to schema authors ("Unevaluated properties are not
allowed ('optons' was unexpected)"); a person editing YAML needs the path,
the offending key or value, and a fix. Each raw error becomes one
:class:`~engine.errors.Problem` per real mistake here, with hints taken from
the schema itself (titles, examples, ``x-invalid-hint``) so the schema stays
the single source of field documentation. :mod:`engine.validate` decides what
to check; this module only says it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from engine.address_checks import Found, problem_at
from engine.paths import PathPart
from engine.schema_walk import (
    Schema,
    annotation,
    description_of,
    members,
    pointer,
    properties_of,
    section_types,
)

__all__ = ["explain", "is_iface_name", "show"]


def explain(error: ValidationError, state: Any) -> list[Found]:
    """Turn one raw jsonschema error into problems a person can act on."""
    parts: list[PathPart] = list(error.absolute_path)
    schema: Schema = error.schema if isinstance(error.schema, Mapping) else {}
    value = error.instance
    keyword = str(error.validator)

    if keyword in ("oneOf", "anyOf") and error.context:
        # The alternative that got furthest is the one the author meant.
        deepest = best_match(error.context)
        if deepest is not None:
            return explain(deepest, state)

    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(value, dict):
        return _unknown_keys(parts, value, schema, state)

    if keyword == "required" and isinstance(value, dict):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        return [
            problem_at(
                [*parts, key],
                state,
                f"missing required key '{key}'",
                _field_hint(schema, key),
            )
            for key in required
            if key not in value
        ]

    if keyword == "type":
        message, hint = _type_message(parts, value, error.validator_value)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and "string" in _as_list(error.validator_value) and not hint:
            hint = "put the value in quotes"
            if annotation(schema, "title") == "MAC address":
                hint = (
                    "put the MAC address in quotes: YAML 1.1 readers take digit-only "
                    "groups like 52:54:00:12:34:56 for a base-60 number"
                )
        return [problem_at(parts, state, message, hint)]

    if keyword in ("enum", "const"):
        raw = error.validator_value
        allowed: list[Any] = list(raw) if keyword == "enum" and isinstance(raw, list) else [raw]
        return [
            problem_at(
                parts, state, f"{show(value)} is not an allowed value", _choices(value, allowed)
            )
        ]

    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [
            problem_at(
                parts,
                state,
                _range_message(keyword, value, error.validator_value),
                _range_hint(schema),
            )
        ]

    if keyword == "pattern":
        title = annotation(schema, "title") or "value"
        return [
            problem_at(
                parts,
                state,
                f"{show(value)} is not a valid {_lower_title(title)}",
                _format_hint(schema),
            )
        ]

    if keyword in ("minProperties", "maxProperties"):
        keys = ", ".join(f"'{key}'" for key in properties_of(schema))
        return [problem_at(parts, state, f"give exactly one of {keys}", _format_hint(schema))]

    if keyword == "minLength":
        return [problem_at(parts, state, "must not be empty", "remove the key or give it a value")]

    if keyword == "maxLength":
        return [
            problem_at(
                parts,
                state,
                f"is {len(str(value))} characters long; at most {error.validator_value} allowed",
                "shorten it",
            )
        ]

    if keyword == "minItems":
        return [problem_at(parts, state, f"needs at least {error.validator_value} item(s)")]

    if keyword == "uniqueItems":
        return [problem_at(parts, state, "lists the same item twice", "remove the duplicate")]

    return [problem_at(parts, state, error.message)]


def _unknown_keys(
    parts: list[PathPart], value: dict[str, Any], schema: Schema, state: Any
) -> list[Found]:
    """One problem per unknown key, with a "did you mean" or the list of valid keys."""
    allowed = properties_of(schema)
    patterns = [
        re.compile(str(pattern))
        for member in members(schema)
        for pattern in member.get("patternProperties", {})
    ]
    iface_type = _iface_type_at(parts, state)
    out: list[Found] = []
    for key in value:
        if key in allowed or any(p.search(str(key)) for p in patterns):
            continue
        hint = _unknown_key_hint(str(key), parts, list(allowed), iface_type)
        out.append(problem_at([*parts, key], state, f"unknown key '{key}'", hint))
    return out


def _unknown_key_hint(
    key: str, parts: list[PathPart], allowed: list[str], iface_type: str | None
) -> str:
    owners = section_types().get(key)
    if iface_type is not None and owners and _is_iface(parts):
        kinds = " or ".join(owners)
        return f"'{key}' is only valid for type {kinds}; this interface is type '{iface_type}'"
    if parts and parts[-1] in ("ipv4", "ipv6"):
        other = "ipv6" if parts[-1] == "ipv4" else "ipv4"
        if key in properties_of(pointer(f"#/$defs/{other}")) and key not in allowed:
            return f"'{key}' only exists under {other}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid keys here: " + ", ".join(sorted(allowed))


def _type_message(parts: list[PathPart], value: Any, expected: Any) -> tuple[str, str]:
    wanted = [str(w) for w in (expected if isinstance(expected, list) else [expected])]
    words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
    message = f"expected {words}, got {show(value)}"
    hint = ""
    if isinstance(value, str):
        text = value.strip()
        if "integer" in wanted and re.fullmatch(r"-?\d+", text):
            hint = f"write {text} without quotes"
        elif "boolean" in wanted and text.lower() in _BOOL_WORDS:
            hint = "write true or false without quotes"
        elif "boolean" in wanted:
            hint = "write true or false"
        elif "integer" in wanted or "number" in wanted:
            hint = "write a number without quotes"
    if not hint and "array" in wanted:
        hint = "write a list: one '- item' line per entry"
        if parts == ["interfaces"]:
            hint = "write a list: one '- name: ...' entry per interface"
    if not hint and "object" in wanted:
        hint = "write 'key: value' lines indented under it"
        if _is_iface(parts):
            hint = "write each interface as '- name: <name>' followed by its keys"
        elif not parts:
            hint = "start with top-level keys such as 'interfaces:' or 'routes:'"
    return message, hint


_TYPE_WORDS = {
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing (null)",
}
_BOOL_WORDS = {"true", "false", "yes", "no", "on", "off", "1", "0"}


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _choices(value: Any, allowed: Sequence[Any]) -> str:
    texts = [str(item) if item != "" else "''" for item in allowed]
    close = difflib.get_close_matches(str(value), texts, n=2, cutoff=0.5)
    listing = "choose one of: " + ", ".join(texts)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "? " + listing
    return listing


def _range_message(keyword: str, value: Any, limit: Any) -> str:
    if keyword == "minimum":
        return f"{show(value)} is below the minimum {limit}"
    if keyword == "maximum":
        return f"{show(value)} is above the maximum {limit}"
    if keyword == "exclusiveMinimum":
        return f"{show(value)} must be greater than {limit}"
    return f"{show(value)} must be less than {limit}"


def _range_hint(schema: Schema) -> str:
    low = annotation(schema, "minimum")
    high = annotation(schema, "maximum")
    if low is not None and high is not None:
        return f"use a value from {low} to {high}"
    if low is not None:
        return f"use {low} or more"
    if high is not None:
        return f"use {high} or less"
    return ""


def _format_hint(schema: Schema) -> str:
    hint = annotation(schema, "x-invalid-hint")
    if isinstance(hint, str):
        return hint
    examples = annotation(schema, "examples")
    if isinstance(examples, list) and examples:
        return "for example " + ", ".join(str(e) for e in examples[:2])
    return ""


def _field_hint(schema: Schema, key: str) -> str:
    """Hint for a missing key: what the key means, from its schema description."""
    sub = properties_of(schema).get(key)
    text = description_of(sub) if sub is not None else None
    return f"add '{key}': {text}" if text else f"add '{key}'"


def _lower_title(title: str) -> str:
    """'Interface name' → 'interface name', but keep 'MAC address' and 'IPv4 address'."""
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def show(value: Any) -> str:
    """A short readable rendering of an offending value, with its kind for non-scalars."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


# --------------------------------------------------------------------------- paths helpers


# --------------------------------------------------------------------------- paths helpers


def _is_iface(parts: Sequence[PathPart]) -> bool:
    return len(parts) == 2 and parts[0] == "interfaces" and isinstance(parts[1], int)


def is_iface_name(parts: Sequence[PathPart]) -> bool:
    return len(parts) == 3 and _is_iface(parts[:2]) and parts[2] == "name"


def _iface_type_at(parts: Sequence[PathPart], state: Any) -> str | None:
    if not _is_iface(parts[:2]) or not isinstance(state, dict):
        return None
    index = parts[1]
    interfaces = state.get("interfaces")
    if isinstance(index, int) and isinstance(interfaces, list) and index < len(interfaces):
        item = interfaces[index]
        if isinstance(item, dict):
            kind = item.get("type", "unknown")
            return kind if isinstance(kind, str) else None
    return None
