"""The ``crisis-sim`` command: play (the default), scores, scenarios and validate."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import __version__
from .config import DEFAULT_SPEED, SCENARIOS_ENV, GameConfig, builtin_scenario_dir
from .engine import DataFileError, Scenario, load_rules, load_scenario
from .leaderboard import add_filter_options
from .scoreboard import DB_ENV, Scoreboard, ScoreboardError, default_db_path
from .store import default_address

console = Console()
errors = Console(stderr=True, soft_wrap=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisis-sim",
        description="A terminal game that trains you to handle a social-media crisis.",
    )
    parser.add_argument("--version", action="version", version=f"crisis-sim {__version__}")
    parser.add_argument(
        "--db", type=db_address, help=f"scoreboard file or postgresql:// address (default: ${DB_ENV} or {default_db_path()})"
    )
    parser.add_argument(
        "--scenarios", type=Path, action="append", default=[], metavar="DIR",
        help=f"another folder of scenario YAML files (repeatable; also ${SCENARIOS_ENV}); the built-in ones always load",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", help="play a scenario (the default)")
    play.add_argument("scenario", nargs="?", help="scenario id, or the path of a scenario YAML file")
    play.add_argument("--player", default="", help="your name on the scoreboard")
    play.add_argument("--team", default="", help="your team on the scoreboard")
    play.add_argument("--seed", type=int, help="seed for a reproducible run (same seed, same crisis)")
    play.add_argument(
        "--speed", type=float, default=DEFAULT_SPEED, help=f"game minutes per real second (default: {DEFAULT_SPEED})"
    )
    play.add_argument("--rules", type=Path, help="scoring rules YAML (default: the built-in rules)")
    play.add_argument("--cohort", default="", help="workshop or class to tag your results with, e.g. 2026-11-acme")
    play.add_argument("--served", action="store_true", help=argparse.SUPPRESS)  # set by serve: hide server paths
    play.add_argument("--watch", action="store_true", help="with a scenario FILE: reload it and restart the run whenever it is saved")
    play.add_argument(
        "--from", dest="from_minute", type=int, metavar="MINUTE",
        help="with a scenario FILE: start at MINUTE, as its scenario test's good run played it (or a silent run)",
    )  # fmt: skip
    play.add_argument("--run", default="good", help="with --from: the scenario test run to replay (default: good)")

    replay = commands.add_parser("replay", help="step through a saved result's timeline, minute by minute")
    replay.add_argument("result", type=int, help="the result number (see: crisis-sim history)")
    replay.add_argument("--crowd", action="store_true", help="show every crowd post too, not only those the player acted on")
    replay.add_argument("--rules", type=Path, help="the scoring rules the result was played with (default: the built-in rules)")

    report = commands.add_parser("report", help="write an after-action report of one result or a whole cohort")
    report.add_argument("result", nargs="?", type=int, help="the result number (see: crisis-sim history)")
    report.add_argument("--cohort", help="report every result of this workshop or class instead")
    report.add_argument("--format", choices=("md", "html"), default="md", help="Markdown or one self-contained HTML file (default: md)")
    report.add_argument("-o", "--output", type=Path, help="write to this file (default: print it)")
    report.add_argument("--rules", type=Path, help="the scoring rules the results were played with (default: the built-in rules)")

    serve = commands.add_parser("serve", help="run a workshop: play in web browsers, one scoreboard for the room")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--public-url", help="the address other laptops open, e.g. http://192.0.2.10:8000 (needed with --host)")
    serve.add_argument("--max-sessions", type=int, default=20, help="players at once; the next tab is told the workshop is full (default: 20)")
    serve.add_argument("--token", nargs="?", const="", help="require this token in the join address (no value: make one up)")
    serve.add_argument("--cohort", default="", help="tag every result of this workshop, to rank the class alone")
    serve.add_argument("--speed", type=float, help="game minutes per real second for every player")

    scores = commands.add_parser("scores", help="leaderboards; export and import results")
    add_filter_options(scores)
    scores.add_argument("--format", choices=("table", "csv", "json"), default="table", help="how to print (default: table)")
    scores.add_argument("--limit", type=int, default=10, help="players shown per scenario version and speed (default: 10)")
    moves = scores.add_subparsers(dest="scores_command", metavar="ACTION")
    export = moves.add_parser("export", help="write results to a file another scoreboard can import")
    export.add_argument("file", type=Path, help="the JSON file to write, or - for standard output")
    add_filter_options(export)
    imports = moves.add_parser("import", help="add results from export files; duplicates are skipped, conflicts reported")
    imports.add_argument("files", nargs="+", type=Path, help="files written by crisis-sim scores export (or unsaved-result files)")

    history = commands.add_parser("history", help="recent sessions, or every scored moment of one")
    history.add_argument("result", nargs="?", type=int, help="a result number: show its scored moments")
    history.add_argument("--player", help="only this player's sessions")
    history.add_argument("--limit", type=int, default=20, help="how many sessions (default: 20)")

    commands.add_parser("scenarios", help="list the scenarios you can play")

    validate = commands.add_parser("validate", help="check scenario files and folders and report every problem")
    validate.add_argument("files", nargs="*", type=Path, metavar="PATH", help="files or folders to check (default: every scenario folder)")
    validate.add_argument("--strict", action="store_true", help="warnings are errors, and ideal play must beat defensive and silent play")

    test = commands.add_parser("test", help="play the scripted runs in scenario tests (NAME.test.yaml) and check what follows")
    test.add_argument("paths", nargs="+", type=Path, metavar="SCENARIO|FOLDER", help="scenario files, test files or folders")

    simulate = commands.add_parser("simulate", help="let bot players play a scenario and compare their scores")
    simulate.add_argument("scenario", help="scenario id, or the path of a scenario YAML file")
    simulate.add_argument("--policy", choices=["ideal", "defensive", "silent", "random"], help="only this bot (default: all)")
    simulate.add_argument("--runs", type=int, default=10, help="runs per policy (default: 10)")
    simulate.add_argument("--seed", type=int, default=0, help="seed of the first run (default: 0)")

    graph = commands.add_parser("graph", help="print a scenario's branch graph (Mermaid or Graphviz), or browse it as a tree")
    graph.add_argument("scenario", help="scenario id, or the path of a scenario YAML file")
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help="output format (default: mermaid)")
    graph.add_argument("--tui", action="store_true", help="browse the graph as a tree in the terminal instead")

    new = commands.add_parser("new", help="write a commented starter scenario NAME.yaml and its tests NAME.test.yaml")
    new.add_argument("name", help="the scenario id, e.g. late-parcel")
    new.add_argument("--dir", type=Path, default=Path("."), help="folder to write into (default: the current folder)")
    return parser


def db_address(text: str) -> Path | str:
    """``--db``: a postgresql:// address as it is, anything else as a file path."""
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text).expanduser()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "play"
    try:
        if command == "scores":
            from . import leaderboard

            if args.scores_command == "export":
                return leaderboard.export_command(args)
            if args.scores_command == "import":
                return leaderboard.import_command(args)
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
    except (ScoreboardError, DataFileError) as error:
        errors.print(f"[bold red]error:[/] {error}", markup=True, highlight=False)
        return 1


def play(args: argparse.Namespace) -> int:
    scenarios, problems = load_library(args)
    start = getattr(args, "scenario", None)
    if start and start.endswith((".yaml", ".yml")):
        chosen = load_scenario(Path(start))
        scenarios = [s for s in scenarios if s.id != chosen.id] + [chosen]
        start = chosen.id
    elif start and not any(s.id == start for s in scenarios):
        known = ", ".join(s.id for s in scenarios) or "none"
        errors.print(f"[bold red]error:[/] unknown scenario '{start}'. Available: {known}", highlight=False)
        return 2
    config = GameConfig(
        scenarios=scenarios,
        scenario_errors=problems,
        scenario_dir=builtin_scenario_dir(),
        rules=load_rules(args.rules) if getattr(args, "rules", None) else load_rules(),
        db_path=args.db or default_address(),
        player=getattr(args, "player", ""),
        team=getattr(args, "team", ""),
        seed=getattr(args, "seed", None),
        minutes_per_second=getattr(args, "speed", DEFAULT_SPEED),
        start_scenario=start,
        cohort=getattr(args, "cohort", ""),
        served=getattr(args, "served", False),
    )
    if getattr(args, "watch", False) or getattr(args, "from_minute", None) is not None:
        from .authoring import commands as authoring

        if not authoring.prepare_trainer_play(args, config):
            return 2
    from .tui.app import CrisisSimApp  # Textual loads only when playing

    CrisisSimApp(config).run()
    return 0


def show_history(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    if not path.exists():
        console.print(f"No results yet in {path}. Play a scenario first: crisis-sim play")
        return 0
    board = Scoreboard(path)
    if args.result is not None:
        return show_result(board, args.result)
    rows = board.history(args.player, args.limit)
    table = Table(title="Recent sessions", title_justify="left")
    for column in ("#", "Played", "Player", "Team", "Scenario", "Overall", "Sp/Em/Ho", "Seed"):
        table.add_column(column, justify="left" if column in ("Played", "Player", "Team", "Scenario") else "right", no_wrap=column == "Played")
    for row in rows:
        table.add_row(
            str(row["id"]), row["played_at"][5:16].replace("T", " "), row["player"], row["team"], row["scenario_title"],
            str(row["overall"]), f"{row['speed']}/{row['empathy']}/{row['honesty']}", str(row["seed"]),
        )  # fmt: skip
    console.print(table if rows else "No sessions match.")
    if rows:
        console.print("Show one session's scored moments with: crisis-sim history NUMBER")
    return 0


def show_result(board: Scoreboard, result_id: int) -> int:
    row = board.result(result_id)
    if row is None:
        errors.print(f"[bold red]error:[/] there is no result #{result_id} in {board.path}", highlight=False)
        return 2
    console.print(
        f"[bold]#{row['id']} {row['player']} ({row['team']}) · {row['scenario_title']} · {row['ending']}[/]\n"
        f"speed {row['speed']} · empathy {row['empathy']} · honesty {row['honesty']} · overall {row['overall']}"
        f" · seed {row['seed']}",
        highlight=False,
    )
    table = Table("Category", "Minute", "Points", "Moment")
    for moment in board.moments(result_id):
        minute = "end" if moment["minute"] is None else str(moment["minute"])
        table.add_row(moment["category"], minute, f"{moment['points']:+d}", moment["text"])
    console.print(table)
    return 0


def load_library(args: argparse.Namespace) -> tuple[list[Scenario], list[DataFileError]]:
    """The scenarios of every pack (built-in, --scenarios, $CRISIS_SIM_SCENARIOS), and the files that could not be loaded."""
    from .authoring.packs import load_library as load_packs
    from .authoring.packs import scenario_folders

    library = load_packs(scenario_folders(args.scenarios))
    return library.scenarios, library.errors


def list_scenarios(args: argparse.Namespace) -> int:
    scenarios, problems = load_library(args)
    table = Table(title="Scenarios", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=max((len(s.id) for s in scenarios), default=2))
    for column in ("title", "brand", "minutes", "summary"):
        table.add_column(column)
    for scenario in scenarios:
        table.add_row(scenario.id, scenario.title, scenario.brand.name, str(scenario.duration_minutes), scenario.summary)
    console.print(table)
    for problem in problems:
        errors.print(f"[yellow]skipped:[/] {problem}", highlight=False)
    return 0


def validate(args: argparse.Namespace) -> int:
    from .authoring import commands as authoring
    from .authoring.packs import scenario_folders

    return authoring.validate(args, scenario_folders(args.scenarios))
