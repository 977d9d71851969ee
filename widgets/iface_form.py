"""A form for one interface, built from a field table and the schema's descriptions.

The form edits a plain interface dict and posts :class:`IfaceForm.Changed`
with the whole new interface after every edit; it never validates on its
own. Values it cannot convert (``mtu: abc``) are passed through as typed,
so the schema check reports them at their exact path, like a YAML edit
would: one source of truth for what is valid.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch

from engine import keys as k
from engine.validate import description_at
from widgets.iface_fields import (
    GATEWAY_HELP,
    GATEWAY_PLACEHOLDER,
    Field,
    Path,
    fields_for,
    from_text,
    get_at,
    placeholder_for,
    set_at,
    to_text,
    with_gateway_fields,
)

WIDE_KINDS = ("addresses",)
FOCUS_MARK = ">"


def _on_off(value: bool) -> str:
    """A switch's state in a word: the knob alone is only shading, lost without colour."""
    return "on" if value else "off"


class IfaceForm(Widget):
    """Edit one interface; post Changed(iface) on every edit, FieldFocused for the help line."""

    DEFAULT_CSS = """
    IfaceForm { height: 1fr; }
    IfaceForm VerticalScroll { height: 1fr; }
    IfaceForm .row { height: 1; margin-bottom: 1; }
    IfaceForm .row .field-mark { width: 2; padding: 0; text-style: bold; }
    IfaceForm .row .field-label { width: 15; padding: 0 1 0 0; }
    IfaceForm .row.-wide { margin-bottom: 0; }
    IfaceForm .row.-wide .field-label { width: 1fr; }
    IfaceForm .row .switch-word { width: 5; padding: 0 1; }
    IfaceForm .row Input { width: 1fr; height: 1; padding: 0 1; }
    IfaceForm .row Switch { height: 1; border: none; padding: 0; }
    IfaceForm .row Select { width: 1fr; height: 1; }
    IfaceForm .row SelectCurrent { height: 1; padding: 0 1; }
    IfaceForm .row Input:focus { text-style: bold; }
    IfaceForm .row Select:focus > SelectCurrent { text-style: bold; }
    IfaceForm #field-help { height: auto; max-height: 5; color: $text-muted;
                            border-top: solid $primary; }
    IfaceForm #form-title { text-style: bold; padding: 0 1; }
    """

    @dataclass
    class Changed(Message):
        """The interface after an edit."""

        form: IfaceForm
        iface: dict[str, Any]
        field: str = ""  # the widget id of the field edited
        text: str | None = None  # what a text field holds now (None for switches and selects)

    @dataclass
    class GatewayChanged(Message):
        """The gateway of one family was typed ("" to remove the default route)."""

        form: IfaceForm
        iface: str
        family: str
        address: str

    def __init__(
        self,
        iface: dict[str, Any],
        *,
        id: str | None = None,
        gateways: dict[str, str] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.iface = copy.deepcopy(iface)
        self.fields = fields_for(str(iface.get(k.TYPE, k.UNKNOWN)))
        # Without gateways (None) the form has no gateway fields: nobody would act on them.
        self.gateways = dict(gateways) if gateways is not None else None
        if gateways is not None:
            self.fields = with_gateway_fields(self.fields)
        self._by_id = {f.widget_id: f for f in self.fields}
        # What each widget was last given by the form itself (built or loaded): its
        # echo (a Select or Input posting Changed for a value it was set to) is no edit.
        self._shown: dict[str, Any] = {}

    @property
    def name_(self) -> str:
        return str(self.iface.get(k.NAME, ""))

    def compose(self) -> ComposeResult:
        yield Static(f"{self.name_} ({self.iface.get(k.TYPE)})", id="form-title")
        with VerticalScroll():
            for field in self.fields:
                value = get_at(self.iface, field.path)
                if field.kind in WIDE_KINDS:
                    # Address lists get the pane's whole width: the label sits above.
                    with Horizontal(classes="row -wide"):
                        yield Label("", classes="field-mark")
                        yield Label(field.label, classes="field-label")
                    with Horizontal(classes="row"):
                        yield Label("", classes="field-mark")
                        yield self._make(field, value)
                    continue
                with Horizontal(classes="row"):
                    yield Label("", classes="field-mark")
                    yield Label(field.label, classes="field-label")
                    yield self._make(field, value)
                    if field.kind == "bool":
                        word_id = f"{field.widget_id}-word"
                        yield Label(_on_off(bool(value)), id=word_id, classes="switch-word")
        yield Static("", id="field-help")

    @staticmethod
    def _display(field: Field, value: Any) -> Any:
        """The value a field's widget shows for ``value``."""
        if field.kind == "bool":
            return bool(value)
        if field.kind == "select":
            return value if value in field.options else field.options[0]
        if field.kind == "choice":
            return value if value in field.options else Select.NULL
        return to_text(field, value)

    def _make(self, field: Field, value: Any) -> Widget:
        if field.kind == "gateway":
            return self._make_gateway(field)
        help_text = self.help_for(field)
        shown = self._display(field, value)
        self._shown[field.widget_id] = shown
        widget: Widget
        if field.kind == "bool":
            widget = Switch(value=shown, id=field.widget_id)
        elif field.kind == "select":
            options = [(o, o) for o in field.options]
            # compact: no tall border, which at one line high hid the value on focus
            widget = Select(
                options, value=shown, allow_blank=False, id=field.widget_id, compact=True
            )
        elif field.kind == "choice":  # unset means the kernel's default: blank is a value
            widget = Select(
                [(o, o) for o in field.options],
                value=shown,
                prompt="(default)",
                id=field.widget_id,
                compact=True,
            )
        else:
            widget = Input(
                shown,
                id=field.widget_id,
                placeholder=placeholder_for(field),
                compact=True,
            )
        widget.tooltip = help_text
        return widget

    def _make_gateway(self, field: Field) -> Widget:
        family = field.path[0]
        widget = Input(
            (self.gateways or {}).get(family, ""),
            id=field.widget_id,
            placeholder=GATEWAY_PLACEHOLDER[family],
        )
        widget.tooltip = GATEWAY_HELP[family]
        return widget

    def _gateway_typed(self, field: Field, text: str) -> None:
        family, address = field.path[0], text.strip()
        if self.gateways is None or self.gateways.get(family, "") == address:
            return
        self.gateways[family] = address
        self.post_message(self.GatewayChanged(self, self.name_, family, address))

    def load(self, iface: dict[str, Any]) -> bool:
        """Show ``iface`` in place (keeps scroll and focus); False when its type needs a new form.

        Only widgets whose value differs are set, and what is set is remembered
        as shown, so the widgets' Changed echoes post no edit back.
        """
        if str(iface.get(k.TYPE, k.UNKNOWN)) != str(self.iface.get(k.TYPE, k.UNKNOWN)):
            return False
        if iface.get(k.NAME) != self.iface.get(k.NAME):
            return False
        self.iface = copy.deepcopy(iface)
        for field in self.fields:
            if field.kind == "gateway":  # shows the draft's routes, not the interface
                continue
            shown = self._display(field, get_at(self.iface, field.path))
            widget: Any = self.query_one(f"#{field.widget_id}")
            if widget.value != shown:
                self._shown[field.widget_id] = shown
                widget.value = shown
        return True

    def help_for(self, field: Field) -> str:
        if field.kind == "gateway":
            return GATEWAY_HELP[field.path[0]]
        path = f"interfaces[{self.name_}]." + ".".join(field.path)
        return description_at(path, str(self.iface.get(k.TYPE))) or ""

    def first_field(self) -> Widget | None:
        """The form's first field (where focus goes when the form is entered by key)."""
        return self.query_one(f"#{self.fields[0].widget_id}") if self.fields else None

    def field_widget(self, path: Path) -> Widget | None:
        """The input of the field at ``path`` (to jump there from a problem)."""
        for field in self.fields:
            if field.path == path:
                return self.query_one(f"#{field.widget_id}")
        return None

    def _update(self, widget_id: str | None, value: Any) -> None:
        field = self._by_id.get(widget_id or "")
        if field is None or self._shown.get(field.widget_id) == value:
            return
        if field.kind == "gateway":
            self._gateway_typed(field, str(value))
            return
        self._shown[field.widget_id] = value
        old = get_at(self.iface, field.path)
        if field.kind == "choice":
            new = value if isinstance(value, str) else None  # Select.NULL: back to the default
        elif field.kind in ("bool", "select"):
            new = value
        else:
            new = from_text(field, str(value), old)
        if new == old:
            return
        set_at(self.iface, field.path, new)
        text = None if field.kind in ("bool", "select") else str(value)
        self.post_message(self.Changed(self, copy.deepcopy(self.iface), field.widget_id, text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update(event.input.id, event.value)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        for word in self.query(f"#{event.switch.id}-word").results(Label):
            word.update(_on_off(event.value))
        self._update(event.switch.id, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._update(event.select.id, event.value)

    def on_descendant_focus(self, event: Any) -> None:
        field = self._by_id.get(getattr(event.widget, "id", "") or "")
        if field is not None:
            self.query_one("#field-help", Static).update(self.help_for(field))
            self._mark(event.widget, FOCUS_MARK)

    def on_descendant_blur(self, event: Any) -> None:
        if (getattr(event.widget, "id", "") or "") in self._by_id:
            self._mark(event.widget, "")

    @staticmethod
    def _mark(widget: Widget, mark: str) -> None:
        """Put the focus mark on the row of ``widget``: focus must show without colour."""
        row = widget.parent
        if isinstance(row, Horizontal):
            for label in row.query(".field-mark").results(Label):
                label.update(mark)
