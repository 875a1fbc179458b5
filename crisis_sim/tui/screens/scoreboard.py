"""Rankings from the SQLite scoreboard: players' best scores and team averages per scenario."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...scoreboard import ScoreboardError, rankings
from ..display import plain

CATEGORY_COLUMNS = ("overall", "speed", "empathy", "honesty")


class ScoreboardScreen(Screen):
    """Reads the scoreboard when opened."""

    BINDINGS = [Binding("escape,b", "app.pop_screen", "Back", key_display="esc")]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        board = VerticalScroll(id="board")
        board.border_title = plain(f"Scoreboard · {self.db_path}")
        yield board
        yield Footer()

    def on_mount(self) -> None:
        board = self.query_one("#board", VerticalScroll)
        try:
            results = rankings(self.db_path)
        except ScoreboardError as error:
            board.mount(Static(Text(str(error)), classes="error"))
            return
        if not results:
            board.mount(Static("No results yet. Play a scenario and they will show up here."))
            return
        for ranking in results:
            board.mount(
                Static(Text(f"{ranking.title} — players (best score)", style="bold"), classes="board-title"),
                player_table(ranking.players),
                Static(Text(f"{ranking.title} — teams (average)", style="bold"), classes="board-title"),
                team_table(ranking.teams),
            )


def player_table(rows: list[dict]) -> DataTable:
    table: DataTable = DataTable(cursor_type="row", classes="ranking")
    table.add_columns("#", "Player", "Team", "Best", "Plays", "Last played")
    for rank, row in enumerate(rows, 1):
        table.add_row(
            Text(str(rank)), Text(row["player"]), Text(row["team"]),
            Text(str(row["best"]), style="bold"), Text(str(row["plays"])), Text(row["last_played"][:16].replace("T", " ")),
        )  # fmt: skip
    return table


def team_table(rows: list[dict]) -> DataTable:
    table: DataTable = DataTable(cursor_type="row", classes="ranking")
    table.add_columns("#", "Team", "Overall", "Speed", "Empathy", "Honesty", "Players", "Plays")
    for rank, row in enumerate(rows, 1):
        table.add_row(
            Text(str(rank)), Text(row["team"]),
            *(Text(f"{row[c]:.1f}", style="bold" if c == "overall" else "") for c in CATEGORY_COLUMNS),
            Text(str(row["players"])), Text(str(row["plays"])),
        )  # fmt: skip
    return table
