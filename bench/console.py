#!/usr/bin/env python3
"""Set-up console speed and line cost on the demo host.

* in-process: from constructing the console app to the NIC list painted
  (headless ``run_test`` at 80x24), best of N;
* whole process: ``nmtui-state console`` started in a private tmux server
  (80x24, TERM=vt220, NO_COLOR) until the pane shows its first line, and
  until it shows the NIC list, best of N (includes Python's own start);
* bytes on the line: what the console sends for that first screen, and per
  second on the countdown screen (after a DHCP set-up of eth2 is applied),
  with the time that takes at 9600 baud (960 bytes/s).

Target: first paint under 0.5 s. Run as root: ``.venv/bin/python bench/console.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.apply import compile_ours  # noqa: E402
from nmtui_state.console.app import ConsoleApp  # noqa: E402
from nmtui_state.console.flow import Host  # noqa: E402
from nmtui_state.console.pick import NicScreen  # noqa: E402
from nmtui_state.sandbox import Sandbox  # noqa: E402

EXE = str(Path(sys.executable).parent / "nmtui-state")
TARGET = 0.5
BAUD_BYTES = 960  # 9600 baud, 8N1


async def first_paint(sb: Sandbox, folder: Path) -> float:
    started = time.perf_counter()
    app = ConsoleApp(Host(sb.bus_address, sb.name), folder, folder / "out.applied", None)
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, NicScreen):
            await asyncio.sleep(0.002)
        await pilot.pause(0)  # let it render once
        return time.perf_counter() - started


class Pane:
    """The console in a private tmux server, its output bytes recorded."""

    def __init__(self, sb: Sandbox, folder: Path) -> None:
        self.sock = f"nmtui-bench-{uuid.uuid4().hex[:6]}"
        self.raw = folder / f"{self.sock}.raw"
        env = sb.env()
        self.cmd = (
            f"env -i PATH=/usr/bin:/bin TERM=vt220 NO_COLOR=1 "
            f"DBUS_SYSTEM_BUS_ADDRESS={env['DBUS_SYSTEM_BUS_ADDRESS']} "
            f"NMTUI_STATE_NETNS={env['NMTUI_STATE_NETNS']} "
            f"{EXE} console -c {folder} --status '' --countdown 60"
        )

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.sock, *args], capture_output=True, text=True
        ).stdout

    def start(self) -> float:
        started = time.perf_counter()
        subprocess.run(
            ["tmux", "-L", self.sock, "new-session", "-d", "-x", "80", "-y", "24", self.cmd],
            check=True,
        )
        self.tmux("pipe-pane", "-o", f"cat >> {self.raw}")
        self.tmux("set-option", "-s", "escape-time", "0")
        return started

    def wait(self, marker: str, timeout: float = 30) -> bool:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if marker in self.tmux("capture-pane", "-p"):
                return True
            time.sleep(0.005)
        return False

    def sent(self) -> int:
        return self.raw.stat().st_size if self.raw.exists() else 0

    def stop(self) -> None:
        self.tmux("kill-server")


def whole_process(sb: Sandbox, folder: Path) -> tuple[float, float, int]:
    """(seconds to the first paint, seconds to the NIC list, bytes sent for it)."""
    pane = Pane(sb, folder)
    try:
        started = pane.start()
        ok = pane.wait("nmtui-state set-up console")
        painted = time.perf_counter() - started if ok else float("nan")
        ok = pane.wait("> eth1")
        listed = time.perf_counter() - started if ok else float("nan")
        time.sleep(0.3)  # let the recorder catch up before counting
        return painted, listed, pane.sent()
    finally:
        pane.stop()


def countdown_bytes(sb: Sandbox, folder: Path, seconds: int = 5) -> float:
    """Bytes per second the countdown screen sends while it counts."""
    pane = Pane(sb, folder)
    try:
        pane.start()
        pane.wait("> eth1")
        for key, marker in (
            ("Down", "> eth2"),
            ("Enter", "How should eth2"),
            ("Enter", "> DNS servers"),
            ("Enter", "> Hostname"),
            ("Enter", "Enter applies"),
            ("Enter", "Enter/y KEEP"),
        ):
            pane.tmux("send-keys", key)
            if not pane.wait(marker):
                return float("nan")
        time.sleep(1.0)
        before = pane.sent()
        time.sleep(seconds)
        per_second = (pane.sent() - before) / seconds
        pane.tmux("send-keys", "n")  # revert
        pane.wait("Reverted")
        return per_second
    finally:
        pane.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_ours()
    with Sandbox(demo=True) as sb, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paint = min(asyncio.run(first_paint(sb, folder)) for _ in range(args.runs))
        runs = [whole_process(sb, folder) for _ in range(args.runs)]
        whole = min(r[0] for r in runs)
        listed = min(r[1] for r in runs)
        first_bytes = min(r[2] for r in runs)
        tick = countdown_bytes(sb, folder)
    print(f"console first paint, in process:  {paint:.3f} s (target {TARGET} s)")
    print(f"console first paint, whole process (tmux, vt220): {whole:.3f} s")
    print(f"console NIC list shown, whole process (tmux, vt220): {listed:.3f} s")
    print(
        f"first screen on the line: {first_bytes} bytes = "
        f"{first_bytes / BAUD_BYTES:.2f} s at 9600 baud"
    )
    print(f"countdown screen: {tick:.0f} bytes/s = {tick / BAUD_BYTES * 100:.0f}% of 9600 baud")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
