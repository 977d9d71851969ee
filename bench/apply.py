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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on sys.path and bench/engine.py
# would shadow the engine package: put the repository first instead.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]


from bench import peer  # noqa: E402
from engine.backend.nm_exec import IN_MEMORY, TO_DISK  # noqa: E402
from nmtui_state.sandbox import Sandbox  # noqa: E402

SIZES = (1, 10, 100)
VARIANTS = ("static", "noip", "port")
CONTENDERS = ("ours", "ours-cli", "floor", "peer")
RESULT_TAG = peer.RESULT_TAG

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


from bench.apply_floor import (  # noqa: E402
    absent,
    check_applied,
    check_removed,
    desired,
    floor_apply,
    floor_remove,
    port_name,
    wait_devices,
)
from bench.apply_table import Cell, print_table, secs, verdict  # noqa: E402


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
                    f"  [{variant} N={n} {who}] apply {secs(cell.apply).strip()} "
                    f"remove {secs(cell.remove).strip()} {first_note}",
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
