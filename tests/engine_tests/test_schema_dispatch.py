"""The interface-type switch read as a lookup finds the same errors as the ``if`` chain."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from engine.schema_dispatch import DISPATCH, dispatch_chains
from engine.schema_files import inlined_schema
from engine.validate import _validator, schema_problems

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = sorted(
    p for folder in ("valid", "invalid", "nmstate_examples") for p in (DATA / folder).glob("*.yml")
)

# The corners of the switch: no type, a type that is not a string, an unknown type,
# an interface that is not an object, a section of another type.
ODD: list[Any] = [
    {"interfaces": [{"name": "br0", "bridge": {"port": []}}]},
    {"interfaces": [{"name": "br0", "type": 7}]},
    {"interfaces": [{"name": "br0", "type": ["linux-bridge"]}]},
    {"interfaces": [{"name": "x0", "type": "no-such-type", "vlan": {"id": 5}}]},
    {"interfaces": ["eth0", 5, None, ["a"]]},
    {"interfaces": [{"name": "eth0", "type": "ethernet", "bridge": {"port": []}}]},
    {"interfaces": [{"name": "v1", "type": "vlan", "vlan": {"id": 70000, "base-iface": 3}}]},
    {"interfaces": [{"type": "linux-bridge", "bridge": {"options": {"stp": {"enabled": "x"}}}}]},
]


def _errors(validator: Draft202012Validator, state: object) -> list[tuple[str, str, str]]:
    found = validator.iter_errors(state)
    return sorted((json.dumps(list(e.absolute_path)), str(e.validator), e.message) for e in found)


@cache
def _standard() -> Draft202012Validator:
    """The schema's if/then chain as jsonschema reads it: what the lookup must equal."""
    return Draft202012Validator(inlined_schema())


def _dispatching() -> Draft202012Validator:
    return _validator()  # the one validate() uses


def test_the_validator_has_no_type_chain_left() -> None:
    text = json.dumps(_validator().schema)
    assert DISPATCH in text
    assert '"if"' not in text  # the one chain in the schema is the interface-type switch
    assert '"if"' in json.dumps(inlined_schema())


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_errors_as_the_chain_for_each_file(path: Path) -> None:
    try:
        state = yaml.safe_load(path.read_text())
    except yaml.YAMLError:
        pytest.skip("not YAML: the schema is not reached")
    assert _errors(_dispatching(), state) == _errors(_standard(), state)


@pytest.mark.parametrize("state", ODD, ids=range(len(ODD)))
def test_same_errors_as_the_chain_in_the_corners(state: Any) -> None:
    expected = _errors(_standard(), state)
    assert expected  # each corner is an invalid state
    assert _errors(_dispatching(), state) == expected


def test_a_section_of_another_type_is_still_named() -> None:
    state = {"interfaces": [{"name": "eth0", "type": "ethernet", "bridge": {"port": []}}]}
    problems = schema_problems(state)
    assert [p.path for p in problems] == ["interfaces[eth0].bridge"]


def test_a_mixed_all_of_is_left_alone() -> None:
    chain = [
        {"if": {"required": ["type"], "properties": {"type": {"const": "a"}}}, "then": {}},
        {"required": ["name"]},
    ]
    assert dispatch_chains({"allOf": chain}) == {"allOf": chain}
