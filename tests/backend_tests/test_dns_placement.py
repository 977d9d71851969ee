"""Where DNS lands, and in what order, as nmstate means it (its dns_edit_eth1 example).

NetworkManager keeps IPv4 and IPv6 name servers apart per profile and
orders configurations by ``dns-priority``; resolv.conf (written inside the
sandbox's /etc overlay) is what the host's resolver reads, so the order is
checked there as well as through ``show``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import apply, ip, live

pytestmark = pytest.mark.nm

EDIT_ETH1: dict[str, Any] = {  # nmstate's examples/dns_edit_eth1.yml, eth1 being a veth here
    "dns-resolver": {
        "config": {
            "search": ["example.com", "example.org"],
            "server": ["2001:4860:4860::8888", "8.8.8.8"],
            "options": ["rotate", "debug"],
        }
    },
    "interfaces": [
        {
            "name": "eth1",
            "type": "veth",
            "state": "up",
            "ipv4": {"enabled": True, "dhcp": False, "address": [ip("192.0.2.10", 24)]},
            "ipv6": {
                "enabled": True,
                "dhcp": False,
                "autoconf": False,
                "address": [ip("2001:db8:1::a", 64)],
            },
        }
    ],
}


def resolv_servers(sb: Sandbox) -> list[str]:
    """The nameserver lines of the resolv.conf NetworkManager wrote for the sandbox."""
    path = sb.root / "etc-upper" / "resolv.conf"
    if not path.exists():
        return []
    return [
        line.split()[1] for line in path.read_text().splitlines() if line.startswith("nameserver")
    ]


async def wait_for(cond: Callable[[], bool], timeout: float = 20) -> None:
    """Poll ``cond`` until it holds: NM writes resolv.conf after the reapply returns."""
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def dns_config(state: dict[str, Any]) -> dict[str, Any]:
    return dict(state["dns-resolver"]["config"])


async def test_server_order_is_kept_across_families(demo_sandbox: Sandbox) -> None:
    """IPv6 first as written: NM would list IPv4 first unless priorities say otherwise."""
    await apply(demo_sandbox, EDIT_ETH1)
    config = dns_config(await live(demo_sandbox))
    assert config["server"] == ["2001:4860:4860::8888", "8.8.8.8"]
    assert config["search"] == ["example.com", "example.org"]
    assert config["options"] == ["rotate", "debug"]
    await wait_for(lambda: resolv_servers(demo_sandbox) == ["2001:4860:4860::8888", "8.8.8.8"])

    reverse = {"dns-resolver": {"config": {"server": ["8.8.4.4", "2001:4860:4860::8844"]}}}
    await apply(demo_sandbox, reverse)
    config = dns_config(await live(demo_sandbox))
    assert config["server"] == ["8.8.4.4", "2001:4860:4860::8844"]
    assert config["search"] == ["example.com", "example.org"]  # a partial section keeps the rest
    await wait_for(lambda: resolv_servers(demo_sandbox) == ["8.8.4.4", "2001:4860:4860::8844"])


async def test_dns_follows_the_desired_state_not_the_current_one(demo_sandbox: Sandbox) -> None:
    """From eth1 with IPv4 off, the same file applies: DNS goes where IPv4 will be, not was."""
    await apply(
        demo_sandbox, {"interfaces": [{"name": "eth1", "type": "veth", "ipv4": {"enabled": False}}]}
    )
    await apply(demo_sandbox, EDIT_ETH1)
    config = dns_config(await live(demo_sandbox))
    assert config["server"] == ["2001:4860:4860::8888", "8.8.8.8"]


async def test_empty_config_purges_dns(demo_sandbox: Sandbox) -> None:
    """nmstate's examples/dns_remove.yml: ``config: {}`` removes servers, search and options."""
    await apply(demo_sandbox, EDIT_ETH1)
    await apply(demo_sandbox, {"dns-resolver": {"config": {}}, "interfaces": []})
    config = dns_config(await live(demo_sandbox))
    assert config["server"] == [] and config["search"] == [] and "options" not in config
    await wait_for(lambda: resolv_servers(demo_sandbox) == [])


def test_resolv_conf_is_the_sandboxes_own(demo_sandbox: Sandbox) -> None:
    """The file read above is the sandbox's, not the host's."""
    assert Path("/etc/resolv.conf").resolve() != demo_sandbox.root / "etc-upper" / "resolv.conf"
