"""What ``crisis-sim validate`` checks: load errors, lint warnings, scenario tests' references and, strictly, discrimination."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import DataFileError, load_scenario
from ..engine.datafile import Problem, read_yaml
from .lint import lint
from .packs import scenario_files
from .scenario_tests import check_references, is_test_file, load_tests, tests_path_for


@dataclass
class FileCheck:
    """One file's errors (it cannot be used) and warnings (it can, but something is pointless)."""

    path: Path
    scenario_id: str | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


def files_to_check(paths: Iterable[Path]) -> tuple[list[Path], list[FileCheck]]:
    """Scenario and test files named or found in folders, and a failed check for each path that is not there."""
    files: list[Path] = []
    missing: list[FileCheck] = []
    for path in paths:
        if path.is_dir():
            for scenario_path in scenario_files(path):
                files.append(scenario_path)
                if tests_path_for(scenario_path).exists():
                    files.append(tests_path_for(scenario_path))
        elif path.exists():
            files.append(path)
        else:
            missing.append(FileCheck(path, errors=[Problem(None, "", "no such file or folder")]))
    return list(dict.fromkeys(files)), missing


def check_scenario(path: Path, strict: bool = False) -> FileCheck:
    """Load and lint a scenario; with ``strict``, also check that ideal play beats defensive and silent play."""
    try:
        scenario = load_scenario(path)
    except DataFileError as error:
        return FileCheck(path, errors=error.problems)
    _, locate = read_yaml(path)
    check = FileCheck(path, scenario.id, warnings=lint(scenario, locate))
    if strict:
        from .simulate import check_discriminates

        check.warnings += [Problem(None, "", f"does not discriminate: {failure}") for failure in check_discriminates(scenario)]
    return check


def check_test_file(path: Path) -> FileCheck:
    """A scenario test file loads, and its scenario has every post, branch and ending it names."""
    try:
        test_file = load_tests(path)
        scenario = load_scenario(test_file.scenario_path)
    except DataFileError as error:
        problems = error.problems if error.path == path else [Problem(None, "scenario", f"its scenario {error.path} does not load")]
        return FileCheck(path, errors=problems)
    return FileCheck(path, scenario.id, errors=check_references(test_file, scenario))


def check_paths(paths: Iterable[Path], strict: bool = False) -> list[FileCheck]:
    """Check every file; a scenario id used by two files is an error in the second."""
    files, checks = files_to_check(paths)
    seen: dict[str, Path] = {}
    for path in files:
        if is_test_file(path):
            checks.append(check_test_file(path))
            continue
        check = check_scenario(path, strict)
        if check.scenario_id in seen:
            check.errors.append(Problem(None, "id", f"id '{check.scenario_id}' is also used by {seen[check.scenario_id]}"))
        elif check.scenario_id is not None:
            seen[check.scenario_id] = path
        checks.append(check)
    return checks
