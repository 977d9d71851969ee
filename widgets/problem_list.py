"""Problems of the draft, each with its line and path; selecting one asks to jump there.

The list is the one place a user reads why the draft cannot be applied, so
it shows them all: a count in its title, several at once with a scrollbar
for the rest, each hint in full (wrapped), and where it is (``line N`` like
the CLI's ``file:line``; parse errors with their column too).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from engine.errors import Problem
from widgets.glyphs import glyphs


def where(problem: Problem) -> str:
    """``line 12`` or ``line 3, column 7`` (empty when the problem has no line)."""
    if problem.line is None:
        return ""
    if problem.column is not None:
        return f"line {problem.line}, column {problem.column}"
    return f"line {problem.line}"


def problem_text(problem: Problem) -> Text:
    style = "red" if problem.is_error else "yellow"
    text = Text()
    text.append(f"{glyphs().problem} " if problem.is_error else "! ", style=style)
    if problem.line is not None:
        text.append(where(problem), style="bold")
        text.append(": ")
    if problem.path:
        text.append(problem.path, style="bold")
        text.append(": ")
    message = problem.message
    if problem.column is not None:  # said once, up front
        message = message.replace(f" at column {problem.column}", "", 1)
    text.append(message)
    if problem.hint:
        text.append(f" (fix: {problem.hint})", style="dim")
    return text


def title_for(problems: list[Problem]) -> str:
    """``Problems (3: 2 errors, 1 warning)``: the count, readable without the list."""
    if not problems:
        return "Problems (0)"
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"Problems ({len(problems)}: {', '.join(parts)})"


class ProblemList(OptionList):
    """A list of problems; Enter or click posts JumpTo(problem)."""

    DEFAULT_CSS = """
    ProblemList { height: auto; min-height: 3; max-height: 35%; overflow-y: scroll;
                  scrollbar-size-vertical: 1; }
    """

    @dataclass
    class JumpTo(Message):
        problem: Problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.problems: list[Problem] = []
        self.border_title = title_for([])

    def set_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.border_title = title_for(self.problems)
        highlighted = self.highlighted
        self.clear_options()
        if not problems:
            self.add_option(
                Option(Text(f"{glyphs().ok} no problems", style="green"), disabled=True)
            )
            return
        self.add_options(Option(problem_text(p), id=str(i)) for i, p in enumerate(problems))
        if highlighted is not None:
            self.highlighted = min(highlighted, len(problems) - 1)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.JumpTo(self.problems[int(event.option.id)]))
