"""A form for the static routes: one row per route the host will have, add and remove.

It shows the host's routes as the draft leaves them (absent ones gone, the
draft's own added) and posts :class:`RoutesForm.Changed` with the draft's
new ``routes.config`` after every edit. Turning rows back into nmstate's
append-only list (a removed host route is a ``state: absent`` entry, a
route only the draft had is dropped) is ``engine.section_edit``'s job, so
the YAML editor and this form agree on what an edit means. Like the
interface form it does not validate: what is typed passes through, and the
schema check reports it at its path.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from engine import keys as k
from engine.section_edit import Route, effective_routes, routes_config
from engine.validate import description_at

# (key, header, width, placeholder); next-hop-interface is a Select, the rest are inputs.
COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    (k.DESTINATION, "destination", 20, "network/prefix"),
    (k.NEXT_HOP_ADDRESS, "gateway", 18, "direct"),
    (k.NEXT_HOP_INTERFACE, "interface", 13, ""),
    (k.METRIC, "metric", 8, "auto"),
    (k.TABLE_ID, "table", 7, "main"),
)
INT_KEYS = frozenset({k.METRIC, k.TABLE_ID})


def parse_cell(key: str, text: str) -> Any:
    """A typed cell as a route value; empty is None (left out), bad numbers pass through."""
    text = text.strip()
    if not text:
        return None
    if key in INT_KEYS:
        return int(text) if text.lstrip("-").isdigit() else text
    return text


def describe(route: Route) -> str:
    """``203.0.113.0/24 via 192.0.2.1 dev eth1`` for the list of removed routes."""
    text = str(route.get(k.DESTINATION, "?"))
    if route.get(k.NEXT_HOP_ADDRESS):
        text += f" via {route[k.NEXT_HOP_ADDRESS]}"
    if route.get(k.NEXT_HOP_INTERFACE):
        text += f" dev {route[k.NEXT_HOP_INTERFACE]}"
    return text


class RoutesForm(Widget):
    """Edit the routes; post Changed(routes_config) with the draft's new ``routes.config``."""

    DEFAULT_CSS = """
    RoutesForm { height: 1fr; }
    RoutesForm VerticalScroll { height: 1fr; overflow-x: auto; }
    RoutesForm .route-row, RoutesForm #routes-head { height: 1; width: auto; margin-bottom: 1; }
    RoutesForm .route-row Input { height: 1; border: none; padding: 0 1; margin-right: 1; }
    RoutesForm .route-row Select { height: 1; margin-right: 1; }
    RoutesForm .route-row SelectCurrent { height: 1; border: none; padding: 0 1; }
    RoutesForm .route-row Button { height: 1; min-width: 5; width: 5; border: none; padding: 0;
                                   color: $text-error; }
    RoutesForm #routes-head Label { text-style: bold; margin-right: 1; padding: 0 0 0 1; }
    RoutesForm #add-route { height: 1; border: none; margin: 0 1; }
    RoutesForm #routes-removed { color: $text-muted; padding: 0 1; }
    RoutesForm #form-title { text-style: bold; padding: 0 1; }
    """

    @dataclass
    class Changed(Message):
        """The draft's ``routes.config`` after an edit (absent entries first)."""

        form: RoutesForm
        routes_config: list[Route]

    def __init__(
        self,
        host_routes: list[Any],
        draft_routes: list[Any],
        interfaces: list[str],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.host_routes = copy.deepcopy(host_routes)
        self.draft_routes = copy.deepcopy(draft_routes)
        self.interfaces = list(interfaces)
        self._rows: dict[str, Route] = {}  # row id -> route, in display order
        self._cells: dict[str, tuple[str, str]] = {}  # cell id -> (row id, route key)
        self._next = 0
        for route in effective_routes(self.host_routes, self.draft_routes):
            self._rows[self._new_id()] = route

    def _new_id(self) -> str:
        self._next += 1
        return f"route-{self._next}"

    @property
    def rows(self) -> list[Route]:
        """The routes as shown, in order."""
        return [copy.deepcopy(r) for r in self._rows.values()]

    def compose(self) -> ComposeResult:
        yield Static("Static routes (routes.config)", id="form-title")
        with VerticalScroll(id="routes-rows"):
            with Horizontal(id="routes-head"):
                for _, header, width, _ in COLUMNS:
                    label = Label(header)
                    label.styles.width = width
                    yield label
            for row_id, route in self._rows.items():
                yield self._row(row_id, route)
            yield Button("+ Add route", id="add-route")
            yield Static(self._removed_text(), id="routes-removed")

    def _row(self, row_id: str, route: Route) -> Horizontal:
        cells: list[Widget] = []
        for key, _, width, placeholder in COLUMNS:
            cell_id = f"{row_id}-{key}"
            self._cells[cell_id] = (row_id, key)
            value = route.get(key)
            cell: Widget
            if key == k.NEXT_HOP_INTERFACE:
                names = list(self.interfaces)
                if value and value not in names:
                    names.append(str(value))
                cell = Select(
                    [(n, n) for n in names],
                    value=value if value in names else Select.NULL,
                    prompt="(none)",
                    id=cell_id,
                )
            else:
                cell = Input(
                    "" if value is None else str(value), placeholder=placeholder, id=cell_id
                )
            cell.styles.width = width
            cell.tooltip = description_at(f"routes.config[0].{key}") or ""
            cells.append(cell)
        remove = Button("del", id=f"{row_id}-remove", classes="remove-route")
        remove.tooltip = "Remove this route (a host route gets state: absent)"
        return Horizontal(*cells, remove, classes="route-row", id=row_id)

    def _removed_text(self) -> str:
        gone = [
            describe(p)
            for p in self.draft_routes
            if isinstance(p, dict) and p.get(k.STATE) == k.ABSENT
        ]
        if not gone:
            return ""
        return "Removed from the host (state: absent): " + "; ".join(gone)

    def cell(self, index: int, key: str) -> Widget:
        """The widget of row ``index``'s ``key`` (tests and problem jumps use it)."""
        row_id = list(self._rows)[index]
        return self.query_one(f"#{row_id}-{key}")

    def field_for(self, config_index: int, key: str | None) -> Widget | None:
        """The cell showing ``routes.config[config_index].key`` (a problem's path), if any.

        Absent entries have no row (their route is gone from the form).
        """
        if not 0 <= config_index < len(self.draft_routes):
            return None
        entry = self.draft_routes[config_index]
        for index, route in enumerate(self._rows.values()):
            if route == entry:
                column = key if key in {c[0] for c in COLUMNS} else k.DESTINATION
                return self.cell(index, str(column))
        return None

    def _post(self) -> None:
        wanted = [r for r in self.rows if r]  # an empty row is no route (yet)
        config = routes_config(self.host_routes, self.draft_routes, wanted)
        if config == self.draft_routes:
            return
        self.draft_routes = config
        self.query_one("#routes-removed", Static).update(self._removed_text())
        self.post_message(self.Changed(self, copy.deepcopy(config)))

    async def add_route(self) -> None:
        """Append an empty row (it enters the draft once something is typed into it)."""
        row_id = self._new_id()
        self._rows[row_id] = {}
        row = self._row(row_id, {})
        await self.query_one("#routes-rows").mount(row, before="#add-route")
        row.query_one(Input).focus()

    async def remove_route(self, index: int) -> None:
        row_id = list(self._rows)[index]
        del self._rows[row_id]
        await self.query_one(f"#{row_id}").remove()
        self._post()

    def _edit(self, cell_id: str | None, value: Any) -> None:
        row_id, key = self._cells.get(cell_id or "", ("", ""))
        route = self._rows.get(row_id)
        if route is None:
            return
        new = value if key == k.NEXT_HOP_INTERFACE else parse_cell(key, str(value))
        if new is None or new is Select.NULL:
            route.pop(key, None)
        else:
            route[key] = new
        self._post()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._edit(event.input.id, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._edit(event.select.id, event.value)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id == "add-route":
            await self.add_route()
        elif button_id.endswith("-remove"):
            row_id = button_id.removesuffix("-remove")
            if row_id in self._rows:
                await self.remove_route(list(self._rows).index(row_id))
