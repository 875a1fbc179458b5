"""After-action reports: ``crisis-sim report ID|--cohort NAME --format md|html [-o FILE]``.

A report holds the scores, the ending, the timeline of what the player did,
the moments that earned or cost points and the scenario's model replies. The
HTML is one self-contained file (inline style, no scripts, nothing fetched)
so it opens offline; every string from players, scenarios or files is
escaped for the format it goes into.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .engine import CATEGORIES, Rules, Scenario
from .timeline import Replay, ReplayError, clean, replay_saved

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")  # < > & become entities first
STYLE = """
body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1b1f23;line-height:1.45}
h1,h2,h3{line-height:1.2} h2{border-top:2px solid #ddd;padding-top:1em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0 1em} th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f4f6} td.num{text-align:right} .gain{color:#116329;font-weight:bold} .loss{color:#b42318;font-weight:bold}
.note{color:#8a6100} .quote{font-style:italic} .model{color:#116329}
"""


@dataclass(frozen=True)
class Scored:
    """A moment as reports show it, from a replay or from the saved moments."""

    minute: int | None
    category: str
    points: int
    text: str


@dataclass(frozen=True)
class ResultReport:
    """One saved result, replayed when its run is stored; ``problem`` says why it was not."""

    saved: Mapping[str, Any]
    moments: tuple[Scored, ...]
    replay: Replay | None
    problem: str | None


def report_of(saved: Mapping[str, Any], saved_moments: Sequence[Mapping[str, Any]], scenarios: Sequence[Scenario], rules: Rules | None) -> ResultReport:
    """Replay ``saved`` when possible; otherwise report what the scoreboard kept."""
    try:
        replayed = replay_saved(saved, scenarios, rules)
    except ReplayError as error:
        kept = tuple(Scored(m["minute"], m["category"], m["points"], m["text"]) for m in saved_moments)
        return ResultReport(saved, kept, None, str(error))
    moments = tuple(Scored(m.minute, m.category, m.points, m.text) for m in replayed.scorecard.moments)
    return ResultReport(saved, moments, replayed, None)


def timeline_rows(report: ResultReport) -> list[tuple[int, str, str, str]]:
    """(minute, who, what, points) for each scripted beat and each thing the player did."""
    if report.replay is None:
        return []
    rows = []
    for step in report.replay.steps:
        rows += [(step.minute, "news", clean(n.text), "") for n in step.notices]
        for index, answer in enumerate(step.answers):
            response = answer.response
            target = f" to {clean(answer.post.handle)}" if answer.post else ""
            said = f': "{clean(response.text)}"' if response.text else ""
            points = f"{step.points:+d}" if step.moments and index == 0 else ""  # the minute's points, shown once
            rows.append((step.minute, "player", f"{response.action.label}{target}{said}", points))
    return rows


def model_reply_rows(report: ResultReport) -> list[tuple[str, str, str]]:
    """(handle, post, model reply) for each scripted post the scenario has a model reply to."""
    if report.replay is None:
        return []
    return [
        (clean(post.handle), clean(post.text), clean(reply))
        for post in report.replay.session.posts
        if (reply := report.replay.model_reply(post))
    ]


def minute_label(minute: int | None) -> str:
    """``end`` for moments scored on the run as a whole."""
    return "end" if minute is None else str(minute)


# --- Markdown -----------------------------------------------------------------


def md(text: object) -> str:
    """Player or scenario text as literal Markdown: no markup, no raw HTML, one line."""
    flat = " ".join(clean(text).split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def md_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table whose cells are escaped text."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(title: str, reports: Sequence[ResultReport]) -> str:
    """The report as Markdown, for a wiki or a pull request."""
    lines = [f"# {md(title)}", "", f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {len(reports)} result(s)", ""]
    lines += ["## Summary", ""]
    lines += md_table(("#", "Player", "Team", "Scenario", "Ending", "Overall", *(c.capitalize() for c in CATEGORIES)), summary_rows(reports))
    for report in reports:
        saved = report.saved
        lines += [f"## #{saved['id']} {md(saved['player'])} ({md(saved['team'])}) · {md(saved['scenario_title'])}", ""]
        lines += [f"**Ending:** {md(saved['ending'])}  ", f"**Overall:** {saved['overall']}/100 · " + " · ".join(f"{c} {saved[c]}" for c in CATEGORIES), ""]
        for note in [report.problem] if report.problem else report.replay.warnings if report.replay else []:
            lines += [f"> {md(note)}", ""]
        if rows := timeline_rows(report):
            lines += ["### Timeline", "", *md_table(("Minute", "Who", "What", "Points"), rows)]
        lines += ["### Moments that earned or cost points", ""]
        lines += md_table(("Minute", "Category", "Points", "Why"), [(minute_label(m.minute), m.category, f"{m.points:+d}", m.text) for m in report.moments if m.points])
        if replies := model_reply_rows(report):
            lines += ["### Model replies", "", *md_table(("Post by", "Post", "Model reply"), replies)]
    return "\n".join(lines)


def summary_rows(reports: Sequence[ResultReport]) -> list[tuple[object, ...]]:
    """One row per result for the summary table: who, what, how it ended and the scores."""
    return [
        (r.saved["id"], r.saved["player"], r.saved["team"], r.saved["scenario_title"], r.saved["ending"], r.saved["overall"], *(r.saved[c] for c in CATEGORIES))
        for r in reports
    ]


# --- HTML -----------------------------------------------------------------------


def h(text: object) -> str:
    """Text escaped for HTML, without control characters."""
    return html.escape(clean(text))


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int] = ()) -> str:
    """An HTML table whose cells are escaped text; ``numeric`` columns are right-aligned."""
    head = "".join(f"<th>{h(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(html_cell(cell, index in numeric) for index, cell in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_cell(cell: object, numeric: bool) -> str:
    """A table cell; numeric cells are right-aligned and points coloured by sign."""
    if not numeric:
        return f"<td>{h(cell)}</td>"
    points = str(cell)
    style = " gain" if re.fullmatch(r"\+[1-9]\d*", points) else " loss" if re.fullmatch(r"-\d+", points) else ""
    return f'<td class="num{style}">{h(cell)}</td>'


def render_html(title: str, reports: Sequence[ResultReport]) -> str:
    """The report as one HTML page with its style inline: nothing to fetch, so it opens offline."""
    parts = [
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{h(title)}</title><style>{STYLE}</style></head><body>',
        f"<h1>{h(title)}</h1><p>Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {len(reports)} result(s)</p>",
        "<h2>Summary</h2>",
        html_table(("#", "Player", "Team", "Scenario", "Ending", "Overall", *(c.capitalize() for c in CATEGORIES)), summary_rows(reports), numeric=(0, 5, 6, 7, 8)),
    ]
    for report in reports:
        saved = report.saved
        parts.append(f"<h2>#{h(saved['id'])} {h(saved['player'])} ({h(saved['team'])}) · {h(saved['scenario_title'])}</h2>")
        scores = " · ".join(f"{h(c)} {h(saved[c])}" for c in CATEGORIES)
        parts.append(f"<p><b>Ending:</b> {h(saved['ending'])}<br><b>Overall:</b> {h(saved['overall'])}/100 · {scores}</p>")
        for note in [report.problem] if report.problem else report.replay.warnings if report.replay else []:
            parts.append(f'<p class="note">{h(note)}</p>')
        if rows := timeline_rows(report):
            parts += ["<h3>Timeline</h3>", html_table(("Minute", "Who", "What", "Points"), rows, numeric=(0, 3))]
        scored = [(minute_label(m.minute), m.category, f"{m.points:+d}", m.text) for m in report.moments if m.points]
        parts += ["<h3>Moments that earned or cost points</h3>", html_table(("Minute", "Category", "Points", "Why"), scored, numeric=(0, 2))]
        if replies := model_reply_rows(report):
            parts += ["<h3>Model replies</h3>", html_table(("Post by", "Post", "Model reply"), replies)]
    parts.append("</body></html>\n")
    return "\n".join(parts)


RENDERERS = {"md": render_markdown, "html": render_html}


def report_command(args: argparse.Namespace) -> int:
    """Write the report of one result or a whole cohort to ``-o FILE`` or standard output."""
    from .cli import load_library
    from .engine import load_rules
    from .leaderboard import address_of, shown_address
    from .store import Filters, is_postgres, open_store

    address = address_of(args)
    if (args.result is None) == (args.cohort is None):
        print("error: give a result number or --cohort NAME (one of them)", file=sys.stderr)
        return 2
    if not is_postgres(address) and not Path(address).exists():
        print(f"error: there is no scoreboard at {shown_address(address)}", file=sys.stderr)
        return 2
    with open_store(address) as store:
        if args.result is not None:
            found = store.result(args.result)
            chosen = [found] if found is not None else []
            title = f"After-action report: result #{args.result}"
        else:
            chosen = store.results(Filters(cohort=args.cohort))[::-1]  # oldest first, as they were played
            title = f"After-action report: {args.cohort}"
        if not chosen:
            what = f"result #{args.result}" if args.result is not None else f"results in cohort '{clean(args.cohort)}'"
            print(f"error: there are no {what} in {shown_address(address)}", file=sys.stderr)
            return 2
        scenarios, _ = load_library(args)
        rules = load_rules(args.rules) if args.rules else None
        reports = [report_of(saved, store.moments(saved["id"]), scenarios, rules) for saved in chosen]
    text = RENDERERS[args.format](title, reports)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    output: Path = args.output
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"error: cannot write {clean(output)}: {clean(error.strerror or error)}", file=sys.stderr)
        return 1
    print(f"Wrote the report of {len(reports)} result(s) to {clean(output)}")
    return 0
