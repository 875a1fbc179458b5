"""The crisis-sim Textual app: menu, briefing, game, debrief and scoreboard screens."""

from __future__ import annotations

import asyncio
import signal

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
        self.crash: BaseException | None = None  # an unexpected error, for the command line to report

    def _handle_exception(self, error: Exception) -> None:
        """Keep the error for the command line, which writes a crash report and says where in one line."""
        self.crash = self.crash or error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Close without printing a traceback over the restored terminal: the crash report holds it."""
        self.bell()
        self._close_messages_no_wait()

    def stop_on_signal(self, signum: int) -> None:
        """SIGTERM or SIGHUP: leave the terminal as it was and exit; the run's journal stays to be recovered."""
        name = signal.Signals(signum).name
        self.exit(return_code=128 + signum, message=f"crisis-sim: stopped by {name}; a run in progress is kept and will be saved as interrupted.")

    def install_signal_handlers(self) -> None:
        """Stop cleanly on SIGTERM and SIGHUP (only possible in the main thread, where a real terminal runs the app)."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(signum, self.stop_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or a platform without these signals

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
        self.install_signal_handlers()
        for notice in self.config.notices:
            self.notify(notice, title="From your last session", timeout=15, markup=False)
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
        self.clear_notifications()  # the game's hints and warnings are over; the debrief speaks for itself
        self.switch_screen(DebriefScreen(self.config, message.play, message.session, message.drafts, message.journal))
