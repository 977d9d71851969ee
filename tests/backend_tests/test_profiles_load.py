"""The translation's profiles load into a real NetworkManager 1.42 and read back the same.

Unit tests can only check that the translation says what we believe NM
wants; these tests let NM itself judge: it refuses unknown properties, wrong
D-Bus types and invalid combinations, and normalizes what it accepts. Both
ways in are covered: D-Bus (``AddConnection2``, what apply uses) and keyfiles
on disk (``LoadConnections``, what ``gc`` output is for).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from engine.backend.nm_dbus import CONNECTION_IFACE, SETTINGS_IFACE, SETTINGS_PATH, NMClient
from engine.backend.nm_exec import IN_MEMORY
from engine.backend.nm_settings import iface_to_settings
from engine.backend.nm_settings_read import settings_to_dns, settings_to_ifaces, settings_to_routes
from engine.backend.nm_types import from_dbus, to_dbus
from engine.genconf import gen_conf
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.nm_settings_helpers import (
    ALL_TYPES,
    LIVE,
    assert_contains,
    expected_back,
    iface,
)

#: Interface type → the interfaces of ALL_TYPES its profiles need (controller first, then ports).
CASES: dict[str, list[str]] = {
    "vlan": ["v10"],
    "bond": ["bond0", "d3"],
    "dummy": ["d0"],
    "vrf": ["vrf0", "d4"],
    "linux-bridge": ["br0", "d1", "d2"],
    "veth": ["ve0"],
    "vxlan": ["vx0"],
    "mac-vlan": ["mv0"],
    "mac-vtap": ["mt0"],
}
#: NetworkManager 1.42 has no ipvlan setting (it came in 1.52).
NOT_IN_NM_1_42 = {"iv0"}


async def _client(sb: Sandbox) -> NMClient:
    client = await NMClient.connect(sb.bus_address)
    await client.wait_ready()
    return client


async def _read(client: NMClient, path: str) -> dict[str, dict[str, Any]]:
    (settings,) = await client.call(path, CONNECTION_IFACE, "GetSettings", "")
    return from_dbus(settings)


@pytest.mark.parametrize("kind", sorted(CASES))
async def test_added_profile_reads_back_as_the_interface(sandbox: Sandbox, kind: str) -> None:
    client = await _client(sandbox)
    try:
        readback = []
        for name in CASES[kind]:
            profile = to_dbus(iface_to_settings(iface(ALL_TYPES, name), ALL_TYPES))
            path, _result = await client.call(
                SETTINGS_PATH,
                SETTINGS_IFACE,
                "AddConnection2",
                "a{sa{sv}}ua{sv}",
                [profile, IN_MEMORY, {}],
            )
            readback.append(await _read(client, path))
    finally:
        client.close()
    back = {i["name"]: i for i in settings_to_ifaces(readback)}
    for name in CASES[kind]:
        assert_contains(back[name], expected_back(iface(ALL_TYPES, name)), name)
    if kind == "dummy":  # d0 carries the routes and the DNS of ALL_TYPES

        def by_dest(routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(routes, key=lambda r: str(r["destination"]))

        # A route without a table runs in the main table (254): the read says so.
        want = [{"table-id": 254, **r} for r in ALL_TYPES["routes"]["config"]]
        assert by_dest(settings_to_routes(readback[0])) == by_dest(want)
        assert settings_to_dns(readback[0]) == ALL_TYPES["dns-resolver"]["config"]


async def test_generated_keyfiles_load_and_read_back(sandbox: Sandbox) -> None:
    """Every gc file NM 1.42 can hold loads without complaint and means the interface."""
    state = dict(
        ALL_TYPES,
        interfaces=[i for i in ALL_TYPES["interfaces"] if i["name"] not in NOT_IN_NM_1_42],
    )
    folder = sandbox.root / "etc-nm" / "system-connections"  # NM's /etc/NetworkManager/...
    files = []
    for name, text in gen_conf(state):
        path = folder / name
        path.write_text(text)
        os.chmod(path, 0o600)  # NM ignores keyfiles others can read
        files.append(f"/etc/NetworkManager/system-connections/{name}")
    client = await _client(sandbox)
    try:
        ok, failures = await client.call(
            SETTINGS_PATH, SETTINGS_IFACE, "LoadConnections", "as", [files]
        )
        assert ok and failures == []
        readback = []
        for original in LIVE:
            if original["name"] in NOT_IN_NM_1_42:
                continue
            uuid = iface_to_settings(original, state)["connection"]["uuid"]
            (path,) = await client.call(
                SETTINGS_PATH, SETTINGS_IFACE, "GetConnectionByUuid", "s", [uuid]
            )
            readback.append(await _read(client, path))
    finally:
        client.close()
    back = {i["name"]: i for i in settings_to_ifaces(readback)}
    for original in LIVE:
        if original["name"] not in NOT_IN_NM_1_42:
            assert_contains(back[original["name"]], expected_back(original), original["name"])
