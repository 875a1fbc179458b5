"""Score a finished session on speed, empathy and honesty, moment by moment.

Every point comes from a named rule in ``rules.yaml`` (or a scenario branch)
and is kept as a :class:`Moment`, so the debrief can say exactly what earned
or cost it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from .actions import CATEGORIES, Action, Category
from .rules import Rules
from .scenario import Sentiment, TextSignal
from .session import Response, Session
from .spread import Post, clamp


@dataclass(frozen=True)
class Moment:
    """One scored moment of the session."""

    minute: int | None
    category: Category
    points: int
    text: str
    rule: str


@dataclass(frozen=True)
class CategoryScore:
    category: Category
    score: int
    moments: tuple[Moment, ...]


@dataclass(frozen=True)
class Scorecard:
    categories: dict[Category, CategoryScore]
    overall: int

    @property
    def moments(self) -> list[Moment]:
        return [m for c in self.categories.values() for m in c.moments]

    def __getitem__(self, category: Category) -> int:
        return self.categories[category].score


def score_session(session: Session) -> Scorecard:
    """Score ``session`` with its own rules.

    Gains are capped at 100 before penalties are taken off, so a mistake
    always shows in the score, even in an otherwise perfect run.
    """
    rules = session.rules
    scoring = rules.scoring
    moments = _cap(list(_moments(session)), rules)
    by_category: dict[Category, list[Moment]] = defaultdict(list)
    for moment in moments:
        by_category[moment.category].append(moment)
    categories = {}
    for category in CATEGORIES:
        found = sorted(by_category[category], key=lambda m: (m.minute is None, m.minute or 0))
        gains = min(sum(m.points for m in found if m.points > 0), 100 - scoring.base)
        total = scoring.base + gains + sum(m.points for m in found if m.points < 0)
        categories[category] = CategoryScore(category, round(clamp(total, 0, 100)), tuple(found))
    weights = scoring.weights
    overall = sum(categories[c].score * weights[c] for c in CATEGORIES) / sum(weights.values())
    return Scorecard(categories, round(overall))


def _cap(moments: list[Moment], rules: Rules) -> list[Moment]:
    """Apply each rule's cap: moments past it still show, worth 0 points."""
    running: dict[str, int] = defaultdict(int)
    capped = []
    for moment in moments:
        rule = rules.scoring.rules.get(moment.rule)
        points = moment.points
        if rule is not None and rule.cap is not None:
            room = rule.cap - running[moment.rule]
            points = min(points, room) if rule.cap > 0 else max(points, room)
            if (rule.cap > 0 and points < 0) or (rule.cap < 0 and points > 0):
                points = 0
        running[moment.rule] += points
        capped.append(Moment(moment.minute, moment.category, points, moment.text, moment.rule))
    return capped


class _Moments:
    """Builds moments from rules, filling in their explanation templates."""

    def __init__(self, session: Session) -> None:
        self.rules = session.rules.scoring
        self.values = self.rules.thresholds.model_dump() | {"brand": session.scenario.brand.name}

    def __call__(self, rule_id: str, at: int | None, **values: object) -> Moment:
        rule = self.rules.rules[rule_id]
        text = rule.explain.format_map(_Blank(self.values | values))
        return Moment(at, rule.category, rule.points, text, rule_id)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _moments(session: Session) -> Iterator[Moment]:
    moment = _Moments(session)
    yield from _speed(session, moment)
    yield from _empathy(session, moment)
    yield from _honesty(session, moment)
    for branch in session.branch_scores:
        effect = branch.effect
        yield Moment(branch.minute, effect.category, effect.points, effect.explain, "scenario")


def _public(session: Session) -> list[Response]:
    return [r for r in session.responses if r.action.is_public_text]


def _speed(session: Session, moment: _Moments) -> Iterator[Moment]:
    limits = session.rules.scoring.thresholds
    public = _public(session)
    if not public:
        yield moment("no_response", None)
    else:
        first = public[0].minute
        rule = "first_response_fast" if first <= limits.fast_minutes else "first_response_ok" if first <= limits.late_minutes else "first_response_late"
        yield moment(rule, first, minute=first)

    for post in _high_reach_complaints(session):
        values = {"handle": post.handle, "reach": f"{post.reach:,}"}
        if post.answered_at is None:
            yield moment("high_reach_unanswered", None, **values)
            continue
        delay = post.answered_at - post.minute
        rule = "high_reach_fast" if delay <= limits.fast_minutes else "high_reach_ok" if delay <= limits.late_minutes else "high_reach_late"
        yield moment(rule, post.answered_at, delay=delay, **values)

    updates = [r.minute for r in session.responses if r.action is Action.STATUS_UPDATE]
    if not updates:
        yield moment("no_status", None)
        return
    if updates[0] <= limits.status_first_minutes:
        yield moment("status_first", updates[0], minute=updates[0])
    checkpoints = [0, *updates, session.minute]
    for start, end in pairwise(checkpoints):
        if end - start > limits.status_gap_minutes:
            yield moment("status_gap", end, start=start, end=end)


def _high_reach_complaints(session: Session) -> list[Post]:
    threshold = session.rules.scoring.thresholds.high_reach
    return [p for p in session.posts if p.sentiment.is_negative and not p.hidden and p.reach >= threshold]


def _empathy(session: Session, moment: _Moments) -> Iterator[Moment]:
    limits = session.rules.scoring.thresholds
    personal = 0
    for response in session.responses:
        post = session.post(response.post_id) if response.post_id else None
        handle = post.handle if post else "everyone"
        signals = response.signals
        if post is not None and response.action.speaks_to_person:
            personal += 1
        if TextSignal.EMPATHY in signals and post is not None:
            yield moment("empathy_shown", response.minute, handle=handle)
        if TextSignal.PERSONALISED in signals:
            yield moment("personalised", response.minute, handle=handle)
        if TextSignal.COPY_PASTE in signals:
            yield moment("copy_paste", response.minute, handle=handle)
        if TextSignal.ACCUSATION in signals:
            yield moment("disrespect", response.minute, handle=handle, quote=response.reading.quote(TextSignal.ACCUSATION))
        if response.action is Action.OFFLINE and post is not None:
            delay = response.minute - post.minute
            rule = "taken_offline" if delay <= limits.offline_fast_minutes else "taken_offline_slow"
            channel = response.channel.label if response.channel else "?"
            yield moment(rule, response.minute, handle=handle, channel=channel, delay=delay)
        if response.action is Action.IGNORE and post is not None and post.sentiment is not Sentiment.POSITIVE:
            yield moment("ignored_complaint", response.minute, handle=handle)
    broadcasts = sum(1 for r in session.responses if r.action.is_broadcast)
    if broadcasts >= 3 and broadcasts > personal * limits.broadcast_ratio:
        yield moment("broadcast_habit", None, broadcasts=broadcasts, replies=personal)
    if personal == 0:
        yield moment("never_engaged", None)


def _honesty(session: Session, moment: _Moments) -> Iterator[Moment]:
    apologies = [r for r in _public(session) if TextSignal.APOLOGY in r.signals]  # the session drops it for non-apologies
    if apologies:
        yield moment("apologised", apologies[0].minute, minute=apologies[0].minute)
    elif session.scenario.brand.at_fault:
        yield moment("no_apology", None)
    owned = next((r for r in session.responses if TextSignal.OWNERSHIP in r.signals), None)
    if owned is not None:
        yield moment("owned_mistake", owned.minute, minute=owned.minute, quote=owned.reading.quote(TextSignal.OWNERSHIP))
    for response in session.responses:
        handle = session.post(response.post_id).handle if response.post_id else "everyone"
        signals = response.signals
        for signal, rule in ((TextSignal.NON_APOLOGY, "non_apology"), (TextSignal.DENIAL, "denial"), (TextSignal.ACCUSATION, "accusation")):
            if signal in signals:
                yield moment(rule, response.minute, handle=handle, quote=response.reading.quote(signal))
        if TextSignal.FALSE_CLAIM in signals:
            yield moment("false_claim", response.minute, claim=response.reading.quote(TextSignal.FALSE_CLAIM))
        if response.action is Action.HIDE:
            yield moment("hid_post", response.minute, handle=handle)
        if response.action is Action.STATUS_UPDATE:
            yield moment("kept_informed", response.minute, minute=response.minute)
