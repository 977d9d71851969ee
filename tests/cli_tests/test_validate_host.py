"""``validate FILE`` without ``--current`` judges references against the live host.

With a host reachable, a port, base, controller or route interface that is
neither in the file nor on the host is an error (exit 2), and one that is on
the host is fine. With no host, the file alone decides (exit 0 or 2) and the
output says that such references were not checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import cli

pytestmark = pytest.mark.nm

UNCHECKED = "references to interfaces not in the file"

# The demo host has eth1, eth2, eth3 and br0; eth9 exists nowhere.
MISSING = {
    "bridge-port": (
        "interfaces:\n- name: br5\n  type: linux-bridge\n  bridge: {port: [{name: eth9}]}\n",
        "interfaces[br5].bridge.port[eth9]",
    ),
    "vlan-base": (
        "interfaces:\n- name: eth9.5\n  type: vlan\n  vlan: {base-iface: eth9, id: 5}\n",
        "interfaces[eth9.5].vlan.base-iface",
    ),
    "controller": (
        "interfaces:\n- name: eth2\n  type: veth\n  controller: br9\n",
        "interfaces[eth2].controller",
    ),
    "route-interface": (
        "routes:\n  config:\n  - {destination: 198.51.100.0/24, next-hop-interface: eth9}\n",
        "routes.config[0].next-hop-interface",
    ),
}
ON_HOST = (
    "interfaces:\n- name: br5\n  type: linux-bridge\n  bridge: {port: [{name: eth3}]}\n"
    "- name: mv5\n  type: mac-vlan\n  mac-vlan: {base-iface: eth1, mode: bridge}\n"
    "routes:\n  config:\n  - {destination: 198.51.100.0/24, next-hop-interface: br0}\n"
)


@pytest.mark.parametrize("case", sorted(MISSING))
def test_reference_missing_on_the_host_is_refused(host: Sandbox, tmp_path: Path, case: str) -> None:
    text, where = MISSING[case]
    path = tmp_path / "state.yml"
    path.write_text(text)
    out = cli(host, "validate", str(path))
    assert out.returncode == 2, out.stdout + out.stderr
    assert where in out.stderr and "does not exist" in out.stderr, out.stderr
    assert UNCHECKED not in out.stderr + out.stdout


def test_reference_on_the_host_is_fine(host: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "state.yml"
    path.write_text(ON_HOST)
    out = cli(host, "validate", str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"{path}: ok\n"
    assert UNCHECKED not in out.stderr


@pytest.mark.parametrize("case", sorted(MISSING))
def test_without_a_host_the_file_decides_and_says_so(
    host: Sandbox, tmp_path: Path, case: str
) -> None:
    text, _ = MISSING[case]
    path = tmp_path / "state.yml"
    path.write_text(text)
    out = cli(host, "validate", str(path), DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path}/none")
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"{path}: ok\n"
    assert UNCHECKED in out.stderr and "not checked" in out.stderr
    # A mistake in the file itself still fails without a host.
    path.write_text(text + "- name: all\n  type: dummy\n" if case != "route-interface" else text)
    if case != "route-interface":
        bad = cli(host, "validate", str(path), DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path}/x")
        assert bad.returncode == 2 and "interfaces[all].name" in bad.stderr, bad.stderr
        assert UNCHECKED in bad.stderr


def test_current_file_still_wins_over_the_host(host: Sandbox, tmp_path: Path) -> None:
    """--current names the state to judge against, even when a host is reachable."""
    text, where = MISSING["vlan-base"]
    path = tmp_path / "state.yml"
    path.write_text(text)
    cur = tmp_path / "cur.yml"
    cur.write_text("interfaces: [{name: eth9, type: ethernet}]\n")
    out = cli(host, "validate", str(path), "--current", str(cur))
    assert out.returncode == 0, out.stderr
    assert where not in out.stderr
