"""One scoreboard, two engines: a SQLite file (the default) or a PostgreSQL database.

``--db`` / ``CRISIS_SIM_DB`` holding a ``postgresql://`` address picks
PostgreSQL (the optional ``crisis-sim[postgres]`` extra); anything else is the
path of a SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import Filters, ImportOutcome, PlayerPlace, ProgressPoint, Store, TeamPlace

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = ["Filters", "ImportOutcome", "PlayerPlace", "ProgressPoint", "Store", "TeamPlace", "default_address", "is_postgres", "open_store"]


def is_postgres(address: str | Path) -> bool:
    """Whether ``address`` names a PostgreSQL database rather than a file."""
    return isinstance(address, str) and address.startswith(POSTGRES_SCHEMES)


def default_address() -> str | Path:
    """``$CRISIS_SIM_DB`` as a PostgreSQL address when it is one, else the default scoreboard file."""
    from ..paths import DB_ENV, default_db_path

    configured = os.environ.get(DB_ENV, "")
    return configured if is_postgres(configured) else default_db_path()


def open_store(address: str | Path) -> Store:
    """The scoreboard at ``address``: PostgreSQL for a ``postgresql://`` address, else a SQLite file."""
    if is_postgres(address):
        from .postgres import PostgresStore

        return PostgresStore(str(address))
    from .sqlite import SQLiteStore

    return SQLiteStore(Path(address))
