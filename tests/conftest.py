"""Shared fixtures: real NetworkManager sandboxes.

NetworkManager tests need root, network-manager and dbus-daemon. Without
them they skip on a developer's machine, but under ``CI=true`` a missing
prerequisite is a failure: the suite must not go green by skipping the
real part.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from nmtui_state.sandbox import Sandbox, missing_prerequisites

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_nm() -> None:
    """Skip (or, in CI, fail) when a sandbox cannot run here."""
    problem = missing_prerequisites()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI must run the NetworkManager tests, but: {problem}")
    pytest.skip(problem)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A bare sandbox (NetworkManager, loopback only), one per test."""
    require_nm()
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def demo_sandbox() -> Iterator[Sandbox]:
    """A demo host (eth1, eth2, eth3, br0, addresses, route, DNS, hostname), one per test."""
    require_nm()
    with Sandbox(demo=True) as sb:
        yield sb


@pytest.fixture(scope="module")
def module_demo_sandbox() -> Iterator[Sandbox]:
    """A demo host shared by the tests of one module (they must not change it)."""
    require_nm()
    with Sandbox(demo=True) as sb:
        yield sb


@pytest.fixture(scope="module")
def host(module_demo_sandbox: Sandbox) -> Sandbox:
    """The module's demo host, for tests that change it and put it back as they found it."""
    return module_demo_sandbox


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a sandbox fixture with ``nm``."""
    for item in items:
        if {"sandbox", "demo_sandbox", "module_demo_sandbox", "host"} & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.nm)
