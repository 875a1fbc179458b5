"""Rules that read responses and score sessions, loaded from ``rules.yaml``.

Keeping them in data makes the scorer transparent: trainers can read and tune
every phrase, weight and point value, and the debrief quotes their wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field

from .actions import CATEGORIES, Category
from .datafile import CrossCheckError, load_model
from .scenario import SIGNAL_NAMES, Model, TextSignal

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


class Rule(Model):
    category: Category
    points: int
    explain: str
    cap: int | None = Field(None, description="Limit on the total this rule can add (or remove).")


class Thresholds(Model):
    fast_minutes: Annotated[int, Field(ge=1)]
    late_minutes: Annotated[int, Field(ge=1)]
    high_reach: Annotated[int, Field(ge=0)]
    status_first_minutes: Annotated[int, Field(ge=1)]
    status_gap_minutes: Annotated[int, Field(ge=1)]
    offline_fast_minutes: Annotated[int, Field(ge=1)]
    broadcast_ratio: Annotated[float, Field(gt=0)]


class Scoring(Model):
    base: Annotated[int, Field(ge=0, le=100)]
    weights: dict[Category, Annotated[float, Field(ge=0)]]
    thresholds: Thresholds
    rules: dict[str, Rule]


class Rules(Model):
    lexicon: dict[str, list[str]]
    reaction: dict[str, float]
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
