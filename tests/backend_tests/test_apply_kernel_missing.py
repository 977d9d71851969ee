"""Types this kernel cannot create (vlan, bond, dummy, vrf): profiles yes, links no.

NetworkManager stores such profiles fine (``gen-conf`` keyfiles load; the
D-Bus way is covered by test_profiles_load.py), but activating one fails
in the kernel. ``apply`` must then exit 1, leave the host exactly as it was
(the checkpoint is rolled back and the new profile deleted) and say that
the kernel lacks the type, not just "activation failed".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.backend.kernel_probe import kernel_has
from engine.backend.nm_dbus import SETTINGS_IFACE, SETTINGS_PATH, NMClient
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import cli, profile_ifaces, show_text, write_state

MISSING: dict[str, dict[str, Any]] = {
    "vlan": {"name": "eth1.10", "type": "vlan", "vlan": {"base-iface": "eth1", "id": 10}},
    "bond": {
        "name": "bond9",
        "type": "bond",
        "link-aggregation": {"mode": "active-backup", "port": []},
        "ipv4": {"enabled": True, "address": [{"ip": "10.9.9.1", "prefix-length": 24}]},
    },
    "dummy": {"name": "dummy9", "type": "dummy"},
    "vrf": {"name": "vrf9", "type": "vrf", "vrf": {"route-table-id": 100, "port": []}},
}


@pytest.mark.parametrize("kind", sorted(MISSING))
async def test_apply_fails_rolls_back_and_names_the_kernel(
    module_demo_sandbox: Sandbox, tmp_path: Path, kind: str
) -> None:
    sb = module_demo_sandbox
    if kernel_has(kind) is not False:
        pytest.skip(f"this kernel can create {kind} links")
    iface = MISSING[kind]
    before = show_text(sb)
    out = cli(sb, "apply", write_state(tmp_path, f"{kind}.yml", {"interfaces": [iface]}))
    assert out.returncode == 1, out.stderr
    assert "rolled back" in out.stderr
    assert f"this kernel lacks {kind} support" in out.stderr
    assert iface["name"] in out.stderr  # which interface failed
    assert show_text(sb) == before
    assert iface["name"] not in await profile_ifaces(sb), "the new profile is deleted again"


GEN_CONF_STATE = {
    "interfaces": [
        {"name": "d0", "type": "dummy"},
        {"name": "d1", "type": "dummy"},
        {"name": "d2", "type": "dummy"},
        {"name": "d0.10", "type": "vlan", "vlan": {"base-iface": "d0", "id": 10}},
        {
            "name": "bond9",
            "type": "bond",
            "link-aggregation": {"mode": "802.3ad", "options": {"miimon": 100}, "port": ["d1"]},
        },
        {"name": "vrf9", "type": "vrf", "vrf": {"route-table-id": 100, "port": ["d2"]}},
    ]
}
NM_TYPES = {
    "d0": "dummy",
    "d1": "dummy",
    "d2": "dummy",
    "d0.10": "vlan",
    "bond9": "bond",
    "vrf9": "vrf",
}


async def test_gen_conf_keyfiles_load(sandbox: Sandbox, tmp_path: Path) -> None:
    """The CLI's ``gen-conf --yaml`` output, written out as keyfiles, loads into NM as is."""
    out = cli(sandbox, "gen-conf", "--yaml", write_state(tmp_path, "gc.yml", GEN_CONF_STATE))
    assert out.returncode == 0, out.stderr
    files = yaml.safe_load(out.stdout)["NetworkManager"]
    folder = sandbox.root / "etc-nm" / "system-connections"  # NM's /etc/NetworkManager/...
    names = []
    for name, text in files:
        path = folder / name
        path.write_text(text)
        path.chmod(0o600)  # NM ignores keyfiles others can read
        names.append(f"/etc/NetworkManager/system-connections/{name}")
    client = await NMClient.connect(sandbox.bus_address)
    try:
        ok, failures = await client.call(
            SETTINGS_PATH, SETTINGS_IFACE, "LoadConnections", "as", [names]
        )
    finally:
        client.close()
    assert ok and failures == []
    loaded = await profile_ifaces(sandbox)
    assert {n: loaded[n][0]["connection"]["type"] for n in NM_TYPES} == NM_TYPES
    assert loaded["d1"][0]["connection"]["master"] == "bond9"
    assert loaded["d2"][0]["connection"]["slave-type"] == "vrf"
    assert loaded["d0.10"][0]["vlan"]["id"] == 10
