"""UI-free state engine of nmtui-state (the libnmstate of this project).

The functions below are a synchronous Python API shaped like libnmstate's,
so a script written against ``libnmstate.show()/apply()/commit()/rollback()``
ports by changing the import::

    import engine

    state = engine.show()
    cp = engine.apply({"interfaces": [...]}, commit=False, timeout=30)
    engine.commit(cp)  # or engine.rollback(cp)

They talk to the NetworkManager on ``DBUS_SYSTEM_BUS_ADDRESS`` (default: the
system bus) and read the kernel of ``NMTUI_STATE_NETNS`` (default: this
process's network namespace), like the CLI. Errors are the CLI's:
:class:`engine.errors.InvalidInput` (nothing touched), ``ApplyFailed``
(rolled back), ``NoBackend``. Each call runs its own event loop
(``asyncio.run``), so call them from synchronous code; async code uses
:func:`engine.apply.apply_async` and friends directly.

Everything is imported lazily: ``import engine`` costs nothing, and a
script that only validates never loads D-Bus or netlink code. The first
read of the host starts one helper process for netlink reads, which lives
as long as the calling process (see :mod:`engine.backend.netlink_process`).

``apply``, ``show`` and ``validate`` share their names with submodules
(``engine/apply.py`` ...). Importing a submodule normally rebinds the
package attribute to the module, which would silently replace the function
with a module once anything imported ``engine.apply``. So those three are
:class:`_Entry` objects: calling one runs the API function, and attribute
access goes to the submodule (``engine.apply.apply_async``, or
``monkeypatch.setattr("engine.apply.verify", ...)``), whatever was imported
first.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.checkpoint import Checkpoint
    from engine.errors import Problem

__all__ = ["apply", "commit", "gen_conf", "rollback", "show", "validate"]


class _Entry:
    """An API function that also stands for the submodule of the same name (see above)."""

    def __init__(self, fn: Callable[..., Any], module: str) -> None:
        object.__setattr__(self, "_fn", fn)
        object.__setattr__(self, "_module", module)
        for attr in functools.WRAPPER_ASSIGNMENTS:
            object.__setattr__(self, attr, getattr(fn, attr, None))
        object.__setattr__(self, "__wrapped__", fn)
        public = module.rsplit(".", 1)[-1]
        object.__setattr__(self, "__name__", public)
        object.__setattr__(self, "__qualname__", public)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fn(*args, **kwargs)

    def _target(self) -> types.ModuleType:
        return importlib.import_module(self._module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._target(), name)

    def __repr__(self) -> str:
        return f"<engine API function {self.__name__} (and module {self._module})>"


class _Package(types.ModuleType):
    """The ``engine`` package: importing a submodule must not rebind an API entry to it."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and isinstance(self.__dict__.get(name), _Entry):
            return  # the module stays reachable through sys.modules and the entry
        super().__setattr__(name, value)


def _show(*, include_secrets: bool = False) -> dict[str, Any]:
    """The live network state, as ``nmtui-state show`` prints it (secrets masked unless asked)."""
    import asyncio

    from engine import secrets
    from engine.show import read_live

    live = asyncio.run(read_live(secrets=include_secrets))
    return secrets.mask(live.state, show_secrets=include_secrets)


def _apply(
    state: dict[str, Any],
    verify: bool = True,
    commit: bool = True,
    timeout: int = 60,
    *,
    save_to_disk: bool = True,
) -> Checkpoint | None:
    """Apply ``state`` inside a checkpoint; with ``commit=False`` return it, still pending.

    A pending checkpoint is rolled back by NetworkManager itself ``timeout``
    seconds after this returns unless :func:`commit` keeps it first.
    ``save_to_disk=False`` writes profiles to memory only (gone on restart).
    """
    import asyncio

    from engine.apply import apply_async

    result = asyncio.run(
        apply_async(
            state,
            verify_result=verify,
            commit=commit,
            timeout=timeout,
            memory_only=not save_to_disk,
        )
    )
    return result.checkpoint


def _checkpoint(action: str, cp: Checkpoint | str | None) -> str:
    import asyncio

    from engine.checkpoint import finish

    return asyncio.run(finish(action, cp)).path


def commit(cp: Checkpoint | str | None = None) -> str:
    """Keep the changes of ``cp`` (default: the pending checkpoint); returns its D-Bus path."""
    return _checkpoint("commit", cp)


def rollback(cp: Checkpoint | str | None = None) -> str:
    """Undo the changes of ``cp`` (default: the pending checkpoint) now; returns its path."""
    return _checkpoint("rollback", cp)


def _validate_state(state: Any, current: dict[str, Any] | None = None) -> list[Problem]:
    """Every problem of ``state`` (errors and warnings; ``p.is_error`` tells them apart).

    ``current`` is the state references are judged against (ports and base
    interfaces that must exist); without it only the state itself is checked.
    No host access.
    """
    from engine.validate import validate as validate_state

    return validate_state(state, current)


def gen_conf(state: dict[str, Any]) -> list[tuple[str, str]]:
    """(file name, NetworkManager keyfile text) for each interface of ``state``; no host access."""
    from engine.genconf import gen_conf as _gen_conf

    return _gen_conf(state)


apply = _Entry(_apply, "engine.apply")
show = _Entry(_show, "engine.show")
validate = _Entry(_validate_state, "engine.validate")
sys.modules[__name__].__class__ = _Package
