"""Ethtool names: the schema's, ethtool -K's short ones, NetworkManager's (engine.ethtool_names)."""

from __future__ import annotations

from engine.ethtool_names import (
    canonical_feature,
    nm_ethtool,
    nm_feature,
    schema_ethtool,
    schema_feature,
)
from engine.normalize import normalize


def test_short_names_become_kernel_names() -> None:
    assert canonical_feature("gro") == "rx-gro"
    assert canonical_feature("tso") == "tx-tcp-segmentation"
    assert canonical_feature("tx-checksum-ipv4") == "tx-checksum-ipv4"  # no short name
    assert canonical_feature("tx") == "tx"  # a group in ethtool -K, no single kernel name


def test_networkmanager_uses_the_short_name_where_there_is_one() -> None:
    assert nm_feature("rx-gro") == nm_feature("gro") == "feature-gro"
    assert nm_feature("rx-checksum") == "feature-rx"
    assert nm_feature("tx-checksum-ipv4") == "feature-tx-checksum-ipv4"
    assert schema_feature("feature-gro") == "rx-gro"
    assert schema_feature("feature-tx-checksum-ipv4") == "tx-checksum-ipv4"


def test_sections_translate_both_ways() -> None:
    section = {
        "feature": {"gro": True, "tx-checksum-ipv4": False},
        "pause": {"autoneg": False, "rx": True},
        "coalesce": {"adaptive-tx": True, "tx-frames": 8},
        "ring": {"tx": 512, "tx-max": 4096},
    }
    nm = nm_ethtool(section)
    assert nm == {
        "feature-gro": True,
        "feature-tx-checksum-ipv4": False,
        "pause-autoneg": False,
        "pause-rx": True,
        "coalesce-adaptive-tx": 1,  # NM holds adaptive coalescing as uint32 0/1
        "coalesce-tx-frames": 8,
        "ring-tx": 512,  # tx-max is what the driver reports, not a setting
    }
    assert schema_ethtool(nm) == {
        "feature": {"rx-gro": True, "tx-checksum-ipv4": False},
        "pause": {"autoneg": False, "rx": True},
        "coalesce": {"adaptive-tx": True, "tx-frames": 8},
        "ring": {"tx": 512},
    }


def test_normalize_makes_feature_names_canonical() -> None:
    state = {"interfaces": [{"name": "eth0", "ethtool": {"feature": {"gso": False, "lro": True}}}]}
    (eth0,) = normalize(state)["interfaces"]
    assert eth0["ethtool"]["feature"] == {"tx-generic-segmentation": False, "rx-lro": True}
