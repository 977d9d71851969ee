"""Check a network state against the schema and say, in plain words, what to fix.

Raw ``jsonschema`` errors are written for schema authors ("Unevaluated properties
are not allowed ('optons' was unexpected)"); a person editing YAML needs the
path, the offending key or value, and a fix.  So every raw error is rewritten
into one :class:`~engine.errors.Problem` per real mistake, with hints taken from
the schema itself (titles, examples, ``x-invalid-hint``) so the schema stays the
single source of field documentation.

Two checks live here rather than in the schema because JSON Schema cannot
express them well: interface names are limited in *bytes* (``maxLength`` counts
characters), and IP addresses need real parsing (patterns accept nonsense such
as ``300.1.1.1``).  Both are still "is this value well-formed" questions, so
they belong with schema validation, before the cross-interface rules of
:mod:`engine.rules`.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from engine.errors import Problem
from engine.paths import PathPart, format_path, split_path
from engine.rules import semantic_problems
from engine.schema_files import load_schema

__all__ = ["description_at", "schema_problems", "validate"]

# Linux IFNAMSIZ is 16 including the terminating NUL byte.
MAX_IFNAME_BYTES = 15

Schema = Mapping[str, Any]


# --------------------------------------------------------------------------- public API


def validate(state: Any, current: dict[str, Any] | None = None) -> list[Problem]:
    """All problems of ``state``: schema problems first, then semantic ones.

    Semantic rules (ports that exist, bond options that fit the mode ...) assume a
    well-formed state, and running them on a broken one only adds noise, so they
    run only when the schema found no errors.
    """
    problems = schema_problems(state)
    if any(p.is_error for p in problems) or not isinstance(state, dict):
        return problems
    return problems + semantic_problems(state, current)


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
        if _is_iface_name(parts) and error.validator == "maxLength":
            continue  # reported in bytes by _name_problems, which is what Linux counts
        found.extend(_explain(error, state))
    found.extend(_name_problems(state))
    found.extend(_ip_problems(state))

    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for _, problem in sorted(found, key=lambda item: _sort_key(item[0])):
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


def description_at(path: str, iface_type: str | None = None) -> str | None:
    """The schema's description of the field at ``path`` (for field help in the UI).

    ``path`` is a state path such as ``interfaces[br0].bridge.options.stp.enabled``.
    A path alone does not say which type ``br0`` has, and ``bridge`` means
    different things for linux-bridge and ovs-bridge, so callers that know the
    interface type pass it as ``iface_type``; without it the first matching
    type's description is returned.
    """
    node: Schema = load_schema()
    parts = split_path(path)
    while parts:
        part = parts.pop(0)
        if isinstance(part, int) or part.startswith("["):
            child = _items_of(node)
        else:
            props = _properties_of(node, iface_type)
            # A key containing a dot ("802.1x") comes back from split_path in pieces.
            while part not in props and parts and isinstance(parts[0], str):
                joined = f"{part}.{parts[0]}"
                if not any(key == joined or key.startswith(joined + ".") for key in props):
                    break
                part = joined
                parts.pop(0)
            child = props.get(part) or _additional_of(node)
        if child is None:
            return None
        node = child
    return _description_of(node)


# --------------------------------------------------------------------------- schema access


@cache
def _validator() -> Draft202012Validator:
    """The validator, built once: compiling the schema costs more than validating a state."""
    return Draft202012Validator(load_schema())


def _pointer(ref: str) -> Schema:
    """Resolve a local ``#/...`` JSON pointer in the schema (the only kind it uses)."""
    node: Any = load_schema()
    for token in ref.removeprefix("#").strip("/").split("/"):
        if not token:
            continue
        node = node[token.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, Mapping):
        raise KeyError(f"schema reference {ref} does not point at a schema object")
    return node


def _branch_applies(condition: Schema, iface_type: str | None) -> bool:
    """Whether an ``if`` of the interface type switch applies to ``iface_type``.

    ``None`` means "type not known": every branch may apply.
    """
    if iface_type is None:
        return True
    const = condition.get("properties", {}).get("type", {}).get("const")
    return isinstance(const, str) and const == iface_type


def _members(node: Schema, iface_type: str | None = None) -> list[Schema]:
    """``node`` plus every schema it is composed of ($ref, allOf, matching if/then).

    Keys of an object can be declared in any of these, so looking a key up means
    looking in all of them, nearest first.
    """
    out: list[Schema] = []
    seen: set[int] = set()
    queue: list[Any] = [node]
    while queue:
        current = queue.pop(0)
        if not isinstance(current, Mapping) or id(current) in seen:
            continue
        seen.add(id(current))
        out.append(current)
        if isinstance(current.get("$ref"), str):
            queue.append(_pointer(current["$ref"]))
        for sub in current.get("allOf", []):
            if isinstance(sub, Mapping) and "if" in sub and "then" in sub:
                if _branch_applies(sub["if"], iface_type):
                    queue.append(sub["then"])
            else:
                queue.append(sub)
    return out


def _properties_of(node: Schema, iface_type: str | None = None) -> dict[str, Schema]:
    """All declared keys of an object schema, nearest declaration first."""
    props: dict[str, Schema] = {}
    for member in _members(node, iface_type):
        for key, sub in member.get("properties", {}).items():
            props.setdefault(key, sub)
    return props


def _additional_of(node: Schema) -> Schema | None:
    """The schema for undeclared keys (as in the ethtool feature map), if any."""
    for member in _members(node):
        extra = member.get("additionalProperties")
        if isinstance(extra, Mapping):
            return extra
    return None


def _items_of(node: Schema) -> Schema | None:
    """The schema of the items of an array schema."""
    for member in _members(node):
        items = member.get("items")
        if isinstance(items, Mapping):
            return items
    return None


def _description_of(node: Schema) -> str | None:
    """The nearest description: a property's own text beats the shared definition's."""
    for member in _members(node):
        text = member.get("description")
        if isinstance(text, str) and text:
            return text
    return None


def _annotation(node: Schema, keyword: str) -> Any:
    """The nearest value of an annotation keyword (title, examples, x-invalid-hint)."""
    for member in _members(node):
        if keyword in member:
            return member[keyword]
    return None


@cache
def _section_types() -> dict[str, tuple[str, ...]]:
    """Type-specific section key (``bridge``, ``vlan`` ...) → interface types allowing it.

    Used to explain ``bridge:`` on an ethernet interface as a type mismatch
    rather than as a typo.
    """
    schema = load_schema()
    types: list[str] = schema["$defs"]["interface-base"]["properties"]["type"]["enum"]
    base = set(schema["$defs"]["interface-base"]["properties"])
    owners: dict[str, list[str]] = {}
    for iface_type in types:
        for key in schema["$defs"][f"{iface_type}-interface"]["properties"]:
            if key not in base and key != "mtu":
                owners.setdefault(key, []).append(iface_type)
    return {key: tuple(value) for key, value in owners.items()}


# --------------------------------------------------------------------------- explaining errors

Found = tuple[list[PathPart], Problem]


def _problem(parts: Sequence[PathPart], state: Any, message: str, hint: str = "") -> Found:
    return list(parts), Problem(path=format_path(parts, state), message=message, hint=hint)


def _explain(error: ValidationError, state: Any) -> list[Found]:
    """Turn one raw jsonschema error into problems a person can act on."""
    parts: list[PathPart] = list(error.absolute_path)
    schema: Schema = error.schema if isinstance(error.schema, Mapping) else {}
    value = error.instance
    keyword = str(error.validator)

    if keyword in ("oneOf", "anyOf") and error.context:
        # The alternative that got furthest is the one the author meant.
        deepest = best_match(error.context)
        if deepest is not None:
            return _explain(deepest, state)

    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(value, dict):
        return _unknown_keys(parts, value, schema, state)

    if keyword == "required" and isinstance(value, dict):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        return [
            _problem(
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
            if _annotation(schema, "title") == "MAC address":
                hint = (
                    "put the MAC address in quotes: YAML 1.1 readers take digit-only "
                    "groups like 52:54:00:12:34:56 for a base-60 number"
                )
        return [_problem(parts, state, message, hint)]

    if keyword in ("enum", "const"):
        raw = error.validator_value
        allowed: list[Any] = list(raw) if keyword == "enum" and isinstance(raw, list) else [raw]
        return [
            _problem(
                parts, state, f"{_show(value)} is not an allowed value", _choices(value, allowed)
            )
        ]

    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [
            _problem(
                parts,
                state,
                _range_message(keyword, value, error.validator_value),
                _range_hint(schema),
            )
        ]

    if keyword == "pattern":
        title = _annotation(schema, "title") or "value"
        return [
            _problem(
                parts,
                state,
                f"{_show(value)} is not a valid {_lower_title(title)}",
                _format_hint(schema),
            )
        ]

    if keyword in ("minProperties", "maxProperties"):
        keys = ", ".join(f"'{key}'" for key in _properties_of(schema))
        return [_problem(parts, state, f"give exactly one of {keys}", _format_hint(schema))]

    if keyword == "minLength":
        return [_problem(parts, state, "must not be empty", "remove the key or give it a value")]

    if keyword == "maxLength":
        return [
            _problem(
                parts,
                state,
                f"is {len(str(value))} characters long; at most {error.validator_value} allowed",
                "shorten it",
            )
        ]

    if keyword == "minItems":
        return [_problem(parts, state, f"needs at least {error.validator_value} item(s)")]

    if keyword == "uniqueItems":
        return [_problem(parts, state, "lists the same item twice", "remove the duplicate")]

    return [_problem(parts, state, error.message)]


def _unknown_keys(
    parts: list[PathPart], value: dict[str, Any], schema: Schema, state: Any
) -> list[Found]:
    """One problem per unknown key, with a "did you mean" or the list of valid keys."""
    allowed = _properties_of(schema)
    patterns = [
        re.compile(str(pattern))
        for member in _members(schema)
        for pattern in member.get("patternProperties", {})
    ]
    iface_type = _iface_type_at(parts, state)
    out: list[Found] = []
    for key in value:
        if key in allowed or any(p.search(str(key)) for p in patterns):
            continue
        hint = _unknown_key_hint(str(key), parts, list(allowed), iface_type)
        out.append(_problem([*parts, key], state, f"unknown key '{key}'", hint))
    return out


def _unknown_key_hint(
    key: str, parts: list[PathPart], allowed: list[str], iface_type: str | None
) -> str:
    owners = _section_types().get(key)
    if iface_type is not None and owners and _is_iface(parts):
        kinds = " or ".join(owners)
        return f"'{key}' is only valid for type {kinds}; this interface is type '{iface_type}'"
    if parts and parts[-1] in ("ipv4", "ipv6"):
        other = "ipv6" if parts[-1] == "ipv4" else "ipv4"
        if key in _properties_of(_pointer(f"#/$defs/{other}")) and key not in allowed:
            return f"'{key}' only exists under {other}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid keys here: " + ", ".join(sorted(allowed))


def _type_message(parts: list[PathPart], value: Any, expected: Any) -> tuple[str, str]:
    wanted = [str(w) for w in (expected if isinstance(expected, list) else [expected])]
    words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
    message = f"expected {words}, got {_show(value)}"
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
        return f"{_show(value)} is below the minimum {limit}"
    if keyword == "maximum":
        return f"{_show(value)} is above the maximum {limit}"
    if keyword == "exclusiveMinimum":
        return f"{_show(value)} must be greater than {limit}"
    return f"{_show(value)} must be less than {limit}"


def _range_hint(schema: Schema) -> str:
    low = _annotation(schema, "minimum")
    high = _annotation(schema, "maximum")
    if low is not None and high is not None:
        return f"use a value from {low} to {high}"
    if low is not None:
        return f"use {low} or more"
    if high is not None:
        return f"use {high} or less"
    return ""


def _format_hint(schema: Schema) -> str:
    hint = _annotation(schema, "x-invalid-hint")
    if isinstance(hint, str):
        return hint
    examples = _annotation(schema, "examples")
    if isinstance(examples, list) and examples:
        return "for example " + ", ".join(str(e) for e in examples[:2])
    return ""


def _field_hint(schema: Schema, key: str) -> str:
    """Hint for a missing key: what the key means, from its schema description."""
    sub = _properties_of(schema).get(key)
    text = _description_of(sub) if sub is not None else None
    return f"add '{key}': {text}" if text else f"add '{key}'"


def _lower_title(title: str) -> str:
    """'Interface name' → 'interface name', but keep 'MAC address' and 'IPv4 address'."""
    if len(title) > 1 and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _show(value: Any) -> str:
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


def _is_iface(parts: Sequence[PathPart]) -> bool:
    return len(parts) == 2 and parts[0] == "interfaces" and isinstance(parts[1], int)


def _is_iface_name(parts: Sequence[PathPart]) -> bool:
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


def _sort_key(parts: Sequence[PathPart]) -> tuple[tuple[int, int, str], ...]:
    """Document order: list items by index, keys by name."""
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in parts)


# --------------------------------------------------------------------------- beyond the schema


def _interfaces(state: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(state, dict) or not isinstance(state.get("interfaces"), list):
        return []
    return [(i, item) for i, item in enumerate(state["interfaces"]) if isinstance(item, dict)]


def _name_problems(state: Any) -> Iterator[Found]:
    """Interface names longer than 15 bytes: Linux counts bytes, JSON Schema characters."""
    for index, iface in _interfaces(state):
        name = iface.get("name")
        if not isinstance(name, str):
            continue
        size = len(name.encode("utf-8"))
        if size > MAX_IFNAME_BYTES:
            extra = " (non-ASCII characters take 2-4 bytes each)" if size != len(name) else ""
            yield _problem(
                ["interfaces", index, "name"],
                state,
                f"name is {size} bytes; Linux allows {MAX_IFNAME_BYTES}",
                f"shorten the name to at most {MAX_IFNAME_BYTES} bytes{extra}",
            )


def _ip_problems(state: Any) -> Iterator[Found]:
    """Parse every IP-valued field with :mod:`ipaddress` and report bad ones where they are."""
    for index, iface in _interfaces(state):
        base: list[PathPart] = ["interfaces", index]
        for family, version in (("ipv4", 4), ("ipv6", 6)):
            block = iface.get(family)
            if not isinstance(block, dict):
                continue
            for j, addr in _dict_items(block.get("address")):
                ip = addr.get("ip")
                if isinstance(ip, str):
                    yield from _check_host(
                        [*base, family, "address", j, "ip"], ip, version, state, family
                    )
            token = block.get("token") if version == 6 else None
            if isinstance(token, str) and token not in ("", "::"):
                yield from _check_token([*base, "ipv6", "token"], token, state)
        vxlan = iface.get("vxlan")
        if isinstance(vxlan, dict):
            for key in ("local", "remote"):
                if isinstance(vxlan.get(key), str):
                    yield from _check_host([*base, "vxlan", key], vxlan[key], None, state)
        bond = iface.get("link-aggregation")
        options = bond.get("options") if isinstance(bond, dict) else None
        if isinstance(options, dict):
            targets = options.get("arp_ip_target")
            if isinstance(targets, str) and targets.strip():
                for target in targets.split(","):
                    yield from _check_host(
                        [*base, "link-aggregation", "options", "arp_ip_target"],
                        target.strip(),
                        4,
                        state,
                    )
            ns_targets = options.get("ns_ip6_target")
            if isinstance(ns_targets, list):
                for j, target in enumerate(ns_targets):
                    if isinstance(target, str):
                        yield from _check_host(
                            [*base, "link-aggregation", "options", "ns_ip6_target", j],
                            target,
                            6,
                            state,
                        )

    if not isinstance(state, dict):
        return
    routes = state.get("routes")
    if isinstance(routes, dict):
        for section in ("config", "running"):
            for j, route in _dict_items(routes.get(section)):
                yield from _route_problems(["routes", section, j], route, state)
    rules = state.get("route-rules")
    if isinstance(rules, dict):
        for j, rule in _dict_items(rules.get("config")):
            for key in ("ip-from", "ip-to"):
                if isinstance(rule.get(key), str):
                    yield from _check_network(["route-rules", "config", j, key], rule[key], state)
    dns = state.get("dns-resolver")
    if isinstance(dns, dict):
        for section in ("config", "running"):
            block = dns.get(section)
            servers = block.get("server") if isinstance(block, dict) else None
            if isinstance(servers, list):
                for j, server in enumerate(servers):
                    if isinstance(server, str):
                        yield from _check_dns_server(
                            ["dns-resolver", section, "server", j], server, state
                        )


def _dict_items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _route_problems(parts: list[PathPart], route: dict[str, Any], state: Any) -> Iterator[Found]:
    destination = route.get("destination")
    dest_net = None
    if isinstance(destination, str):
        problems = list(_check_network([*parts, "destination"], destination, state))
        yield from problems
        if not problems:
            dest_net = ipaddress.ip_network(destination, strict=False)
    gateway = route.get("next-hop-address")
    if isinstance(gateway, str):
        if gateway == "":
            if route.get("state") != "absent":
                yield _problem(
                    [*parts, "next-hop-address"],
                    state,
                    "is empty",
                    "omit next-hop-address for a directly connected route",
                )
        else:
            problems = list(_check_host([*parts, "next-hop-address"], gateway, None, state))
            yield from problems
            if not problems and dest_net is not None:
                hop = ipaddress.ip_address(gateway)
                if hop.version != dest_net.version:
                    yield _problem(
                        [*parts, "next-hop-address"],
                        state,
                        f"is an IPv{hop.version} address but the destination "
                        f"{destination} is IPv{dest_net.version}",
                        f"use an IPv{dest_net.version} gateway for this route",
                    )
    source = route.get("source")
    if isinstance(source, str):
        yield from _check_host([*parts, "source"], source, None, state)


def _check_host(
    parts: list[PathPart], text: str, version: int | None, state: Any, family: str = ""
) -> Iterator[Found]:
    """A plain IP address (no prefix, no zone) of the given version (None: either)."""
    kind = f"IPv{version}" if version else "IP"
    example = {4: "192.0.2.10", 6: "2001:db8::10", None: "192.0.2.10 or 2001:db8::10"}[version]
    if "/" in text:
        yield _problem(
            parts,
            state,
            f"{text!r} has a prefix length; a plain {kind} address is expected",
            "put the prefix in prefix-length"
            if family
            else f"write just the address, e.g. {example}",
        )
        return
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        yield _problem(
            parts,
            state,
            f"{text!r} is not a valid {kind} address",
            f"write an address such as {example}",
        )
        return
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        yield _problem(
            parts, state, f"{text!r} has a zone ('%{ip.scope_id}')", "remove the '%...' part"
        )
    elif version is not None and ip.version != version:
        hint = f"move it to ipv{ip.version}.address" if family else f"use an IPv{version} address"
        yield _problem(
            parts, state, f"{text!r} is an IPv{ip.version} address, not IPv{version}", hint
        )


def _check_network(parts: list[PathPart], text: str, state: Any) -> Iterator[Found]:
    """An address/prefix network (a bare address means a single host)."""
    address, slash, prefix = text.partition("/")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        yield _problem(
            parts,
            state,
            f"{text!r} is not a valid IP network",
            "write address/prefix, e.g. 192.0.2.0/24 or 2001:db8::/64",
        )
        return
    if not slash:
        return
    limit = 32 if ip.version == 4 else 128
    if not prefix.isdigit():
        yield _problem(
            parts,
            state,
            f"{text!r} has an invalid prefix length {prefix!r}",
            f"write the prefix as a number from 0 to {limit}, e.g. /24",
        )
    elif int(prefix) > limit:
        yield _problem(
            parts,
            state,
            f"prefix length {prefix} is too long for IPv{ip.version}",
            f"use a prefix from 0 to {limit}",
        )


def _check_token(parts: list[PathPart], text: str, state: Any) -> Iterator[Found]:
    try:
        token = ipaddress.IPv6Address(text)
    except ValueError:
        yield _problem(
            parts,
            state,
            f"{text!r} is not a valid IPv6 token",
            "write the interface identifier like ::1:2:3:4",
        )
        return
    if int(token) >> 64:
        yield _problem(
            parts,
            state,
            f"{text!r} sets bits of the network prefix",
            "a token only sets the last 64 bits, e.g. ::1:2:3:4",
        )


def _check_dns_server(parts: list[PathPart], text: str, state: Any) -> Iterator[Found]:
    address, percent, zone = text.partition("%")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        yield _problem(
            parts,
            state,
            f"{text!r} is not a valid name server address",
            "write an IP address such as 192.0.2.53 or 2001:db8::53",
        )
        return
    if percent and not (isinstance(ip, ipaddress.IPv6Address) and ip.is_link_local and zone):
        yield _problem(
            parts,
            state,
            f"{text!r}: only IPv6 link-local servers take '%interface'",
            "write fe80::1%eth1, or drop the '%' part",
        )
