"""The action catalogue is the one source of key bindings, and each of its actions exists."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

import nmtui_state.screens
from nmtui_state.actions import CATALOGUE
from nmtui_state.app import NmtuiStateApp
from nmtui_state.screens.help import help_rows

TEXTUAL_OWN = {"palette"}  # bound by Textual itself


def _bound_classes() -> list[type]:
    classes: list[type] = [NmtuiStateApp]
    for mod in pkgutil.iter_modules(nmtui_state.screens.__path__, "nmtui_state.screens."):
        module = importlib.import_module(mod.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Screen) and obj.__module__ == module.__name__:
                classes.append(obj)
    return classes


def test_every_binding_comes_from_the_catalogue() -> None:
    for cls in _bound_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), (
                f"{cls.__name__}: {binding!r} is not from bindings()"
            )
            assert binding.id in CATALOGUE, f"{cls.__name__}: {binding.key} has no catalogue id"
            action = CATALOGUE[binding.id]
            assert (binding.key, binding.action) == (action.key, action.action)


def test_every_bound_action_is_implemented_where_it_is_bound() -> None:
    used: set[str] = set()
    for cls in _bound_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            used.add(binding.id)
            name = binding.action.split("(")[0]
            assert callable(getattr(cls, f"action_{name}", None)), f"{cls.__name__}: {name}"
    unused = set(CATALOGUE) - used - TEXTUAL_OWN
    assert unused == set(), f"catalogue entries no screen binds: {sorted(unused)}"
    assert callable(getattr(App, "action_command_palette", None))


def test_help_lists_every_key_with_where_it_works() -> None:
    rows = help_rows()
    listed = {(key, where) for keys, _does, where in rows for key in keys.split(", ")}
    assert listed == {(a.key_label, a.where) for a in CATALOGUE.values()}
    pairs = [(key, where) for keys, _does, where in rows for key in keys.split(", ")]
    assert len(pairs) == len(set(pairs)), "a key is listed twice for the same place"
    assert ("Enter, y", "Keep", "countdown") in rows  # two keys, one action, one row
    for key in ("Ctrl+T", "Ctrl+R", "u", "Ctrl+P"):
        assert any(r[0] == key for r in rows), key
    escapes = {r[2] for r in rows if "Esc" in r[0].split(", ")}
    assert {"edit", "review", "countdown"} <= escapes
