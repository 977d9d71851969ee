"""Run the app headless against the sandbox in $DBUS_SYSTEM_BUS_ADDRESS up to the countdown.

Used by the signal tests as a separate process to kill: prints COUNTDOWN
once the confirmation modal is up, then idles until the app exits.
"""

from __future__ import annotations

import asyncio
import sys

from nmtui_state.app import NmtuiStateApp
from nmtui_state.screens.countdown import CountdownScreen
from nmtui_state.screens.review import ReviewScreen
from nmtui_state.session import Session
from tests.app_tests.harness import edit_br0_address, wait_for


async def main(countdown: int) -> None:
    app = NmtuiStateApp(Session(), countdown=countdown)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_br0_address(pilot, app, "198.51.100.9/24")
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.prepared is not None
        )
        await pilot.press("ctrl+a")
        await wait_for(pilot, lambda: isinstance(app.screen, CountdownScreen), timeout=30)
        print("COUNTDOWN", flush=True)
        while app.is_running:
            await pilot.pause(0.1)
    print("EXITED", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
