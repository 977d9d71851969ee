"""Edit screen for a global section: routes, DNS or the host name, by form and by YAML.

The same screen as an interface's (:class:`EditScreen`: form left, the
whole draft's YAML right, problems below, undo, teaching), with the
section's form in the left pane. Each form posts what the user typed; the
turn into nmstate's desired state (absent entries for removed host routes,
only the DNS keys that differ) is ``engine.section_edit``'s.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from engine import keys as k
from engine import yamlio
from engine.draft import Draft
from engine.paths import split_path
from engine.section_edit import dns_section, dns_shown, hostname_section, routes_section
from nmtui_state.screens.edit import EditScreen
from widgets.dns_form import DnsForm
from widgets.hostname_form import HostnameForm
from widgets.problem_list import ProblemList
from widgets.routes_form import RoutesForm
from widgets.yaml_editor import YamlEditor

#: Tree section name (``NodeRef("section", ...)``) → the state's top-level key.
SECTIONS = {"routes": k.ROUTES, "dns": k.DNS_RESOLVER, "hostname": k.HOSTNAME}


def _config(state: dict[str, Any], key: str) -> Any:
    section = state.get(key)
    return section.get(k.CONFIG) if isinstance(section, dict) else None


class SectionEditScreen(EditScreen):
    """Edit routes, DNS or the host name of the draft."""

    def __init__(self, draft: Draft, section: str) -> None:
        if section not in SECTIONS:
            raise ValueError(f"no form for section {section!r}")
        super().__init__(draft, None)
        self.section = section
        self.key = SECTIONS[section]

    def on_mount(self) -> None:
        # A route is a row of five fields: give the routes form the wider part.
        # (Textual runs EditScreen's on_mount too; this only adds to it.)
        if self.key == k.ROUTES:
            self.query_one("#edit-left").styles.width = "2fr"

    # -- what the form shows ---------------------------------------------------------

    def _host(self) -> Any:
        return _config(self.draft.current, self.key)

    def _draft_config(self) -> Any:
        return _config(self.draft.desired, self.key)

    def _interfaces(self) -> list[str]:
        """Interfaces a route can leave through: the host's managed ones and the draft's."""
        names: list[str] = []
        for state in (self.draft.current, self.draft.desired):
            for iface in state.get(k.INTERFACES) or []:
                name = iface.get(k.NAME)
                if name and name not in names and iface.get(k.STATE) not in (k.IGNORE, k.ABSENT):
                    names.append(str(name))
        return sorted(names)

    def make_form(self) -> Widget:
        if self.key == k.ROUTES:
            return RoutesForm(
                self._host() or [], self._draft_config() or [], self._interfaces(), id="form"
            )
        if self.key == k.DNS_RESOLVER:
            running = (self.draft.current.get(k.DNS_RESOLVER) or {}).get(k.RUNNING)
            return DnsForm(dns_shown(self._host(), self._draft_config()), running, id="form")
        draft = self._draft_config()
        static = draft if isinstance(draft, str) else self._host() or ""
        running = (self.draft.current.get(k.HOSTNAME) or {}).get(k.RUNNING) or ""
        return HostnameForm(str(static), str(running), id="form")

    def _form_is_current(self, form: Widget) -> bool:
        """Does the shown form already say what the draft says (no rebuild, keep focus)?"""
        if isinstance(form, RoutesForm):
            return form.draft_routes == (self._draft_config() or [])
        if isinstance(form, DnsForm):
            return form.config == dns_shown(self._host(), self._draft_config())
        if isinstance(form, HostnameForm):
            draft = self._draft_config()
            return form.config == (draft if isinstance(draft, str) else self._host() or "")
        return False

    async def _rebuild_form(self) -> None:
        old = self.query_one("#form")
        if self._form_is_current(old):
            return
        await old.remove()
        await self.query_one("#edit-left").mount(self.make_form(), before=0)

    def on_problem_list_jump_to(self, event: ProblemList.JumpTo) -> None:
        """Jump from a problem to its field in this form; else EditScreen goes to the line."""
        problem = event.problem
        widget = self._field_at(problem.path)
        if widget is not None:
            event.prevent_default()
            if problem.line:  # the YAML cursor moves too, as on the interface form
                self.query_one(YamlEditor).goto_line(problem.line, problem.column, focus=False)
            widget.focus()

    def _field_at(self, path: str) -> Widget | None:
        parts = split_path(path)
        form = self.query_one("#form")
        if parts[:1] != [self.key] or not isinstance(form, RoutesForm | DnsForm | HostnameForm):
            return None
        if isinstance(form, RoutesForm):
            if len(parts) < 3 or not isinstance(parts[2], int):
                return None
            key = parts[3] if len(parts) > 3 and isinstance(parts[3], str) else None
            return form.field_for(parts[2], key)
        if isinstance(form, DnsForm):
            dns_key = parts[2] if len(parts) > 2 else None
            if isinstance(dns_key, str) and dns_key in form.config:
                return form.field(dns_key)
            return None
        return form.query_one("#hostname-config")

    # -- form edits into the draft -------------------------------------------------

    def _set(self, value: dict[str, Any] | None) -> None:
        self.draft.set_section(self.key, value)
        self._sync_yaml()
        self._validate()
        text = yamlio.dumps({self.key: value}) if value else f"{self.key}: (back to the host's)\n"
        self.query_one("#teach", Static).update(f"[b]This edit in YAML:[/]\n{text.rstrip()}")

    def on_routes_form_changed(self, event: RoutesForm.Changed) -> None:
        self._set(routes_section(self.draft.section(k.ROUTES), event.routes_config))

    def on_dns_form_changed(self, event: DnsForm.Changed) -> None:
        self._set(dns_section(self._host(), event.config))

    def on_hostname_form_changed(self, event: HostnameForm.Changed) -> None:
        self._set(hostname_section(self.draft.current.get(k.HOSTNAME), event.hostname))
