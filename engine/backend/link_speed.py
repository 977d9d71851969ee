"""Link speed and duplex from the kernel's ethtool ioctl, inside the host's netns.

``/sys/class/net/X/speed`` shows the namespace that mounted sysfs, not the
one we read (a sandbox's netns, or a root shell's after ``ip netns exec``
without a remount), so the value would belong to another link or be
missing. ``SIOCETHTOOL`` on a socket opened inside the namespace asks the
driver of that namespace's link instead: one syscall per link, no files.
Only links with carrier are asked (without one, drivers answer "unknown").
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import socket
import struct
from typing import Any

from engine.backend.netns import socket_fd

SIOCETHTOOL = 0x8946
ETHTOOL_GSET = 0x00000001
# struct ethtool_cmd: cmd, supported, advertising (u32), speed (u16), duplex, port, phy_address,
# transceiver, autoneg, mdio_support (u8), maxtxpkt, maxrxpkt (u32), speed_hi (u16),
# eth_tp_mdix, eth_tp_mdix_ctrl (u8), lp_advertising (u32), reserved[2] (u32)
ETHTOOL_CMD = struct.Struct("=IIIHBBBBBBIIHBBIII")
IFNAMSIZ = 16
IFREQ_SIZE = 40
SPEED_UNKNOWN = 0xFFFFFFFF
DUPLEX = {0: "half", 1: "full"}


def _one(sock: socket.socket, name: str) -> dict[str, Any]:
    """``{"speed": Mb/s, "duplex": word}`` of ``name``; empty when the driver does not say."""
    buf = array.array("B", ETHTOOL_CMD.pack(ETHTOOL_GSET, *([0] * 17)))
    addr, _ = buf.buffer_info()
    ifreq = struct.pack(f"{IFNAMSIZ}sP", name.encode()[: IFNAMSIZ - 1], addr)
    ifreq += b"\0" * (IFREQ_SIZE - len(ifreq))
    try:
        fcntl.ioctl(sock.fileno(), SIOCETHTOOL, ifreq)
    except OSError:  # no ethtool support (bridge, loopback), or the link just went away
        return {}
    fields = ETHTOOL_CMD.unpack(buf.tobytes())
    speed = fields[3] | (fields[12] << 16)
    out: dict[str, Any] = {}
    if speed not in (0, SPEED_UNKNOWN, 0xFFFF):
        out["speed"] = speed
    if fields[4] in DUPLEX:
        out["duplex"] = DUPLEX[fields[4]]
    return out


def read_speeds(netns: str | None, names: list[str]) -> dict[str, dict[str, Any]]:
    """Speed and duplex per link name (those a driver reports), read inside ``netns``."""
    if not names:
        return {}
    if netns:
        sock = socket.socket(fileno=socket_fd(netns, socket.AF_INET, socket.SOCK_DGRAM))
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with contextlib.closing(sock):
        out = {name: _one(sock, name) for name in names}
    return {name: facts for name, facts in out.items() if facts}
