"""Modal dialogs for the game screen. The clock keeps running behind them.

Building and laying out a dialog costs several frames, so the game screen keeps the dialogs
it has shown and readies them for the next command with ``prepare`` (same arguments as the
constructor) instead of building new ones.
"""

from __future__ import annotations

from time import monotonic
from typing import TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ...engine import Action, Channel, Command, Post, Role
from ..flow import UnsentDraft

ResultT = TypeVar("ResultT")

CONFIRM_GUARD_SECONDS = 0.5

CLOCK_HINT = "Enter sends · Esc cancels · the clock keeps running while you write"


class MessageArea(TextArea):
    """Wrapped text to write in; Enter sends it instead of starting a new line.

    Enter is handled here rather than by a priority binding on the dialog, so it is
    processed after every key typed before it.
    """

    class Submitted(Message):
        """The player pressed Enter: ``text`` is what the box held at that key, not a key later."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _on_key(self, event: events.Key) -> None:
        if self.read_only:  # sent: keys typed while the dialog closes must not land here
            event.prevent_default()
            event.stop()
        elif event.key == "enter":
            event.prevent_default()
            event.stop()
            self.read_only = True
            self.post_message(self.Submitted(self.text))


def dialog_title(action: Action, post: Post | None) -> str:
    """The action's dialog title for ``post``; an apology without a post goes to everyone."""
    if post is None and action is Action.APOLOGY:
        return "Public apology to everyone"
    return action.spec.dialog_title.format(handle=post.handle if post else "everyone")


def quoted(post: Post) -> Text:
    """The post being answered, as shown at the top of a dialog."""
    return Text.assemble((f"{post.author} {post.handle}: ", "bold"), post.text)


class DraftHolder:
    """A dialog the player writes in: its words survive the clock running out."""

    title_text: str

    def unsent_draft(self) -> UnsentDraft | None:
        """What has been typed so far, if anything."""
        text = self.query_one(MessageArea).text.strip()  # type: ignore[attr-defined]
        return UnsentDraft(self.title_text, text) if text else None


class WriteDialog(DraftHolder, ModalScreen[Command | None]):
    """Write a reply, apology or statement. ``allow_everyone`` adds a box to address everyone instead of the post."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, action: Action, post: Post | None = None, text: str = "", *, allow_everyone: bool = False) -> None:
        super().__init__()
        self._set(action, post, text, allow_everyone)

    def _set(self, action: Action, post: Post | None, text: str, allow_everyone: bool) -> None:
        self.action = action
        self.title_text = dialog_title(action, post)
        self.post = post
        self.initial_text = text
        self.allow_everyone = allow_everyone and post is not None

    def prepare(self, action: Action, post: Post | None = None, text: str = "", *, allow_everyone: bool = False) -> WriteDialog:
        """Ready this dialog for another command, as if it had just been built with these arguments."""
        self._set(action, post, text, allow_everyone)
        if self.is_mounted:
            self._show()
            self.set_focus(self.query_one(MessageArea))
        return self

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(quoted(self.post) if self.post else "", classes="quote")
            yield MessageArea(self.initial_text, id="message", placeholder="Write your message…")
            yield Checkbox("Address everyone instead of this post", id="everyone")
            yield Static(CLOCK_HINT, classes="hint")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        self.query_one(".dialog-title", Label).update(self.title_text)
        quote = self.query_one(".quote", Static)
        quote.display = self.post is not None
        if self.post is not None:
            quote.update(quoted(self.post))
        everyone = self.query_one("#everyone", Checkbox)
        everyone.display = self.allow_everyone
        everyone.value = False
        area = self.query_one(MessageArea)
        area.read_only = False  # a reused dialog was locked when it last sent
        area.text = self.initial_text
        area.move_cursor(area.document.end)

    def on_message_area_submitted(self, event: MessageArea.Submitted) -> None:
        everyone = self.allow_everyone and self.query_one("#everyone", Checkbox).value
        post_id = None if everyone or self.post is None else self.post.id
        self.dismiss(Command(self.action, post_id, event.text))


class PostDialog(ModalScreen[ResultT]):
    """A dialog about one post: a title, the post quoted, then choices; Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    ACTION: Action

    def __init__(self, post: Post) -> None:
        super().__init__()
        self.post = post

    def prepare(self, post: Post) -> PostDialog[ResultT]:
        """Ready this dialog for another post, as if it had just been built for it."""
        self.post = post
        if self.is_mounted:
            self.query_one(".dialog-title", Label).update(dialog_title(self.ACTION, post))
            self.query_one(".quote", Static).update(quoted(post))
            self.on_mount()
            self.set_focus(self.query_one(OptionList))
        return self

    def header(self) -> ComposeResult:
        yield Label(dialog_title(self.ACTION, self.post), classes="dialog-title", markup=False)
        yield Static(quoted(self.post), classes="quote")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0


class OfflineDialog(DraftHolder, PostDialog[Command | None]):
    """Choose how to take a conversation offline, with an optional public note. Enter sends from either."""

    ACTION = Action.OFFLINE

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.header()
            yield Label("How? (↑/↓)")
            yield OptionList(*(Option(c.choice_label, id=c.value) for c in Channel), id="channel")
            yield Label("Public note under the post (optional, Tab to write one)")
            yield MessageArea(id="message", placeholder=self.example())
            yield Static(CLOCK_HINT, classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        area = self.query_one(MessageArea)
        area.read_only = False  # a reused dialog was locked when it last sent
        area.text = ""
        area.placeholder = self.example()

    @property
    def title_text(self) -> str:
        """The title an unsent note is filed under."""
        return dialog_title(self.ACTION, self.post)

    def example(self) -> str:
        return f"e.g. {self.post.author.partition(' ')[0]}, we've sent you a message so we can put this right."

    def on_option_list_option_selected(self) -> None:
        area = self.query_one(MessageArea)
        area.read_only = True
        self.send(area.text)

    def on_message_area_submitted(self, event: MessageArea.Submitted) -> None:
        self.send(event.text)

    def send(self, text: str) -> None:
        channels = self.query_one(OptionList)
        option = channels.get_option_at_index(channels.highlighted or 0)
        self.dismiss(Command(Action.OFFLINE, self.post.id, text, channel=Channel(option.id)))


class EscalateDialog(PostDialog[Command | None]):
    """Choose who to escalate a post to."""

    ACTION = Action.ESCALATE

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.header()
            yield OptionList(*(Option(r.choice_label, id=r.value) for r in Role), id="role")
            yield Static("↑/↓ and Enter to choose · Esc cancels", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Command(Action.ESCALATE, self.post.id, role=Role(event.option.id)))


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question about something that cannot be undone: No is the default, and Yes needs a deliberate key.

    Keys typed in the first moment after it opens were meant for what was on screen before, so they are ignored.
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question
        self._keys_from = monotonic() + CONFIRM_GUARD_SECONDS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.question, classes="dialog-title", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("No (n)", variant="primary", id="no")
                yield Button("Yes (y)", id="yes")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.deliberate() or parameters == (False,)  # "no" is always safe

    def deliberate(self) -> bool:
        """Whether enough time has passed since opening for a key to be meant for this question."""
        return monotonic() >= self._keys_from

    def on_button_pressed(self, event: Button.Pressed) -> None:
        yes = event.button.id == "yes"
        if self.deliberate() or not yes:
            self.dismiss(yes)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
