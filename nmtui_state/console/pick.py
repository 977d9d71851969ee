"""The first two steps: pick the uplink NIC (carrier, MAC, addresses), then how to set it up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from engine.firstboot import Nic
from nmtui_state.console.base import ConsoleScreen
from nmtui_state.console.menu import Menu
from nmtui_state.console.model import MODE_TEXT, MODES


def nic_row(nic: Nic) -> str:
    carrier = {True: "carrier", False: "no-link", None: "?"}[nic.carrier]
    addrs = "dhcp" if nic.dhcp and not nic.addresses else " ".join(nic.addresses[:2]) or "-"
    return f"{nic.name:<15} {carrier:<8} {nic.mac or '-':<17} {addrs}"[:76]


class NicScreen(ConsoleScreen[Nic | None]):
    """Which NIC is the uplink? Dismisses with it, or None to quit."""

    TITLE_TEXT = "nmtui-state set-up console: pick the uplink NIC"
    KEYS_TEXT = "Up/Down move  Enter pick  q quit"
    BINDINGS = [Binding("q", "quit_console", "quit", show=False)]

    def __init__(self, nics: list[Nic], why: list[str], hostname: str) -> None:
        super().__init__()
        self.nics, self.why, self.hostname = nics, why, hostname

    def body(self) -> ComposeResult:
        yield Static(f"Host {self.hostname or '(no name)'}", markup=False)
        for line in self.why[:3]:
            yield Static(f"Why this screen: {line}"[:79], markup=False)
        yield Static("", classes="gap")
        yield Static(f"  {'NIC':<15} {'LINK':<8} {'MAC':<17} ADDRESSES", markup=False)
        yield Menu([nic_row(n) for n in self.nics], id="nics")

    def on_mount(self) -> None:
        if not self.nics:
            self.say("No NIC that NetworkManager manages was found.")
        self.query_one(Menu).focus()

    def on_menu_picked(self, event: Menu.Picked) -> None:
        self.dismiss(self.nics[event.index])

    def action_quit_console(self) -> None:
        self.dismiss(None)


class ModeScreen(ConsoleScreen[str | None]):
    """DHCP, static, VLAN or bond: dismisses with the mode, or None to go back."""

    KEYS_TEXT = "Up/Down move  Enter pick  Esc back"
    BINDINGS = [Binding("escape", "back", "back", show=False)]

    def __init__(self, nic: Nic) -> None:
        super().__init__()
        self.nic = nic

    def body(self) -> ComposeResult:
        yield Static(f"How should {self.nic.name} be set up?", markup=False)
        yield Static("", classes="gap")
        yield Menu([MODE_TEXT[m] for m in MODES], id="modes")

    def on_mount(self) -> None:
        self.set_title(f"nmtui-state set-up console: {self.nic.name}")
        self.query_one(Menu).focus()

    def on_menu_picked(self, event: Menu.Picked) -> None:
        self.dismiss(MODES[event.index])

    def action_back(self) -> None:
        self.dismiss(None)
