"""What every scoreboard engine shares: one set of portable SQL, filters, import and export.

The SQL here runs unchanged on SQLite and PostgreSQL. It is written with
``:name`` parameters (the PostgreSQL back end rewrites them), never passes a
NULL parameter (only the filters given become conditions; PostgreSQL cannot
type a bare ``:x is null``), groups by every column it selects or aggregates
it, and casts averages to ``double precision`` so they come back as floats,
never as ``Decimal``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from ..scoreboard import (
    MOMENT_COLUMNS,
    RESPONSE_COLUMNS,
    RESULT_COLUMNS,
    Result,
    SavedMoment,
    SavedResult,
    ScoreboardError,
    check_record,
    parse_run,
    typed_row,
)

T = TypeVar("T")
EXPORT_FORMAT = "crisis-sim results"
RECOVERY_FORMAT = "crisis-sim unsaved results"
EXPORT_VERSION = 1


class Transaction(Protocol):
    """What portable code may do inside one write transaction."""

    def fetch(self, sql: str, params: Mapping[str, object]) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Filters:
    """Which results a leaderboard, report or export covers; None means any."""

    scenario: str | None = None
    scenario_version: str | None = None
    team: str | None = None
    cohort: str | None = None
    player: str | None = None
    since: str | None = None  # ISO date or time, inclusive
    until: str | None = None  # ISO date or time, exclusive

    def params(self) -> dict[str, object]:
        """Every filter by name, None where not given."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


FILTER_CONDITIONS = {
    "scenario": "scenario_id = :scenario",
    "scenario_version": "scenario_version = :scenario_version",
    "team": "team = :team",
    "cohort": "cohort = :cohort",
    "player": "player = :player",
    "since": "played_at >= :since",
    "until": "played_at < :until",
}
"""Only the filters given go into the SQL, so no parameter is ever an untyped NULL and indexes stay usable."""


def where(filters: Filters, *conditions: str) -> tuple[str, dict[str, object]]:
    """A ``where`` clause for the given filters (and fixed ``conditions``), with its parameters."""
    given = {name: value for name, value in filters.params().items() if value is not None}
    parts = [*conditions, *(FILTER_CONDITIONS[name] for name in given)]
    return ("where " + " and ".join(parts)) if parts else "", given


LIKE_WITH_LIKE = "scenario_id, scenario_version, minutes_per_second"
"""Only runs on the same scenario version at the same clock speed are ranked together."""


@dataclass(frozen=True)
class PlayerPlace:
    """A player's best finished run in one like-with-like group."""

    scenario_id: str
    scenario_title: str
    scenario_version: str | None
    minutes_per_second: float | None
    place: int
    player: str
    team: str
    best: int
    plays: int
    last_played: str


@dataclass(frozen=True)
class TeamPlace:
    """A team's average scores in one like-with-like group."""

    scenario_id: str
    scenario_title: str
    scenario_version: str | None
    minutes_per_second: float | None
    team: str
    plays: int
    players: int
    overall: float
    speed: float
    empathy: float
    honesty: float


@dataclass(frozen=True)
class ProgressPoint:
    """One finished run of a team, for its progress chart."""

    played_at: str
    player: str
    overall: int


@dataclass
class ImportOutcome:
    """What an import did: results added, results already there unchanged, and conflicts left untouched."""

    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


class Store(ABC):
    """A scoreboard on some engine; back ends run the portable SQL and keep results that cannot be saved."""

    address: str

    @abstractmethod
    def fetch(self, sql: str, params: Mapping[str, object]) -> list[dict[str, Any]]:
        """Rows of one portable statement, as dicts."""

    @abstractmethod
    def transaction(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work`` in one write transaction: all of it is saved or none of it."""

    @abstractmethod
    def record(self, result: Result) -> int:
        """Save a finished game; returns its id, or raises :class:`ResultNotSaved` saying where it was kept."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------

    def leaderboard(self, filters: Filters = Filters(), limit: int = 10) -> list[PlayerPlace]:
        """The top ``limit`` players of each like-with-like group, by their best finished run."""
        clause, params = where(filters, "status = 'finished'")
        sql = f"""
            with best as (
                select {LIKE_WITH_LIKE}, max(scenario_title) as scenario_title, player, team,
                       max(overall) as best, count(*) as plays, max(played_at) as last_played
                from results {clause}
                group by {LIKE_WITH_LIKE}, player, team
            ), placed as (
                select best.*, row_number() over (
                    partition by {LIKE_WITH_LIKE} order by best desc, last_played, player, team
                ) as place
                from best
            )
            select * from placed where place <= :limit
            order by scenario_id, scenario_version, minutes_per_second, place
        """
        return [typed_row(PlayerPlace, row) for row in self.fetch(sql, params | {"limit": limit})]

    def team_board(self, filters: Filters = Filters()) -> list[TeamPlace]:
        """Each team's average scores per like-with-like group, best average first."""
        average = "cast(round(avg({0}), 1) as double precision) as {0}"
        clause, params = where(filters, "status = 'finished'")
        sql = f"""
            select {LIKE_WITH_LIKE}, max(scenario_title) as scenario_title, team, count(*) as plays,
                   count(distinct player) as players,
                   {", ".join(average.format(c) for c in ("overall", "speed", "empathy", "honesty"))}
            from results {clause}
            group by {LIKE_WITH_LIKE}, team
            order by scenario_id, scenario_version, minutes_per_second, overall desc, team
        """
        return [typed_row(TeamPlace, row) for row in self.fetch(sql, params)]

    def results(self, filters: Filters = Filters(), limit: int | None = None) -> list[SavedResult]:
        """Saved results, newest first."""
        clause, params = where(filters)
        sql = f"select * from results {clause} order by played_at desc, id desc limit :limit"
        return [typed_row(SavedResult, row) for row in self.fetch(sql, params | {"limit": limit or 2**62})]

    def result(self, result_id: int) -> SavedResult | None:
        """One saved result, or None if there is none with that number."""
        rows = self.fetch("select * from results where id = :id", {"id": result_id})
        return typed_row(SavedResult, rows[0]) if rows else None

    def moments(self, result_id: int) -> list[SavedMoment]:
        """The scored moments of one result, in the order the debrief showed them."""
        sql = "select * from moments where result_id = :id order by id"
        return [typed_row(SavedMoment, row) for row in self.fetch(sql, {"id": result_id})]

    def progress(self, team: str, scenario: str) -> list[ProgressPoint]:
        """A team's finished runs of one scenario, oldest first."""
        sql = """
            select played_at, player, overall from results
            where status = 'finished' and team = :team and scenario_id = :scenario order by played_at, id
        """
        return [typed_row(ProgressPoint, row) for row in self.fetch(sql, {"team": team, "scenario": scenario})]

    # --- moving results between scoreboards ----------------------------------

    def export_records(self, filters: Filters = Filters()) -> Iterator[dict[str, Any]]:
        """Every matching result with its moments and responses, as plain data keyed by its stable uid."""
        clause, params = where(filters)
        for row in self.fetch(f"select * from results {clause} order by played_at, id", params):
            yield record_of_row(self.fetch, row)

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> ImportOutcome:
        """Add results this scoreboard lacks; the same uid with other content is a conflict, never overwritten.

        Everything that can be added is added in one transaction; importing the same file twice adds nothing.
        """
        checked = [check_record(dict(record)) for record in records]

        def add_all(transaction: Transaction) -> ImportOutcome:
            outcome = ImportOutcome()
            for record in checked:
                uid = record["result"]["uid"]
                found = transaction.fetch("select * from results where uid = :uid", {"uid": uid})
                if not found:
                    insert_record(transaction, record)
                    outcome.added += 1
                elif same_record(record_of_row(transaction.fetch, found[0]), record):
                    outcome.unchanged += 1
                else:
                    outcome.conflicts.append(uid)
            return outcome

        return self.transaction(add_all)


def record_of_row(fetch: Callable[[str, Mapping[str, object]], list[dict[str, Any]]], row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored result as the plain record that export writes and import reads."""
    params = {"id": row["id"]}
    moments = fetch(f"select {', '.join(MOMENT_COLUMNS)} from moments where result_id = :id order by id", params)
    responses = fetch(f"select {', '.join(RESPONSE_COLUMNS)} from responses where result_id = :id order by id", params)
    return {"result": {c: row[c] for c in RESULT_COLUMNS}, "moments": moments, "responses": responses}


def insert_record(transaction: Transaction, record: Mapping[str, Any]) -> int:
    """Insert one checked record with its moments and responses; returns the new result id."""
    row = {column: storable(record["result"].get(column)) for column in RESULT_COLUMNS}
    row["cohort"] = row["cohort"] or ""  # results saved before cohorts belong to none
    columns = ", ".join(RESULT_COLUMNS)
    values = ", ".join(f":{column}" for column in RESULT_COLUMNS)
    [inserted] = transaction.fetch(f"insert into results ({columns}) values ({values}) returning id", row)
    result_id = inserted["id"]
    for table, table_columns in (("moments", MOMENT_COLUMNS), ("responses", RESPONSE_COLUMNS)):
        names = ", ".join(table_columns)
        values = ", ".join(f":{column}" for column in table_columns)
        for item in record.get(table, []):
            params = {column: storable(item.get(column)) for column in table_columns} | {"result_id": result_id}
            transaction.fetch(f"insert into {table} (result_id, {names}) values (:result_id, {values}) returning id", params)
    return result_id


def storable(value: object) -> object:
    """Text any engine accepts: lone surrogates and NUL characters replaced."""
    if not isinstance(value, str):
        return value
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def same_record(stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    """Whether two records hold the same result, moments and responses (the run compared as data)."""
    return comparable(stored) == comparable(incoming)


def comparable(record: Mapping[str, Any]) -> tuple[object, ...]:
    """A record reduced to what two scoreboards must agree on: no row ids, the run as data, speeds as floats."""
    result = {c: storable(record["result"].get(c)) for c in RESULT_COLUMNS}
    result["cohort"] = result["cohort"] or ""
    result["run"] = parse_run(result["run"]) if isinstance(result["run"], str) else result["run"]
    if result["minutes_per_second"] is not None:
        result["minutes_per_second"] = float(result["minutes_per_second"])
    rows = [
        tuple(sorted({c: storable(item.get(c)) for c in columns}.items()))
        for name, columns in (("moments", MOMENT_COLUMNS), ("responses", RESPONSE_COLUMNS))
        for item in record.get(name, [])
    ]
    return tuple(sorted(result.items())), tuple(rows)


def read_export(text: str, where: str) -> list[dict[str, Any]]:
    """The records in an export or unsaved-result file; :class:`ScoreboardError` names what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ScoreboardError(f"{where} is not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") not in (EXPORT_FORMAT, RECOVERY_FORMAT) or not isinstance(data.get("results"), list):
        raise ScoreboardError(f"{where} is not a crisis-sim results file (made by: crisis-sim scores export FILE)")
    try:
        return [check_record(record) for record in data["results"]]
    except ScoreboardError as error:
        raise ScoreboardError(f"{where}: {error}") from None


def export_text(records: Sequence[Mapping[str, Any]]) -> str:
    """The JSON of an export file."""
    return json.dumps({"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "results": list(records)}, indent=1, ensure_ascii=False)
