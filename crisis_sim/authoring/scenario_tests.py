"""Scenario tests: scripted runs in ``NAME.test.yaml`` and what must follow from them.

A trainer writes commands at game minutes, a seed, and expectations (the ending,
branches fired or not, score ranges, runs this one must beat); ``crisis-sim test``
plays each run headless and says which expectation failed and why::

    runs:
      - name: good
        seed: 1
        steps:
          - at: 3
            apology: {post: complaint, text: "Maya, I'm so sorry..."}
        expect:
          ending: made-right
          fired: [apologised]
          scores: {honesty: {min: 60}}
          beats: [silent]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..engine import Action, Channel, Command, ResponseError, Role, Scenario, Scorecard, Session, load_scenario, score_session
from ..engine.datafile import CrossCheckError, DataFileError, Locate, Problem, field_name, load_model, read_yaml
from ..engine.rules import Rules
from ..engine.scenario import TEST_SUFFIX, Identifier, Minute, Model, is_test_file
from .suggest import unknown

ScoreName = Literal["speed", "empathy", "honesty", "overall"]


class CommandArgs(Model):
    """What one command needs besides its action: the post, the words, the channel or role, or a decision's answer."""

    post: str | None = Field(None, description="The post to act on: a scripted post's id, or a feed id like '#3'.")
    text: str = ""
    channel: Channel | None = None
    role: Role | None = None
    decision: Identifier | None = Field(None, description="For decide: the id of the decision answered.")
    choice: Identifier | None = Field(None, description="For decide: the id of the option chosen.")


class ScriptedStep(Model):
    """One command at a game minute: ``at`` and exactly one action, e.g. ``reply: {post: x, text: ...}``."""

    at: Minute
    reply: CommandArgs | None = None
    apology: CommandArgs | None = None
    offline: CommandArgs | None = None
    status_update: CommandArgs | None = None
    hold_statement: CommandArgs | None = None
    escalate: CommandArgs | None = None
    ignore: CommandArgs | None = None
    hide: CommandArgs | None = None
    decide: CommandArgs | None = None

    @model_validator(mode="after")
    def _one_action(self) -> ScriptedStep:
        given = [action for action in Action if getattr(self, action.value) is not None]
        if len(given) != 1:
            names = ", ".join(action.value for action in Action)
            raise ValueError(f"give exactly one action ({names}); found {len(given)}")
        return self

    @property
    def action(self) -> Action:
        return next(action for action in Action if getattr(self, action.value) is not None)

    def command(self) -> Command:
        args: CommandArgs = getattr(self, self.action.value)
        return Command(self.action, args.post, args.text, args.channel, args.role, args.decision, args.choice)

    def describe(self) -> str:
        """``minute 12: reply to 'complaint'`` or ``minute 9: decide legal-asks: admit``, for failure messages."""
        args: CommandArgs = getattr(self, self.action.value)
        if self.action is Action.DECIDE:
            return f"minute {self.at}: decide {args.decision}: {args.choice}"
        return f"minute {self.at}: {self.action.value}" + (f" to '{args.post}'" if args.post else "")


class ScoreRange(Model):
    """Inclusive bounds for one score; give min, max or both."""

    min: Annotated[int, Field(ge=0, le=100)] = 0
    max: Annotated[int, Field(ge=0, le=100)] = 100

    @model_validator(mode="after")
    def _ordered(self) -> ScoreRange:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Expectation(Model):
    """What must be true when the run is over."""

    ending: Identifier | None = Field(None, description="The ending the run must reach.")
    fired: list[Identifier] = Field([], description="Branches that must have fired.")
    not_fired: list[Identifier] = Field([], description="Branches that must not have fired.")
    scores: dict[ScoreName, ScoreRange] = Field({}, description="Allowed range per category, e.g. honesty: {min: 60}.")
    beats: list[Identifier] = Field([], description="Other runs in this file this one must out-score on every category.")


class ScriptedRun(Model):
    """One play-through: a seed, commands at minutes, and what must follow."""

    name: Identifier
    seed: int = 0
    steps: list[ScriptedStep] = []
    expect: Expectation = Expectation()


class ScenarioTests(Model):
    """A ``NAME.test.yaml`` file: the runs to play against ``NAME.yaml``."""

    scenario: str | None = Field(None, description="The scenario file, relative to this one; default: NAME.yaml beside it.")
    runs: list[ScriptedRun] = Field(min_length=1)

    def cross_check(self) -> Iterator[CrossCheckError]:
        """Run names are unique and ``beats`` names a run in this file."""
        names = [run.name for run in self.runs]
        for index, name in enumerate(names):
            if name in names[:index]:
                yield CrossCheckError(("runs", index, "name"), f"duplicate run name '{name}'")
        for index, run in enumerate(self.runs):
            for number, other in enumerate(run.expect.beats):
                if other not in names:
                    yield CrossCheckError(("runs", index, "expect", "beats", number), unknown("run", other, names))
                elif other == run.name:
                    yield CrossCheckError(("runs", index, "expect", "beats", number), "a run cannot beat itself")


@dataclass(frozen=True)
class LoadedTests:
    """A loaded test file with its scenario and the YAML tree for line numbers."""

    path: Path
    tests: ScenarioTests
    scenario_path: Path
    locate: Locate

    def line(self, *location: str | int) -> int | None:
        return self.locate(location)

    def run_named(self, name: str) -> ScriptedRun | None:
        return next((run for run in self.tests.runs if run.name == name), None)


@dataclass
class RunResult:
    """One scripted run played: its scorecard and every expectation it failed."""

    name: str
    seed: int
    failures: list[str] = field(default_factory=list)
    ending: str | None = None
    card: Scorecard | None = None

    @property
    def passed(self) -> bool:
        return not self.failures

    def scores(self) -> dict[str, int]:
        """Each category's score and the overall score; empty if the run broke before scoring."""
        if self.card is None:
            return {}
        return {name: self.card[name] for name in ("speed", "empathy", "honesty")} | {"overall": self.card.overall}


def tests_path_for(scenario_path: Path) -> Path:
    """``x.yaml`` → ``x.test.yaml`` beside it."""
    return scenario_path.with_name(scenario_path.name.rsplit(".", 1)[0] + TEST_SUFFIX)


def load_tests(path: Path) -> LoadedTests:
    """Load ``path`` and find its scenario; :class:`DataFileError` names the line of anything wrong."""
    tests = load_model(path, ScenarioTests)
    _, locate = read_yaml(path)
    base = path.name.removesuffix(TEST_SUFFIX).removesuffix(".test.yml")
    scenario_path = path.parent / (tests.scenario or f"{base}.yaml")
    if tests.scenario is None and not scenario_path.exists() and (path.parent / f"{base}.yml").exists():
        scenario_path = path.parent / f"{base}.yml"
    if not scenario_path.exists():
        raise DataFileError(path, [Problem(locate(("scenario",)), "scenario", f"no scenario file {scenario_path}")])
    return LoadedTests(path, tests, scenario_path, locate)


def check_references(test_file: LoadedTests, scenario: Scenario) -> list[Problem]:
    """Posts, branches and endings the runs name must exist in the scenario (with a 'did you mean')."""
    post_ids = {spec.id for spec in scenario.all_post_specs() if spec.id}
    decisions = {decision.id: [option.id for option in decision.options] for _, decision in scenario.decisions()}
    branch_ids = {branch.id for branch in scenario.branches}
    ending_ids = {ending.id for ending in scenario.endings}
    problems: list[Problem] = []

    def report(location: tuple, message: str) -> None:
        problems.append(Problem(test_file.line(*location), field_name(location), message))

    for index, run in enumerate(test_file.tests.runs):
        for number, step in enumerate(run.steps):
            args: CommandArgs = getattr(step, step.action.value)
            where = ("runs", index, "steps", number, step.action.value)
            if args.post is not None and not args.post.startswith("#") and args.post not in post_ids:
                report((*where, "post"), unknown("post", args.post, post_ids))
            if step.action is Action.DECIDE and args.decision not in decisions:
                report((*where, "decision"), unknown("decision", str(args.decision), decisions))
            elif step.action is Action.DECIDE and args.choice not in decisions[args.decision]:
                report((*where, "choice"), unknown("option", str(args.choice), decisions[args.decision]))
        expect = run.expect
        if expect.ending is not None and expect.ending not in ending_ids:
            report(("runs", index, "expect", "ending"), unknown("ending", expect.ending, ending_ids))
        for name in ("fired", "not_fired"):
            for number, branch in enumerate(getattr(expect, name)):
                if branch not in branch_ids:
                    report(("runs", index, "expect", name, number), unknown("branch", branch, branch_ids))
    return problems


def play_run(scenario: Scenario, run: ScriptedRun, rules: Rules | None = None) -> Session:
    """Play ``run``'s steps, then let time run out; :class:`StepError` if the game refuses a step."""
    session = Session(scenario, seed=run.seed, rules=rules)
    apply_steps(session, run.steps)
    session.finish()
    return session


def apply_steps(session: Session, steps: Iterable[ScriptedStep], until: int | None = None) -> None:
    """Advance ``session`` to each step's minute and take it (only steps before ``until``, if given).

    Raises :class:`StepError` when a step cannot be taken: the scenario already
    ended, or the game refused the command.
    """
    for step in sorted(steps, key=lambda s: s.at):
        if until is not None and step.at >= until:
            return
        session.advance(step.at - session.minute)
        if session.finished:
            raise StepError(f"{step.describe()}: the scenario already ended at minute {session.minute} ('{session.ending.id}')")
        try:
            session.respond(step.command())
        except ResponseError as error:
            raise StepError(f"{step.describe()}: {error}") from None


class StepError(Exception):
    """A scripted step the game refused."""


def run_tests(test_file: LoadedTests, scenario: Scenario, rules: Rules | None = None) -> list[RunResult]:
    """Play every run in ``test_file`` against ``scenario`` and check its expectations."""
    results: dict[str, RunResult] = {}
    for run in test_file.tests.runs:
        result = RunResult(run.name, run.seed)
        results[run.name] = result
        try:
            session = play_run(scenario, run, rules)
        except StepError as error:
            result.failures.append(str(error))
            continue
        result.ending = session.ending.id if session.ending else None
        result.card = score_session(session)
        result.failures += _unmet(run, session, result)
    for run in test_file.tests.runs:
        result = results[run.name]
        for other in run.expect.beats:
            result.failures += _not_beaten(result, results[other])
    return list(results.values())


def _unmet(run: ScriptedRun, session: Session, result: RunResult) -> Iterator[str]:
    expect = run.expect
    if expect.ending is not None and result.ending != expect.ending:
        yield f"ended with '{result.ending}' at minute {session.minute}, expected '{expect.ending}'"
    fired = session.fired
    for branch in expect.fired:
        if branch not in fired:
            yield f"branch '{branch}' did not fire (fired: {', '.join(fired) or 'none'})"
    for branch in expect.not_fired:
        if branch in fired:
            yield f"branch '{branch}' fired, expected it not to"
    scores = result.scores()
    for name, allowed in expect.scores.items():
        if not allowed.min <= scores[name] <= allowed.max:
            yield f"{name} {scores[name]} is outside {allowed.min} to {allowed.max}"


def _not_beaten(result: RunResult, other: RunResult) -> Iterator[str]:
    mine, theirs = result.scores(), other.scores()
    if not mine or not theirs:
        if result.passed:
            yield f"cannot compare with '{other.name}': one of the runs did not finish"
        return
    for name in ("speed", "empathy", "honesty"):
        if mine[name] <= theirs[name]:
            yield f"does not beat '{other.name}' on {name}: {mine[name]} vs {theirs[name]}"


@dataclass
class FileOutcome:
    """All runs of one test file, or why the file could not be run."""

    path: Path
    scenario_id: str | None = None
    problems: list[str] = field(default_factory=list)
    results: list[RunResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems and all(result.passed for result in self.results)


def run_test_file(path: Path, rules: Rules | None = None) -> FileOutcome:
    """Load a test file and its scenario, check references, and play every run."""
    outcome = FileOutcome(path)
    try:
        test_file = load_tests(path)
        scenario = load_scenario(test_file.scenario_path)
    except DataFileError as error:
        outcome.problems = [problem.describe(error.path) for problem in error.problems]
        return outcome
    outcome.scenario_id = scenario.id
    references = check_references(test_file, scenario)
    if references:
        outcome.problems = [problem.describe(path) for problem in references]
        return outcome
    outcome.results = run_tests(test_file, scenario, rules)
    return outcome


@dataclass(frozen=True)
class Discovery:
    """Which test files to run, scenarios in folders that have none, and named paths that cannot be tested."""

    test_files: list[Path]
    untested: list[Path]
    errors: list[str]


def discover(paths: Iterable[Path]) -> Discovery:
    """Test files for scenario files, test files and folders (searched recursively)."""
    found: list[Path] = []
    untested: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.rglob("*.test.y*ml"))
            untested += [p for p in sorted(path.rglob("*.y*ml")) if not is_test_file(p) and not tests_path_for(p).exists()]
        elif not path.exists():
            errors.append(f"{path}: no such file or folder")
        elif is_test_file(path):
            found.append(path)
        elif tests_path_for(path).exists():
            found.append(tests_path_for(path))
        else:
            errors.append(f"{path}: no scenario tests; write them in {tests_path_for(path).name} (crisis-sim new shows how)")
    return Discovery(list(dict.fromkeys(found)), untested, errors)
