"""Readable paths into a state, shared by problems, diffs and the UI.

A path names interfaces by name when it can (``interfaces[br0].ipv4.address[0].ip``)
because list positions mean nothing to a person reading an error, and the
UI resolves the same string to a form field or a YAML line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PathPart = str | int

# Schema keys that contain a dot themselves; split_path keeps them whole.
DOTTED_KEYS = ("802.1x",)


def format_path(parts: Sequence[PathPart], state: Any = None) -> str:
    """Join ``parts`` into a dotted path, naming list items by ``name`` where the state has one.

    ``format_path(["interfaces", 2, "mtu"], state)`` gives ``interfaces[br0].mtu``
    when ``state["interfaces"][2]["name"] == "br0"``, else ``interfaces[2].mtu``.
    """
    out = ""
    node = state
    for part in parts:
        if isinstance(part, int):
            label: str = str(part)
            item = None
            if isinstance(node, list) and 0 <= part < len(node):
                item = node[part]
            if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"]:
                label = item["name"]
            out += f"[{label}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def split_path(path: str) -> list[PathPart]:
    """Inverse of :func:`format_path` as far as the text allows (names stay strings in brackets).

    ``interfaces[br0].ipv4.address[0]`` → ``["interfaces", "[br0]", "ipv4", "address", 0]``;
    a bracketed non-number is kept as ``"[name]"`` so callers can look it up by name.
    """
    parts: list[PathPart] = []
    pieces = path.split(".")
    merged: list[str] = []
    for piece in pieces:
        if merged and f"{merged[-1]}.{piece.split('[')[0]}" in DOTTED_KEYS:
            merged[-1] = f"{merged[-1]}.{piece}"
        else:
            merged.append(piece)
    for dotted in merged:
        head, _, rest = dotted.partition("[")
        if head:
            parts.append(head)
        while rest:
            inner, _, rest = rest.partition("]")
            parts.append(int(inner) if inner.isdigit() else f"[{inner}]")
            rest = rest[1:] if rest.startswith("[") else rest
    return parts


def iface_field(path: str) -> tuple[str | None, tuple[str, ...]]:
    """Which interface a problem path is about, and the keys within it (list indexes dropped).

    ``interfaces[br0].ipv4.address[0].ip`` → ``("br0", ("ipv4", "address", "ip"))``
    (list positions, by index or by ``[name]``, are dropped);
    a path outside ``interfaces[...]`` → ``(None, ())``. A form jumps to a field with it.
    """
    parts = split_path(path)
    if len(parts) < 2 or parts[0] != "interfaces" or not isinstance(parts[1], str):
        return None, ()
    if not parts[1].startswith("["):
        return None, ()
    keys = tuple(p for p in parts[2:] if isinstance(p, str) and not p.startswith("["))
    return parts[1][1:-1], keys


def resolve(state: Any, path: str) -> Any:
    """The value at ``path`` in ``state`` (``None`` when it is not there)."""
    node = state
    for part in split_path(path):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif part.startswith("["):
            name = part[1:-1]
            match = None
            if isinstance(node, list):
                match = next(
                    (i for i in node if isinstance(i, dict) and i.get("name") == name), None
                )
            node = match
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node
