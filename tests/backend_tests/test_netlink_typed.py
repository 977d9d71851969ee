"""The kernel-filtered route dumps return exactly what pyroute2's filtered dumps did."""

from __future__ import annotations

import socket
import subprocess
from typing import Any

from pyroute2 import IPRoute

from engine.backend.netlink_routes import DUMP_TYPES
from engine.backend.netlink_typed import typed_routes
from engine.backend.netns import netlink_fd
from nmtui_state.sandbox import Sandbox


def _key(m: Any) -> tuple[Any, ...]:
    attrs = ("RTA_DST", "RTA_TABLE", "RTA_OIF", "RTA_PRIORITY", "RTA_GATEWAY", "RTA_PREFSRC")
    return (m["family"], m["type"], m["dst_len"], *(m.get_attr(a) for a in attrs))


def test_typed_dumps_match_pyroute2(demo_sandbox: Sandbox) -> None:
    for route in (
        "blackhole 198.51.100.0/24",
        "unreachable 2001:db8:9::/48",
        "prohibit 203.0.113.128/25 table 100",
    ):
        subprocess.run(["ip", "-n", demo_sandbox.name, "route", "add", *route.split()], check=True)
    with IPRoute(fileno=netlink_fd(demo_sandbox.name), strict_check=True) as ipr:
        old = [
            m
            for kind in DUMP_TYPES
            for m in ipr.route("dump", family=socket.AF_UNSPEC, dump_filter={"type": kind})
            if m["type"] == kind and m["family"] in (socket.AF_INET, socket.AF_INET6)
        ]
    new = typed_routes(netlink_fd(demo_sandbox.name), DUMP_TYPES)
    assert sorted(map(_key, new), key=str) == sorted(map(_key, old), key=str)
    kinds = {m["type"] for m in new}
    assert {1, 6, 7, 8} <= kinds  # unicast and each typed kind came back
