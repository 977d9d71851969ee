"""Which values are secrets, and hiding them before anything is shown or logged.

Diffs, previews, logs and bug reports all render states; a Wi-Fi PSK or an
802.1x password must not leak through any of them. Masking uses nmstate's
own placeholder so a masked file fed back to nmstate is recognised as
"keep the stored secret" rather than taken as a literal password.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from engine.paths import PathPart, split_path

#: nmstate's placeholder for a hidden secret.
PLACEHOLDER = "<_password_hid_by_nmstate>"

#: Keys whose values are secrets wherever they appear (802.1x, MACsec, IPsec, Wi-Fi).
SECRET_KEYS: frozenset[str] = frozenset(
    {
        "password",
        "private-key-password",
        "phase2-private-key-password",
        "psk",
        "key",
        "mka-cak",
    }
)

_ANNOTATION = "x-secret"


def _annotated_keys(schema: Any) -> set[str]:
    """Property names whose schema carries ``"x-secret": true``, anywhere in ``schema``."""
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                for name, sub in props.items():
                    if isinstance(sub, dict) and sub.get(_ANNOTATION) is True:
                        found.add(str(name))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


@cache
def secret_keys() -> frozenset[str]:
    """SECRET_KEYS plus keys the schema marks ``x-secret`` (the schema may not exist yet)."""
    try:
        from engine.schema_files import load_schema

        schema = load_schema()
    except (OSError, ValueError, ImportError):
        return SECRET_KEYS
    return SECRET_KEYS | _annotated_keys(schema)


def is_secret_path(path: str) -> bool:
    """True when ``path`` names a secret or something inside one.

    Bracketed parts are list labels (interface names), never keys, so an
    interface called ``key`` is not a secret.
    """
    names = secret_keys()
    return any(
        isinstance(part, str) and not part.startswith("[") and part in names
        for part in split_path(path)
    )


def _mask(node: Any, names: frozenset[str]) -> Any:
    if isinstance(node, dict):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            hidden = (
                key in names
                and isinstance(value, str | int | float)
                and not isinstance(value, bool)
            )
            out[key] = PLACEHOLDER if hidden else _mask(value, names)
        return out
    if isinstance(node, list):
        return [_mask(item, names) for item in node]
    return node


def mask_value(value: Any, show_secrets: bool = False) -> Any:
    """A copy of any state fragment with secret values replaced (unchanged copy if shown)."""
    if show_secrets:
        return _mask(value, frozenset())
    return _mask(value, secret_keys())


def mask(state: dict[str, Any], show_secrets: bool = False) -> dict[str, Any]:
    """A copy of ``state`` with every secret replaced by nmstate's placeholder."""
    masked: dict[str, Any] = mask_value(state, show_secrets)
    return masked


def value_at(state: Any, parts: Sequence[PathPart]) -> Any:
    """The value at ``parts`` (keys and list indexes) in ``state``, None when absent."""
    value = state
    for part in parts:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def hide_value(message: str, value: Any, show: Callable[[Any], str] = str) -> str:
    """``message`` with every rendering of the secret ``value`` replaced (errors, logs)."""
    if value is None or isinstance(value, dict | list | bool):
        return message
    for shown in sorted({show(value), str(value), repr(value)}, key=len, reverse=True):
        if shown:
            message = message.replace(shown, "a hidden value")
    return message
