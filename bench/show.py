"""Show benchmark: read the live state of a host with 10, 100, 600 links, ours vs the peer.

Run ``python bench/show.py`` (root; see bench/README.md). ``show`` is what
every screen refresh and every apply (before and for verification) pays,
and hosts with hundreds of links (hypervisors, container hosts) are where
users notice it. Target: ``nmtui-state show`` as a whole process at 600
links takes at most half the time of ``nmstatectl show`` (libnmstate
0.3.6).

Each size gets one fresh sandbox, populated (untimed) in groups of ten
links so the host looks like a real one, with both managed and external
links:

* an NM bridge with static IPv4 and two NM veth ports (1 + 2x2 links),
* an NM veth with static IPv4 (2 links: its peer is managed, unconfigured),
* a bridge and a veth pair made with ``ip`` (3 links; NM leaves the bridge
  unmanaged and takes the veths as managed, unconfigured devices),

plus ``ip`` bridges to round up to the size. Profiles are in memory.
Addresses come from 198.18.0.0/15 (RFC 2544) inside the sandbox netns only.

Timed, best of ``--repeat`` (5):

* whole process: ``nmtui-state show`` vs ``nmstatectl show`` (each start to
  exit, output to a pipe). The peer runs under nsenter plus a private
  mount namespace for its sysfs reads (bench/peer.py); that wrapper's own
  cost is printed so the reader can discount it.
* in process: ``engine.show.read_live`` vs ``libnmstate.show()``, each
  repeated in one process (connect, read NM and the kernel, build the state).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and bench/engine.py
# would shadow the engine package: put the repository first instead.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import peer  # noqa: E402
from bench.apply import compile_ours, ours_cli_argv  # noqa: E402
from bench.apply_floor import add_and_activate, gather_bounded, profile_uuid  # noqa: E402
from engine.backend.nm_dbus import DEVICE_IFACE, NM_IFACE, NM_PATH, NMClient  # noqa: E402
from engine.backend.nm_exec import IN_MEMORY  # noqa: E402
from engine.show import read_live  # noqa: E402
from nmtui_state.sandbox import Sandbox  # noqa: E402

SIZES = (10, 100, 600)
REPEAT = 5
GROUP = 10  # links per group, see the module docstring
TARGET = 0.5  # ours / nmstatectl, whole process, at TARGET_LINKS
TARGET_LINKS = 600
# NMDeviceState values in the middle of (de)activation: wait them out before timing.
TRANSITIONAL = {40, 50, 60, 70, 80, 90, 110}


def _connection(name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": name,
        "uuid": profile_uuid(name),
        "type": kind,
        "interface-name": name,
        "autoconnect": True,
        **extra,
    }


def _ipv4(addr: str) -> dict[str, Any]:
    return {"method": "manual", "address-data": [{"address": addr, "prefix": 24}]}


def group_profiles(g: int) -> list[dict[str, dict[str, Any]]]:
    """The NM profiles of group g: a bridge with two veth ports, and an addressed veth."""
    if not 0 <= g < 256:
        raise ValueError("at most 256 groups (2560 links)")
    bridge = f"sbr{g}"
    profiles: list[dict[str, dict[str, Any]]] = [
        {
            # No autoconnect-slaves: the ports are activated explicitly, and a second,
            # implicit activation would supersede (DEACTIVATE) the first.
            "connection": _connection(bridge, "bridge"),
            "bridge": {"stp": False},
            "ipv4": _ipv4(f"198.18.{g}.1"),
            "ipv6": {"method": "disabled"},
        }
    ]
    for port in (f"sp{g}a", f"sp{g}b"):
        profiles.append(
            {
                "connection": _connection(port, "veth", master=bridge, **{"slave-type": "bridge"}),
                "veth": {"peer": f"{port}p"},
                "bridge-port": {},
            }
        )
    profiles.append(
        {
            "connection": _connection(f"se{g}", "veth"),
            "veth": {"peer": f"se{g}p"},
            "ipv4": _ipv4(f"198.19.{g}.1"),
            "ipv6": {"method": "disabled"},
        }
    )
    return profiles


def ip_batch(groups: int, extra: int) -> str:
    """``ip -batch`` lines for the external links of each group and ``extra`` rounding bridges."""
    lines = []
    for g in range(groups):
        lines += [
            f"link add xb{g} type bridge",
            f"link set xb{g} up",
            f"link add xv{g} type veth peer name xv{g}p",
            f"link set xv{g} up",
            f"link set xv{g}p up",
        ]
    for j in range(extra):
        lines += [f"link add xr{j} type bridge", f"link set xr{j} up"]
    return "".join(line + "\n" for line in lines)


async def settle(bus_address: str, want: int, timeout: float = 120.0) -> None:
    """Until NM lists ``want`` devices (lo too) and none is mid-(de)activation."""
    client = await NMClient.connect(bus_address)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            (paths,) = await client.call(NM_PATH, NM_IFACE, "GetAllDevices")
            states = await gather_bounded(client.get(p, DEVICE_IFACE, "State") for p in paths)
            if len(paths) >= want and not TRANSITIONAL & {int(s) for s in states}:
                return
            if loop.time() > deadline:
                raise RuntimeError(f"NM has {len(paths)}/{want} devices, not settled")
            await asyncio.sleep(0.1)
    finally:
        client.close()


def populate(sb: Sandbox, links: int) -> None:
    """Create ``links`` links (besides lo), NM-managed and external; wait until NM settles."""
    groups, extra = divmod(links, GROUP)
    profiles = [p for g in range(groups) for p in group_profiles(g)]
    if profiles:
        asyncio.run(add_and_activate(sb.bus_address, profiles, IN_MEMORY))
    batch = ip_batch(groups, extra)
    if batch:
        sb.run(["ip", "-batch", "-"], input=batch, capture_output=True, check=True)
    asyncio.run(settle(sb.bus_address, links + 1))
    time.sleep(0.5)  # let NM finish reacting to the external links (external profiles)


@dataclass
class Timing:
    """Best seconds of the runs that succeeded, and the first failure of those that did not.

    A failing run is recorded, not fatal: a reader that breaks on a big host
    is a finding the table must show next to the numbers that worked.
    """

    times: list[float] = field(default_factory=list)
    failures: int = 0
    error: str = ""

    def run(self, fn: Callable[[], float]) -> None:
        try:
            self.times.append(fn())
        except Exception as exc:  # any failure of the tool under test is data here
            self.failures += 1
            self.error = self.error or f"{type(exc).__name__}: {str(exc).strip()[-300:]}"

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times else None


def ours_cli_seconds(sb: Sandbox) -> float:
    """Wall time of one ``nmtui-state show`` process against ``sb``."""
    start = time.perf_counter()
    res = subprocess.run(
        [*ours_cli_argv(bounded=False), "show"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=sb.env(),
        check=False,
    )
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        tail = res.stderr.strip().splitlines()[-1:] or [f"exit {res.returncode}"]
        raise RuntimeError(f"nmtui-state show failed: {tail[0]}")
    return seconds


def read_live_seconds(sb: Sandbox, seen: list[int]) -> float:
    """One in-process ``read_live`` against ``sb``; appends the links seen (without lo)."""
    start = time.perf_counter()
    live = asyncio.run(read_live(sb.bus_address, sb.name))
    seconds = time.perf_counter() - start
    seen.append(sum(1 for i in live.state["interfaces"] if i.get("name") != "lo"))
    return seconds


COLUMNS = ("ours-cli", "nmstatectl", "read_live", "libnmstate")


def measure(links: int, repeat: int, with_peer: bool) -> dict[str, Any]:
    """All timings for one size in one fresh, populated sandbox."""
    row: dict[str, Any] = {"links": links}
    timings = {name: Timing() for name in COLUMNS}
    seen_ours: list[int] = []
    with Sandbox() as sb:
        populate(sb, links)
        for _ in range(repeat):  # interleaved, so drift hits all alike
            timings["ours-cli"].run(lambda: ours_cli_seconds(sb))
            if with_peer:
                timings["nmstatectl"].run(lambda: peer.nmstatectl_show_seconds(sb))
        for _ in range(repeat):
            timings["read_live"].run(lambda: read_live_seconds(sb, seen_ours))
        if with_peer:
            try:
                times, seen = peer.show_times(sb, repeat)
                timings["libnmstate"].times = times
                row["seen-peer"] = seen - 1  # lo
            except RuntimeError as exc:
                timings["libnmstate"].failures, timings["libnmstate"].error = repeat, str(exc)
            row["wrapper"] = peer.wrapper_seconds(sb)
    row["seen-ours"] = seen_ours[-1] if seen_ours else "-"
    row["timings"] = timings
    return row


def _s(timings: dict[str, Timing], name: str) -> str:
    """Best seconds, marked ``!`` when some runs failed, ``FAIL`` when all did."""
    tm = timings[name]
    if tm.best is None:
        return f"{'FAIL' if tm.failures else '-':>8}"
    return f"{tm.best:7.3f}{'!' if tm.failures else ' '}"


def _r(timings: dict[str, Timing], a: str, b: str) -> str:
    x, y = timings[a].best, timings[b].best
    return f"{x / y:6.2f}x" if x is not None and y else f"{'-':>7}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=list(SIZES)
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per timing (best)")
    parser.add_argument("--no-peer", action="store_true", help="time ours only")
    args = parser.parse_args(argv)
    compile_ours()
    with_peer = not args.no_peer and peer.peer_python() is not None
    if not args.no_peer and not with_peer:
        print("note: peer columns skipped (libnmstate 0.3.6 unavailable, see above)")
    rows = []
    for links in args.sizes:
        try:
            rows.append(measure(links, args.repeat, with_peer))
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            print(f"note: {links} links: {exc}")
        else:
            best = {name: tm.best for name, tm in rows[-1]["timings"].items()}
            print(f"  [{links} links] {best}", file=sys.stderr, flush=True)
    print(
        f"\nshow: seconds, best of {args.repeat} (! = some runs failed); "
        "links seen: ours/peer (without lo)"
    )
    head = (
        f"{'links':>5} {'seen':>9} | {'ours-cli':>8} {'nmstatectl':>10} {'ratio':>7}"
        f" | {'read_live':>9} {'libnmstate':>10} {'ratio':>7}"
    )
    print(head)
    print("-" * len(head))
    failures = []
    for row in rows:
        t = row["timings"]
        seen = f"{row['seen-ours']}/{row.get('seen-peer', '-')}"
        print(
            f"{row['links']:>5} {seen:>9} | {_s(t, 'ours-cli')} {_s(t, 'nmstatectl'):>10} "
            f"{_r(t, 'ours-cli', 'nmstatectl')} | {_s(t, 'read_live'):>9} "
            f"{_s(t, 'libnmstate'):>10} {_r(t, 'read_live', 'libnmstate')}"
        )
        failures += [
            f"{name} at {row['links']} links failed {tm.failures}/{args.repeat} runs: {tm.error}"
            for name, tm in t.items()
            if tm.failures
        ]
    wrappers = [row["wrapper"] for row in rows if "wrapper" in row]
    if wrappers:
        wrap_ms = min(wrappers) * 1000
        print(f"(nmstatectl includes nsenter + its sysfs mount wrapper: {wrap_ms:.1f} ms)")
    for line in failures:
        print(f"  note: {line}")
    judged = [row for row in rows if row["links"] == TARGET_LINKS]
    if not judged or not with_peer:
        print(f"(no verdict: the target is set at {TARGET_LINKS} links, against the peer)")
        return 0
    last = judged[0]["timings"]
    ours, ctl = last["ours-cli"], last["nmstatectl"]
    if ours.best is None or ctl.best is None:
        print(f"MISS: no whole-process comparison at {TARGET_LINKS} links (failures above)")
        return 1
    ratio = ours.best / ctl.best
    ok = ratio <= TARGET and not ours.failures
    flaky = f", but {ours.failures}/{args.repeat} runs failed" if ours.failures else ""
    print(
        f"{'OK' if ok else 'MISS'}: whole process at {TARGET_LINKS} links: ours "
        f"{ratio:.2f}x nmstatectl (target <= {TARGET:.2f}x){flaky}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
