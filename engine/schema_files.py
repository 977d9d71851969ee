"""Find and load the JSON Schema shipped as data.

In a checkout the schema lives in ``<repo>/schema/``; in a wheel hatchling
force-includes it as ``engine/_schema/``. ``schema`` is never an import
package because PyPI's ``schema`` project owns that name.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = "network-state.schema.json"


def schema_dir() -> Path:
    """Directory holding the schema files, installed copy first."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_schema", here.parent / "schema"):
        if (candidate / SCHEMA_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        f"{SCHEMA_FILE} not found in {here / '_schema'} or {here.parent / 'schema'}; "
        "reinstall nmtui-state"
    )


@cache
def load_schema() -> dict[str, Any]:
    """The network-state schema as a dict (cached: it is read on every validate)."""
    with open(schema_dir() / SCHEMA_FILE, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data
