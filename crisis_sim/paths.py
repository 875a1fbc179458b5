"""Where crisis-sim keeps its files: kept import-light so ``--help`` starts fast."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "CRISIS_SIM_DB"


def user_data_dir() -> Path:
    """The user's crisis-sim data folder (scoreboard, unsaved results, crash reports)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("crisis-sim"))


def default_db_path() -> Path:
    """``$CRISIS_SIM_DB`` if set, else ``scoreboard.db`` in the user's data folder."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return user_data_dir() / "scoreboard.db"
