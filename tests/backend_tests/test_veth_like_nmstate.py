"""veth pairs as nmstate's integration tests (``tests/integration/veth_test.py``) mean
them, on a real NetworkManager and kernel: veth1 with its peer veth1peer.

nmstate's ``eth_with_veth_conf`` needs a NIC that is not a veth (the demo's are
veths), its kernel mode and OVS cases have no counterpart here, and its VLAN case
needs 8021q; the rest is here.
"""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from engine.errors import InvalidInput
from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import (
    apply,
    by_name,
    cli,
    live,
    profile_ifaces,
    show_text,
    write_state,
)

pytestmark = pytest.mark.nm

VETH1, VETH1PEER, VETH2PEER = "veth1", "veth1peer", "veth2peer"


def veth(name: str = VETH1, peer: str = VETH1PEER, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "veth", "state": "up", "veth": {"peer": peer}, **extra}


def kernel_link(sb: Sandbox, name: str) -> str:
    out = subprocess.run(
        ["ip", "-n", sb.name, "-d", "link", "show", "dev", name], capture_output=True, text=True
    )
    return out.stdout if out.returncode == 0 else ""


async def assert_absent(sb: Sandbox, *names: str) -> None:
    shown, profiles = by_name(await live(sb)), await profile_ifaces(sb)
    for name in names:
        assert name not in shown and name not in profiles and kernel_link(sb, name) == ""


@pytest.fixture
async def clean(host: Sandbox) -> AsyncIterator[Sandbox]:
    yield host
    gone = [{"name": n, "state": "absent"} for n in (VETH1, VETH1PEER, VETH2PEER)]
    await apply(host, {"interfaces": gone})
    await assert_absent(host, VETH1, VETH1PEER, VETH2PEER)


async def test_add_veth_with_ethernet_peer(clean: Sandbox) -> None:
    """The peer may be described as an ethernet interface: it is one end of the pair."""
    desired = [veth(), {"name": VETH1PEER, "type": "ethernet", "state": "up"}]
    await apply(clean, {"interfaces": desired})
    shown = by_name(await live(clean))
    assert shown[VETH1]["state"] == shown[VETH1PEER]["state"] == "up"
    assert shown[VETH1]["veth"]["peer"] == VETH1PEER
    assert shown[VETH1PEER]["veth"]["peer"] == VETH1


async def test_add_veth_with_veth_peer_in_desire(clean: Sandbox) -> None:
    await apply(clean, {"interfaces": [veth(), veth(VETH1PEER, VETH1)]})
    shown = by_name(await live(clean))
    assert shown[VETH1]["state"] == shown[VETH1PEER]["state"] == "up"
    assert "state UP" in kernel_link(clean, VETH1) and "state UP" in kernel_link(clean, VETH1PEER)


async def test_modify_veth_peer(clean: Sandbox, tmp_path: Path) -> None:
    """A new peer is a new pair (NM cannot rename the far end): the preview says the
    link is re-created, and apply does it."""
    await apply(clean, {"interfaces": [veth()]})
    desired = {"interfaces": [veth(peer=VETH2PEER)]}
    preview = cli(clean, "diff", write_state(tmp_path, "peer.yml", desired))
    assert preview.returncode == 0, preview.stderr
    assert "re-created" in preview.stdout
    await apply(clean, desired)
    shown = by_name(await live(clean))
    assert shown[VETH1]["veth"]["peer"] == VETH2PEER and VETH2PEER in shown
    assert VETH1PEER not in shown and kernel_link(clean, VETH1PEER) == ""
    assert len((await profile_ifaces(clean))[VETH1]) == 1


async def test_veth_enable_and_disable_accept_all_mac_addresses(clean: Sandbox) -> None:
    desired = veth()
    await apply(clean, {"interfaces": [desired]})
    for wanted in (True, False):
        desired["accept-all-mac-addresses"] = wanted
        await apply(clean, {"interfaces": [desired]})
        assert by_name(await live(clean))[VETH1]["accept-all-mac-addresses"] is wanted
        assert f"promiscuity {int(wanted)}" in kernel_link(clean, VETH1)


async def test_veth_without_peer_fails(host: Sandbox, tmp_path: Path) -> None:
    """A new veth needs its peer's name: refused before anything is touched, with
    nmstate's words and exit 2 from every command that plans or writes it, no traceback.
    ``validate`` sees no NM profiles, so it cannot tell a new veth from one set down
    (whose profile names the peer) and leaves it to those."""
    before = show_text(host)
    desired = {"interfaces": [{"name": VETH1, "type": "veth", "state": "up"}]}
    with pytest.raises(InvalidInput, match="peer name is required"):
        await apply(host, desired)
    path = write_state(tmp_path, "nopeer.yml", desired)
    for command in ("apply", "diff", "gen-conf"):
        out = cli(host, command, path)
        assert out.returncode == 2, (command, out.stdout, out.stderr)
        assert "Traceback" not in out.stderr, (command, out.stderr)
        assert "peer name is required" in out.stderr, (command, out.stderr)
    assert "Traceback" not in cli(host, "validate", path).stderr
    assert show_text(host) == before


async def test_new_veth_with_ipv6_only(clean: Sandbox) -> None:
    ipv6 = {"enabled": True, "address": [{"ip": "2001:db8:a::1", "prefix-length": 64}]}
    desired = veth(ipv4={"enabled": False}, ipv6=ipv6)
    await apply(clean, {"interfaces": [desired]})
    shown = by_name(await live(clean))[VETH1]
    assert shown["ipv4"] == {"enabled": False}
    assert shown["ipv6"]["enabled"] is True and shown["ipv6"]["address"] == ipv6["address"]
