"""Fixtures of the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_tests.file_helpers import CURRENT, DESIRED, write


@pytest.fixture
def states(tmp_path: Path) -> tuple[str, str]:
    return write(tmp_path, "cur.yml", CURRENT), write(tmp_path, "want.yml", DESIRED)
