"""``crisis-sim new NAME``: a commented starter scenario and its scenario tests, ready to edit.

The starter passes ``validate --strict`` and its tests pass (a test checks
both), so a trainer starts from green and sees at once what they broke.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..engine.scenario import IDENTIFIER_PATTERN
from .scenario_tests import tests_path_for
from .schema import PACKAGE_SCHEMA_DIR

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAME_PATTERN = re.compile(IDENTIFIER_PATTERN)  # the starter's name becomes the scenario's id


class StarterError(ValueError):
    """The starter cannot be written; the message says why."""


@dataclass(frozen=True)
class Starter:
    scenario: Path
    tests: Path


def _schema_ref(folder: Path, name: str) -> str:
    """The installed schema as seen from ``folder``: a relative path, or a file URI across drives."""
    schema = PACKAGE_SCHEMA_DIR / name
    try:
        return Path(os.path.relpath(schema, folder.resolve())).as_posix()
    except ValueError:
        return schema.as_uri()


def write_starter(name: str, folder: Path) -> Starter:
    """Write ``NAME.yaml`` and ``NAME.test.yaml`` into ``folder``; never overwrites a file."""
    if not NAME_PATTERN.match(name):
        raise StarterError(f"'{name}' is not a scenario id: use lower-case letters, digits, - and _, starting with a letter or digit")
    scenario_path = folder / f"{name}.yaml"
    tests_path = tests_path_for(scenario_path)
    existing = [path for path in (scenario_path, tests_path) if path.exists()]
    if existing:
        raise StarterError(f"{existing[0]} already exists; pick another name or move it away")
    folder.mkdir(parents=True, exist_ok=True)
    values = {
        "__ID__": name,
        "__TITLE__": name.replace("-", " ").replace("_", " ").capitalize(),
        "__SCENARIO_SCHEMA__": _schema_ref(folder, "scenario.schema.json"),
        "__TESTS_SCHEMA__": _schema_ref(folder, "scenario-tests.schema.json"),
    }
    for template, path in (("starter.yaml", scenario_path), ("starter.test.yaml", tests_path)):
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        for token, value in values.items():
            text = text.replace(token, value)
        with path.open("x", encoding="utf-8") as file:  # "x": fail rather than overwrite, even in a race
            file.write(text)
    return Starter(scenario_path, tests_path)
