"""Secret detection and masking (engine.secrets)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine import secrets
from engine.secrets import PLACEHOLDER, SECRET_KEYS, is_secret_path, mask


def test_placeholder_is_nmstates() -> None:
    assert PLACEHOLDER == "<_password_hid_by_nmstate>"
    assert {"password", "private-key-password", "psk"} <= SECRET_KEYS


def test_mask_replaces_secrets_only() -> None:
    state: dict[str, Any] = {
        "interfaces": [
            {
                "name": "key",  # an interface called "key" is not a secret
                "802.1x": {"identity": "me", "password": "hunter2", "private-key-password": 7},
                "ipsec": {"psk": "abc", "enabled": True},
            }
        ]
    }
    before = copy.deepcopy(state)
    out = mask(state)
    assert state == before
    iface = out["interfaces"][0]
    assert iface["name"] == "key"
    assert iface["802.1x"] == {
        "identity": "me",
        "password": PLACEHOLDER,
        "private-key-password": PLACEHOLDER,
    }
    assert iface["ipsec"] == {"psk": PLACEHOLDER, "enabled": True}
    assert mask(state, show_secrets=True) == state


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("interfaces[eth0].802.1x.password", True),
        ("interfaces[eth0.10].ipsec.psk", True),
        ("interfaces[password].mtu", False),
        ("interfaces[eth0].802.1x.identity", False),
        ("", False),
    ],
)
def test_is_secret_path(path: str, secret: bool) -> None:
    assert is_secret_path(path) is secret


def test_schema_annotation_adds_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    schema = {
        "$defs": {"wifi": {"properties": {"wpa-token": {"type": "string", "x-secret": True}}}}
    }
    monkeypatch.setattr("engine.schema_files.load_schema", lambda: schema)
    secrets.secret_keys.cache_clear()
    try:
        assert "wpa-token" in secrets.secret_keys()
        assert mask({"wifi": {"wpa-token": "t"}}) == {"wifi": {"wpa-token": PLACEHOLDER}}
    finally:
        secrets.secret_keys.cache_clear()


def test_missing_schema_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> dict[str, Any]:
        raise FileNotFoundError("no schema yet")

    monkeypatch.setattr("engine.schema_files.load_schema", missing)
    secrets.secret_keys.cache_clear()
    try:
        assert secrets.secret_keys() == SECRET_KEYS
    finally:
        secrets.secret_keys.cache_clear()
