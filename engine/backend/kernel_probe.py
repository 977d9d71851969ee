"""Which link kinds can this kernel create? Asked in a throwaway network namespace.

NetworkManager reports a failed activation but not that the kernel lacks
the driver (vlan, bond, dummy, vrf ... may be missing from a minimal
kernel). Creating a probe link in a fresh, private netns answers exactly
that without touching any namespace anyone uses.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

# Stacked kinds need a base link that can carry them: a veth (loopback cannot).
BASE = "ip link add pb1 type veth peer name pb2 && "
PROBES: dict[str, str] = {
    "vlan": BASE + "ip link add link pb1 name pb0 type vlan id 2",
    "macvlan": BASE + "ip link add link pb1 name pb0 type macvlan",
    "macvtap": BASE + "ip link add link pb1 name pb0 type macvtap",
    "ipvlan": BASE + "ip link add link pb1 name pb0 type ipvlan",
    "vxlan": "ip link add pb0 type vxlan id 1 dstport 4789",
    "veth": "ip link add pb0 type veth peer name pb1",
    "vrf": "ip link add pb0 type vrf table 10",
    "macsec": BASE + "ip link add link pb1 name pb0 type macsec",
    "hsr": BASE + "ip link add pb3 type veth peer name pb4 && "
    "ip link add name pb0 type hsr slave1 pb1 slave2 pb3",
    # Not a link kind: a bridge option that needs CONFIG_BRIDGE_VLAN_FILTERING.
    "bridge-vlan-filtering": "ip link add pb0 type bridge vlan_filtering 1",
}
VLAN_FILTERING = "bridge-vlan-filtering"


@cache
def kernel_has(kind: str) -> bool | None:
    """True/False when the probe could run, None when it could not (no root, no unshare)."""
    unshare = shutil.which("unshare")
    if not unshare:
        return None
    script = PROBES.get(kind, f"ip link add pb0 type {kind}")
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    try:
        result = subprocess.run(
            [unshare, "--net", "/bin/sh", "-c", script],
            capture_output=True,
            text=True,
            timeout=10,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode == 0:
        return True
    err = result.stderr.lower()
    if "unknown device type" in err or "not supported" in err or "no such device" in err:
        return False
    return None


def missing_kinds(kinds: set[str]) -> set[str]:
    """The kinds among ``kinds`` the kernel certainly cannot create."""
    return {kind for kind in kinds if kernel_has(kind) is False}
