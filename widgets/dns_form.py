"""A form for the static DNS settings: name servers, search domains, resolver options.

Each list is one input, items separated by commas or spaces (as nmtui's
and Cockpit's DNS fields read). The form posts :class:`DnsForm.Changed`
with all three lists after every edit; which of them differ from the host,
and so belong in ``dns-resolver.config``, is ``engine.section_edit``'s
call (an empty ``config`` would remove every DNS setting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from engine import keys as k
from engine.section_edit import DNS_KEYS, split_list
from engine.validate import description_at

LABELS = {k.SERVER: "name servers", k.SEARCH: "search domains", k.OPTIONS: "options"}
PLACEHOLDERS = {
    k.SERVER: "192.0.2.53, 2001:db8::53",
    k.SEARCH: "example.org, lab.example.org",
    k.OPTIONS: "rotate, ndots:2",
}


class DnsForm(Widget):
    """Edit servers, search and options; post Changed(config) on every edit."""

    DEFAULT_CSS = """
    DnsForm { height: 1fr; }
    DnsForm VerticalScroll { height: 1fr; }
    DnsForm .row { height: 1; margin-bottom: 1; }
    DnsForm .row Label { width: 16; padding: 0 1 0 0; }
    DnsForm .row Input { width: 1fr; height: 1; border: none; padding: 0 1; }
    DnsForm #form-title { text-style: bold; padding: 0 1; }
    DnsForm #dns-running { color: $text-muted; padding: 0 1; }
    """

    @dataclass
    class Changed(Message):
        """The DNS settings as the form now shows them (every key, lists of strings)."""

        form: DnsForm
        config: dict[str, list[str]]

    def __init__(
        self,
        config: dict[str, Any],
        running: dict[str, Any] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.config = {key: [str(v) for v in config.get(key) or []] for key in DNS_KEYS}
        self.running = running or {}

    def compose(self) -> ComposeResult:
        yield Static("DNS (dns-resolver.config)", id="form-title")
        with VerticalScroll():
            for key in DNS_KEYS:
                with Horizontal(classes="row"):
                    yield Label(LABELS[key])
                    field = Input(
                        ", ".join(self.config[key]),
                        placeholder=PLACEHOLDERS[key],
                        id=f"dns-{key}",
                    )
                    field.tooltip = description_at(f"dns-resolver.config.{key}") or ""
                    yield field
            yield Static(self._running_text(), id="dns-running")

    def _running_text(self) -> str:
        servers = [str(s) for s in self.running.get(k.SERVER) or []]
        search = [str(s) for s in self.running.get(k.SEARCH) or []]
        if not servers and not search:
            return ""
        return (
            "In use now (static and from DHCP): "
            f"servers {', '.join(servers) or '—'}; search {', '.join(search) or '—'}"
        )

    def field(self, key: str) -> Input:
        return self.query_one(f"#dns-{key}", Input)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        key = (event.input.id or "").removeprefix("dns-")
        if key not in self.config:
            return
        items = split_list(event.value)
        if items == self.config[key]:
            return
        self.config[key] = items
        self.post_message(self.Changed(self, {x: list(v) for x, v in self.config.items()}))
