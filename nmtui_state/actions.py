"""The action catalogue: every key binding once, with an id and help text.

Screens take their BINDINGS from here, so the footer, the help screen and
a future key-remapping file all read one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Action:
    id: str
    key: str
    action: str
    description: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            id=self.id,
            priority=self.priority,
        )


CATALOGUE: dict[str, Action] = {
    a.id: a
    for a in (
        Action("help", "question_mark", "help", "Help"),
        Action("quit", "q", "quit_app", "Quit"),
        Action("quit.ctrl", "ctrl+q", "quit_app", "Quit", show=False, priority=True),
        Action("filter", "slash", "filter", "Filter"),
        Action("refresh", "r", "refresh", "Refresh"),
        Action("edit", "e", "edit", "Edit"),
        Action("add", "a", "add_iface", "Add"),
        Action("down", "d", "set_down", "Set down"),
        Action("remove", "x", "remove_iface", "Remove"),
        Action("review", "v", "review", "Review"),
        Action("undo", "ctrl+z", "undo", "Undo", show=False),
        Action("redo", "ctrl+y", "redo", "Redo", show=False),
        Action("save", "ctrl+s", "save", "Save draft", show=False),
        Action("yaml", "y", "toggle_yaml", "YAML"),
        Action("back", "escape", "back", "Back"),
        Action("apply", "ctrl+a", "apply", "Apply"),
        Action("keep", "enter", "keep", "Keep"),
        Action("keep.y", "y", "keep", "Keep", show=False),
        Action("revert", "escape", "revert", "Revert"),
        Action("revert.n", "n", "revert", "Revert", show=False),
    )
}


def bindings(*ids: str) -> list[BindingType]:
    """Textual bindings for the given catalogue ids, in that order."""
    return [CATALOGUE[i].binding() for i in ids]
