"""How the debrief reviews one reply: its strategy and scores, the rules that fired with their words, a stronger version."""

from __future__ import annotations

from rich.text import Text

from ..engine.scoring import ReplyReview


def reply_review(review: ReplyReview, explain: dict[str, str]) -> Text:
    """One reply in the debrief: when and to whom, its strategy and scores, the rules that fired with the
    words that fired them, and what a stronger reply would contain. Built from Text parts, so nothing the
    player typed is read as markup."""
    text = Text()
    text.append(f"m{review.minute} ", style="grey62")
    text.append(review.title, style="bold")
    text.append(f"  ·  {review.strategy.replace('_', ' ')}", style="cyan")
    if review.readable:
        text.append("  ·  empathy ")
        text.append(f"{review.empathy:.0f}", style=_score_style(review.empathy))
        text.append("  ·  honesty ")
        text.append(f"{review.honesty:.0f}", style=_score_style(review.honesty))
    else:
        text.append("  ·  could not be read: neither earns nor costs points", style="grey62 italic")
    text.append("\n  ")
    text.append(_shorten(review.text, 240), style="italic")
    for reason in sorted(review.reasons, key=lambda r: -abs(r.points)):
        if not reason.points:
            continue
        style = "green" if reason.points > 0 else "red"
        text.append(f"\n  {reason.points:+.0f} {reason.category.value} ", style=style)
        text.append(explain.get(reason.rule, reason.rule.replace("_", " ")))
        text.append(": ", style="grey62")
        text.append(f"\u201c{reason.quote}\u201d", style="grey70")
    if review.suggestion:
        text.append("\n  Stronger: ", style="bold")
        text.append(review.suggestion)
    return text


def _score_style(score: float) -> str:
    return "bold green" if score >= 70 else "bold yellow" if score >= 40 else "bold red"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
