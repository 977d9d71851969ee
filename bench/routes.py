"""Route benchmark: apply N static routes on one interface, ours vs NM's floor vs the peer.

Run ``python bench/routes.py [--sizes 10,100] [--repeat 3]`` (root; see
bench/README.md). Each cell is one fresh demo sandbox, whose eth1 has
192.0.2.10/24; the routes go to 198.18.x.0/24 (RFC 2544 benchmarking space)
via 192.0.2.1 and exist only inside the sandbox's netns. Contenders:

* **ours**: ``engine.apply.apply_async`` with a ``routes`` section only
  (validate, merge, diff, plan, checkpoint, Update2 + Reapply, verify,
  commit), timed inside a fresh process around the call (as bench/apply.py);
* **floor**: NetworkManager's least work for the same result: the profile
  read once (untimed), then ``Update2`` with the routes added and
  ``Reapply``, until the kernel has every route. No checkpoint, no
  verification, no read of the current state;
* **peer**: ``libnmstate.apply()`` 0.3.6 with the same state (bench/peer.py).

All contenders keep profiles in memory (``--memory-only`` for ours, in-memory
Update2 for the floor, ``save_to_disk=False`` for the peer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from dbus_fast import Variant  # noqa: E402

from bench import peer  # noqa: E402
from bench.apply import compile_ours, ours_api  # noqa: E402
from engine.backend.nm_dbus import (  # noqa: E402
    CONNECTION_IFACE,
    DEVICE_IFACE,
    NM_IFACE,
    NM_PATH,
    NMClient,
)
from engine.backend.nm_exec import IN_MEMORY  # noqa: E402
from engine.backend.nm_read import read_profiles  # noqa: E402
from nmtui_state.sandbox import Sandbox  # noqa: E402

SIZES = (10, 100)
IFACE = "br0"  # a linux-bridge: libnmstate 0.3.6 cannot update a veth profile
GATEWAY = "198.51.100.254"
WAIT_SECONDS = 60.0


def destination(i: int) -> str:
    return f"198.18.{i // 256}.{i % 256}" if i >= 256 else f"198.18.{i}.0"


def routes_state(n: int) -> dict[str, Any]:
    """The nmstate state: ``n`` routes on eth1, nothing else."""
    return {
        "routes": {
            "config": [
                {
                    "destination": f"{destination(i)}/24",
                    "next-hop-address": GATEWAY,
                    "next-hop-interface": IFACE,
                    "metric": 150,
                    "table-id": 254,
                }
                for i in range(n)
            ]
        }
    }


def kernel_routes(sb: Sandbox) -> set[str]:
    out = sb.run(["ip", "-j", "-4", "route", "show", "dev", IFACE], capture_output=True)
    return {r["dst"] for r in json.loads(out.stdout or "[]") if r.get("gateway") == GATEWAY}


def wait_kernel(sb: Sandbox, n: int) -> None:
    wanted = {f"{destination(i)}/24" for i in range(n)}
    deadline = time.monotonic() + WAIT_SECONDS
    while not wanted <= kernel_routes(sb):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel did not get all {n} routes")
        time.sleep(0.005)


async def _floor(sb: Sandbox, n: int) -> float:
    client = await NMClient.connect(sb.bus_address)
    try:
        profiles = await read_profiles(client)
        path = next(p for p, s in profiles if s["connection"].get("interface-name") == IFACE)
        (settings,) = await client.call(path, CONNECTION_IFACE, "GetSettings", raw=True)
        (device,) = await client.call(NM_PATH, NM_IFACE, "GetDeviceByIpIface", "s", [IFACE])
        ipv4 = settings["ipv4"]
        for legacy in ("routes", "addresses"):  # the legacy forms would override the -data ones
            ipv4.pop(legacy, None)
        ipv4["route-data"] = Variant(
            "aa{sv}",
            [
                {
                    "dest": Variant("s", destination(i)),
                    "prefix": Variant("u", 24),
                    "next-hop": Variant("s", GATEWAY),
                    "metric": Variant("u", 150),
                }
                for i in range(n)
            ],
        )
        start = time.perf_counter()
        await client.call(
            path, CONNECTION_IFACE, "Update2", "a{sa{sv}}ua{sv}", [settings, IN_MEMORY, {}]
        )
        await client.call(device, DEVICE_IFACE, "Reapply", "a{sa{sv}}tu", [{}, 0, 0])
        await asyncio.to_thread(wait_kernel, sb, n)
        return time.perf_counter() - start
    finally:
        client.close()


def floor(sb: Sandbox, n: int) -> float:
    return asyncio.run(_floor(sb, n))


def ours(sb: Sandbox, n: int) -> float:
    seconds = ours_api(sb, routes_state(n), memory_only=True, bounded=False)
    if len(kernel_routes(sb)) < n:
        raise RuntimeError("ours returned before the kernel had the routes")
    return seconds


def the_peer(sb: Sandbox, n: int) -> float:
    seconds = peer.apply_seconds(sb, routes_state(n), memory_only=True)
    if len(kernel_routes(sb)) < n:
        raise RuntimeError("the peer returned before the kernel had the routes")
    return seconds


def prepare(sb: Sandbox) -> None:
    """Untimed, for every contender: drop the demo host's DNS.

    libnmstate 0.3.6 re-places every DNS server on each apply and finds no
    interface it accepts for the demo's IPv6 server (eth1 is a veth, a type it
    does not know), so it would refuse any state on this host.
    """
    ours_api(sb, {"dns-resolver": {"config": {}}}, memory_only=True, bounded=False)


def best(fn: Callable[[Sandbox, int], float], n: int, repeat: int) -> float:
    """Best of ``repeat`` fresh demo sandboxes."""
    times = []
    for _ in range(repeat):
        with Sandbox(demo=True) as sb:
            prepare(sb)
            times.append(fn(sb, n))
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    compile_ours()
    why_no_peer = peer.install()
    contenders: dict[str, Callable[[Sandbox, int], float]] = {"ours": ours, "floor": floor}
    if why_no_peer is None:
        contenders["peer"] = the_peer
    else:
        print(f"note: no peer column ({why_no_peer})", file=sys.stderr)
    print(f"{'N':>5} " + " ".join(f"{c:>8}" for c in contenders) + "  ours/floor  ours/peer")
    for n in (int(s) for s in args.sizes.split(",")):
        got = {name: best(fn, n, args.repeat) for name, fn in contenders.items()}
        ratio_floor = got["ours"] / got["floor"]
        ratio_peer = f"{got['ours'] / got['peer']:9.2f}x" if "peer" in got else "        -"
        cells = " ".join(f"{got[c]:8.3f}" for c in contenders)
        print(f"{n:>5} {cells}  {ratio_floor:9.2f}x  {ratio_peer}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.TimeoutExpired as exc:
        sys.exit(f"timed out: {exc}")
