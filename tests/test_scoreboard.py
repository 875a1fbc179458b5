"""The scoreboard keeps every result, ranks players and teams, and never damages a file it can't use."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from crisis_sim.engine import Action, Channel, Command, Run, Scenario, Session, load_scenario
from crisis_sim.scoreboard import (
    DB_ENV,
    SCHEMA_VERSION,
    Result,
    ResultNotSaved,
    SavedResult,
    Scoreboard,
    ScoreboardError,
    default_db_path,
)

from .conftest import MINI


def finished(mini: Scenario, seed: int, apologise: bool) -> Session:
    session = Session(mini, seed=seed)
    session.advance(3)
    if apologise:
        session.respond(Command(Action.APOLOGY, "complaint", "Maya, we're so sorry, that's on us."))
        session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.PHONE))
    session.finish()
    return session


def table_counts(path: Path) -> dict[str, int]:
    db = sqlite_utils.Database(path)
    return {name: db[name].count for name in ("results", "moments", "responses")}


def test_result_is_saved_with_moments_and_responses(mini: Scenario, tmp_path: Path) -> None:
    board = Scoreboard(tmp_path / "board.db")
    result = Result.of(finished(mini, 1, apologise=True), "Ann", "Red")
    result_id = board.record(result, played_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC))

    reopened = Scoreboard(tmp_path / "board.db")
    [row] = reopened.history()
    assert row.id == result_id
    assert (row.player, row.team, row.scenario_id, row.seed) == ("Ann", "Red", "mini", 1)
    assert row.played_at == "2026-11-25T09:30:00+00:00"
    assert (row.speed, row.empathy, row.honesty, row.overall) == (
        result.scorecard["speed"], result.scorecard["empathy"], result.scorecard["honesty"], result.scorecard.overall,
    )  # fmt: skip
    assert [m.text for m in reopened.moments(result_id)] == [m.text for m in result.scorecard.moments]
    responses = list(sqlite_utils.Database(tmp_path / "board.db")["responses"].rows)
    assert [(r["action"], r["channel"]) for r in responses] == [("apology", None), ("offline", "phone")]
    assert "apology" in json.loads(responses[0]["signals"])


def test_new_result_fields_are_stored(mini: Scenario, tmp_path: Path) -> None:
    versioned = mini.model_copy(update={"version": "3"})
    session = finished(versioned, 1, True)
    result = Result.of(session, "Ann", "Red", speed=2.0, status="interrupted")
    board = Scoreboard(tmp_path / "board.db")
    saved = board.result(board.record(result))
    assert saved is not None
    assert (saved.run, saved.minutes_per_second, saved.scenario_version, saved.status) == (session.run(2.0).to_dict(), 2.0, "3", "interrupted")
    assert Run.from_dict(saved.run) == session.run(2.0)
    assert saved.uid == result.uid
    plain = board.result(board.record(Result.of(finished(mini, 2, False), "Bob", "Blue")))
    assert plain is not None and (plain.minutes_per_second, plain.status, plain.scenario_version) == (None, "finished", "1")
    assert plain.uid != saved.uid
    with pytest.raises(ValueError, match="status"):
        Result.of(finished(mini, 1, False), "Ann", "Red", status="abandoned")


def test_rows_are_typed_and_frozen_but_still_read_by_name(mini: Scenario, tmp_path: Path) -> None:
    board = Scoreboard(tmp_path / "board.db")
    board.record(Result.of(finished(mini, 1, True), "Ann", "Red"))
    [row] = board.history()
    assert isinstance(row, SavedResult) and row["player"] == row.player == "Ann"
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.player = "Eve"  # type: ignore[misc]
    with pytest.raises(KeyError):
        row["no_such_column"]


def test_blank_names_are_filled_in(mini: Scenario) -> None:
    result = Result.of(finished(mini, 1, apologise=False), "  ", "")
    assert (result.player, result.team) == ("anonymous", "no team")


def test_a_failure_mid_save_leaves_nothing_half_written(mini: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    board = Scoreboard(path)
    board.record(Result.of(finished(mini, 1, False), "Ann", "Red"))
    before = table_counts(path)
    with sqlite3.connect(path) as connection:  # responses are written last: fail there
        connection.execute("create trigger fail before insert on responses begin select raise(abort, 'disk on fire'); end")
    result = Result.of(finished(mini, 2, apologise=True), "Bob", "Blue")
    with pytest.raises(ResultNotSaved, match="disk on fire") as caught:
        board.record(result)
    assert table_counts(path) == before
    kept = caught.value.recovery_path
    assert kept.parent == tmp_path and str(kept) in str(caught.value)

    with sqlite3.connect(path) as connection:
        connection.execute("drop trigger fail")
    assert Scoreboard(path).import_recovery(kept) == (1, 0)
    assert Scoreboard(path).import_recovery(kept) == (0, 1), "importing twice adds nothing"
    [saved] = Scoreboard(path).history(player="Bob")
    assert saved.uid == result.uid and saved.overall == result.scorecard.overall
    assert len(Scoreboard(path).moments(saved.id)) == len(result.scorecard.moments)
    assert table_counts(path)["responses"] == 2


def test_corrupt_file_is_reported_left_untouched_and_the_result_kept(mini: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "board.db"
    garbage = b"this is not sqlite\x00" * 200
    path.write_bytes(garbage)
    with pytest.raises(ScoreboardError, match=r"not a database.*left untouched"):
        Scoreboard(path).history()
    result = Result.of(finished(mini, 1, True), "Ann", "Red")
    with pytest.raises(ResultNotSaved, match=r"(?s)left untouched.*import-recovery") as caught:
        Scoreboard(path).record(result)
    assert path.read_bytes() == garbage
    healthy = Scoreboard(tmp_path / "healthy.db")
    assert healthy.import_recovery(caught.value.recovery_path) == (1, 0)
    assert [r.player for r in healthy.history()] == ["Ann"]


def test_other_sqlite_file_is_not_taken_over(mini: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("create table invoices (id integer)")
    before = path.read_bytes()
    with pytest.raises(ResultNotSaved, match="not a crisis-sim scoreboard"):
        Scoreboard(path).record(Result.of(finished(mini, 1, False), "Ann", "Red"))
    assert path.read_bytes() == before


def test_unwritable_location_keeps_the_result_in_the_data_folder(
    mini: Scenario, tmp_path: Path, user_data_folder: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ResultNotSaved, match="Cannot use scoreboard") as caught:
        Scoreboard(blocker / "board.db").record(Result.of(finished(mini, 1, False), "Ann", "Red"))
    assert caught.value.recovery_path.is_relative_to(user_data_folder)
    assert caught.value.recovery_path.is_file()


def test_a_seed_too_large_for_sqlite_is_refused_and_kept(mini: Scenario, tmp_path: Path) -> None:
    session = finished(mini, 1, False)
    session.seed = 10**25
    with pytest.raises(ResultNotSaved, match="seed is too large") as caught:
        Scoreboard(tmp_path / "board.db").record(Result.of(session, "Ann", "Red"))
    assert json.loads(caught.value.recovery_path.read_text())["results"][0]["result"]["seed"] == 10**25
    assert Scoreboard(tmp_path / "board.db").result(10**25) is None


def test_a_file_that_is_not_an_unsaved_result_is_refused(tmp_path: Path) -> None:
    board = Scoreboard(tmp_path / "board.db")
    for content, message in (
        ("{not json", "Cannot read"),
        ('{"format": "something else", "results": []}', "not a crisis-sim unsaved-result file"),
        ('{"format": "crisis-sim unsaved results", "results": [{"result": {"uid": "u", "status": "finished", "seed": 1e999}}]}', "not a finite number"),
    ):
        path = tmp_path / "file.json"
        path.write_text(content)
        with pytest.raises(ScoreboardError, match=message):
            board.import_recovery(path)


def write_version_1_file(path: Path, mini: Scenario) -> None:
    """A scoreboard exactly as crisis-sim 0.1 wrote it (sqlite-utils tables, no user_version)."""
    db = sqlite_utils.Database(path)
    db["results"].create(
        {"id": int, "played_at": str, "player": str, "team": str, "scenario_id": str, "scenario_title": str,
         "seed": int, "ending": str, "speed": int, "empathy": int, "honesty": int, "overall": int, "game_minutes": int},
        pk="id",
    )  # fmt: skip
    db["moments"].create(
        {"id": int, "result_id": int, "minute": int, "category": str, "points": int, "text": str, "rule": str},
        pk="id", foreign_keys=[("result_id", "results", "id")],
    )  # fmt: skip
    db["responses"].create(
        {"id": int, "result_id": int, "minute": int, "action": str, "post_id": str, "text": str, "channel": str,
         "role": str, "signals": str},
        pk="id", foreign_keys=[("result_id", "results", "id")],
    )  # fmt: skip
    for number, player in enumerate(("Ann", "Bob"), 1):
        db["results"].insert(
            {"played_at": f"2026-01-0{number}T10:00:00+00:00", "player": player, "team": "Red", "scenario_id": "mini",
             "scenario_title": "Cold Coffee", "seed": number, "ending": "Back to normal", "speed": 50, "empathy": 40,
             "honesty": 30, "overall": 40 + number, "game_minutes": 60}
        )  # fmt: skip
        db["moments"].insert({"result_id": number, "minute": 3, "category": "speed", "points": 20, "text": "fast", "rule": "x"})
        db["responses"].insert({"result_id": number, "minute": 3, "action": "reply", "post_id": "complaint", "text": "hi",
                                "channel": None, "role": None, "signals": "[]"})  # fmt: skip
    db.conn.close()


def test_a_version_1_file_is_upgraded_without_losing_a_row(mini: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_version_1_file(path, mini)
    before = table_counts(path)
    board = Scoreboard(path)
    rows = board.history()
    assert [(r.player, r.overall, r.status, r.run) for r in rows] == [("Bob", 42, "finished", None), ("Ann", 41, "finished", None)]
    assert len({r.uid for r in rows}) == 2 and all(r.uid for r in rows)
    assert [m.text for m in board.moments(rows[0].id)] == ["fast"]
    assert table_counts(path) == before
    assert sqlite3.connect(path).execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
    board.record(Result.of(finished(mini, 3, True), "Cy", "Blue"))
    assert len(Scoreboard(path).history()) == 3


def test_a_newer_file_is_refused_and_left_untouched(mini: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Scoreboard(path).record(Result.of(finished(mini, 1, False), "Ann", "Red"))
    with sqlite3.connect(path) as connection:
        connection.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(ScoreboardError, match=f"newer crisis-sim.*version {SCHEMA_VERSION + 1}.*Upgrade crisis-sim"):
        Scoreboard(path).history()
    assert path.read_bytes() == before


def save_when_all_are_ready(path: str, player: str, ready: multiprocessing.synchronize.Barrier) -> None:
    """One player's process: finish a run, wait for the others, then save at the same moment."""
    session = Session(load_scenario(MINI), seed=len(player))
    session.finish()
    result = Result.of(session, player, "Team")
    ready.wait(timeout=30)
    Scoreboard(path).record(result)


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing file"])
def test_players_finishing_together_are_all_saved(mini: Scenario, tmp_path: Path, existing: bool) -> None:
    path = tmp_path / "shared.db"
    if existing:
        Scoreboard(path).record(Result.of(finished(mini, 1, False), "Earlier", "Team"))
    players = [f"player-{number}" for number in range(6)]
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(len(players))
    processes = [context.Process(target=save_when_all_are_ready, args=(str(path), p, ready)) for p in players]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * len(players)
    saved = {row.player for row in Scoreboard(path).history(limit=100)}
    assert saved == set(players) | ({"Earlier"} if existing else set())
    assert not list(tmp_path.glob("*.unsaved-*.json"))
    assert sqlite3.connect(path).execute("pragma journal_mode").fetchone()[0] == "wal"


def test_db_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "team.db"))
    assert default_db_path() == tmp_path / "team.db"
    monkeypatch.delenv(DB_ENV)
    assert default_db_path().name == "scoreboard.db"
    assert "crisis-sim" in str(default_db_path())


