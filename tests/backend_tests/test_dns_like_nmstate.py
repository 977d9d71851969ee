"""DNS as nmstate's integration tests (``tests/integration/dns_test.py``) mean it, on a
real NetworkManager, with the demo's eth1 (static IPv4 and IPv6) as nmstate's eth1.

nmstate's bond cases run on a bridge (this kernel has no bonding). Where the
resolver reads it, the order is checked in the sandbox's resolv.conf as well
as through ``show``. The placement rules themselves are in test_dns_placement;
the engine-only halves in tests/engine_tests/test_dns_order.py.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from engine import checkpoint as lifecycle
from engine.apply import review
from engine.backend.nm_checkpoint import list_paths
from engine.backend.nm_dbus import NMClient
from engine.backend.nm_global_dns import read_global_dns
from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    by_name,
    cli,
    ip,
    live,
    show_text,
    write_state,
)
from tests.backend_tests.test_dns_placement import resolv_servers, wait_for

pytestmark = pytest.mark.nm

V4 = ["8.8.8.8", "1.1.1.1"]
EXTRA_V4 = "9.9.9.9"
V6 = ["2001:4860:4860::8888", "2606:4700:4700::1111"]
EXTRA_V6 = "2620:fe::9"
SEARCHES = ["example.org", "example.com"]
SEARCHES2 = ["example.info", "example.org"]


def resolv_lines(sb: Sandbox, word: str) -> list[str]:
    path = sb.root / "etc-upper" / "resolv.conf"
    text = path.read_text() if path.exists() else ""
    return [line for line in text.splitlines() if line.startswith(word)]


async def dns_config(sb: Sandbox) -> dict[str, Any]:
    return dict((await live(sb))["dns-resolver"]["config"])


async def apply_dns(sb: Sandbox, config: dict[str, Any]) -> None:
    await apply(sb, {"dns-resolver": {"config": config}})


@pytest.fixture
async def static_dns(host: Sandbox) -> AsyncIterator[Sandbox]:
    """nmstate's static_dns: IPv6 then IPv4 server and two searches on the static eth1;
    the host's DNS and eth1 come back afterwards."""
    before = await live(host)
    await apply_dns(host, {"server": [V6[0], V4[0]], "search": list(SEARCHES)})
    yield host
    eth1 = by_name(before)["eth1"]
    config = {"options": [], **before["dns-resolver"]["config"]}  # a partial config keeps them
    await apply(host, {"dns-resolver": {"config": config}, "interfaces": [eth1]})


@pytest.mark.parametrize("servers", [V4, V6], ids=["ipv4", "ipv6"])
async def test_dns_edit_nameserver_with_static_gateway(
    static_dns: Sandbox, servers: list[str]
) -> None:
    config = {"server": servers, "search": SEARCHES}
    await apply_dns(static_dns, config)
    assert await dns_config(static_dns) == config
    await wait_for(lambda: resolv_servers(static_dns) == servers)


ONE_FAMILY_FIRST = {
    "3ipv4": [*V4, EXTRA_V4],
    "3ipv6": [*V6, EXTRA_V6],
    "2ipv4+ipv6": [*V4, EXTRA_V6],
    "2ipv6+ipv4": [*V6, EXTRA_V4],
    "2ipv4+2ipv6": V4 + V6,
    "2ipv6+2ipv4": V6 + V4,
}


@pytest.mark.parametrize("servers", list(ONE_FAMILY_FIRST.values()), ids=list(ONE_FAMILY_FIRST))
async def test_dns_edit_3_more_nameservers(static_dns: Sandbox, servers: list[str]) -> None:
    config = {"server": servers, "search": []}
    await apply_dns(static_dns, config)
    assert await dns_config(static_dns) == config
    await wait_for(lambda: resolv_servers(static_dns) == servers)


ALTERNATING = {
    "ipv4+ipv6+ipv4": [V4[0], EXTRA_V6, V4[1]],
    "ipv6+ipv4+ipv6": [V6[0], EXTRA_V4, V6[1]],
}


async def global_dns(sb: Sandbox) -> dict[str, Any]:
    client = await NMClient.connect(sb.bus_address)
    try:
        return await read_global_dns(client)
    finally:
        client.close()


@pytest.mark.parametrize("servers", list(ALTERNATING.values()), ids=list(ALTERNATING))
async def test_dns_edit_3_more_nameservers_alternating(
    static_dns: Sandbox, servers: list[str]
) -> None:
    """Profiles cannot keep this order; as nmstate, it goes to NM's global DNS, shown and
    in resolv.conf in the order written. DNS that profiles can hold clears it again."""
    config = {"server": servers, "search": []}
    prepared, _ = await review(
        {"dns-resolver": {"config": config}}, static_dns.bus_address, static_dns.name
    )
    assert "DNS: NetworkManager's global DNS (profiles' DNS ignored)" in prepared.plan.describe()
    carrier = prepared.plan.dns_before["ipv4"]
    assert [e.format() for e in prepared.effects if e.subject == "DNS"] == [
        "DNS goes to NetworkManager's global DNS: its servers alternate families, which "
        f"profiles cannot keep in order; DNS leaves the profile of {carrier}"
    ]
    await apply_dns(static_dns, config)
    assert await dns_config(static_dns) == config
    assert await global_dns(static_dns) == {"server": servers}
    await wait_for(lambda: resolv_servers(static_dns) == servers)

    await apply_dns(static_dns, {"server": [V6[0], V4[0]]})
    assert await global_dns(static_dns) == {}
    assert await dns_config(static_dns) == {"server": [V6[0], V4[0]], "search": []}
    await wait_for(lambda: resolv_servers(static_dns) == [V6[0], V4[0]])


async def test_global_dns_is_put_back_by_a_rollback(static_dns: Sandbox) -> None:
    """NetworkManager 1.42's checkpoint does not cover global DNS: the rollback restores
    it itself, and the checked report says the host is as it was."""
    before = show_text(static_dns)
    config = {"server": ALTERNATING["ipv4+ipv6+ipv4"]}
    result = await apply(static_dns, {"dns-resolver": {"config": config}}, commit=False)
    assert result.checkpoint is not None
    client = await NMClient.connect(static_dns.bus_address)
    try:
        during = await read_global_dns(client)
        report = await lifecycle.undo(client, result.checkpoint, static_dns.bus_address)
    finally:
        client.close()
    assert during == {**config, "search": SEARCHES}  # the search list is kept, as merged
    assert report.restored, report.format()
    assert await global_dns(static_dns) == {}
    assert show_text(static_dns) == before


@pytest.mark.parametrize(
    "empty",
    [{"server": [], "search": [], "options": []}, {}],
    ids=["empty_server_search_and_opt", "empty_dict"],
)
async def test_remove_dns_config(static_dns: Sandbox, empty: dict[str, Any]) -> None:
    """Both forms purge servers, search and options. nmstate's show then prints
    ``config: {}``; ours prints the two empty lists."""
    await apply_dns(static_dns, {"options": ["rotate"]})
    await apply(static_dns, {"dns-resolver": {"config": empty}, "interfaces": []})
    assert await dns_config(static_dns) == {"server": [], "search": []}
    await wait_for(lambda: resolv_servers(static_dns) == [])
    assert not resolv_lines(static_dns, "options")


async def test_purge_dns_with_empty_server_and_search(static_dns: Sandbox) -> None:
    """Options not given are kept (nmstate merges them from the current state); with none
    set, the two empty lists purge everything."""
    await apply_dns(static_dns, {"server": [], "search": []})
    assert await dns_config(static_dns) == {"server": [], "search": []}
    await wait_for(lambda: resolv_servers(static_dns) == [])
    await apply_dns(static_dns, {"server": [V4[0]], "options": ["rotate"]})
    await apply_dns(static_dns, {"server": [], "search": []})
    assert await dns_config(static_dns) == {"server": [], "search": [], "options": ["rotate"]}


async def test_preserve_dns_config_with_empty_state(static_dns: Sandbox) -> None:
    before = await dns_config(static_dns)
    result = await apply(static_dns, {"interfaces": []})
    assert result.prepared.plan.steps == []
    assert await dns_config(static_dns) == before == {"server": [V6[0], V4[0]], "search": SEARCHES}


async def test_change_dns_search_only(static_dns: Sandbox) -> None:
    await apply_dns(static_dns, {"search": SEARCHES2})
    assert await dns_config(static_dns) == {"server": [V6[0], V4[0]], "search": SEARCHES2}
    await wait_for(lambda: resolv_lines(static_dns, "search") == ["search " + " ".join(SEARCHES2)])


async def test_change_dns_server_only(static_dns: Sandbox) -> None:
    await apply_dns(static_dns, {"server": [V6[1], V4[1]]})
    assert await dns_config(static_dns) == {"server": [V6[1], V4[1]], "search": SEARCHES}


async def test_set_and_remove_dns_options(static_dns: Sandbox) -> None:
    """Options alone: the servers and the search list stay. The profile is activated
    again, not Reapplied: NetworkManager 1.42 dies on a Reapply of dns-options."""
    options = {"dns-resolver": {"config": {"options": ["rotate", "debug"]}}}
    prepared, _ = await review(options, static_dns.bus_address, static_dns.name)
    carrier = prepared.plan.dns_before["ipv4"]  # eth1, or br0 once global DNS was cleared
    assert [(s.action, s.iface) for s in prepared.plan.steps] == [
        ("update", carrier),
        ("activate", carrier),
    ]
    assert "dns-options" in prepared.plan.steps[1].why
    await apply(static_dns, options)
    config = await dns_config(static_dns)
    assert set(config["options"]) == {"rotate", "debug"}
    assert config["server"] == [V6[0], V4[0]] and config["search"] == SEARCHES
    await wait_for(lambda: resolv_servers(static_dns) == [V6[0], V4[0]])


async def test_remove_all_dns_options(static_dns: Sandbox) -> None:
    await apply_dns(static_dns, {"options": ["debug", "rotate"]})
    await apply_dns(static_dns, {"options": []})
    assert await dns_config(static_dns) == {"server": [V6[0], V4[0]], "search": SEARCHES}
    await wait_for(lambda: not resolv_lines(static_dns, "options"))


async def test_set_dns_option_with_value(static_dns: Sandbox) -> None:
    await apply_dns(static_dns, {"options": ["rotate", "debug", "ndots:9"]})
    assert "ndots:9" in (await dns_config(static_dns))["options"]
    await wait_for(lambda: any("ndots:9" in line for line in resolv_lines(static_dns, "options")))


@pytest.mark.parametrize("option", ["haha", "ndot:9"])
async def test_set_invalid_dns_options(static_dns: Sandbox, option: str) -> None:
    """set_invalid_dns_options and invalid_dns_option_with_value: refused, nothing changes."""
    before = show_text(static_dns)
    with pytest.raises(InvalidInput) as refused:
        await apply_dns(static_dns, {"options": ["rotate", "debug", option]})
    assert "dns-resolver.config.options[2]" in str(refused.value)
    assert show_text(static_dns) == before


async def test_uncompare_dns_servers(static_dns: Sandbox) -> None:
    """Servers are compared canonically: an upper-case, uncompressed IPv6 server and an
    IPv4-mapped one (shown with its dotted tail, as nmstate prints it) verify."""
    await apply_dns(static_dns, {"server": ["2001:Db8:0:0:0:0:0:1", "::fFfF:192.0.2.1"]})
    assert (await dns_config(static_dns))["server"] == ["2001:db8::1", "::ffff:192.0.2.1"]


async def test_changed_dns_from_port_to_controller(static_dns: Sandbox) -> None:
    """nmstate's bond case on a bridge: eth1 becomes br1's port, its addresses and the
    DNS go to br1, servers and search in reverse order."""
    eth1 = copy.deepcopy(by_name(await live(static_dns))["eth1"])
    config = {"server": [V4[0], V6[0]], "search": list(reversed(SEARCHES))}
    state = {
        "dns-resolver": {"config": config},
        "interfaces": [
            {
                "name": "br1",
                "type": "linux-bridge",
                "bridge": {"options": {"stp": {"enabled": False}}, "port": [{"name": "eth1"}]},
                "ipv4": eth1["ipv4"],
                "ipv6": {**eth1["ipv6"], "address": [ip("2001:db8:1::10", 64)]},
            },
            {
                "name": "eth1",
                "type": "veth",
                "ipv4": {"enabled": False},
                "ipv6": {"enabled": False},
            },
        ],
    }
    try:
        await apply(static_dns, state)
        shown = await live(static_dns)
        assert shown["dns-resolver"]["config"] == config
        assert by_name(shown)["eth1"]["controller"] == "br1"
        await wait_for(lambda: resolv_servers(static_dns) == config["server"])
    finally:
        await apply(
            static_dns,
            {
                "dns-resolver": {"config": {}},
                "interfaces": [{"name": "br1", "type": "linux-bridge", "state": "absent"}],
            },
        )


async def test_global_dns_is_put_back_when_nms_timer_rolls_back(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    """``apply --no-commit`` exits; NM's timer rolls back later without it. The
    detached guardian restores the global DNS NM's checkpoint leaves set."""
    sb = demo_sandbox
    state = {"dns-resolver": {"config": {"server": ALTERNATING["ipv6+ipv4+ipv6"]}}}
    out = cli(sb, "apply", "--no-commit", "--timeout", "3", write_state(tmp_path, "g.yml", state))
    assert out.returncode == 0, out.stderr
    assert (await global_dns(sb))["server"] == ALTERNATING["ipv6+ipv4+ipv6"]

    async def restored() -> bool:
        client = await NMClient.connect(sb.bus_address)
        try:
            return not await list_paths(client) and not await read_global_dns(client)
        finally:
            client.close()

    deadline = time.monotonic() + 30
    while not await restored():
        assert time.monotonic() < deadline, "global DNS was not put back"
        await asyncio.sleep(0.1)
    assert (await dns_config(sb))["server"] == ["192.0.2.53", "2001:db8:1::53"]
