"""DNS server orders that NetworkManager profiles can and cannot carry."""

from __future__ import annotations

import pytest

from engine.validate import validate


def _servers(*servers: str) -> dict[str, object]:
    return {"dns-resolver": {"config": {"server": list(servers)}}}


@pytest.mark.parametrize(
    "servers",
    [
        ("192.0.2.1", "2001:db8::1", "192.0.2.2"),
        ("2001:db8::1", "192.0.2.1", "2001:db8::2"),
    ],
)
def test_alternating_families_are_refused_with_the_fix(servers: tuple[str, ...]) -> None:
    (problem,) = validate(_servers(*servers))
    assert problem.path == "dns-resolver.config.server"
    assert "alternate" in problem.message
    assert "one family first" in problem.hint


@pytest.mark.parametrize(
    "servers",
    [
        ("2001:db8::1", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.2", "2001:db8::1", "2001:db8::2"),
        ("2001:db8::1", "2001:db8::2", "192.0.2.1"),
    ],
)
def test_one_family_then_the_other_is_fine(servers: tuple[str, ...]) -> None:
    assert validate(_servers(*servers)) == []
