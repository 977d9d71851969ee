"""Problems of the draft, each with its path; selecting one asks to jump there."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.errors import Problem


def problem_text(problem: Problem) -> Text:
    style = "red" if problem.is_error else "yellow"
    text = Text()
    text.append("✗ " if problem.is_error else "! ", style=style)
    if problem.path:
        text.append(problem.path, style="bold")
        text.append(": ")
    text.append(problem.message)
    if problem.hint:
        text.append(f" (fix: {problem.hint})", style="dim")
    return text


class ProblemList(OptionList):
    """A list of problems; Enter or click posts JumpTo(problem)."""

    DEFAULT_CSS = """
    ProblemList { height: auto; max-height: 8; }
    """

    @dataclass
    class JumpTo(Message):
        problem: Problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.problems: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.clear_options()
        if not problems:
            self.add_option(Option(Text("✓ no problems", style="green"), disabled=True))
            return
        for i, problem in enumerate(problems):
            self.add_option(Option(problem_text(problem), id=str(i)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.JumpTo(self.problems[int(event.option.id)]))
