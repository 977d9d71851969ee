"""The libnmstate-shaped Python API (``engine.show/apply/commit/rollback/validate/gen_conf``).

Run against a sandbox the way a script would: the bus address and netns
come from the environment, and the calls are plain synchronous functions.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import engine
from engine.checkpoint import Checkpoint
from engine.comparable import comparable
from engine.errors import ApplyFailed, InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import by_name, ip, show_text

CHANGE = {
    "interfaces": [{"name": "eth1", "type": "veth", "ipv4": {"address": [ip("192.0.2.60", 24)]}}]
}


@pytest.fixture
def env(host: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Point this process's engine at ``host``, as ``sb.env()`` does for a subprocess."""
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", host.bus_address)
    monkeypatch.setenv("NMTUI_STATE_NETNS", host.name)
    return host


pytestmark = pytest.mark.nm


def _eth1_ipv4() -> list[dict[str, object]]:
    addrs: list[dict[str, object]] = by_name(engine.show())["eth1"]["ipv4"]["address"]
    return addrs


def test_import_engine_is_cheap() -> None:
    code = (
        "import sys, engine\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('dbus_fast', 'pyroute2', "
        "'jsonschema', 'yaml') or m.startswith('engine.')]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_show_is_the_cli_show(env: Sandbox) -> None:
    import yaml

    # Compared forms: a bridge timer moves between the two reads.
    assert comparable(engine.show()) == yaml.safe_load(show_text(env))


def test_apply_commit_false_then_rollback(env: Sandbox) -> None:
    """Rolling back the returned checkpoint also restores the hostname (NM's does not)."""
    before = engine.show()
    cp = engine.apply({**CHANGE, "hostname": {"config": "api-host"}}, commit=False, timeout=30)
    assert isinstance(cp, Checkpoint) and cp.timeout == 30
    assert _eth1_ipv4() == [ip("192.0.2.60", 24)]
    assert engine.show()["hostname"]["config"] == "api-host"
    assert engine.rollback(cp) == cp.path
    assert comparable(engine.show()) == comparable(before)  # but for the bridge timers
    with pytest.raises(ApplyFailed, match="nothing to roll back"):
        engine.rollback()


def test_apply_commit_false_then_commit_default(env: Sandbox) -> None:
    old = by_name(engine.show())["eth1"]
    cp = engine.apply(CHANGE, commit=False)
    assert cp is not None
    assert engine.commit() == cp.path  # the pending one
    assert _eth1_ipv4() == [ip("192.0.2.60", 24)]
    restore = {"interfaces": [{k: old[k] for k in ("name", "type", "ipv4")}]}
    assert engine.apply(restore, save_to_disk=False) is None  # committed: nothing pending
    assert _eth1_ipv4() == old["ipv4"]["address"]


def test_apply_invalid_touches_nothing(env: Sandbox) -> None:
    before = engine.show()
    with pytest.raises(InvalidInput, match=r"interfaces\[mv9\].mac-vlan.base-iface"):
        engine.apply(
            {
                "interfaces": [
                    {
                        "name": "mv9",
                        "type": "mac-vlan",
                        "mac-vlan": {"base-iface": "x9", "mode": "vepa"},
                    }
                ]
            }
        )
    assert comparable(engine.show()) == comparable(before)  # but for the bridge timers


def test_validate_and_gen_conf_need_no_host() -> None:
    state = {"interfaces": [{"name": "v5", "type": "vlan", "vlan": {"base-iface": "e0", "id": 5}}]}
    assert [p for p in engine.validate(state) if p.is_error] == []
    current = {"interfaces": [{"name": "e1", "type": "ethernet"}]}
    (problem,) = [p for p in engine.validate(state, current) if p.is_error]
    assert problem.path == "interfaces[v5].vlan.base-iface" and "e0" in problem.message
    files = dict(engine.gen_conf({"interfaces": [{"name": "d0", "type": "dummy"}]}))
    assert "interface-name=d0" in files["d0.nmconnection"]


def test_api_names_survive_importing_their_modules() -> None:
    """``engine.apply`` stays the function after ``import engine.apply`` (the module's
    attributes stay reachable through it)."""
    import engine.apply
    import engine.show
    import engine.validate

    assert engine.apply.__name__ == "apply" and callable(engine.apply)
    assert engine.apply.apply_async is sys.modules["engine.apply"].apply_async
    assert engine.show.read_live is sys.modules["engine.show"].read_live
    assert engine.validate({"interfaces": []}) == []
