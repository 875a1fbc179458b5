"""The scoreboard: recent results (Enter replays one) and each scenario's player and team rankings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...config import GameConfig
from ...scoreboard import Scoreboard, ScoreboardError, rankings
from ...timeline import ReplayError, replay_saved
from .replay import ReplayScreen

CATEGORY_COLUMNS = ("overall", "speed", "empathy", "honesty")
RECENT_RESULTS = 200


class ScoreboardScreen(Screen):
    """Reads the scoreboard when opened."""

    BINDINGS = [Binding("escape,b", "app.pop_screen", "Back", key_display="esc")]

    def __init__(self, config: GameConfig) -> None:
        super().__init__()
        self.config = config

    def compose(self) -> ComposeResult:
        board = VerticalScroll(id="board")
        board.border_title = Text(f"Scoreboard · {self.config.shown(str(self.config.db_path))}")
        yield board
        yield Footer()

    def on_mount(self) -> None:
        board = self.query_one("#board", VerticalScroll)
        try:
            results = rankings(self.config.db_path)
            recent = self.recent_results() if results else []
        except ScoreboardError as error:
            board.mount(Static(Text(self.config.shown(str(error))), classes="error"))
            return
        if not results:
            board.mount(Static("No results yet. Play a scenario and they will show up here."))
            return
        board.mount(Static(Text("Recent results — Enter replays one", style="bold"), classes="board-title"), results_table(recent))
        for ranking in results:
            board.mount(
                Static(Text(f"{ranking.title} — players (best score)", style="bold"), classes="board-title"),
                player_table(ranking.players),
                Static(Text(f"{ranking.title} — teams (average)", style="bold"), classes="board-title"),
                team_table(ranking.teams),
            )

    def recent_results(self) -> list:
        return Scoreboard(self.config.db_path).history(limit=RECENT_RESULTS)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a recent result opens its replay."""
        if event.data_table.id != "recent" or event.row_key.value is None:
            return
        try:
            saved = Scoreboard(self.config.db_path).result(int(event.row_key.value))
            if saved is None:
                raise ReplayError("That result is no longer on the scoreboard.")
            replayed = replay_saved(saved, self.config.scenarios, self.config.rules)
        except (ScoreboardError, ReplayError) as error:
            self.notify(self.config.shown(str(error)), severity="warning", markup=False)
            return
        self.app.push_screen(ReplayScreen(replayed))


def results_table(rows: list) -> DataTable:
    table: DataTable = DataTable(cursor_type="row", classes="ranking", id="recent")
    table.add_columns("#", "Played", "Player", "Team", "Scenario", "Overall", "Speed", "Empathy", "Honesty")
    for row in rows:
        table.add_row(
            Text(str(row["id"])), Text(row["played_at"][:16].replace("T", " ")), Text(row["player"]), Text(row["team"]),
            Text(row["scenario_title"]), *(Text(str(row[c]), style="bold" if c == "overall" else "") for c in CATEGORY_COLUMNS),
            key=str(row["id"]),
        )  # fmt: skip
    return table


def player_table(rows) -> DataTable:
    table: DataTable = DataTable(cursor_type="row", classes="ranking players")
    table.add_columns("#", "Player", "Team", "Best", "Plays", "Last played")
    for rank, row in enumerate(rows, 1):
        table.add_row(
            Text(str(rank)), Text(row["player"]), Text(row["team"]),
            Text(str(row["best"]), style="bold"), Text(str(row["plays"])), Text(row["last_played"][:16].replace("T", " ")),
        )  # fmt: skip
    return table


def team_table(rows) -> DataTable:
    table: DataTable = DataTable(cursor_type="row", classes="ranking teams")
    table.add_columns("#", "Team", "Overall", "Speed", "Empathy", "Honesty", "Players", "Plays")
    for rank, row in enumerate(rows, 1):
        table.add_row(
            Text(str(rank)), Text(row["team"]),
            *(Text(f"{row[c]:.1f}", style="bold" if c == "overall" else "") for c in CATEGORY_COLUMNS),
            Text(str(row["players"])), Text(str(row["plays"])),
        )  # fmt: skip
    return table
