"""Where crisis-sim finds scenarios, rules and the scoreboard, and how a game is set up.

Imports nothing heavy at module level, so ``crisis-sim --help`` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import default_db_path, user_data_dir

if TYPE_CHECKING:
    from .authoring.fast_forward import FastForward
    from .engine import DataFileError, Rules, Scenario

SCENARIOS_ENV = "CRISIS_SIM_SCENARIOS"
"""Extra scenario folders, separated by ``os.pathsep``."""
DEFAULT_SPEED = 0.5
"""Game minutes per real second: 15 game minutes, the target for a first answer, is 30 real seconds."""
MIN_SPEED = 0.05
"""Slowest clock: 20 real seconds a game minute. Slower would look frozen."""
MAX_SPEED = 60.0
"""Fastest clock: an hour a second. Faster would end the game before the first screen is read."""
MAX_STORED_INTEGER = 2**63 - 1
"""Largest whole number the scoreboard stores (SQLite integers are signed 64-bit): bounds seeds and result numbers."""
PACKAGE_DIR = Path(__file__).resolve().parent


def default_journal_dir() -> Path:
    """Where runs being played are kept until they are saved: the user's data folder."""
    return user_data_dir() / "journal"


def builtin_scenario_dir() -> Path:
    """The checkout's ``scenarios/``, else the copy installed with the package; packs add folders to it."""
    checkout = PACKAGE_DIR.parent / "scenarios"
    return checkout if checkout.is_dir() else PACKAGE_DIR / "bundled_scenarios"


def _built_in_rules() -> Rules:
    from .engine import load_rules

    return load_rules()


@dataclass
class GameConfig:
    """Everything the app needs to start: the library of scenarios, rules, scoreboard and defaults."""

    scenarios: list[Scenario]
    scenario_errors: list[DataFileError] = field(default_factory=list)
    scenario_dir: Path = field(default_factory=builtin_scenario_dir)
    rules: Rules = field(default_factory=_built_in_rules)
    db_path: Path | str = field(default_factory=default_db_path)  # a file, or a postgresql:// address
    journal_dir: Path = field(default_factory=default_journal_dir)
    player: str = ""
    team: str = ""
    seed: int | None = None
    minutes_per_second: float = DEFAULT_SPEED
    start_scenario: str | None = None
    watch: Path | None = None  # play FILE --watch: reload this file when it changes
    fast_forward: FastForward | None = None  # play FILE --from MINUTE: each new game starts there
    notices: list[str] = field(default_factory=list)  # told on the start screen, e.g. runs recovered from a killed game
    cohort: str = ""
    """The workshop or class this game belongs to; every result it saves is tagged with it."""
    served: bool = False
    """Played in a browser through ``crisis-sim serve``: server file paths are never shown."""

    @property
    def scoreboard_name(self) -> str:
        """How the scoreboard is named on screen: never a server path when served, never a password."""
        if self.served:
            return "the workshop scoreboard"
        from .leaderboard import shown_address

        return shown_address(self.db_path)

    def shown_file(self, path: str) -> str:
        """A scenario file as shown: only its name when served, so no server folder shows."""
        return Path(path).name if self.served else path

    def shown(self, text: str) -> str:
        """``text`` with the server's file paths replaced by plain words when the game is served."""
        if not self.served:
            return text
        from .leaderboard import shown_address

        hidden = ((str(self.db_path), "the workshop scoreboard"), (shown_address(self.db_path), "the workshop scoreboard"),
                  (str(self.scenario_dir), "the scenario folder"), (str(user_data_dir()), "the server's data folder"))  # fmt: skip
        for path, name in hidden:
            text = text.replace(path, name)
        return text

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)
