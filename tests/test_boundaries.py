"""Import boundaries: the engine is UI-free; widgets never talk to D-Bus or the app;
the backend never imports the pipeline above it; the app and CLI speak only the engine."""

from __future__ import annotations

import ast
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
    assert "4 kept, 0 broken" in result.stdout


PIPELINE = {
    "engine.show",
    "engine.normalize",
    "engine.comparable",
    "engine.validate",
    "engine.rules",
    "engine.rules_context",
    "engine.rules_link",
    "engine.rules_topology",
    "engine.schema_messages",
    "engine.merge",
    "engine.merge_sections",
    "engine.diff",
    "engine.plan",
    "engine.checkpoint",
    "engine.apply",
    "engine.verify",
    "engine.revert",
    "engine.genconf",
    "engine.draft",
    "engine.watch",
}

BACKEND_PROBE = """
import importlib, pkgutil, sys
import engine.backend
for mod in pkgutil.walk_packages(engine.backend.__path__, "engine.backend."):
    importlib.import_module(mod.name)
print(",".join(sorted(m for m in sys.modules if m in {pipeline!r})))
"""


def test_backend_loads_no_pipeline_module() -> None:
    code = BACKEND_PROBE.format(pipeline=PIPELINE)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO
    ).stdout.strip()
    assert out == ""


def _direct_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_app_and_cli_import_no_dbus_netlink_or_backend() -> None:
    """Only the sandbox (it builds a host) may; everything else goes through the engine."""
    bad = {}
    for path in sorted((REPO / "nmtui_state").rglob("*.py")):
        if path.stem.startswith("sandbox"):
            continue
        hits = {
            m
            for m in _direct_imports(path)
            if m.split(".")[0] in ("dbus_fast", "dbus_next", "pyroute2")
            or m.startswith("engine.backend")
        }
        if hits:
            bad[str(path.relative_to(REPO))] = sorted(hits)
    assert bad == {}
