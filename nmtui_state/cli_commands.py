"""Subcommands other than ``sandbox``: parsers and handlers, kept apart from the entry point."""

from __future__ import annotations

import argparse
from typing import Any

from engine.errors import NmtuiError


def add_parsers(sub: Any) -> None:
    """Add the engine-backed subcommands to ``sub`` (an argparse subparsers action)."""


def handler(name: str) -> Any:
    """The handler for ``name``; ``app`` starts the TUI."""
    if name == "app":
        return run_app
    raise NmtuiError(f"unknown command {name}")


def run_app(args: argparse.Namespace) -> int:
    from nmtui_state.app import run

    return run(args)
