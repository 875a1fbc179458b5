"""Scenario packs: the built-in scenarios plus folders a trainer adds.

Folders come from ``--scenarios DIR`` (repeatable) and ``$CRISIS_SIM_SCENARIOS``
(folders separated by ``os.pathsep``). A broken file is reported and skipped so
one bad scenario never hides the rest; an id used twice keeps the first and
reports the second.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SCENARIOS_ENV, builtin_scenario_dir
from ..engine import DataFileError, Scenario, load_scenario
from ..engine.datafile import Problem
from ..engine.scenario import is_test_file


def scenario_folders(extra: Iterable[Path] = (), environ: dict[str, str] | None = None) -> list[Path]:
    """The built-in folder, then ``extra``, then the folders in ``$CRISIS_SIM_SCENARIOS``, each once."""
    listed = (environ if environ is not None else os.environ).get(SCENARIOS_ENV, "")
    from_env = [Path(part).expanduser() for part in listed.split(os.pathsep) if part.strip()]
    folders = [builtin_scenario_dir(), *extra, *from_env]
    unique: dict[Path, Path] = {}
    for folder in folders:
        unique.setdefault(folder.resolve(), folder)
    return list(unique.values())


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files in ``folder``: ``*.yaml`` and ``*.yml``, without scenario tests."""
    return sorted(path for path in folder.glob("*.y*ml") if not is_test_file(path))


@dataclass
class Library:
    """Every scenario that loaded, where each came from, and every file that did not."""

    scenarios: list[Scenario] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    errors: list[DataFileError] = field(default_factory=list)

    def add(self, path: Path) -> None:
        """Load ``path``; a broken file or a duplicate id becomes an error, not an exception."""
        try:
            scenario = load_scenario(path)
        except DataFileError as error:
            self.errors.append(error)
            return
        if scenario.id in self.paths:
            problem = Problem(None, "id", f"id '{scenario.id}' is also used by {self.paths[scenario.id]}; this file is skipped")
            self.errors.append(DataFileError(path, [problem]))
            return
        self.paths[scenario.id] = path
        self.scenarios.append(scenario)


def load_library(folders: Iterable[Path]) -> Library:
    """Load every scenario in ``folders``; a missing folder is reported like a broken file."""
    library = Library()
    for folder in folders:
        if not folder.is_dir():
            library.errors.append(DataFileError(folder, [Problem(None, "", "scenario folder does not exist")]))
            continue
        for path in scenario_files(folder):
            library.add(path)
    return library
