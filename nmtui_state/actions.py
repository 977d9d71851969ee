"""The action catalogue: every key binding once, with an id, a scope and help text.

Screens take their BINDINGS from here (``bindings(...)``), so the footer,
the help screen and a future key-remapping file all read one table. The
scope says where a key works; the help screen shows it, so a key bound on
two screens (Esc: back, revert) reads as two entries with their places.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

EVERYWHERE = "everywhere"


@dataclass(frozen=True)
class Action:
    id: str
    key: str
    action: str
    description: str
    where: str = EVERYWHERE
    show: bool = True
    priority: bool = False
    #: The footer's label when the description is too long for 80 columns ("" = same).
    footer: str = ""

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.footer or self.description,
            show=self.show,
            id=self.id,
            priority=self.priority,
        )

    @property
    def key_label(self) -> str:
        """The key as a person types it (``?``, ``/``, ``Ctrl+Q``)."""
        names = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter"}

        def one(key: str) -> str:
            *mods, last = key.split("+")
            last = names.get(last, last.upper() if mods else last)
            return "+".join([*(m.capitalize() for m in mods), last])

        return " ".join(one(key) for key in self.key.split(","))


CATALOGUE: dict[str, Action] = {
    a.id: a
    for a in (
        Action("help", "question_mark", "help", "Help"),
        Action("quit.ctrl", "ctrl+q", "quit_app", "Quit", show=False, priority=True),
        # Bound by Textual itself; listed so the help screen names it.
        Action("palette", "ctrl+p", "command_palette", "Command palette", show=False),
        Action("quit", "q", "quit_app", "Quit", where="main"),
        Action("filter", "slash", "filter", "Filter", where="main"),
        # Not in the footer: the tree refreshes by itself, and at 80 columns the footer
        # cut off Review and Help. The help screen lists it.
        Action("refresh", "r", "refresh", "Refresh", where="main", show=False),
        Action("edit", "e", "edit", "Edit", where="main"),
        Action("add", "a", "add_iface", "Add", where="main"),
        Action("down", "d", "set_down", "Set down", where="main", footer="Down"),
        Action("remove", "x", "remove_iface", "Remove", where="main"),
        Action("review", "v", "review", "Review", where="main"),
        Action("discard", "D", "discard_draft", "Discard draft", where="main", show=False),
        Action("edit.back", "escape", "back", "Back", where="edit"),
        Action("edit.review", "ctrl+r", "review", "Review", where="edit"),
        Action("edit.switch", "f2", "switch_pane", "Form/YAML", where="edit"),
        Action("undo", "ctrl+z", "undo", "Undo", where="edit"),
        Action("redo", "ctrl+y", "redo", "Redo", where="edit"),
        Action("teach", "ctrl+t", "toggle_teach", "Teaching", where="edit"),
        Action("save", "ctrl+s", "save", "Save", where="edit"),
        # Alt+Z as in VS Code; also in the palette, for consoles that send no Alt.
        Action("wrap", "alt+z", "toggle_wrap", "Wrap YAML lines", where="edit", show=False),
        Action("review.back", "escape", "back", "Back", where="review"),
        Action("apply", "ctrl+a", "apply", "Apply", where="review"),
        Action("unified", "u", "toggle_unified", "YAML diff", where="review"),
        Action("keep", "enter", "keep", "Keep", where="countdown"),
        # Shown in the footer: a focused button takes Enter there, so Enter's entry is hidden.
        Action("keep.y", "y", "keep", "Keep", where="countdown"),
        Action("revert", "escape", "revert", "Revert", where="countdown"),
        Action("revert.n", "n", "revert", "Revert", where="countdown", show=False),
        Action("confirm.yes", "y", "answer(True)", "Yes", where="questions"),
        Action("confirm.no", "n,escape", "answer(False)", "No", where="questions"),
        Action("cancel", "escape", "cancel", "Cancel", where="dialogs"),
        Action("help.close", "escape,q,question_mark", "close", "Close", where="help"),
    )
}


def bindings(*ids: str) -> list[BindingType]:
    """Textual bindings for the given catalogue ids, in that order."""
    return [CATALOGUE[i].binding() for i in ids]
