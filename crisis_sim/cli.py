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
from .leaderboard import add_filter_options
from .paths import DB_ENV, default_db_path, user_data_dir
from .safe_text import clean

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .engine import DataFileError, Rules, Scenario
    from .store import Store

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
    play.add_argument("--cohort", default="", help="workshop or class to tag your results with, e.g. 2026-11-acme")
    play.add_argument("--served", action="store_true", help=argparse.SUPPRESS)  # set by serve: hide server paths
    play.add_argument("--watch", action="store_true", help="with a scenario FILE: reload it and restart the run whenever it is saved")
    play.add_argument(
        "--from", dest="from_minute", type=bounded_int(0, MAX_MINUTES, "--from"), metavar="MINUTE",
        help="with a scenario FILE: start at MINUTE, as its scenario test's good run played it (or a silent run)",
    )  # fmt: skip
    play.add_argument("--run", default="good", help="with --from: the scenario test run to replay (default: good)")

    replay = commands.add_parser("replay", parents=[places], help="step through a saved result's timeline, minute by minute")
    replay.add_argument("result", type=bounded_int(1, MAX_STORED_INTEGER, "result number"), help="the result number (see: crisis-sim history)")
    replay.add_argument("--crowd", action="store_true", help="show every crowd post too, not only those the player acted on")
    replay.add_argument("--rules", type=Path, help="the scoring rules the result was played with (default: the built-in rules)")

    report = commands.add_parser("report", parents=[places], help="write an after-action report of one result or a whole cohort")
    report.add_argument(
        "result", nargs="?", type=bounded_int(1, MAX_STORED_INTEGER, "result number"), help="the result number (see: crisis-sim history)"
    )
    report.add_argument("--cohort", help="report every result of this workshop or class instead")
    report.add_argument("--format", choices=("md", "html"), default="md", help="Markdown or one self-contained HTML file (default: md)")
    report.add_argument("-o", "--output", type=Path, help="write to this file (default: print it)")
    report.add_argument("--rules", type=Path, help="the scoring rules the results were played with (default: the built-in rules)")

    serve = commands.add_parser("serve", parents=[places], help="run a workshop: play in web browsers, one scoreboard for the room")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=bounded_int(1, 65535, "--port"), default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--public-url", help="the address other laptops open, e.g. http://192.0.2.10:8000 (needed with --host)")
    serve.add_argument(
        "--max-sessions", type=bounded_int(1, 1000, "--max-sessions"), default=20,
        help="players at once; the next tab is told the workshop is full (default: 20)",
    )  # fmt: skip
    serve.add_argument("--token", nargs="?", const="", help="require this token in the join address (no value: make one up)")
    serve.add_argument("--cohort", default="", help="tag every result of this workshop, to rank the class alone")
    serve.add_argument("--speed", type=bounded_float(MIN_SPEED, MAX_SPEED, "--speed"), help="game minutes per real second for every player")

    scores = commands.add_parser("scores", parents=[places], help="leaderboards; export and import results")
    add_filter_options(scores)
    scores.add_argument("--format", choices=("table", "csv", "json"), default="table", help="how to print (default: table)")
    scores.add_argument(
        "--limit", type=bounded_int(1, MAX_HISTORY, "--limit"), default=10, help="players shown per scenario version and speed (default: 10)"
    )
    scores_commands = scores.add_subparsers(dest="scores_command", metavar="ACTION")
    export = scores_commands.add_parser("export", parents=[places], help="write results to a file another scoreboard can import")
    export.add_argument("file", type=Path, help="the JSON file to write, or - for standard output")
    add_filter_options(export)
    imports = scores_commands.add_parser(
        "import", parents=[places], help="add results from export files; duplicates are skipped, conflicts reported"
    )
    imports.add_argument("files", nargs="+", type=Path, help="files written by crisis-sim scores export (or unsaved-result files)")
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


def db_address(text: str) -> Path | str:
    """``--db``: a postgresql:// address as it is, anything else as a file path."""
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text).expanduser()


def add_places(parser: argparse.ArgumentParser, default: object) -> None:
    """``--db`` and ``--scenarios``, accepted before and after the command."""
    parser.add_argument(
        "--db", type=db_address, default=default,
        help=f"scoreboard file or postgresql:// address (default: ${DB_ENV} or {default_db_path()})",
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
            from . import leaderboard

            if args.scores_command == "export":
                return leaderboard.export_command(args)
            if args.scores_command == "import":
                return leaderboard.import_command(args)
            if args.scores_command == "import-recovery":
                return import_recovery(args)
            for line in recover_left_behind(args=args):
                say_error("recovered:", line, "bold yellow")
            return leaderboard.scores_command(args)
        if command == "history":
            return show_history(args)
        if command == "scenarios":
            return list_scenarios(args)
        if command == "validate":
            return validate(args)
        if command == "replay":
            from .review import replay_command

            return replay_command(args)
        if command == "report":
            from .report import report_command

            return report_command(args)
        if command == "serve":
            from .workshop import serve_command

            return serve_command(args)
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


def db_path(args: argparse.Namespace) -> Path | str:
    """``--db``, else a postgresql:// ``$CRISIS_SIM_DB``, else the default scoreboard file."""
    from .store import default_address

    return args.db or default_address()


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
        cohort=getattr(args, "cohort", ""),
        served=getattr(args, "served", False),
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


def cells(*values: object) -> list[Text]:
    """Table cells as Text, so a player called ``[red]x[/]`` shows exactly that."""
    return [text(str(value)) for value in values]


def import_recovery(args: argparse.Namespace) -> int:
    from .leaderboard import shown_address
    from .scoreboard import read_unsaved
    from .store import open_store

    address = db_path(args)
    with open_store(address) as store:
        for file in args.files:
            outcome = store.import_records(read_unsaved(file))
            say(f"{file}: added {outcome.added} result(s) to {shown_address(address)}",
                f"; {outcome.unchanged} already there" if outcome.unchanged else "",
                f"; {len(outcome.conflicts)} conflict(s) left as they are" if outcome.conflicts else "",
                ". You can delete the file now." if not outcome.conflicts else ".")  # fmt: skip
    return 0


def show_history(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .leaderboard import shown_address
    from .store import Filters, is_postgres, open_store

    for line in recover_left_behind(args=args):
        say_error("recovered:", line, "bold yellow")
    address = db_path(args)
    if not is_postgres(address) and not Path(address).exists():
        say(f"No results yet in {shown_address(address)}. Play a scenario first: crisis-sim play")
        return 0
    with open_store(address) as store:
        if args.result is not None:
            return show_result(store, args.result)
        rows = store.results(Filters(player=args.player), args.limit)
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


def show_result(store: Store, result_id: int) -> int:
    from rich.table import Table

    from .leaderboard import shown_address

    row = store.result(result_id)
    if row is None:
        say_error("error:", f"there is no result #{result_id} in {shown_address(store.address)}")
        return EXIT_USAGE
    status = "" if row.status == "finished" else f" · {row.status}"
    say(
        (f"#{row.id} {row.player} ({row.team}) · {row.scenario_title} · {row.ending}{status}", "bold"),
        f"\nspeed {row.speed} · empathy {row.empathy} · honesty {row.honesty} · overall {row.overall} · seed {row.seed}",
    )
    table = Table("Category", "Minute", "Points", "Moment")
    for moment in store.moments(result_id):
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
