"""Loading, dumping and line numbers of states (engine.yamlio)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from engine.errors import ExitCode, InvalidInput, Problem
from engine.normalize import normalize
from engine.yamlio import attach_lines, dumps, line_map, load_file, loads

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = sorted((DATA / "valid").glob("*.yml"))

BRIDGE = """\
interfaces:
- name: br0
  type: linux-bridge
  state: up
  ipv4:
    enabled: true
    address:
    - ip: 192.0.2.1
      prefix-length: 24
  bridge:
    port:
    - name: eth1
- name: eth0.10
  type: vlan
  vlan:
    base-iface: eth0
    id: 10
routes:
  config:
  - destination: 0.0.0.0/0
    next-hop-interface: br0
"""

INLINE = [
    BRIDGE,
    "hostname:\n  config: h\ndns-resolver:\n  config:\n    server: [2001:DB8::1, 192.0.2.53]\n",
    '{"interfaces": [{"name": "eth1", "type": "ethernet", "mac-address": "52:54:00:12:34:56"}]}',
    "interfaces:\n- name: wlan0\n  type: ethernet\n  description: café ☕\n",
]


def _round_trip(text: str) -> None:
    state = normalize(loads(text))
    for fmt in ("yaml", "json"):
        assert normalize(loads(dumps(state, fmt))) == state
        assert loads(dumps(state, fmt)) == state  # dumping a canonical state loses nothing


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_round_trip_every_valid_example(path: Path) -> None:
    _round_trip(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", INLINE)
def test_round_trip_inline(text: str) -> None:
    _round_trip(text)


def test_json_is_accepted() -> None:
    assert loads('{"interfaces": []}') == {"interfaces": []}


def test_mac_and_dates_stay_strings() -> None:
    state = loads("a: 52:54:00:12:34:56\nb: 2024-01-01\nc: 12:30\nd: 0x10\ne: 1.5\n")
    assert state == {"a": "52:54:00:12:34:56", "b": "2024-01-01", "c": "12:30", "d": 16, "e": 1.5}


def test_empty_document_is_empty_state() -> None:
    assert loads("") == {}
    assert loads("# nothing\n") == {}


def _problem(text: str) -> Problem:
    with pytest.raises(InvalidInput) as info:
        loads(text, "state.yml")
    assert info.value.exit_code == ExitCode.INVALID_INPUT
    [problem] = info.value.problems
    return problem


def test_parse_error_gives_line_column_and_hint() -> None:
    problem = _problem("interfaces:\n- name: eth0\n  type: ethernet\n   mtu: 1500: x\n")
    assert problem.source == "state.yml"
    assert problem.line == 4
    assert "column" in problem.message
    assert problem.hint
    assert problem.format().startswith("state.yml:4: ")


def test_tab_indentation_hint() -> None:
    problem = _problem("interfaces:\n\t- name: eth0\n")
    assert problem.line == 2
    assert "tab" in problem.hint


def test_duplicate_key_is_refused() -> None:
    problem = _problem("interfaces: []\nroutes: {}\ninterfaces: []\n")
    assert problem.line == 3
    assert "duplicate key 'interfaces'" in problem.message


def test_top_level_must_be_mapping() -> None:
    problem = _problem("- name: eth0\n")
    assert "mapping" in problem.message


def test_load_file_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.yml"
    path.write_text("hostname:\n  config: h\n", encoding="utf-8")
    assert load_file(path) == {"hostname": {"config": "h"}}
    monkeypatch.setattr("sys.stdin", io.StringIO("routes: {}\n"))
    assert load_file("-") == {"routes": {}}
    with pytest.raises(InvalidInput):
        load_file(tmp_path / "missing.yml")


def test_line_map_names_interfaces() -> None:
    lines = line_map(BRIDGE)
    assert lines["interfaces[br0]"] == 2
    assert lines["interfaces[br0].ipv4.address[0].ip"] == 8
    assert lines["interfaces[br0].bridge.port[eth1]"] == 12
    assert lines["interfaces[eth0.10].vlan.id"] == 17
    assert lines["routes.config[0].next-hop-interface"] == 21
    assert line_map("a: [") == {}


def test_attach_lines_uses_nearest_ancestor() -> None:
    problems = [
        Problem("interfaces[br0].ipv4.address[0].prefix-length", "bad"),
        Problem("interfaces[br0].mtu", "missing key"),
        Problem("", "whole file"),
    ]
    out = attach_lines(problems, BRIDGE, "f.yml")
    assert [p.line for p in out] == [9, 2, None]
    assert all(p.source == "f.yml" for p in out)


def test_dump_key_order() -> None:
    state = {
        "interfaces": [
            {
                "mtu": 1500,
                "state": "up",
                "type": "ethernet",
                "name": "eth0",
                "bridge": {"port": [{"stp-priority": 3, "name": "p"}]},
            }
        ],
        "routes": {"config": []},
        "dns-resolver": {"config": {}},
        "hostname": {"config": "h"},
        "description": "d",
        "zz-extra": 1,
    }
    text = dumps(state)
    tops = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert tops == ["description", "hostname", "dns-resolver", "routes", "interfaces", "zz-extra"]
    iface_text = dumps({"interfaces": state["interfaces"]})
    iface_keys = re.findall(r"^(?:- |  )([a-z-]+):", iface_text, re.M)
    assert iface_keys == ["name", "type", "state", "bridge", "mtu"]
    assert "- name: p\n      stp-priority: 3" in text
    assert list(json.loads(dumps(state, "json"))) == tops


def test_dump_block_style_unicode_no_aliases() -> None:
    shared = {"ip": "192.0.2.1", "prefix-length": 24}
    state = {"interfaces": [{"name": "é0", "ipv4": {"address": [shared, shared]}}]}
    text = dumps(state)
    assert "&" not in text and "*" not in text
    assert "é0" in text
    assert "{" not in text
    assert "'52:54" in dumps({"m": "52:54:00:12:34:56"})  # quoted for YAML 1.1 readers
    with pytest.raises(ValueError):
        dumps(state, "toml")
