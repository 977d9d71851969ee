#!/usr/bin/env python3
"""Write screenshots/*.svg from the snapshot tests' scenarios, against a fresh demo sandbox.

Run as root from the repository: ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nmtui_state.sandbox import Sandbox  # noqa: E402
from tests.app_tests.harness import make_app  # noqa: E402
from tests.app_tests.scenarios import SCENARIOS  # noqa: E402

SIZE = (120, 40)


async def shoot(sb: Sandbox, name: str, out: Path) -> None:
    app = make_app(sb, watch_host=False)
    async with app.run_test(size=SIZE) as pilot:
        await SCENARIOS[name](pilot)
        await pilot.pause(0.2)
        app.save_screenshot(str(out / f"{name}.svg"))


def main() -> int:
    out = REPO / "screenshots"
    out.mkdir(exist_ok=True)
    with Sandbox(demo=True) as sb:
        for name in SCENARIOS:
            asyncio.run(shoot(sb, name, out))
            print(f"screenshots/{name}.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
