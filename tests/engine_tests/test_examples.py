"""Example states against the schema and the validator.

``tests/data/valid`` holds states written after nmstate's documented examples;
each must validate without a single error. ``tests/data/invalid`` holds one
mistake per file, announced in its header::

    # expect: interfaces[br0].bridge.port[eth1].stp-priority
    # kind: schema            (or: semantic, yaml)
    # current: {interfaces: []}   (optional: the host's state, for "does not exist")

and the validator must report a problem whose text contains the expected path
(for ``kind: yaml``, the expected ``line N``). The schema file itself is checked
in ``test_schema_shape.py``; nmstate's own examples in ``test_nmstate_examples.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.errors import InvalidInput, Problem
from engine.validate import schema_problems, validate

DATA = Path(__file__).resolve().parent.parent / "data"
VALID = sorted((DATA / "valid").glob("*.yml"))
INVALID = sorted((DATA / "invalid").glob("*.yml"))

INTERFACE_TYPES = {
    "ethernet", "veth", "loopback", "dummy", "linux-bridge", "bond", "vlan", "vxlan",
    "mac-vlan", "mac-vtap", "ipvlan", "vrf", "infiniband", "ovs-bridge", "ovs-interface",
    "hsr", "macsec", "ipsec", "unknown",
}  # fmt: skip


# --------------------------------------------------------------------------- example files


@dataclass(frozen=True)
class Case:
    """One invalid example and what its header promises."""

    path: Path
    text: str
    expect: str
    kind: str
    current: dict[str, Any] | None

    @property
    def id(self) -> str:
        return self.path.stem


def _read_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        match = re.match(r"#\s*(expect|kind|current):\s*(.*?)\s*$", line)
        if match is None:
            break
        header[match.group(1)] = match.group(2)
    current = yaml.safe_load(header["current"]) if "current" in header else None
    return Case(path, text, header.get("expect", ""), header.get("kind", "schema"), current)


CASES = [_read_case(path) for path in INVALID]
YAML_CASES = [c for c in CASES if c.kind == "yaml"]
STATE_CASES = [c for c in CASES if c.kind != "yaml"]
SCHEMA_CASES = [c for c in CASES if c.kind == "schema"]
SEMANTIC_CASES = [c for c in CASES if c.kind == "semantic"]


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def _report(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems) or "(no problems)"


def test_there_are_enough_examples() -> None:
    assert len(VALID) >= 30
    assert len(INVALID) >= 45
    assert YAML_CASES and SCHEMA_CASES and SEMANTIC_CASES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_invalid_example_header(case: Case) -> None:
    assert case.expect, f"{case.path.name}: first line must be '# expect: <path>'"
    assert case.kind in {"yaml", "schema", "semantic"}
    if case.kind == "yaml":
        assert re.fullmatch(r"line \d+", case.expect)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_has_no_errors(path: Path) -> None:
    state = _load(path)
    assert isinstance(state, dict)
    errors = _errors(validate(state))
    assert not errors, _report(errors)


def test_valid_examples_cover_every_interface_type() -> None:
    seen = {
        iface.get("type", "unknown")
        for path in VALID
        for iface in _load(path).get("interfaces", [])
    }
    assert seen >= INTERFACE_TYPES, sorted(INTERFACE_TYPES - seen)


def test_valid_examples_cover_every_interface_state() -> None:
    seen = {
        iface.get("state", "up") for path in VALID for iface in _load(path).get("interfaces", [])
    }
    assert seen >= {"up", "down", "absent", "ignore"}


@pytest.mark.parametrize("case", STATE_CASES, ids=lambda c: c.id)
def test_invalid_example_is_reported_at_its_path(case: Case) -> None:
    errors = _errors(validate(yaml.safe_load(case.text), case.current))
    assert any(case.expect in p.format() for p in errors), (
        f"expected a problem at {case.expect}, got:\n{_report(errors)}"
    )


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=lambda c: c.id)
def test_schema_example_is_a_schema_problem(case: Case) -> None:
    errors = _errors(schema_problems(yaml.safe_load(case.text)))
    assert any(case.expect in p.format() for p in errors), _report(errors)
    for problem in errors:
        assert problem.path and problem.message, problem


@pytest.mark.parametrize("case", SEMANTIC_CASES, ids=lambda c: c.id)
def test_semantic_example_passes_the_schema(case: Case) -> None:
    """The mistake must be one only the semantic rules can see."""
    errors = _errors(schema_problems(yaml.safe_load(case.text)))
    assert not errors, _report(errors)


@pytest.mark.parametrize("case", YAML_CASES, ids=lambda c: c.id)
def test_broken_yaml_reports_its_line(case: Case) -> None:
    yamlio = pytest.importorskip("engine.yamlio")
    line = int(case.expect.split()[1])
    with pytest.raises(InvalidInput) as info:
        yamlio.loads(case.text, case.path.name)
    problems = info.value.problems
    assert any(p.line == line for p in problems), _report(problems)


# --------------------------------------------------------------------------- messages


def test_unknown_key_names_the_key_and_suggests_a_fix() -> None:
    state = {"interfaces": [{"name": "br0", "type": "linux-bridge", "bridge": {"optons": {}}}]}
    [problem] = schema_problems(state)
    assert problem.path == "interfaces[br0].bridge.optons"
    assert problem.message == "unknown key 'optons'"
    assert "did you mean 'options'?" in problem.hint


def test_section_of_another_type_is_explained() -> None:
    state = {"interfaces": [{"name": "eth1", "type": "ethernet", "vlan": {"id": 5}}]}
    [problem] = schema_problems(state)
    assert problem.path == "interfaces[eth1].vlan"
    assert "type vlan" in problem.hint


def test_bad_interface_type_gives_one_problem() -> None:
    state = {"interfaces": [{"name": "br0", "type": "brige", "bridge": {"port": []}}]}
    [problem] = schema_problems(state)
    assert problem.path == "interfaces[br0].type"
    assert "linux-bridge" in problem.hint


def test_name_length_is_counted_in_bytes() -> None:
    state = {"interfaces": [{"name": "αβγδεζηθ", "type": "dummy"}]}
    [problem] = schema_problems(state)
    assert problem.message == "name is 16 bytes; Linux allows 15"


def test_digit_only_mac_read_as_number_gets_a_quoting_hint() -> None:
    state = yaml.safe_load(
        "interfaces: [{name: eth0, type: ethernet, mac-address: 52:54:00:12:34:56}]"
    )
    [problem] = schema_problems(state)
    assert "quotes" in problem.hint


def test_schema_errors_hide_semantic_ones() -> None:
    state = {
        "interfaces": [
            {"name": "eth1", "type": "ethernet", "stat": "up"},
            {"name": "eth1", "type": "ethernet"},
        ]
    }
    problems = validate(state)
    assert [p.path for p in problems] == ["interfaces[eth1].stat"]


def test_empty_document_is_no_change() -> None:
    assert schema_problems(None) == []
    assert validate({}) == []
