"""Edit screen: a form for one interface and the YAML of the whole draft, side by side.

Both edit the same draft. A form edit rewrites the YAML (and, in teaching
mode, shows the YAML that one edit produced); a YAML edit rebuilds the
form. Problems are listed with their path and jump to the field or line.
"""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from engine import keys as k
from engine import yamlio
from engine.draft import Draft, DraftShapeError
from engine.errors import Problem
from engine.paths import iface_field
from engine.section_edit import effective_routes, gateways_of, routes_section, with_gateway
from engine.validate import validate
from nmtui_state.actions import bindings
from nmtui_state.screens.host_app import host_app
from widgets.iface_form import IfaceForm
from widgets.problem_list import ProblemList
from widgets.yaml_editor import YamlEditor

WORD_BREAK = re.compile(r"[\s,]+")


def undo_group(event: IfaceForm.Changed) -> str | None:
    """One undo step per word typed into a field (a separator starts the next word).

    Switches and selects are one step per change.
    """
    if event.text is None:
        return None
    return f"{event.form.name_}/{event.field}/{len(WORD_BREAK.findall(event.text))}"


class EditScreen(Screen[None]):
    """Edit the draft by form and by YAML."""

    BINDINGS = bindings(
        "edit.back", "edit.review", "edit.switch", "undo", "redo", "teach", "save", "wrap"
    )

    def __init__(self, draft: Draft, name: str | None, section: str | None = None) -> None:
        super().__init__()
        self.draft = draft
        self.iface_name = name
        self.section = section  # "routes", "dns", "hostname": a global section, YAML only
        self.problems: list[Problem] = []
        self.yaml_broken = False  # the editor's text does not parse: form edits are refused

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="edit-panes"):
            with Vertical(id="edit-left"):
                yield self.make_form()
                yield Static("", id="teach")
            with Vertical(id="edit-right"):
                yield Static("[b]Draft[/] nmstate YAML (same draft as the form)", id="yaml-title")
                yield YamlEditor(self._yaml(), id="yaml")
        yield ProblemList(id="problems")
        yield Footer()

    def make_form(self) -> Widget:
        """The left pane's form, ``#form`` (a section screen puts its own form there)."""
        iface = self.draft.iface(self.iface_name) if self.iface_name else None
        if iface is not None:
            return self._iface_form(iface)
        return Static(self._no_form_text(), id="form")

    def _iface_form(self, iface: dict[str, Any]) -> IfaceForm:
        # A port (of a bridge, a bond) has no IP of its own: no gateway fields for it.
        gateways = None if iface.get(k.CONTROLLER) else gateways_of(self._routes(), iface[k.NAME])
        return IfaceForm(iface, id="form", gateways=gateways)

    def _routes(self) -> list[dict[str, Any]]:
        """The static routes the host will have with the draft (for the gateway fields)."""
        return effective_routes(_route_list(self.draft.current), _route_list(self.draft.desired))

    def on_mount(self) -> None:
        self._validate()
        self.query_one("#teach", Static).display = self.app_teaching
        if not isinstance(self.query_one("#form"), IfaceForm):
            self.set_focus(self.query_one(YamlEditor))

    def _no_form_text(self) -> str:
        if self.section == "routes":
            return (
                "Routes are edited in the YAML on the right. nmstate adds the routes listed; "
                "a route with 'state: absent' removes every route it matches."
            )
        if self.section in ("dns", "hostname"):
            what = "DNS" if self.section == "dns" else "The hostname"
            return f"{what} is edited in the YAML on the right."
        return (
            "Pick an interface on the main screen to get a form; "
            "the YAML on the right edits the whole draft."
        )

    @property
    def app_teaching(self) -> bool:
        return host_app(self).teaching

    def _yaml(self) -> str:
        shown = self.draft.view(self.iface_name, self.section)
        return yamlio.dumps(shown) if shown else ""

    def _validate(self) -> None:
        text = self.query_one(YamlEditor).text
        problems = validate(self.draft.desired, self.draft.current) if self.draft.desired else []
        self._show_problems(yamlio.attach_lines(problems, text, "draft"))

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.query_one(ProblemList).set_problems(problems)
        self.query_one(YamlEditor).mark_lines({p.line for p in problems if p.line})

    def _sync_yaml(self) -> None:
        self.query_one(YamlEditor).set_text_quietly(self._yaml())

    async def _rebuild_form(self) -> None:
        """Show the draft's interface in the form: in place when it can (scroll and focus stay)."""
        if self.iface_name is None:
            return
        iface = self.draft.iface(self.iface_name)
        old = self.query_one("#form")
        if (
            isinstance(old, IfaceForm)
            and iface is not None
            and old.gateways in (None, gateways_of(self._routes(), self.iface_name))
            and (iface == old.iface or old.load(iface))
        ):
            return
        left = self.query_one("#edit-left")
        await old.remove()
        if iface is not None:
            await left.mount(self._iface_form(iface), before=0)
        else:
            await left.mount(
                Static(f"{self.iface_name} is no longer in the draft", id="form"), before=0
            )

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self.draft.end_group()  # typing in another field is another undo step

    def _set_form_usable(self, usable: bool) -> None:
        """Grey the form out while the YAML cannot be taken (it would be overwritten)."""
        form = self.query_one("#form")
        if isinstance(form, IfaceForm):
            form.disabled = not usable

    def _refuse_form_edit(self, form: IfaceForm, why: str) -> None:
        self.notify(f"Form edit not taken: {why}", severity="error")
        iface = self.draft.iface(form.name_)
        if iface is not None:
            form.load(iface)  # the form shows the draft again, the YAML text stays as typed

    def on_iface_form_changed(self, event: IfaceForm.Changed) -> None:
        """Take a form edit, unless the YAML holds text the edit would overwrite.

        Text still being typed is taken first when it parses; when it does not
        parse (or ``interfaces`` is no list) the edit is refused and the text
        kept: rewriting the editor from the last good state would discard it.
        """
        editor = self.query_one(YamlEditor)
        state, problem = editor.parse() if editor.pending or self.yaml_broken else (None, None)
        if problem is not None:
            where = f" (line {problem.line})" if problem.line else ""
            self._refuse_form_edit(event.form, f"the YAML does not parse{where}; fix it first")
            return
        if state is not None:
            editor.parse_now()  # report it as usual; the draft takes it now
            self.draft.replace(state)
            if self.draft.iface(event.form.name_) != event.form.iface:
                self._refuse_form_edit(event.form, "the YAML just changed this interface")
                return
        before = self.draft.iface(event.iface[k.NAME])
        changed_from = self.draft.desired
        try:
            self.draft.set_iface(event.iface, undo_group(event))
        except DraftShapeError as exc:
            self._refuse_form_edit(event.form, f"{exc}; fix the YAML first")
            return
        if self.draft.desired is not changed_from:
            self._sync_yaml()
        self._validate()
        self._teach(event.iface, before)

    def on_iface_form_gateway_changed(self, event: IfaceForm.GatewayChanged) -> None:
        """A gateway is the interface's default route: edit ``routes.config``."""
        host = (self.draft.current.get(k.ROUTES) or {}).get(k.CONFIG) or []
        draft = (self.draft.desired.get(k.ROUTES) or {}).get(k.CONFIG) or []
        config = with_gateway(host, draft, event.iface, event.family, event.address)
        self.draft.set_section(k.ROUTES, routes_section(self.draft.section(k.ROUTES), config))
        self._sync_yaml()
        self._validate()
        text = yamlio.dumps({k.ROUTES: {k.CONFIG: config}}) if config else "routes: {}\n"
        self.query_one("#teach", Static).update(f"[b]This edit in YAML:[/]\n{text.rstrip()}")

    def _teach(self, iface: dict[str, Any], before: dict[str, Any] | None) -> None:
        """Show the YAML this one edit produced (teaching mode)."""
        changed = {
            key: v
            for key, v in iface.items()
            if before is None or before.get(key) != v or key in (k.NAME, k.TYPE)
        }
        text = yamlio.dumps({k.INTERFACES: [changed]})
        self.query_one("#teach", Static).update(f"[b]This edit in YAML:[/]\n{text.rstrip()}")

    async def on_yaml_editor_parsed(self, event: YamlEditor.Parsed) -> None:
        host_app(self).unparsed_yaml = None if event.state is not None else event.editor.text
        self.yaml_broken = event.state is None
        if event.state is None:
            problem = event.problem or Problem("", "the YAML does not parse")
            self._show_problems([problem])
            self._set_form_usable(False)
            return
        self.draft.replace(event.state)
        await self._rebuild_form()
        self._set_form_usable(self.draft.shape_problem() is None)
        self._validate()

    def on_problem_list_jump_to(self, event: ProblemList.JumpTo) -> None:
        """Go to the problem: its form field when the form has one, else its YAML line.

        The YAML cursor moves to the line either way, so F2 lands there too.
        """
        problem = event.problem
        editor = self.query_one(YamlEditor)
        if problem.line:
            editor.goto_line(problem.line, problem.column, focus=False)
        name, keys = iface_field(problem.path)
        form = self.query_one("#form")
        if isinstance(form, IfaceForm) and name == form.name_ and not form.disabled:
            for n in range(len(keys), 0, -1):
                widget = form.field_widget(keys[:n])
                if widget is not None:
                    self.set_focus(widget)
                    return
        if problem.line:
            self.set_focus(editor)

    async def _after_history(self) -> None:
        self._sync_yaml()
        await self._rebuild_form()
        self._validate()

    async def action_undo(self) -> None:
        if self.draft.undo():
            await self._after_history()

    async def action_redo(self) -> None:
        if self.draft.redo():
            await self._after_history()

    def action_switch_pane(self) -> None:
        """Move the focus between the form and the YAML editor (one key, from anywhere).

        ``set_focus`` at once, not ``focus()`` (deferred): keys typed right after F2
        must land in the pane F2 went to.
        """
        editor = self.query_one(YamlEditor)
        if not editor.has_focus:
            self.set_focus(editor)
            return
        form = self.query_one("#form")
        usable = isinstance(form, IfaceForm) and not form.disabled
        first = form.first_field() if isinstance(form, IfaceForm) and usable else None
        self.set_focus(first or self.query_one(ProblemList))

    def action_toggle_teach(self) -> None:
        teaching = not self.app_teaching
        host_app(self).teaching = teaching
        self.query_one("#teach", Static).display = teaching

    def action_toggle_wrap(self) -> None:
        on = self.query_one(YamlEditor).toggle_wrap()
        self.notify(f"YAML lines {'wrap' if on else 'do not wrap'} (Alt+Z)", timeout=2)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_review(self) -> None:
        host_app(self).action_review()

    def action_save(self) -> None:
        host_app(self).action_save()


def _route_list(state: dict[str, Any]) -> list[Any]:
    """``routes.config`` of ``state``, or [] while typed YAML gives it another shape."""
    routes = state.get(k.ROUTES)
    config = routes.get(k.CONFIG) if isinstance(routes, dict) else None
    return config if isinstance(config, list) else []
