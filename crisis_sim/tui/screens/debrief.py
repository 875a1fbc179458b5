"""The debrief: how the run ended, the three scores and the moments behind them, and a review of every reply."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...config import GameConfig
from ...engine import CATEGORIES, Session
from ...scoreboard import DB_ENV, Result, Scoreboard, ScoreboardError
from ..display import moments_table
from ..reviews import reply_review
from .scoreboard import ScoreboardScreen


def score_style(score: int) -> str:
    return "bold green" if score >= 70 else "bold yellow" if score >= 40 else "bold red"


class DebriefScreen(Screen):
    """Shows the scorecard of a finished session and saves it to the scoreboard."""

    BINDINGS = [
        Binding("s", "scoreboard", "Scoreboard"),
        Binding("n", "play_again", "Play again"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, config: GameConfig, session: Session, player: str, team: str) -> None:
        super().__init__()
        self.config = config
        self.session = session
        self.result = Result.of(session, player, team)
        self.saved_id: int | None = None

    def compose(self) -> ComposeResult:
        session, card = self.session, self.result.scorecard
        scoring = session.rules.scoring
        with VerticalScroll(id="debrief"):
            if session.ending is not None:
                yield Static(Text(session.ending.title, style="bold"), id="ending-title")
                yield Static(Text(session.ending.text), id="ending-text")
            summary = Text.assemble(
                ("Overall ", "bold"),
                (f"{card.overall}/100", score_style(card.overall)),
                f"   {self.result.player} ({self.result.team}) · {session.scenario.title} · ",
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
            yield Static(summary, id="summary")
            with Horizontal(id="categories"):
                for category in CATEGORIES:
                    score = card.categories[category]
                    column = Vertical(classes="category")
                    column.border_title = f"{category.capitalize()} {score.score}/100"
                    with column:
                        moments = moments_table(score.moments) if score.moments else Text("No moments.", style="grey62")
                        yield Static(moments)
            yield Static(Text("Your replies", style="bold"), id="replies-title")
            if card.replies:
                explain = {name: reason.explain for name, reason in session.rules.reading.reasons.items()}
                for review in card.replies:
                    yield Static(reply_review(review, explain), classes="reply-review")
            else:
                yield Static(Text("You did not write any public replies.", style="grey62"), classes="reply-review")
            yield Static(id="saved")
        yield Footer()

    def on_mount(self) -> None:
        """Save the result once; a broken scoreboard file is reported, never touched."""
        saved = self.query_one("#saved", Static)
        try:
            self.saved_id = Scoreboard(self.config.db_path).record(self.result)
        except ScoreboardError as error:
            hint = f"To keep results, point --db or ${DB_ENV} at another file."
            saved.update(Text(f"Not saved to the scoreboard. {error}\n{hint}"))
            saved.add_class("error")
        else:
            saved.update(Text(f"Saved to the scoreboard ({self.config.db_path}) as result #{self.saved_id}."))

    def action_scoreboard(self) -> None:
        self.app.push_screen(ScoreboardScreen(self.config.db_path))

    def action_play_again(self) -> None:
        self.app.pop_screen()
