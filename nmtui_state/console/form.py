"""The set-up form: address, gateway, DNS, hostname (and VLAN id or bond ports) for one uplink.

Enter moves to the next field and, on the last one, checks the form and
goes on to the review; Up/Down move between fields; Esc goes back. The
focused field is marked with ``>`` so it shows on a monochrome terminal.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from nmtui_state.console.base import ConsoleScreen
from nmtui_state.console.model import BOND_MODES, Setup, field_problems

LABELS = {
    "vlan_id": "VLAN id",
    "bond_ports": "Bond ports",
    "bond_mode": "Bond mode",
    "address": "Address",
    "gateway": "Gateway",
    "dns": "DNS servers",
    "hostname": "Hostname",
}
HINTS = {
    "vlan_id": "1-4094; the VLAN interface is NIC.ID",
    "bond_ports": "the other NICs of the bond, by comma or space (this NIC is in it)",
    "bond_mode": " ".join(BOND_MODES),
    "address": "address/prefix, e.g. 192.0.2.50/24",
    "gateway": "the default gateway, e.g. 192.0.2.1 (empty: none)",
    "dns": "by comma or space, e.g. 192.0.2.53, 198.51.100.53",
    "hostname": "the static hostname (empty: unchanged)",
}
TAIL = ["gateway", "dns", "hostname"]
FIELDS = {
    "dhcp": ["dns", "hostname"],
    "static": ["address", *TAIL],
    "vlan": ["vlan_id", "address", *TAIL],
    "bond": ["bond_ports", "bond_mode", "address", *TAIL],
}
FORM_CSS = """
FormScreen Horizontal { height: 1; }
FormScreen .label { width: 16; }
FormScreen Input { border: none; height: 1; padding: 0; width: 60; }
FormScreen Input:focus { border: none; text-style: underline; }
FormScreen #hint { height: 2; }
"""


class FormScreen(ConsoleScreen[Setup | None]):
    """Dismisses with the filled-in :class:`Setup` once it passes the field checks."""

    KEYS_TEXT = "Enter next/done  Up/Down field  Ctrl+U clear  Esc back"
    DEFAULT_CSS = FORM_CSS
    BINDINGS = [
        Binding("escape", "back", "back", show=False),
        Binding("up", "field(-1)", "previous", show=False),
        Binding("down", "field(1)", "next", show=False),
    ]

    def __init__(self, setup: Setup) -> None:
        super().__init__()
        self.setup = setup
        self.fields = FIELDS[setup.mode]

    def body(self) -> ComposeResult:
        mode = self.setup.mode
        if mode in ("vlan", "bond"):
            note = "leave Address empty for DHCP"
        elif mode == "dhcp":
            note = "the address comes from DHCP"
        else:
            note = ""
        yield Static(f"{self.setup.uplink}: {mode}  {note}".rstrip(), markup=False)
        yield Static("", classes="gap")
        for name in self.fields:
            with Horizontal():
                yield Static(f"  {LABELS[name]}", classes="label", id=f"label-{name}")
                yield Input(value=str(getattr(self.setup, name)), id=name)
        yield Static("", classes="gap")
        yield Static("", id="hint", markup=False)

    def on_mount(self) -> None:
        self.set_title(f"nmtui-state set-up console: {self.setup.uplink} ({self.setup.mode})")
        self.query_one(f"#{self.fields[0]}", Input).focus()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        for name in self.fields:
            mark = ">" if focused is not None and focused.id == name else " "
            self.query_one(f"#label-{name}", Static).update(f"{mark} {LABELS[name]}")
            if mark == ">":
                self.query_one("#hint", Static).update(HINTS[name])

    def _current(self) -> int:
        focused = self.focused
        return self.fields.index(focused.id) if focused and focused.id in self.fields else 0

    def action_field(self, step: int) -> None:
        i = max(0, min(len(self.fields) - 1, self._current() + step))
        self.query_one(f"#{self.fields[i]}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._current() < len(self.fields) - 1:
            self.action_field(1)
        else:
            self.submit()

    def filled(self) -> Setup:
        values = {name: self.query_one(f"#{name}", Input).value for name in self.fields}
        return replace(self.setup, **values)

    def submit(self) -> None:
        setup = self.filled()
        problems = [(f, m) for f, m in field_problems(setup) if f in self.fields]
        if problems:
            self.say("; ".join(m for _, m in problems))
            self.query_one(f"#{problems[0][0]}", Input).focus()
            return
        self.dismiss(setup)

    def action_back(self) -> None:
        self.dismiss(None)
