"""Find things in the network-state schema: the declared keys, items and texts at a path.

The schema composes its objects from ``$ref``, ``allOf`` and an ``if``/``then``
switch on the interface type, so "what does the schema say about this key" is
never a plain dictionary lookup.  Both the error explanations of
:mod:`engine.validate` and the field help of the UI (:func:`description_at`)
need that lookup, and neither needs the other's concerns, so the walking lives
here on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from engine.paths import split_path
from engine.schema_files import load_schema

__all__ = [
    "Schema",
    "annotation",
    "description_at",
    "description_of",
    "members",
    "pointer",
    "properties_of",
    "section_types",
]

Schema = Mapping[str, Any]


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
            props = properties_of(node, iface_type)
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
    return description_of(node)


def pointer(ref: str) -> Schema:
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


def members(node: Schema, iface_type: str | None = None) -> list[Schema]:
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
            queue.append(pointer(current["$ref"]))
        for sub in current.get("allOf", []):
            if isinstance(sub, Mapping) and "if" in sub and "then" in sub:
                if _branch_applies(sub["if"], iface_type):
                    queue.append(sub["then"])
            else:
                queue.append(sub)
    return out


def properties_of(node: Schema, iface_type: str | None = None) -> dict[str, Schema]:
    """All declared keys of an object schema, nearest declaration first."""
    props: dict[str, Schema] = {}
    for member in members(node, iface_type):
        for key, sub in member.get("properties", {}).items():
            props.setdefault(key, sub)
    return props


def _additional_of(node: Schema) -> Schema | None:
    """The schema for undeclared keys (as in the ethtool feature map), if any."""
    for member in members(node):
        extra = member.get("additionalProperties")
        if isinstance(extra, Mapping):
            return extra
    return None


def _items_of(node: Schema) -> Schema | None:
    """The schema of the items of an array schema."""
    for member in members(node):
        items = member.get("items")
        if isinstance(items, Mapping):
            return items
    return None


def description_of(node: Schema) -> str | None:
    """The nearest description: a property's own text beats the shared definition's."""
    for member in members(node):
        text = member.get("description")
        if isinstance(text, str) and text:
            return text
    return None


def annotation(node: Schema, keyword: str) -> Any:
    """The nearest value of an annotation keyword (title, examples, x-invalid-hint)."""
    for member in members(node):
        if keyword in member:
            return member[keyword]
    return None


@cache
def section_types() -> dict[str, tuple[str, ...]]:
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
