"""The ``crisis-sim`` command: play (the default), scores, scenarios and validate."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import __version__
from .config import DEFAULT_SPEED, GameConfig, default_scenario_dir
from .engine import DataFileError, Scenario, load_rules, load_scenario, load_scenarios
from .scoreboard import DB_ENV, Scoreboard, ScoreboardError, default_db_path, rankings

console = Console()
errors = Console(stderr=True, soft_wrap=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisis-sim",
        description="A terminal game that trains you to handle a social-media crisis.",
    )
    parser.add_argument("--version", action="version", version=f"crisis-sim {__version__}")
    parser.add_argument("--db", type=Path, help=f"scoreboard file (default: ${DB_ENV} or {default_db_path()})")
    parser.add_argument("--scenarios", type=Path, help=f"folder of scenario YAML files (default: {default_scenario_dir()})")
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

    scores = commands.add_parser("scores", help="show the scoreboard")
    scores.add_argument("--scenario", help="only this scenario id")

    history = commands.add_parser("history", help="recent sessions, or every scored moment of one")
    history.add_argument("result", nargs="?", type=int, help="a result number: show its scored moments")
    history.add_argument("--player", help="only this player's sessions")
    history.add_argument("--limit", type=int, default=20, help="how many sessions (default: 20)")
    rate = commands.add_parser("rate", help="score replies: JSON Lines on stdin, one JSON line per reply on stdout")
    rate.add_argument("--rules", type=Path, help="scoring rules YAML (default: the built-in rules)")

    commands.add_parser("scenarios", help="list the scenarios you can play")

    validate = commands.add_parser("validate", help="check scenario files and report every problem")
    validate.add_argument("files", nargs="*", type=Path, help="files to check (default: the scenario folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "play"
    try:
        if command == "rate":
            from .rate import run  # the scorer alone: no Textual

            return run(args, lambda: load_library(args)[0])
        if command == "scores":
            return show_scores(args)
        if command == "history":
            return show_history(args)
        if command == "scenarios":
            return list_scenarios(args)
        if command == "validate":
            return validate(args)
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
        scenario_dir=args.scenarios or default_scenario_dir(),
        rules=load_rules(args.rules) if getattr(args, "rules", None) else load_rules(),
        db_path=args.db or default_db_path(),
        player=getattr(args, "player", ""),
        team=getattr(args, "team", ""),
        seed=getattr(args, "seed", None),
        minutes_per_second=getattr(args, "speed", DEFAULT_SPEED),
        start_scenario=start,
    )
    from .tui.app import CrisisSimApp  # Textual loads only when playing

    CrisisSimApp(config).run()
    return 0


def show_scores(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    results = rankings(path, args.scenario)
    if not results:
        console.print(f"No results yet in {path}. Play a scenario first: crisis-sim play")
        return 0
    for ranking in results:
        table = Table(title=f"{ranking.title} — players", title_justify="left")
        for column in ("#", "Player", "Team", "Best", "Plays", "Last played"):
            table.add_column(column, justify="right" if column in ("#", "Best", "Plays") else "left")
        for rank, row in enumerate(ranking.players, 1):
            table.add_row(str(rank), row["player"], row["team"], str(row["best"]), str(row["plays"]), row["last_played"])
        console.print(table)
        teams = Table(title=f"{ranking.title} — teams (average)", title_justify="left")
        for column in ("#", "Team", "Overall", "Speed", "Empathy", "Honesty", "Players", "Plays"):
            teams.add_column(column, justify="left" if column == "Team" else "right")
        for rank, row in enumerate(ranking.teams, 1):
            teams.add_row(
                str(rank), row["team"], *(f"{row[c]:.1f}" for c in ("overall", "speed", "empathy", "honesty")),
                str(row["players"]), str(row["plays"]),
            )  # fmt: skip
        console.print(teams)
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
    """The scenario folder's scenarios, and the files that could not be loaded."""
    return load_scenarios(args.scenarios or default_scenario_dir())


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
    if args.files:
        problems: list[DataFileError] = []
        for path in args.files:
            try:
                load_scenario(path)
                console.print(f"[green]ok[/] {path}", highlight=False)
            except DataFileError as error:
                problems.append(error)
    else:
        scenarios, problems = load_library(args)
        for scenario in scenarios:
            console.print(f"[green]ok[/] {scenario.id}", highlight=False)
    for problem in problems:
        errors.print(f"[bold red]invalid:[/] {problem}", highlight=False)
    return 1 if problems else 0

