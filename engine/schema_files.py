"""Find and load the JSON Schema shipped as data.

In a checkout the schema lives in ``<repo>/schema/``; in a wheel hatchling
force-includes it as ``engine/_schema/``. ``schema`` is never an import
package because PyPI's ``schema`` project owns that name.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = "network-state.schema.json"


def schema_dir() -> Path:
    """Directory holding the schema files, installed copy first."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schema", here.parent / "schema"):
        if (candidate / SCHEMA_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"{SCHEMA_FILE} not found in {here / '_schema'} or {here.parent / 'schema'}; "
        "reinstall nmtui-state"
    )


@cache
def load_schema() -> dict[str, Any]:
    """The network-state schema as a dict (cached: it is read on every validate)."""
    with open(schema_dir() / SCHEMA_FILE, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _pointer(schema: dict[str, Any], ref: str) -> Any:
    node: Any = schema
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


_NAME_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def _inline(schema: dict[str, Any], node: Any, stack: tuple[str, ...], done: dict[str, Any]) -> Any:
    """``node`` with its ``$ref`` s replaced; ``done`` shares each target's inlined copy."""
    if isinstance(node, list):
        return [_inline(schema, item, stack, done) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and ref not in stack:
        if ref not in done:
            done[ref] = _inline(schema, _pointer(schema, ref), (*stack, ref), done)
        rest = {key: _inline(schema, v, stack, done) for key, v in node.items() if key != "$ref"}
        if not rest:
            return done[ref]
        return {**rest, "allOf": [done[ref], *rest.get("allOf", [])]}
    out = {}
    for key, value in node.items():
        if key in _NAME_MAPS and isinstance(value, dict):
            out[key] = {name: _inline(schema, sub, stack, done) for name, sub in value.items()}
        else:
            out[key] = _inline(schema, value, stack, done)
    return out


@cache
def inlined_schema() -> dict[str, Any]:
    """The schema with its local ``$ref`` s replaced by what they point to.

    Same meaning (a ``$ref`` with siblings becomes an ``allOf``; a recursive
    one stays a ``$ref``), but jsonschema resolves every ``$ref`` anew on each
    use, which made validating a 1000-interface state cost 2.3x as much.
    """
    schema = load_schema()
    body = {key: v for key, v in schema.items() if key != "$defs"}
    out: dict[str, Any] = _inline(schema, body, (), {})
    if "$defs" in schema:
        out["$defs"] = schema["$defs"]  # what a recursive $ref still points into
    return out
