"""nmstate's published examples (``examples/*.yml`` of github.com/nmstate/nmstate).

Every one of them is a state nmstate's schema accepts, so each must pass our
validation offline and ``gen-conf`` must turn it into keyfiles, as
``nmstatectl gc`` does, with no host. The copies live in
``tests/data/nmstate_examples`` with a header naming their origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.genconf import gen_conf
from engine.validate import validate

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "nmstate_examples").glob("*.yml"))


#: Examples not handled yet, with the reason; strict xfail, so fixing one fails until removed.
VALIDATE_GAPS: dict[str, str] = {}
GEN_CONF_GAPS: dict[str, str] = {}


def _cases(gaps: dict[str, str]) -> list[Any]:
    return [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=gaps[p.stem]))
        if p.stem in gaps
        else p
        for p in EXAMPLES
    ]


def _load(path: Path) -> dict[str, Any]:
    state = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(state, dict)
    return state


def test_all_examples_are_here() -> None:
    assert len(EXAMPLES) == 47
    assert len(EXAMPLES) - len(set(VALIDATE_GAPS) | set(GEN_CONF_GAPS)) == 47  # every example


@pytest.mark.parametrize("path", _cases(VALIDATE_GAPS), ids=lambda p: p.stem)
def test_example_validates_offline(path: Path) -> None:
    errors = [p.format() for p in validate(_load(path)) if p.is_error]
    assert errors == []


@pytest.mark.parametrize("path", _cases(GEN_CONF_GAPS), ids=lambda p: p.stem)
def test_example_gen_conf(path: Path) -> None:
    state = _load(path)
    assert not [p for p in validate(state) if p.is_error]  # what gen-conf's CLI checks first
    files = gen_conf(state)
    live = [
        i for i in state.get("interfaces", []) if i.get("state", "up") not in ("absent", "ignore")
    ]
    assert len(files) >= len(live)
    for name, text in files:
        assert name.endswith(".nmconnection") and text.startswith("[connection]\n"), name
