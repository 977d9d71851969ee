"""hsr, macsec and ipsec on this host: refused with the reason, rolled back, host as before.

NetworkManager 1.42 has no hsr setting (1.46 added it), this kernel has no
macsec or hsr driver, and an ipsec (VPN) profile needs the libreswan plugin
and a connection to run over. Each apply must end in exit 1 with a message
that says so, never a traceback, and leave the host as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import cli, show_text

pytestmark = pytest.mark.nm

CASES: dict[str, tuple[str, list[str]]] = {
    "hsr": (
        "interfaces:\n- name: hsr0\n  type: hsr\n"
        "  hsr: {port1: eth1, port2: eth2, multicast-spec: 40, protocol: prp}\n",
        ["hsr: unknown setting name", "from 1.46"],
    ),
    "macsec": (
        "interfaces:\n- name: macsec0\n  type: macsec\n  macsec:\n    base-iface: eth1\n"
        "    mka-cak: 50b71a8ef0bd5751ea76de6d6c98c03a\n    mka-ckn: f2b4297d39da7330\n",
        ["this kernel lacks macsec support"],
    ),
    "ipsec": (
        "interfaces:\n- name: hosta_conn\n  type: ipsec\n  ipv4: {enabled: true, dhcp: true}\n"
        "  libreswan: {right: 192.0.2.252, psk: psk_password, ikev2: insist}\n",
        ["VPN profile", "libreswan plugin"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cannot_apply_here_says_why(host: Sandbox, tmp_path: Path, case: str) -> None:
    text, words = CASES[case]
    path = tmp_path / "state.yml"
    path.write_text(text)
    before = show_text(host)
    out = cli(host, "apply", "--timeout", "15", str(path))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    for word in words:
        assert word in out.stderr, (word, out.stderr)
    assert "psk_password" not in out.stderr + out.stdout
    assert "50b71a8ef0bd5751ea76de6d6c98c03a" not in out.stderr + out.stdout
    assert "rolled back" in out.stderr
    assert show_text(host) == before


def test_ovs_is_refused_before_the_host_is_touched(host: Sandbox, tmp_path: Path) -> None:
    """gen-conf writes OVS keyfiles, but apply has no OVS plan (nor this NM an OVS plugin)."""
    path = tmp_path / "ovs.yml"
    path.write_text(
        "interfaces:\n- name: ovs-br0\n  type: ovs-bridge\n  bridge: {port: [{name: eth1}]}\n"
    )
    before = show_text(host)
    out = cli(host, "apply", str(path))
    assert out.returncode == 2, out.stderr
    assert "ovs-bridge" in out.stderr and "no NetworkManager translation" in out.stderr
    assert show_text(host) == before
