"""The shared scoreboard and session history, kept in one SQLite file.

The file defaults to the user's data folder; ``--db`` or ``CRISIS_SIM_DB``
points it elsewhere, e.g. at a file the whole team can reach. Promises:

* a result is saved whole or not at all (one transaction);
* players finishing at the same moment all get saved (``BEGIN IMMEDIATE``,
  WAL, a busy timeout and a bounded retry while the file is locked);
* a file that is not a crisis-sim scoreboard, or is from a newer version, is
  never written to: it raises :class:`ScoreboardError` instead;
* a finished run is never lost: when it cannot be saved it is written to an
  unsaved-result JSON file that ``crisis-sim scores import-recovery`` adds later.

Older files are upgraded in place (``PRAGMA user_version`` counts the schema).
"""

from __future__ import annotations

import json
import math
import os
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from .paths import DB_ENV, default_db_path, user_data_dir
from .safe_text import clean

if TYPE_CHECKING:
    from .engine import Scorecard, Session

__all__ = [
    "DB_ENV",
    "Result",
    "ResultNotSaved",
    "SavedMoment",
    "SavedResult",
    "Scoreboard",
    "ScoreboardError",
    "default_db_path",
]

SCHEMA_VERSION = 3
BUSY_TIMEOUT_SECONDS = 10.0
LOCK_RETRIES = 6
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
STATUSES = ("finished", "interrupted")
RECOVERY_FORMAT = "crisis-sim unsaved results"
RECOVERY_FOLDER = "unsaved-results"

RESULT_COLUMNS = (
    "uid", "played_at", "player", "team", "scenario_id", "scenario_title", "scenario_version", "seed", "ending",
    "speed", "empathy", "honesty", "overall", "game_minutes", "minutes_per_second", "status", "run", "cohort",
)  # fmt: skip
MOMENT_COLUMNS = ("minute", "category", "points", "text", "rule")
RESPONSE_COLUMNS = ("minute", "action", "post_id", "text", "channel", "role", "signals")

T = TypeVar("T")


class ScoreboardError(Exception):
    """The scoreboard file cannot be opened, read or written."""


class ResultNotSaved(ScoreboardError):
    """A result could not go into the scoreboard; it was kept in ``recovery_path`` instead."""

    def __init__(self, message: str, recovery_path: Path) -> None:
        super().__init__(message)
        self.recovery_path = recovery_path


# --- what is saved ------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """A finished (or interrupted) session, ready to be saved.

    ``speed`` is the clock speed in game minutes per real second (stored as
    ``minutes_per_second``, since the ``speed`` column holds the speed score);
    ``run`` is the replayable run as plain JSON-able data.
    """

    player: str
    team: str
    session: Session
    scorecard: Scorecard
    run: dict[str, Any] | None = None
    speed: float | None = None
    scenario_version: str | None = None
    status: str = "finished"
    uid: str = field(default_factory=lambda: str(uuid.uuid4()))
    cohort: str = ""  # the workshop or class it was played in

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")

    @classmethod
    def of(
        cls, session: Session, player: str, team: str, *, speed: float | None = None, status: str = "finished", cohort: str = ""
    ) -> Result:
        """Score ``session`` and keep its replayable run and the scenario version it was played on."""
        from .engine import score_session

        player, team = clean(player).strip(), clean(team).strip()
        return cls(
            player or "anonymous", team or "no team", session, score_session(session),
            run=session.run(speed).to_dict(), speed=speed, scenario_version=session.scenario.version, status=status,
            cohort=clean(cohort).strip(),
        )  # fmt: skip


def record_of(result: Result, played_at: datetime | None = None) -> dict[str, Any]:
    """The plain data saved for ``result``: what the scoreboard writes and an unsaved-result file keeps."""
    session, card = result.session, result.scorecard
    row = {
        "uid": result.uid,
        "played_at": (played_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "player": result.player,
        "team": result.team,
        "scenario_id": session.scenario.id,
        "scenario_title": session.scenario.title,
        "scenario_version": result.scenario_version,
        "seed": session.seed,
        "ending": session.ending.title if session.ending else "",
        "speed": card["speed"],
        "empathy": card["empathy"],
        "honesty": card["honesty"],
        "overall": card.overall,
        "game_minutes": session.minute,
        "minutes_per_second": result.speed,
        "status": result.status,
        "run": None if result.run is None else json.dumps(result.run, default=str),
        "cohort": result.cohort,
    }
    moments = [
        {"minute": m.minute, "category": m.category, "points": m.points, "text": m.text, "rule": m.rule}
        for m in card.moments
    ]
    responses = [
        {
            "minute": r.minute, "action": r.action.value, "post_id": r.post_id, "text": r.text,
            "channel": r.channel and r.channel.value, "role": r.role and r.role.value,
            "signals": json.dumps(sorted(r.signals)),
        }
        for r in session.responses
    ]  # fmt: skip
    return {"result": row, "moments": moments, "responses": responses}


def check_record(record: object) -> dict[str, Any]:
    """``record`` if every value fits SQLite; :class:`ScoreboardError` naming the first that does not."""
    if not isinstance(record, dict) or not isinstance(record.get("result"), dict):
        raise ScoreboardError("not a saved result: expected a mapping with a 'result' entry")
    parts: list[tuple[str, dict, tuple[str, ...]]] = [("result", record["result"], RESULT_COLUMNS)]
    for name, columns in (("moments", MOMENT_COLUMNS), ("responses", RESPONSE_COLUMNS)):
        rows = record.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ScoreboardError(f"not a saved result: '{name}' must be a list of mappings")
        parts += [(f"{name}[{index}]", row, columns) for index, row in enumerate(rows)]
    for where, row, columns in parts:
        for column in columns:
            value = row.get(column)
            if isinstance(value, bool) or not isinstance(value, int | float | str | type(None)):
                raise ScoreboardError(f"{where}.{column} is not a number or text")
            if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
                raise ScoreboardError(f"{where}.{column} is too large to store ({len(str(value))} digits)")
            if isinstance(value, float) and not math.isfinite(value):
                raise ScoreboardError(f"{where}.{column} is not a finite number")
    if not isinstance(record["result"].get("uid"), str) or record["result"].get("status") not in STATUSES:
        raise ScoreboardError("not a saved result: it needs a text 'uid' and a 'status' of finished or interrupted")
    return record


def _storable(value: object) -> object:
    """Text with any lone surrogates replaced, so SQLite's UTF-8 encoding cannot fail on it."""
    return value.encode("utf-8", "replace").decode("utf-8") if isinstance(value, str) else value


# --- what is read back ----------------------------------------------------------


class _ReadByName:
    """Lets ``row["player"]`` read a field, for callers written against the old dict rows."""

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


@dataclass(frozen=True)
class SavedResult(_ReadByName):
    """One saved result. ``speed`` is the speed score; the clock speed is ``minutes_per_second``."""

    id: int
    uid: str
    played_at: str
    player: str
    team: str
    scenario_id: str
    scenario_title: str
    scenario_version: str | None
    seed: int | None
    ending: str
    speed: int
    empathy: int
    honesty: int
    overall: int
    game_minutes: int
    minutes_per_second: float | None
    status: str
    run: dict[str, Any] | None
    cohort: str


@dataclass(frozen=True)
class SavedMoment(_ReadByName):
    """One scored moment of a saved result; ``minute`` is None for end-of-run moments."""

    id: int
    result_id: int
    minute: int | None
    category: str
    points: int
    text: str
    rule: str


RowT = TypeVar("RowT")


def typed_row(kind: type[RowT], row: Mapping[str, Any]) -> RowT:
    """A row as its dataclass; a stored run is parsed from JSON."""
    values = {f.name: row[f.name] for f in fields(kind)}  # type: ignore[arg-type]
    if "run" in values:
        values["run"] = parse_run(values["run"])
    return kind(**values)


def parse_run(text: str | None) -> dict[str, Any] | None:
    """The stored run, or None when there is none or it is not a JSON object."""
    try:
        run = json.loads(text) if text else None
    except ValueError:
        return None
    return run if isinstance(run, dict) else None


# --- the schema -----------------------------------------------------------------

SCHEMA_V1 = """
create table if not exists results (
    id integer primary key, played_at text, player text, team text, scenario_id text, scenario_title text,
    seed integer, ending text, speed integer, empathy integer, honesty integer, overall integer, game_minutes integer
);
create table if not exists moments (
    id integer primary key, result_id integer references results(id),
    minute integer, category text, points integer, text text, rule text
);
create table if not exists responses (
    id integer primary key, result_id integer references results(id),
    minute integer, action text, post_id text, text text, channel text, role text, signals text
);
create index if not exists idx_results_scenario_id on results(scenario_id);
create index if not exists idx_results_team on results(team);
"""


def _create_v1(connection: sqlite3.Connection) -> None:
    """The first scoreboard layout; new files start here and are migrated up like old ones."""
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            connection.execute(statement)


def _migrate_1_to_2(connection: sqlite3.Connection) -> None:
    """Add scenario version, clock speed, replayable run, status and a stable uid per result."""
    for column in ("scenario_version text", "minutes_per_second real", "run text",
                   "status text not null default 'finished'", "uid text"):  # fmt: skip
        connection.execute(f"alter table results add column {column}")
    ids = [row[0] for row in connection.execute("select id from results")]
    connection.executemany("update results set uid = ? where id = ?", [(str(uuid.uuid4()), i) for i in ids])
    connection.execute("create unique index results_uid on results(uid)")
    connection.execute("create index moments_result_id on moments(result_id)")
    connection.execute("create index responses_result_id on responses(result_id)")


LEADERBOARD_INDEXES = (
    "create index if not exists results_player_board on results"
    "(scenario_id, scenario_version, minutes_per_second, player, team, status, overall, played_at, scenario_title)",
    "create index if not exists results_team_board on results"
    "(scenario_id, scenario_version, minutes_per_second, team, status, player, overall, speed, empathy, honesty, scenario_title)",
)
"""Covering indexes: a leaderboard of 100,000 results is read from them without touching the table."""


def _migrate_2_to_3(connection: sqlite3.Connection) -> None:
    """Add the cohort (workshop or class) a result belongs to, and indexes for leaderboard filters."""
    connection.execute("alter table results add column cohort text not null default ''")
    connection.execute("create index results_cohort on results(cohort)")
    for statement in LEADERBOARD_INDEXES:
        connection.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}
"""Migration from each schema version to the next."""


def _schema_version(connection: sqlite3.Connection) -> tuple[int, set[str]]:
    """The file's schema version (0 for a new file; 1 for files from before versions were counted) and its tables."""
    version = connection.execute("pragma user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
    if version == 0 and "results" in tables:
        version = 1
    return version, tables


def _is_locked(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _retrying(work: Callable[[], T]) -> T:
    """``work()``, tried again a bounded number of times while another player holds the file."""
    for attempt in range(LOCK_RETRIES - 1):
        try:
            return work()
        except sqlite3.OperationalError as error:
            if not _is_locked(error):
                raise
            time.sleep(0.05 * 2**attempt * (1 + random.random()))
    return work()


# --- the scoreboard -------------------------------------------------------------


class Scoreboard:
    """Results of every session played against one SQLite file.

    The file is opened on first use, so a result can still be kept elsewhere
    when the file turns out to be unusable.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._connection: sqlite3.Connection | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def connection(self) -> sqlite3.Connection:
        """The open, checked and up-to-date file; :class:`ScoreboardError` if it cannot be used."""
        if self._connection is None:
            try:
                self._connection = self._open()
            except (sqlite3.Error, OSError) as error:
                raise ScoreboardError(f"Cannot use scoreboard {self.path}: {error}. The file was left untouched.") from error
        return self._connection

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            version, tables = _retrying(lambda: _schema_version(connection))  # fails fast on a file that is not SQLite
            self._refuse_foreign(version, tables)
            if version < SCHEMA_VERSION:
                _retrying(lambda: self._upgrade(connection))
            self._use_wal(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _refuse_foreign(self, version: int, tables: set[str]) -> None:
        if tables and "results" not in tables:
            raise sqlite3.DatabaseError("it is a SQLite file, but not a crisis-sim scoreboard")
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"it was written by a newer crisis-sim (scoreboard version {version}; this one reads up to "
                f"{SCHEMA_VERSION}). Upgrade crisis-sim to use it"
            )

    def _upgrade(self, connection: sqlite3.Connection) -> None:
        """Create or migrate the schema under a write lock, so two first players cannot both create it."""
        connection.execute("begin immediate")
        try:
            version, tables = _schema_version(connection)  # another player may have done it meanwhile
            self._refuse_foreign(version, tables)
            if version == 0:
                _create_v1(connection)
                version = 1
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](connection)
                version += 1
            connection.execute(f"pragma user_version = {SCHEMA_VERSION}")
            connection.execute("commit")
        except BaseException:
            if connection.in_transaction:
                connection.execute("rollback")
            raise

    def _use_wal(self, connection: sqlite3.Connection) -> None:
        """Write-ahead logging lets readers and one writer work at once.

        Where it cannot be switched on (a read-only file or folder, a file busy
        for longer than the retries), the default journal still keeps every
        save atomic and the busy timeout still waits for other players.
        """
        try:
            _retrying(lambda: connection.execute("pragma journal_mode = wal").fetchone())
        except sqlite3.OperationalError:
            return

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction: all of it is saved or none of it."""
        connection = self.connection

        def attempt() -> T:
            connection.execute("begin immediate")
            try:
                value = work(connection)
                connection.execute("commit")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("rollback")
                raise
            return value

        return _retrying(attempt)

    # --- writing ------------------------------------------------------------

    def record(self, result: Result, played_at: datetime | None = None) -> int:
        """Save ``result`` with its moments and responses; returns its id.

        If it cannot be saved, it is written to an unsaved-result file and
        :class:`ResultNotSaved` says where.
        """
        record = record_of(result, played_at)
        try:
            check_record(record)
            return self._transaction(lambda connection: self._insert(connection, record))
        except (ScoreboardError, sqlite3.Error, OSError) as error:
            reason = str(error) if isinstance(error, ScoreboardError) else f"Could not save to {self.path}: {error}."
            kept = keep_unsaved([record], self.path)
            raise ResultNotSaved(
                f"{reason}\nYour result is kept in {kept}; add it to a scoreboard later with: "
                f"crisis-sim --db FILE scores import-recovery {kept}",
                kept,
            ) from error

    def _insert(self, connection: sqlite3.Connection, record: dict[str, Any]) -> int:
        """Insert one record unless a result with its uid is already saved; returns the result's id."""
        row = {column: _storable(record["result"].get(column)) for column in RESULT_COLUMNS}
        existing = connection.execute("select id from results where uid = ?", (row["uid"],)).fetchone()
        if existing is not None:
            return existing[0]
        cursor = connection.execute(
            f"insert into results ({', '.join(RESULT_COLUMNS)}) values ({', '.join('?' * len(RESULT_COLUMNS))})",
            [row[column] for column in RESULT_COLUMNS],
        )
        result_id = cursor.lastrowid
        assert result_id is not None
        for table, columns in (("moments", MOMENT_COLUMNS), ("responses", RESPONSE_COLUMNS)):
            connection.executemany(
                f"insert into {table} (result_id, {', '.join(columns)}) values (?{', ?' * len(columns)})",
                ([result_id, *(_storable(item.get(column)) for column in columns)] for item in record.get(table, [])),
            )
        return result_id

    def import_recovery(self, path: Path | str) -> tuple[int, int]:
        """Add the results kept in an unsaved-result file; returns (added, already there).

        All of the file goes in or none of it; importing it twice adds nothing.
        """
        records = read_unsaved(Path(path))

        def insert_all(connection: sqlite3.Connection) -> tuple[int, int]:
            before = connection.execute("select count(*) from results").fetchone()[0]
            for record in records:
                self._insert(connection, record)
            added = connection.execute("select count(*) from results").fetchone()[0] - before
            return added, len(records) - added

        try:
            return self._transaction(insert_all)
        except sqlite3.Error as error:
            raise ScoreboardError(f"Could not save to {self.path}: {error}. Nothing from {path} was added.") from error

    # --- reading --------------------------------------------------------------

    def _query(self, kind: type[RowT], sql: str, params: dict[str, object]) -> list[RowT]:
        try:
            return [typed_row(kind, row) for row in _retrying(lambda: self.connection.execute(sql, params).fetchall())]
        except sqlite3.Error as error:
            raise ScoreboardError(f"Could not read {self.path}: {error}") from error

    def history(self, player: str | None = None, limit: int = 20) -> list[SavedResult]:
        """Most recent results, optionally for one player."""
        return self._query(
            SavedResult,
            "select * from results where :player is null or player = :player order by played_at desc, id desc limit :limit",
            {"player": player, "limit": max(0, min(limit, INT64_MAX))},
        )

    def result(self, result_id: int) -> SavedResult | None:
        """One saved result, or None if there is no such result."""
        if not INT64_MIN <= result_id <= INT64_MAX:
            return None
        rows = self._query(SavedResult, "select * from results where id = :id", {"id": result_id})
        return rows[0] if rows else None

    def moments(self, result_id: int) -> list[SavedMoment]:
        """The scored moments of one saved result, in the order the debrief showed them."""
        if not INT64_MIN <= result_id <= INT64_MAX:
            return []
        return self._query(SavedMoment, "select * from moments where result_id = :id order by id", {"id": result_id})


# --- unsaved results --------------------------------------------------------------


def keep_unsaved(records: list[dict[str, Any]], board_path: Path) -> Path:
    """Write results that could not be saved to a JSON file next to the scoreboard, else in the data folder."""
    uid = str(records[0]["result"].get("uid", uuid.uuid4()))
    name = f"{board_path.name}.unsaved-{uid}.json"
    content = json.dumps({"format": RECOVERY_FORMAT, "scoreboard": str(board_path), "results": records}, indent=1, default=str)
    problems = []
    for folder in (board_path.parent, user_data_dir() / RECOVERY_FOLDER):
        target = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_text(content, encoding="utf-8")
            os.replace(partial, target)
            return target
        except OSError as error:
            problems.append(f"{folder}: {error.strerror or error}")
    raise ScoreboardError(f"The result could not be saved, nor kept in a file ({'; '.join(problems)}).")


def read_unsaved(path: Path) -> list[dict[str, Any]]:
    """The checked results in an unsaved-result file; :class:`ScoreboardError` if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ScoreboardError(f"Cannot read {path}: {error}") from error
    if not isinstance(data, dict) or data.get("format") != RECOVERY_FORMAT or not isinstance(data.get("results"), list):
        raise ScoreboardError(f"{path} is not a crisis-sim unsaved-result file")
    try:
        return [check_record(record) for record in data["results"]]
    except ScoreboardError as error:
        raise ScoreboardError(f"{path}: {error}") from None
