"""Semantic validation: what a JSON Schema cannot say (placeholder, being written)."""

from __future__ import annotations

from typing import Any

from engine.errors import Problem


def semantic_problems(desired: dict[str, Any], current: dict[str, Any] | None = None) -> list[Problem]:
    """Problems of ``desired`` judged against ``current`` (the host's state, when known)."""
    return []
