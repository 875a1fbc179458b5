"""The shared scoreboard and session history, kept in SQLite with sqlite-utils.

The file defaults to the user's data folder; ``--db`` or ``CRISIS_SIM_DB``
points it elsewhere, e.g. at a file the whole team can reach. A file that is
not a crisis-sim scoreboard is never written to: it raises
:class:`ScoreboardError` instead.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
import sqlite_utils

from .engine import Scorecard, Session, score_session

DB_ENV = "CRISIS_SIM_DB"
RESULTS = "results"
MOMENTS = "moments"
RESPONSES = "responses"


class ScoreboardError(Exception):
    """The scoreboard file cannot be opened, read or written."""


def default_db_path() -> Path:
    """``$CRISIS_SIM_DB`` if set, else ``scoreboard.db`` in the user's data folder."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return Path(platformdirs.user_data_dir("crisis-sim")) / "scoreboard.db"


@dataclass(frozen=True)
class Result:
    """A finished session, ready to be saved."""

    player: str
    team: str
    session: Session
    scorecard: Scorecard

    @classmethod
    def of(cls, session: Session, player: str, team: str) -> Result:
        return cls(player.strip() or "anonymous", team.strip() or "no team", session, score_session(session))


class Scoreboard:
    """Results of every session played against one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            self._check_and_create()
        except (sqlite3.DatabaseError, OSError) as error:
            raise ScoreboardError(f"Cannot use scoreboard {self.path}: {error}. The file was left untouched.") from error

    def _check_and_create(self) -> None:
        tables = set(self.db.table_names())  # reading the schema fails fast on a file that is not SQLite
        if tables and RESULTS not in tables:
            raise sqlite3.DatabaseError("it is a SQLite file, but not a crisis-sim scoreboard")
        if RESULTS in tables:
            return
        with self.db.conn:
            self.db[RESULTS].create(
                {
                    "id": int, "played_at": str, "player": str, "team": str,
                    "scenario_id": str, "scenario_title": str, "seed": int, "ending": str,
                    "speed": int, "empathy": int, "honesty": int, "overall": int,
                    "game_minutes": int,
                },
                pk="id",
            )  # fmt: skip
            self.db[MOMENTS].create(
                {"id": int, "result_id": int, "minute": int, "category": str, "points": int, "text": str, "rule": str},
                pk="id",
                foreign_keys=[("result_id", RESULTS, "id")],
            )
            self.db[RESPONSES].create(
                {
                    "id": int, "result_id": int, "minute": int, "action": str, "post_id": str,
                    "text": str, "channel": str, "role": str, "signals": str,
                },
                pk="id",
                foreign_keys=[("result_id", RESULTS, "id")],
            )  # fmt: skip
            self.db[RESULTS].create_index(["scenario_id"])
            self.db[RESULTS].create_index(["team"])

    def record(self, result: Result, played_at: datetime | None = None) -> int:
        """Save ``result`` with its moments and responses; returns its id."""
        session, card = result.session, result.scorecard
        row = {
            "played_at": (played_at or datetime.now(UTC)).isoformat(timespec="seconds"),
            "player": result.player,
            "team": result.team,
            "scenario_id": session.scenario.id,
            "scenario_title": session.scenario.title,
            "seed": session.seed,
            "ending": session.ending.title if session.ending else "",
            "speed": card["speed"],
            "empathy": card["empathy"],
            "honesty": card["honesty"],
            "overall": card.overall,
            "game_minutes": session.minute,
        }
        try:
            with self.db.conn:
                result_id = self.db[RESULTS].insert(row).last_pk
                self.db[MOMENTS].insert_all(
                    {"result_id": result_id, "minute": m.minute, "category": m.category, "points": m.points, "text": m.text, "rule": m.rule}
                    for m in card.moments
                )
                self.db[RESPONSES].insert_all(
                    {
                        "result_id": result_id, "minute": r.minute, "action": r.action.value, "post_id": r.post_id,
                        "text": r.text, "channel": r.channel and r.channel.value, "role": r.role and r.role.value,
                        "signals": json.dumps(sorted(r.signals)),
                    }
                    for r in session.responses
                )  # fmt: skip
        except sqlite3.DatabaseError as error:
            raise ScoreboardError(f"Could not save to {self.path}: {error}") from error
        return result_id

    def _query(self, sql: str, params: dict[str, object]) -> list[dict]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.DatabaseError as error:
            raise ScoreboardError(f"Could not read {self.path}: {error}") from error

    def player_rankings(self, scenario_id: str | None = None) -> list[dict]:
        """Each player's best overall score per scenario, best first."""
        return self._query(
            f"""
            select scenario_id, scenario_title, player, team, max(overall) as best,
                   count(*) as plays, max(played_at) as last_played
            from {RESULTS}
            where :scenario is null or scenario_id = :scenario
            group by scenario_id, player, team
            order by scenario_id, best desc, last_played
            """,
            {"scenario": scenario_id},
        )

    def team_rankings(self, scenario_id: str | None = None) -> list[dict]:
        """Each team's average scores per scenario, best average first."""
        return self._query(
            f"""
            select scenario_id, scenario_title, team, count(*) as plays,
                   count(distinct player) as players,
                   round(avg(overall), 1) as overall, round(avg(speed), 1) as speed,
                   round(avg(empathy), 1) as empathy, round(avg(honesty), 1) as honesty
            from {RESULTS}
            where :scenario is null or scenario_id = :scenario
            group by scenario_id, team
            order by scenario_id, overall desc
            """,
            {"scenario": scenario_id},
        )

    def history(self, player: str | None = None, limit: int = 20) -> list[dict]:
        """Most recent results, optionally for one player."""
        return self._query(
            f"""
            select * from {RESULTS}
            where :player is null or player = :player
            order by played_at desc, id desc limit :limit
            """,
            {"player": player, "limit": limit},
        )

    def result(self, result_id: int) -> dict | None:
        """One saved result, or None if there is no such result."""
        rows = self._query(f"select * from {RESULTS} where id = :id", {"id": result_id})
        return rows[0] if rows else None

    def moments(self, result_id: int) -> list[dict]:
        return self._query(f"select * from {MOMENTS} where result_id = :id order by id", {"id": result_id})


@dataclass(frozen=True)
class ScenarioRanking:
    """One scenario's player and team rankings."""

    scenario_id: str
    title: str
    players: list[dict]
    teams: list[dict]


def rankings(path: Path | str, scenario_id: str | None = None) -> list[ScenarioRanking]:
    """Rankings per scenario. Looking creates nothing: no file yet means no results."""
    if not Path(path).exists():
        return []
    board = Scoreboard(path)
    players, teams = board.player_rankings(scenario_id), board.team_rankings(scenario_id)
    return [
        ScenarioRanking(
            scenario,
            next(row["scenario_title"] for row in players if row["scenario_id"] == scenario),
            [row for row in players if row["scenario_id"] == scenario],
            [row for row in teams if row["scenario_id"] == scenario],
        )
        for scenario in dict.fromkeys(row["scenario_id"] for row in players)
    ]
