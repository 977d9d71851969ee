"""Import boundaries: the engine is UI-free; widgets never talk to D-Bus or the app."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, pkgutil, sys
import {package}
for mod in pkgutil.walk_packages({package}.__path__, "{package}."):
    importlib.import_module(mod.name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})
print(",".join(bad))
"""


def _loaded_forbidden(package: str, forbidden: set[str]) -> str:
    code = PROBE.format(package=package, forbidden=forbidden)
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.strip()


def test_engine_imports_no_ui() -> None:
    assert _loaded_forbidden("engine", {"textual", "rich", "widgets", "nmtui_state"}) == ""


def test_widgets_import_no_dbus() -> None:
    assert _loaded_forbidden("widgets", {"dbus_fast", "dbus_next", "pyroute2", "nmtui_state"}) == ""


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a test dependency"
    result = subprocess.run([exe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout
