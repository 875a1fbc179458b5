"""Judge what a reply does: its crisis-response strategy, graded empathy and honesty, the reasons, a suggestion.

The phrasebook says which phrases are in the brand's own clauses; this module
decides what they add up to, the way a comms trainer would: who the words are
about, whether an apology owns anything, whether the strategy fits the facts
(``at_fault``), and which traps cap a score whatever else the reply says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .actions import Category
from .language import Clause, Prepared, content_stems, english_share, expand, foreign_share, letters_share, shouted, stem
from .phrasebook import NEGATORS, SCOPE_BREAK, Hit

if TYPE_CHECKING:
    from .rules import ReadingRules


class Strategy(StrEnum):
    """Coombs' crisis-response strategies (SCCT), plus what trainers use daily."""

    DENY = "deny"
    ATTACK_ACCUSER = "attack_accuser"
    SCAPEGOAT = "scapegoat"
    EXCUSE = "excuse"
    JUSTIFY = "justify"
    MINIMISE = "minimise"
    APOLOGY = "apology"
    COMPENSATION = "compensation"
    CORRECTIVE_ACTION = "corrective_action"
    BOLSTERING = "bolstering"
    INGRATIATION = "ingratiation"
    NONE = "none"


#: Phrase sets the reading rules must define.
PHRASE_KINDS = frozenset(
    ["regret", "pseudo_apology", "conditional_apology", "overclaim", "euphemism", "passive_voice", "ownership", "wrongness", "exonerate", "validation", "plain_answer", "feelings", "generic_empathy", "thanks_for_raising", "boilerplate", "offline", "repair", "corrective", "update_promise", "investigating", "evasion", "deny", "blame", "attack", "condescension", "sarcasm", "joke", "wrong_party", "minimise", "excuse", "justify", "scapegoat", "impossible_promise", "promotion", "bolstering", "ingratiation", "word_salad"]
)
#: Slots the phrase sets use.
SLOT_NAMES = frozenset({"we", "they", "others", "time"})
#: Reasons the reading rules must give points for.
REASON_IDS = frozenset(
    ["named_them", "their_details", "feelings", "validated", "thanked_them", "generic_empathy", "sorry_for_them", "owned_to_them", "offered_contact", "spoke_to_them", "made_amends", "informed_everyone", "defensive", "boilerplate", "pseudo_sympathy", "negated_empathy", "sarcasm", "condescension", "shouting", "joke", "attacked_them", "blamed_them", "wrong_party_empathy", "off_topic", "word_salad", "keyword_stuffing", "quoted_back", "copy_paste", "no_substance", "tone_deaf", "owned_it", "named_the_wrong", "cleared_them", "regret", "regret_without_ownership", "repair", "corrective_action", "next_step_time", "honest_answer", "honest_correction", "false_confession", "pseudo_apology", "conditional_apology", "passive_voice", "euphemism", "wrong_party", "minimise", "excuse", "justify", "scapegoat", "evasion", "denied", "blamed", "mockery", "jargon", "false_claim", "impossible_promise", "bolstering", "ingratiation", "promotion", "stuffed_claims"]
)
ADVICE_KEYS = frozenset({"own_it", "name_them", "give_time", "offer_contact", "unreadable", "keep_it"})

HOSTILE = frozenset({"sarcasm", "condescension", "joke", "attacked_them", "blamed_them", "negated_empathy"})
GENERIC = frozenset({"boilerplate", "copy_paste", "keyword_stuffing", "word_salad", "off_topic"})
DISHONEST = frozenset({"denied", "blamed", "mockery", "jargon", "false_claim", "impossible_promise"})
DEFENDING = frozenset({"excuse", "justify", "scapegoat", "denied", "evasion", "false_claim"})
EVASIVE = frozenset({"pseudo_apology", "conditional_apology", "passive_voice", "euphemism", "excuse", "justify", "scapegoat", "minimise", "wrong_party", "stuffed_claims"})
MONEY = re.compile(r"refund|compensat|miles|points|voucher|credit|gift card|free|\$|pay (you|her|him)")
KEYWORD_STEMS = frozenset({"sorry", "apolog", "understand", "frustrat", "fault", "unacceptabl", "care", "dm", "empathy", "regret", "hear", "feel", "upset", "responsib", "caring"})
SUBJECT_NEGATORS = frozenset({"nobody", "none", "nothing", "noone"})
NOT_A_STATEMENT = re.compile(r"\b(?:if|whether|should|would|will|could|might|can|gets?|ever|again|called|call|calls|described|said|says|claimed|claims|labelled|labeled|wrote|defend|defending|excuse)\b")
TITLED_NAME = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.? [A-Z][a-z]+")
BARE_OFFLINE_WORDS = 6  # "DM us." alone is a brush-off, not an offer to talk
NO_SUBSTANCE_WORDS = 12
ENGAGING = ("feelings", "validation", "thanks_for_raising", "regret", "offline", "repair", "corrective", "update_promise", "plain_answer")
DEFENSIVE = ("evasion", "excuse", "justify", "scapegoat", "minimise", "bolstering", "deny")
BRAND_SUBJECT = re.compile(r"\s*(?:\w+\s+){0,3}?(?:we|our|i|my|the company)\b")
CONDITIONAL = re.compile(r"\bif\b")
ADDRESSEE = re.compile(r"\b(you|your)\b")
SUGGESTIONS = 3


@dataclass(frozen=True)
class Reason:
    """One rule that moved a score, with the exact words that fired it."""

    rule: str
    category: Category
    points: float
    quote: str

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "category": self.category.value, "points": self.points, "quote": self.quote}


@dataclass(frozen=True)
class Facts:
    """What the scenario says is true, and who the reply answers."""

    at_fault: bool = True
    false_claims: tuple[str, ...] = ()
    impossible_promises: tuple[str, ...] = ()
    post_text: str | None = None
    author: str | None = None
    brand: str = ""


@dataclass(frozen=True)
class Judgement:
    """A reply judged: strategy, graded scores and why."""

    readable: bool
    strategy: Strategy
    empathy: float
    honesty: float
    reasons: tuple[Reason, ...]
    suggestion: str
    false_claim: str | None
    signals: frozenset[str]


class Findings:
    """The phrase hits of one reply, grouped by kind, with the brand's-voice rules applied."""

    def __init__(self, hits: dict[str, list[Hit]], clauses: Sequence[Clause]) -> None:
        self.clauses = clauses
        self.affirmed: dict[str, list[Hit]] = {kind: [h for h in found if not h.negated] for kind, found in hits.items()}
        self.negated: dict[str, list[Hit]] = {kind: [h for h in found if h.negated] for kind, found in hits.items()}

    def yes(self, kind: str) -> list[Hit]:
        return self.affirmed.get(kind, [])

    def no(self, kind: str) -> list[Hit]:
        return self.negated.get(kind, [])

    def clause_has(self, hit: Hit, pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(self.clauses[hit.clause].text))


def judge(prepared: Prepared, hits: dict[str, list[Hit]], facts: Facts, rules: ReadingRules, copied: str | None) -> Judgement:
    """Weigh what a reply's clauses say into a strategy, scores, reasons and a suggestion."""
    words = list(prepared.words)
    found = Findings(hits, prepared.clauses)
    anything = any(found.yes(kind) or found.no(kind) for kind in hits)
    if not readable(prepared, words, anything):
        return _unreadable(prepared, rules)
    reasons: list[Reason] = []
    judge_empathy = _Scorer(rules, Category.EMPATHY, reasons)
    judge_honesty = _Scorer(rules, Category.HONESTY, reasons)

    # --- what the brand owns, regrets, denies -------------------------------------------
    conditional = [h for h in found.yes("ownership") + found.yes("wrongness") if found.clause_has(h, CONDITIONAL)]
    owned = [h for h in found.yes("ownership") if h not in conditional and not prepared.clauses[h.clause].question]
    wrong_named = [h for h in found.yes("wrongness") + found.yes("validation") if h not in conditional and not _about_them(prepared.clauses[h.clause], h)]
    denials = found.yes("deny") + found.no("ownership") + found.no("wrongness")
    qualified_clauses = {h.clause for kind in ("pseudo_apology", "conditional_apology", "wrong_party", "euphemism", "passive_voice") for h in found.yes(kind)}
    regrets = found.yes("regret")
    mocking = found.yes("sarcasm") + found.yes("joke")
    real_regret = [h for h in regrets if h.clause not in qualified_clauses] if not mocking else []
    pseudo = found.yes("pseudo_apology")
    conditional_apology = found.yes("conditional_apology")
    attacks = [h for h in found.yes("attack") if not _self_criticism(prepared.clauses[h.clause])]
    blames = found.yes("blame")
    claim = _false_claim(prepared, facts.false_claims)
    promise = found.yes("impossible_promise") or _promised(prepared, facts.impossible_promises)
    stuffing = _keyword_stuffing(words)
    salad = len({h.words for h in found.yes("word_salad")}) >= 2 and not (owned or found.yes("feelings"))
    owns = bool(owned or wrong_named) and not stuffing

    # --- empathy: this person, what happened to them, with respect ---------------------------
    cleared = [h for h in found.yes("exonerate") if not re.search(r"\b(?:whether|if)\b", prepared.clauses[h.clause].text)]
    engaged = any(found.yes(kind) for kind in ENGAGING) or owns or bool(cleared or real_regret)
    engaged = engaged or (bool(found.yes("offline")) and len(words) > BARE_OFFLINE_WORDS)
    name = _named(prepared.cleaned, facts.author)
    if name and engaged:  # a name on a brush-off is not a personal reply
        judge_empathy("named_them", name)
    for detail in _shared_details(prepared.cleaned, facts) if engaged else []:
        judge_empathy("their_details", detail)
    if engaged and facts.author:
        for clause in [c for c in prepared.clauses if ADDRESSEE.search(c.text)][:3]:
            judge_empathy("spoke_to_them", clause.quote(0, len(clause.text)))
    sincere = [h for h in found.yes("feelings") if not found.clause_has(h, CONDITIONAL) and h.clause not in qualified_clauses]
    for hit in _distinct(sincere)[:2]:
        judge_empathy("feelings", hit.quote)
    if found.yes("validation"):
        judge_empathy("validated", found.yes("validation")[0].quote)
    if found.yes("thanks_for_raising"):
        judge_empathy("thanked_them", found.yes("thanks_for_raising")[0].quote)
    if found.yes("generic_empathy") and not found.yes("feelings"):
        judge_empathy("generic_empathy", found.yes("generic_empathy")[0].quote)
    if real_regret and not stuffing:
        judge_empathy("sorry_for_them", real_regret[0].quote)
    if owns:
        judge_empathy("owned_to_them", (owned or wrong_named)[0].quote)
    if found.yes("repair") and (owns or real_regret):
        judge_empathy("made_amends", found.yes("repair")[0].quote)
    if found.yes("offline") and engaged:
        judge_empathy("offered_contact", found.yes("offline")[0].quote)
    informed = found.yes("update_promise") + found.yes("corrective")
    if not facts.author and informed and (owns or real_regret or cleared or found.yes("update_promise")):
        judge_empathy("informed_everyone", informed[0].quote)
    defence = [h for kind in DEFENSIVE for h in found.yes(kind)]
    if defence and not (found.yes("feelings") or real_regret or owns):
        judge_empathy("defensive", defence[0].quote)
    for hit in found.yes("boilerplate")[:2]:
        judge_empathy("boilerplate", hit.quote)
    if pseudo and not real_regret:
        judge_empathy("pseudo_sympathy", pseudo[0].quote)
    negated_empathy = found.no("feelings") + found.no("generic_empathy") + found.no("validation")
    if negated_empathy:
        judge_empathy("negated_empathy", negated_empathy[0].quote)
    if found.yes("sarcasm"):
        judge_empathy("sarcasm", found.yes("sarcasm")[0].quote)
    if found.yes("condescension"):
        judge_empathy("condescension", found.yes("condescension")[0].quote)
    loud = shouted(prepared.cleaned)
    if loud:
        judge_empathy("shouting", loud)
    if found.yes("joke"):
        judge_empathy("joke", found.yes("joke")[0].quote)
    if attacks:
        judge_empathy("attacked_them", attacks[0].quote)
    elif blames:
        judge_empathy("blamed_them", blames[0].quote)
    if found.yes("wrong_party"):
        judge_empathy("wrong_party_empathy", found.yes("wrong_party")[0].quote)
    if found.yes("promotion"):
        judge_empathy("off_topic", found.yes("promotion")[0].quote)
    if salad:
        judge_empathy("word_salad", ", ".join(sorted({h.quote for h in found.yes("word_salad")})))
    if stuffing:
        judge_empathy("keyword_stuffing", stuffing)
    if (prepared.quoted or prepared.reported) and (denials or blames or attacks or found.yes("minimise") or found.yes("justify")):
        judge_empathy("quoted_back", (prepared.quoted or prepared.reported)[0])
    if copied:
        judge_empathy("copy_paste", copied)
    if (facts.author and not engaged) or (not reasons and len(words) < NO_SUBSTANCE_WORDS):
        judge_empathy("no_substance", prepared.cleaned)
    if found.yes("ingratiation") and not (owns or real_regret or sincere):
        judge_empathy("tone_deaf", found.yes("ingratiation")[0].quote)

    # --- honesty: owning the brand's part in plain words, nothing untrue ----------------------
    overclaims = found.yes("overclaim")
    if owns and facts.at_fault and not overclaims:
        judge_honesty("owned_it", (owned or wrong_named)[0].quote)
    elif owns or overclaims:  # confessing to more than happened ("we lowball every mom on purpose") is not honest
        judge_honesty("false_confession", (overclaims or owned or wrong_named)[0].quote)
    if wrong_named:
        judge_honesty("named_the_wrong", wrong_named[0].quote)
    if cleared:
        judge_honesty("cleared_them", cleared[0].quote)
    if real_regret and not stuffing:
        full = owns or not facts.at_fault
        judge_honesty("regret" if full else "regret_without_ownership", real_regret[0].quote)
    repair = found.yes("repair")
    if repair:
        judge_honesty("repair", repair[0].quote)
    corrective = found.yes("corrective")
    if corrective:
        judge_honesty("corrective_action", corrective[0].quote)
    if found.yes("update_promise"):
        judge_honesty("next_step_time", found.yes("update_promise")[0].quote)
    if found.yes("plain_answer") and not denials:
        judge_honesty("honest_answer", found.yes("plain_answer")[0].quote)
    if pseudo:
        judge_honesty("pseudo_apology", pseudo[0].quote)
    if conditional_apology:
        judge_honesty("conditional_apology", conditional_apology[0].quote)
    if not owns:
        for kind, rule in (("passive_voice", "passive_voice"), ("euphemism", "euphemism")):
            if found.yes(kind):
                judge_honesty(rule, found.yes(kind)[0].quote)
    if found.yes("wrong_party"):
        judge_honesty("wrong_party", found.yes("wrong_party")[0].quote)
    for kind in ("minimise", "excuse", "justify", "scapegoat", "evasion"):
        if found.yes(kind):
            judge_honesty(kind, found.yes(kind)[0].quote)
    hostile = bool(attacks or blames or found.yes("condescension") or found.yes("sarcasm"))
    corrects_a_fact = bool(denials) and owns and not (found.no("ownership") or found.no("wrongness") or hostile or claim)
    if denials:
        honest_fix = (not facts.at_fault or corrects_a_fact) and not hostile and not claim
        judge_honesty("honest_correction" if honest_fix else "denied", denials[0].quote)
    if corrects_a_fact:  # "we laughed, and that was wrong; the offer itself follows our rules" owns its part
        denials = []
    if attacks or blames:
        judge_honesty("blamed", (attacks or blames)[0].quote)
    elif mocking:
        judge_honesty("mockery", mocking[0].quote)
    if claim:
        judge_honesty("false_claim", claim)
    if promise:
        judge_honesty("impossible_promise", promise[0].quote if isinstance(promise, list) else promise)
    if found.yes("bolstering"):
        judge_honesty("bolstering", found.yes("bolstering")[0].quote)
    if found.yes("ingratiation"):
        judge_honesty("ingratiation", found.yes("ingratiation")[0].quote)
    if found.yes("promotion"):
        judge_honesty("promotion", found.yes("promotion")[0].quote)
    if salad:
        judge_honesty("jargon", ", ".join(sorted({h.quote for h in found.yes("word_salad")})))
    if stuffing and (found.yes("ownership") or regrets):
        judge_honesty("stuffed_claims", stuffing)

    strategy = _strategy(found, attacks, owns, real_regret, denials, blames, claim, pseudo + conditional_apology, repair, bool(stuffing or salad or mocking))
    if strategy is Strategy.ATTACK_ACCUSER and not (attacks or blames or mocking):  # talking down to the accuser attacks them
        judge_honesty("blamed", found.yes("condescension")[0].quote if found.yes("condescension") else prepared.cleaned)
    fired = {r.rule for r in reasons}
    empathy = rules.base.empathy + judge_empathy.total
    honesty = rules.base.honesty + judge_honesty.total
    if fired & HOSTILE:
        empathy = min(empathy, rules.caps.hostile_empathy)
    if "shouting" in fired:
        empathy = min(empathy, rules.caps.shouting_empathy)
    if fired & GENERIC:
        empathy = min(empathy, rules.caps.generic_empathy)
    if fired & DISHONEST:
        honesty = min(honesty, rules.caps.dishonest_honesty)
    if fired & EVASIVE and not owns:
        honesty = min(honesty, rules.caps.evasive_honesty)
    if fired & DEFENDING and not owns:
        empathy = min(empathy, rules.caps.defensive_empathy)
    empathy, honesty = _clamp(empathy), _clamp(honesty)
    signals = _signals(found, owns, owned, real_regret, regrets, denials, attacks, blames, claim, strategy, empathy, stuffing)
    suggestion = _suggest(reasons, rules, facts, owns, fired, found)
    return Judgement(True, strategy, empathy, honesty, tuple(reasons), suggestion, claim, signals)


class _Scorer:
    """Adds one category's reasons, respecting each reason's cap on what it can add in total."""

    def __init__(self, rules: ReadingRules, category: Category, reasons: list[Reason]) -> None:
        self.rules = rules
        self.category = category
        self.reasons = reasons
        self.total = 0.0
        self._used: Counter[str] = Counter()

    def __call__(self, rule: str, quote: str) -> None:
        spec = self.rules.reasons[rule]
        points = spec.points
        if spec.cap is not None:
            room = spec.cap - self._used[rule]
            points = min(points, room) if spec.cap > 0 else max(points, room)
            if points == 0 or (spec.cap > 0) != (points > 0):
                return
        elif self._used[rule]:
            return  # without a cap a reason counts once per reply
        self._used[rule] += points
        self.total += points
        self.reasons.append(Reason(rule, spec.category, points, _short(quote)))


def readable(prepared: Prepared, words: list[str], anything: bool) -> bool:
    """Whether the reader can read the reply: English words, not only emoji or mostly another language."""
    if not words or letters_share(prepared.cleaned) < 0.5:
        return False
    english, foreign = english_share(words), foreign_share(words)
    return anything or (english >= foreign and english * len(words) >= 1)


def _unreadable(prepared: Prepared, rules: ReadingRules) -> Judgement:
    reason = Reason("unreadable", Category.EMPATHY, 0.0, _short(prepared.cleaned) or "(no words)")
    return Judgement(False, Strategy.NONE, 50.0, 50.0, (reason,), rules.advice["unreadable"], None, frozenset())


def _strategy(found: Findings, attacks: list[Hit], owns: bool, real_regret: list[Hit], denials: list[Hit], blames: list[Hit], claim: str | None,
              pseudo: list[Hit], repair: list[Hit], hollow: bool) -> Strategy:  # fmt: skip
    """The dominant strategy, with the rubric's tie-breaks: attack, then denial, then a real apology."""
    y = found.yes
    addressed_blame = [h for h in blames if found.clause_has(h, ADDRESSEE)]
    if attacks or addressed_blame or (y("sarcasm") and not owns):
        return Strategy.ATTACK_ACCUSER
    if denials:
        return Strategy.DENY
    if blames and not owns:
        return Strategy.JUSTIFY
    if claim and not owns:
        return Strategy.DENY
    token_sorry = not owns and any(y(kind) for kind in ("excuse", "justify", "scapegoat", "evasion"))
    apology = (owns or real_regret) and not hollow and not token_sorry
    if apology:
        last = max((h.clause for h in (real_regret + y("ownership") + y("wrongness"))), default=-1)
        overturned = [h for kind in ("excuse", "justify", "minimise", "scapegoat") for h in y(kind) if h.clause > last and found.clauses[h.clause].after_contrast]
        if not overturned:
            return Strategy.APOLOGY
    if y("condescension") and not (y("justify") or y("minimise") or y("excuse")):
        return Strategy.ATTACK_ACCUSER
    if y("scapegoat"):
        return Strategy.SCAPEGOAT
    if y("justify") or blames:
        return Strategy.JUSTIFY
    if y("excuse") or (y("evasion") and y("euphemism")):
        return Strategy.EXCUSE
    if y("minimise") or pseudo:
        return Strategy.MINIMISE
    if repair and any(MONEY.search(h.words) for h in repair):
        return Strategy.COMPENSATION
    if y("corrective") or y("update_promise") or repair:
        return Strategy.CORRECTIVE_ACTION
    if y("bolstering"):
        return Strategy.BOLSTERING
    if y("ingratiation") or y("wrong_party"):
        return Strategy.INGRATIATION
    if (y("investigating") or y("offline")) and not y("boilerplate") and not hollow:
        return Strategy.CORRECTIVE_ACTION
    return Strategy.NONE


def _signals(found: Findings, owns: bool, owned: list[Hit], real_regret: list[Hit], regrets: list[Hit], denials: list[Hit],
             attacks: list[Hit], blames: list[Hit], claim: str | None, strategy: Strategy, empathy: float, stuffing: str | None) -> frozenset[str]:  # fmt: skip
    """The signal names scenario branches test, decided by meaning."""
    signals = set()
    if strategy is Strategy.APOLOGY or (real_regret and not denials and not attacks and not stuffing):
        signals.add("apology")
    if regrets and "apology" not in signals:
        signals.add("non_apology")
    if owned and not stuffing:
        signals.add("ownership")
    if empathy >= 60 and (found.yes("feelings") or found.yes("validation") or found.yes("generic_empathy")):
        signals.add("empathy")
    if denials or strategy is Strategy.DENY:
        signals.add("denial")
    if attacks or blames:
        signals.add("accusation")
    if found.yes("offline"):
        signals.add("offline_offer")
    if claim:
        signals.add("false_claim")
    return frozenset(signals)


def _suggest(reasons: list[Reason], rules: ReadingRules, facts: Facts, owns: bool, fired: set[str], found: Findings) -> str:
    """What a stronger reply would contain: fix the worst traps first, then add what is missing."""
    advice: list[str] = []
    for reason in sorted((r for r in reasons if r.points < 0), key=lambda r: r.points):
        text = rules.reasons[reason.rule].advice
        if text and text not in advice:
            advice.append(text)
    name = facts.author.split()[0] if facts.author and facts.author.split() else "the person"
    missing = []
    if facts.at_fault and not owns:
        missing.append(rules.advice["own_it"])
    if facts.author and not ({"named_them", "their_details"} & fired):
        missing.append(rules.advice["name_them"].format(name=name))
    if not found.yes("update_promise"):
        missing.append(rules.advice["give_time"])
    if facts.author and not found.yes("offline") and "their_details" not in fired:
        missing.append(rules.advice["offer_contact"])
    chosen = (advice + missing)[:SUGGESTIONS]
    return "; ".join(chosen) if chosen else rules.advice["keep_it"]


def _false_claim(prepared: Prepared, claims: Iterable[str]) -> str | None:
    """The first claim the brand's own words make, even paraphrased; a negated claim is not made."""
    for claim in claims:
        if _claim_in(prepared, claim):
            return claim
    return None


def _promised(prepared: Prepared, promises: Iterable[str]) -> str | None:
    return next((p for p in promises if _claim_in(prepared, p)), None)


def _claim_in(prepared: Prepared, claim: str) -> bool:
    """Whether the brand's own clauses state ``claim``, even paraphrased.

    The claim's key word (its last word that carries meaning) must be there with the same kind of negation
    ("nobody laughed" is not made by "we are not saying nobody laughed" nor by "I won't defend the laughing"),
    stated as a fact (not "if", "should", "will", nor what someone "called" it), and the rest of the claim
    present or close enough.
    """
    wanted = expand(claim)
    words = [w for w in wanted.split() if content_stems(w)]
    if not words:
        return False
    key = stem(words[-1])
    rest = content_stems(" ".join(words[:-1]))
    negation = _negation_kind(wanted)
    for clause in prepared.clauses:
        text = clause.text
        position = next((m.start() for m in re.finditer(r"[a-z][a-z'\-]*", text) if stem(m.group(0)) == key), None)
        if position is None:
            continue
        scope = SCOPE_BREAK.split(text[:position])[-1]
        if _negation_kind(scope) != negation or NOT_A_STATEMENT.search(scope):
            continue
        if rest <= content_stems(text) or fuzz.partial_ratio(wanted, text) >= 65:
            return True
    return False


def _negation_kind(text: str) -> tuple[bool, bool]:
    """How a statement is negated: by its subject ("nobody", "no one"), and (an odd number of times) by a verb ("not")."""
    words = text.split()
    subject = any(w in SUBJECT_NEGATORS for w in words) or "no one" in text
    verbs = sum(w in NEGATORS and w not in SUBJECT_NEGATORS for w in words) - text.count("no one")
    return subject, verbs % 2 == 1


def _self_criticism(clause: Clause) -> bool:
    """Whether harsh words are the brand judging itself ("our solution was stupid"), not attacking anyone."""
    return bool(BRAND_SUBJECT.match(clause.text)) and not ADDRESSEE.search(clause.text)


def _about_them(clause: Clause, hit: Hit) -> bool:
    """Whether the clause judges the person addressed ("your attitude was unacceptable"), not the brand."""
    before = clause.text[: clause.text.find(hit.words)] if hit.words in clause.text else clause.text
    return bool(re.match(r"\s*(?:[a-z]+\s*,\s*)?(?:you|your)\b", before))


def _keyword_stuffing(words: list[str]) -> str | None:
    """A run of the "right" words without sentences: keywords repeated, or keywords making up much of the reply."""
    stems = [stem(w) for w in words]
    keywords = [w for w, s in zip(words, stems, strict=True) if any(s.startswith(k) for k in KEYWORD_STEMS)]
    repeated = [w for w, n in Counter(stem(w)[:6] for w in keywords).items() if n >= 3]
    doubled = any(a == b for a, b in pairwise(words) if a in {"sorry", "apologies"})
    if repeated or doubled or (len(keywords) >= 4 and len(keywords) / len(words) >= 0.3):
        return " ".join(keywords)
    return None


def _named(text: str, author: str | None) -> str | None:
    """The name the reply calls a person by: the author's first or last name, or a title and name ("Dr. Reyes")."""
    names = [n for n in re.findall(r"[^\W\d_]+", author or "") if len(n) >= 2]
    for name in names[:1] + names[-1:]:
        found = re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)
        if found:
            return found.group(0)
    titled = TITLED_NAME.search(text)
    return titled.group(0) if titled else None


def _shared_details(text: str, facts: Facts) -> list[str]:
    """What the reply picks up from the post it answers: its words that make it about this person."""
    if not facts.post_text:
        return []
    shared = content_stems(facts.post_text) - content_stems(facts.brand) - content_stems(facts.author or "")
    picked: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z\-]+", expand(text)):
        key = stem(word.lower())
        if key in shared and len(key) >= 3:
            picked.setdefault(key, word)
    return list(picked.values())


def _distinct(hits: list[Hit]) -> list[Hit]:
    seen: set[int] = set()
    out = []
    for hit in hits:
        if hit.clause not in seen:
            seen.add(hit.clause)
            out.append(hit)
    return out


def _clamp(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
