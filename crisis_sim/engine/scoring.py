"""Score a finished session on speed, empathy and honesty, moment by moment.

Every point comes from a named rule in ``rules.yaml`` (or a scenario branch)
and is kept as a :class:`Moment`, so the debrief can say exactly what earned
or cost it. Empathy and honesty come mostly from the graded reading of each
public reply (averaged, so ten warm replies are not worth more than one warm
reply per person who needed it); the action button chosen adds nothing the
words did not earn. What is not about words (taking people offline, ignoring
or hiding posts, status updates, broadcasting instead of talking) is scored
by behaviour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from .actions import CATEGORIES, Action, Category, PostEffect
from .grading import Reason
from .rules import Rules
from .scenario import Sentiment, TextSignal
from .session import Response, Session
from .spread import Post, clamp

REASONS_SHOWN = 3  # reasons quoted in a reply's moment


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
class ReplyReview:
    """One public reply as the debrief reviews it: what it did, its graded scores, why, and how to do better."""

    minute: int
    handle: str
    action: Action
    text: str
    strategy: str
    title: str  # "Reply to @maya", "Status update": how the debrief names it
    empathy: float
    honesty: float
    reasons: tuple[Reason, ...]
    suggestion: str
    readable: bool


@dataclass(frozen=True)
class Scorecard:
    categories: dict[Category, CategoryScore]
    overall: int
    replies: tuple[ReplyReview, ...] = ()

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
    return Scorecard(categories, round(overall), tuple(_reviews(session)))


def _reviews(session: Session) -> list[ReplyReview]:
    return [
        ReplyReview(
            minute=r.minute, handle=_handle(session, r), action=r.action, text=r.text, strategy=str(r.reading.strategy),
            title=_title(session, r),
            empathy=r.reading.empathy, honesty=r.reading.honesty, reasons=r.reading.reasons,
            suggestion=r.reading.suggestion, readable=r.reading.readable,
        )
        for r in _worded(session)
    ]


def _handle(session: Session, response: Response) -> str:
    return session.post(response.post_id).handle if response.post_id else "everyone"


def _title(session: Session, response: Response) -> str:
    """How the debrief names a response: "Reply to @maya", "Public apology to @maya", "Status update"."""
    label = response.action.label[:1].upper() + response.action.label[1:]
    return f"{label} to {session.post(response.post_id).handle}" if response.post_id else label


def _worded(session: Session) -> list[Response]:
    """Public responses with words the crowd reads: the replies the reader grades."""
    return [r for r in session.responses if r.action.is_public_text and r.reading.has_words]


def _answers(response: Response, session: Session) -> bool:
    """Whether a response counts as answering: an attack, a denial or words below ``answers_at`` (gibberish, mockery) do not.

    A weak but civil reply still answers; its words are what empathy and honesty score.
    """
    reading = response.reading
    if not reading.has_words or not reading.readable:
        return True
    hostile = {TextSignal.DENIAL, TextSignal.ACCUSATION, TextSignal.FALSE_CLAIM} & reading.signals
    return not hostile and reading.overall >= session.rules.scoring.thresholds.answers_at


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
    """Public responses that answer people: an attack is fast but it is not an answer."""
    return [r for r in session.responses if r.action.is_public_text and _answers(r, session)]


def _answered_at(session: Session, post: Post) -> int | None:
    """When ``post`` was first answered by a response that counts as an answer."""
    return next((r.minute for r in session.responses_to(post.id) if r.action.spec.effect is PostEffect.ANSWER and _answers(r, session)), None)


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
        answered = _answered_at(session, post)
        if answered is None:
            if session.minute - post.minute > limits.fast_minutes:  # a post from the last minutes could not be answered yet
                yield moment("high_reach_unanswered", None, **values)
            continue
        delay = answered - post.minute
        rule = "high_reach_fast" if delay <= limits.fast_minutes else "high_reach_ok" if delay <= limits.late_minutes else "high_reach_late"
        yield moment(rule, answered, delay=delay, **values)

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


def _reply_moments(session: Session, moment: _Moments, category: Category) -> Iterator[Moment]:
    """Each worded reply's graded score in ``category``, averaged over the replies that say something about it.

    A reply with nothing to judge in a category (a bare "could you DM us?" for honesty) neither dilutes nor
    lifts the average; one the reader could not read is shown with 0 points. Gains are averaged over at
    least ``min_replies`` replies, so one good line does not carry a whole crisis; a bad reply costs its
    full share, as one screenshot can sink a crisis.
    """
    rule_id = f"reply_{category.value}"
    judged = [r for r in _worded(session) if any(reason.category is category for reason in r.reading.reasons if r.reading.readable)]
    points = session.rules.scoring.rules[rule_id].points
    gain_share = points / max(len(judged), session.rules.scoring.thresholds.min_replies)
    cost_share = points / max(len(judged), 1)
    explains = session.rules.reading.reasons
    for response in _worded(session):
        reading = response.reading
        values = {"handle": _handle(session, response), "response": _title(session, response), "minute": response.minute, "strategy": reading.strategy}
        if not reading.readable:
            if category is Category.EMPATHY:
                why = "could not be read (not English, or only emoji), so it neither earns nor costs points"
                found = moment(rule_id, response.minute, score="50", why=why, **values)
                yield Moment(found.minute, found.category, 0, found.text, "unreadable")
            continue
        if response not in judged:
            continue
        score = reading.empathy if category is Category.EMPATHY else reading.honesty
        reasons = sorted((r for r in reading.reasons if r.category is category), key=lambda r: -abs(r.points))
        why = "; ".join(f'{explains[r.rule].explain} "{r.quote}"' for r in reasons[:REASONS_SHOWN])
        found = moment(rule_id, response.minute, score=f"{score:.0f}", why=why, **values)
        weight = _weight(score, session)
        yield Moment(found.minute, found.category, round((gain_share if weight > 0 else cost_share) * weight), found.text, reasons[0].rule)


def _weight(score: float, session: Session) -> float:
    """A reply's share of the reply points, -1 to 1: full marks from ``full_marks_at``, the full cost at 0."""
    full = session.rules.scoring.thresholds.full_marks_at
    return min(1.0, (score - 50) / (full - 50)) if score >= 50 else (score - 50) / 50


def _empathy(session: Session, moment: _Moments) -> Iterator[Moment]:
    limits = session.rules.scoring.thresholds
    personal = 0
    yield from _reply_moments(session, moment, Category.EMPATHY)
    for response in session.responses:
        post = session.post(response.post_id) if response.post_id else None
        handle = post.handle if post else "everyone"
        if post is not None and response.action.speaks_to_person:
            personal += 1
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
    yield from _reply_moments(session, moment, Category.HONESTY)
    owned = any({TextSignal.APOLOGY, TextSignal.OWNERSHIP} & r.signals for r in _worded(session))
    if session.scenario.brand.at_fault and not owned:
        yield moment("no_apology", None)
    for response in session.responses:
        if response.action is Action.HIDE:
            yield moment("hid_post", response.minute, handle=_handle(session, response))
        if response.action is Action.STATUS_UPDATE and _answers(response, session):
            yield moment("kept_informed", response.minute, minute=response.minute)
