"""``crisis-sim play FILE --from MINUTE``: start a game part-way through, as a scripted run would have played it.

The run is the scenario test's ``good`` run (or the one named with ``--run``);
without a test file, nobody does anything until then (a silent run). The
trainer lands at MINUTE with the branches that run fired, to try a late branch
without playing the first hour again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..engine import DataFileError, Scenario, Session
from ..engine.datafile import Problem
from ..engine.rules import Rules
from .scenario_tests import ScriptedRun, StepError, apply_steps, load_tests, tests_path_for
from .suggest import did_you_mean

DEFAULT_RUN = "good"


@dataclass(frozen=True)
class FastForward:
    """Replays a scripted run's steps before ``minute`` on a fresh session, then advances to ``minute``."""

    scenario_path: Path
    minute: int
    run_name: str = DEFAULT_RUN

    def run(self) -> ScriptedRun | None:
        """The scripted run to replay, read afresh (the test file may have changed); None for a silent run."""
        tests_path = tests_path_for(self.scenario_path)
        if not tests_path.exists():
            if self.run_name != DEFAULT_RUN:
                raise DataFileError(tests_path, [Problem(None, "", f"no scenario tests, so there is no run '{self.run_name}'")])
            return None
        test_file = load_tests(tests_path)
        run = test_file.run_named(self.run_name)
        if run is None and self.run_name != DEFAULT_RUN:
            names = [r.name for r in test_file.tests.runs]
            raise DataFileError(tests_path, [Problem(None, "runs", f"no run named '{self.run_name}'{did_you_mean(self.run_name, names)}")])
        return run

    def seed(self) -> int | None:
        """The run's seed, so the game replays the crowd the run was written against."""
        run = self.run()
        return run.seed if run is not None else None

    def __call__(self, session: Session) -> None:
        """Bring ``session`` to ``minute``; :class:`StepError` if a step is refused or the scenario ends first."""
        run = self.run()
        apply_steps(session, run.steps if run is not None else [], until=self.minute)
        session.advance(self.minute - session.minute)
        if session.finished:
            raise StepError(f"the scenario ended at minute {session.minute} ('{session.ending.id}') before minute {self.minute}")

    def check(self, scenario: Scenario, seed: int, rules: Rules | None = None) -> None:
        """Fast-forward a throwaway session first, so a problem is an error message before the game starts."""
        if not 0 <= self.minute < scenario.duration_minutes:
            raise StepError(f"--from {self.minute}: pick a minute from 0 to {scenario.duration_minutes - 1}")
        self(Session(scenario, seed=seed, rules=rules))
