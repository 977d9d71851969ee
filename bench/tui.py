#!/usr/bin/env python3
"""TUI speed: start to first paint with the live tree, and keypress to render.

For N = 10, 100, 1000 interfaces (linux bridges made with ``ip -batch`` in
a sandbox netns, plus the demo host), measures

* in-process: from constructing the app to the tree showing every
  interface (headless ``run_test``), best and median of ``--runs`` (5): on a
  2-core VM single runs vary by 2-3x, so compare medians between commits;
* whole process: ``nmtui-state`` started in a private tmux server until the
  pane shows the tree, best of ``--runs``;
* keypress to render in the N-interface tree: ``down`` pressed 50 times,
  median and 95th percentile.

Targets: first paint 0.5 s / 0.7 s / 1.5 s at 10 / 100 / 1000; keypress 50 ms.
Run as root: ``.venv/bin/python bench/tui.py [--sizes 10,100,1000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.apply import compile_ours  # noqa: E402
from nmtui_state.app import NmtuiStateApp  # noqa: E402
from nmtui_state.sandbox import Sandbox  # noqa: E402
from nmtui_state.session import Session  # noqa: E402

EXE = str(Path(sys.executable).parent / "nmtui-state")
TARGETS = {10: 0.5, 100: 0.7, 1000: 1.5}


def add_bridges(sb: Sandbox, count: int) -> None:
    """``count`` port-less bridges, made by the kernel directly (fast, NM sees them appear)."""
    script = "".join(f"link add bb{i} type bridge\n" for i in range(count))
    sb.run(["ip", "-batch", "-"], input=script, check=True, capture_output=True)


async def first_paint(sb: Sandbox, expect: int) -> float:
    started = time.perf_counter()
    app = NmtuiStateApp(Session(bus_address=sb.bus_address, netns=sb.name), watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            tree = app.screen.query("#tree")
            if tree and app.live is not None and len(app.live.state["interfaces"]) >= expect:
                await pilot.pause(0)  # let the tree render once
                return time.perf_counter() - started
            await asyncio.sleep(0.005)


async def keypresses(sb: Sandbox, presses: int = 50) -> tuple[list[float], float, list[float]]:
    """Per-press times for up/down in the tree, the median of an unbound key (Pilot's own
    overhead per press, which is not the app's), and per press the time from the key to
    the first frame the compositor hands to the driver after it (what the user sees)."""
    app = NmtuiStateApp(Session(bus_address=sb.bus_address, netns=sb.name), watch_host=False)
    frames: list[tuple[float, int]] = []  # when, and the tree's cursor line it shows
    display = app._display

    def note_frame(screen: Any, renderable: Any) -> None:
        trees = screen.query("#tree")
        if renderable is not None and trees:
            frames.append((time.perf_counter(), trees.first().cursor_line))
        display(screen, renderable)

    app._display = note_frame  # type: ignore[method-assign]
    times, to_frame = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.live is None:
            await asyncio.sleep(0.01)
        await pilot.pause(0.2)
        tree = app.screen.query_one("#tree")
        for i in range(presses):
            line = tree.cursor_line  # type: ignore[attr-defined]
            key, step = ("down", 1) if i % 2 == 0 else ("up", -1)
            seen = len(frames)
            t = time.perf_counter()
            await pilot.press(key)
            await pilot.pause(0)
            times.append(time.perf_counter() - t)
            deadline = t + 2.0
            while time.perf_counter() < deadline:
                shown = [when for when, at in frames[seen:] if at == line + step]
                if shown:
                    to_frame.append(shown[0] - t)
                    break
                await asyncio.sleep(0.001)
            else:
                to_frame.append(float("nan"))
            assert tree.cursor_line == line + step  # type: ignore[attr-defined]
        idle = []
        for _ in range(20):
            t = time.perf_counter()
            await pilot.press("f12")  # bound to nothing
            await pilot.pause(0)
            idle.append(time.perf_counter() - t)
    return times, statistics.median(idle), to_frame


def whole_process(sb: Sandbox, marker: str) -> float:
    sock = f"nmtui-bench-{uuid.uuid4().hex[:6]}"
    env = sb.env()
    cmd = (
        f"DBUS_SYSTEM_BUS_ADDRESS={env['DBUS_SYSTEM_BUS_ADDRESS']} "
        f"NMTUI_STATE_NETNS={env['NMTUI_STATE_NETNS']} TERM=xterm-256color {EXE}"
    )
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "-L", sock, "new-session", "-d", "-x", "120", "-y", "40", cmd], check=True
    )
    try:
        while time.perf_counter() - started < 30:
            pane = subprocess.run(
                ["tmux", "-L", sock, "capture-pane", "-p"], capture_output=True, text=True
            ).stdout
            if marker in pane:
                return time.perf_counter() - started
            time.sleep(0.01)
        return float("nan")
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_ours()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with Sandbox(demo=True) as sb:
            demo = 8  # lo, br0, eth1-3 and their peers
            add_bridges(sb, max(0, size - demo))
            time.sleep(0.5 + size / 1000)  # let NM take note of the new links
            paints = [asyncio.run(first_paint(sb, size)) for _ in range(args.runs)]
            whole = min(whole_process(sb, "linux-bridge") for _ in range(args.runs))
            keys, idle, to_frame = asyncio.run(keypresses(sb))
            p95 = statistics.quantiles(keys, n=20)[-1]
            paint, paint_median = min(paints), statistics.median(paints)
            frame = statistics.median(to_frame), statistics.quantiles(to_frame, n=20)[-1]
            key = statistics.median(keys)
            rows.append((size, paint, paint_median, whole, key, p95, idle, frame))
    print(
        f"{'N':>6} {'first paint':>12} {'median':>7} {'target':>7} {'whole proc':>11} "
        f"{'key median':>11} {'key p95':>8} {'pilot idle':>10} {'net':>7} {'key→frame':>16}"
    )
    for size, paint, paint_median, whole, med, p95, idle, frame in rows:
        target = TARGETS.get(size, float("nan"))
        print(
            f"{size:>6} {paint:>11.3f}s {paint_median:>6.3f}s {target:>6.1f}s {whole:>10.3f}s "
            f"{med * 1000:>9.1f}ms {p95 * 1000:>6.1f}ms {idle * 1000:>8.1f}ms "
            f"{(med - idle) * 1000:>5.1f}ms {frame[0] * 1000:>6.1f} / {frame[1] * 1000:>5.1f}ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
