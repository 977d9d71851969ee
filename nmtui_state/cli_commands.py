"""Subcommands other than ``sandbox``: the parsers and handlers of the file and host commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from engine.errors import NmtuiError
from nmtui_state import cli_files, cli_host, cli_service, cli_stat

Handler = Callable[[argparse.Namespace], int]


def add_parsers(sub: Any) -> None:
    """Add the engine-backed subcommands to ``sub`` (an argparse subparsers action)."""
    cli_host.add_parsers(sub)
    cli_files.add_parsers(sub)
    cli_service.add_parsers(sub)
    cli_stat.add_parsers(sub)


def run_app(args: argparse.Namespace) -> int:
    from nmtui_state.terminal_size import prefer_terminal_size

    prefer_terminal_size()  # a stale COLUMNS/LINES pinned the app at 80x24 in any pane
    if getattr(args, "firstboot", False):
        return cli_service.cmd_console(args)
    from engine.prestart import prestart

    prestart()  # the kernel reader starts while Textual loads (see netlink_process)
    from nmtui_state.app import run

    return run(args)


HANDLERS: dict[str, Handler] = {
    "app": run_app,
    **cli_host.HANDLERS,
    **cli_files.HANDLERS,
    **cli_service.HANDLERS,
    **cli_stat.HANDLERS,
}


def handler(name: str) -> Handler:
    """The handler for subcommand ``name``."""
    if name in HANDLERS:
        return HANDLERS[name]
    raise NmtuiError(f"unknown command {name}")
