"""``crisis-sim replay ID``: a saved result's timeline in the terminal, minute by minute."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.text import Text

from .timeline import Answer, Replay, ReplayError, Step, clean, replay_saved

SENTIMENT_MARK = {"angry": ("!!", "bold red"), "negative": ("!", "dark_orange"), "neutral": ("·", "grey62"), "positive": ("+", "green")}


def answer_line(answer: Answer) -> Text:
    """``you posted a public reply to @maya: "…"``."""
    response = answer.response
    target = f" to {clean(answer.post.handle)}" if answer.post else " to everyone" if response.action.spec.public else ""
    line = Text.assemble(("you: ", "bold cyan"), f"{response.action.label}{target}")
    if response.channel:
        line.append(f" by {response.channel.label}")
    if response.role:
        line.append(f" to the {response.role.label}")
    if response.text:
        line.append(f': "{clean(response.text)}"', style="italic")
    return line


def points_text(points: int) -> Text:
    return Text(f"{points:+d}", style="bold green" if points > 0 else "bold red" if points < 0 else "grey62")


def step_lines(step: Step, replayed: Replay, all_posts: bool = True) -> Iterator[Text]:
    """What the player saw at this minute, what they did, and what it scored.

    Without ``all_posts`` the crowd's posts are left out unless the player acted on them.
    """
    for notice in step.notices:
        yield Text.assemble(("  news: ", "bold"), clean(notice.text))
    session = replayed.session
    for post in step.posts if all_posts else [p for p in step.posts if p.scripted or session.responses_to(p.id)]:
        mark, style = SENTIMENT_MARK[post.sentiment.value]
        yield Text.assemble("  ", (f"{mark:>2}", style), f" {clean(post.handle)}: ", clean(post.text))
        reply = replayed.model_reply(post)
        if reply:
            yield Text.assemble("     ", ("model reply: ", "green"), clean(reply))
    for answer in step.answers:
        yield Text.assemble("  ", answer_line(answer))
    for moment in step.moments:
        yield Text.assemble("     ", points_text(moment.points), f" {moment.category}: ", clean(moment.text))


def headline(replayed: Replay) -> Text:
    """Who played what, how it ended and the scores."""
    saved, card = replayed.saved, replayed.scorecard
    scenario = replayed.session.scenario
    line = Text.assemble(
        (f"#{saved['id']} {clean(saved['player'])} ({clean(saved['team'])})", "bold"),
        f" · {clean(scenario.title)} v{clean(scenario.version)} · {clean(saved['ending'])}\n",
        f"overall {card.overall} · speed {card['speed']} · empathy {card['empathy']} · honesty {card['honesty']}",
        f" · seed {replayed.session.seed} · played {clean(saved['played_at'])[:16].replace('T', ' ')}",
    )
    for warning in replayed.warnings:
        line.append(f"\nnote: {warning}", style="yellow")
    return line


def timeline_view(replayed: Replay, all_posts: bool) -> RenderableType:
    """The whole run, one block per minute in which something happened."""
    parts: list[RenderableType] = [headline(replayed)]
    for step in replayed.steps:
        lines = list(step_lines(step, replayed, all_posts))
        if lines:
            parts.append(Text.assemble(("\nminute ", "bold"), (str(step.minute), "bold"), "  ", points_text(step.points) if step.moments else ""))
            parts.extend(lines)
    if replayed.end_moments:
        parts.append(Text("\nat the end", style="bold"))
        parts.extend(Text.assemble("     ", points_text(m.points), f" {m.category}: ", clean(m.text)) for m in replayed.end_moments)
    return Group(*parts)


def replay_command(args: argparse.Namespace) -> int:
    """Print one saved result's timeline, replayed from its stored run."""
    from .cli import load_library
    from .engine import load_rules
    from .leaderboard import address_of, shown_address
    from .store import is_postgres, open_store

    console, errors = Console(highlight=False), Console(stderr=True, highlight=False)
    address = address_of(args)
    if not is_postgres(address) and not Path(address).exists():
        errors.print(Text(f"error: there is no scoreboard at {shown_address(address)}"))
        return 2
    with open_store(address) as store:
        saved = store.result(args.result)
    if saved is None:
        errors.print(Text(f"error: there is no result #{args.result} in {shown_address(address)}"))
        return 2
    scenarios, _ = load_library(args)
    try:
        replayed = replay_saved(saved, scenarios, load_rules(args.rules) if args.rules else None)
    except ReplayError as error:
        errors.print(Text(f"error: {error}"))
        return 2
    console.print(timeline_view(replayed, all_posts=args.crowd))
    return 0
