"""The crisis-sim Textual app: menu, briefing, game, debrief and scoreboard screens."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from ..config import GameConfig
from .flow import Finished, Play
from .screens import BriefingScreen, DebriefScreen, StartScreen


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

    def on_mount(self) -> None:
        scenario = self.config.scenario(self.config.start_scenario) if self.config.start_scenario else None
        if scenario is not None:
            play = Play.start(self.config, scenario, self.config.player, self.config.team)
            self.push_screen(BriefingScreen(self.config, play))

    def on_finished(self, message: Finished) -> None:
        """A run ended: its game screen gives way to the debrief, which scores and saves it."""
        self.switch_screen(DebriefScreen(self.config, message.play, message.session, message.drafts, message.journal))
