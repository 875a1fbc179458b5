"""The trainer commands as the terminal shows them: validate, test, simulate, graph, new, schema.

The work happens in the UI-free modules beside this one; this module only
prints. Scenario text is always printed as :class:`rich.text.Text`, never as
markup, so a ``[bold]`` in a post cannot restyle the output.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..config import GameConfig
from ..engine import DataFileError, Scenario, load_scenario

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def say(label: str, style: str, message: str, to: Console = console) -> None:
    """``label message`` with only the label styled."""
    to.print(Text.assemble((label, style), " ", message))


def validate(args: argparse.Namespace, library_folders: list[Path]) -> int:
    """Check files and folders (default: the scenario library); warnings fail only with --strict."""
    from .checks import check_paths
    from .scenario_tests import is_test_file

    checks = check_paths(args.files or library_folders, strict=args.strict)
    for check in checks:
        if not check.errors and not check.warnings:
            say("ok", "green", f"{check.scenario_id} ({check.path})" if not is_test_file(check.path) else str(check.path))
        for problem in check.errors:
            say("invalid:", "bold red", problem.describe(check.path), errors)
        for problem in check.warnings:
            say("error:" if args.strict else "warning:", "bold red" if args.strict else "yellow", problem.describe(check.path), errors)
    failed = sum(check.failed(args.strict) for check in checks)
    warned = sum(bool(check.warnings) and not check.errors for check in checks)
    summary = f"{len(checks)} file{'s' * (len(checks) != 1)} checked: {failed} failed"
    if warned and not args.strict:
        summary += f", {warned} with warnings (--strict makes them errors)"
    console.print(Text(summary, style="bold"))
    return 1 if failed else 0


def run_tests(args: argparse.Namespace) -> int:
    """Play every scripted run in the scenario tests found under ``args.paths``."""
    from .scenario_tests import discover, run_test_file

    found = discover(args.paths)
    failed = len(found.errors)
    for message in found.errors:
        say("error:", "bold red", message, errors)
    for path in found.untested:
        say("untested:", "yellow", f"{path} has no {path.stem}.test.yaml")
    runs = 0
    for path in found.test_files:
        outcome = run_test_file(path)
        console.print(Text(f"{path}" + (f" ({outcome.scenario_id})" if outcome.scenario_id else ""), style="bold"))
        for problem in outcome.problems:
            say("  error:", "bold red", problem)
        for result in outcome.results:
            runs += 1
            scores = " ".join(f"{name} {value}" for name, value in result.scores().items())
            if result.passed:
                say("  PASS", "green", f"{result.name} (seed {result.seed}): ending '{result.ending}', {scores}")
                continue
            say("  FAIL", "bold red", f"{result.name} (seed {result.seed})" + (f": ending '{result.ending}', {scores}" if scores else ""))
            for failure in result.failures:
                console.print(Text(f"      {failure}"))
        failed += not outcome.passed
    if not found.test_files and not found.errors:
        say("error:", "bold red", "no scenario tests found (*.test.yaml)", errors)
        return 1
    console.print(Text(f"{len(found.test_files)} test file(s), {runs} run(s): " + ("all passed" if not failed else f"{failed} failed"), style="bold"))
    return 1 if failed else 0


def simulate(args: argparse.Namespace, scenario: Scenario) -> int:
    """Play bots against ``scenario`` with a progress bar and print their score spread and endings."""
    from rich.progress import Progress

    from .simulate import SCORE_NAMES, Policy, discrimination_failures, simulate

    policies = [Policy(args.policy)] if args.policy else list(Policy)
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("Simulating", total=args.runs * len(policies))
        results = simulate(scenario, policies, args.runs, args.seed, on_run=lambda: progress.advance(task))
    title = f"{scenario.title}: {args.runs} run(s) per policy from seed {args.seed}; scores as min/median/max"
    table = Table(title=Text(title), title_justify="left")
    table.add_column("policy")
    for name in SCORE_NAMES:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("endings (runs)", overflow="fold")
    for policy, result in results.items():
        spreads = [result.spread(name) for name in SCORE_NAMES]
        endings = ", ".join(f"{ending} ({count})" for ending, count in result.endings.most_common())
        table.add_row(policy.value, *(f"{low}/{mid:g}/{high}" for low, mid, high in spreads), Text(endings))
    console.print(table)
    if {Policy.IDEAL, Policy.DEFENSIVE, Policy.SILENT} <= set(results):
        failures = discrimination_failures(results)
        for failure in failures:
            say("does not discriminate:", "yellow", failure)
        if not failures:
            say("discriminates:", "green", "ideal play beats defensive and silent play on every category")
    return 0


def graph(args: argparse.Namespace, scenario: Scenario) -> int:
    """Print the branch graph, or open it as a tree in the terminal with --tui."""
    if args.tui:
        from ..tui.screens.graph import GraphApp

        GraphApp(scenario).run()
        return 0
    from .graph import build_graph, to_dot, to_mermaid

    branch_graph = build_graph(scenario)
    text = to_mermaid(branch_graph) if args.format == "mermaid" else to_dot(branch_graph, scenario.id)
    console.out(text, end="", highlight=False)
    return 0


def new(args: argparse.Namespace) -> int:
    """Write a starter scenario and its tests, and say what to do next."""
    from .starter import StarterError, write_starter

    try:
        starter = write_starter(args.name, args.dir)
    except StarterError as error:
        say("error:", "bold red", str(error), errors)
        return 1
    say("wrote", "green", str(starter.scenario))
    say("wrote", "green", str(starter.tests))
    console.print(Text(f"Next: edit it, then crisis-sim validate --strict {starter.scenario} && crisis-sim test {starter.scenario}"))
    return 0


def prepare_trainer_play(args: argparse.Namespace, config: GameConfig) -> bool:
    """Set up ``play FILE --watch`` and ``--from MINUTE``; False (after saying why) if they cannot work."""
    from .fast_forward import FastForward
    from .scenario_tests import StepError

    path = Path(args.scenario or "")
    if path.suffix not in (".yaml", ".yml"):
        say("error:", "bold red", "--watch and --from need a scenario file: crisis-sim play path/to/scenario.yaml --watch", errors)
        return False
    if args.watch:
        try:
            import watchfiles  # noqa: F401  (optional: the [watch] extra)
        except ImportError:
            say("error:", "bold red", "--watch needs watchfiles: pip install 'crisis-sim[watch]'", errors)
            return False
        config.watch = path
    if args.from_minute is not None:
        fast_forward = FastForward(path, args.from_minute, args.run)
        try:
            if config.seed is None:
                config.seed = fast_forward.seed() or 0
            fast_forward.check(load_scenario(path), config.seed, config.rules)
        except (DataFileError, StepError) as error:
            say("error:", "bold red", f"cannot start at minute {args.from_minute}: {error}", errors)
            return False
        config.fast_forward = fast_forward
    return True


def with_scenario(args: argparse.Namespace, library: list[Scenario], command: Callable[[argparse.Namespace, Scenario], int]) -> int:
    """Run ``command`` on the scenario ``args.scenario`` names, or print why it cannot be loaded."""
    try:
        scenario = resolve_scenario(args.scenario, library)
    except DataFileError as error:
        for problem in error.problems:
            say("error:", "bold red", problem.describe(error.path), errors)
        return 1
    return command(args, scenario)


def resolve_scenario(name: str, library: list[Scenario]) -> Scenario:
    """A scenario file's path, or the id of a scenario in the library; a 'did you mean' if neither."""
    from ..engine.datafile import Problem
    from .suggest import did_you_mean

    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_scenario(path)
    found = next((s for s in library if s.id == name), None)
    if found is None:
        known = [s.id for s in library]
        message = f"no scenario file or id '{name}'{did_you_mean(name, known)}; known ids: {', '.join(known) or 'none'}"
        raise DataFileError(name, [Problem(None, "", message)])
    return found
