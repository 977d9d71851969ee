"""Route rules as nmstate's integration tests (``tests/integration/route_test.py``) mean
them, checked in the kernel (``ip rule``) of a real NetworkManager sandbox.

One test per behaviour nmstate tests, named after it, on the module's demo host
(eth1 with IPv4 and IPv6 addresses, br0). nmstate's ``_check_ip_rules`` skips
every kernel rule whose source or destination is "all", so its to-only and
family-only checks pass on anything; ``rule_helpers.in_kernel`` compares every
key given. Each test removes every rule afterwards (nmstate's ``clean_up_route_rule``).
Refusals that need no host are in tests/engine_tests/test_routes_like_nmstate.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from engine.errors import InvalidInput
from engine.genconf import gen_conf
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply
from tests.backend_tests.rule_helpers import (
    activate_keyfiles,
    in_kernel,
    kernel_rules,
    matches_in_kernel,
    rules,
    shown_rules,
)

pytestmark = pytest.mark.nm


@pytest.fixture(autouse=True)
async def clean(host: Sandbox) -> AsyncIterator[None]:
    yield
    await apply(host, {"route-rules": {"config": [{"state": "absent"}]}})
    assert kernel_rules(host, "-4") == [] and kernel_rules(host, "-6") == []


# -- adding -----------------------------------------------------------------------------


async def test_route_rule_add_without_from_or_to_or_family(host: Sandbox) -> None:
    with pytest.raises(InvalidInput, match="neither ip-from, ip-to nor family"):
        await apply(host, rules({"route-table": 50}, {"route-table": 50}))
    assert kernel_rules(host, "-4") == []


async def test_route_rule_add_from_only(host: Sandbox) -> None:
    wanted = [
        {"ip-from": "2001:db8:f::/64", "route-table": 50},
        {"ip-from": "192.0.2.0/24", "route-table": 50},
    ]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)


async def test_route_rule_add_to_only(host: Sandbox) -> None:
    wanted = [
        {"ip-to": "2001:db8:f::/64", "route-table": 50},
        {"ip-to": "192.0.2.0/24", "route-table": 50},
    ]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)


NO_PRIORITY = [
    {"ip-from": "2001:db8:a::/64", "ip-to": "2001:db8:f::/64", "route-table": 50},
    {"ip-from": "203.0.113.0/24", "ip-to": "192.0.2.0/24", "route-table": 50},
]


async def test_route_rule_add_without_priority_apply_twice(host: Sandbox) -> None:
    """(Also ``test_route_rule_add_without_priority`` and
    ``test_auto_choose_route_rule_priority``: 30000 up, in the order given.)"""
    await apply(host, rules(*NO_PRIORITY))
    in_kernel(host, *NO_PRIORITY)
    again = await apply(host, rules(*NO_PRIORITY))
    assert again.prepared.plan.steps == [], "the same rules again: nothing to do"
    in_kernel(host, *NO_PRIORITY)
    more = [
        {"ip-from": "2001:db8:b::/64", "ip-to": "2001:db8:e::/64", "route-table": 50},
        {"ip-from": "203.0.113.2", "ip-to": "192.0.2.2", "route-table": 50},
    ]
    await apply(host, rules(*more))
    assert len(await shown_rules(host)) == 4
    priorities = {r["priority"] for r in kernel_rules(host, "-4") + kernel_rules(host, "-6")}
    assert priorities == {30000, 30001, 30002, 30003}


async def test_route_rule_add_without_route_table(host: Sandbox) -> None:
    wanted = [{**r, "priority": 1000} for r in NO_PRIORITY]
    for rule in wanted:
        del rule["route-table"]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)  # route-table 254, expected


async def test_route_rule_add_from_to_single_host(host: Sandbox) -> None:
    wanted = [
        {"ip-from": "2001:db8:a::", "ip-to": "2001:db8:f::/64"},
        {"ip-from": "2001:db8:a::/64", "ip-to": "2001:db8:f::"},
        {"ip-from": "203.0.113.1", "ip-to": "192.0.2.0/24"},
        {"ip-from": "203.0.113.0/24", "ip-to": "192.0.2.1"},
    ]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)
    again = await apply(host, rules(*wanted))
    assert again.prepared.plan.steps == [], "a bare address is the /32 (/128) shown"


async def test_sanitize_route_rule_from_to(host: Sandbox) -> None:
    await apply(
        host,
        rules(
            {"ip-from": "203.0.113.1", "ip-to": "192.0.2.4/24"},
            {"ip-from": "2001:db8::1", "ip-to": "2001:db8::f/64"},
        ),
    )
    in_kernel(
        host,
        {"ip-from": "203.0.113.1/32", "ip-to": "192.0.2.0/24"},
        {"ip-from": "2001:db8::1/128", "ip-to": "2001:db8::/64"},
    )
    shown = {(r["ip-from"], r["ip-to"]) for r in await shown_rules(host)}
    assert shown == {("203.0.113.1/32", "192.0.2.0/24"), ("2001:db8::1/128", "2001:db8::/64")}


async def test_route_rule_fwmark_without_fwmask(host: Sandbox) -> None:
    wanted = [
        {"ip-from": "2001:db8:f::/64", "fwmark": 0x20, "route-table": 50},
        {"ip-from": "192.0.2.0/24", "fwmark": 0x20, "route-table": 50},
    ]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)


@pytest.mark.parametrize("families", [("ipv4", "ipv6"), ("ipv4",), ("ipv6",)])
async def test_route_rule_from_all_to_all(host: Sandbox, families: tuple[str, ...]) -> None:
    """(``_ipv4``, ``_ipv6``: a family-only rule lands in its family only.)"""
    wanted = [{"route-table": 50, "priority": 100, "family": f} for f in families]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)
    for other in {"ipv4", "ipv6"} - set(families):
        assert matches_in_kernel(host, {**wanted[0], "family": other}) == []


async def test_route_rule_iif(host: Sandbox) -> None:
    wanted = [
        {"iif": "eth1", "route-table": 50, "ip-from": "203.0.113.0/24"},
        {"iif": "eth1", "route-table": 50, "ip-from": "2001:db8:e::/64"},
    ]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)


ACTIONS = [
    {"priority": p, "iif": "eth1", "ip-from": src, "action": action}
    for p, src, action in (
        (10000, "192.0.2.1/32", "blackhole"),
        (10001, "192.0.2.2/32", "unreachable"),
        (10002, "192.0.2.3/32", "prohibit"),
        (20000, "2001:db8:1::1/128", "blackhole"),
        (20001, "2001:db8:1::2/128", "unreachable"),
        (20002, "2001:db8:1::3/128", "prohibit"),
    )
]


async def test_route_rule_action(host: Sandbox) -> None:
    await apply(host, rules(*ACTIONS))
    in_kernel(host, *ACTIONS)


async def test_route_rule_suppress_prefix_length(host: Sandbox) -> None:
    wanted = [
        {"ip-from": "2001:db8:f::/64", "suppress-prefix-length": 1, "route-table": 50},
        {"ip-from": "192.0.2.0/24", "route-table": 50, "suppress-prefix-length": 0},
    ]
    await apply(host, rules(*wanted))
    in_kernel(host, *wanted)


async def test_append_route_rule(host: Sandbox) -> None:
    first = [
        {"ip-from": "2001:db8:f::/64", "route-table": 50},
        {"ip-from": "192.0.2.1/32", "route-table": 50},
    ]
    await apply(host, rules(*first))
    second = [
        {"ip-from": "2001:db8:e::/64", "route-table": 50},
        {"ip-from": "192.0.2.2/32", "route-table": 50},
    ]
    await apply(host, {**rules(*second), "interfaces": [{"name": "eth1", "type": "veth"}]})
    in_kernel(host, *first, *second)


async def test_route_rule_add_and_remove_using_loopback(host: Sandbox) -> None:
    """No interface in the desired state: the rule still lands, and goes."""
    rule = {"ip-from": "192.0.2.0/24", "route-table": 200}
    await apply(host, rules(rule))
    in_kernel(host, rule)
    await apply(host, rules({**rule, "state": "absent"}))
    assert matches_in_kernel(host, rule) == []


async def test_add_route_rules_with_the_same_route_table_id_on_diff_ip_stack(
    host: Sandbox,
) -> None:
    """Table 99 holds eth1's IPv4 routes and br0's IPv6 ones; a rule of each family."""
    routes = [
        {"destination": "198.51.100.0/24", "next-hop-interface": "eth1"},
        {"destination": "2001:db8:b::/64", "next-hop-interface": "br0"},
    ]
    routes[0]["next-hop-address"], routes[1]["next-hop-address"] = "192.0.2.1", "2001:db8:2::b"
    await apply(host, {"routes": {"config": [{**r, "table-id": 99} for r in routes]}})
    wanted = [
        {"ip-from": "2001:db8:f::/64", "route-table": 99},
        {"ip-from": "192.0.2.0/24", "route-table": 99},
    ]
    try:
        await apply(host, rules(*wanted))
        in_kernel(host, *wanted)
    finally:
        await apply(host, {"routes": {"config": [{"table-id": 99, "state": "absent"}]}})


async def test_apply_empty_state_preserve_route_rules(host: Sandbox) -> None:
    wanted = [
        {"ip-from": "203.0.113.1", "ip-to": "192.0.2.0/24"},
        {"ip-from": "203.0.113.0/24", "ip-to": "192.0.2.1"},
    ]
    await apply(host, rules(*wanted))
    await apply(host, {"interfaces": []})
    in_kernel(host, *wanted)


# -- removing ---------------------------------------------------------------------------

TWO = [
    {"ip-from": "203.0.113.1/32", "ip-to": "192.0.2.0/24"},
    {"ip-from": "203.0.113.0/24", "ip-to": "192.0.2.1"},
]


@pytest.mark.parametrize("iface", [None, {"name": "eth1"}], ids=["plain", "minimum_iface"])
async def test_route_rule_clear_state(host: Sandbox, iface: dict[str, Any] | None) -> None:
    """(``…_with_minimum_iface_state``: the same with ``interfaces: [{name: eth1}]``.)"""
    await apply(host, rules(*TWO))
    in_kernel(host, *TWO)
    clear: dict[str, Any] = rules({"state": "absent"})
    if iface is not None:
        clear["interfaces"] = [iface]
    await apply(host, clear)
    assert await shown_rules(host) == []
    assert kernel_rules(host, "-4") == []


async def test_route_rule_clear_state_with_ipv6(host: Sandbox) -> None:
    rule = {"ip-from": "2001:db8:a::", "ip-to": "2001:db8:f::/64"}
    await apply(host, rules(rule))
    in_kernel(host, rule)
    await apply(host, rules({"state": "absent"}))
    assert await shown_rules(host) == [] and kernel_rules(host, "-6") == []


async def test_remove_route_rule_with_wildcard(host: Sandbox) -> None:
    await apply(host, rules(*TWO))
    await apply(host, rules({"route-table": 254, "state": "absent"}))
    assert await shown_rules(host) == [] and kernel_rules(host, "-4") == []


async def test_route_rule_remove_specific_rule(host: Sandbox) -> None:
    await apply(host, rules(*TWO))
    await apply(host, rules({**TWO[0], "state": "absent"}))
    assert len(await shown_rules(host)) == 1
    assert matches_in_kernel(host, TWO[0]) == []
    in_kernel(host, TWO[1])


async def test_absent_route_rule_with_empty_ip_from_to(host: Sandbox) -> None:
    with_both = [{**r, "priority": 1000, "route-table": 50} for r in NO_PRIORITY]
    one_side = [
        {"ip-from": "2001:db8:b::/64", "priority": 999, "route-table": 50},
        {"ip-to": "192.0.2.9", "priority": 999, "route-table": 50},
    ]
    await apply(host, rules(*with_both, *one_side))
    assert len(await shown_rules(host)) == 4
    await apply(
        host,
        rules(
            {"state": "absent", "ip-to": "", "route-table": 50},
            {"state": "absent", "ip-from": "", "route-table": 50},
        ),
    )
    assert len(await shown_rules(host)) == 2
    in_kernel(host, *with_both)
    for rule in one_side:
        assert matches_in_kernel(host, rule) == []


async def test_delete_both_route_rule_and_interface(host: Sandbox) -> None:
    bridge = {
        "name": "linux-br0",
        "type": "linux-bridge",
        "bridge": {"port": []},
        "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.251", "prefix-length": 24}]},
        "ipv6": {"enabled": True, "address": [{"ip": "2001:db8:1::1", "prefix-length": 64}]},
    }
    routes = [
        {"destination": "198.51.100.0/24", "next-hop-address": "192.0.2.1", "table-id": 50},
        {"destination": "2001:db8:a::/64", "next-hop-address": "2001:db8:1::a", "table-id": 50},
    ]
    routes = [{**r, "next-hop-interface": "linux-br0"} for r in routes]
    wanted = [
        {"ip-from": "192.168.3.0/24", "route-table": 50},
        {"ip-from": "2001:db8:f::", "route-table": 50},
    ]
    await apply(host, {"interfaces": [bridge], "routes": {"config": routes}, **rules(*wanted)})
    in_kernel(host, *wanted)
    await apply(
        host,
        {
            "interfaces": [{"name": "linux-br0", "type": "linux-bridge", "state": "absent"}],
            **rules({"route-table": 50, "state": "absent"}),
        },
    )
    assert kernel_rules(host, "-4") == [] and kernel_rules(host, "-6") == []
    out = host.run(["ip", "link", "show", "linux-br0"], capture_output=True)
    assert out.returncode != 0, "the bridge is gone"


async def test_gen_conf_route_rule(demo_sandbox: Sandbox) -> None:
    """gen-conf's keyfiles, loaded into NetworkManager and activated on a fresh demo host:
    the rules reach the kernel."""
    eth1 = {
        "name": "eth1",
        "type": "veth",
        "veth": {"peer": "eth1p"},
        "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.10", "prefix-length": 24}]},
        "ipv6": {"enabled": True, "address": [{"ip": "2001:db8:1::10", "prefix-length": 64}]},
    }
    await activate_keyfiles(demo_sandbox, gen_conf({"interfaces": [eth1], **rules(*ACTIONS)}))
    in_kernel(demo_sandbox, *ACTIONS)
