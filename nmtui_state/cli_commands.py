"""Subcommands other than ``sandbox``: parsers and handlers, kept apart from the entry point."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from typing import Any

from engine.errors import NmtuiError

Handler = Callable[[argparse.Namespace], int]
HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return deco


def add_parsers(sub: Any) -> None:
    """Add the engine-backed subcommands to ``sub`` (an argparse subparsers action)."""
    show = sub.add_parser("show", help="print the live network state (like nmstatectl show)")
    show.add_argument("globs", nargs="*", metavar="IFACE-GLOB", help="only these interfaces")
    show.add_argument("--json", action="store_true", help="JSON instead of YAML")
    show.add_argument("-r", "--running-config", action="store_true",
                      help="only the configured parts, not the running halves")
    show.add_argument("-s", "--show-secrets", action="store_true", help="do not mask secrets")


def handler(name: str) -> Handler:
    """The handler for ``name``; ``app`` starts the TUI."""
    if name in HANDLERS:
        return HANDLERS[name]
    raise NmtuiError(f"unknown command {name}")


@handles("app")
def run_app(args: argparse.Namespace) -> int:
    from nmtui_state.app import run

    return run(args)


@handles("show")
def cmd_show(args: argparse.Namespace) -> int:
    from engine import secrets, yamlio
    from engine.normalize import normalize
    from engine.show import filter_interfaces, read_live, running_config

    live = asyncio.run(read_live())
    if live.nm_missing:
        print(f"nmtui-state: note: NetworkManager data missing ({live.nm_missing}); "
              "showing the kernel's view only", file=sys.stderr)
    state = filter_interfaces(normalize(live.state), args.globs)
    if args.running_config:
        state = running_config(state)
    state = secrets.mask(state, show_secrets=args.show_secrets)
    sys.stdout.write(yamlio.dumps(state, fmt="json" if args.json else "yaml"))
    return 0
