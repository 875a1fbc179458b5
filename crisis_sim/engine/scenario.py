"""The scenario model: what trainers write in ``scenarios/*.yaml``.

A scenario has a brand, a briefing, scripted posts that appear at set minutes,
branches that fire when the player's behaviour (or the clock, or the public
mood) matches, and endings chosen when time runs out. ``docs`` in the README
show a full example; :func:`load_scenario` validates a file against this model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .actions import Action, Channel, Role
from .datafile import CrossCheckError, DataFileError, Problem, load_model


class Sentiment(StrEnum):
    """How a post feels about the brand."""

    ANGRY = "angry"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"

    @property
    def weight(self) -> float:
        """Signed strength: -1 for angry up to +0.5 for positive."""
        return _SENTIMENT_WEIGHTS[self]

    @property
    def is_negative(self) -> bool:
        return _SENTIMENT_WEIGHTS[self] < 0


_SENTIMENT_WEIGHTS = {Sentiment.ANGRY: -1.0, Sentiment.NEGATIVE: -0.5, Sentiment.NEUTRAL: 0.0, Sentiment.POSITIVE: 0.5}


class TextSignal(StrEnum):
    """What a response says, as read by the reader (:mod:`.reading`) and the response history."""

    APOLOGY = "apology"
    NON_APOLOGY = "non_apology"
    EMPATHY = "empathy"
    OWNERSHIP = "ownership"
    OFFLINE_OFFER = "offline_offer"
    DENIAL = "denial"
    ACCUSATION = "accusation"
    PERSONALISED = "personalised"
    COPY_PASTE = "copy_paste"
    FALSE_CLAIM = "false_claim"


SIGNAL_NAMES = frozenset(a.value for a in Action) | frozenset(s.value for s in TextSignal)
"""Everything a condition's ``did`` / ``did_not`` may name."""


class Model(BaseModel):
    """Strict base: unknown fields are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Minute = Annotated[int, Field(ge=0)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class Brand(Model):
    name: str
    handle: str
    at_fault: bool = Field(description="Whether the brand really is at fault: honesty then demands an apology.")


class PostSpec(Model):
    """A scripted post. Missing author details are generated with Faker."""

    id: Identifier | None = None
    at: Minute = 0
    author: str | None = None
    handle: str | None = None
    followers: Annotated[int, Field(ge=0)] | None = None
    sentiment: Sentiment
    text: str
    heat: Annotated[float, Field(ge=0)] = 1.0


class Condition(Model):
    """All given fields must hold. An empty condition always holds."""

    after: Minute | None = None
    before: Minute | None = None
    did: str | None = Field(None, description="An action or signal the player has shown.")
    did_not: str | None = Field(None, description="An action or signal the player has not shown (yet).")
    post: Identifier | None = Field(None, description="Limit did/did_not to responses to this post.")
    role: Role | None = Field(None, description="Limit did/did_not to escalations to this role.")
    channel: Channel | None = Field(None, description="Limit did/did_not to responses taken offline this way.")
    mood_below: float | None = None
    mood_above: float | None = None
    unanswered: Identifier | None = Field(None, description="This post has had no public response.")


class Spawn(Model):
    """Crowd posts generated from the scenario's templates."""

    count: Annotated[int, Field(ge=1, le=50)]
    sentiment: Sentiment


class ScoreEffect(Model):
    """Points a branch awards or costs, shown in the debrief."""

    category: str = Field(pattern=r"^(speed|empathy|honesty)$")
    points: int
    explain: str


class Effect(Model):
    message: str | None = None
    mood: Annotated[float, Field(ge=-1, le=1)] = 0.0
    posts: list[PostSpec] = []
    spawn: Spawn | None = None
    score: ScoreEffect | None = None
    end: Identifier | None = None


class Branch(Model):
    id: Identifier
    when: Condition
    then: Effect


class Ending(Model):
    """How the scenario ends. When time runs out the first ending whose ``when``
    holds is chosen, else the last one; an ending without ``when`` that is not
    last is reached only through a branch's ``end``."""

    id: Identifier
    title: str
    text: str
    when: Condition | None = None


TEMPLATE_FIELDS = frozenset({"brand", "first_name", "city"})


class Templates(Model):
    """Crowd post texts by sentiment. ``{brand}``, ``{first_name}`` and ``{city}`` are filled in."""

    angry: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)
    neutral: list[str] = Field(min_length=1)
    positive: list[str] = Field(min_length=1)

    def for_sentiment(self, sentiment: Sentiment) -> list[str]:
        return getattr(self, sentiment.value)


class Scenario(Model):
    id: Identifier
    version: str = Field("1", max_length=40, description="Results record the version they were played on.")
    title: str
    summary: str
    brand: Brand
    briefing: str
    duration_minutes: Annotated[int, Field(ge=10, le=24 * 60)] = 120
    initial_mood: Annotated[float, Field(ge=-1, le=1)] = -0.3
    crowd_rate: Annotated[float, Field(ge=0, le=5)] = Field(
        0.2, description="Background crowd posts per game minute before any outrage."
    )
    hold_statement: str = Field(description="The pre-approved holding statement the player can post.")
    false_claims: list[str] = Field([], description="Claims that are untrue in this scenario; caught when paraphrased too.")
    impossible_promises: list[str] = Field([], description="Promises the brand cannot keep here; making one costs honesty.")
    templates: Templates
    cities: list[str] = Field([], description="Places for {city}; Faker makes some up if empty.")
    posts: list[PostSpec] = Field(min_length=1)
    branches: list[Branch] = []
    endings: list[Ending] = Field(min_length=1)

    def cross_check(self) -> Iterator[CrossCheckError]:
        """Check ids are unique and every reference points at something real."""
        post_ids = {p.id for p in self.all_post_specs() if p.id}
        ending_ids = {e.id for e in self.endings}
        yield from _duplicates(("posts",), [p.id for p in self.posts])
        scripted = {p.id for p in self.posts if p.id}
        for index, branch in enumerate(self.branches):
            for number, spec in enumerate(branch.then.posts):
                if spec.id and spec.id in scripted:
                    yield CrossCheckError(("branches", index, "then", "posts", number, "id"), f"duplicate id '{spec.id}'")
                if spec.id:
                    scripted.add(spec.id)
        yield from _duplicates(("branches",), [b.id for b in self.branches])
        yield from _duplicates(("endings",), [e.id for e in self.endings])
        for index, branch in enumerate(self.branches):
            where = ("branches", index)
            yield from _check_condition((*where, "when"), branch.when, post_ids)
            if branch.then.end and branch.then.end not in ending_ids:
                yield CrossCheckError((*where, "then", "end"), f"no ending with id '{branch.then.end}'")
        for index, ending in enumerate(self.endings):
            if ending.when:
                yield from _check_condition(("endings", index, "when"), ending.when, post_ids)
        for sentiment in Sentiment:
            for index, template in enumerate(self.templates.for_sentiment(sentiment)):
                unknown = set(re.findall(r"\{(\w+)\}", template)) - TEMPLATE_FIELDS
                if unknown:
                    yield CrossCheckError(
                        ("templates", sentiment.value, index),
                        f"unknown placeholder {{{sorted(unknown)[0]}}}; use {', '.join(f'{{{f}}}' for f in sorted(TEMPLATE_FIELDS))}",
                    )
        if self.endings[-1].when is not None:
            yield CrossCheckError(
                ("endings", len(self.endings) - 1, "when"),
                "the last ending is the fallback and must not have a 'when'",
            )

    def all_post_specs(self) -> Iterator[PostSpec]:
        """Scripted posts plus the ones branches can add."""
        yield from self.posts
        for branch in self.branches:
            yield from branch.then.posts


def _duplicates(location: tuple, ids: list[str | None]) -> Iterator[CrossCheckError]:
    seen: set[str] = set()
    for index, identifier in enumerate(ids):
        if identifier is None:
            continue
        if identifier in seen:
            yield CrossCheckError((*location, index, "id"), f"duplicate id '{identifier}'")
        seen.add(identifier)


def _check_condition(location: tuple, condition: Condition, post_ids: set[str]) -> Iterator[CrossCheckError]:
    for name in ("did", "did_not"):
        value = getattr(condition, name)
        if value is not None and value not in SIGNAL_NAMES:
            known = ", ".join(sorted(SIGNAL_NAMES))
            yield CrossCheckError((*location, name), f"unknown action or signal '{value}'; use one of: {known}")
    for name in ("post", "unanswered"):
        value = getattr(condition, name)
        if value is not None and value not in post_ids:
            yield CrossCheckError((*location, name), f"no post with id '{value}'")


def load_scenario(path: Path | str) -> Scenario:
    """Load and validate one scenario file."""
    return load_model(Path(path), Scenario)


def load_scenarios(directory: Path | str) -> tuple[list[Scenario], list[DataFileError]]:
    """Load every ``*.yaml`` in ``directory``; broken files are returned, not raised."""
    directory = Path(directory)
    scenarios: list[Scenario] = []
    errors: list[DataFileError] = []
    if not directory.is_dir():
        errors.append(DataFileError(directory, [Problem(None, "", "scenario folder does not exist")]))
        return scenarios, errors
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.y*ml")):
        try:
            scenario = load_scenario(path)
        except DataFileError as error:
            errors.append(error)
            continue
        if scenario.id in seen:
            errors.append(DataFileError(path, [Problem(None, "id", f"id '{scenario.id}' is also used by {seen[scenario.id]}")]))
            continue
        seen[scenario.id] = path
        scenarios.append(scenario)
    return scenarios, errors
