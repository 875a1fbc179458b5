"""Read what one reply says, once, without a session.

:func:`read_reply` is pure: the same text and context always give the same
:class:`Reading`. The session uses it to let the crowd react and to decide
branches; the scorer uses the same reading to explain points; ``crisis-sim rate``
uses it to score replies that were never played.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .actions import Action
from .rules import Rules
from .scenario import TextSignal, find_false_claim

COPY_PASTE_SIMILARITY = 90  # rapidfuzz ratio, 0-100
MIN_COPY_PASTE_LENGTH = 20
DISTINCTIVE_WORD_LENGTH = 5

_STOPWORDS = frozenset(["about", "after", "again", "their", "there", "these", "those", "which", "while", "would", "could", "should", "being", "other", "still", "never"])


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


@dataclass(frozen=True)
class Finding:
    """One thing the reply says, with the words that say it."""

    signal: str
    quote: str


@dataclass(frozen=True)
class Reading:
    """What a reply says: the signals conditions and scoring read, and the words behind each."""

    text: str
    signals: frozenset[str]
    findings: tuple[Finding, ...] = field(default=())

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
        for match, _score, index in process.extract_iter(
            normal, self._texts, scorer=fuzz.ratio, score_cutoff=COPY_PASTE_SIMILARITY
        ):
            if self._posts[index] != post_id:
                return match
        return None


def read_reply(text: str, context: ReplyContext, rules: Rules, memory: ReplyMemory | None = None) -> Reading:
    """What ``text`` says as a response of ``context.action``; empty text says only the action."""
    text = text.strip()
    findings: list[Finding] = [Finding(context.action.value, context.action.value)]
    if text:
        for signal in sorted(rules.read(text)):
            findings.append(Finding(signal, rules.quote(signal, text)))
        claim = find_false_claim(text, context.false_claims)
        if claim:
            findings.append(Finding(TextSignal.FALSE_CLAIM, claim))
        if context.author is not None and context.post_text is not None:
            personal = personal_touch(text, context.author, context.post_text, context.brand)
            if personal:
                findings.append(Finding(TextSignal.PERSONALISED, personal))
        if memory is not None and context.post_id is not None:
            copied = memory.repeats(text, context.post_id)
            if copied:
                findings.append(Finding(TextSignal.COPY_PASTE, copied))
    if any(f.signal == TextSignal.NON_APOLOGY for f in findings):  # choosing "apology" does not make "sorry you feel" one
        findings = [f for f in findings if f.signal != TextSignal.APOLOGY]
    return Reading(text, frozenset(f.signal for f in findings), tuple(findings))


def personal_touch(text: str, author: str, post_text: str, brand: str) -> str | None:
    """The words that make ``text`` personal: the author's first name, or details picked up from their post."""
    first_name = author.split()[0].lower() if author.split() else ""
    if first_name and re.search(rf"\b{re.escape(first_name)}\b", text.lower()):
        return author.split()[0]
    shared = (set(_words(text)) & set(_words(post_text))) - set(_words(brand)) - _STOPWORDS
    return ", ".join(sorted(shared)) if len(shared) >= 2 else None


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z']+", text.lower()) if len(w) >= DISTINCTIVE_WORD_LENGTH]


def normalise(text: str) -> str:
    """Text without mentions, punctuation and case, to spot copy-pasted replies."""
    return " ".join(re.sub(r"@\w+|[^\w\s]", " ", text.lower()).split())
