"""First-boot service: apply every state file dropped in a directory, like ``nmstatectl service``.

Provisioning (cloud-init, ignition, a kickstart ``%post``, an image build)
drops ``*.yml`` / ``*.yaml`` files into ``/etc/nmstate``; at boot the
service applies them in name order, each in its own checkpoint with
verification, and renames each applied file to ``NAME.applied`` (nmstate's
naming) so the next boot does not apply it again. With
``keep_state_file_after_apply = true`` in the ``[service]`` section of
``nmstate.conf`` the file stays and a copy is written as ``NAME.applied``;
a file whose ``.applied`` copy has the same content is then skipped, so a
second run with nothing new is a no-op either way.

A failed file is rolled back (by the apply's checkpoint), left in place
and reported; the files after it are still tried. Each apply starts from
the state the previous ones left, and a failure restores exactly that
state, so a later independent file (say the management interface) is not
held hostage by an earlier broken one. A later file that depends on the
failed one fails its own validation and is reported too.

UI-free; the CLI (``nmtui-state service``) formats the events.
"""

from __future__ import annotations

import configparser
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from engine import yamlio
from engine.errors import ExitCode, InvalidInput, NmtuiError, NoBackend, Problem

DEFAULT_CONFIG_DIR = "/etc/nmstate"
CONF_NAME = "nmstate.conf"
SUFFIXES = (".yml", ".yaml")
APPLIED = ".applied"
DEFAULT_STATUS = "/run/nmtui-state/service.json"


@dataclass(frozen=True)
class ServiceConf:
    """The ``[service]`` section of ``nmstate.conf`` (only what this service honours)."""

    keep_state_file_after_apply: bool = False


@dataclass(frozen=True)
class Event:
    """One thing that happened to one file: the CLI prints it as one log line."""

    file: str
    event: str  # applied | unchanged | failed | invalid | skipped
    detail: str = ""
    changes: int = 0
    renamed_to: str = ""


@dataclass
class Report:
    """Every event of a run, and the exit code they add up to."""

    events: list[Event] = field(default_factory=list)

    @property
    def failed(self) -> list[Event]:
        return [e for e in self.events if e.event in ("failed", "invalid")]

    @property
    def exit_code(self) -> int:
        """1 when any apply failed; 2 when only invalid files stood; else 0."""
        kinds = {e.event for e in self.events}
        if "failed" in kinds:
            return int(ExitCode.APPLY_FAILED)
        if "invalid" in kinds:
            return int(ExitCode.INVALID_INPUT)
        return int(ExitCode.OK)


def read_conf(config_dir: str | Path) -> ServiceConf:
    """Parse ``DIR/nmstate.conf`` (a TOML-style ini file); a missing file means defaults."""
    path = Path(config_dir) / CONF_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ServiceConf()
    except OSError as exc:
        problem = Problem("", f"cannot read it: {exc.strerror}", source=str(path))
        raise InvalidInput([problem]) from exc
    parser = configparser.ConfigParser(inline_comment_prefixes=("#",))
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        first = str(exc).splitlines()[0]
        raise InvalidInput(
            [Problem("", first, "write it as '[service]' then 'key = value'", source=str(path))]
        ) from exc
    raw = parser.get("service", "keep_state_file_after_apply", fallback="false")
    value = raw.strip().strip("\"'").lower()
    if value not in ("true", "false"):
        raise InvalidInput(
            [
                Problem(
                    "service.keep_state_file_after_apply",
                    f"must be true or false, got {raw!r}",
                    "write keep_state_file_after_apply = true",
                    source=str(path),
                )
            ]
        )
    return ServiceConf(keep_state_file_after_apply=value == "true")


def applied_path(path: Path) -> Path:
    """Where an applied ``NAME.yml`` goes: ``NAME.applied``, as nmstate names it."""
    return path.with_suffix(APPLIED)


def state_files(config_dir: str | Path) -> list[Path]:
    """The ``*.yml`` and ``*.yaml`` files of the directory, in name (byte) order.

    Two files of the same stem with both suffixes are refused (InvalidInput,
    nothing applied): which one is meant cannot be told, and both would be
    renamed to the same ``.applied`` file.
    """
    root = Path(config_dir)
    if not root.is_dir():
        return []
    found = sorted(
        (p for p in root.iterdir() if p.suffix in SUFFIXES and p.is_file()),
        key=lambda p: os.fsencode(p.name),
    )
    stems: dict[str, Path] = {}
    for path in found:
        if path.stem in stems:
            raise InvalidInput(
                [
                    Problem(
                        "",
                        f"both {stems[path.stem].name} and {path.name} exist; nothing was applied",
                        "keep one of them",
                        source=str(root),
                    )
                ]
            )
        stems[path.stem] = path
    return found


def _unchanged(path: Path, text: str) -> bool:
    """Kept file whose ``.applied`` copy says the same: it was applied by an earlier run."""
    try:
        return applied_path(path).read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _record(path: Path, text: str, keep: bool) -> Path:
    """Mark ``path`` applied: rename it, or (keep) write the ``.applied`` copy beside it."""
    target = applied_path(path)
    if keep:
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    else:
        os.replace(path, target)
    return target


async def _apply_file(
    path: Path,
    conf: ServiceConf,
    bus_address: str | None,
    netns: str | None,
    timeout: int,
) -> Event:
    from engine.apply import apply_async

    try:
        text, source = yamlio.read_text(path)
    except InvalidInput as exc:
        return Event(path.name, "invalid", str(exc))
    if conf.keep_state_file_after_apply and _unchanged(path, text):
        return Event(path.name, "unchanged", f"same as {applied_path(path).name}")
    try:
        state = yamlio.loads(text, source)
        result = await apply_async(
            state, timeout=timeout, bus_address=bus_address, netns=netns, source=source
        )
    except NoBackend:
        raise
    except InvalidInput as exc:
        problems = yamlio.attach_lines(exc.problems, text, source)
        return Event(path.name, "invalid", str(InvalidInput(problems)))
    except NmtuiError as exc:
        return Event(path.name, "failed", str(exc))
    target = _record(path, text, conf.keep_state_file_after_apply)
    return Event(
        path.name,
        "applied",
        changes=len(result.prepared.changes),
        renamed_to="" if conf.keep_state_file_after_apply else target.name,
        detail=f"copied to {target.name}" if conf.keep_state_file_after_apply else "",
    )


async def run_service(
    config_dir: str | Path = DEFAULT_CONFIG_DIR,
    *,
    bus_address: str | None = None,
    netns: str | None = None,
    timeout: int = 60,
    on_event: Callable[[Event], None] | None = None,
) -> Report:
    """Apply each state file of ``config_dir`` in name order; see the module docstring.

    ``on_event`` sees each event as it happens (the log); NoBackend stops the
    run (no NetworkManager: no file can be applied, all stay in place).
    """
    conf = read_conf(config_dir)
    report = Report()
    for path in state_files(config_dir):
        event = await _apply_file(path, conf, bus_address, netns, timeout)
        report.events.append(event)
        if on_event is not None:
            on_event(event)
    return report


def write_status(path: str | Path, config_dir: str | Path, report: Report) -> None:
    """Leave the run's outcome where the console finds it (a runtime file, gone at reboot)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {
        "config_dir": str(Path(config_dir).resolve()),
        "exit_code": report.exit_code,
        "events": [asdict(e) for e in report.events],
    }
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def read_status(path: str | Path) -> dict[str, Any] | None:
    """The last run's status (None when there is none or it is unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def failed_files(config_dir: str | Path, status: dict[str, Any] | None) -> list[tuple[Path, str]]:
    """(file, why) for each state file the last run left in place (it failed or was invalid)."""
    reasons: dict[str, str] = {}
    if status is not None:
        for event in status.get("events", []):
            if isinstance(event, dict) and event.get("event") in ("failed", "invalid"):
                reasons[str(event.get("file"))] = str(event.get("detail", ""))
    try:
        files = state_files(config_dir)
    except InvalidInput as exc:
        return [(Path(config_dir), str(exc))]
    return [(p, reasons.get(p.name, "")) for p in files if status is None or p.name in reasons]
