"""The edit screen's YAML: what it starts with, its problems panel, its keys."""

from __future__ import annotations

from textual.containers import VerticalScroll

from engine import yamlio
from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.edit import EditScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.iface_form import IfaceForm
from widgets.problem_list import ProblemList
from widgets.yaml_editor import YamlEditor


async def test_yaml_starts_with_the_current_config_of_what_is_edited(
    module_demo_sandbox: Sandbox,
) -> None:
    """Like ``nmstatectl edit``: the interface or section, not an empty editor."""
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "eth1")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        shown = yamlio.loads(app.screen.query_one(YamlEditor).text)
        (eth1,) = shown["interfaces"]
        assert eth1["name"] == "eth1" and eth1["ipv4"]["address"][0]["ip"] == "192.0.2.10"
        assert app.draft is not None and app.draft.empty  # looking is no edit
        await pilot.press("escape")
        for section, key, expect in (
            ("routes", "routes", "config"),
            ("dns", "dns-resolver", "config"),
            ("hostname", "hostname", "demo-host"),
        ):
            await wait_for(pilot, lambda: not isinstance(app.screen, EditScreen))
            await select(pilot, app, section, kind="section")
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
            editor = app.screen.query_one(YamlEditor)
            text = editor.text
            assert key in yamlio.loads(text) and expect in text, (section, text)
            assert app.focused is editor  # no form: the YAML is where typing goes
            app.set_focus(None)
            await pilot.press("escape")
        routes = yamlio.dumps(app.draft.view(section="routes"))
        assert "192.0.2" in routes or "198.51.100" in routes  # the demo host's route is shown


FIVE_PROBLEMS = """interfaces:
- name: eth1
  type: veth
  ipv4:
    enabled: true
    address:
    - ip: 192.0.2.1
      prefix-length: 33
    - ip: 192.0.2.2
      prefix-length: 34
    - ip: 300.0.2.3
      prefix-length: 24
- name: eth2
  type: veth
  mtu: -5
routes:
  config:
  - destination: 10.0.0.0/33
    next-hop-interface: eth1
"""


def _plain(widget: ProblemList) -> str:
    """The list as drawn, lines joined (wrapped text reads as one)."""
    lines = [widget.render_line(y).text for y in range(widget.size.height)]
    return " ".join(" ".join(line.strip(" ▊▎▔▁").split()) for line in lines)


async def test_problems_panel_lists_all_with_lines_hints_marks_and_jumps(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "routes", kind="section")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        editor = app.screen.query_one(YamlEditor)
        editor.load_text(FIVE_PROBLEMS)
        problems = app.screen.query_one(ProblemList)
        await wait_for(pilot, lambda: len(problems.problems) == 5)
        await pilot.pause(0.1)
        assert "Problems (5" in str(problems.border_title)
        assert [p.line for p in problems.problems] == [8, 10, 11, 15, 18]
        assert problems.size.height >= 7 and problems.show_vertical_scrollbar
        drawn = _plain(problems)
        for p in problems.problems[:3]:  # the first ones are on screen, each hint in full
            assert f"line {p.line}: " in drawn and f"(fix: {p.hint})" in drawn, drawn
        # The lines with problems carry a mark in the editor's gutter; the others do not.
        assert editor.problem_lines == {8, 10, 11, 15, 18}
        assert "✗" in editor.render_line(7).text and "✗" not in editor.render_line(8).text
        # Enter on the routes problem puts the YAML cursor on its line; the focus goes
        # to the routes form's field for it (the section has a form) or to the YAML.
        problems.focus()
        problems.highlighted = 4
        await pilot.press("enter")
        await wait_for(pilot, lambda: editor.cursor_location[0] == 17)
        await wait_for(pilot, lambda: app.focused is not problems)
        # A parse error names its line and column.
        editor.load_text("interfaces:\n- name: eth1\n  mtu: [\n")
        await wait_for(pilot, lambda: any("parse" in p.message for p in problems.problems))
        (parse,) = problems.problems
        assert parse.line == 4 and parse.column is not None
        assert f"line 4, column {parse.column}" in _plain(problems)


async def test_tab_leaves_the_yaml_and_undo_takes_back_a_word_without_scrolling(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "br0")
        await pilot.press("e")
        await wait_for(pilot, lambda: bool(app.screen.query("#f-bridge-port")))
        # Tab in the YAML moves the focus to the problem list, the text is not indented.
        editor = app.screen.query_one(YamlEditor)
        app.screen.set_focus(editor)
        await pilot.pause(0.05)
        text = editor.text
        await pilot.press("tab")
        await wait_for(pilot, lambda: isinstance(app.focused, ProblemList))
        assert editor.text == text
        # One Ctrl+Z in the YAML takes back a word typed there.
        app.screen.set_focus(editor)
        editor.cursor_location = (1, len(editor.document.get_line(1)))
        await pilot.press(*"eth1")
        assert editor.text != text
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: editor.text == text)
        await wait_for(pilot, lambda: not editor.pending)
        # In the form: the ports field is below the fold; typing scrolls there.
        ports = app.screen.query_one("#f-bridge-port")
        app.screen.set_focus(ports)
        await pilot.pause(0.1)
        scroll = app.screen.query_one(IfaceForm).query_one(VerticalScroll)
        await wait_for(pilot, lambda: scroll.scroll_y > 0)
        before_value = ports.value
        await pilot.press("end", *", eth1")
        await wait_for(pilot, lambda: "eth1" in str(app.draft.iface("br0")))  # type: ignore[union-attr]
        await wait_for(pilot, lambda: scroll.scroll_y == round(scroll.scroll_y))  # settled
        before_scroll = scroll.scroll_y
        await pilot.press("ctrl+z")  # one undo: the whole word, not its last letter
        await wait_for(pilot, lambda: ports.value == before_value)
        assert "eth1" not in str(app.draft.iface("br0"))  # type: ignore[union-attr]
        await pilot.pause(0.2)
        assert scroll.scroll_y == before_scroll  # the form stays where it was
