"""The crisis-sim Textual app: menu, briefing, game, debrief and scoreboard screens."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from ..config import GameConfig
from .screens import BriefingScreen, StartScreen


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
            self.push_screen(BriefingScreen(self.config, scenario, self.config.player, self.config.team))
        if self.config.watch is not None:
            from .watch import watch_scenario

            self.run_worker(watch_scenario(self, self.config, self.config.watch), name="watch", exclusive=True)
