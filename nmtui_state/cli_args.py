"""Argument checks shared by the subcommands: bad arguments end in one line and exit 2.

argparse prints a usage block and exits 2 on its own errors; a value it
accepts but the host would choke on (a checkpoint "number" that is not one,
a timeout NetworkManager reads as "never roll back") used to reach D-Bus
and come back as a traceback. These types refuse such values up front.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from engine.textsafe import printable

#: NetworkManager's rollback timeout is a D-Bus ``u`` (uint32) in seconds; 0 means never.
MAX_TIMEOUT = 2**32 - 1


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr (exit 2), usage left to --help."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {printable(message)} (see: {self.prog} --help)\n")
        raise SystemExit(2)


def timeout_seconds(text: str) -> int:
    """A checkpoint rollback timeout: whole seconds from 1 to 4294967295."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds; give a whole number such as 60"
        ) from None
    if value == 0:
        raise argparse.ArgumentTypeError(
            "0 would tell NetworkManager never to roll back; give at least 1 second"
        )
    if not 1 <= value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"{value} is out of range; give 1 to {MAX_TIMEOUT}")
    return value
