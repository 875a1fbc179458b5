"""Shown instead of a garbled screen when the terminal is smaller than the game can lay out."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """Covers everything until the terminal is big enough again; the game clock waits meanwhile."""

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.show_size(self.app.size.width, self.app.size.height)

    def show_size(self, width: int, height: int) -> None:
        message = Text.assemble(
            (f"Make the terminal at least {MIN_WIDTH}×{MIN_HEIGHT}", "bold"),
            f"\n(it is {width}×{height} now)\n\nThe game clock waits until it is.",
        )
        self.query_one("#too-small", Static).update(message)

    def on_key(self, event) -> None:
        event.stop()
        event.prevent_default()
