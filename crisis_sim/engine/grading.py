"""Judge what a reply does: its crisis-response strategy, graded empathy and honesty, the reasons, a suggestion.

The phrasebook says which phrases are in the brand's own clauses; this module
decides what they add up to, the way a comms trainer would: who the words are
about, whether an apology owns anything, whether the strategy fits the facts
(``at_fault``), and which traps cap a score whatever else the reply says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .actions import Category
from .calibration import reader_features
from .language import ClaimWords, Clause, Prepared, content_stems, english_share, expand, foreign_share, letters_share, shouted, stem
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
    [
        "regret",
        "pseudo_apology",
        "conditional_apology",
        "overclaim",
        "euphemism",
        "passive_voice",
        "ownership",
        "wrongness",
        "exonerate",
        "validation",
        "plain_answer",
        "feelings",
        "generic_empathy",
        "thanks_for_raising",
        "boilerplate",
        "offline",
        "repair",
        "corrective",
        "compensation",
        "update_promise",
        "investigating",
        "evasion",
        "deny",
        "blame",
        "attack",
        "condescension",
        "sarcasm",
        "joke",
        "wrong_party",
        "minimise",
        "excuse",
        "justify",
        "scapegoat",
        "impossible_promise",
        "promotion",
        "bolstering",
        "ingratiation",
        "self_focus",
        "word_salad",
        "affected",
        "explanation",
        "plain_harm",
        "vague_reference",
    ]
)
#: Slots the phrase sets use.
SLOT_NAMES = frozenset({"we", "they", "others", "time"})
#: Reasons the reading rules must give points for.
REASON_IDS = frozenset(
    [
        "named_them",
        "their_details",
        "feelings",
        "validated",
        "thanked_them",
        "generic_empathy",
        "sorry_for_them",
        "owned_to_them",
        "offered_contact",
        "spoke_to_them",
        "made_amends",
        "informed_everyone",
        "defensive",
        "boilerplate",
        "pseudo_sympathy",
        "negated_empathy",
        "sarcasm",
        "condescension",
        "shouting",
        "joke",
        "attacked_them",
        "blamed_them",
        "wrong_party_empathy",
        "off_topic",
        "word_salad",
        "keyword_stuffing",
        "quoted_back",
        "copy_paste",
        "no_substance",
        "tone_deaf",
        "self_focus",
        "led_with_defence",
        "spoke_of_them",
        "owned_it",
        "named_the_wrong",
        "explained_it",
        "cleared_them",
        "regret",
        "regret_without_ownership",
        "repair",
        "corrective_action",
        "next_step_time",
        "honest_answer",
        "honest_correction",
        "false_confession",
        "pseudo_apology",
        "conditional_apology",
        "passive_voice",
        "euphemism",
        "wrong_party",
        "minimise",
        "excuse",
        "justify",
        "scapegoat",
        "evasion",
        "denied",
        "blamed",
        "mockery",
        "jargon",
        "false_claim",
        "impossible_promise",
        "bolstering",
        "ingratiation",
        "promotion",
        "stuffed_claims",
        "weighed",
    ]
)
ADVICE_KEYS = frozenset({"own_it", "name_them", "give_time", "offer_contact", "unreadable", "keep_it"})

HOSTILE = frozenset({"sarcasm", "condescension", "joke", "attacked_them", "blamed_them", "negated_empathy"})
GENERIC = frozenset({"boilerplate", "copy_paste", "keyword_stuffing", "word_salad", "off_topic"})
DISHONEST = frozenset({"denied", "blamed", "mockery", "jargon", "false_claim", "impossible_promise"})
DEFENDING = frozenset({"excuse", "justify", "scapegoat", "denied", "evasion", "false_claim"})
EVASIVE = frozenset(
    {
        "pseudo_apology",
        "conditional_apology",
        "passive_voice",
        "euphemism",
        "excuse",
        "justify",
        "scapegoat",
        "minimise",
        "wrong_party",
        "stuffed_claims",
    }
)
HEDGES = frozenset({"excuse", "justify", "scapegoat", "minimise", "bolstering", "euphemism", "passive_voice", "wrong_party"})
CLAIM_WORD = re.compile(r"[a-z][a-z'\-]*")
NEGATION_WINDOW = 4  # words before a claim's key word in which a "not" negates it, as in the phrasebook
SUBJECT_NEGATORS = frozenset({"nobody", "none", "nothing", "noone", "neither"})
NOT_A_STATEMENT = re.compile(
    r"\b(?:if|whether|unless|until|should|would|will|could|might|can|gets?|ever|again|called|call|calls|described|said|says|claimed|claims"
    r"|labelled|labeled|marked|listed|recorded|shown|showed|shows|wrote|defend|defending|excuse|excuses|excused)\b"
)  # what comes after these is a question, a wish, a promise or someone else's label, not the brand stating a claim
TITLED_NAME = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.? [A-Z][a-z]+")
BARE_OFFLINE_WORDS = 6  # "DM us." alone is a brush-off, not an offer to talk
NO_SUBSTANCE_WORDS = 12
#: Phrase sets that engage with the person; so do a real regret, ownership, and an offer to talk that says more than "DM us".
ENGAGING = ("feelings", "validation", "thanks_for_raising", "repair", "corrective", "compensation", "update_promise", "plain_answer")
DEFENSIVE = ("evasion", "excuse", "justify", "scapegoat", "minimise", "bolstering")  # and denials that count
LEADING_DEFENCES = ("deny", "boilerplate", "self_focus", "ingratiation", "euphemism", "passive_voice")
HEARING = ("feelings", "validation", "ownership", "wrongness", "affected", "thanks_for_raising")  # listen and care first (and a real regret)
BRAND_SUBJECT = re.compile(r"\s*(?:\w+\s+){0,3}?(?:we|our|i|my|the company)\b")
OUR_CUSTOMERS = re.compile(r"our (?:customer|passenger|guest|client|shopper|visitor|member|follower|fan|reader|listener|mom|parent)s?\b")
CONDITIONAL = re.compile(r"\bif\b")
IF_CLAUSE = re.compile(  # "if we let you down", "if you felt disrespected": a condition on the wrong, not an offer ("if you would like")
    r"\s*(?:and |so |but |)(?:if|to the extent|insofar as|in so far as)\s+(?:we|i|our \w+|anyone|anybody|someone|you|your \w+|any of you|people|this|that|it)"
    r"\s+(?:have|has|had|may|might|did|were|was|felt|feel|feels|found|took|caused|came|seemed|appeared|let|hurt|offended|upset)\b"
)
QUALIFIERS = ("pseudo_apology", "conditional_apology", "wrong_party", "euphemism", "passive_voice")
ADDRESSEE = re.compile(r"\b(you|your)\b")
SUGGESTIONS = 3


@dataclass(frozen=True)
class Reason:
    """One rule that moved a score, with the exact words that fired it."""

    rule: str
    category: Category
    points: float
    quote: str


@dataclass(frozen=True)
class Facts:
    """What the scenario says is true, and who the reply answers."""

    at_fault: bool = True
    false_claims: tuple[str, ...] = ()
    impossible_promises: tuple[str, ...] = ()
    post_text: str | None = None
    author: str | None = None
    brand: str = ""
    true_claims: tuple[str, ...] = ()


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

    def set_aside_true_facts(self, clauses: set[int]) -> None:
        """A clause that states one of the scenario's true facts corrects the record; it does not excuse or justify."""
        for kind in ("justify", "excuse", "minimise"):
            self.affirmed[kind] = [h for h in self.yes(kind) if h.clause not in clauses]

    def fold_vague_references(self) -> None:
        """A vague "the incident" hides what happened only when nothing in the reply names it plainly."""
        vague = self.affirmed.pop("vague_reference", [])
        if not self.yes("plain_harm"):
            self.affirmed["euphemism"] = self.yes("euphemism") + vague

    def first(self, kinds: Iterable[str]) -> Hit | None:
        """The earliest affirmed hit of any of ``kinds``: what the reply says first."""
        return min((h for kind in kinds for h in self.yes(kind)), key=lambda h: (h.clause, h.start), default=None)

    def yes(self, kind: str) -> list[Hit]:
        return self.affirmed.get(kind, [])

    def no(self, kind: str) -> list[Hit]:
        return self.negated.get(kind, [])

    def clause_has(self, hit: Hit, pattern: re.Pattern[str]) -> bool:
        return bool(pattern.search(self.clauses[hit.clause].text))


@dataclass
class Evidence:
    """What a reply's phrase hits add up to, before any points: who owns, regrets, denies, blames what."""

    found: Findings
    prepared: Prepared
    words: list[str]
    owned: list[Hit]  # the brand owning it in its own voice
    wrong_named: list[Hit]  # what happened called wrong, or the accuser agreed with
    owns: bool
    denials: list[Hit]  # denials that count (an owning reply's factual correction does not)
    all_denials: list[Hit]
    corrects_a_fact: bool
    honest_correction: bool  # a respectful correction of a fact the brand is not at fault for
    qualified: set[int]  # clauses whose apology is pseudo, conditional, passive, euphemistic or to the wrong people
    regrets: list[Hit]
    real_regret: list[Hit]
    mocking: list[Hit]
    pseudo: list[Hit]
    conditional_apology: list[Hit]
    attacks: list[Hit]
    blames: list[Hit]
    claim: str | None
    promise: str | None
    stuffing: str | None
    salad: bool
    cleared: list[Hit]
    sincere: list[Hit]  # feelings acknowledged outside an "if" or a pseudo-apology
    engaged: bool  # it engages with the person at all, beyond a name or a bare "DM us"
    hostile: bool
    true_fact: str | None  # the first of the scenario's true facts the reply states, if any


def gather(prepared: Prepared, found: Findings, facts: Facts, rules: ReadingRules, claims: ClaimReader, true_facts: dict[int, str]) -> Evidence:
    """Apply the brand's-voice rules to the hits: conditions, qualifiers, mockery, self-criticism, facts."""
    y, clauses = found.yes, prepared.clauses
    words = list(prepared.words)
    conditional = [h for h in y("ownership") + y("wrongness") if found.clause_has(h, CONDITIONAL)]
    owned = [h for h in y("ownership") if h not in conditional and not clauses[h.clause].question and not _about_customers(h)]
    if not facts.at_fault:  # "we have removed him": acting on someone else's wrong is not confessing to it
        acting = {h.clause for h in y("corrective")}
        owned = [h for h in owned if h.clause not in acting]
    wrong_named = [
        h for h in y("wrongness") + y("validation") if h not in conditional and not _about_them(clauses[h.clause], h) and not _our_grievance(clauses[h.clause], h)
    ]
    stuffing = _keyword_stuffing(words, rules.stuffing_keywords)
    owns = bool(owned or wrong_named) and not stuffing
    if_sorry = [h for h in y("regret") if IF_CLAUSE.match(clauses[h.clause].text)]  # "if we let you down, we apologise"
    qualified = {h.clause for kind in QUALIFIERS for h in y(kind)} | {h.clause for h in if_sorry}
    mocking = y("sarcasm") + y("joke")
    regrets = y("regret")
    real_regret = [h for h in regrets if h.clause not in qualified] if not mocking else []
    attacks = [h for h in y("attack") if not _self_criticism(clauses[h.clause])]
    blames = y("blame")
    claim = claims.first(facts.false_claims)
    all_denials = [h for h in y("deny") + found.no("ownership") + found.no("wrongness") if not _about_customers(h)]
    hostile = bool(attacks or blames or y("condescension") or y("sarcasm"))
    corrects_a_fact = bool(all_denials) and owns and not (found.no("ownership") or found.no("wrongness") or hostile or claim)
    promised = y("impossible_promise")
    cleared = [h for h in y("exonerate") if not re.search(r"\b(?:whether|if)\b", clauses[h.clause].text)]
    engaged = any(y(kind) for kind in ENGAGING) or owns or bool(cleared or real_regret)
    return Evidence(
        found=found,
        prepared=prepared,
        words=words,
        owned=owned,
        wrong_named=wrong_named,
        owns=owns,
        denials=[] if corrects_a_fact else all_denials,
        all_denials=all_denials,
        corrects_a_fact=corrects_a_fact,
        honest_correction=(bool(all_denials) and (not facts.at_fault or corrects_a_fact) and not hostile and not claim)
        or bool(true_facts and not (attacks or blames or claim)),
        true_fact=next(iter(true_facts.values()), None) if true_facts else None,
        qualified=qualified,
        regrets=regrets,
        real_regret=real_regret,
        mocking=mocking,
        pseudo=y("pseudo_apology"),
        conditional_apology=y("conditional_apology") + [h for h in if_sorry if h not in y("conditional_apology")],
        attacks=attacks,
        blames=blames,
        claim=claim,
        promise=promised[0].quote if promised else claims.first(facts.impossible_promises),
        stuffing=stuffing,
        salad=len({h.words for h in y("word_salad")}) >= 2 and not (owned or y("feelings")),
        cleared=cleared,
        sincere=[h for h in y("feelings") if not found.clause_has(h, CONDITIONAL) and h.clause not in qualified],
        engaged=engaged or (bool(y("offline")) and len(words) > BARE_OFFLINE_WORDS),
        hostile=hostile,
    )


def judge(
    prepared: Prepared, hits: dict[str, list[Hit]], facts: Facts, rules: ReadingRules, copied: str | None, calibrated: bool = True
) -> Judgement:
    """Weigh what a reply's clauses say into a strategy, scores, reasons and a suggestion."""
    found = Findings(hits, prepared.clauses)
    found.fold_vague_references()
    claims = ClaimReader(prepared, rules.claim_words)
    true_facts = claims.facts(facts.true_claims)
    found.set_aside_true_facts(set(true_facts))
    anything = any(found.yes(kind) or found.no(kind) for kind in hits)
    if not readable(prepared, list(prepared.words), anything):
        return _unreadable(prepared, rules)
    evidence = gather(prepared, found, facts, rules, claims, true_facts)
    reasons: list[Reason] = []
    empathy_reasons(evidence, facts, copied, _Scorer(rules, Category.EMPATHY, reasons))
    honesty = _Scorer(rules, Category.HONESTY, reasons)
    honesty_reasons(evidence, facts, honesty)
    e = evidence
    strategy = _strategy(
        found,
        e.attacks,
        e.owns,
        e.real_regret,
        e.denials,
        e.blames,
        e.claim,
        e.pseudo + e.conditional_apology,
        found.yes("repair"),
        bool(e.stuffing or e.salad or e.mocking),
        corrects=bool(e.true_fact),
    )
    if strategy is Strategy.ATTACK_ACCUSER and not (e.attacks or e.blames or e.mocking):  # talking down to the accuser attacks them
        honesty("blamed", found.yes("condescension")[0].quote if found.yes("condescension") else prepared.cleaned)
    empathy_score, honesty_score = _capped(reasons, rules, e.owns)
    if calibrated:
        empathy_score, honesty_score = _calibrated(strategy, reasons, (empathy_score, honesty_score), rules, e.owns)
    signals = _signals(
        found, e.owns, e.owned, e.real_regret, e.regrets, e.denials, e.attacks, e.blames, e.claim, strategy, empathy_score, e.stuffing
    )
    suggestion = _suggest(reasons, rules, facts, e.owns, {r.rule for r in reasons}, found)
    return Judgement(True, strategy, empathy_score, honesty_score, tuple(reasons), suggestion, e.claim, signals)


def empathy_reasons(e: Evidence, facts: Facts, copied: str | None, score: _Scorer) -> None:
    """Empathy: this person, what happened to them, said with respect."""
    y, prepared = e.found.yes, e.prepared
    name = _named(prepared.cleaned, facts.author)
    if name and e.engaged:  # a name on a brush-off is not a personal reply
        score("named_them", name)
    for detail in _shared_details(prepared.cleaned, facts) if e.engaged else []:
        score("their_details", detail)
    if e.engaged and facts.author:
        for clause in [c for c in prepared.clauses if ADDRESSEE.search(c.text)][:3]:
            score("spoke_to_them", clause.quote(0, len(clause.text)))
    for hit in _distinct(e.sincere)[:2]:
        score("feelings", hit.quote)
    for kind, rule in (("validation", "validated"), ("thanks_for_raising", "thanked_them")):
        if y(kind):
            score(rule, y(kind)[0].quote)
    if y("generic_empathy") and not y("feelings"):
        score("generic_empathy", y("generic_empathy")[0].quote)
    if e.real_regret and not e.stuffing:
        score("sorry_for_them", e.real_regret[0].quote)
    if e.owns:
        score("owned_to_them", (e.owned or e.wrong_named)[0].quote)
    if y("repair") and (e.owns or e.real_regret):
        score("made_amends", y("repair")[0].quote)
    if y("offline") and e.engaged:
        score("offered_contact", y("offline")[0].quote)
    if not facts.author and y("affected") and not y("wrong_party") and e.engaged:
        score("spoke_of_them", y("affected")[0].quote)
    informed = y("update_promise") + y("corrective")
    if not facts.author and informed and (e.owns or e.real_regret or e.cleared or y("update_promise")):
        score("informed_everyone", informed[0].quote)
    defence = [h for kind in DEFENSIVE for h in y(kind)] + ([] if e.honest_correction else e.all_denials)
    if defence and not (y("feelings") or e.real_regret or e.owns):
        score("defensive", defence[0].quote)
    for hit in y("boilerplate")[:2]:
        score("boilerplate", hit.quote)
    if e.pseudo and not e.real_regret:
        score("pseudo_sympathy", e.pseudo[0].quote)
    dismissed = e.found.no("feelings") + e.found.no("generic_empathy") + e.found.no("validation")
    if dismissed:
        score("negated_empathy", dismissed[0].quote)
    for kind in ("sarcasm", "condescension"):
        if y(kind):
            score(kind, y(kind)[0].quote)
    loud = shouted(prepared.cleaned)
    if loud:
        score("shouting", loud)
    if y("joke"):
        score("joke", y("joke")[0].quote)
    if e.attacks:
        score("attacked_them", e.attacks[0].quote)
    elif e.blames:
        score("blamed_them", e.blames[0].quote)
    if y("wrong_party"):
        score("wrong_party_empathy", y("wrong_party")[0].quote)
    if y("promotion"):
        score("off_topic", y("promotion")[0].quote)
    if e.salad:
        score("word_salad", ", ".join(sorted({h.quote for h in y("word_salad")})))
    if e.stuffing:
        score("keyword_stuffing", e.stuffing)
    if (prepared.quoted or prepared.reported) and (e.denials or e.blames or e.attacks or y("minimise") or y("justify")):
        score("quoted_back", (prepared.quoted or prepared.reported)[0])
    if copied:
        score("copy_paste", copied)
    if (facts.author and not e.engaged) or (not score.reasons and len(e.words) < NO_SUBSTANCE_WORDS):
        score("no_substance", prepared.cleaned)
    if y("self_focus"):
        score("self_focus", y("self_focus")[0].quote)
    opening = e.found.first(DEFENSIVE + LEADING_DEFENCES)
    heard = min([h for h in (e.found.first(HEARING), *e.real_regret[:1]) if h], key=lambda h: (h.clause, h.start), default=None)
    if opening and heard and (opening.clause, opening.start) < (heard.clause, heard.start):
        score("led_with_defence", opening.quote)
    if y("ingratiation") and not (e.owns or e.real_regret or e.sincere):
        score("tone_deaf", y("ingratiation")[0].quote)


def honesty_reasons(e: Evidence, facts: Facts, score: _Scorer) -> None:
    """Honesty: owning the brand's part in plain words, and nothing untrue."""
    y = e.found.yes
    overclaims = y("overclaim")
    if e.owns and facts.at_fault and not overclaims:
        score("owned_it", (e.owned or e.wrong_named)[0].quote)
    elif e.owned or overclaims:  # confessing to more than happened ("we lowball every mom on purpose") is not honest
        score("false_confession", (overclaims or e.owned)[0].quote)
    if e.wrong_named:
        score("named_the_wrong", e.wrong_named[0].quote)
    if y("explanation") and (e.owns or e.real_regret) and not (y("scapegoat") or y("excuse")):
        score("explained_it", y("explanation")[0].quote)
    if e.cleared:
        score("cleared_them", e.cleared[0].quote)
    if e.real_regret and not e.stuffing:
        score("regret" if e.owns or not facts.at_fault else "regret_without_ownership", e.real_regret[0].quote)
    for kind, rule in (("repair", "repair"), ("corrective", "corrective_action"), ("update_promise", "next_step_time")):
        if y(kind) and (kind != "repair" or e.owns or e.real_regret or not facts.at_fault):  # money instead of an apology is not honesty
            score(rule, y(kind)[0].quote)
    if y("plain_answer") and not e.all_denials:
        score("honest_answer", y("plain_answer")[0].quote)
    if e.pseudo:
        score("pseudo_apology", e.pseudo[0].quote)
    if e.conditional_apology:
        score("conditional_apology", e.conditional_apology[0].quote)
    for kind in ("passive_voice", "euphemism") if not e.owns else ():
        if y(kind):
            score(kind, y(kind)[0].quote)
    for kind in ("wrong_party", "minimise", "excuse", "justify", "scapegoat", "evasion"):
        if y(kind):
            score(kind, y(kind)[0].quote)
    if e.all_denials:
        score("honest_correction" if e.honest_correction else "denied", e.all_denials[0].quote)
    elif e.true_fact and e.honest_correction:
        score("honest_correction", e.true_fact)
    if e.attacks or e.blames:
        score("blamed", (e.attacks or e.blames)[0].quote)
    elif e.mocking:
        score("mockery", e.mocking[0].quote)
    if e.claim:
        score("false_claim", e.claim)
    if e.promise:
        score("impossible_promise", e.promise)
    for kind in ("bolstering", "ingratiation", "promotion"):
        if y(kind):
            score(kind, y(kind)[0].quote)
    if e.salad:
        score("jargon", ", ".join(sorted({h.quote for h in y("word_salad")})))
    if e.stuffing and (y("ownership") or e.regrets):
        score("stuffed_claims", e.stuffing)


def _capped(reasons: list[Reason], rules: ReadingRules, owns: bool) -> tuple[float, float]:
    """The two scores from their reasons, stopped where a trap caps them, kept within 0-100."""
    empathy = rules.base.empathy + sum(r.points for r in reasons if r.category is Category.EMPATHY)
    honesty = rules.base.honesty + sum(r.points for r in reasons if r.category is Category.HONESTY)
    return _stopped(empathy, honesty, {r.rule for r in reasons}, rules, owns)


def _calibrated(strategy: Strategy, reasons: list[Reason], scores: tuple[float, float], rules: ReadingRules, owns: bool) -> tuple[float, float]:
    """The scores as the fitted model weighs the rule reader's findings (see :mod:`.calibration`).

    Only the traps the rubric caps outright on empathy still stop it (hostility, shouting, boilerplate and
    gaming); the model weighs the rest. The difference from the rules' scores is added to ``reasons`` as one
    "weighed" reason per category, naming the findings that moved it most, so every point stays explained.
    """
    model = rules.calibration_model
    if model is None:
        return scores
    fired = [r.rule for r in reasons]
    predictions = [
        model.predict(category.value, reader_features(fired, strategy.value, score))
        for category, score in zip((Category.EMPATHY, Category.HONESTY), scores, strict=True)
    ]
    found = [score if p is None else p.score for p, score in zip(predictions, scores, strict=True)]
    empathy, honesty = _stopped(found[0], found[1], set(fired), rules, owns, hard_only=True)
    explains = rules.reasons
    for category, prediction, before, after in zip((Category.EMPATHY, Category.HONESTY), predictions, scores, (empathy, honesty), strict=True):
        points = round(after - before, 1)
        if points and prediction is not None:
            named = [_finding_name(name, explains) for name, p in prediction.movers if (p > 0) == (points > 0)]
            reasons.append(Reason("weighed", category, points, "; ".join(named) or "these findings together"))
    return empathy, honesty


def _finding_name(feature: str, explains: dict) -> str:
    """How the debrief names a finding the model weighed: the reason's own words, or the strategy."""
    kind, _, name = feature.partition(":")
    if kind == "reason" and name in explains:
        return explains[name].explain
    return f"strategy: {name.replace('_', ' ')}" if kind == "strategy" else name


def _stopped(empathy: float, honesty: float, fired: set[str], rules: ReadingRules, owns: bool, hard_only: bool = False) -> tuple[float, float]:
    """Scores stopped where a trap caps them, kept within 0-100.

    ``hard_only`` keeps only the empathy caps of the traps the rubric caps outright (hostility, shouting,
    boilerplate and gaming); the fitted model weighs the other traps by how much they cost in rated replies.
    """
    caps = rules.caps
    if fired & HOSTILE:
        empathy = min(empathy, caps.hostile_empathy)
    if "shouting" in fired:
        empathy = min(empathy, caps.shouting_empathy)
    if fired & GENERIC:
        empathy = min(empathy, caps.generic_empathy)
    if hard_only:
        return _clamp(empathy), _clamp(honesty)
    if fired & DISHONEST:
        honesty = min(honesty, caps.dishonest_honesty)
    if fired & DEFENDING and not owns:
        empathy = min(empathy, caps.defensive_empathy)
    if fired & EVASIVE and not owns:
        honesty = min(honesty, caps.evasive_honesty)
    if fired & HEDGES and owns:
        honesty = min(honesty, caps.hedged_honesty)
    return _clamp(empathy), _clamp(honesty)


class _Scorer:
    """Adds one category's reasons, respecting each reason's cap on what it can add in total."""

    def __init__(self, rules: ReadingRules, category: Category, reasons: list[Reason]) -> None:
        self.rules = rules
        self.category = category
        self.reasons = reasons
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
              pseudo: list[Hit], repair: list[Hit], hollow: bool, corrects: bool = False) -> Strategy:  # fmt: skip
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
        overturned = [
            h
            for kind in ("excuse", "justify", "minimise", "scapegoat")
            for h in y(kind)
            if h.clause > last and found.clauses[h.clause].after_contrast
        ]
        if not overturned:
            return Strategy.APOLOGY
    if corrects:
        return Strategy.JUSTIFY  # a true correction that owns nothing (rubric 5): right on the facts, silent on the person
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
    if y("compensation"):
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


class ClaimReader:
    """One reply's clauses said in the claim word families' first words, read once, to check every scenario claim against.

    A claim is stated when its key word (its last word that carries meaning) is there with the same kind of negation
    ("nobody laughed" is not made by "we are not saying nobody laughed" nor by "I won't defend the laughing"), stated
    as a fact (not "if", "should", "will", nor what someone "called" it), and the rest of the claim present or close
    enough. Both sides are said in the families' first words ("uninjured" is "not hurt").
    """

    def __init__(self, prepared: Prepared, family: ClaimWords) -> None:
        self.family = family
        texts = [family.canonical(clause.text) for clause in prepared.clauses]
        self.clauses = [(text, [(m.start(), stem(m.group(0))) for m in CLAIM_WORD.finditer(text)]) for text in texts]

    def first(self, claims: Iterable[str]) -> str | None:
        """The first of ``claims`` the reply states (a false claim it makes, an impossible promise)."""
        return next((claim for claim in claims if next(self.stating(claim), None) is not None), None)

    def facts(self, claims: Iterable[str]) -> dict[int, str]:
        """The clauses that state one of ``claims`` (the scenario's true facts), with the fact each states."""
        found: dict[int, str] = {}
        for claim in claims:
            for index in self.stating(claim):
                found.setdefault(index, claim)
        return found

    def stating(self, claim: str) -> Iterator[int]:
        """The clauses that state ``claim``, even paraphrased."""
        wanted = self.family.canonical(expand(claim))
        words = [w for w in wanted.split() if content_stems(w)]
        if not words:
            return
        key = stem(words[-1])
        rest = content_stems(" ".join(words[:-1]))
        negation = _negation_kind(wanted)
        for index, (text, stems) in enumerate(self.clauses):
            position = next((start for start, found in stems if found == key), None)
            if position is None:
                continue
            scope = SCOPE_BREAK.split(text[:position])[-1]
            if _negation_kind(scope, NEGATION_WINDOW) != negation or NOT_A_STATEMENT.search(scope):
                continue
            if rest <= content_stems(text) or fuzz.partial_ratio(wanted, text) >= 65:
                yield index


def _negation_kind(text: str, verb_window: int | None = None) -> tuple[bool, bool]:
    """How a statement is negated: by its subject ("nobody", "no one"), and (an odd number of times) by a verb ("not").

    With ``verb_window``, only a verb negator among the last that many words counts: "we're not ok with it, he got hurt"
    does not say he was not hurt.
    """
    words = text.split()
    subject = any(w in SUBJECT_NEGATORS for w in words) or "no one" in text
    near = words[-verb_window:] if verb_window else words
    verbs = sum(w in NEGATORS and w not in SUBJECT_NEGATORS for w in near) - " ".join(near).count("no one")
    return subject, verbs % 2 == 1


def _our_grievance(clause: Clause, hit: Hit) -> bool:
    """Whether the wrong named is one done to the brand ("your headline is unfair to us"), which owns nothing."""
    after = clause.text[clause.text.find(hit.words) + len(hit.words) :] if hit.words in clause.text else ""
    return bool(re.match(r"\s*(?:(?:to|towards|on) (?:us|me)|(?:to|towards) (?:our|the company))\b", after))


def _about_customers(hit: Hit) -> bool:
    """Whether "our ..." in the words means the brand's customers ("our passenger followed every instruction"), not its people."""
    return bool(OUR_CUSTOMERS.match(hit.words))


def _self_criticism(clause: Clause) -> bool:
    """Whether harsh words are the brand judging itself ("our solution was stupid"), not attacking anyone."""
    return bool(BRAND_SUBJECT.match(clause.text)) and not ADDRESSEE.search(clause.text)


def _about_them(clause: Clause, hit: Hit) -> bool:
    """Whether the clause judges the person addressed ("your attitude was unacceptable"), not the brand."""
    before = clause.text[: clause.text.find(hit.words)] if hit.words in clause.text else clause.text
    return bool(re.match(r"\s*(?:[a-z]+\s*,\s*)?(?:you|your)\b", before))


def _keyword_stuffing(words: list[str], stems: Iterable[str]) -> str | None:
    """A run of the "right" words without sentences: keywords repeated, or keywords making up much of the reply."""
    prefixes = tuple(stems)
    keywords = [w for w in words if stem(w).startswith(prefixes)]
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
    for word in (w for token in re.findall(r"[A-Za-z][A-Za-z'\-]+", text) for w in expand(token).split()):
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
