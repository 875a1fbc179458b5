"""How engine values look on screen: numbers, sentiments, mood, post status and score moments."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from rich.table import Table
from rich.text import Text
from textual.content import Content

from ..engine import Moment, Post, PostStatus, Scenario, Sentiment

SENTIMENT_LOOK: dict[Sentiment, tuple[str, str]] = {
    Sentiment.ANGRY: ("!!", "bold red"),
    Sentiment.NEGATIVE: ("!", "dark_orange"),
    Sentiment.NEUTRAL: ("·", "grey62"),
    Sentiment.POSITIVE: ("+", "green"),
}

MOOD_WORDS: tuple[tuple[float, str, str], ...] = (
    (-0.6, "furious", "bold red"),
    (-0.2, "hostile", "red"),
    (0.2, "uneasy", "yellow"),
    (0.6, "warming", "green"),
    (1.01, "supportive", "bold green"),
)


def plain(text: str) -> Content:
    """Text from a player, a scenario or a file as a border title: shown as written, never read as markup."""
    return Content(text)


def plural(count: int, noun: str) -> str:
    """``1 post``, ``3 posts``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def compact(number: int) -> str:
    """``5200`` as ``5.2k``, ``1250000`` as ``1.3M``."""
    if number < 1000:
        return str(number)
    if number < 1_000_000:
        return f"{number / 1000:.1f}k".replace(".0k", "k")
    return f"{number / 1_000_000:.1f}M".replace(".0M", "M")


def brand_line(scenario: Scenario) -> str:
    """``Bean There (@beanthere)``."""
    return f"{scenario.brand.name} (@{scenario.brand.handle.lstrip('@')})"


def sentiment_icon(sentiment: Sentiment) -> Text:
    icon, style = SENTIMENT_LOOK[sentiment]
    return Text(icon, style=style)


def sentiment_style(sentiment: Sentiment) -> str:
    return SENTIMENT_LOOK[sentiment][1]


def mood_word(mood: float) -> tuple[str, str]:
    """A word for the public mood (-1..1) and the style to show it in."""
    return next((word, style) for limit, word, style in MOOD_WORDS if mood < limit)


def mood_bar(mood: float, width: int = 21) -> Text:
    """A track from hostile (left, red) to supportive (right, green) with a marker at ``mood``."""
    middle = width // 2
    marker = round((mood + 1) / 2 * (width - 1))
    bar = Text()
    for cell in range(width):
        if cell == marker:
            bar.append("●", style=f"bold {mood_word(mood)[1]}")
        else:
            bar.append("━", style="red" if cell < middle else "green" if cell > middle else "grey50")
    return bar


STATUS_LOOK: dict[PostStatus, tuple[str, str]] = {
    PostStatus.HIDDEN: ("hidden", "magenta"),
    PostStatus.ANSWERED: ("answered {minute}", "green"),
    PostStatus.OFFLINE: ("answered {minute}", "green"),
    PostStatus.ESCALATED: ("escalated", "cyan"),
    PostStatus.IGNORED: ("ignored", "grey62"),
    PostStatus.WAITING: ("waiting", "bold yellow"),
    PostStatus.NONE: ("", ""),
}


def post_status(post: Post) -> Text:
    """Where the brand stands with ``post`` (its :attr:`Post.status`): hidden, answered, escalated, ignored or waiting."""
    words, style = STATUS_LOOK[post.status]
    return Text(words.format(minute=post.answered_at), style=style)


def is_waiting(post: Post) -> bool:
    """Still on the player's to-do list: needs an answer and has not been deliberately ignored."""
    return post.waiting


def moments_table(moments: Iterable[Moment]) -> Table:
    """One row per moment: minute (or "end"), points coloured by sign, and the explanation.

    Moments past their rule's cap are worth nothing; a run of them is shown as one line.
    """
    table = Table.grid(padding=(0, 1))
    table.add_column(style="grey62", justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for (_, capped), group in groupby(moments, key=lambda m: (m.rule, m.points == 0 and m.rule != "scenario")):
        run = list(group)
        if capped:
            more = f" and {len(run) - 1} more like it" if len(run) > 1 else ""
            text = Text.assemble(run[0].text, (f"{more}: limit reached, no more points", "grey62 italic"))
            table.add_row(_minute(run[0]), Text("+0", style="grey62"), text)
            continue
        for moment in run:
            style = "bold green" if moment.points > 0 else "bold red" if moment.points < 0 else "grey62"
            table.add_row(_minute(moment), Text(f"{moment.points:+d}", style=style), moment.text)
    return table


def _minute(moment: Moment) -> str:
    return "end" if moment.minute is None else f"m{moment.minute}"
