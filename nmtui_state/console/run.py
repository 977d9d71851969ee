"""Entry of ``nmtui-state console`` (and ``nmtui-state --firstboot``)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from engine.service import DEFAULT_CONFIG_DIR, DEFAULT_STATUS

OUTPUT_NAME = "00-console.applied"
SERIAL_TERM = "vt220"  # what systemd assumes of a serial line, and what we draw within


def needed(args: argparse.Namespace) -> int:
    """Exit 0 and say why when the console is needed; exit 1 when the network is fine."""
    from engine.firstboot import console_reasons

    reasons = asyncio.run(
        console_reasons(
            getattr(args, "config_dir", DEFAULT_CONFIG_DIR),
            getattr(args, "status", DEFAULT_STATUS) or None,
            wait=float(getattr(args, "wait", 0) or 0),
        )
    )
    if reasons:
        print("console needed: " + "; ".join(reasons))
        return 0
    print("console not needed: the network has a default route and no state file failed")
    return 1


def run_console(args: argparse.Namespace) -> int:
    if getattr(args, "needed", False):
        return needed(args)
    from engine.prestart import prestart

    prestart()  # the kernel read starts while Textual loads
    if os.environ.get("TERM", "dumb") in ("", "dumb", "unknown"):
        os.environ["TERM"] = SERIAL_TERM
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from nmtui_state.console.app import ConsoleApp
    from nmtui_state.console.flow import Host

    config_dir = Path(getattr(args, "config_dir", None) or DEFAULT_CONFIG_DIR)
    output = Path(getattr(args, "output", None) or config_dir / OUTPUT_NAME)
    status = getattr(args, "status", DEFAULT_STATUS)
    app = ConsoleApp(
        Host(),
        config_dir,
        output,
        Path(status) if status else None,
        countdown=int(getattr(args, "countdown", 60) or 60),
    )
    result = app.run(mouse=False)
    if app.outcome:
        print(app.outcome, file=sys.stderr)
    return int(result or 0)
