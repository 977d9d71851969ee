"""The ``nmtui-state`` command line: one entry point for the app and the scriptable commands.

Subcommands mirror nmstatectl where they overlap (show, apply, commit,
rollback, edit, gen-conf), so muscle memory and scripts carry over. Each
command's work lives in the engine; this module only parses arguments,
prints, and maps errors to exit codes (0 ok, 1 apply failed, 2 invalid
input, 3 no backend).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence

from engine.errors import ExitCode, NmtuiError
from engine.textsafe import printable
from nmtui_state import __version__

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    """Register a subcommand handler (the parser is built in :func:`build_parser`)."""

    def deco(fn: Handler) -> Handler:
        _COMMANDS[name] = fn
        return fn

    return deco


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser and the names of its subcommands."""
    from nmtui_state.cli_args import Parser, timeout_seconds

    parser = Parser(
        prog="nmtui-state",
        description="Declarative host networking (nmstate YAML) in a terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"nmtui-state {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="run against a fresh disposable demo host (private NetworkManager in a netns)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    app = sub.add_parser("app", help="the terminal UI (the default: nmtui-state [FILE])")
    app.add_argument("file", nargs="?", help="open this desired-state file as the draft")
    app.add_argument("--readonly", action="store_true", help="browse only, never apply")
    app.add_argument(
        "--firstboot",
        action="store_true",
        help="the set-up console for a serial line or VT (same as: nmtui-state console)",
    )
    app.add_argument(
        "--countdown",
        type=timeout_seconds,
        default=60,
        metavar="S",
        help="seconds to confirm an applied change before it is rolled back",
    )

    sb = sub.add_parser("sandbox", help="start a disposable NetworkManager host and run CMD in it")
    sb.add_argument("--demo", action="store_true", help="build the demo host (eth1-3, br0)")
    sb.add_argument(
        "--cleanup",
        action="store_true",
        help="remove sandboxes (netns, temp dir) left by an owner that died, then exit",
    )
    sb.add_argument("cmd", nargs=argparse.REMAINDER, help="command to run (default: a shell)")

    from nmtui_state import cli_commands

    cli_commands.add_parsers(sub)
    return parser, set(sub.choices)


@contextlib.contextmanager
def _sandbox_env() -> Iterator[None]:
    """Start a demo sandbox and point this process's clients at it for the duration."""
    from nmtui_state.sandbox import Sandbox

    saved = {k: os.environ.get(k) for k in ("DBUS_SYSTEM_BUS_ADDRESS", "NMTUI_STATE_NETNS")}
    with Sandbox(demo=True) as sb:
        os.environ.update({"DBUS_SYSTEM_BUS_ADDRESS": sb.bus_address, "NMTUI_STATE_NETNS": sb.name})
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


@command("sandbox")
def cmd_sandbox(args: argparse.Namespace) -> int:
    from nmtui_state.sandbox import Sandbox

    argv = list(args.cmd)
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if args.cleanup:
        return _cleanup(argv)
    with Sandbox(demo=args.demo) as sb:
        if not argv:
            print(
                f"sandbox {sb.name} ready in {sb.ready_seconds:.2f} s; "
                f"DBUS_SYSTEM_BUS_ADDRESS={sb.bus_address}; exit the shell to tear it down",
                file=sys.stderr,
            )
            argv = [os.environ.get("SHELL", "/bin/sh")]
        try:
            return sb.run(argv).returncode
        except FileNotFoundError:
            print(f"nmtui-state: {argv[0]}: command not found", file=sys.stderr)
            return 127
        except KeyboardInterrupt:
            return 130


def _cleanup(argv: list[str]) -> int:
    from nmtui_state.sandbox import missing_prerequisites
    from nmtui_state.sandbox_cleanup import cleanup_stale

    if argv:
        print("nmtui-state: sandbox --cleanup takes no command", file=sys.stderr)
        return int(ExitCode.INVALID_INPUT)
    if os.geteuid() != 0:
        print(f"nmtui-state: {missing_prerequisites()}", file=sys.stderr)
        return int(ExitCode.NO_BACKEND)
    removed = cleanup_stale()
    for stale in removed:
        print(f"removed stale sandbox: {stale.describe()}")
    if not removed:
        print("no stale sandboxes")
    return int(ExitCode.OK)


GLOBAL_FLAGS = {"--sandbox"}


def _with_default_command(argv: list[str], commands: set[str]) -> list[str]:
    """Insert ``app`` unless a subcommand is named: ``nmtui-state [FILE]`` is the TUI."""
    for i, arg in enumerate(argv):
        if arg in GLOBAL_FLAGS:
            continue
        if arg in commands or arg in ("-h", "--help", "--version"):
            return argv
        return [*argv[:i], "app", *argv[i:]]
    return [*argv, "app"]


def _exit_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM/SIGHUP become SystemExit, so ``with Sandbox()`` blocks tear down on the way out."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = build_parser()
    args = parser.parse_args(
        _with_default_command(list(sys.argv[1:] if argv is None else argv), commands)
    )
    name = args.command
    handler = _COMMANDS.get(name)
    if handler is None:
        from nmtui_state import cli_commands

        handler = cli_commands.handler(name)
    if args.sandbox or name == "sandbox":
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _exit_on_signal)
    try:
        if args.sandbox and name != "sandbox":
            with _sandbox_env():
                return handler(args)
        return handler(args)
    except NmtuiError as exc:
        print(f"nmtui-state: {printable(str(exc))}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return int(ExitCode.OK)
