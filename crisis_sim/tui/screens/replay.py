"""Step through a saved result: each minute's new posts, the player's answers and what they scored."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...review import answer_line, headline, points_text, step_lines
from ...timeline import Replay, Step, clean
from ..display import plural

STEP_WIDTH = 64
"""Characters of a minute's summary line: one line each in the list of minutes."""


def step_summary(step: Step) -> Text:
    """One line per minute for the list: the minute, its points and the first thing the player did."""
    line = Text.assemble((f"m{step.minute:<3}", "bold"), " ")
    line.append_text(points_text(step.points) if step.moments else Text("  "))
    if step.answers:
        line.append("  ")
        line.append_text(answer_line(step.answers[0]))
        if len(step.answers) > 1:
            line.append(f" (+{len(step.answers) - 1} more)", style="grey62")
    elif step.notices:
        line.append("  " + clean(step.notices[0].text))
    elif step.posts:
        line.append(f"  {plural(len(step.posts), 'new post')}", style="grey62")
    line.truncate(STEP_WIDTH, overflow="ellipsis")
    return line


class ReplayScreen(Screen):
    """The run rebuilt from its stored commands; ↑/↓ moves through the minutes."""

    DEFAULT_CSS = """
    #replay-head { padding: 0 1; height: auto; }
    #replay-body { height: 1fr; }
    #replay-steps { width: 74; border: round $primary; }
    #replay-detail { width: 1fr; border: round $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,b", "app.pop_screen", "Back", key_display="esc"),
        Binding("c", "toggle_crowd", "Crowd posts"),
        Binding("a", "next_answer", "Next answer"),
    ]

    def __init__(self, replayed: Replay) -> None:
        super().__init__()
        self.replayed = replayed
        self.show_crowd = False

    def compose(self) -> ComposeResult:
        yield Static(headline(self.replayed), id="replay-head")
        with Horizontal(id="replay-body"):
            steps = OptionList(*(Option(step_summary(step), id=str(index)) for index, step in enumerate(self.replayed.steps)), id="replay-steps")
            steps.border_title = "Minutes (↑/↓)"
            yield steps
            detail = VerticalScroll(Static(id="replay-step"), id="replay-detail")
            detail.border_title = "What happened"
            yield detail
        yield Footer()

    def on_mount(self) -> None:
        steps = self.query_one("#replay-steps", OptionList)
        steps.focus()
        if self.replayed.steps:
            steps.highlighted = 0
        self.show_step()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_step()

    @property
    def current(self) -> Step | None:
        """The minute highlighted in the list."""
        index = self.query_one("#replay-steps", OptionList).highlighted
        return self.replayed.steps[index] if index is not None else None

    def show_step(self) -> None:
        """What the player saw, did and scored in the highlighted minute."""
        step = self.current
        shown = self.query_one("#replay-step", Static)
        if step is None:
            shown.update(Text("Nothing happened in this run."))
            return
        lines = list(step_lines(step, self.replayed, all_posts=self.show_crowd))
        hidden = sum(1 for p in step.posts if not p.scripted and not self.replayed.session.responses_to(p.id))
        if hidden and not self.show_crowd:
            lines.append(Text(f"  ({plural(hidden, 'more crowd post')}: press c to show them)", style="grey62"))
        shown.update(Text("\n").join([Text(f"Minute {step.minute}", style="bold"), *lines]))

    def action_toggle_crowd(self) -> None:
        self.show_crowd = not self.show_crowd
        self.show_step()

    def action_next_answer(self) -> None:
        """Jump to the next minute in which the player did something."""
        steps = self.query_one("#replay-steps", OptionList)
        start = (steps.highlighted or 0) + 1
        following = (i for i in range(start, len(self.replayed.steps)) if self.replayed.steps[i].answers)
        index = next(following, None)
        if index is None:
            self.notify("No more answers after this minute.")
        else:
            steps.highlighted = index
