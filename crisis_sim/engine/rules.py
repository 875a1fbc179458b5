"""Rules that read responses and score sessions, loaded from ``rules.yaml``.

Keeping them in data makes the scorer transparent: trainers can read and tune
every phrase, weight and point value, and the debrief quotes their wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from string import Formatter
from typing import Annotated

from pydantic import AfterValidator, Field

from .actions import CATEGORIES, Category
from .datafile import CrossCheckError, load_model
from .limits import MAX_FOLLOWERS, MAX_MINUTES, MAX_POINTS
from .scenario import SIGNAL_NAMES, Model, Points, TextSignal

DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "rules.yaml"


#: Rule ids the scorer implements; rules.yaml must define exactly these.
RULE_IDS = frozenset(
    {
        "first_response_fast", "first_response_ok", "first_response_late", "no_response",
        "high_reach_fast", "high_reach_ok", "high_reach_late", "high_reach_unanswered",
        "status_first", "status_gap", "no_status",
        "empathy_shown", "personalised", "copy_paste", "disrespect", "taken_offline",
        "taken_offline_slow", "ignored_complaint", "broadcast_habit", "never_engaged",
        "apologised", "owned_mistake", "no_apology", "non_apology", "denial", "accusation",
        "false_claim", "hid_post", "kept_informed",
    }
)  # fmt: skip

LEXICON_SIGNALS = frozenset(
    {
        TextSignal.APOLOGY, TextSignal.NON_APOLOGY, TextSignal.EMPATHY, TextSignal.OWNERSHIP,
        TextSignal.OFFLINE_OFFER, TextSignal.DENIAL, TextSignal.ACCUSATION,
    }
)  # fmt: skip


EXPLAIN_FIELDS = frozenset(
    {
        "brand", "minute", "handle", "reach", "delay", "start", "end", "quote", "channel", "broadcasts",
        "replies", "claim", "fast_minutes", "late_minutes", "high_reach", "status_first_minutes",
        "status_gap_minutes", "offline_fast_minutes", "broadcast_ratio",
    }
)  # fmt: skip
"""Placeholders the scorer fills in an ``explain`` text."""


def _plain_placeholders(text: str) -> str:
    """Check an ``explain`` text formats: only known ``{name}`` placeholders, no format specs or attribute access."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError as error:
        raise ValueError(f"not a valid text with {{placeholders}}: {error} (write {{{{ and }}}} for literal braces)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in EXPLAIN_FIELDS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            known = ", ".join(f"{{{field}}}" for field in sorted(EXPLAIN_FIELDS))
            raise ValueError(f"unknown placeholder {shown}; use one of: {known}")
    return text


def _real_phrase(phrase: str) -> str:
    """A phrase must contain a letter or digit: an empty one or a bare ``*`` would match every reply."""
    if not re.search(r"\w", phrase):
        raise ValueError(f"phrase {phrase!r} has no letters or digits, so it would match every reply")
    return phrase


ExplainText = Annotated[str, AfterValidator(_plain_placeholders)]
Phrase = Annotated[str, AfterValidator(_real_phrase)]
Weight = Annotated[float, Field(ge=0, le=100)]


class Rule(Model):
    category: Category
    points: Points
    explain: ExplainText
    cap: Annotated[int, Field(ge=-10 * MAX_POINTS, le=10 * MAX_POINTS)] | None = Field(
        None, description="Limit on the total this rule can add (or remove)."
    )


class Thresholds(Model):
    fast_minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    late_minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    high_reach: Annotated[int, Field(ge=0, le=MAX_FOLLOWERS)]
    status_first_minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    status_gap_minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    offline_fast_minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    broadcast_ratio: Annotated[float, Field(gt=0, le=100)]


class Scoring(Model):
    base: Annotated[int, Field(ge=0, le=100)]
    weights: dict[Category, Weight]
    thresholds: Thresholds
    rules: dict[str, Rule]


class Rules(Model):
    lexicon: dict[str, Annotated[list[Phrase], Field(min_length=1)]]
    reaction: dict[str, Annotated[float, Field(ge=-1, le=1)]]
    scoring: Scoring

    def cross_check(self) -> Iterator[CrossCheckError]:
        for name in self.lexicon:
            if name not in LEXICON_SIGNALS:
                yield CrossCheckError(("lexicon", name), f"unknown signal; use one of: {', '.join(sorted(LEXICON_SIGNALS))}")
        for name in self.reaction:
            if name not in SIGNAL_NAMES:
                yield CrossCheckError(("reaction", name), "unknown action or signal")
        for name in sorted(RULE_IDS - set(self.scoring.rules)):
            yield CrossCheckError(("scoring", "rules"), f"missing rule '{name}'")
        for name in sorted(set(self.scoring.rules) - RULE_IDS):
            yield CrossCheckError(("scoring", "rules", name), "unknown rule")
        if set(self.scoring.weights) != set(CATEGORIES) or not sum(self.scoring.weights.values()):
            yield CrossCheckError(("scoring", "weights"), "give a positive weight for speed, empathy and honesty")

    @cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        """One compiled regular expression per lexicon signal."""
        return {name: _compile(phrases) for name, phrases in self.lexicon.items()}

    def read(self, text: str) -> set[str]:
        """The lexicon signals ``text`` shows. A non-apology is not an apology."""
        text = text.replace("\u2019", "'")
        found = {name for name, pattern in self.patterns.items() if pattern.search(text)}
        if TextSignal.NON_APOLOGY in found:
            found.discard(TextSignal.APOLOGY)
        return found

    def quote(self, signal: str, text: str) -> str:
        """The phrase in ``text`` that showed ``signal``."""
        match = self.patterns[signal].search(text) if signal in self.patterns else None
        return match.group(0) if match else text


def _compile(phrases: list[str]) -> re.Pattern[str]:
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = r"\s+".join(re.escape(word) for word in phrase.rstrip("*").split())
        parts.append(rf"\b{words}\w*" if phrase.endswith("*") else rf"\b{words}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


def load_rules(path: Path | str = DEFAULT_RULES_PATH) -> Rules:
    """Load and validate a rules file."""
    return load_model(Path(path), Rules)
