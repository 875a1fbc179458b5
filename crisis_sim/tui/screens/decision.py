"""A scenario's decision put to the player as a dialog over the live feed, and the debrief's block for the trainer."""

from __future__ import annotations

from time import monotonic

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...engine import Action, Command, OpenDecision, Response, Session
from ..display import plural

DECISION_GUARD_SECONDS = 0.5


class DecisionDialog(ModalScreen[Command | None]):
    """Choose one option before the deadline. The clock keeps running; Esc puts the question aside until c reopens it."""

    BINDINGS = [
        Binding("escape", "later", "Later (c reopens)"),
        *(Binding(str(number), f"choose({number})", show=False) for number in range(1, 10)),
    ]

    def __init__(self, session: Session, waiting: OpenDecision) -> None:
        super().__init__()
        self.session = session
        self.waiting = waiting
        self._keys_from = monotonic() + DECISION_GUARD_SECONDS

    def compose(self) -> ComposeResult:
        decision = self.waiting.decision
        with Vertical(classes="dialog decision"):
            yield Label("Decision needed", classes="dialog-title")
            yield Static(Text(decision.prompt), classes="quote")
            options = [Option(Text.assemble((f"{number}  ", "bold"), option.label), id=option.id) for number, option in enumerate(decision.options, 1)]
            yield OptionList(*options, id="options")
            yield Static(id="deadline")
            yield Static(f"1–{len(decision.options)}, or ↑/↓ then Enter, to choose · Esc puts it aside (c reopens it) · the clock keeps running", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = None  # it opened by itself: an Enter meant for something else chooses nothing
        self.show_deadline()

    def show_deadline(self) -> None:
        """How long is left, and what happens if time runs out; the game screen calls it as the clock moves."""
        decision = self.waiting.decision
        left = max(0, self.waiting.closes_at - self.session.minute)
        default = decision.option(decision.default)
        self.query_one("#deadline", Static).update(
            Text.assemble(
                (f"{plural(left, 'game minute')} left", "bold yellow"),
                " · if time runs out: ",
                (default.label if default else decision.default, "italic"),
            )
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.choose_option(event.option.id)

    def action_choose(self, number: int) -> None:
        """A number key picks that option directly."""
        options = self.waiting.decision.options
        if 1 <= number <= len(options):
            self.choose_option(options[number - 1].id)

    def choose_option(self, option_id: str | None) -> None:
        if monotonic() < self._keys_from:
            return  # the dialog opened by itself: a key already on its way was meant for the feed
        self.dismiss(Command(Action.DECIDE, decision=self.waiting.decision.id, choice=option_id))

    def action_later(self) -> None:
        self.app.notify(
            f"The decision is still open until minute {self.waiting.closes_at}: press c to answer it.", title="Decision", markup=False
        )
        self.dismiss(None)


def trainer_notes(session: Session) -> Table | None:
    """The debrief's block for the trainer: decisions, facilitator notes, hints given and model replies; None if there are none."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="grey62", justify="right", no_wrap=True)
    table.add_column(ratio=1)

    def heading(title: str) -> None:
        if table.row_count:
            table.add_row("", "")
        table.add_row("", Text(title, style="bold"))

    if session.decisions_made or session.open_decisions:
        heading("Decisions")
        for made in session.decisions_made:
            how = ("decided by default: time ran out", "bold red") if made.by_default else ("chosen by the player", "grey62")
            table.add_row(f"m{made.minute}", Text.assemble(made.decision.prompt, " → ", (made.option.label, "bold"), "  (", how, ")"))
        for waiting in session.open_decisions:
            table.add_row(f"m{waiting.opened_at}", Text.assemble(waiting.decision.prompt, (" → still open when the run ended", "italic")))
    notes = session.facilitator_notes()
    if notes:
        heading("Facilitator notes")
        for note in notes:
            table.add_row(f"m{note.minute}", Text.assemble((f"{note.source}: ", "grey62"), note.text))
    if session.hints_given:
        heading("Hints the player was given")
        for hint in session.hints_given:
            table.add_row(f"m{hint.minute}", Text(hint.text))
    replies = session.model_replies()
    if replies:
        heading("Model replies")
        for reply in replies:
            post = reply.post
            table.add_row(f"m{post.minute}", Text.assemble((f"{post.handle}: ", "bold"), (_shorten(post.text), "grey62")))
            yours = Text("\n").join(_said(response) for response in reply.responses) if reply.responses else Text("no response", style="italic")
            table.add_row("you", yours)
            table.add_row("model", Text(reply.model_reply, style="green"))
    return table if table.row_count else None


def _said(response: Response) -> Text:
    """What the player did about a post: their words, or the action if it had none."""
    if response.text:
        return Text(f"m{response.minute} {response.text}")
    if response.role is not None:
        done = f"escalated to {response.role.label}"
    elif response.channel is not None:
        done = f"taken offline by {response.channel.label}"
    else:
        done = response.action.label
    return Text.assemble(f"m{response.minute} ", (done, "italic"))


def _shorten(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
