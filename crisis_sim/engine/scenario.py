"""The scenario model: what trainers write in ``scenarios/*.yaml``.

A scenario has a brand, a briefing, scripted posts that appear at set minutes,
branches that fire when the player's behaviour (or the clock, or the public
mood) matches, and endings chosen when time runs out. ``docs`` in the README
show a full example; :func:`load_scenario` validates a file against this model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..safe_text import CONTROL_CHARACTER
from .actions import Action, Channel, Role, Target
from .datafile import CrossCheckError, DataFileError, Problem, load_model
from .limits import MAX_FOLLOWERS, MAX_HEAT, MAX_MINUTES, MAX_POINTS


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


SIGNAL_NAMES = frozenset(a.value for a in Action if a.spec.target is not Target.NONE) | frozenset(s.value for s in TextSignal)
"""Everything a condition's ``did`` / ``did_not`` may name: what the crowd can see."""


class Model(BaseModel):
    """Strict base: unknown fields, NaN and infinity are errors; text may not hold control characters."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        """Text ends up on a terminal: an escape sequence in a data file could retitle or garble it."""
        for text in _texts(value):
            if found := CONTROL_CHARACTER.search(text):
                raise ValueError(f"contains the control character U+{ord(found.group()):04X}; remove it")
        return value


def _texts(value: object) -> Iterator[str]:
    """Every string directly in ``value``, in a list of them, or in a mapping's keys and values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))
    elif isinstance(value, dict):
        yield from (item for pair in value.items() for item in pair if isinstance(item, str))



Minute = Annotated[int, Field(ge=0, le=MAX_MINUTES)]
Mood = Annotated[float, Field(ge=-1, le=1)]
Points = Annotated[int, Field(ge=-MAX_POINTS, le=MAX_POINTS)]
IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
"""Ids of scenarios, posts, branches, endings and options: lower case, digits, - and _."""
Identifier = Annotated[str, Field(pattern=IDENTIFIER_PATTERN)]
StateName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""A flag or counter name: the scenario's own memory, set by effects and read by conditions."""


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
    followers: Annotated[int, Field(ge=0, le=MAX_FOLLOWERS)] | None = None
    sentiment: Sentiment
    text: str
    heat: Annotated[float, Field(ge=0, le=MAX_HEAT)] = 1.0
    model_reply: str | None = Field(None, description="What a strong answer looked like; the debrief shows it beside the player's.")


class Step(Model):
    """One step of an ``in_order`` condition: a response that showed ``did``, narrowed like a condition."""

    did: str = Field(description="An action or signal the response showed.")
    post: Identifier | None = Field(None, description="The response was to this post.")
    role: Role | None = Field(None, description="The response escalated to this role.")
    channel: Channel | None = Field(None, description="The response took it offline this way.")


class CounterTest(Model):
    """Bounds on a counter's value; both bounds are inclusive."""

    at_least: Points | None = None
    at_most: Points | None = None


class Condition(Model):
    """All given fields must hold. An empty condition always holds."""

    after: Minute | None = None
    before: Minute | None = None
    did: str | None = Field(None, description="An action or signal the player has shown.")
    did_not: str | None = Field(None, description="An action or signal the player has not shown (yet).")
    post: Identifier | None = Field(None, description="Limit did/did_not to responses to this post.")
    role: Role | None = Field(None, description="Limit did/did_not to escalations to this role.")
    channel: Channel | None = Field(None, description="Limit did/did_not to responses taken offline this way.")
    mood_below: Mood | None = None
    mood_above: Mood | None = None
    unanswered: Identifier | None = Field(None, description="This post has had no public response.")
    any_of: list[Condition] | None = Field(None, alias="any", min_length=1, description="At least one of these holds.")
    all_of: list[Condition] | None = Field(None, alias="all", min_length=1, description="Every one of these holds.")
    not_: Condition | None = Field(None, alias="not", description="This condition does not hold.")
    in_order: list[Step] | None = Field(
        None, min_length=2, description="Responses showed these steps in this order (other responses may come between)."
    )
    fired: Identifier | None = Field(None, description="This branch has fired.")
    not_fired: Identifier | None = Field(None, description="This branch has not fired (yet).")
    flag: StateName | None = Field(None, description="This flag has been set to true by an effect.")
    counter: dict[StateName, CounterTest] | None = Field(None, description="These counters are within these bounds.")


class Spawn(Model):
    """Crowd posts generated from the scenario's templates."""

    count: Annotated[int, Field(ge=1, le=50)]
    sentiment: Sentiment


class ScoreEffect(Model):
    """Points a branch awards or costs, shown in the debrief."""

    category: str = Field(pattern=r"^(speed|empathy|honesty)$")
    points: Points
    explain: str


class Effect(Model):
    """What happens when a branch fires or an option is chosen, in the order of these fields."""

    message: str | None = None
    mood: Mood = 0.0
    posts: list[PostSpec] = []
    spawn: Spawn | None = None
    score: ScoreEffect | None = None
    set_flags: dict[StateName, bool] = Field({}, alias="set", description="Set these flags, which conditions read with 'flag'.")
    add: dict[StateName, Points] = Field({}, description="Add to these counters (they start at 0), read with 'counter'.")
    decide: Decision | None = Field(None, description="Put a multiple-choice decision to the player.")
    fire: Identifier | None = Field(None, description="Fire this branch now, whatever its condition (once, like any branch).")
    end: Identifier | None = None


class DecisionOption(Effect):
    """One answer to a decision; choosing it applies it as an effect."""

    id: Identifier
    label: str


class Decision(Model):
    """A multiple-choice question put to the player while the feed keeps moving."""

    id: Identifier
    prompt: str
    options: list[DecisionOption]
    deadline_minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)] = Field(10, description="Game minutes to choose before the default applies.")
    default: Identifier = Field(description="The option that applies when the deadline passes.")
    note: str | None = Field(None, description="For the trainer: shown in the debrief once the decision is made.")

    def option(self, option_id: str) -> DecisionOption | None:
        return next((o for o in self.options if o.id == option_id), None)


Effect.model_rebuild()
DecisionOption.model_rebuild()

DEFAULT_HINT_AFTER = 5
"""Minutes of inaction after a branch fires before its hint shows, unless it sets ``hint_after``."""


class Branch(Model):
    id: Identifier
    when: Condition
    then: Effect
    hint: str | None = Field(None, description="Shown to a player who has done nothing for hint_after minutes since the branch fired.")
    hint_after: Annotated[int, Field(ge=1, le=MAX_MINUTES)] | None = Field(
        None, description=f"Minutes of inaction before the hint shows (default {DEFAULT_HINT_AFTER})."
    )
    note: str | None = Field(None, description="For the trainer: shown in the debrief when the branch fired.")

    @property
    def hint_delay(self) -> int:
        return DEFAULT_HINT_AFTER if self.hint_after is None else self.hint_after


class Ending(Model):
    """How the scenario ends. When time runs out the first ending whose ``when``
    holds is chosen, else the last one; an ending without ``when`` that is not
    last is reached only through an effect's ``end``."""

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
    duration_minutes: Annotated[int, Field(ge=10, le=MAX_MINUTES)] = 120
    initial_mood: Mood = -0.3
    crowd_rate: Annotated[float, Field(ge=0, le=5)] = Field(
        0.2, description="Background crowd posts per game minute before any outrage."
    )
    hold_statement: str = Field(description="The pre-approved holding statement the player can post.")
    false_claims: list[str] = Field([], description="Claims that are untrue in this scenario; caught when paraphrased too.")
    true_claims: list[str] = Field(
        [],
        description="Facts the brand may state to correct a post (it is not at fault for these); stating one is an honest "
        "correction, not a justification. Caught when paraphrased too.",
    )
    impossible_promises: list[str] = Field([], description="Promises the brand cannot keep here; making one costs honesty.")
    templates: Templates
    cities: list[str] = Field([], description="Places for {city}; Faker makes some up if empty.")
    posts: list[PostSpec] = Field(min_length=1)
    branches: list[Branch] = []
    endings: list[Ending] = Field(min_length=1)

    def cross_check(self) -> Iterator[CrossCheckError]:
        """Check ids are unique and every reference points at something real."""
        post_ids = {p.id for p in self.all_post_specs() if p.id}
        known = _KnownIds(
            posts=sorted(post_ids),
            branches=[b.id for b in self.branches],
            endings=[e.id for e in self.endings],
            flags=sorted({name for _, effect in self.effects() for name in effect.set_flags}),
            counters=sorted({name for _, effect in self.effects() for name in effect.add}),
        )
        yield from _duplicates(("posts",), [p.id for p in self.posts])
        scripted = {p.id for p in self.posts if p.id}
        for location, effect in self.effects():
            for number, spec in enumerate(effect.posts):
                if spec.id and spec.id in scripted:
                    yield CrossCheckError((*location, "posts", number, "id"), f"duplicate id '{spec.id}'")
                if spec.id:
                    scripted.add(spec.id)
        yield from _duplicates(("branches",), known.branches)
        yield from _duplicates(("endings",), known.endings)
        for location, condition in self.conditions():
            yield from _check_condition(location, condition, known)
        for location, effect in self.effects():
            yield from _check_reference((*location, "end"), effect.end, known.endings, "ending")
            yield from _check_reference((*location, "fire"), effect.fire, known.branches, "branch")
        yield from self._check_decisions()
        for index, branch in enumerate(self.branches):
            if branch.hint_after is not None and branch.hint is None:
                yield CrossCheckError(("branches", index, "hint_after"), "hint_after is set but the branch has no hint")
        yield from self._check_cycles()
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

    def _check_decisions(self) -> Iterator[CrossCheckError]:
        """Decision ids are unique, each has options to choose from and its default is one of them."""
        seen: set[str] = set()
        for location, decision in self.decisions():
            if decision.id in seen:
                yield CrossCheckError((*location, "id"), f"duplicate decision id '{decision.id}'")
            seen.add(decision.id)
            if len(decision.options) < 2:
                yield CrossCheckError((*location, "options"), f"a decision needs at least two options to choose from, not {len(decision.options)}")
            option_ids = [option.id for option in decision.options]
            for number, option_id in enumerate(option_ids):
                if option_id in option_ids[:number]:
                    yield CrossCheckError((*location, "options", number, "id"), f"duplicate option id '{option_id}'")
            if decision.options:
                yield from _check_reference((*location, "default"), decision.default, option_ids, "option")

    def _check_cycles(self) -> Iterator[CrossCheckError]:
        """Branches that fire each other in a loop, or that each wait for another to fire first."""
        fires = {b.id: sorted({e.fire for _, e in _effects_within((), b.then) if e.fire}) for b in self.branches}
        index_of = {b.id: index for index, b in enumerate(self.branches)}
        for cycle in _cycles(fires):
            path = " -> ".join([*cycle, cycle[0]])
            yield CrossCheckError(("branches", index_of[cycle[0]], "then"), f"branches fire each other in a loop: {path}")
        fired_by_effect = {target for targets in fires.values() for target in targets}
        waits = {
            b.id: sorted(_required_fired(b.when) - fired_by_effect) for b in self.branches if b.id not in fired_by_effect
        }
        for cycle in _cycles(waits):
            path = " -> ".join([*cycle, cycle[0]])
            yield CrossCheckError(
                ("branches", index_of[cycle[0]], "when"), f"these branches each wait for the next to fire, so none ever can: {path}"
            )

    def effects(self) -> Iterator[tuple[tuple, Effect]]:
        """Every effect with its location: each branch's ``then`` and, within it, every decision option."""
        for index, branch in enumerate(self.branches):
            yield from _effects_within(("branches", index, "then"), branch.then)

    def decisions(self) -> Iterator[tuple[tuple, Decision]]:
        """Every decision any effect can put to the player, with its location."""
        for location, effect in self.effects():
            if effect.decide is not None:
                yield (*location, "decide"), effect.decide

    def conditions(self) -> Iterator[tuple[tuple, Condition]]:
        """Every condition with its location, including those inside any/all/not groups."""
        for index, branch in enumerate(self.branches):
            yield from _conditions_within(("branches", index, "when"), branch.when)
        for index, ending in enumerate(self.endings):
            if ending.when is not None:
                yield from _conditions_within(("endings", index, "when"), ending.when)

    def all_post_specs(self) -> Iterator[PostSpec]:
        """Scripted posts plus the ones branches can add."""
        yield from self.posts
        for _, effect in self.effects():
            yield from effect.posts


def _duplicates(location: tuple, ids: list[str | None]) -> Iterator[CrossCheckError]:
    seen: set[str] = set()
    for index, identifier in enumerate(ids):
        if identifier is None:
            continue
        if identifier in seen:
            yield CrossCheckError((*location, index, "id"), f"duplicate id '{identifier}'")
        seen.add(identifier)


@dataclass(frozen=True)
class _KnownIds:
    """What a scenario's references may name."""

    posts: list[str]
    branches: list[str]
    endings: list[str]
    flags: list[str]
    counters: list[str]


def _did_you_mean(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _check_reference(location: tuple, value: str | None, known: list[str], kind: str) -> Iterator[CrossCheckError]:
    if value is not None and value not in known:
        yield CrossCheckError(location, f"no {kind} with id '{value}'{_did_you_mean(value, known)}")


def _check_signal(location: tuple, value: str | None) -> Iterator[CrossCheckError]:
    if value is not None and value not in SIGNAL_NAMES:
        known = ", ".join(sorted(SIGNAL_NAMES))
        suggestion = _did_you_mean(value, SIGNAL_NAMES).removeprefix("; ")
        yield CrossCheckError(location, f"unknown action or signal '{value}'; {suggestion + ' ' if suggestion else ''}use one of: {known}")


def _check_condition(location: tuple, condition: Condition, known: _KnownIds) -> Iterator[CrossCheckError]:
    """One condition's own fields; groups inside it are checked as conditions of their own."""
    for name in ("did", "did_not"):
        yield from _check_signal((*location, name), getattr(condition, name))
    for number, step in enumerate(condition.in_order or []):
        yield from _check_signal((*location, "in_order", number, "did"), step.did)
        yield from _check_reference((*location, "in_order", number, "post"), step.post, known.posts, "post")
    for name in ("post", "unanswered"):
        yield from _check_reference((*location, name), getattr(condition, name), known.posts, "post")
    for name in ("fired", "not_fired"):
        yield from _check_reference((*location, name), getattr(condition, name), known.branches, "branch")
    if condition.flag is not None and condition.flag not in known.flags:
        hint = _did_you_mean(condition.flag, known.flags) or (" (it is a counter)" if condition.flag in known.counters else "")
        yield CrossCheckError((*location, "flag"), f"no effect ever sets flag '{condition.flag}'{hint}")
    for name, test in (condition.counter or {}).items():
        if name not in known.counters:
            hint = _did_you_mean(name, known.counters) or (" (it is a flag)" if name in known.flags else "")
            yield CrossCheckError((*location, "counter", name), f"no effect ever adds to counter '{name}'{hint}")
        if test.at_least is None and test.at_most is None:
            yield CrossCheckError((*location, "counter", name), "give at_least and/or at_most")


def _effects_within(location: tuple, effect: Effect) -> Iterator[tuple[tuple, Effect]]:
    yield location, effect
    if effect.decide is not None:
        for number, option in enumerate(effect.decide.options):
            yield from _effects_within((*location, "decide", "options", number), option)


def _conditions_within(location: tuple, condition: Condition) -> Iterator[tuple[tuple, Condition]]:
    yield location, condition
    for name, group in (("any", condition.any_of), ("all", condition.all_of)):
        for index, part in enumerate(group or []):
            yield from _conditions_within((*location, name, index), part)
    if condition.not_ is not None:
        yield from _conditions_within((*location, "not"), condition.not_)


def _required_fired(condition: Condition) -> set[str]:
    """Branches that must have fired for ``condition`` to hold (``fired`` outside any ``any``/``not``)."""
    required = {condition.fired} if condition.fired else set()
    for part in condition.all_of or []:
        required |= _required_fired(part)
    return required


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Cycles in ``graph``, one per edge that leads back into the current path of a depth-first walk.

    Iterative and linear in the size of the graph, so a large hostile file cannot exhaust the stack or the clock.
    """
    found: list[list[str]] = []
    done: set[str] = set()
    for start in graph:
        if start in done:
            continue
        path = [start]
        on_path = {start}
        pending = [iter(graph[start])]
        while pending:
            target = next(pending[-1], None)
            if target is None:
                node = path.pop()
                on_path.discard(node)
                done.add(node)
                pending.pop()
            elif target in on_path:
                found.append(path[path.index(target) :])
            elif target not in done and target in graph:
                path.append(target)
                on_path.add(target)
                pending.append(iter(graph[target]))
    return found


TEST_SUFFIX = ".test.yaml"
"""A scenario's tests live beside it: ``x.yaml`` and ``x.test.yaml``."""


def is_test_file(path: Path) -> bool:
    """Whether ``path`` holds scenario tests rather than a scenario."""
    return path.name.endswith((TEST_SUFFIX, ".test.yml"))


def load_scenario(path: Path | str) -> Scenario:
    """Load and validate one scenario file."""
    return load_model(Path(path), Scenario)


def load_scenarios(directory: Path | str) -> tuple[list[Scenario], list[DataFileError]]:
    """Load every ``*.yaml`` in ``directory`` except scenario tests (``*.test.yaml``); broken files are returned, not raised."""
    directory = Path(directory)
    scenarios: list[Scenario] = []
    errors: list[DataFileError] = []
    if not directory.is_dir():
        errors.append(DataFileError(directory, [Problem(None, "", "scenario folder does not exist")]))
        return scenarios, errors
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.y*ml")):
        if is_test_file(path):
            continue
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
