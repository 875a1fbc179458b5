"""The crisis-sim Textual app: menu, briefing, game, debrief and scoreboard screens."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.screen import Screen

from ..config import GameConfig
from .flow import Finished, Play
from .screens import BriefingScreen, DebriefScreen, StartScreen
from .screens.too_small import TooSmallScreen, too_small


class CrisisSimApp(App[None]):
    """Starts on the menu, or straight at the briefing of ``config.start_scenario``."""

    CSS_PATH = "crisis_sim.tcss"
    TITLE = "crisis-sim"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, config: GameConfig) -> None:
        super().__init__()
        self.config = config

    def get_default_screen(self) -> Screen:
        return StartScreen(self.config)

    @property
    def too_small(self) -> bool:
        """Whether the terminal is below the smallest size the screens are laid out for."""
        return too_small(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        """Cover the screen with a size message while the terminal is too small, and lift it once it is not."""
        covered = isinstance(self.screen, TooSmallScreen)
        small = too_small(event.size.width, event.size.height)  # self.size is updated after this handler
        if small and not covered:
            self.push_screen(TooSmallScreen())
        elif covered and not small:
            self.pop_screen()
        elif covered:
            self.screen.show_size(event.size.width, event.size.height)

    def on_mount(self) -> None:
        if self.too_small:
            self.call_after_refresh(self.push_screen, TooSmallScreen())
        scenario = self.config.scenario(self.config.start_scenario) if self.config.start_scenario else None
        if scenario is not None:
            play = Play.start(self.config, scenario, self.config.player, self.config.team)
            self.push_screen(BriefingScreen(self.config, play))
        if self.config.watch is not None:
            from .watch import watch_scenario

            self.run_worker(watch_scenario(self, self.config, self.config.watch), name="watch", exclusive=True)

    def on_finished(self, message: Finished) -> None:
        """A run ended: its game screen gives way to the debrief, which scores and saves it."""
        self.switch_screen(DebriefScreen(self.config, message.play, message.session, message.drafts, message.journal))
