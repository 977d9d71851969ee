"""File commands: validate, diff, format, gen-revert, gen-conf (a host only when reachable).

Handlers import what they use when they run (see :mod:`nmtui_state.cli_host`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from engine.errors import InvalidInput, Problem
from engine.textsafe import printable


def add_parsers(sub: Any) -> None:
    val = sub.add_parser("validate", help="check state files against the schema and the rules")
    val.add_argument("files", nargs="+", metavar="FILE")
    val.add_argument(
        "--current",
        metavar="CUR.yml",
        help="judge references against this state (default: the host, when one is reachable)",
    )
    for name, text in (
        ("diff", "what applying FILE would change, property by property"),
        ("gen-revert", "a state that undoes FILE (like nmstatectl gr)"),
    ):
        p = sub.add_parser(name, help=text, aliases=["gr"] if name == "gen-revert" else [])
        p.add_argument("file", metavar="FILE")
        p.add_argument(
            "-c", "--current", metavar="CUR.yml", help="the current state (default: read the host)"
        )
        if name == "diff":
            p.add_argument("--summary", action="store_true", help="only the one-line summary")
            p.add_argument("-s", "--show-secrets", action="store_true")
        else:
            p.add_argument("--json", action="store_true", help="JSON instead of YAML")
    fmt = sub.add_parser("format", help="print FILE with nmstate's key order")
    fmt.add_argument("file", metavar="FILE", nargs="?", default="-", help="default: stdin")
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("-s", "--show-secrets", action="store_true", help="do not mask secrets")
    for name in ("gen-conf", "gc"):
        gc = sub.add_parser(name, help="print the NetworkManager keyfiles apply would create")
        gc.add_argument("file", metavar="FILE")
        gc.add_argument(
            "--yaml",
            action="store_true",
            help="nmstatectl gc's output shape (NetworkManager: [[file, content]])",
        )
        gc.add_argument(
            "-s",
            "--show-secrets",
            action="store_true",
            help="write secrets in clear, for keyfiles you will install (default: masked)",
        )


def _current(path: str | None) -> dict[str, Any]:
    """The current state, normalized: from ``--current FILE``, else read from the host."""
    import asyncio

    from nmtui_state.cli_io import check, fail_on_errors, read_state

    if path:
        from engine.normalize import normalize

        sf = read_state(path)
        fail_on_errors(check(sf))
        return normalize(sf.state)
    from engine.show import read_live

    live = asyncio.run(read_live())
    if live.nm_missing:
        from engine.errors import NoBackend

        raise NoBackend(f"{live.nm_missing}; or give the current state with --current FILE")
    return live.state


UNCHECKED_NOTE = (
    "references to interfaces not in the file (ports, controllers, base interfaces, "
    "route interfaces) were not checked"
)


def _host_or_why() -> tuple[dict[str, Any] | None, str]:
    """The live host's state for ``validate``, or None and why no host is reachable.

    The same read ``diff`` makes; where ``diff`` exits 3, ``validate`` checks
    the file alone instead, since a file can be checked without a host.
    """
    import asyncio

    from engine.errors import NoBackend
    from engine.show import read_live

    try:
        live = asyncio.run(read_live())
    except NoBackend as exc:
        return None, str(exc)
    if live.nm_missing:
        return None, live.nm_missing
    return live.state, ""


def cmd_validate(args: argparse.Namespace) -> int:
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    why = ""
    if args.current:
        current: dict[str, Any] | None = read_state(args.current).state
    else:
        current, why = _host_or_why()
    problems = []
    for path in args.files:
        try:
            sf = read_state(path)
        except InvalidInput as exc:  # unreadable or broken YAML: report it, check the rest
            problems += exc.problems
            continue
        found = check(sf, current)
        problems += found
        if not any(p.is_error for p in found):
            print(printable(f"{sf.source}: ok"))
    if current is not None:
        fail_on_errors(problems)
        return 0
    # The errors first (scripts read the first line), then what was not checked.
    code = 0
    try:
        fail_on_errors(problems)
    except InvalidInput as exc:
        print(f"nmtui-state: {printable(str(exc))}", file=sys.stderr)
        code = int(exc.exit_code)
    note = f"nmtui-state: note: no host to check against ({why}); {UNCHECKED_NOTE}"
    print(printable(note + "; give --current FILE to check them"), file=sys.stderr)
    return code


def _merged(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    from engine.merge import merge
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    current = _current(args.current)
    sf = read_state(args.file)
    fail_on_errors(check(sf, current))
    return current, merge(sf.state, current)


def _preview(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """Current, merged-as-the-host-will-be, and the implied effects with their reasons.

    Against the live host the plan is made too (as apply makes it), so DNS
    moves and re-created profiles are known; against a file, what a merge tells.
    """
    import asyncio

    from engine.effects import offline_preview
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    current = _current(args.current)
    sf = read_state(args.file)
    fail_on_errors(check(sf, current))
    if args.current is None:
        from engine.apply import review

        prepared, _live = asyncio.run(review(sf.state))
        return prepared.current, prepared.merged, prepared.effects
    merged, effects = offline_preview(sf.state, current)
    return current, merged, effects


def cmd_diff(args: argparse.Namespace) -> int:
    from engine.diff import diff, summary, unified
    from nmtui_state.cli_io import print_lines, print_unified

    current, merged, effects = _preview(args)
    changes = diff(current, merged)
    if not changes and not effects:
        print("no changes")
        return 0
    print_lines(summary(changes, show_secrets=args.show_secrets))
    if effects:
        print_lines(["", "implied by these changes:", *(f"  {e.format()}" for e in effects)])
    if not args.summary:
        print()
        print_unified(unified(current, merged, show_secrets=args.show_secrets))
    return 0


def cmd_gen_revert(args: argparse.Namespace) -> int:
    from engine import yamlio
    from engine.revert import revert_state

    current, merged = _merged(args)
    sys.stdout.write(
        yamlio.dumps(revert_state(current, merged), fmt="json" if args.json else "yaml")
    )
    return 0


def cmd_format(args: argparse.Namespace) -> int:
    from engine import yamlio
    from engine.secrets import mask
    from nmtui_state.cli_io import read_state

    sf = read_state(args.file)
    state = mask(sf.state, show_secrets=args.show_secrets)
    sys.stdout.write(yamlio.dumps(state, fmt="json" if args.json else "yaml"))
    return 0


def cmd_gen_conf(args: argparse.Namespace) -> int:
    from engine import yamlio
    from engine.genconf import UntranslatableDns, UntranslatableInterface, gen_conf
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    sf = read_state(args.file)
    # Offline, as nmstatectl gc: references to interfaces outside the file are not
    # judged (a keyfile names its parent or controller by interface name).
    fail_on_errors(check(sf, current=None))
    from engine.genconf import offline_state
    from engine.secrets import mask

    for note in offline_state(sf.state)[1]:
        print(f"nmtui-state: note: {printable(note)}", file=sys.stderr)
    try:
        files = gen_conf(mask(sf.state, show_secrets=args.show_secrets))
    except UntranslatableDns as exc:
        problem = Problem(
            exc.path, str(exc), "list the servers of one family first, then the other's"
        )
        raise InvalidInput(yamlio.attach_lines([problem], sf.text, sf.source)) from exc
    except UntranslatableInterface as exc:
        hint = f"leave {exc.name} out of the file, or change it as the message says"
        problem = Problem(f"interfaces[{exc.name}]", str(exc), hint)
        raise InvalidInput(yamlio.attach_lines([problem], sf.text, sf.source)) from exc
    if args.yaml:
        sys.stdout.write(yamlio.dumps({"NetworkManager": [[n, t] for n, t in files]}))
        return 0
    for i, (name, text) in enumerate(files):
        if i:
            print()
        print(f"# {name}")
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


HANDLERS = {
    "validate": cmd_validate,
    "diff": cmd_diff,
    "gen-revert": cmd_gen_revert,
    "gr": cmd_gen_revert,
    "format": cmd_format,
    "gen-conf": cmd_gen_conf,
    "gc": cmd_gen_conf,
}
