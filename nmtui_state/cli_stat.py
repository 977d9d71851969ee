"""``statistic`` and ``version``: the nmstatectl commands that report rather than change.

``statistic`` reads the current state the way ``diff`` does (``--current
FILE``, else the live host; no host is exit 3 with one line), so that its
stacks show what the desired interfaces sit on. The work is
:mod:`engine.statistic`; this module parses, validates and prints.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parsers(sub: Any) -> None:
    st = sub.add_parser(
        "statistic",
        help="the stacks and nmstate features FILEs use (like nmstatectl statistic)",
    )
    st.add_argument("files", nargs="+", metavar="FILE", help="desired states; - reads stdin")
    st.add_argument(
        "-c", "--current", metavar="CUR.yml", help="the current state (default: read the host)"
    )
    st.add_argument("--json", action="store_true", help="JSON instead of YAML")
    sub.add_parser("version", help="print the version (same as --version)")


def cmd_statistic(args: argparse.Namespace) -> int:
    import json

    import yaml

    from engine.merge import merge
    from engine.statistic import combine, statistic
    from nmtui_state.cli_files import _current
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    current = _current(args.current)
    loaded = [read_state(path) for path in args.files]
    desired = combine(sf.state for sf in loaded)
    # References are judged against what every file together builds on the host, so a
    # file may name a bridge another file creates (nmstate validates the combined desire).
    reference = merge(desired, current)
    for sf in loaded:
        fail_on_errors(check(sf, reference))
    result = statistic(desired, current).as_dict()
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(yaml.safe_dump(result, sort_keys=False, default_flow_style=False))
    return 0


def cmd_version(_args: argparse.Namespace) -> int:
    from nmtui_state import __version__

    print(f"nmtui-state {__version__}")
    return 0


HANDLERS = {"statistic": cmd_statistic, "version": cmd_version}
