"""Long YAML lines wrap in the editor at 80x24, marks stay on their lines, Alt+Z unwraps."""

from __future__ import annotations

from nmtui_state.sandbox import Sandbox
from nmtui_state.screens.edit import EditScreen
from tests.app_tests.harness import make_app, ready, select, wait_for
from widgets.problem_list import ProblemList
from widgets.yaml_editor import YamlEditor

TAIL = "zz-end.example"
LONG = (
    "dns-resolver:\n"
    "  config:\n"
    "    search:\n"
    f"    - {'very-long-domain-label.' * 4}{TAIL}\n"
    "    server:\n"
    "    - 300.0.0.1\n"
)


def _rows(editor: YamlEditor) -> list[str]:
    """The editor's rows as the pane shows them (a row wider than the pane is cut)."""
    width = editor.size.width
    return [editor.render_line(y).crop(0, width).text for y in range(editor.size.height)]


async def test_long_lines_wrap_and_problem_marks_stay_on_their_line(
    module_demo_sandbox: Sandbox,
) -> None:
    app = make_app(module_demo_sandbox, watch_host=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        await select(pilot, app, "dns", kind="section")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditScreen))
        editor = app.screen.query_one(YamlEditor)
        editor.load_text(LONG)
        problems = app.screen.query_one(ProblemList)
        await wait_for(pilot, lambda: any(p.line == 6 for p in problems.problems))
        await wait_for(pilot, lambda: editor.problem_lines == {6})
        width = editor.content_size.width
        assert len(LONG.splitlines()[3]) > width  # the line is wider than the pane
        rows = _rows(editor)
        # Wrapped: the whole long line is on screen, over rows of their own.
        domain = LONG.splitlines()[3].split("- ")[1]
        gutter = editor.gutter_width
        assert domain in "".join(row[gutter:].strip() for row in rows), rows
        tail_row = next(i for i, row in enumerate(rows) if row.rstrip().endswith("example"))
        assert tail_row > 4 and not rows[tail_row][:gutter].strip()  # no line number
        # The mark is on line 6's row (after the continuation rows), nowhere else.
        marked = [i for i, row in enumerate(rows) if "✗" in row]
        assert len(marked) == 1 and "300.0.0.1" in rows[marked[0]], rows
        assert marked[0] > tail_row
        # Alt+Z unwraps: one row per line, the tail off screen, the mark on row 5.
        editor.focus()
        await pilot.press("alt+z")
        await wait_for(pilot, lambda: not editor.soft_wrap)
        await pilot.pause(0.05)
        rows = _rows(editor)
        assert not any(row.rstrip().endswith("example") for row in rows)
        assert [i for i, row in enumerate(rows) if "✗" in row] == [5]
        await pilot.press("alt+z")
        await wait_for(pilot, lambda: editor.soft_wrap)
