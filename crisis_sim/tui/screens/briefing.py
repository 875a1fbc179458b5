"""The briefing: the situation and the keys, before the clock starts."""

from __future__ import annotations

from itertools import zip_longest

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ...config import GameConfig
from ..display import brand_line, plural
from ..flow import Play
from .game import GameScreen


def key_help() -> Table:
    """The game screen's keys, from its bindings, in two columns."""
    keys = [("↑ ↓", "Choose a post in the feed"), ("Home End", "Jump to the newest / oldest post")]
    keys += [(binding.key_display or binding.key.split(",")[0], binding.tooltip) for binding in GameScreen.BINDINGS]
    half = (len(keys) + 1) // 2
    table = Table.grid(padding=(0, 1), expand=True)
    for _ in range(2):
        table.add_column(style="bold cyan", justify="right", no_wrap=True)
        table.add_column(ratio=1)
    for left, right in zip_longest(keys[:half], keys[half:], fillvalue=("", "")):
        table.add_row(*left, *right)
    return table


SCROLL_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})


class BriefingScreen(Screen):
    """Any key but scrolling starts the game; Escape goes back to the menu."""

    def __init__(self, config: GameConfig, play: Play) -> None:
        super().__init__()
        self.config = config
        self.play = play
        self.scenario = play.scenario

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        with VerticalScroll(id="briefing"):
            yield Static(Text.assemble((scenario.title, "bold"), "  ·  ", brand_line(scenario)), id="briefing-title")
            yield Static(Text(scenario.briefing.strip()), id="briefing-text")
            yield Static(
                Text(
                    f"You have {plural(scenario.duration_minutes, 'game minute')}. The clock runs at "
                    f"{self.play.speed:g} game min per real second and keeps running while you write; "
                    "while it is paused you cannot act. Every response is scored on speed, empathy and honesty.",
                    style="italic",
                ),
                id="briefing-rules",
            )
            keys = Static(key_help(), id="keys")
            keys.border_title = "Keys"
            yield keys
        yield Static(
            "Press Enter (or any key) to start the clock  ·  ↑/↓ scroll  ·  Esc back to the menu", id="press-any-key"
        )

    def on_key(self, event: events.Key) -> None:
        if event.key in SCROLL_KEYS or event.key.startswith("ctrl+"):
            return  # scrolling and the app's own keys (ctrl+q quits)
        event.stop()
        if event.key == "escape":
            self.app.pop_screen()
        else:
            self.app.switch_screen(GameScreen(self.config, self.play))
