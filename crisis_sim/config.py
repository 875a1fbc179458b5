"""Where crisis-sim finds scenarios, rules and the scoreboard, and how a game is set up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import DataFileError, Rules, Scenario, load_rules
from .scoreboard import default_db_path

if TYPE_CHECKING:
    from .authoring.fast_forward import FastForward

SCENARIOS_ENV = "CRISIS_SIM_SCENARIOS"
"""Extra scenario folders, separated by ``os.pathsep``."""
DEFAULT_SPEED = 0.5
"""Game minutes per real second: 15 game minutes, the target for a first answer, is 30 real seconds."""
PACKAGE_DIR = Path(__file__).resolve().parent


def default_journal_dir() -> Path:
    """Where runs being played are kept until they are saved: the user's data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir("crisis-sim")) / "journal"


def builtin_scenario_dir() -> Path:
    """The checkout's ``scenarios/``, else the copy installed with the package; packs add folders to it."""
    checkout = PACKAGE_DIR.parent / "scenarios"
    return checkout if checkout.is_dir() else PACKAGE_DIR / "bundled_scenarios"


@dataclass
class GameConfig:
    """Everything the app needs to start: the library of scenarios, rules, scoreboard and defaults."""

    scenarios: list[Scenario]
    scenario_errors: list[DataFileError] = field(default_factory=list)
    scenario_dir: Path = field(default_factory=builtin_scenario_dir)
    rules: Rules = field(default_factory=load_rules)
    db_path: Path = field(default_factory=default_db_path)
    journal_dir: Path = field(default_factory=default_journal_dir)
    player: str = ""
    team: str = ""
    seed: int | None = None
    minutes_per_second: float = DEFAULT_SPEED
    start_scenario: str | None = None
    watch: Path | None = None  # play FILE --watch: reload this file when it changes
    fast_forward: FastForward | None = None  # play FILE --from MINUTE: each new game starts there

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

