"""First-boot commands: ``service`` (apply /etc/nmstate), ``install-units``, ``console``.

The log of ``service`` is one line per event on stdout, plain text without
colour, so the journal (which captures a unit's output) keeps one record
per event; the reasons of a failure also go to stderr, one line each. Under
systemd (``JOURNAL_STREAM`` set) each line carries a ``<N>`` priority
prefix, which journald turns into the record's priority and strips.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from engine.service import DEFAULT_CONFIG_DIR, DEFAULT_STATUS, Event

PRIORITY = {"applied": 6, "unchanged": 6, "start": 6, "done": 5, "failed": 3, "invalid": 3}


def add_parsers(sub: Any) -> None:
    svc = sub.add_parser(
        "service",
        help="apply every state file in /etc/nmstate, like nmstatectl service (first boot)",
    )
    svc.add_argument(
        "-c",
        "--config-dir",
        "--config",
        default=DEFAULT_CONFIG_DIR,
        metavar="DIR",
        help=f"directory of *.yml state files and nmstate.conf (default {DEFAULT_CONFIG_DIR})",
    )
    svc.add_argument("--timeout", type=int, default=60, metavar="S", help="checkpoint timeout")
    svc.add_argument(
        "--status",
        default=DEFAULT_STATUS,
        metavar="FILE",
        help=f"where the outcome is left for the console (default {DEFAULT_STATUS}; '' = none)",
    )

    units = sub.add_parser("install-units", help="install the systemd units (first boot, console)")
    units.add_argument(
        "--dest",
        default="/etc/systemd/system",
        metavar="DIR",
        help="unit directory (default /etc/systemd/system)",
    )
    units.add_argument(
        "--console",
        action="append",
        default=[],
        metavar="TTY",
        help="also enable the set-up console on TTY (ttyS0, tty1); repeatable",
    )
    units.add_argument(
        "--no-enable", action="store_true", help="only write the files (no systemctl calls)"
    )

    con = sub.add_parser("console", help="the set-up screen for a serial console or VT")
    add_console_args(con)


def add_console_args(con: argparse.ArgumentParser) -> None:
    con.add_argument(
        "-c", "--config-dir", default=DEFAULT_CONFIG_DIR, metavar="DIR", help="state directory"
    )
    con.add_argument(
        "--output",
        metavar="FILE",
        help="where Keep writes the state (default DIR/00-console.applied)",
    )
    con.add_argument("--status", default=DEFAULT_STATUS, metavar="FILE", help="service status")
    con.add_argument("--countdown", type=int, default=60, metavar="S", help="seconds to confirm")
    con.add_argument(
        "--needed",
        action="store_true",
        help="print whether the console is needed and exit 0 (needed) or 1 (not): "
        "for the unit's ExecCondition",
    )
    con.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="S",
        help="with --needed: wait up to S seconds for a default route (DHCP) first",
    )


def _log(line: str, event: str) -> None:
    prefix = f"<{PRIORITY.get(event, 6)}>" if os.environ.get("JOURNAL_STREAM") else ""
    print(f"{prefix}nmtui-state service: {line}", flush=True)


def _reason(detail: str) -> str:
    """The reason on one line: the lines after a header such as 'apply failed, rolled back:'."""
    lines = [line.strip() for line in detail.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        lines = lines[1:]
    return "; ".join(lines)


def _event_line(e: Event) -> str:
    if e.event == "applied":
        what = f"renamed to {e.renamed_to}" if e.renamed_to else e.detail
        return f"{e.file}: applied ({e.changes} changes), {what}"
    if e.event == "unchanged":
        return f"{e.file}: unchanged ({e.detail}), not applied again"
    if e.event == "failed":
        return f"{e.file}: failed, rolled back, left in place: {_reason(e.detail)}"
    return f"{e.file}: invalid, nothing touched, left in place: {_reason(e.detail)}"


def cmd_service(args: argparse.Namespace) -> int:
    from engine.prestart import prestart

    prestart()
    import asyncio

    from engine.service import run_service, state_files, write_status

    def on_event(e: Event) -> None:
        _log(_event_line(e), e.event)
        if e.event in ("failed", "invalid"):
            for line in e.detail.splitlines():
                print(f"nmtui-state service: {e.file}: {line}", file=sys.stderr, flush=True)

    count = len(state_files(args.config_dir))
    _log(f"{args.config_dir}: {count} state file(s) to apply", "start")
    report = asyncio.run(run_service(args.config_dir, timeout=args.timeout, on_event=on_event))
    if args.status:
        try:
            write_status(args.status, args.config_dir, report)
        except OSError as exc:
            print(f"nmtui-state service: cannot write {args.status}: {exc}", file=sys.stderr)
    counts = {kind: sum(e.event == kind for e in report.events) for kind in PRIORITY}
    _log(
        f"done: {counts['applied']} applied, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed, {counts['invalid']} invalid; exit {report.exit_code}",
        "done" if report.exit_code == 0 else "failed",
    )
    return report.exit_code


def cmd_install_units(args: argparse.Namespace) -> int:
    from nmtui_state.units import install

    for line in install(args.dest, consoles=args.console, enable=not args.no_enable):
        print(line)
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from nmtui_state.console.run import run_console

    return run_console(args)


HANDLERS = {"service": cmd_service, "install-units": cmd_install_units, "console": cmd_console}
