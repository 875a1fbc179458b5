"""Rules that read responses and score sessions, loaded from ``rules.yaml``.

Keeping them in data makes the scorer transparent: trainers can read and tune
every phrase, weight and point value, and the debrief quotes their wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field

from .actions import CATEGORIES, Category
from .datafile import CrossCheckError, load_model
from .grading import ADVICE_KEYS, PHRASE_KINDS, REASON_IDS, SLOT_NAMES
from .phrasebook import Phrasebook, PhraseError, compile_phrase, compile_slots
from .scenario import SIGNAL_NAMES, Model

DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "rules.yaml"


#: Rule ids the scorer implements; rules.yaml must define exactly these.
RULE_IDS = frozenset(
    {
        "first_response_fast", "first_response_ok", "first_response_late", "no_response",
        "high_reach_fast", "high_reach_ok", "high_reach_late", "high_reach_unanswered",
        "status_first", "status_gap", "no_status",
        "reply_empathy", "reply_honesty", "taken_offline", "taken_offline_slow", "ignored_complaint",
        "broadcast_habit", "never_engaged", "no_apology", "hid_post", "kept_informed",
    }
)  # fmt: skip

PhraseList = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class ReasonRule(Model):
    """Points one reason adds to a reply's empathy or honesty, and what the debrief says about it."""

    category: Category
    points: float
    explain: str
    cap: float | None = Field(None, description="Limit on the total this reason can add (or remove) in one reply.")
    advice: str | None = Field(None, description="What a stronger reply would do instead; shown when the reason fires.")


class ReadingBase(Model):
    empathy: Annotated[float, Field(ge=0, le=100)]
    honesty: Annotated[float, Field(ge=0, le=100)]


class ReadingCaps(Model):
    """Where a reply's scores stop when it falls into a trap."""

    hostile_empathy: Annotated[float, Field(ge=0, le=100)]
    shouting_empathy: Annotated[float, Field(ge=0, le=100)]
    generic_empathy: Annotated[float, Field(ge=0, le=100)]
    defensive_empathy: Annotated[float, Field(ge=0, le=100)]
    dishonest_honesty: Annotated[float, Field(ge=0, le=100)]
    evasive_honesty: Annotated[float, Field(ge=0, le=100)]


class ReadingRules(Model):
    """How a reply is read: slots and phrase sets, the points behind each reason, caps and advice."""

    slots: dict[str, PhraseList]
    phrases: dict[str, PhraseList]
    reasons: dict[str, ReasonRule]
    caps: ReadingCaps
    base: ReadingBase
    crowd_weight: Annotated[float, Field(ge=0, le=2)]
    stuffing_keywords: PhraseList = Field(description="Word stems that, repeated or piled up, are keyword stuffing, not a reply.")
    advice: dict[str, str]

    def cross_check(self) -> Iterator[CrossCheckError]:
        for name in sorted(SLOT_NAMES - set(self.slots)):
            yield CrossCheckError(("reading", "slots"), f"missing slot '{name}'")
        for name in sorted(PHRASE_KINDS - set(self.phrases)):
            yield CrossCheckError(("reading", "phrases"), f"missing phrase set '{name}'")
        for name in sorted(set(self.phrases) - PHRASE_KINDS):
            yield CrossCheckError(("reading", "phrases", name), f"unknown phrase set; use one of: {', '.join(sorted(PHRASE_KINDS))}")
        for name in sorted(REASON_IDS - set(self.reasons)):
            yield CrossCheckError(("reading", "reasons"), f"missing reason '{name}'")
        for name in sorted(set(self.reasons) - REASON_IDS):
            yield CrossCheckError(("reading", "reasons", name), "unknown reason")
        for name in sorted(ADVICE_KEYS - set(self.advice)):
            yield CrossCheckError(("reading", "advice"), f"missing advice '{name}'")
        try:
            slots = compile_slots(self.slots)
        except PhraseError as error:
            yield CrossCheckError(("reading", "slots"), str(error))
            return
        for name, phrases in self.phrases.items():
            for index, phrase in enumerate(phrases):
                try:
                    pattern = re.compile(compile_phrase(phrase, slots))
                except (PhraseError, re.error) as error:
                    yield CrossCheckError(("reading", "phrases", name, index), str(error))
                    continue
                if pattern.fullmatch("") or pattern.fullmatch(" "):
                    yield CrossCheckError(("reading", "phrases", name, index), f"{phrase!r} matches empty text, so it would match every reply")

    @cached_property
    def phrasebook(self) -> Phrasebook:
        """Every phrase set compiled once."""
        return Phrasebook(self.phrases, self.slots)


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
    min_replies: Annotated[int, Field(ge=1)]
    answers_at: Annotated[float, Field(ge=0, le=100)]
    full_marks_at: Annotated[float, Field(gt=50, le=100)]


class Scoring(Model):
    base: Annotated[int, Field(ge=0, le=100)]
    weights: dict[Category, Annotated[float, Field(ge=0)]]
    thresholds: Thresholds
    rules: dict[str, Rule]


class Rules(Model):
    reading: ReadingRules
    reaction: dict[str, float]
    scoring: Scoring

    def cross_check(self) -> Iterator[CrossCheckError]:
        yield from self.reading.cross_check()
        for name in self.reaction:
            if name not in SIGNAL_NAMES:
                yield CrossCheckError(("reaction", name), "unknown action or signal")
        for name in sorted(RULE_IDS - set(self.scoring.rules)):
            yield CrossCheckError(("scoring", "rules"), f"missing rule '{name}'")
        for name in sorted(set(self.scoring.rules) - RULE_IDS):
            yield CrossCheckError(("scoring", "rules", name), "unknown rule")
        if set(self.scoring.weights) != set(CATEGORIES) or not sum(self.scoring.weights.values()):
            yield CrossCheckError(("scoring", "weights"), "give a positive weight for speed, empathy and honesty")


def load_rules(path: Path | str = DEFAULT_RULES_PATH) -> Rules:
    """Load and validate a rules file; an unchanged file is loaded (and its phrasebook compiled) once, as rules are immutable."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return load_model(path, Rules)  # reports the missing file
    return _load_unchanged(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_unchanged(path: str, _mtime_ns: int, _size: int) -> Rules:
    return load_model(Path(path), Rules)
