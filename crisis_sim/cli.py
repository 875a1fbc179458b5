"""The ``crisis-sim`` command: play (the default), scores, history, scenarios and validate.

Rules kept here:

* heavy libraries (Textual, Rich, pydantic, Faker) are imported inside the
  commands that need them, so ``--help`` starts in a blink;
* text from players, scenario files, rules files and paths is data: it is
  cleaned of control characters and shown as Rich ``Text``, never as markup;
* an unexpected error prints one line and the path of a crash report, and
  exits with ``EXIT_CRASH``, never with a raw traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import DEFAULT_SPEED, MAX_SPEED, MAX_STORED_INTEGER, MIN_SPEED, SCENARIOS_ENV, builtin_scenario_dir
from .engine.limits import MAX_MINUTES
from .paths import DB_ENV, default_db_path, user_data_dir
from .safe_text import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .engine import DataFileError, Rules, Scenario
    from .scoreboard import Scoreboard

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CRASH = 70
EXIT_INTERRUPTED = 130
MAX_HISTORY = 10_000
MAX_SIMULATED_RUNS = 10_000
"""Bot runs per policy for ``simulate``: a few seconds per hundred."""
CRASH_FOLDER = "crash-reports"


# --- argument values ----------------------------------------------------------------


def bounded_int(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type for a whole number between ``low`` and ``high``."""

    def parse(text: str) -> int:
        digits = text.strip()
        if digits.lstrip("+-").isdigit() and len(digits) > len(str(high)) + 1:  # too long for int() to bother with
            raise argparse.ArgumentTypeError(f"{what} must be between {low} and {high:,}")
        try:
            value = int(digits)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {clean(text)[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low} and {high:,}")
        return value

    return parse


def bounded_float(low: float, high: float, what: str) -> Callable[[str], float]:
    """An argparse type for a finite number between ``low`` and ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {clean(text)[:40]!r}") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low:g} and {high:g}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisis-sim",
        description="A terminal game that trains you to handle a social-media crisis.",
    )
    parser.add_argument("--version", action="version", version=f"crisis-sim {__version__}")
    add_places(parser, None)
    # The same options after the command; SUPPRESS keeps a value given before it.
    places = argparse.ArgumentParser(add_help=False)
    add_places(places, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", parents=[places], help="play a scenario (the default)")
    play.add_argument("scenario", nargs="?", help="scenario id, or the path of a scenario YAML file")
    play.add_argument("--player", default="", help="your name on the scoreboard")
    play.add_argument("--team", default="", help="your team on the scoreboard")
    play.add_argument(
        "--seed", type=bounded_int(0, MAX_STORED_INTEGER, "--seed"), help="seed for a reproducible run (same seed, same crisis)"
    )
    play.add_argument(
        "--speed", type=bounded_float(MIN_SPEED, MAX_SPEED, "--speed"), default=DEFAULT_SPEED,
        help=f"game minutes per real second, {MIN_SPEED:g} to {MAX_SPEED:g} (default: {DEFAULT_SPEED})",
    )  # fmt: skip
    play.add_argument("--rules", type=Path, help="scoring rules YAML (default: the built-in rules)")
    play.add_argument("--watch", action="store_true", help="with a scenario FILE: reload it and restart the run whenever it is saved")
    play.add_argument(
        "--from", dest="from_minute", type=bounded_int(0, MAX_MINUTES, "--from"), metavar="MINUTE",
        help="with a scenario FILE: start at MINUTE, as its scenario test's good run played it (or a silent run)",
    )  # fmt: skip
    play.add_argument("--run", default="good", help="with --from: the scenario test run to replay (default: good)")

    scores = commands.add_parser("scores", parents=[places], help="show the scoreboard")
    scores.add_argument("--scenario", help="only this scenario id")
    scores_commands = scores.add_subparsers(dest="scores_command", metavar="ACTION")
    recover = scores_commands.add_parser(
        "import-recovery", parents=[places], help="add results kept in unsaved-result files to the scoreboard"
    )
    recover.add_argument("files", nargs="+", type=Path, help="*.unsaved-*.json files named by the game")

    history = commands.add_parser("history", parents=[places], help="recent sessions, or every scored moment of one")
    history.add_argument(
        "result", nargs="?", type=bounded_int(1, MAX_STORED_INTEGER, "result number"), help="a result number: show its scored moments"
    )
    history.add_argument("--player", help="only this player's sessions")
    history.add_argument(
        "--limit", type=bounded_int(1, MAX_HISTORY, "--limit"), default=20, help="how many sessions (default: 20)"
    )
    rate = commands.add_parser("rate", parents=[places], help="score replies: JSON Lines on stdin, one JSON line per reply on stdout")
    rate.add_argument("--rules", type=Path, help="scoring rules YAML (default: the built-in rules)")

    commands.add_parser("scenarios", parents=[places], help="list the scenarios you can play")

    validate = commands.add_parser("validate", parents=[places], help="check scenario files and folders and report every problem")
    validate.add_argument("files", nargs="*", type=Path, metavar="PATH", help="files or folders to check (default: every scenario folder)")
    validate.add_argument("--strict", action="store_true", help="warnings are errors, and ideal play must beat defensive and silent play")

    test = commands.add_parser("test", parents=[places], help="play the scripted runs in scenario tests (NAME.test.yaml) and check what follows")
    test.add_argument("paths", nargs="+", type=Path, metavar="SCENARIO|FOLDER", help="scenario files, test files or folders")

    simulate = commands.add_parser("simulate", parents=[places], help="let bot players play a scenario and compare their scores")
    simulate.add_argument("scenario", help="scenario id, or the path of a scenario YAML file")
    simulate.add_argument("--policy", choices=["ideal", "defensive", "silent", "random"], help="only this bot (default: all)")
    simulate.add_argument("--runs", type=bounded_int(1, MAX_SIMULATED_RUNS, "--runs"), default=10, help="runs per policy (default: 10)")
    simulate.add_argument("--seed", type=bounded_int(0, MAX_STORED_INTEGER, "--seed"), default=0, help="seed of the first run (default: 0)")

    graph = commands.add_parser("graph", parents=[places], help="print a scenario's branch graph (Mermaid or Graphviz), or browse it as a tree")
    graph.add_argument("scenario", help="scenario id, or the path of a scenario YAML file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help="output format (default: mermaid)")
    graph.add_argument("--tui", action="store_true", help="browse the graph as a tree in the terminal instead")

    new = commands.add_parser("new", parents=[places], help="write a commented starter scenario NAME.yaml and its tests NAME.test.yaml")
    new.add_argument("name", help="the scenario id, e.g. late-parcel")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write into (default: the current folder)")
    return parser


def add_places(parser: argparse.ArgumentParser, default: object) -> None:
    """``--db`` and ``--scenarios``, accepted before and after the command."""
    parser.add_argument(
        "--db", type=Path, default=default, help=f"scoreboard file (default: ${DB_ENV} or {default_db_path()})"
    )
    parser.add_argument(
        "--scenarios", type=Path, action="append", default=default, metavar="DIR",
        help=f"another folder of scenario YAML files (repeatable; also ${SCENARIOS_ENV}); the built-in ones always load",
    )  # fmt: skip


# --- running a command ----------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a name with emoji on a Latin-1 terminal shows as '?', not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    command = args.command or "play"
    try:
        return run(command, args)
    except KeyboardInterrupt:
        print("crisis-sim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `crisis-sim scores | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as error:  # the last line of defence: one line and a report, never a traceback
        report = write_crash_report(error)
        where = f"details in {report}" if report else "no crash report could be written"
        print(clean(f"crisis-sim: unexpected error: {type(error).__name__}: {error} ({where})").replace("\n", " "), file=sys.stderr)
        return EXIT_CRASH


PLAYER_FACING_ERRORS = (("crisis_sim.scoreboard", "ScoreboardError"), ("crisis_sim.engine.datafile", "DataFileError"))
"""Errors whose message is written for the player: shown as one line, exit status 1."""


def player_facing(error: Exception) -> bool:
    """Whether ``error`` is one of PLAYER_FACING_ERRORS; a module not imported yet cannot have raised one."""
    loaded = (getattr(sys.modules[module], name) for module, name in PLAYER_FACING_ERRORS if module in sys.modules)
    return isinstance(error, tuple(loaded))


def run(command: str, args: argparse.Namespace) -> int:
    try:
        if command == "scores":
            return import_recovery(args) if args.scores_command == "import-recovery" else show_scores(args)
        if command == "history":
            return show_history(args)
        if command == "scenarios":
            return list_scenarios(args)
        if command == "validate":
            return validate(args)
        if command == "rate":
            from .rate import run as rate  # the scorer alone: no Textual

            return rate(args, lambda: load_library(args)[0])
        if command == "test":
            from .authoring import commands as authoring

            return authoring.run_tests(args)
        if command == "simulate":
            from .authoring import commands as authoring

            return authoring.with_scenario(args, load_library(args)[0], authoring.simulate)
        if command == "graph":
            from .authoring import commands as authoring

            return authoring.with_scenario(args, load_library(args)[0], authoring.graph)
        if command == "new":
            from .authoring import commands as authoring

            return authoring.new(args)
        return play(args)
    except Exception as error:
        if not player_facing(error):
            raise
        say_error("error:", str(error))
        return EXIT_ERROR


def write_crash_report(error: BaseException) -> Path | None:
    """Write the traceback to the user data folder; None if even that fails."""
    import traceback
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        folder = user_data_dir() / CRASH_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{id(error):x}.txt"
        details = "".join(traceback.format_exception(error))
        path.write_text(f"crisis-sim {__version__}\nargv: {sys.argv!r}\n\n{details}", encoding="utf-8")
    except OSError:
        return None
    return path


# --- output -----------------------------------------------------------------------------


def consoles() -> tuple[Console, Console]:
    """Standard output and standard error, made when first needed (Rich is slow to import)."""
    from rich.console import Console

    return Console(highlight=False), Console(stderr=True, soft_wrap=True, highlight=False)


def text(*parts: str | tuple[str, str]) -> Text:
    """Rich Text from plain strings or (string, style) pairs; every string is cleaned, none is markup."""
    from rich.text import Text

    return Text.assemble(*((clean(p), "") if isinstance(p, str) else (clean(p[0]), p[1]) for p in parts))


def say(*parts: str | tuple[str, str]) -> None:
    consoles()[0].print(text(*parts), soft_wrap=True)


def say_error(label: str, message: str, style: str = "bold red") -> None:
    consoles()[1].print(text((label, style), " ", message))


def recover_left_behind(rules: Rules | None = None, scenarios: list[Scenario] | None = None, args: argparse.Namespace | None = None) -> list[str]:
    """Save runs a killed game left behind; one line for each. Loads the library only when there is something to recover."""
    from .config import default_journal_dir
    from .journal import leftover_journals

    folder = default_journal_dir()
    if not leftover_journals(folder):
        return []
    from .engine import load_rules
    from .recovery import recover_runs

    if scenarios is None:
        scenarios = load_library(args)[0] if args is not None else []
    return [recovered.message for recovered in recover_runs(folder, scenarios, rules or load_rules())]


def db_path(args: argparse.Namespace) -> Path:
    return args.db or default_db_path()


# --- commands ---------------------------------------------------------------------------


def play(args: argparse.Namespace) -> int:
    from .config import GameConfig
    from .engine import load_rules, load_scenario

    scenarios, problems = load_library(args)
    start = getattr(args, "scenario", None)
    if start and start.endswith((".yaml", ".yml")):
        chosen = load_scenario(Path(start))
        scenarios = [s for s in scenarios if s.id != chosen.id] + [chosen]
        start = chosen.id
    elif start and not any(s.id == start for s in scenarios):
        known = ", ".join(s.id for s in scenarios) or "none"
        say_error("error:", f"unknown scenario '{start}'. Available: {known}")
        return EXIT_USAGE
    config = GameConfig(
        scenarios=scenarios,
        scenario_errors=problems,
        scenario_dir=builtin_scenario_dir(),
        rules=load_rules(args.rules) if getattr(args, "rules", None) else load_rules(),
        db_path=db_path(args),
        player=getattr(args, "player", ""),
        team=getattr(args, "team", ""),
        seed=getattr(args, "seed", None),
        minutes_per_second=getattr(args, "speed", DEFAULT_SPEED),
        start_scenario=start,
    )
    config.notices = recover_left_behind(config.rules, scenarios)
    if getattr(args, "watch", False) or getattr(args, "from_minute", None) is not None:
        from .authoring import commands as authoring

        if not authoring.prepare_trainer_play(args, config):
            return 2
    from .tui.app import CrisisSimApp  # Textual loads only when playing

    app = CrisisSimApp(config)
    app.run()
    if app.crash is not None:
        raise app.crash  # main() reports it in one line with a crash report
    return app.return_code or 0


def show_scores(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .scoreboard import rankings

    for line in recover_left_behind(args=args):
        say_error("recovered:", line, "bold yellow")
    path = db_path(args)
    results = rankings(path, args.scenario)
    if not results:
        say(f"No results yet in {path}. Play a scenario first: crisis-sim play")
        return 0
    out = consoles()[0]
    for ranking in results:
        table = Table(title=text(f"{ranking.title} — players"), title_justify="left")
        for column in ("#", "Player", "Team", "Best", "Plays", "Last played"):
            table.add_column(column, justify="right" if column in ("#", "Best", "Plays") else "left")
        for rank, player in enumerate(ranking.players, 1):
            table.add_row(*cells(rank, player.player, player.team, player.best, player.plays, player.last_played))
        out.print(table)
        teams = Table(title=text(f"{ranking.title} — teams (average)"), title_justify="left")
        for column in ("#", "Team", "Overall", "Speed", "Empathy", "Honesty", "Players", "Plays"):
            teams.add_column(column, justify="left" if column == "Team" else "right")
        for rank, team in enumerate(ranking.teams, 1):
            averages = (f"{value:.1f}" for value in (team.overall, team.speed, team.empathy, team.honesty))
            teams.add_row(*cells(rank, team.team, *averages, team.players, team.plays))
        out.print(teams)
    return 0


def cells(*values: object) -> list[Text]:
    """Table cells as Text, so a player called ``[red]x[/]`` shows exactly that."""
    return [text(str(value)) for value in values]


def import_recovery(args: argparse.Namespace) -> int:
    from .scoreboard import Scoreboard

    path = db_path(args)
    with Scoreboard(path) as board:
        for file in args.files:
            added, present = board.import_recovery(file)
            say(f"{file}: added {added} result(s) to {path}", f"; {present} already there" if present else "",
                ". You can delete the file now.")  # fmt: skip
    return 0


def show_history(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .scoreboard import Scoreboard

    for line in recover_left_behind(args=args):
        say_error("recovered:", line, "bold yellow")
    path = db_path(args)
    if not path.exists():
        say(f"No results yet in {path}. Play a scenario first: crisis-sim play")
        return 0
    with Scoreboard(path) as board:
        if args.result is not None:
            return show_result(board, args.result)
        rows = board.history(args.player, args.limit)
    if not rows:
        say("No sessions match.")
        return 0
    table = Table(title=text("Recent sessions"), title_justify="left")
    statuses = any(row.status != "finished" for row in rows)  # a column only when some run was interrupted
    for column in ("#", "Played", "Player", "Team", "Scenario", "Overall", "Sp/Em/Ho", "Seed", *(("Status",) if statuses else ())):
        left = column in ("Played", "Player", "Team", "Scenario", "Status")
        table.add_column(column, justify="left" if left else "right", no_wrap=column == "Played")
    for row in rows:
        table.add_row(
            *cells(row.id, row.played_at[5:16].replace("T", " "), row.player, row.team, row.scenario_title,
                   row.overall, f"{row.speed}/{row.empathy}/{row.honesty}", row.seed, *((row.status,) if statuses else ())),
        )  # fmt: skip
    consoles()[0].print(table)
    say("Show one session's scored moments with: crisis-sim history NUMBER")
    return 0


def show_result(board: Scoreboard, result_id: int) -> int:
    from rich.table import Table

    row = board.result(result_id)
    if row is None:
        say_error("error:", f"there is no result #{result_id} in {board.path}")
        return EXIT_USAGE
    status = "" if row.status == "finished" else f" · {row.status}"
    say(
        (f"#{row.id} {row.player} ({row.team}) · {row.scenario_title} · {row.ending}{status}", "bold"),
        f"\nspeed {row.speed} · empathy {row.empathy} · honesty {row.honesty} · overall {row.overall} · seed {row.seed}",
    )
    table = Table("Category", "Minute", "Points", "Moment")
    for moment in board.moments(result_id):
        minute = "end" if moment.minute is None else moment.minute
        table.add_row(*cells(moment.category, minute, f"{moment.points:+d}", moment.text))
    consoles()[0].print(table)
    return 0


def load_library(args: argparse.Namespace) -> tuple[list[Scenario], list[DataFileError]]:
    """The scenarios of every pack (built-in, --scenarios, $CRISIS_SIM_SCENARIOS), and the files that could not be loaded."""
    from .authoring.packs import load_library as load_packs
    from .authoring.packs import scenario_folders

    library = load_packs(scenario_folders(args.scenarios or []))
    return library.scenarios, library.errors


def list_scenarios(args: argparse.Namespace) -> int:
    from rich.table import Table

    scenarios, problems = load_library(args)
    table = Table(title=text("Scenarios"), title_justify="left")
    table.add_column("id", no_wrap=True, min_width=max((len(s.id) for s in scenarios), default=2))
    for column in ("title", "brand", "minutes", "summary"):
        table.add_column(column)
    for scenario in scenarios:
        table.add_row(*cells(scenario.id, scenario.title, scenario.brand.name, scenario.duration_minutes, scenario.summary))
    consoles()[0].print(table)
    for problem in problems:
        say_error("skipped:", str(problem), style="yellow")
    return 0


def validate(args: argparse.Namespace) -> int:
    from .authoring import commands as authoring
    from .authoring.packs import scenario_folders

    return authoring.validate(args, scenario_folders(args.scenarios or []))
