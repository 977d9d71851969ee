"""Apply benchmark: create and remove N linux-bridges, ours vs NetworkManager's floor vs the peer.

Run ``python bench/apply.py`` (root; see bench/README.md). Each cell is one
fresh sandbox, so no contender inherits another's profiles, devices or
warm caches. Contenders:

* **ours**: ``engine.apply.apply_async`` (validate, merge, diff, plan,
  checkpoint, apply, verify, commit), timed inside a fresh Python process
  around the call alone: imports are left out, and so is the start of our
  netlink helper process (engine/backend/netlink_process.py: an interpreter
  and the pyroute2 import, which used to be part of importing the backend);
  first-call costs (schema compilation, the first D-Bus connection) are in,
  as for the peer.
* **ours-cli**: ``nmtui-state apply -q FILE`` as a whole process (start,
  imports, parsing and all).
* **floor**: what NetworkManager needs at the least: bare D-Bus
  ``AddConnection2`` + ``ActivateConnection`` for every bridge, issued
  concurrently, until every activation is ACTIVATED (its signals); for
  removal, ``Delete`` of every profile until NM and the kernel have no such
  device. No checkpoint, no verification, no reading of the current state.
* **peer**: ``libnmstate.apply()`` 0.3.6 (checkpoint, verify, commit),
  timed like ours inside its own process (see bench/peer.py).

Variants, because NetworkManager's own waiting dominates the realistic one:

* ``static``: port-less bridges with static IPv4. NM holds each for 2.0 s
  (no carrier) before ACTIVATED, so every contender pays 2 s and the ratio
  to the floor shows our overhead on top of that. Targets: ours within
  1.15x the floor, and never slower than the peer.
* ``noip``: port-less, IPv4 and IPv6 disabled: activation takes ~20 ms, so
  the time left is the tools' own.
* ``port``: static IPv4 and one veth port each (pre-created, untimed), so
  the bridge gets carrier at once: a realistic fast case.

Addresses come from 198.18.0.0/15 (RFC 2544, benchmarking) and live only
inside the sandbox's netns; nothing is ever sent to them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

# Run as a script, this file's folder comes first on sys.path and bench/engine.py
# would shadow the engine package: put the repository first instead.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from dbus_fast import Message  # noqa: E402
from dbus_fast.errors import DBusError  # noqa: E402

from bench import peer  # noqa: E402
from engine.backend.nm_dbus import (  # noqa: E402
    ACTIVE_ACTIVATED,
    ACTIVE_IFACE,
    CONNECTION_IFACE,
    DEVICE_IFACE,
    NM_IFACE,
    NM_PATH,
    SETTINGS_IFACE,
    SETTINGS_PATH,
    NMClient,
)
from engine.backend.nm_exec import BLOCK_AUTOCONNECT, IN_MEMORY, TO_DISK  # noqa: E402
from engine.backend.nm_types import to_dbus  # noqa: E402
from nmtui_state.sandbox import Sandbox  # noqa: E402

SIZES = (1, 10, 100)
VARIANTS = ("static", "noip", "port")
CONTENDERS = ("ours", "ours-cli", "floor", "peer")
WAIT_SECONDS = 120.0
FLOOR_TARGET = 1.15  # ours / floor, for the static variant
RESULT_TAG = peer.RESULT_TAG
NS = uuid.UUID("5f0c6f0e-7a51-4f8e-9d0b-6b1f3c2a9e10")  # stable profile uuids across runs

# Times the API call inside a fresh process, like peer.APPLY_SCRIPT does for the peer.
OURS_SCRIPT = f"""
import asyncio, json, sys, time
from engine.apply import apply_async
from engine.backend.netlink_process import KernelRead
req = json.load(sys.stdin)
# Our netlink helper's start (an interpreter, the pyroute2 import) is an import's worth:
# done, like the imports, before the clock runs, by one read of the kernel alone.
asyncio.run(KernelRead(req["netns"]).result())
t = time.perf_counter()
asyncio.run(apply_async(req["state"], memory_only=req["memory_only"],
                        bus_address=req["bus"], netns=req["netns"]))
print({RESULT_TAG!r} + json.dumps({{"seconds": time.perf_counter() - t}}))
"""

# What-if (--bounded): our engine fires one D-Bus call per device/profile at once. Past
# ~128 in flight the system bus refuses them (dbus-daemon's max_replies_per_connection)
# or dbus-fast's writer dies on EAGAIN (dbus-next issue #153). This bench-only shim caps
# calls in flight per event loop, to measure what ours would cost with that fixed; it
# changes no engine code and is labelled wherever it is used.
BOUND_LIMIT = 64
BOUNDED_SHIM = f"""
import asyncio, weakref
from engine.backend import nm_dbus
_orig = nm_dbus.NMClient.call
_sems = weakref.WeakKeyDictionary()
async def _bounded_call(self, *args, **kwargs):
    sem = _sems.setdefault(asyncio.get_running_loop(), asyncio.Semaphore({BOUND_LIMIT}))
    async with sem:
        return await _orig(self, *args, **kwargs)
nm_dbus.NMClient.call = _bounded_call
"""
CLI_SCRIPT = "import sys\nfrom nmtui_state.cli import main\nsys.exit(main())\n"


@contextlib.contextmanager
def bounded_calls() -> Iterator[None]:
    """In this process: the :data:`BOUNDED_SHIM` patch for the duration, then undone."""
    from engine.backend import nm_dbus

    original = nm_dbus.NMClient.call
    namespace: dict[str, Any] = {}
    exec(BOUNDED_SHIM, namespace)  # the very code the subprocesses run
    try:
        yield
    finally:
        nm_dbus.NMClient.call = original  # type: ignore[method-assign]


def compile_ours() -> None:
    """Byte-compile our packages the way ``pip install`` does.

    A checkout run with ``PYTHONDONTWRITEBYTECODE`` (this machine's default)
    would otherwise compile every module from source in every timed process,
    while the peer, installed by pip, loads its ``.pyc`` files. Whole-process
    timings compare installed tools.
    """
    packages = [str(ROOT / name) for name in ("engine", "widgets", "nmtui_state")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *packages], check=True, capture_output=True
    )


def ours_cli_argv(bounded: bool) -> list[str]:
    """``nmtui-state`` as installed, or (what-if) the same entry point behind the shim."""
    if bounded:
        return [sys.executable, "-c", BOUNDED_SHIM + CLI_SCRIPT]
    return [cli_path()]


# -- the states ---------------------------------------------------------------


def bridge_name(i: int) -> str:
    return f"bb{i}"


def port_name(i: int) -> str:
    return f"bp{i}"


def address(i: int) -> str:
    """The i-th bridge's address: one /24 each out of 198.18.0.0/15 (512 at most)."""
    if not 0 <= i < 512:
        raise ValueError("at most 512 bridges (one /24 each in 198.18.0.0/15)")
    return f"198.{18 + i // 256}.{i % 256}.1"


def desired(n: int, variant: str) -> dict[str, Any]:
    """The nmstate desired state with ``n`` bridges, the same for ours and the peer."""
    ifaces = []
    for i in range(n):
        ipv4: dict[str, Any] = {"enabled": False}
        if variant != "noip":
            ipv4 = {
                "enabled": True,
                "dhcp": False,
                "address": [{"ip": address(i), "prefix-length": 24}],
            }
        ports = [{"name": port_name(i)}] if variant == "port" else []
        ifaces.append(
            {
                "name": bridge_name(i),
                "type": "linux-bridge",
                "state": "up",
                # STP off: with it a port waits 2 x forward-delay (30 s) before carrier.
                "bridge": {"options": {"stp": {"enabled": False}}, "port": ports},
                "ipv4": ipv4,
                "ipv6": {"enabled": False},
            }
        )
    return {"interfaces": ifaces}


def absent(n: int) -> dict[str, Any]:
    """The desired state removing what :func:`desired` created."""
    return {
        "interfaces": [
            {"name": bridge_name(i), "type": "linux-bridge", "state": "absent"} for i in range(n)
        ]
    }


def profile_uuid(name: str) -> str:
    """A stable uuid per interface name, so reruns and contenders name profiles alike."""
    return str(uuid.uuid5(NS, name))


def bridge_settings(i: int, variant: str) -> dict[str, dict[str, Any]]:
    """The floor's NM profile for bridge i: what ours writes for it, spelled by hand."""
    name = bridge_name(i)
    ipv4: dict[str, Any] = {"method": "disabled"}
    if variant != "noip":
        ipv4 = {"method": "manual", "address-data": [{"address": address(i), "prefix": 24}]}
    return {
        "connection": {
            "id": name,
            "uuid": profile_uuid(name),
            "type": "bridge",
            "interface-name": name,
            "autoconnect": True,
            "autoconnect-slaves": 1,
        },
        "bridge": {"stp": False},
        "ipv4": ipv4,
        "ipv6": {"method": "disabled"},
    }


def veth_settings(i: int, controller: str) -> dict[str, dict[str, Any]]:
    """The floor's profile making the existing veth i a port of ``controller``."""
    name = port_name(i)
    con: dict[str, Any] = {
        "id": name,
        "uuid": profile_uuid(name),
        "type": "veth",
        "interface-name": name,
        "autoconnect": True,
        "master": controller,
        "slave-type": "bridge",
    }
    return {"connection": con, "veth": {"peer": f"{name}p"}, "bridge-port": {}}


# -- bare D-Bus: the floor, and the untimed set-up ----------------------------

# dbus-daemon refuses more than 128 pending replies per connection (system-bus
# default): every burst of calls below stays under it.
MAX_PENDING = 64

T = TypeVar("T")


async def gather_bounded(coros: Iterable[Awaitable[T]], limit: int = MAX_PENDING) -> list[T]:
    """``asyncio.gather`` with at most ``limit`` awaiting at once, results in order."""
    sem = asyncio.Semaphore(limit)

    async def one(coro: Awaitable[T]) -> T:
        async with sem:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros))


@dataclass
class ActiveWatch:
    """Connection.Active states seen in StateChanged signals, by object path."""

    states: dict[str, int]
    changed: asyncio.Event

    @classmethod
    async def attach(cls, client: NMClient) -> ActiveWatch:
        watch = cls({}, asyncio.Event())
        await client.on_signal(ACTIVE_IFACE, "StateChanged", watch.on_signal)
        return watch

    def on_signal(self, msg: Message) -> None:
        if msg.path and msg.body:
            self.states[msg.path] = int(msg.body[0])
            self.changed.set()

    async def wait_activated(self, client: NMClient, actives: list[str], timeout: float) -> None:
        """Until every path is ACTIVATED; signals first, one Get for those not heard of yet."""
        for path in actives:
            if path not in self.states:
                with contextlib.suppress(DBusError):  # gone already: its signal says why
                    self.states.setdefault(path, int(await client.get(path, ACTIVE_IFACE, "State")))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            states = [self.states.get(p, 0) for p in actives]
            if any(s > ACTIVE_ACTIVATED for s in states):
                raise RuntimeError("an activation failed (DEACTIVATING/DEACTIVATED)")
            if all(s == ACTIVE_ACTIVATED for s in states):
                return
            if loop.time() > deadline:
                raise RuntimeError(f"not all activated within {timeout:.0f} s")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=0.5)


async def add_profile(client: NMClient, settings: dict[str, dict[str, Any]], flags: int) -> str:
    path, _ = await client.call(
        SETTINGS_PATH,
        SETTINGS_IFACE,
        "AddConnection2",
        "a{sa{sv}}ua{sv}",
        [to_dbus(settings), flags, {}],
    )
    return str(path)


async def activate(client: NMClient, profile: str) -> str:
    (active,) = await client.call(
        NM_PATH, NM_IFACE, "ActivateConnection", "ooo", [profile, "/", "/"]
    )
    return str(active)


async def add_and_activate(
    bus_address: str, profiles: list[dict[str, dict[str, Any]]], flags: int
) -> None:
    """Add and activate ``profiles`` concurrently and wait until all are ACTIVATED (set-up)."""
    client = await NMClient.connect(bus_address)
    try:
        watch = await ActiveWatch.attach(client)

        async def one(settings: dict[str, dict[str, Any]]) -> str:
            return await activate(client, await add_profile(client, settings, flags))

        actives = await gather_bounded(one(s) for s in profiles)
        await watch.wait_activated(client, list(actives), WAIT_SECONDS)
    finally:
        client.close()


async def wait_devices(bus_address: str, names: set[str], timeout: float = WAIT_SECONDS) -> None:
    """Until NM has a device for each of ``names`` (set-up: NM must know a port to use it)."""
    client = await NMClient.connect(bus_address)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            (paths,) = await client.call(NM_PATH, NM_IFACE, "GetAllDevices")
            found = await gather_bounded(client.get(p, DEVICE_IFACE, "Interface") for p in paths)
            if names <= set(found):
                return
            if loop.time() > deadline:
                raise RuntimeError(f"NM did not see {len(names - set(found))} devices")
            await asyncio.sleep(0.02)
    finally:
        client.close()


async def floor_apply(bus_address: str, n: int, variant: str, flags: int) -> None:
    """Bridges (and their ports) added and activated with bare D-Bus, until all ACTIVATED."""
    client = await NMClient.connect(bus_address)
    try:
        watch = await ActiveWatch.attach(client)

        # The floor activates every profile explicitly, as our executor does: a racing
        # autoconnect would supersede (restart) some activations and make it noisy.
        flags |= BLOCK_AUTOCONNECT

        async def one(i: int) -> list[str]:
            bridge = await add_profile(client, bridge_settings(i, variant), flags)
            actives = [await activate(client, bridge)]
            if variant == "port":
                port = await add_profile(client, veth_settings(i, bridge_name(i)), flags)
                actives.append(await activate(client, port))
            return actives

        nested = await gather_bounded(one(i) for i in range(n))
        await watch.wait_activated(client, [p for ps in nested for p in ps], WAIT_SECONDS)
    finally:
        client.close()


async def floor_remove(bus_address: str, netns: str, n: int) -> None:
    """Delete the bridge profiles; done once neither NM nor the kernel has their devices."""
    client = await NMClient.connect(bus_address)
    try:
        names = [bridge_name(i) for i in range(n)]
        devices = await gather_bounded(
            client.call(NM_PATH, NM_IFACE, "GetDeviceByIpIface", "s", [x]) for x in names
        )
        profiles = await gather_bounded(
            client.call(
                SETTINGS_PATH, SETTINGS_IFACE, "GetConnectionByUuid", "s", [profile_uuid(x)]
            )
            for x in names
        )
        await gather_bounded(client.call(p, CONNECTION_IFACE, "Delete") for (p,) in profiles)
        wanted_gone = {d for (d,) in devices}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while True:
            (present,) = await client.call(NM_PATH, NM_IFACE, "GetAllDevices")
            if not wanted_gone & set(present) and not kernel_bridges(netns):
                return
            if loop.time() > deadline:
                raise RuntimeError(f"devices still present after {WAIT_SECONDS:.0f} s")
            await asyncio.sleep(0.01)
    finally:
        client.close()


# -- checks (untimed, except floor_remove's kernel look) ----------------------


def _ip_json(netns: str, *args: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        ["ip", "-n", netns, "-j", *args], capture_output=True, text=True, check=True
    ).stdout
    result: list[dict[str, Any]] = json.loads(out or "[]")
    return result


def kernel_bridges(netns: str) -> dict[str, list[str]]:
    """The benchmark's bridges in the kernel: name -> IPv4 addresses (with prefix)."""
    return {
        link["ifname"]: [
            f"{a['local']}/{a['prefixlen']}"
            for a in link.get("addr_info", [])
            if a["family"] == "inet"
        ]
        for link in _ip_json(netns, "addr", "show", "type", "bridge")
        if link["ifname"].startswith("bb")
    }


def check_applied(netns: str, n: int, variant: str) -> str | None:
    """None when the kernel has exactly what :func:`desired` asks for, else what differs."""
    found = kernel_bridges(netns)
    want = {bridge_name(i): [] if variant == "noip" else [f"{address(i)}/24"] for i in range(n)}
    if found != want:
        missing = sorted(set(want) - set(found))[:3]
        wrong = sorted(x for x in set(want) & set(found) if want[x] != found[x])[:3]
        return f"kernel differs: {len(found)}/{n} bridges, missing {missing}, wrong addr {wrong}"
    if variant == "port":
        masters = {link["ifname"]: link.get("master") for link in _ip_json(netns, "link")}
        bad = [port_name(i) for i in range(n) if masters.get(port_name(i)) != bridge_name(i)]
        if bad:
            return f"ports not attached: {bad[:3]}"
    return None


def check_removed(netns: str) -> str | None:
    left = kernel_bridges(netns)
    return f"{len(left)} bridges left: {sorted(left)[:3]}" if left else None


# -- the contenders -------------------------------------------------------------


def tail(text: str, lines: int = 6) -> str:
    """The last ``lines`` lines of a traceback or message, without caret-only markers."""
    kept = [x for x in text.strip().splitlines() if x.strip(" ^~")]
    return "\n".join(kept[-lines:])


def _tagged(res: subprocess.CompletedProcess[str], what: str) -> float:
    for line in res.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return float(json.loads(line[len(RESULT_TAG) :])["seconds"])
    details = tail(res.stderr or res.stdout)
    raise RuntimeError(f"{what} failed (exit {res.returncode}):\n{details}")


def ours_api(sb: Sandbox, state: dict[str, Any], memory_only: bool, bounded: bool) -> float:
    request = {"state": state, "memory_only": memory_only, "bus": sb.bus_address, "netns": sb.name}
    script = (BOUNDED_SHIM if bounded else "") + OURS_SCRIPT
    res = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=sb.env(),
        timeout=600,
        check=False,
    )
    return _tagged(res, "ours (apply_async)")


def cli_path() -> str:
    """This venv's ``nmtui-state``: the one installed from this checkout, not one on PATH."""
    found = shutil.which("nmtui-state", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("nmtui-state not installed in this venv (pip install -e .)")
    return found


def ours_cli(sb: Sandbox, state: dict[str, Any], memory_only: bool, bounded: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="nmtui-bench-") as tmp:
        path = Path(tmp) / "state.yml"
        path.write_text(json.dumps(state))  # JSON is YAML
        flags = ["-q", *(["--memory-only"] if memory_only else [])]
        argv = [*ours_cli_argv(bounded), "apply", *flags, str(path)]
        start = time.perf_counter()
        res = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            cwd=ROOT,  # so "-c" code (the what-if) finds engine/, not bench/engine.py
            env=sb.env(),
            timeout=600,
            check=False,
        )
        seconds = time.perf_counter() - start
    if res.returncode != 0:
        raise RuntimeError(f"nmtui-state apply failed ({res.returncode}):\n{tail(res.stderr, 4)}")
    return seconds


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass(frozen=True)
class Options:
    memory_only: bool = False
    bounded: bool = False  # ours behind BOUNDED_SHIM (what-if)
    repeat: int = 1


def run_one(sb: Sandbox, who: str, n: int, variant: str, opts: Options, remove: bool) -> float:
    """Seconds for ``who`` to apply (or, with ``remove``, remove) n bridges in ``sb``."""
    state = absent(n) if remove else desired(n, variant)
    memory_only = opts.memory_only
    if who == "ours":
        return ours_api(sb, state, memory_only, opts.bounded)
    if who == "ours-cli":
        return ours_cli(sb, state, memory_only, opts.bounded)
    if who == "peer":
        return peer.apply_seconds(sb, state, memory_only)
    if who == "floor":
        flags = IN_MEMORY if memory_only else TO_DISK
        if remove:
            return _timed(lambda: asyncio.run(floor_remove(sb.bus_address, sb.name, n)))
        return _timed(lambda: asyncio.run(floor_apply(sb.bus_address, n, variant, flags)))
    raise ValueError(who)


@contextlib.contextmanager
def prepared_sandbox(n: int, variant: str) -> Iterator[Sandbox]:
    """A fresh sandbox; for ``port``, with n veth pairs up and no profile on them.

    Made with ``ip`` rather than NM veth profiles: libnmstate 0.3.6 knows no
    veth setting and fails to update a veth-type profile ("veth: setting
    required"), while a profile-less veth (NM manages it in the sandbox's
    no-udev mode) is one every contender can take as a port.
    """
    with Sandbox() as sb:
        if variant == "port":
            lines = [
                f"link add {port_name(i)} type veth peer name {port_name(i)}p\n"
                f"link set {port_name(i)}p up\nlink set {port_name(i)} up\n"
                for i in range(n)
            ]
            sb.run(["ip", "-batch", "-"], input="".join(lines), capture_output=True, check=True)
            asyncio.run(wait_devices(sb.bus_address, {port_name(i) for i in range(n)}))
        yield sb


@dataclass
class Cell:
    apply: float | None = None
    remove: float | None = None
    note: str = ""


def measure(who: str, n: int, variant: str, opts: Options) -> Cell:
    """Best of ``opts.repeat`` fresh sandboxes; the kernel is checked after each step."""
    best = Cell()
    for _ in range(opts.repeat):
        try:
            with prepared_sandbox(n, variant) as sb:
                applied = run_one(sb, who, n, variant, opts, remove=False)
                problem = check_applied(sb.name, n, variant)
                if problem:
                    return Cell(note=f"{who} N={n} {variant}: apply wrong: {problem}")
                removed = run_one(sb, who, n, variant, opts, remove=True)
                problem = check_removed(sb.name)
                if problem:
                    return Cell(note=f"{who} N={n} {variant}: remove wrong: {problem}")
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            return Cell(note=f"{who} N={n} {variant}: {exc}")
        best.apply = applied if best.apply is None else min(best.apply, applied)
        best.remove = removed if best.remove is None else min(best.remove, removed)
    return best


# -- the table ----------------------------------------------------------------------


def _secs(value: float | None) -> str:
    return f"{value:8.3f}" if value is not None else f"{'-':>8}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:7.2f}x" if a is not None and b else f"{'-':>8}"


def verdict(variant: str, ours: float | None, floor: float | None, peer_s: float | None) -> str:
    """Targets: never slower than the peer; for ``static``, also within 1.15x the floor."""
    if ours is None:
        return "?"
    if peer_s is None and variant != "static":
        return "n/a (no peer)"
    misses = []
    if peer_s is not None and ours > peer_s:
        misses.append("slower than peer")
    if variant == "static" and floor is not None and ours > FLOOR_TARGET * floor:
        misses.append(f">{FLOOR_TARGET}x floor")
    return "MISS: " + ", ".join(misses) if misses else "ok"


def print_table(variant: str, rows: dict[int, dict[str, Cell]], contenders: list[str]) -> None:
    titles = {
        "static": "port-less bridges, static IPv4 (NM holds each 2.0 s without carrier)",
        "noip": "port-less bridges, IPv4/IPv6 disabled (fast activation)",
        "port": "bridges with static IPv4 and one veth port each (fast activation)",
    }
    print(f"\n== {variant}: {titles[variant]}; seconds, best of fresh sandboxes")
    head = (
        f"{'N':>4} {'op':<7} {'ours':>8} {'ours-cli':>8} {'floor':>8} {'peer':>8} "
        f"{'ours/floor':>10} {'ours/peer':>9}  verdict"
    )
    print(head)
    print("-" * len(head))
    for n, cells in rows.items():
        for op in ("apply", "remove"):

            def get(who: str, op: str = op, cells: dict[str, Cell] = cells) -> float | None:
                cell = cells.get(who)
                return getattr(cell, op) if cell is not None else None

            ours, floor, peer_s = get("ours"), get("floor"), get("peer")
            print(
                f"{n:>4} {op:<7} {_secs(ours)} {_secs(get('ours-cli'))} {_secs(floor)} "
                f"{_secs(peer_s)} {_ratio(ours, floor):>10} {_ratio(ours, peer_s):>9}  "
                f"{verdict(variant, ours, floor, peer_s)}"
            )
    notes = [c.note for cells in rows.values() for c in cells.values() if c.note]
    for note in notes:
        print(f"  note: {note.splitlines()[0]}")
        for line in note.splitlines()[1:]:
            print(f"        {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=list(SIZES)
    )
    parser.add_argument(
        "--variants", type=lambda s: s.split(","), default=list(VARIANTS), help=",".join(VARIANTS)
    )
    parser.add_argument(
        "--contenders",
        type=lambda s: s.split(","),
        default=list(CONTENDERS),
        help=",".join(CONTENDERS),
    )
    parser.add_argument("--repeat", type=int, default=1, help="fresh sandboxes per cell (best)")
    parser.add_argument("--memory-only", action="store_true", help="profiles in memory, all tools")
    parser.add_argument(
        "--bounded",
        action="store_true",
        help="what-if: run ours with D-Bus calls in flight capped (see BOUNDED_SHIM)",
    )
    args = parser.parse_args(argv)
    compile_ours()
    opts = Options(memory_only=args.memory_only, bounded=args.bounded, repeat=args.repeat)
    unknown = set(args.variants) - set(VARIANTS) | set(args.contenders) - set(CONTENDERS)
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    contenders = list(args.contenders)
    if "peer" in contenders and peer.peer_python() is None:
        print("note: peer column skipped (libnmstate 0.3.6 unavailable, see above)")
        contenders.remove("peer")
    where = "in memory" if args.memory_only else "to disk"
    print(f"profiles {where}; sizes {args.sizes}; contenders {', '.join(contenders)}")
    if args.bounded:
        print(
            f"WHAT-IF: ours and ours-cli run with at most {BOUND_LIMIT} D-Bus calls in flight "
            "(bench shim, not the engine as committed)"
        )
    missed = False
    for variant in args.variants:
        rows: dict[int, dict[str, Cell]] = {}
        for n in args.sizes:
            rows[n] = {}
            for who in contenders:
                cell = measure(who, n, variant, opts)
                rows[n][who] = cell
                first_note = cell.note.splitlines()[0] if cell.note else ""
                print(
                    f"  [{variant} N={n} {who}] apply {_secs(cell.apply).strip()} "
                    f"remove {_secs(cell.remove).strip()} {first_note}",
                    file=sys.stderr,
                    flush=True,
                )
        print_table(variant, rows, contenders)
        for cells in rows.values():
            for op in ("apply", "remove"):
                ours, floor, peer_s = (
                    getattr(cells[w], op) if w in cells else None for w in ("ours", "floor", "peer")
                )
                missed |= verdict(variant, ours, floor, peer_s).startswith("MISS")
        sys.stdout.flush()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
