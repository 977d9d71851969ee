"""A form for the host name: the static one (``hostname.config``) and, apart, the running one.

Only the static host name is applied (it goes to /etc/hostname through
NetworkManager); the running name is what the kernel uses now, which DHCP
or a transient ``hostnamectl`` may have set, so it is shown beside it for
comparison, not edited. The form posts :class:`HostnameForm.Changed` with
the typed static name; whether that differs from the host is
``engine.section_edit``'s call.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from engine.validate import description_at


class HostnameForm(Widget):
    """Edit the static host name; post Changed(hostname) on every edit."""

    DEFAULT_CSS = """
    HostnameForm { height: 1fr; }
    HostnameForm VerticalScroll { height: 1fr; }
    HostnameForm .row { height: 1; margin-bottom: 1; }
    HostnameForm .row Label { width: 16; padding: 0 1 0 0; }
    HostnameForm .row Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    HostnameForm #form-title { text-style: bold; padding: 0 1; }
    HostnameForm #hostname-note { color: $text-muted; padding: 0 1; }
    """

    @dataclass
    class Changed(Message):
        """The static host name as typed (an empty string removes it)."""

        form: HostnameForm
        hostname: str

    def __init__(self, config: str, running: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.config = config
        self.running = running

    def compose(self) -> ComposeResult:
        yield Static("Host name (hostname)", id="form-title")
        with VerticalScroll():
            with Horizontal(classes="row"):
                yield Label("static name")
                field = Input(self.config, placeholder="host.example.org", id="hostname-config")
                field.tooltip = description_at("hostname.config") or ""
                yield field
            with Horizontal(classes="row"):
                yield Label("running name")
                running = Input(self.running, id="hostname-running", disabled=True)
                running.tooltip = description_at("hostname.running") or ""
                yield running
            yield Static(
                "The static name is applied; the running name is the one in use now "
                "(DHCP may set it) and is shown, not applied.",
                id="hostname-note",
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id != "hostname-config" or event.value == self.config:
            return
        self.config = event.value
        self.post_message(self.Changed(self, event.value))
