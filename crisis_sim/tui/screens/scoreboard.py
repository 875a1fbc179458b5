"""The scoreboard: recent results (Enter replays one), rankings per scenario version and speed, and a team's progress.

Every table sorts by any column (click its header, again to reverse); moving
onto a team shows a chart of that team's overall score run after run.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from ...config import GameConfig
from ...leaderboard import group_key, group_title
from ...safe_text import clean
from ...scoreboard import ScoreboardError
from ...store import Filters, PlayerPlace, Store, TeamPlace, open_store
from ...timeline import ReplayError, replay_saved
from .replay import ReplayScreen

CATEGORY_COLUMNS = ("overall", "speed", "empathy", "honesty")
RECENT_RESULTS = 200
PLAYERS_PER_GROUP = 50


def sort_value(cell: object) -> tuple[int, float, str]:
    """Numbers sort as numbers and before text; text sorts without regard to case."""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    try:
        return 0, float(text), ""
    except ValueError:
        return 1, 0.0, text.casefold()


class SortableTable(DataTable):
    """A table that sorts by the column whose header is clicked, reversing on a second click."""

    def __init__(self, *columns: str, **options: object) -> None:
        super().__init__(cursor_type="row", **options)  # type: ignore[arg-type]
        self.add_columns(*columns)
        self.sorted_by: tuple[object, bool] | None = None

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        reverse = self.sorted_by == (event.column_key, False)
        self.sort(event.column_key, key=sort_value, reverse=reverse)
        self.sorted_by = (event.column_key, reverse)


class ScoreboardScreen(Screen):
    """Reads the scoreboard when opened."""

    DEFAULT_CSS = """
    #progress { height: 14; border: round $primary; display: none; }
    #progress.shown { display: block; }
    """
    BINDINGS = [Binding("escape,b", "app.pop_screen", "Back", key_display="esc")]

    def __init__(self, config: GameConfig) -> None:
        super().__init__()
        self.config = config
        self.team_rows: dict[str, tuple[str, str, str]] = {}  # row key: (team, scenario id, scenario title)

    def compose(self) -> ComposeResult:
        board = VerticalScroll(id="board")
        board.border_title = Text(f"Scoreboard · {self.config.scoreboard_name}")
        yield board
        yield PlotextPlot(id="progress")
        yield Footer()

    def open(self) -> Store:
        """The scoreboard the game saves to: a file or a postgresql:// address."""
        return open_store(self.config.db_path)

    def on_mount(self) -> None:
        board = self.query_one("#board", VerticalScroll)
        try:
            with self.open() as store:
                players = store.leaderboard(Filters(), PLAYERS_PER_GROUP)
                teams = store.team_board()
                recent = store.results(limit=RECENT_RESULTS)
        except ScoreboardError as error:
            board.mount(Static(Text(self.config.shown(clean(str(error)))), classes="error"))
            return
        if not recent:
            board.mount(Static("No results yet. Play a scenario and they will show up here."))
            return
        board.mount(Static(Text("Recent results — Enter replays one", style="bold"), classes="board-title"), results_table(recent))
        teams_by_group = {key: list(rows) for key, rows in groupby(teams, key=group_key)}
        for key, rows in groupby(players, key=group_key):
            group = list(rows)
            title = clean(group_title(group[0]))
            board.mount(
                Static(Text(f"{title} — players (best score)", style="bold"), classes="board-title"),
                player_table(group),
                Static(Text(f"{title} — teams (average) — move onto a team to chart its progress", style="bold"), classes="board-title"),
                self.team_table(teams_by_group.get(key, [])),
            )

    def team_table(self, rows: Sequence[TeamPlace]) -> DataTable:
        """Team averages; each row remembers its team and scenario for the progress chart."""
        table = SortableTable("#", "Team", "Overall", "Speed", "Empathy", "Honesty", "Players", "Plays", classes="ranking teams")
        for place, row in enumerate(rows, 1):
            key = f"team-{len(self.team_rows)}"
            self.team_rows[key] = (row.team, row.scenario_id, row.scenario_title)
            table.add_row(
                Text(str(place)), Text(clean(row.team)),
                *(Text(f"{getattr(row, c):.1f}", style="bold" if c == "overall" else "") for c in CATEGORY_COLUMNS),
                Text(str(row.players)), Text(str(row.plays)), key=key,
            )  # fmt: skip
        return table

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """On a team's row, chart its overall score run after run."""
        chosen = self.team_rows.get(str(event.row_key.value)) if event.row_key.value is not None else None
        if chosen is not None:
            self.chart_progress(*chosen)

    def chart_progress(self, team: str, scenario_id: str, scenario_title: str) -> None:
        """Plot the team's overall score for each of its finished runs, in the order played."""
        try:
            with self.open() as store:
                points = store.progress(team, scenario_id)
        except ScoreboardError as error:
            self.notify(self.config.shown(clean(str(error))), severity="warning", markup=False)
            return
        chart = self.query_one("#progress", PlotextPlot)
        chart.add_class("shown")
        chart.border_title = Text(f"{clean(team)} on {clean(scenario_title)}: overall score, run after run")
        plot = chart.plt
        plot.clear_data()
        plot.clear_figure()
        runs = list(range(1, len(points) + 1))
        plot.plot(runs, [p.overall for p in points], marker="hd")
        plot.xticks(runs if len(runs) <= 20 else None)
        plot.ylim(0, 100)
        plot.xlabel("run")
        chart.refresh()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a recent result opens its replay."""
        if event.data_table.id != "recent" or event.row_key.value is None:
            return
        try:
            with self.open() as store:
                saved = store.result(int(event.row_key.value))
            if saved is None:
                raise ReplayError("That result is no longer on the scoreboard.")
            replayed = replay_saved(saved, self.config.scenarios, self.config.rules)
        except (ScoreboardError, ReplayError) as error:
            self.notify(self.config.shown(clean(str(error))), severity="warning", markup=False)
            return
        self.app.push_screen(ReplayScreen(replayed))


def results_table(rows: Sequence) -> DataTable:
    """The most recent results, keyed by result number so Enter can replay one."""
    table = SortableTable(
        "#", "Played", "Player", "Team", "Cohort", "Scenario", "Overall", "Speed", "Empathy", "Honesty", id="recent", classes="ranking"
    )
    for row in rows:
        table.add_row(
            Text(str(row.id)), Text(clean(row.played_at)[:16].replace("T", " ")), Text(clean(row.player)), Text(clean(row.team)),
            Text(clean(row.cohort)), Text(clean(row.scenario_title)),
            *(Text(str(getattr(row, c)), style="bold" if c == "overall" else "") for c in CATEGORY_COLUMNS),
            key=str(row.id),
        )  # fmt: skip
    return table


def player_table(rows: Sequence[PlayerPlace]) -> DataTable:
    """One group's players by their best finished run."""
    table = SortableTable("#", "Player", "Team", "Best", "Plays", "Last played", classes="ranking players")
    for row in rows:
        table.add_row(
            Text(str(row.place)), Text(clean(row.player)), Text(clean(row.team)), Text(str(row.best), style="bold"),
            Text(str(row.plays)), Text(clean(row.last_played)[:16].replace("T", " ")),
        )  # fmt: skip
    return table

