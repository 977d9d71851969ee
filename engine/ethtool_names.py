"""Ethtool option names: the schema's (kernel feature names), ethtool's short ones, NM's.

The schema names offload features as the kernel does (``ethtool -k``'s
long names: ``rx-checksum``, ``tx-generic-segmentation``); admins type
``ethtool -K``'s short ones (``gro``, ``tso``), which are accepted and
normalized to the long name. NetworkManager's ``ethtool`` setting calls a
feature ``feature-<name>``, using the short name for the ten features that
have one and the kernel name for the rest (``feature-tx-checksum-ipv4``).
``tx`` (all the transmit checksum features at once) has no single kernel
name; it stays ``tx``.

NetworkManager also holds ring sizes (``ring-rx``), interrupt coalescing
(``coalesce-rx-usecs``, adaptive ones as 0/1) and pause frames
(``pause-autoneg``), one property each. Its D-Bus types, checked against
NM 1.42: features and pause are booleans, ring and coalesce are uint32.
"""

from __future__ import annotations

from typing import Any

# ethtool -K short name -> kernel feature name (ethtool(8), "-K" section).
SHORT_TO_KERNEL: dict[str, str] = {
    "rx": "rx-checksum",
    "sg": "tx-scatter-gather",
    "tso": "tx-tcp-segmentation",
    "gso": "tx-generic-segmentation",
    "gro": "rx-gro",
    "lro": "rx-lro",
    "rxvlan": "rx-vlan-hw-parse",
    "txvlan": "tx-vlan-hw-insert",
    "ntuple": "rx-ntuple-filter",
    "rxhash": "rx-hashing",
}
_KERNEL_TO_SHORT = {kernel: short for short, kernel in SHORT_TO_KERNEL.items()}

FEATURE = "feature-"
SECTIONS: dict[str, tuple[str, str]] = {  # schema section -> (NM prefix, D-Bus signature)
    "feature": (FEATURE, "b"),
    "pause": ("pause-", "b"),
    "coalesce": ("coalesce-", "u"),
    "ring": ("ring-", "u"),
}
# Reported by the driver, never set: the schema has them for show, NM has no property.
READ_ONLY_RING = frozenset({"rx-max", "rx-jumbo-max", "rx-mini-max", "tx-max"})
BOOLEAN_COALESCE = frozenset({"adaptive-rx", "adaptive-tx"})  # NM: uint32 0/1


def canonical_feature(name: str) -> str:
    """The kernel name of a feature given by either name (``gro`` -> ``rx-gro``)."""
    return SHORT_TO_KERNEL.get(name, name)


def nm_feature(name: str) -> str:
    """NetworkManager's property for a feature: ``rx-gro`` -> ``feature-gro``."""
    kernel = canonical_feature(name)
    return FEATURE + _KERNEL_TO_SHORT.get(kernel, kernel)


def schema_feature(prop: str) -> str:
    """The schema's name for an NM feature property: ``feature-gro`` -> ``rx-gro``."""
    return canonical_feature(prop.removeprefix(FEATURE))


def nm_ethtool(section: dict[str, Any]) -> dict[str, Any]:
    """NM's ``ethtool`` setting (plain values) from a schema ``ethtool`` section."""
    out: dict[str, Any] = {}
    for name, on in (section.get("feature") or {}).items():
        out[nm_feature(str(name))] = bool(on)
    for key, value in (section.get("pause") or {}).items():
        out[f"pause-{key}"] = bool(value)
    for key, value in (section.get("coalesce") or {}).items():
        out[f"coalesce-{key}"] = int(bool(value)) if key in BOOLEAN_COALESCE else int(value)
    for key, value in (section.get("ring") or {}).items():
        if key not in READ_ONLY_RING:
            out[f"ring-{key}"] = int(value)
    return out


def schema_ethtool(setting: dict[str, Any]) -> dict[str, Any]:
    """A schema ``ethtool`` section from NM's ``ethtool`` setting (inverse of nm_ethtool)."""
    out: dict[str, dict[str, Any]] = {}
    for prop, value in setting.items():
        if prop.startswith(FEATURE):
            out.setdefault("feature", {})[schema_feature(prop)] = bool(value)
            continue
        for key, (prefix, _sig) in SECTIONS.items():
            if key != "feature" and prop.startswith(prefix):
                name = prop.removeprefix(prefix)
                if key == "pause" or (key == "coalesce" and name in BOOLEAN_COALESCE):
                    value = bool(value)
                out.setdefault(key, {})[name] = value if isinstance(value, bool) else int(value)
                break
    return out


def canonical_section(section: Any) -> Any:
    """``section`` with feature names made canonical (for normalize); anything else as is."""
    if not isinstance(section, dict) or not isinstance(section.get("feature"), dict):
        return section
    features = {canonical_feature(str(name)): on for name, on in section["feature"].items()}
    return {**section, "feature": features}
