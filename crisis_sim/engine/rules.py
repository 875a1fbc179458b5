"""Rules that read responses and score sessions, loaded from ``rules.yaml``.

Keeping them in data makes the scorer transparent: trainers can read and tune
every phrase, weight and point value, and the debrief quotes their wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from string import Formatter
from typing import Annotated

from pydantic import AfterValidator, Field

from .actions import CATEGORIES, Category
from .calibration import Calibration, CalibrationError
from .datafile import CrossCheckError, DataFileError, Problem, load_model
from .grading import ADVICE_KEYS, PHRASE_KINDS, REASON_IDS, SLOT_NAMES
from .language import ClaimWords
from .limits import MAX_FOLLOWERS, MAX_MINUTES, MAX_POINTS
from .phrasebook import Phrasebook, PhraseError, compile_phrase, compile_slots
from .scenario import SIGNAL_NAMES, Model, Points

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

EXPLAIN_FIELDS = frozenset(
    {
        "brand", "minute", "handle", "reach", "delay", "start", "end", "quote", "channel", "broadcasts",
        "replies", "claim", "fast_minutes", "late_minutes", "high_reach", "status_first_minutes",
        "status_gap_minutes", "offline_fast_minutes", "broadcast_ratio", "score", "strategy", "why", "response",
    }
)  # fmt: skip
"""Placeholders the scorer fills in an ``explain`` text."""
ADVICE_FIELDS = frozenset({"name"})
"""Placeholders the reader fills in a piece of advice: the name of the person answered."""


def _placeholders_in(text: str, known: frozenset[str]) -> str:
    """Check ``text`` formats: only ``known`` ``{name}`` placeholders, no format specs or attribute access."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError as error:
        raise ValueError(f"not a valid text with {{placeholders}}: {error} (write {{{{ and }}}} for literal braces)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in known or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            listed = ", ".join(f"{{{field}}}" for field in sorted(known))
            raise ValueError(f"unknown placeholder {shown}; use one of: {listed}")
    return text


def _real_phrase(phrase: str) -> str:
    """A phrase must say something: an empty one or a bare ``*`` would match every reply (an emoji is fine)."""
    if not phrase.strip(" *"):
        raise ValueError(f"phrase {phrase!r} is empty or only wildcards, so it would match every reply")
    return phrase


ExplainText = Annotated[str, AfterValidator(lambda text: _placeholders_in(text, EXPLAIN_FIELDS))]
AdviceText = Annotated[str, AfterValidator(lambda text: _placeholders_in(text, ADVICE_FIELDS))]
Phrase = Annotated[str, AfterValidator(_real_phrase)]
Weight = Annotated[float, Field(ge=0, le=100)]


PhraseList = Annotated[list[Phrase], Field(min_length=1)]


class ReasonRule(Model):
    """Points one reason adds to a reply's empathy or honesty, and what the debrief says about it."""

    category: Category
    points: Annotated[float, Field(ge=-MAX_POINTS, le=MAX_POINTS)]
    explain: ExplainText
    cap: Annotated[float, Field(ge=-MAX_POINTS, le=MAX_POINTS)] | None = Field(
        None, description="Limit on the total this reason can add (or remove) in one reply."
    )
    advice: AdviceText | None = Field(None, description="What a stronger reply would do instead; shown when the reason fires.")


class ReadingBase(Model):
    """Where a reply's scores start before its reasons move them."""

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
    hedged_honesty: Annotated[float, Field(ge=0, le=100)]


class ReadingRules(Model):
    """How a reply is read: slots and phrase sets, the points behind each reason, caps and advice."""

    slots: dict[str, PhraseList]
    phrases: dict[str, PhraseList]
    reasons: dict[str, ReasonRule]
    caps: ReadingCaps
    base: ReadingBase
    crowd_weight: Annotated[float, Field(ge=0, le=2)]
    stuffing_keywords: PhraseList = Field(description="Word stems that, repeated or piled up, are keyword stuffing, not a reply.")
    claim_synonyms: list[PhraseList] = Field(
        [], description="Families of words that state the same claim (hurt, injured, harmed); the first word stands for the family."
    )
    claim_antonyms: dict[str, str] = Field(
        {}, description="Words that state a family's first word negated (uninjured: hurt), so 'he came through uninjured' is 'he was not hurt'."
    )
    advice: dict[str, AdviceText]
    calibration: str | None = Field(
        None, description="The learned reader model (JSON, next to this rules file) that weighs wording as trainers rated it; null for rules alone."
    )
    _folder: Path | None = None

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

    @cached_property
    def calibration_model(self) -> Calibration | None:
        """The learned reader model named by ``calibration``, loaded once; None without one."""
        if not self.calibration:
            return None
        beside = (self._folder or DEFAULT_RULES_PATH.parent) / self.calibration
        built_in = DEFAULT_RULES_PATH.parent / self.calibration
        return Calibration.load(beside if beside.exists() or not built_in.exists() else built_in)  # a copied rules file uses ours

    @cached_property
    def claim_words(self) -> ClaimWords:
        """The claim word families compiled once."""
        return ClaimWords(self.claim_synonyms, self.claim_antonyms)


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
    min_replies: Annotated[int, Field(ge=1, le=1000)]
    answers_at: Annotated[float, Field(ge=0, le=100)]
    full_marks_at: Annotated[float, Field(gt=50, le=100)]


class Scoring(Model):
    base: Annotated[int, Field(ge=0, le=100)]
    weights: dict[Category, Weight]
    thresholds: Thresholds
    rules: dict[str, Rule]


class Rules(Model):
    reading: ReadingRules
    reaction: dict[str, Annotated[float, Field(ge=-1, le=1)]]
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
    rules = load_model(Path(path), Rules)
    rules.reading._folder = Path(path).parent  # the calibration file is named relative to the rules file
    try:
        _ = rules.reading.calibration_model  # load it now: a broken model file is the rules file's error, not a crash mid-game
    except CalibrationError as error:
        raise DataFileError(path, [Problem(None, "reading.calibration", str(error))]) from None
    return rules
