"""The wheel installs on its own: console script, version, and the schema shipped as data."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from nmtui_state import __version__

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_finds_schema(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("nmtui_state-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    out = subprocess.run(
        [str(env_dir / "bin" / "nmtui-state"), "--version"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert out.strip() == f"nmtui-state {__version__}"
    probe = (
        "from engine.schema_files import load_schema, schema_dir; "
        "s = load_schema(); print(schema_dir()); print(s['$schema'])"
    )
    where, dialect = subprocess.run(
        [str(py), "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout.split()
    assert where.startswith(str(env_dir)), where
    assert where.endswith("engine/_schema")
    assert "2020-12" in dialect
    # schema/ must not have become an import package shadowing PyPI's `schema`
    shadow = subprocess.run([str(py), "-c", "import schema"], capture_output=True, cwd=tmp_path)
    assert shadow.returncode != 0
    mod = subprocess.run(
        [str(py), "-m", "nmtui_state", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert mod.stdout.strip() == f"nmtui-state {__version__}"
