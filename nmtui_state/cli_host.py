"""Host commands: show, apply, commit, rollback, edit (they talk to NetworkManager).

Handlers import what they use (asyncio, YAML, the engine) when they run, so
building the parser stays cheap and ``show`` can start its kernel read first.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from typing import Any

from engine.errors import ApplyFailed, InvalidInput
from engine.textsafe import printable
from nmtui_state.cli_args import timeout_seconds

#: What interrupts an apply (and rolls it back at once). A signal this process was
#: started with ignored stays ignored, as the shell and Python mean it: ``nohup``
#: ignores SIGHUP so that a hang-up does not stop the job, and a background job
#: (``&`` in a script) ignores SIGINT so that a Ctrl-C meant for the foreground
#: does not reach it.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def stop_signals() -> list[signal.Signals]:
    """The STOP_SIGNALS this process was not started with ignored."""
    return [s for s in STOP_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN]


#: What ``apply`` says when the host already is as asked (no profile written, nothing reapplied).
NOTHING = "nothing to change"


def add_parsers(sub: Any) -> None:
    show = sub.add_parser("show", help="print the live network state (like nmstatectl show)")
    show.add_argument("globs", nargs="*", metavar="IFACE-GLOB", help="only these interfaces")
    show.add_argument("--json", action="store_true", help="JSON instead of YAML")
    show.add_argument(
        "-r",
        "--running-config",
        action="store_true",
        help="only the configured parts, not the running halves",
    )
    show.add_argument("-s", "--show-secrets", action="store_true", help="do not mask secrets")

    apply = sub.add_parser(
        "apply",
        aliases=["set"],  # nmstatectl's old name, still accepted there
        help="apply state files inside a NetworkManager checkpoint",
    )
    apply.add_argument(
        "files", nargs="*", default=["-"], metavar="FILE", help="state files; none or - reads stdin"
    )
    apply.add_argument("--no-verify", action="store_true", help="do not verify the result")
    apply.add_argument(
        "--no-commit",
        action="store_true",
        help="leave the checkpoint pending: commit or rollback later",
    )
    apply.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=60,
        metavar="S",
        help="checkpoint rollback timeout in seconds (default 60)",
    )
    apply.add_argument("--memory-only", action="store_true", help="do not write profiles to disk")
    apply.add_argument("-s", "--show-secrets", action="store_true")
    apply.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    for name, text in (
        ("commit", "keep the changes of a pending checkpoint"),
        ("rollback", "undo the changes of a pending checkpoint now"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument(
            "checkpoint",
            nargs="?",
            metavar="CHECKPOINT",
            help="its D-Bus path or number (default: the pending one)",
        )

    edit = sub.add_parser("edit", help="edit the live state in $EDITOR, then apply it")
    edit.add_argument("globs", nargs="*", metavar="IFACE", help="only these interfaces")
    edit.add_argument("--timeout", type=timeout_seconds, default=60, metavar="S")
    edit.add_argument("--no-commit", action="store_true")
    edit.add_argument("--no-verify", action="store_true", help="do not verify the result")
    edit.add_argument("--memory-only", action="store_true", help="do not write profiles to disk")


def cmd_show(args: argparse.Namespace) -> int:
    from engine.prestart import kernel_read

    # Started before the rest of the show path is imported: the kernel read runs in a
    # helper process, whose start-up then overlaps our imports (see engine.prestart).
    kernel = kernel_read()
    import asyncio

    from engine import secrets, yamlio
    from engine.show import filter_interfaces, read_live, running_config

    live = asyncio.run(read_live(kernel=kernel, secrets=args.show_secrets))
    if live.nm_missing:
        print(
            f"nmtui-state: note: NetworkManager data missing ({live.nm_missing}); "
            "showing the kernel's view only",
            file=sys.stderr,
        )
    state = filter_interfaces(live.state, args.globs)
    if args.running_config:
        state = running_config(state)
    state = secrets.mask(state, show_secrets=args.show_secrets)
    sys.stdout.write(yamlio.dumps(state, fmt="json" if args.json else "yaml"))
    return 0


def _apply_one(state: dict[str, Any], args: argparse.Namespace, source: str) -> int:
    import asyncio

    from engine.apply import ApplyResult, apply_async
    from engine.diff import summary

    quiet = getattr(args, "quiet", False)

    def progress(line: str) -> None:
        if not quiet:
            print(f"  {printable(line, newlines=False)}", file=sys.stderr)

    caught: list[int] = []
    verdict: list[str] = []

    async def run() -> ApplyResult:
        # Ctrl-C, SIGTERM and SIGHUP (a killed job, a dropped SSH session) cancel the
        # apply, so the checkpoint is rolled back now rather than at its timeout. Our
        # handler, not asyncio.run's, for SIGINT too: ``caught`` is asked once more
        # before the commit, and a second signal must not cut the rollback short.
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def stop(signum: int) -> None:
            if caught:
                print(
                    "nmtui-state: still rolling back; if this process is killed, "
                    "NetworkManager rolls the checkpoint back by itself at its timeout",
                    file=sys.stderr,
                )
                return
            caught.append(signum)
            # Said now: the rollback takes a moment, and a silent Ctrl-C invites another.
            print(f"nmtui-state: {signal.Signals(signum).name}: rolling back...", file=sys.stderr)
            task.cancel()

        saved = {signum: signal.getsignal(signum) for signum in stop_signals()}
        for signum in saved:
            loop.add_signal_handler(signum, stop, signum)
        try:
            return await apply_async(
                state,
                verify_result=not getattr(args, "no_verify", False),
                commit=not args.no_commit,
                timeout=args.timeout,
                memory_only=getattr(args, "memory_only", False),
                progress=progress,
                source=source,
                stop_requested=lambda: bool(caught),
            )
        except (asyncio.CancelledError, KeyboardInterrupt) as exc:
            verdict[:] = getattr(exc, "__notes__", [])
            raise
        finally:
            for signum, handler in saved.items():
                loop.remove_signal_handler(signum)
                signal.signal(signum, handler)

    try:
        result = asyncio.run(run())
    except (KeyboardInterrupt, asyncio.CancelledError):
        signum = caught[0] if caught else signal.SIGINT
        said = "\n".join(verdict) or "nothing had been changed yet"
        print(
            f"nmtui-state: interrupted ({signal.Signals(signum).name}); {printable(said)}",
            file=sys.stderr,
        )
        raise SystemExit(128 + signum) from None
    for note in result.notes:
        print(f"nmtui-state: warning: {printable(note)}", file=sys.stderr)
    changes = result.prepared.changes
    if not quiet:
        lines = summary(changes, show_secrets=getattr(args, "show_secrets", False))
        lines += [f"implied: {e.format()}" for e in result.prepared.effects]
        if not lines:
            # Nothing in the state changes; say whether NetworkManager was asked anything.
            steps = result.prepared.plan.describe()
            lines = [f"no changes; NetworkManager: {'; '.join(steps)}" if steps else NOTHING]
        print(printable("\n".join(lines)))
    cp = result.checkpoint
    if cp is not None:
        print(
            f"checkpoint {cp.path} pending: keep with 'nmtui-state commit {cp.number}'"
            f" or undo with 'nmtui-state rollback {cp.number}'; NetworkManager rolls it back "
            f"by itself in {cp.seconds_left()} s",
            file=sys.stderr,
        )
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    if args.command == "set":
        print("nmtui-state: 'set' is deprecated (as in nmstatectl); use 'apply'", file=sys.stderr)
    if args.files == ["-"] and sys.stdin.isatty():
        print(
            "nmtui-state: reading the state from the terminal; end it with Ctrl-D", file=sys.stderr
        )
    from engine.prestart import prestart

    prestart()  # the kernel reader starts while the files are loaded and checked
    from engine import yamlio
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    loaded = [read_state(path) for path in args.files]  # all files parse before any applies
    for sf in loaded:
        schema = [p for p in check(sf) if p.is_error and "does not exist" not in p.message]
        fail_on_errors(schema)
    for sf in loaded:
        try:
            _apply_one(sf.state, args, sf.source)
        except InvalidInput as exc:
            raise InvalidInput(yamlio.attach_lines(exc.problems, sf.text, sf.source)) from exc
    return 0


def _pending_note() -> str:
    """Which checkpoints are pending, said after a refused commit/rollback (best effort)."""
    import asyncio

    from engine.checkpoint import pending_numbers

    nums = asyncio.run(pending_numbers())
    if nums is None:
        return ""
    if not nums:
        return "; no checkpoint is pending"
    listed = ", ".join(str(n) for n in nums)
    return f"; still pending (NetworkManager rolls it back at its timeout): {listed}"


def cmd_checkpoint(args: argparse.Namespace) -> int:
    import asyncio

    from engine.checkpoint import finish

    try:
        done = asyncio.run(finish(args.command, args.checkpoint))
    except InvalidInput as exc:
        import dataclasses

        note = _pending_note()
        problems = [dataclasses.replace(p, message=p.message + note) for p in exc.problems]
        raise InvalidInput(problems) from exc
    except ApplyFailed as exc:
        if args.checkpoint is not None:
            exc.args = (f"{exc}{_pending_note()}",)
        raise
    if done.report is None:
        print(f"committed {done.path}")
        return 0
    print(printable(done.report.format(f"rolled back {done.path}")))
    return 0 if done.report.restored or not done.report.checked else int(ApplyFailed.exit_code)


def _ask(prompt: str) -> bool:
    """Yes/no on stderr (stdout carries only results); no answer (EOF) is no."""
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("", "y", "yes")


def cmd_edit(args: argparse.Namespace) -> int:
    """nmstatectl-style $EDITOR round trip: show → edit → validate (retry on error) → apply."""
    from engine.prestart import prestart

    prestart()
    import asyncio

    from engine import yamlio
    from engine.show import filter_interfaces, read_live, running_config
    from nmtui_state.cli_io import check, fail_on_errors, read_state

    live = asyncio.run(read_live())
    state = running_config(filter_interfaces(live.state, args.globs))
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yml", prefix="nmtui-state-edit-", delete=False
    ) as fh:
        fh.write(yamlio.dumps(state))
        path = fh.name
    try:
        while True:
            subprocess.run([*shlex.split(editor), path], check=False)
            try:
                sf = read_state(path)
                fail_on_errors(check(sf, live.state))
                break
            except InvalidInput as exc:
                print(f"nmtui-state: {exc}", file=sys.stderr)
                if not _ask("edit again? [Y/n] "):
                    raise
        args.files = [path]
        return _apply_one(sf.state, args, path)
    finally:
        os.unlink(path)


HANDLERS = {
    "show": cmd_show,
    "apply": cmd_apply,
    "set": cmd_apply,
    "commit": cmd_checkpoint,
    "rollback": cmd_checkpoint,
    "edit": cmd_edit,
}
