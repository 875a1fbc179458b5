"""The game: posts spread in real time while the player responds."""

from __future__ import annotations

from contextlib import suppress
from time import monotonic
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import RichLog

from ...config import GameConfig
from ...engine import ACTIONS, Action, Choice, Command, GameClock, Post, ResponseError, Session, Target
from ...journal import RunJournal
from ..display import brand_line, plain
from ..flow import Finished, Play
from ..widgets import Dashboard, FeedTable, PostDetail, SteadyFooter
from .decision import DecisionDialog
from .dialogs import ConfirmDialog, DraftHolder, EscalateDialog, OfflineDialog, WriteDialog

DialogT = TypeVar("DialogT", bound=ModalScreen)

TICK_SECONDS = 0.25
TRANSITION_GUARD_SECONDS = 0.3
"""After the game screen appears or a dialog closes, keys still in flight were meant for what was there before."""
MIN_SPEED = 0.25
MAX_SPEED = 32.0


class GameScreen(Screen):
    """Runs one session against the clock and sends the player's actions to it."""

    BINDINGS = [
        *(Binding(spec.key, f"act('{spec.action.value}')", spec.verb, tooltip=spec.help) for spec in ACTIONS.values()),
        Binding("space", "toggle_pause", "Pause", tooltip="Pause or resume the clock (no actions while paused)"),
        Binding("plus,equals_sign", "faster", "Faster", key_display="+", tooltip="Speed the clock up"),
        Binding("minus", "slower", "Slower", key_display="-", tooltip="Slow the clock down"),
        Binding("f", "finish", "Finish", tooltip="Finish: the clock runs out without you"),
        Binding("escape,q", "quit_to_menu", "Menu", key_display="esc", tooltip="Abandon this run, back to the menu"),
    ]

    def __init__(self, config: GameConfig, play: Play) -> None:
        super().__init__()
        self.config = config
        self.play = play
        self.session = Session(play.scenario, seed=play.seed, rules=config.rules)
        if config.fast_forward is not None:  # play FILE --from MINUTE; the command line checked it works
            config.fast_forward(self.session)
        self.clock = GameClock(minutes_per_second=play.speed)
        self.journal: RunJournal | None = None
        self.over = False
        self._keys_from = monotonic() + TRANSITION_GUARD_SECONDS
        self._last_tick = monotonic()
        self._notices_shown = 0
        self._decisions_shown: set[str] = set()
        self._dialogs: dict[type, ModalScreen] = {}  # kept between uses: see reuse()

    def compose(self) -> ComposeResult:
        scenario = self.play.scenario
        yield Dashboard(id="dashboard")
        feed = FeedTable(id="feed")
        feed.border_title = plain(f"Feed · {scenario.title} · {brand_line(scenario)}")
        yield feed
        with Horizontal(id="lower"):
            detail = VerticalScroll(PostDetail(id="detail"), id="detail-box", can_focus=False)
            detail.border_title = "Selected post"
            yield detail
            log = RichLog(id="log", wrap=True, min_width=20)
            log.border_title = "Incident log"
            log.can_focus = False
            yield log
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self.prepare_dialogs)
        try:
            self.journal = RunJournal.start(self.config.journal_dir, self.play.info(str(self.config.db_path), self.config.cohort))
            for minute, command in self.session.commands:  # a fast-forwarded start (play --from) is part of the run
                self.journal.record(minute, command)
        except OSError as error:
            self.notify(f"This run is not being kept on disk as you play ({error}).", severity="warning", markup=False)
        self.query_one(RichLog).write(Text("Scenario events and your actions appear here.", style="grey62"))
        self._last_tick = monotonic()
        self.set_interval(TICK_SECONDS, self.tick)
        self.refresh_view()

    def prepare_dialogs(self) -> None:
        """Build the reply dialog once, out of sight, while the player reads the first posts: opening it is then instant."""
        dialog = self.reuse(WriteDialog, Action.REPLY, None, "")
        self.app.push_screen(dialog)
        self.app.pop_screen()

    # --- the clock ----------------------------------------------------------

    def tick(self) -> None:
        """Turn the real time since the last tick into game minutes."""
        now = monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if self.app.too_small:  # the player cannot see the feed: the crisis waits
            return
        minutes = self.clock.tick(elapsed)
        if minutes:
            self.advance(minutes)

    def advance(self, minutes: int) -> None:
        """Run the session ``minutes`` forward and show where it got to."""
        if self.over:
            return
        self.session.advance(minutes)
        if self.journal is not None:
            self.journal.reached(self.session.minute)
        self.refresh_view()

    def refresh_view(self) -> None:
        """Show the session as it is now; go to the debrief once it has ended."""
        session = self.session
        self.query_one(Dashboard).show(session, self.clock)
        self.query_one(FeedTable).sync(session)
        self.show_selected()
        log = self.query_one(RichLog)
        for notice in session.notices[self._notices_shown :]:
            style = "italic cyan" if notice.hint else "" if notice.from_player else "bold yellow"
            log.write(Text.assemble((f"m{notice.minute:>3}  ", "grey62"), (notice.text, style)))
            if notice.hint:
                self.notify(notice.text, title="Stuck?", timeout=10, markup=False)
        self._notices_shown = len(session.notices)
        if session.finished:
            self.end()
        else:
            self.show_decision()

    def show_decision(self) -> None:
        """Put each new decision up over the feed once; close the dialog of one that time has settled."""
        waiting = self.session.open_decisions
        screen = self.app.screen
        if isinstance(screen, DecisionDialog):
            if screen.waiting in waiting:
                screen.show_deadline()
            else:
                screen.dismiss(None)
            return
        new = next((d for d in waiting if d.decision.id not in self._decisions_shown), None)
        if new is not None and screen is self:
            self._decisions_shown.add(new.decision.id)
            self.app.push_screen(DecisionDialog(self.session, new), self.send)

    def show_selected(self) -> None:
        self.query_one(PostDetail).show(self.selected_post(), self.session)

    def on_feed_table_highlighted(self, event: FeedTable.Highlighted) -> None:
        self.show_selected()

    def on_feed_table_selected(self, event: FeedTable.Selected) -> None:
        self.action_act(Action.REPLY.value)

    def end(self) -> None:
        """Close any dialog, keeping what was being written, and hand the run to the app for the debrief."""
        if self.over or self not in self.app.screen_stack:
            return
        self.over = True
        drafts = []
        while self.app.screen is not self:  # a dialog is open: close it, keeping its words as an unsent draft
            dialog = self.app.screen
            if isinstance(dialog, DraftHolder) and (draft := dialog.unsent_draft()) is not None:
                drafts.append(draft)
            self.app.pop_screen()
        if self.journal is not None:
            self.journal.ended(self.session.minute)
        self.post_message(Finished(self.play, self.session, tuple(drafts), self.journal))

    # --- acting -------------------------------------------------------------

    def selected_post(self) -> Post | None:
        post_id = self.query_one(FeedTable).selected_post_id
        return self.session.post(post_id) if post_id is not None else None

    def on_screen_resume(self) -> None:
        """A dialog closed: give keys typed into it a moment to drain before they can act here."""
        self._keys_from = monotonic() + TRANSITION_GUARD_SECONDS

    def settled(self) -> bool:
        """Whether a key now is meant for this screen rather than left over from a transition."""
        return monotonic() >= self._keys_from

    def can_act(self) -> bool:
        """Whether the player may act now; if not, say why."""
        if not self.settled():
            return False
        if self.clock.paused:
            self.notify("Resume to act (space).", severity="warning")
            return False
        return not self.over

    def target_post(self, action: Action) -> Post | None:
        """The post ``action`` would go to; raises :class:`ResponseError` if it cannot be taken now."""
        post = self.selected_post()
        target = action.spec.target
        if target in (Target.EVERYONE, Target.NONE) or (target is Target.EITHER and (post is None or post.hidden)):
            return None
        return self.session.check(action, post.id if post else None)

    def action_act(self, name: str) -> None:
        """Take the action named ``name``: open its dialog, or send it at once if it carries nothing to write."""
        action = Action(name)
        if not self.can_act():
            return
        try:
            post = self.target_post(action)
        except ResponseError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        dialog = self.dialog_for(action, post)
        if dialog is None:
            self.respond(Command(action, post.id if post else None))
        else:
            self.app.push_screen(dialog, self.send)

    def dialog_for(self, action: Action, post: Post | None) -> ModalScreen[Command | None] | None:
        """The dialog that builds ``action``'s command, from its row in the action table."""
        spec = action.spec
        if spec.choice is Choice.OPTION:
            waiting = self.session.decision_waiting()
            return DecisionDialog(self.session, waiting) if waiting is not None else None
        if spec.choice is Choice.CHANNEL and post is not None:
            return self.reuse(OfflineDialog, post)
        if spec.choice is Choice.ROLE and post is not None:
            return self.reuse(EscalateDialog, post)
        if spec.takes_text:
            text = self.session.scenario.hold_statement if action is Action.HOLD_STATEMENT else ""
            return self.reuse(WriteDialog, action, post, text, allow_everyone=spec.target is Target.EITHER)
        return None

    def reuse(self, kind: type[DialogT], *args: Any, **options: Any) -> DialogT:
        """A ``kind(*args, **options)`` dialog: the one shown last time, readied with ``prepare``, or a new one.

        Building a dialog costs several frames, so each is built once per game and kept (installed).
        """
        dialog = self._dialogs.get(kind)
        if dialog is None:
            dialog = self._dialogs[kind] = kind(*args, **options)
            self.app.install_screen(dialog, f"{kind.__name__}-{id(self)}")
            return dialog
        return dialog.prepare(*args, **options)

    def on_unmount(self) -> None:
        for dialog in self._dialogs.values():
            with suppress(ScreenStackError):
                self.app.uninstall_screen(dialog)
                dialog.remove()

    def send(self, command: Command | None) -> None:
        """Dialog callback: send what the player built, unless they cancelled."""
        if command is not None:
            self.respond(command)

    def respond(self, command: Command) -> None:
        """Send one command to the engine and show the crowd's reaction."""
        try:
            self.session.respond(command)
        except ResponseError as error:
            self.notify(str(error), title="Not sent", severity="error", markup=False)
            return
        if self.journal is not None:
            self.journal.record(self.session.minute, command)
        self.refresh_view()

    # --- the clock controls and leaving ------------------------------------

    def action_toggle_pause(self) -> None:
        self.clock.paused = not self.clock.paused
        self.set_class(self.clock.paused, "-paused")
        self.query_one(Dashboard).show(self.session, self.clock)

    def action_faster(self) -> None:
        self.set_speed(self.clock.minutes_per_second * 2)

    def action_slower(self) -> None:
        self.set_speed(self.clock.minutes_per_second / 2)

    def set_speed(self, minutes_per_second: float) -> None:
        self.clock.minutes_per_second = min(MAX_SPEED, max(MIN_SPEED, minutes_per_second))
        self.query_one(Dashboard).show(self.session, self.clock)

    def action_finish(self) -> None:
        if not self.settled():
            return
        question = "Finish now? The clock runs to the end without you, then you get your debrief."
        self.app.push_screen(ConfirmDialog(question), self.finish)

    def finish(self, confirmed: bool | None) -> None:
        if confirmed and not self.over:
            self.session.finish()
            self.refresh_view()

    def action_quit_to_menu(self) -> None:
        if not self.settled():
            return
        question = "Abandon this run and go back to the menu? It will not be scored."
        self.app.push_screen(ConfirmDialog(question), self.quit_to_menu)

    def quit_to_menu(self, confirmed: bool | None) -> None:
        if confirmed and not self.over:
            self.over = True
            if self.journal is not None:
                self.journal.discard()  # abandoned on purpose: nothing to recover
            self.app.pop_screen()
