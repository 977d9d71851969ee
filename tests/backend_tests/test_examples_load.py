"""nmstate's examples, as gen-conf translates them, load into a real NetworkManager 1.42.

Each example's profiles go in twice: over D-Bus (``AddConnection2`` with the
in-memory flag, what apply sends) and as the keyfiles ``gen-conf`` prints
(``LoadConnections``). NM itself judges them; the only refusals allowed are
the types NM 1.42 lacks, and those must be refused by NM (so the claim
"needs a newer NM" stays true).
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from dbus_fast.errors import DBusError

from engine.backend.nm_dbus import CONNECTION_IFACE, SETTINGS_IFACE, SETTINGS_PATH, NMClient
from engine.backend.nm_exec import IN_MEMORY
from engine.backend.nm_types import from_dbus, to_dbus
from engine.genconf import gen_conf, gen_profiles, keyfile_name
from nmtui_state.sandbox import Sandbox
from tests.engine_tests.test_nmstate_examples import EXAMPLES, GEN_CONF_GAPS

#: Interface types NetworkManager 1.42 has no setting for (hsr came in 1.46, ipvlan in 1.52).
NOT_IN_NM_1_42 = {"hsr", "ipvlan"}


async def _delete(client: NMClient, paths: list[str]) -> None:
    for path in paths:
        await client.call(path, CONNECTION_IFACE, "Delete")


async def test_examples_load_into_networkmanager(sandbox: Sandbox) -> None:
    client = await NMClient.connect(sandbox.bus_address)
    await client.wait_ready()
    folder = sandbox.root / "etc-nm" / "system-connections"
    refused: dict[str, str] = {}
    loaded = tried = 0
    try:
        for example in EXAMPLES:
            if example.stem in GEN_CONF_GAPS:
                continue
            raw = yaml.safe_load(example.read_text())
            profiles = gen_profiles(raw)
            tried += len(profiles)
            kinds = {keyfile_name(p["connection"]["id"]): p["connection"]["type"] for p in profiles}
            added: list[str] = []
            for profile in profiles:
                try:
                    path, _ = await client.call(
                        SETTINGS_PATH,
                        SETTINGS_IFACE,
                        "AddConnection2",
                        "a{sa{sv}}ua{sv}",
                        [to_dbus(profile), IN_MEMORY, {}],
                    )
                    added.append(path)
                except DBusError as exc:
                    refused[f"{example.stem}:{profile['connection']['type']}:dbus"] = str(exc)
            await _delete(client, added)
            names = []
            for name, text in gen_conf(raw):
                path = folder / name
                path.write_text(text)
                os.chmod(path, 0o600)
                names.append(f"/etc/NetworkManager/system-connections/{name}")
            _ok, failures = await client.call(
                SETTINGS_PATH, SETTINGS_IFACE, "LoadConnections", "as", [names]
            )
            for failed in failures:
                kind = kinds.get(Path(failed).name, "?")
                refused[f"{example.stem}:{kind}:keyfile"] = f"{failed} refused"
            for profile in profiles:
                try:
                    (path,) = await client.call(
                        SETTINGS_PATH,
                        SETTINGS_IFACE,
                        "GetConnectionByUuid",
                        "s",
                        [profile["connection"]["uuid"]],
                    )
                except DBusError:
                    continue
                await _delete(client, [path])
                loaded += 1
            for name in names:
                (folder / Path(name).name).unlink(missing_ok=True)
    finally:
        client.close()
    kinds_refused = {key.split(":")[1] for key in refused}
    assert kinds_refused <= NOT_IN_NM_1_42, refused
    # The types NM 1.42 lacks are refused both ways (the "needs a newer NM" claim holds).
    assert set(refused) == {
        "hsr0_up:hsr:dbus",
        "hsr0_up:hsr:keyfile",
        "ipvlan_create:ipvlan:dbus",
        "ipvlan_create:ipvlan:keyfile",
    }, refused
    assert "hsr: unknown setting name" in refused["hsr0_up:hsr:dbus"]
    assert loaded == tried - 2 and loaded >= 50  # every profile but hsr0's and ipvlan0's


async def test_ovs_port_keyfile_reads_back_as_sent(sandbox: Sandbox) -> None:
    """The keyfile spelling of OVS port VLANs (trunks=1,10-20) is the one NM reads."""
    [example] = [e for e in EXAMPLES if e.stem == "ovsbridge_vlan_port"]
    raw = yaml.safe_load(example.read_text())
    profiles = {p["connection"]["id"]: p for p in gen_profiles(raw)}
    folder = sandbox.root / "etc-nm" / "system-connections"
    names = []
    for name, text in gen_conf(raw):
        (folder / name).write_text(text)
        os.chmod(folder / name, 0o600)
        names.append(f"/etc/NetworkManager/system-connections/{name}")
    client = await NMClient.connect(sandbox.bus_address)
    await client.wait_ready()
    try:
        _ok, failures = await client.call(
            SETTINGS_PATH, SETTINGS_IFACE, "LoadConnections", "as", [names]
        )
        assert failures == []
        back = {}
        for pid in ("ovs-port-ovs0", "ovs-port-ovs1", "ovs0"):
            (path,) = await client.call(
                SETTINGS_PATH,
                SETTINGS_IFACE,
                "GetConnectionByUuid",
                "s",
                [profiles[pid]["connection"]["uuid"]],
            )
            (settings,) = await client.call(path, CONNECTION_IFACE, "GetSettings", "")
            back[pid] = from_dbus(settings)
    finally:
        client.close()
    assert back["ovs-port-ovs0"]["ovs-port"] == {"vlan-mode": "access", "tag": 2, "trunks": []}
    port1 = back["ovs-port-ovs1"]["ovs-port"]
    assert port1["vlan-mode"] == "trunk"
    assert port1["trunks"] == [{"start": 1, "end": 1}, {"start": 10, "end": 20}]
    con = back["ovs0"]["connection"]
    assert (con["master"], con["slave-type"]) == (
        profiles["ovs-port-ovs0"]["connection"]["uuid"],
        "ovs-port",
    )
