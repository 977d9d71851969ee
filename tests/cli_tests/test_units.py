"""The systemd units: shipped in the wheel, installed by one command, accepted by systemd.

``systemd-analyze verify`` reports unknown keys only as warnings (exit 0),
so a clean verify here means exit 0 *and* nothing on stderr.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nmtui_state.units import CONSOLE, SERVICE, unit_text
from tests.conftest import IN_CI

REPO = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).parent / "nmtui-state")


def _analyze() -> str:
    found = shutil.which("systemd-analyze")
    if not found:
        if IN_CI:
            pytest.fail("systemd-analyze is needed (apt-get install systemd; scripts/dev.sh does)")
        pytest.skip("systemd-analyze not installed")
    return found


def _verify(*units: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_analyze(), "verify", *map(str, units)], capture_output=True, text=True, timeout=60
    )


def _install(dest: Path) -> list[str]:
    out = subprocess.run(
        [EXE, "install-units", "--dest", str(dest), "--no-enable"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def _settings(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def test_install_units_writes_units_that_systemd_accepts(tmp_path: Path) -> None:
    assert _install(tmp_path) == [f"wrote {tmp_path / SERVICE}", f"wrote {tmp_path / CONSOLE}"]
    service = _settings((tmp_path / SERVICE).read_text())
    assert service["Type"] == ["oneshot"]
    assert "NetworkManager.service" in service["After"][0].split()
    assert "network-online.target" in service["Before"][0].split()
    assert service["ExecStart"] == [f"{EXE} service"]  # the executable actually installed
    console = _settings((tmp_path / CONSOLE).read_text())
    assert console["ExecStart"] == [f"{EXE} console"]
    assert console["ExecCondition"][0].startswith(f"{EXE} console --needed")
    assert console["TTYPath"] == ["/dev/%I"]
    # The template is verified through an instance, as systemd would start it.
    result = _verify(tmp_path / SERVICE, tmp_path / "nmtui-state-console@ttyS0.service")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above bites: a unit naming a missing command fails verification."""
    _install(tmp_path)
    text = (tmp_path / CONSOLE).read_text().replace(EXE, "/nonexistent/nmtui-state")
    (tmp_path / CONSOLE).write_text(text)
    result = _verify(tmp_path / "nmtui-state-console@ttyS0.service")
    assert result.returncode != 0 and "nonexistent" in result.stderr


def test_console_condition_runs(tmp_path: Path) -> None:
    """ExecCondition's command exists and answers 0 or 1 (not a usage error)."""
    text = unit_text(CONSOLE)
    assert "ExecCondition=/usr/bin/nmtui-state console --needed" in text
    out = subprocess.run(
        [EXE, "console", "--needed", "-c", str(tmp_path), "--status", ""],
        capture_output=True,
        text=True,
        timeout=60,
        env={"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/nobus", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode in (0, 1), out.stderr
    assert out.stdout.startswith("console needed:" if out.returncode == 0 else "console not needed")


@pytest.mark.slow
def test_units_are_in_the_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("nmtui_state-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert f"nmtui_state/units/{SERVICE}" in names
    assert f"nmtui_state/units/{CONSOLE}" in names
