"""Benchmark of the engine's hot path: validate + merge + diff on growing states.

Run ``python bench/engine.py``. Every keystroke-level preview in the UI runs
this path, so it must stay far below human reaction time even for hosts with
a thousand links (target: under 100 ms at N = 1000) and grow linearly.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and its own name
# ("engine") would shadow the engine package: put the repository first instead.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from engine.diff import diff  # noqa: E402
from engine.merge import merge  # noqa: E402

Validate = Callable[[dict[str, Any], dict[str, Any]], Any]
try:
    from engine.validate import validate as _validate

    VALIDATE: Validate | None = _validate
except ImportError:  # the validator is optional for this benchmark
    VALIDATE = None

SIZES = (10, 100, 1000)
REPEAT = 5
GROUP = 10  # interfaces per generated group


def _iface(name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind,
        "state": "up",
        "mtu": 1500,
        "ipv4": {"enabled": False},
        "ipv6": {"enabled": False},
        **extra,
    }


def host_state(n: int) -> dict[str, Any]:
    """A consistent host with ``n`` interfaces: bridges over veths and vlans on bonds."""
    ifaces: list[dict[str, Any]] = []
    routes: list[dict[str, Any]] = []
    for g in range(max(1, n // GROUP)):
        br, bond, vlan = f"br{g}", f"bond{g}", f"bond{g}.{g % 4094 + 1}"
        veth_a, veth_b = f"veth{g}a", f"veth{g}b"
        eths = [f"eth{g}{c}" for c in "abcde"]
        ifaces += [
            _iface(
                br,
                "linux-bridge",
                bridge={
                    "options": {"stp": {"enabled": False}},
                    "port": [{"name": veth_a}, {"name": vlan}],
                },
                ipv4={
                    "enabled": True,
                    "dhcp": False,
                    "address": [{"ip": f"10.{g // 250}.{g % 250}.1", "prefix-length": 24}],
                },
            ),
            _iface(veth_a, "veth", veth={"peer": veth_b}, controller=br),
            _iface(veth_b, "veth", veth={"peer": veth_a}),
            _iface(
                bond,
                "bond",
                **{
                    "link-aggregation": {
                        "mode": "active-backup",
                        "options": {"miimon": 100},
                        "port": eths[:2],
                    }
                },
            ),
            _iface(vlan, "vlan", vlan={"base-iface": bond, "id": g % 4094 + 1}, controller=br),
            *(_iface(e, "ethernet", controller=bond) for e in eths[:2]),
            *(_iface(e, "ethernet") for e in eths[2:]),
        ]
        routes.append(
            {
                "destination": f"172.{16 + g // 250}.{g % 250}.0/24",
                "next-hop-address": f"10.{g // 250}.{g % 250}.254",
                "next-hop-interface": br,
            }
        )
    return {
        "hostname": {"config": "bench"},
        "dns-resolver": {"config": {"server": ["192.0.2.53"], "search": ["example.com"]}},
        "routes": {"config": routes},
        "interfaces": ifaces[:n] if n >= GROUP else ifaces,
    }


def desired_state(host: dict[str, Any]) -> dict[str, Any]:
    """Touch about 10% of the interfaces: new MTUs, an address, a few new vlans."""
    changes: list[dict[str, Any]] = []
    for i, iface in enumerate(host["interfaces"]):
        if i % 10 == 0:
            changes.append({"name": iface["name"], "mtu": 9000})
        elif i % 10 == 7:
            changes.append(
                {"name": iface["name"], "ipv4": {"address": [f"192.0.2.{i % 250 + 1}/24"]}}
            )
    groups = max(1, len(host["interfaces"]) // GROUP)
    changes += [
        {"name": f"eth{g}c.100", "type": "vlan", "vlan": {"base-iface": f"eth{g}c", "id": 100}}
        for g in range(0, groups, 10)
    ]
    return {
        "interfaces": changes,
        "routes": {
            "config": [
                {
                    "destination": "0.0.0.0/0",
                    "next-hop-interface": "br0",
                    "next-hop-address": "10.0.0.254",
                }
            ]
        },
    }


def best_ms(fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> int:
    header = f"{'N':>6} {'validate':>10} {'merge':>9} {'diff':>9} {'total':>9} {'xprev':>7}"
    print(header)
    print("-" * len(header))
    previous: float | None = None
    total = 0.0
    for n in SIZES:
        host = host_state(n)
        desired = desired_state(host)
        merged = merge(desired, host)
        validate = VALIDATE
        v_ms = best_ms(lambda: validate(desired, host)) if validate else 0.0  # noqa: B023
        m_ms = best_ms(lambda: merge(desired, host))  # noqa: B023
        d_ms = best_ms(lambda: diff(host, merged))  # noqa: B023
        total = v_ms + m_ms + d_ms
        scale = f"{total / previous:6.1f}x" if previous else "      -"
        v_txt = f"{v_ms:8.1f}ms" if validate else "   skipped"
        print(
            f"{len(host['interfaces']):>6} {v_txt:>10} {m_ms:7.1f}ms {d_ms:7.1f}ms "
            f"{total:7.1f}ms {scale}"
        )
        previous = total
    target = 100.0
    verdict = "OK" if total < target else "SLOW"
    print(
        f"\n{verdict}: {total:.1f} ms at N={SIZES[-1]} (target < {target:.0f} ms, best of {REPEAT})"
    )
    return 0 if total < target else 1


if __name__ == "__main__":
    sys.exit(main())
