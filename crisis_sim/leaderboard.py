"""``crisis-sim scores``: leaderboards as a table, CSV or JSON, and moving results between scoreboards.

Only runs on the same scenario version at the same clock speed are ranked
together; each such group shows its top ``--limit`` players, so the command
stays fast however many results are stored.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from .safe_text import clean

if TYPE_CHECKING:  # the store loads when a command runs, so building the parser stays light
    from .store import Filters, PlayerPlace, TeamPlace


def day(text: str) -> str:
    """An argparse type: an ISO date, kept as text for comparing with stored times."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-30, not {clean(text)[:40]!r}") from None


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The options that pick which results a leaderboard or export covers."""
    parser.add_argument("--scenario", help="only this scenario id")
    parser.add_argument("--scenario-version", help="only this version of the scenario")
    parser.add_argument("--team", help="only this team")
    parser.add_argument("--cohort", help="only this workshop or class")
    parser.add_argument("--since", type=day, help="only results from this day on (YYYY-MM-DD)")
    parser.add_argument("--until", type=day, help="only results up to and including this day (YYYY-MM-DD)")


def filters_of(args: argparse.Namespace) -> Filters:
    """The filter options as store filters; ``--until`` includes its day."""
    from .store import Filters

    until = getattr(args, "until", None)
    return Filters(
        scenario=getattr(args, "scenario", None),
        scenario_version=getattr(args, "scenario_version", None),
        team=getattr(args, "team", None),
        cohort=getattr(args, "cohort", None),
        since=getattr(args, "since", None),
        until=(date.fromisoformat(until) + timedelta(days=1)).isoformat() if until else None,
    )


def address_of(args: argparse.Namespace) -> str | Path:
    """``--db``, else ``$CRISIS_SIM_DB``, else the default scoreboard file."""
    from .store import default_address

    return args.db or default_address()


def shown_address(address: str | Path) -> str:
    """The scoreboard's address as it may be printed: a PostgreSQL password never is."""
    from .store import is_postgres

    if is_postgres(address):
        from .store.postgres import without_password

        return clean(without_password(str(address)))
    return clean(str(address))


def group_title(row: PlayerPlace | TeamPlace) -> str:
    """``Flight 1172 · version 2 · 0.5 min/s``: what a ranked group has in common."""
    speed = "any speed" if row.minutes_per_second is None else f"{row.minutes_per_second:g} min/s"
    version = "version ?" if row.scenario_version is None else f"version {row.scenario_version}"
    return f"{row.scenario_title} · {version} · {speed}"


def group_key(row: PlayerPlace | TeamPlace) -> tuple[str, str, float]:
    """The like-with-like group a row is ranked in."""
    return row.scenario_id, row.scenario_version or "", row.minutes_per_second or 0.0


def print_tables(players: Sequence[PlayerPlace], teams: Sequence[TeamPlace]) -> None:
    """Each group's players, then its teams, as Rich tables of plain text."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    teams_by_group = {key: list(rows) for key, rows in groupby(teams, key=group_key)}
    for key, rows in groupby(players, key=group_key):
        group = list(rows)
        table = Table(title=Text(f"{clean(group_title(group[0]))} — players"), title_justify="left")
        for column in ("#", "Player", "Team", "Best", "Plays", "Last played"):
            table.add_column(column, justify="right" if column in ("#", "Best", "Plays") else "left")
        for row in group:
            table.add_row(
                str(row.place), Text(clean(row.player)), Text(clean(row.team)), str(row.best), str(row.plays),
                Text(clean(row.last_played)[:16].replace("T", " ")),
            )  # fmt: skip
        console.print(table)
        team_table = Table(title=Text(f"{clean(group_title(group[0]))} — teams (average)"), title_justify="left")
        for column in ("#", "Team", "Overall", "Speed", "Empathy", "Honesty", "Players", "Plays"):
            team_table.add_column(column, justify="left" if column == "Team" else "right")
        for place, row in enumerate(teams_by_group.get(key, []), 1):
            averages = (f"{getattr(row, c):.1f}" for c in ("overall", "speed", "empathy", "honesty"))
            team_table.add_row(str(place), Text(clean(row.team)), *averages, str(row.players), str(row.plays))
        console.print(team_table)


def as_csv(players: Sequence[PlayerPlace]) -> str:
    """One row per ranked player; spreadsheet formulas in names are defused with a leading quote."""
    from .store import PlayerPlace

    out = io.StringIO()
    names = [f.name for f in dataclasses.fields(PlayerPlace)]
    writer = csv.writer(out)
    writer.writerow(names)
    for row in players:
        writer.writerow([defuse(getattr(row, name)) for name in names])
    return out.getvalue()


def defuse(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str):
        value = clean(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def scores_command(args: argparse.Namespace) -> int:
    """Print the leaderboards: top ``--limit`` players per like-with-like group, and team averages."""
    from .store import Filters, is_postgres, open_store

    address = address_of(args)
    if not is_postgres(address) and not Path(address).exists():
        print(f"No results yet in {shown_address(address)}. Play a scenario first: crisis-sim play")
        return 0
    filters = filters_of(args)
    with open_store(address) as store:
        players = store.leaderboard(filters, args.limit)
        teams = store.team_board(filters)
    if args.format == "json":
        data = {"players": [dataclasses.asdict(p) for p in players], "teams": [dataclasses.asdict(t) for t in teams]}
        sys.stdout.write(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        sys.stdout.write(as_csv(players))
    elif players:
        print_tables(players, teams)
    else:
        print("No results match." if filters != Filters() else f"No results yet in {shown_address(address)}.")
    return 0


def export_command(args: argparse.Namespace) -> int:
    """Write the matching results, with their moments, responses and runs, to one JSON file (``-`` for standard output)."""
    from .store import is_postgres, open_store
    from .store.base import export_text

    address = address_of(args)
    if not is_postgres(address) and not Path(address).exists():
        print(f"error: there is no scoreboard at {shown_address(address)}", file=sys.stderr)
        return 2
    with open_store(address) as store:
        records = list(store.export_records(filters_of(args)))
    text = export_text(records)
    if str(args.file) == "-":
        sys.stdout.write(text + "\n")
        return 0
    target: Path = args.file
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(text + "\n", encoding="utf-8")
        os.replace(partial, target)
    except OSError as error:
        print(f"error: cannot write {clean(str(target))}: {clean(error.strerror or str(error))}", file=sys.stderr)
        return 1
    print(f"Exported {len(records)} result(s) to {clean(str(target))}")
    return 0


def import_command(args: argparse.Namespace) -> int:
    """Add the results of export (or unsaved-result) files; duplicates are skipped, conflicts reported and left alone."""
    from .store import open_store
    from .store.base import read_export

    records = []
    for path in args.files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print(f"error: cannot read {clean(str(path))}: {clean(str(error))}. Nothing was imported.", file=sys.stderr)
            return 1
        records += read_export(text, clean(str(path)))
    address = address_of(args)
    with open_store(address) as store:
        outcome = store.import_records(records)  # one uid twice in the files: the second is compared with the first
    print(
        f"Imported into {shown_address(address)}: {outcome.added} added, {outcome.unchanged} already there"
        + (f", {len(outcome.conflicts)} conflict(s)" if outcome.conflicts else "")
    )
    for uid in outcome.conflicts:
        print(
            f"conflict: result {clean(uid)} is already on this scoreboard with different content; it was left as it is",
            file=sys.stderr,
        )
    return 1 if outcome.conflicts else 0

