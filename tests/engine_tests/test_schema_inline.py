"""The validator's schema with ``$ref`` s inlined means exactly what the schema file says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from engine.schema_files import inlined_schema, load_schema

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = sorted((DATA / "valid").glob("*.yml")) + sorted((DATA / "invalid").glob("*.yml"))


def _errors(schema: dict[str, object], state: object) -> list[tuple[str, str]]:
    found = Draft202012Validator(schema).iter_errors(state)
    return sorted((json.dumps(list(e.absolute_path)), e.validator) for e in found)


def _refs(node: object, skip_defs: bool = True) -> int:
    """``$ref`` s reachable from the root (the ``$defs`` only through them, when skipped)."""
    if isinstance(node, dict):
        inner = (v for k, v in node.items() if not (skip_defs and k == "$defs"))
        return int("$ref" in node) + sum(_refs(v, skip_defs) for v in inner)
    if isinstance(node, list):
        return sum(_refs(v, skip_defs) for v in node)
    return 0


def test_no_local_ref_is_left_to_resolve_at_validation_time() -> None:
    assert _refs(load_schema(), skip_defs=False) > 100  # each looked up on every use
    assert _refs(inlined_schema()) == 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_errors_at_the_same_places(path: Path) -> None:
    try:
        state = yaml.safe_load(path.read_text())
    except yaml.YAMLError:
        pytest.skip("not YAML: the schema is not reached")
    assert _errors(inlined_schema(), state) == _errors(load_schema(), state)
