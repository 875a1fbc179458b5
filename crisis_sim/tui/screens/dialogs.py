"""Modal dialogs for the game screen. The clock keeps running behind them."""

from __future__ import annotations

from dataclasses import dataclass
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

from ...engine import Channel, Post, Role

CHANNEL_LABELS = {Channel.DM: "Direct message (DM)", Channel.EMAIL: "Email", Channel.PHONE: "Phone call"}
ROLE_LABELS = {Role.LEGAL: "Legal", Role.PR_LEAD: "PR lead", Role.CEO: "CEO"}

ResultT = TypeVar("ResultT")

CLOCK_HINT = "Enter sends · Esc cancels · the clock keeps running while you write"


class MessageArea(TextArea):
    """Wrapped text to write in; Enter sends it instead of starting a new line.

    Enter is handled here rather than by a priority binding on the dialog, so it is
    processed after every key typed before it.
    """

    class Submitted(Message):
        """The player pressed Enter."""

    def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            self.post_message(self.Submitted())


@dataclass(frozen=True)
class Draft:
    """What the player wrote in a dialog."""

    text: str
    to_everyone: bool = False
    channel: Channel | None = None


def quoted(post: Post) -> Text:
    """The post being answered, as shown at the top of a dialog."""
    return Text.assemble((f"{post.author} {post.handle}: ", "bold"), post.text)


class WriteDialog(ModalScreen[Draft | None]):
    """Write a reply, apology or statement. ``allow_everyone`` adds a box to address everyone instead of the post."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, title: str, post: Post | None = None, text: str = "", *, allow_everyone: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.post = post
        self.initial_text = text
        self.allow_everyone = allow_everyone and post is not None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.post is not None:
                yield Static(quoted(self.post), classes="quote")
            yield MessageArea(self.initial_text, id="message", placeholder="Write your message…")
            if self.allow_everyone:
                yield Checkbox("Address everyone instead of this post", id="everyone")
            yield Static(CLOCK_HINT, classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(MessageArea)
        area.move_cursor(area.document.end)

    def on_message_area_submitted(self) -> None:
        everyone = self.allow_everyone and self.query_one("#everyone", Checkbox).value
        self.dismiss(Draft(self.query_one(MessageArea).text, to_everyone=everyone))


class PostDialog(ModalScreen[ResultT]):
    """A dialog about one post: a title, the post quoted, then choices; Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, post: Post) -> None:
        super().__init__()
        self.post = post

    def header(self, title: str) -> ComposeResult:
        yield Label(title, classes="dialog-title", markup=False)
        yield Static(quoted(self.post), classes="quote")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0


class OfflineDialog(PostDialog[Draft | None]):
    """Choose how to take a conversation offline, with an optional public note. Enter sends from either."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.header(f"Take {self.post.handle} offline")
            yield Label("How? (↑/↓)")
            yield OptionList(*(Option(CHANNEL_LABELS[c], id=c.value) for c in Channel), id="channel")
            yield Label("Public note under the post (optional, Tab to write one)")
            example = f"e.g. {self.post.author.partition(' ')[0]}, we've sent you a message so we can put this right."
            yield MessageArea(id="message", placeholder=example)
            yield Static(CLOCK_HINT, classes="hint")

    def on_option_list_option_selected(self) -> None:
        self.send()

    def on_message_area_submitted(self) -> None:
        self.send()

    def send(self) -> None:
        channels = self.query_one(OptionList)
        option = channels.get_option_at_index(channels.highlighted or 0)
        self.dismiss(Draft(self.query_one(MessageArea).text, channel=Channel(option.id)))


class EscalateDialog(PostDialog[Role | None]):
    """Choose who to escalate a post to."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.header(f"Escalate {self.post.handle}'s post")
            yield OptionList(*(Option(ROLE_LABELS[r], id=r.value) for r in Role), id="role")
            yield Static("↑/↓ and Enter to choose · Esc cancels", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Role(event.option.id))


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.question, classes="dialog-title", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="primary", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
