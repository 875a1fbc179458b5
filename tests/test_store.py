"""The store contract: the same tests on a SQLite file and on a throw-away PostgreSQL database."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crisis_sim.engine import Action, Command, Scenario, Session
from crisis_sim.scoreboard import Result, ScoreboardError, record_of
from crisis_sim.store import Filters, Store, open_store
from crisis_sim.store.base import read_export

from .conftest import MINI

ENGINES = ["sqlite", "postgresql"]
SAVERS = 8


@pytest.fixture(params=ENGINES)
def address(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty scoreboard on each engine."""
    if request.param == "sqlite":
        return str(tmp_path / "board.db")
    return request.getfixturevalue("postgres_address")


@pytest.fixture
def store(address: str) -> Iterator[Store]:
    with open_store(address if address.startswith("postgresql") else Path(address)) as opened:
        yield opened


def game(mini: Scenario, player: str, team: str, *, apologise: bool = True, version: str = "1", speed: float = 0.5,
         cohort: str = "", seed: int = 1) -> Result:  # fmt: skip
    """A finished game of the mini scenario (at ``version``), better with an apology."""
    session = Session(mini.model_copy(update={"version": version}), seed=seed)
    if apologise:
        session.respond(Command(Action.APOLOGY, "complaint", f"{player} here: so sorry Maya, that's on us."))
    session.finish()
    return Result.of(session, player, team, speed=speed, cohort=cohort)


def dated(result: Result, day: int) -> dict[str, Any]:
    return record_of(result, datetime(2026, 11, day, 9, 0, tzinfo=UTC))


def test_leaderboard_ranks_like_with_like_and_filters(store: Store, mini: Scenario) -> None:
    store.import_records(
        [
            dated(game(mini, "Ann", "Red", cohort="Class A"), 1),
            dated(game(mini, "Bob", "Blue", apologise=False, cohort="Class A"), 2),
            dated(game(mini, "Cy", "Red", version="2", cohort="Class B"), 3),
            dated(game(mini, "Di", "Blue", speed=4.0), 4),
        ]
    )
    groups = {(p.scenario_version, p.minutes_per_second) for p in store.leaderboard()}
    assert groups == {("1", 0.5), ("2", 0.5), ("1", 4.0)}, "other versions and speeds are ranked apart"
    first_group = [p for p in store.leaderboard() if (p.scenario_version, p.minutes_per_second) == ("1", 0.5)]
    assert [(p.place, p.player) for p in first_group] == [(1, "Ann"), (2, "Bob")]
    assert [p.player for p in store.leaderboard(Filters(cohort="Class A"))] == ["Ann", "Bob"]
    assert [p.player for p in store.leaderboard(Filters(team="Red"))] == ["Ann", "Cy"]
    assert [p.player for p in store.leaderboard(Filters(scenario_version="2"))] == ["Cy"]
    assert [p.player for p in store.leaderboard(Filters(since="2026-11-02", until="2026-11-04"))] == ["Bob", "Cy"]
    assert [p.player for p in store.leaderboard(Filters(scenario="other"))] == []
    assert [p.player for p in store.leaderboard(limit=1) if p.scenario_version == "1" and p.minutes_per_second == 0.5] == ["Ann"]


def test_team_averages_are_plain_floats(store: Store, mini: Scenario) -> None:
    for player, apologise in (("Ann", True), ("Al", False), ("Bob", True)):
        store.record(game(mini, player, "Red" if player.startswith("A") else "Blue", apologise=apologise))
    teams = store.team_board()
    assert [t.team for t in teams] == ["Blue", "Red"]
    red = teams[1]
    assert (red.plays, red.players) == (2, 2)
    assert all(type(getattr(red, c)) is float for c in ("overall", "speed", "empathy", "honesty"))


def test_results_moments_and_progress_read_back(store: Store, mini: Scenario) -> None:
    saved_id = store.record(game(mini, "Ann", "Red", cohort="Class A"))
    saved = store.result(saved_id)
    assert saved is not None and (saved.player, saved.cohort, saved.minutes_per_second) == ("Ann", "Class A", 0.5)
    assert saved.run is not None and saved.run["scenario"] == "mini"
    assert [m.result_id for m in store.moments(saved_id)] and all(m.result_id == saved_id for m in store.moments(saved_id))
    store.record(game(mini, "Ann", "Red", apologise=False))
    assert [p.player for p in store.progress("Red", "mini")] == ["Ann", "Ann"]
    assert [r.id for r in store.results(Filters(cohort="Class A"))] == [saved_id]
    assert store.result(saved_id + 1000) is None


def test_export_then_import_twice_adds_once_and_reports_conflicts(store: Store, mini: Scenario, tmp_path: Path) -> None:
    store.record(game(mini, "Ann", "Red"))
    store.record(game(mini, "Bob", "Blue", apologise=False))
    exported = list(store.export_records())
    assert len(exported) == 2 and all(r["moments"] for r in exported)
    with open_store(tmp_path / "other.db") as other:
        first = other.import_records(exported)
        again = other.import_records(exported)
        assert (first.added, first.unchanged, first.conflicts) == (2, 0, [])
        assert (again.added, again.unchanged, again.conflicts) == (0, 2, [])
        changed = json.loads(json.dumps(exported))
        changed[0]["result"]["overall"] += 1
        clash = other.import_records(changed)
        assert clash.conflicts == [exported[0]["result"]["uid"]] and clash.unchanged == 1
        assert [r.overall for r in other.results() if r.uid == exported[0]["result"]["uid"]] == [exported[0]["result"]["overall"]]
    moved_back = store.import_records(exported)
    assert (moved_back.added, moved_back.unchanged) == (0, 2)


def save_one(address: str, player: str) -> None:
    """One player's game saved from its own process."""
    from crisis_sim.engine import load_scenario

    with open_store(address if address.startswith("postgresql") else Path(address)) as store:
        store.record(game(load_scenario(MINI), player, "Race"))


def test_eight_processes_saving_at_once_lose_nothing(address: str) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(SAVERS) as pool:
        pool.starmap(save_one, [(address, f"player {n}") for n in range(SAVERS)], chunksize=1)
    with open_store(address if address.startswith("postgresql") else Path(address)) as store:
        assert sorted(r.player for r in store.results()) == sorted(f"player {n}" for n in range(SAVERS))
        assert all(store.moments(r.id) for r in store.results())


def test_a_version_2_file_upgrades_in_place_without_losing_a_row(tmp_path: Path, mini: Scenario) -> None:
    path = tmp_path / "v2.db"
    with open_store(path) as store:
        store.record(game(mini, "Ann", "Red"))
    with sqlite3.connect(path) as connection:  # take it back to version 2: no cohort column
        connection.execute("drop index results_cohort")
        connection.execute("drop index results_player_board")
        connection.execute("drop index results_team_board")
        connection.execute("alter table results drop column cohort")
        connection.execute("pragma user_version = 2")
    with open_store(path) as store:
        [result] = store.results()
        assert (result.player, result.cohort) == ("Ann", "")
        assert store.moments(result.id)
    with sqlite3.connect(path) as connection:
        assert connection.execute("pragma user_version").fetchone()[0] == 3


def test_a_newer_scoreboard_is_refused_clearly(address: str) -> None:
    if address.startswith("postgresql"):
        import psycopg

        with open_store(address) as store:
            store.leaderboard()
        with psycopg.connect(address, autocommit=True) as connection:
            connection.execute("update crisis_sim_schema set version = 99")
    else:
        with sqlite3.connect(address) as connection:
            connection.execute("pragma user_version = 99")
    with open_store(address if address.startswith("postgresql") else Path(address)) as store, pytest.raises(ScoreboardError, match="newer crisis-sim"):
        store.leaderboard()


def test_postgresql_without_the_extra_or_a_server_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from crisis_sim.store.postgres import POSTGRES_EXTRA

    closed = "postgresql://someone:secret@127.0.0.1:1/none"
    with open_store(closed) as store, pytest.raises(ScoreboardError, match="Cannot reach") as unreachable:
        store.leaderboard()
    assert "secret" not in str(unreachable.value), "the password is never shown"
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with open_store(closed) as store, pytest.raises(ScoreboardError, match=POSTGRES_EXTRA.replace("[", r"\[").replace("]", r"\]")):
        store.leaderboard()


def test_an_export_file_is_checked_before_anything_is_imported() -> None:
    with pytest.raises(ScoreboardError, match="not a crisis-sim results file"):
        read_export('{"format": "something else", "results": []}', "x.json")
    with pytest.raises(ScoreboardError, match="too large"):
        read_export(json.dumps({"format": "crisis-sim results", "results": [{"result": {"uid": "u", "status": "finished", "seed": 10**30}}]}), "x.json")
