"""The SQLite back end: the scoreboard file, opened, migrated and locked by :class:`~crisis_sim.scoreboard.Scoreboard`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from ..scoreboard import Result, Scoreboard, ScoreboardError
from .base import Store, Transaction

T = TypeVar("T")


class SQLiteTransaction:
    """Portable statements on the connection that holds the write lock."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def fetch(self, sql: str, params: Mapping[str, object]) -> list[dict[str, Any]]:
        return [dict(row) for row in self.connection.execute(sql, dict(params)).fetchall()]


class SQLiteStore(Store):
    """A scoreboard file; looking at one that does not exist yet creates nothing."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.address = str(self.path)
        self.board = Scoreboard(self.path)

    @property
    def exists(self) -> bool:
        """Whether the file is there: reading a missing file finds nothing and creates nothing."""
        return self.path.exists()

    def close(self) -> None:
        self.board.close()

    def fetch(self, sql: str, params: Mapping[str, object]) -> list[dict[str, Any]]:
        if not self.exists:
            return []
        try:
            return SQLiteTransaction(self.board.connection).fetch(sql, params)
        except sqlite3.Error as error:
            raise ScoreboardError(f"Could not read {self.path}: {error}") from error

    def transaction(self, work: Callable[[Transaction], T]) -> T:
        try:
            return self.board._transaction(lambda connection: work(SQLiteTransaction(connection)))
        except sqlite3.Error as error:
            raise ScoreboardError(f"Could not save to {self.path}: {error}. Nothing was changed.") from error

    def record(self, result: Result) -> int:
        """Save one finished game; an unsaved result is kept in a file, as the scoreboard promises."""
        return self.board.record(result)
