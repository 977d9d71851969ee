"""A tiny App hosting one widget and recording the messages it posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget

from widgets.dns_form import DnsForm
from widgets.hostname_form import HostnameForm
from widgets.iface_form import IfaceForm
from widgets.routes_form import RoutesForm


class WidgetApp(App[None]):
    """Mounts one widget; the section forms' messages that bubble up land in ``messages``."""

    def __init__(self, make: Callable[[], Widget]) -> None:
        super().__init__()
        self.make = make
        self.messages: list[Any] = []

    def compose(self) -> ComposeResult:
        yield self.make()

    def on_routes_form_changed(self, message: RoutesForm.Changed) -> None:
        self.messages.append(message)

    def on_dns_form_changed(self, message: DnsForm.Changed) -> None:
        self.messages.append(message)

    def on_hostname_form_changed(self, message: HostnameForm.Changed) -> None:
        self.messages.append(message)

    def on_iface_form_gateway_changed(self, message: IfaceForm.GatewayChanged) -> None:
        self.messages.append(message)


async def wait_for(pilot: Pilot[Any], cond: Callable[[], object], timeout: float = 5) -> None:
    """Pump the app until ``cond()`` holds; fail after ``timeout`` seconds."""
    for _ in range(int(timeout / 0.02)):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"condition not met within {timeout} s")


async def type_into(pilot: Pilot[Any], widget: Widget, text: str) -> None:
    """Focus ``widget``, clear it, and type ``text`` key by key, as a person would."""
    widget.focus()
    await pilot.pause()
    await pilot.press("ctrl+u")
    for ch in text:
        await pilot.press(ch)
    await pilot.pause()
