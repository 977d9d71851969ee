"""The add-interface dialog: pick a type and a name, get a new interface for the draft.

Types stacked on another link (VLAN, VXLAN, MAC-VLAN, MAC-VTAP) also get
their base picked here, from the host's interfaces: created with an empty
``base-iface``, the form opened on an error the user had not made yet.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from engine import keys as k
from nmtui_state.actions import bindings

ADDABLE = (k.LINUX_BRIDGE, k.VETH, k.VXLAN, k.MAC_VLAN, k.MAC_VTAP, k.VLAN, k.BOND, k.DUMMY, k.VRF)
DEFAULTS: dict[str, dict[str, Any]] = {
    k.LINUX_BRIDGE: {k.BRIDGE: {k.OPTIONS: {"stp": {k.ENABLED: False}}, k.PORT: []}},
    k.VETH: {k.VETH: {k.PEER: ""}},
    k.VXLAN: {k.VXLAN: {k.ID: 100, k.BASE_IFACE: "", "destination-port": 4789}},
    k.MAC_VLAN: {k.MAC_VLAN: {k.BASE_IFACE: "", k.MODE: "bridge"}},
    k.MAC_VTAP: {k.MAC_VTAP: {k.BASE_IFACE: "", k.MODE: "bridge"}},
    k.VLAN: {k.VLAN: {k.BASE_IFACE: "", k.ID: 10}},
    k.BOND: {k.LINK_AGGREGATION: {k.MODE: "active-backup", k.PORT: []}},
    k.VRF: {k.VRF: {k.ROUTE_TABLE_ID: 100, k.PORT: []}},
}


#: type -> its section holding ``base-iface``
BASED: dict[str, str] = {t: t for t in (k.VLAN, k.VXLAN, k.MAC_VLAN, k.MAC_VTAP)}


def new_iface(name: str, iface_type: str, base: str | None = None) -> dict[str, Any]:
    """A fresh interface of ``iface_type`` with the fields its form needs (and its base)."""
    iface: dict[str, Any] = {
        k.NAME: name,
        k.TYPE: iface_type,
        k.STATE: k.UP,
        k.IPV4: {k.ENABLED: False},
        k.IPV6: {k.ENABLED: False},
    }
    iface.update({key: dict(v) for key, v in DEFAULTS.get(iface_type, {}).items()})
    if base and iface_type in BASED:
        iface[BASED[iface_type]][k.BASE_IFACE] = base
    return iface


class AddIfaceScreen(ModalScreen[dict[str, Any] | None]):
    """Pick a type and a name; returns the new interface (or None)."""

    BINDINGS = bindings("cancel")
    DEFAULT_CSS = """
    AddIfaceScreen { align: center middle; }
    #add { width: 60; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    #add Horizontal { height: auto; align: center middle; }
    #add-error { color: $error; }
    """

    def __init__(self, bases: list[str] | None = None) -> None:
        """``bases``: the host's interfaces a stacked link may sit on."""
        super().__init__()
        self.bases = list(bases or [])

    def compose(self) -> ComposeResult:
        with Vertical(id="add"):
            yield Label("Type")
            yield Select(
                [(t, t) for t in ADDABLE], value=k.LINUX_BRIDGE, allow_blank=False, id="add-type"
            )
            yield Label("Name (at most 15 bytes, no spaces or /)")
            yield Input(placeholder="br1", id="add-name")
            yield Label("Base interface", id="add-base-label")
            yield Select(
                [(b, b) for b in self.bases], prompt="(pick the base interface)", id="add-base"
            )
            yield Static("", id="add-error")
            with Horizontal():
                yield Button("Add", id="add-ok", variant="success")
                yield Button("Cancel", id="add-cancel")

    def on_mount(self) -> None:
        self._show_base()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "add-type":
            self._show_base()

    def _show_base(self) -> None:
        """The base picker shows only for types that sit on another link."""
        based = str(self.query_one("#add-type", Select).value) in BASED
        self.query_one("#add-base-label").display = based
        self.query_one("#add-base").display = based

    def _submit(self) -> None:
        name = self.query_one("#add-name", Input).value.strip()
        iface_type = str(self.query_one("#add-type", Select).value)
        error = self.query_one("#add-error", Static)
        if not name or len(name.encode()) > 15 or "/" in name or " " in name:
            error.update("a name of 1-15 bytes without spaces or / is needed")
            return
        base_value = self.query_one("#add-base", Select).value
        base = base_value if isinstance(base_value, str) else None
        if iface_type in BASED and base is None:
            error.update(f"a {iface_type} needs a base interface: pick one")
            return
        self.dismiss(new_iface(name, iface_type, base))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add-ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
