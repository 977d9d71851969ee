"""A block-YAML writer for states: the same bytes PyYAML writes, five times sooner.

``show`` on a host with 600 links prints ~10,000 lines. PyYAML builds a
node per value in Python before libyaml writes anything, which took ~50 ms,
a tenth of the whole command. A state is plain data (mappings, lists,
strings, numbers, booleans, null) and almost every string in it is a name,
an address or a keyword, so this writer handles that shape directly:

* mappings and lists in block style, lists not indented under their key,
  empty ones as ``{}`` and ``[]``, exactly as ``yaml.dump`` with
  ``default_flow_style=False`` does;
* a string made only of ``[A-Za-z0-9_./:+-]`` is written plain, or in single
  quotes when YAML 1.1 would read it back as something else (``yes``,
  ``0x10``, a MAC address that looks like base-60 ``12:34:56``), decided by
  PyYAML's own resolver;
* every other scalar (spaces, quotes, unicode, floats ...) is rendered by
  PyYAML itself, one value at a time, and cached.

What it cannot write the same way (a multi-line string, a list directly in
a list, a document that is not a mapping) makes :func:`emit` return None,
and the caller uses PyYAML for the whole document. Tests compare the two on
every example file and on generated states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import yaml

_SAFE = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_./:+-]*")
_STR_TAG = "tag:yaml.org,2002:str"
_SIMPLE_KEY_MAX = 128  # PyYAML writes longer keys as "? key" (complex keys)
_CACHE_MAX = 50_000  # rendered scalars kept; cleared when full (long-running TUI)
# PyYAML's own YAML 1.1 rules for what a plain scalar means (the dumper's resolver).
_resolve = cast(Callable[..., str], yaml.resolver.Resolver().resolve)
_values: dict[Any, str] = {}
_keys: dict[Any, str] = {}


class _Unsupported(Exception):
    """The document has a shape this writer does not reproduce byte for byte."""


def _pyyaml_line(data: dict[Any, Any], dumper: type[yaml.SafeDumper]) -> str:
    text = yaml.dump(data, Dumper=dumper, default_flow_style=False, allow_unicode=True, width=1000)
    if text.count("\n") != 1:
        raise _Unsupported  # a multi-line scalar: indentation depends on the context
    return text[:-1]


def _render_value(value: Any, dumper: type[yaml.SafeDumper]) -> str:
    if type(value) is str and _SAFE.fullmatch(value) and not value.endswith(":"):
        if not value.startswith("...") and (
            _resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG
        ):
            return value
        return f"'{value}'"
    return _pyyaml_line({"k": value}, dumper)[3:]  # "k: <value>"


def _render_key(key: Any, dumper: type[yaml.SafeDumper]) -> str:
    if type(key) is str and len(key) < _SIMPLE_KEY_MAX:
        return _render_value(key, dumper)
    line = _pyyaml_line({key: 0}, dumper)
    if not line.endswith(": 0") or line.startswith("? "):
        raise _Unsupported
    return line[:-3]


def _cached(cache: dict[Any, str], slot: Any, render: Callable[[], str]) -> str:
    """``cache[slot]``, rendered and stored on a miss (the cache is emptied when full)."""
    try:
        return cache[slot]
    except KeyError:
        pass
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    text = cache[slot] = render()
    return text


def _value(value: Any, dumper: type[yaml.SafeDumper]) -> str:
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind is not str:
        return _render_value(value, dumper)  # floats and the like: rare, and 0.0 == -0.0
    return _cached(_values, value, lambda: _render_value(value, dumper))


def _key(key: Any, dumper: type[yaml.SafeDumper]) -> str:
    if type(key) is float:
        return _render_key(key, dumper)  # 0.0 == -0.0
    # True and 1 are equal keys, but not the same text: the type is part of the slot.
    return _cached(_keys, (type(key), key), lambda: _render_key(key, dumper))


def _mapping(
    data: dict[Any, Any],
    indent: int,
    out: list[str],
    dumper: type[yaml.SafeDumper],
    first_prefix: str | None = None,
) -> None:
    pad = " " * indent
    lead = pad if first_prefix is None else first_prefix
    for key, value in data.items():
        head = f"{lead}{_key(key, dumper)}:"
        lead = pad
        kind = type(value)
        if kind is dict:
            if value:
                out.append(head + "\n")
                _mapping(value, indent + 2, out, dumper)
            else:
                out.append(head + " {}\n")
        elif kind is list:
            if value:
                out.append(head + "\n")
                _sequence(value, indent, out, dumper)
            else:
                out.append(head + " []\n")
        else:
            out.append(f"{head} {_value(value, dumper)}\n")


def _sequence(items: list[Any], indent: int, out: list[str], dumper: type[yaml.SafeDumper]) -> None:
    pad = " " * indent
    for item in items:
        kind = type(item)
        if kind is dict:
            if item:
                _mapping(item, indent + 2, out, dumper, first_prefix=pad + "- ")
            else:
                out.append(pad + "- {}\n")
        elif kind is list:
            raise _Unsupported  # "- - x": PyYAML's layout of nested lists is not copied here
        else:
            out.append(f"{pad}- {_value(item, dumper)}\n")


def emit(doc: Any, dumper: type[yaml.SafeDumper]) -> str | None:
    """``doc`` (a mapping in print order) as block YAML, or None to let PyYAML do it.

    ``dumper`` is the Dumper class the caller would give ``yaml.dump``; it
    renders the scalars this module leaves to PyYAML.
    """
    if type(doc) is not dict or not doc:
        return None
    out: list[str] = []
    try:
        _mapping(doc, 0, out, dumper)
    except _Unsupported:
        return None
    return "".join(out)
