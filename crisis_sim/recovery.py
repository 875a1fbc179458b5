"""Runs left behind by a killed game become saved results the next time crisis-sim starts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .engine import ResponseError, Rules, Scenario, replay
from .journal import JournalError, leftover_journals, read_journal
from .leaderboard import shown_address
from .scoreboard import Result, ResultNotSaved, ScoreboardError
from .store import open_store


@dataclass(frozen=True)
class Recovered:
    """What happened to one journal left behind; ``saved`` is False when it stays to be tried again."""

    message: str
    saved: bool


def recover_runs(journal_dir: Path, scenarios: Iterable[Scenario], rules: Rules) -> list[Recovered]:
    """Replay each journal left behind and save it (as interrupted, or finished if it reached its ending)."""
    library = {scenario.id: scenario for scenario in scenarios}
    return [recover_run(path, library, rules) for path in leftover_journals(journal_dir)]


def recover_run(path: Path, library: dict[str, Scenario], rules: Rules) -> Recovered:
    """Save the run kept in the journal at ``path`` and remove the journal, or say why it stays."""
    try:
        kept = read_journal(path)
    except JournalError as error:
        return Recovered(f"A run left behind could not be read ({error}); the file was kept.", False)
    info, run = kept.info, kept.run
    scenario = library.get(info.scenario_id)
    if scenario is None:
        return Recovered(f"A run of '{info.scenario_id}' left behind in {path} waits for that scenario to be loaded again.", False)
    try:
        session = replay(scenario, run, rules)
    except ResponseError as error:
        return Recovered(f"A run of '{info.scenario_id}' in {path} no longer replays on this scenario ({error}); the file was kept.", False)
    status = "finished" if run.finished else "interrupted"
    result = Result.of(session, info.player, info.team, speed=info.speed, status=status, cohort=info.cohort)
    what = f"{status} run of {scenario.title} by {result.player} (minute {session.minute}, started {kept.started_at})"
    try:
        with open_store(info.db_path) as store:  # a file or a postgresql:// address
            result_id = store.record(result)
    except ResultNotSaved as error:
        path.unlink(missing_ok=True)
        return Recovered(f"The {what} could not go into {shown_address(info.db_path)}; it is kept in {error.recovery_path}.", True)
    except ScoreboardError as error:
        return Recovered(f"The {what} could not be saved yet ({error}); it will be tried again.", False)
    path.unlink(missing_ok=True)
    return Recovered(f"Saved the {what} as result #{result_id} in {shown_address(info.db_path)}.", True)
