"""The scoreboard keeps every result, ranks players and teams, and never damages a file it can't use."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from crisis_sim.engine import Action, Channel, Command, Scenario, Session
from crisis_sim.scoreboard import DB_ENV, Result, Scoreboard, ScoreboardError, default_db_path, rankings


def finished(mini: Scenario, seed: int, apologise: bool) -> Session:
    session = Session(mini, seed=seed)
    session.advance(3)
    if apologise:
        session.respond(Command(Action.APOLOGY, "complaint", "Maya, we're so sorry, that's on us."))
        session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.PHONE))
    session.finish()
    return session


def test_result_is_saved_with_moments_and_responses(mini: Scenario, tmp_path: Path) -> None:
    board = Scoreboard(tmp_path / "board.db")
    result = Result.of(finished(mini, 1, apologise=True), "Ann", "Red")
    result_id = board.record(result, played_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC))

    reopened = Scoreboard(tmp_path / "board.db")
    [row] = reopened.history()
    assert row["id"] == result_id
    assert (row["player"], row["team"], row["scenario_id"], row["seed"]) == ("Ann", "Red", "mini", 1)
    assert row["played_at"] == "2026-11-25T09:30:00+00:00"
    assert (row["speed"], row["empathy"], row["honesty"], row["overall"]) == (
        result.scorecard["speed"], result.scorecard["empathy"], result.scorecard["honesty"], result.scorecard.overall,
    )  # fmt: skip
    assert [m["text"] for m in reopened.moments(result_id)] == [m.text for m in result.scorecard.moments]
    responses = list(sqlite_utils.Database(tmp_path / "board.db")["responses"].rows)
    assert [(r["action"], r["channel"]) for r in responses] == [("apology", None), ("offline", "phone")]
    assert "apology" in json.loads(responses[0]["signals"])


def test_blank_names_are_filled_in(mini: Scenario) -> None:
    result = Result.of(finished(mini, 1, apologise=False), "  ", "")
    assert (result.player, result.team) == ("anonymous", "no team")


def test_rankings_per_scenario_and_team(mini: Scenario, tmp_path: Path) -> None:
    board = Scoreboard(tmp_path / "board.db")
    good, bad = finished(mini, 1, apologise=True), finished(mini, 1, apologise=False)
    board.record(Result.of(good, "Ann", "Red"))
    board.record(Result.of(bad, "Ann", "Red"))
    board.record(Result.of(bad, "Bob", "Blue"))
    players = board.player_rankings("mini")
    assert [(p["player"], p["plays"]) for p in players] == [("Ann", 2), ("Bob", 1)]
    assert players[0]["best"] == Result.of(good, "", "").scorecard.overall
    teams = board.team_rankings()
    assert [t["team"] for t in teams] == ["Red", "Blue"]
    assert teams[0]["plays"] == 2 and teams[0]["players"] == 1
    assert board.player_rankings("other-scenario") == []


def test_corrupt_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    garbage = b"this is not sqlite\x00" * 200
    path.write_bytes(garbage)
    with pytest.raises(ScoreboardError, match=r"not a database.*left untouched"):
        Scoreboard(path)
    assert path.read_bytes() == garbage


def test_other_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("create table invoices (id integer)")
    with pytest.raises(ScoreboardError, match="not a crisis-sim scoreboard"):
        Scoreboard(path)
    assert sqlite_utils.Database(path).table_names() == ["invoices"]


def test_unwritable_location_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ScoreboardError, match="Cannot use scoreboard"):
        Scoreboard(blocker / "board.db")


def test_db_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "team.db"))
    assert default_db_path() == tmp_path / "team.db"
    monkeypatch.delenv(DB_ENV)
    assert default_db_path().name == "scoreboard.db"
    assert "crisis-sim" in str(default_db_path())


def test_rankings_grouped_by_scenario(mini: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    assert rankings(path) == [] and not path.exists()
    board = Scoreboard(path)
    board.record(Result.of(finished(mini, 1, apologise=True), "Ann", "Red"))
    [ranking] = rankings(path)
    assert (ranking.scenario_id, ranking.title) == ("mini", "Cold Coffee")
    assert [p["player"] for p in ranking.players] == ["Ann"] and [t["team"] for t in ranking.teams] == ["Red"]
