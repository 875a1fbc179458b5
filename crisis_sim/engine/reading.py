"""Read what one reply says, once, without a session.

:func:`read_reply` is pure: the same text and context always give the same
:class:`Reading`. It reads clause by clause (quoted and reported words set
aside, negation and who-is-the-subject respected, see :mod:`.language` and
:mod:`.phrasebook`), then :mod:`.grading` weighs the result into a strategy,
graded empathy and honesty, the reasons behind them and a suggestion. The
session uses the reading to let the crowd react and to decide branches; the
scorer uses it to explain points; ``crisis-sim rate`` scores replies that were
never played.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .actions import Action
from .grading import Facts, Judgement, Reason, Strategy, judge
from .language import prepare
from .rules import Rules
from .scenario import Scenario, TextSignal

COPY_PASTE_SIMILARITY = 90  # rapidfuzz ratio, 0-100
MIN_COPY_PASTE_LENGTH = 20


@dataclass(frozen=True)
class ReplyContext:
    """What a reply answers: the action it came with, the post, and the scenario's facts."""

    action: Action = Action.REPLY
    brand: str = ""
    at_fault: bool = True
    false_claims: tuple[str, ...] = ()
    post_text: str | None = None
    author: str | None = None
    post_id: str | None = None
    impossible_promises: tuple[str, ...] = ()
    true_claims: tuple[str, ...] = ()
    scenario: str | None = None  # the scenario's id; the fitted weighing applies only to responses in a scenario

    @classmethod
    def in_scenario(
        cls, scenario: Scenario, action: Action, post_text: str | None = None, author: str | None = None, post_id: str | None = None
    ) -> ReplyContext:
        """A response in ``scenario``: its brand and facts, answering the post given (or everyone)."""
        return cls(
            action=action,
            brand=scenario.brand.name,
            at_fault=scenario.brand.at_fault,
            false_claims=tuple(scenario.false_claims),
            impossible_promises=tuple(scenario.impossible_promises),
            true_claims=tuple(scenario.true_claims),
            post_text=post_text.replace("{brand}", scenario.brand.name) if post_text else None,
            author=author,
            post_id=post_id,
            scenario=scenario.id,
        )


@dataclass(frozen=True)
class Finding:
    """One signal the reply shows, with the words that show it."""

    signal: str
    quote: str


@dataclass(frozen=True)
class Reading:
    """What a reply says and how good it is: signals for branches, graded scores and the reasons for them."""

    text: str
    signals: frozenset[str]
    findings: tuple[Finding, ...] = field(default=())
    empathy: float = 50.0
    honesty: float = 50.0
    overall: float = 50.0
    strategy: Strategy = Strategy.NONE
    reasons: tuple[Reason, ...] = ()
    suggestion: str = ""
    readable: bool = True
    has_words: bool = False

    def quote(self, signal: str) -> str:
        """The words that showed ``signal``, or the whole reply."""
        return next((f.quote for f in self.findings if f.signal == signal), self.text)

    def __contains__(self, signal: object) -> bool:
        return signal in self.signals


class ReplyMemory:
    """Earlier replies, to spot one pasted again under another post (fast with many replies)."""

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._posts: list[str | None] = []

    def add(self, text: str, post_id: str | None) -> None:
        if text:
            self._texts.append(normalise(text))
            self._posts.append(post_id)

    def repeats(self, text: str, post_id: str | None) -> str | None:
        """The earlier reply (normalised) that ``text`` copies, if any; replies to the same post do not count."""
        if len(text) < MIN_COPY_PASTE_LENGTH or not self._texts:
            return None
        normal = normalise(text)
        size = len(normal)
        # A ratio of 90 needs lengths within about 20% of each other: skip the rest before comparing.
        candidates = [i for i, t in enumerate(self._texts) if self._posts[i] != post_id and 0.8 * size <= len(t) <= 1.25 * size]
        if not candidates:
            return None
        match = process.extractOne(normal, [self._texts[i] for i in candidates], scorer=fuzz.ratio, score_cutoff=COPY_PASTE_SIMILARITY)
        return match[0] if match else None


def read_reply(text: str, context: ReplyContext, rules: Rules, memory: ReplyMemory | None = None, calibrated: bool = True) -> Reading:
    """What ``text`` says as a response of ``context.action``; empty text says only the action.

    Responses in a scenario are weighed as trainers weighed the same findings (:mod:`.calibration`), which was
    fitted to responses in scenarios; text from outside any scenario (a press statement put to ``crisis-sim rate``
    on its own) is scored by the rules' points alone, as is everything with ``calibrated=False`` (for fitting it).
    """
    text = text.strip()
    findings: list[Finding] = [Finding(context.action.value, context.action.value)]
    if not text:
        return Reading(text, frozenset(f.signal for f in findings), tuple(findings))
    reading_rules = rules.reading
    prepared = prepare(text, context.brand)
    hits = reading_rules.phrasebook.find_all(prepared.clauses)
    copied = memory.repeats(text, context.post_id) if memory is not None and context.post_id is not None else None
    facts = Facts(
        context.at_fault, context.false_claims, context.impossible_promises, context.post_text, context.author, context.brand, context.true_claims
    )
    judged = judge(prepared, hits, facts, reading_rules, copied, calibrated and context.scenario is not None)
    if context.action is Action.APOLOGY and TextSignal.APOLOGY not in judged.signals:
        findings = []  # the apology button makes nothing an apology that the words do not
    for signal in sorted(judged.signals):
        findings.append(Finding(signal, _quote_for(signal, judged)))
    if copied:
        findings.append(Finding(TextSignal.COPY_PASTE, copied))
    if any(r.rule in ("named_them", "their_details") for r in judged.reasons):
        findings.append(Finding(TextSignal.PERSONALISED, next(r.quote for r in judged.reasons if r.rule in ("named_them", "their_details"))))
    weights = rules.scoring.weights
    overall = (judged.empathy * weights["empathy"] + judged.honesty * weights["honesty"]) / (weights["empathy"] + weights["honesty"])
    return Reading(
        text=text,
        signals=frozenset(f.signal for f in findings),
        findings=tuple(findings),
        empathy=judged.empathy,
        honesty=judged.honesty,
        overall=round(overall, 1),
        strategy=judged.strategy,
        reasons=judged.reasons,
        suggestion=judged.suggestion,
        readable=judged.readable,
        has_words=True,
    )


#: The reasons whose words show each signal.
_SIGNAL_REASONS = {
    TextSignal.APOLOGY: ("regret", "regret_without_ownership", "owned_it"),
    TextSignal.NON_APOLOGY: ("pseudo_apology", "conditional_apology", "wrong_party", "euphemism", "stuffed_claims"),
    TextSignal.OWNERSHIP: ("owned_it", "false_confession"),
    TextSignal.EMPATHY: ("feelings", "validated", "generic_empathy"),
    TextSignal.DENIAL: ("denied", "honest_correction"),
    TextSignal.ACCUSATION: ("blamed", "attacked_them", "blamed_them"),
    TextSignal.OFFLINE_OFFER: ("offered_contact",),
    TextSignal.FALSE_CLAIM: ("false_claim",),
}


def _quote_for(signal: str, judged: Judgement) -> str:
    """The words behind ``signal``: the claim itself for a false claim, else the quote of the reason that showed it."""
    if signal == TextSignal.FALSE_CLAIM and judged.false_claim:
        return judged.false_claim
    wanted = _SIGNAL_REASONS.get(signal, ())
    return next((r.quote for r in judged.reasons if r.rule in wanted), "")


def normalise(text: str) -> str:
    """Text without mentions, punctuation and case, to spot copy-pasted replies."""
    return " ".join(re.sub(r"@\w+|[^\w\s]", " ", text.lower()).split())
