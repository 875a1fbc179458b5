"""The debrief: how the run ended, the three scores and the moments behind them, and a review of every reply."""

from __future__ import annotations

from time import monotonic

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...config import GameConfig
from ...engine import CATEGORIES, Session
from ...journal import RunJournal
from ...scoreboard import DB_ENV, Result, ResultNotSaved, ScoreboardError
from ...store import open_store
from ..display import moments_table, plain
from ..flow import Play, UnsentDraft
from ..reviews import reply_review
from .decision import trainer_notes
from .scoreboard import ScoreboardScreen

KEY_GUARD_SECONDS = 1.0
"""Keys typed as the run ends were meant for the game: the debrief ignores them this long."""


def score_style(score: int) -> str:
    return "bold green" if score >= 70 else "bold yellow" if score >= 40 else "bold red"


class DebriefScreen(Screen):
    """Scores a finished session and saves it in a worker, then shows the scorecard."""

    BINDINGS = [
        Binding("s", "scoreboard", "Scoreboard"),
        Binding("n", "play_again", "Play again"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        config: GameConfig,
        play: Play,
        session: Session,
        drafts: tuple[UnsentDraft, ...] = (),
        journal: RunJournal | None = None,
    ) -> None:
        super().__init__()
        self.journal = journal
        self.config = config
        self.play = play
        self.session = session
        self.drafts = drafts
        self.result: Result | None = None
        self.saved_id: int | None = None
        self._keys_from = monotonic() + KEY_GUARD_SECONDS

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief"):
            ending = self.session.ending
            if ending is not None:
                yield Static(Text(ending.title, style="bold"), id="ending-title")
                yield Static(Text(ending.text), id="ending-text")
            yield Static(Text("Scoring your run…", style="grey62"), id="summary")
            yield Horizontal(id="categories")
            yield Vertical(id="replies")
            for draft in self.drafts:
                unsent = Static(Text(draft.text), classes="unsent")
                unsent.border_title = plain(f"Not sent when time ran out · {draft.title}")
                yield unsent
            # --- for the trainer: decisions, facilitator notes, hints and model replies (the scenario's own) ---
            notes = trainer_notes(self.session)
            if notes is not None:
                trainer = Static(notes, id="trainer-notes")
                trainer.border_title = "For the trainer"
                yield trainer
            # --- end of the trainer block ---
            yield Static(id="saved")
        yield Footer()

    def on_mount(self) -> None:
        self.set_timer(KEY_GUARD_SECONDS, self.refresh_bindings)
        self.score_and_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys pressed in the first moment after the run ended do nothing."""
        return monotonic() >= self._keys_from

    @work(thread=True, exclusive=True, group="debrief")
    def score_and_save(self) -> None:
        """Score the run, show it, then save it; a slow or shared scoreboard never freezes the screen."""
        result = Result.of(self.session, self.play.player, self.play.team, speed=self.play.speed, cohort=self.config.cohort)
        self.app.call_from_thread(self.show_result, result)
        try:
            with open_store(self.config.db_path) as store:
                saved_id = store.record(result)
        except ResultNotSaved as error:  # kept in an unsaved-result file instead: the journal has done its job
            self.discard_journal()
            self.app.call_from_thread(self.show_not_saved, error)
        except ScoreboardError as error:
            self.app.call_from_thread(self.show_not_saved, error)
        else:
            self.discard_journal()
            self.app.call_from_thread(self.show_saved, saved_id)

    def discard_journal(self) -> None:
        """The result is safe on disk, in the scoreboard or a file beside it: the run's journal can go."""
        if self.journal is not None:
            self.journal.discard()

    def show_result(self, result: Result) -> None:
        """Fill in the summary and the three category columns."""
        self.result = result
        session, card = self.session, result.scorecard
        scoring = session.rules.scoring
        summary = Text.assemble(
            ("Overall ", "bold"),
            (f"{card.overall}/100", score_style(card.overall)),
            f"   {result.player} ({result.team}) · {session.scenario.title} · ",
            f"played to minute {session.minute} of {session.scenario.duration_minutes} · ",
            ("seed ", "grey62"),
            (str(session.seed), "bold"),
        )
        weights = ", ".join(f"{c} {scoring.weights[c]:.0%}" for c in CATEGORIES)
        summary.append(
            f"\nEach score starts at {scoring.base}; every moment below adds or removes points; "
            f"gains stop at 100, so penalties always show. "
            f"Overall is the weighted mean: {weights}.\n"
            f"Play with --seed {session.seed} to replay this exact crisis.",
            style="grey62",
        )
        self.query_one("#summary", Static).update(summary)
        columns = self.query_one("#categories", Horizontal)
        for category in CATEGORIES:
            score = card.categories[category]
            moments = moments_table(score.moments) if score.moments else Text("No moments.", style="grey62")
            column = Vertical(Static(moments), classes="category")
            column.border_title = f"{category.capitalize()} {score.score}/100"
            columns.mount(column)
        self.show_replies(result)

    def show_replies(self, result: Result) -> None:
        """Each public reply: its strategy, the rules that fired with the words behind them, and a stronger way to say it."""
        replies = self.query_one("#replies", Vertical)
        replies.mount(Static(Text("Your replies", style="bold"), id="replies-title"))
        reviews = result.scorecard.replies
        if not reviews:
            replies.mount(Static(Text("You did not write any public replies.", style="grey62"), classes="reply-review"))
            return
        explain = {name: reason.explain for name, reason in self.session.rules.reading.reasons.items()}
        replies.mount_all(Static(reply_review(review, explain), classes="reply-review") for review in reviews)

    def show_saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        self.query_one("#saved", Static).update(Text(f"Saved to the scoreboard ({self.config.scoreboard_name}) as result #{saved_id}."))

    def show_not_saved(self, error: ScoreboardError) -> None:
        """A broken scoreboard file is reported, never touched; where the result was kept instead is said."""
        saved = self.query_one("#saved", Static)
        if isinstance(error, ResultNotSaved):
            hint = f"Your result is safe in {error.recovery_path}: crisis-sim scores import-recovery adds it to a scoreboard later."
        else:
            hint = f"To keep results, point --db or ${DB_ENV} at another file."
        saved.update(Text(self.config.shown(f"Not saved to the scoreboard. {error}\n{hint}")))
        saved.add_class("error")

    def action_scoreboard(self) -> None:
        self.app.push_screen(ScoreboardScreen(self.config))

    def action_quit(self) -> None:
        self.app.exit()

    def action_play_again(self) -> None:
        self.app.pop_screen()
