"""Bot players that play any scenario, to see whether it rewards good crisis handling.

Four policies, all built on :class:`Command`: *ideal* answers every complaint
fast, personally and honestly, takes the first one offline, keeps everyone
updated and picks the decision option that looks best on its face; *defensive*
waits for Legal, then denies and picks the worst option; *silent* does nothing
and lets decisions default; *random* does anything. A scenario *discriminates* when the ideal bot beats the
defensive and the silent one on every category: otherwise its lesson is lost.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..engine import ACTIONS, CATEGORIES, Action, Channel, Command, Role, Scenario, Session, score_session
from ..engine.actions import Choice, Target, TextUse
from ..engine.scenario import DecisionOption
from ..engine.spread import Post


class Policy(StrEnum):
    IDEAL = "ideal"
    DEFENSIVE = "defensive"
    SILENT = "silent"
    RANDOM = "random"


SCORE_NAMES = (*(c.value for c in CATEGORIES), "overall")

READING_MINUTES = 2  # the ideal bot reads a post before it answers
LEGAL_MINUTES = 20  # the defensive bot waits this long for Legal before it denies
CROWD_EVERY = 10  # the ideal bot answers the loudest crowd complaint this often
STATUS_EVERY = 40
RANDOM_ACTS_PER_MINUTE = 0.15

EMPATHY_LINES = [
    "I'm so sorry. That must have been awful, and you deserve better from us.",
    "thank you for telling us, and I'm sorry. I understand why you're upset.",
    "we hear you, and we apologise. This is not okay.",
    "I'm sorry. I understand how frustrating this is, and it matters to us.",
    "thank you for raising this. I'm so sorry, you deserved better.",
]
OWNERSHIP_LINES = ["That's on us.", "We got this wrong.", "We take full responsibility.", "This should never have happened."]
NEXT_STEP_LINES = [
    "Could we call you today to put it right?",
    "We're looking into it now and will update you here.",
    "Please DM us so we can sort this out with you personally.",
    "We'll share what we are changing before the day is out.",
]
DENIAL_LINES = [
    "We followed our procedures. This was not our fault.",
    "Our team followed policy and did nothing wrong.",
    "That's not true. We stand by our staff.",
]
RANDOM_LINES = [*EMPATHY_LINES, *DENIAL_LINES, "Thanks for your feedback.", "Please see our website for details."]


class Bot:
    """A player that looks at the session each minute and answers with commands."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self.session = session
        self.rng = rng
        self.written = 0

    def commands(self) -> list[Command]:
        """What to do at the session's current minute."""
        return []

    def decide(self, best: bool) -> list[Command]:
        """Answer every open decision with the option whose own effect is best (or worst) for the brand."""
        commands = []
        for waiting in self.session.open_decisions:
            decision = waiting.decision
            pick = max if best else min
            option = pick(decision.options, key=lambda o: _option_value(o, decision.default))
            commands.append(Command(Action.DECIDE, decision=decision.id, choice=option.id))
        return commands

    def line(self, lines: list[str]) -> str:
        """The next line of ``lines``, cycling, so replies do not repeat word for word."""
        self.written += 1
        return lines[self.written % len(lines)]


class SilentBot(Bot):
    """Never says anything: the trainee who freezes."""


class IdealBot(Bot):
    """Fast, personal, honest: apologise (and own it when the brand is at fault), go offline, keep people updated."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        super().__init__(session, rng)
        self.taken_offline = False
        self.last_status: int | None = None
        self.last_crowd = 0

    def commands(self) -> list[Command]:
        session, minute = self.session, self.session.minute
        commands: list[Command] = self.decide(best=True)
        if self.last_status is None or minute - self.last_status >= STATUS_EVERY:
            self.last_status = minute
            commands.append(Command(Action.STATUS_UPDATE, text=self.status_text()))
        for post in _waiting(session, scripted=True):
            if minute - post.minute < READING_MINUTES:
                continue
            commands.append(Command(Action.APOLOGY if post.sentiment.is_negative else Action.REPLY, post.id, self.answer(post)))
            if not self.taken_offline and post.sentiment.is_negative:
                self.taken_offline = True
                first = post.author.split()[0]
                commands.append(Command(Action.OFFLINE, post.id, f"{first}, could we call you? We want to listen and put this right.", channel=Channel.PHONE))
        crowd = _waiting(session, scripted=False)
        if crowd and minute - self.last_crowd >= CROWD_EVERY:
            self.last_crowd = minute
            loudest = max(crowd, key=lambda p: (p.reach, p.id))
            commands.append(Command(Action.REPLY, loudest.id, self.answer(loudest)))
        return commands

    def answer(self, post: Post) -> str:
        first = post.author.split()[0]
        ownership = f" {self.line(OWNERSHIP_LINES)}" if self.session.scenario.brand.at_fault else ""
        return f"{first}, {self.line(EMPATHY_LINES)}{ownership} {self.line(NEXT_STEP_LINES)}"

    def status_text(self) -> str:
        brand = self.session.scenario.brand
        admission = "We got this wrong and we are sorry." if brand.at_fault else "We are sorry for the worry this has caused."
        return f"Update from {brand.name} at minute {self.session.minute}: {admission} We are speaking to the people affected and will post again here soon."


class DefensiveBot(Bot):
    """Sends everything to Legal, waits, then denies: the instinct the game trains out of people."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        super().__init__(session, rng)
        self.escalated = False

    def commands(self) -> list[Command]:
        session, minute = self.session, self.session.minute
        commands: list[Command] = self.decide(best=False)
        for post in _waiting(session, scripted=True):
            if not post.sentiment.is_negative:
                continue
            if not self.escalated:
                self.escalated = True
                commands.append(Command(Action.ESCALATE, post.id, role=Role.LEGAL))
            if minute - post.minute >= LEGAL_MINUTES:
                commands.append(Command(Action.REPLY, post.id, self.line(DENIAL_LINES)))
        return commands


class RandomBot(Bot):
    """Does anything at random: shows which endings are reachable by accident."""

    def commands(self) -> list[Command]:
        if self.rng.random() >= RANDOM_ACTS_PER_MINUTE:
            return []
        if self.session.open_decisions:
            decision = self.rng.choice(self.session.open_decisions).decision
            return [Command(Action.DECIDE, decision=decision.id, choice=self.rng.choice(decision.options).id)]
        action = self.rng.choice([action for action in Action if action is not Action.DECIDE])
        spec = ACTIONS[action]
        visible = [p for p in self.session.posts if not p.hidden]
        post = self.rng.choice(visible) if visible and spec.target is not Target.EVERYONE else None
        if spec.target is Target.POST and post is None:
            return []
        text = self.rng.choice(RANDOM_LINES) if spec.text is TextUse.REQUIRED else ""
        channel = self.rng.choice(list(Channel)) if spec.choice is Choice.CHANNEL else None
        role = self.rng.choice(list(Role)) if spec.choice is Choice.ROLE else None
        return [Command(action, post.id if post else None, text, channel, role)]


def _option_value(option: DecisionOption, default: str) -> tuple[int, float, bool]:
    """How good an option looks on its face: the points it scores, the mood it gives, and not being the default."""
    return (option.score.points if option.score else 0, option.mood, option.id != default)


BOTS: dict[Policy, type[Bot]] = {Policy.IDEAL: IdealBot, Policy.DEFENSIVE: DefensiveBot, Policy.SILENT: SilentBot, Policy.RANDOM: RandomBot}


def _waiting(session: Session, scripted: bool) -> list[Post]:
    """Posts that still want an answer: scripted ones that are not positive, or negative crowd posts."""
    if scripted:
        return [p for p in session.posts if p.scripted and not p.hidden and p.answered_at is None and p.sentiment.weight <= 0]
    return [p for p in session.posts if not p.scripted and p.needs_answer]


def play(scenario: Scenario, policy: Policy, seed: int) -> Session:
    """One play-through by ``policy``'s bot; the same seed gives the same run."""
    session = Session(scenario, seed=seed)
    bot = BOTS[policy](session, random.Random(seed))
    while not session.finished:
        for command in bot.commands():
            if session.finished:
                break
            session.respond(command)
        session.advance(1)
    return session


@dataclass
class PolicyResult:
    """Every run of one policy: scores per category and the endings reached."""

    policy: Policy
    scores: dict[str, list[int]] = field(default_factory=lambda: {name: [] for name in SCORE_NAMES})
    endings: Counter[str] = field(default_factory=Counter)

    def add(self, session: Session) -> None:
        card = score_session(session)
        for category in CATEGORIES:
            self.scores[category.value].append(card[category])
        self.scores["overall"].append(card.overall)
        self.endings[session.ending.id if session.ending else "none"] += 1

    def spread(self, name: str) -> tuple[int, float, int]:
        """Min, median and max of one score."""
        values = self.scores[name]
        return min(values), statistics.median(values), max(values)

    def median(self, name: str) -> float:
        return statistics.median(self.scores[name])


def simulate(
    scenario: Scenario,
    policies: Iterable[Policy],
    runs: int,
    seed: int = 0,
    on_run: Callable[[], None] | None = None,
) -> dict[Policy, PolicyResult]:
    """Play ``runs`` runs per policy with seeds ``seed``, ``seed + 1``, …; ``on_run`` is called after each."""
    results: dict[Policy, PolicyResult] = {}
    for policy in policies:
        result = results[policy] = PolicyResult(policy)
        for offset in range(runs):
            result.add(play(scenario, policy, seed + offset))
            if on_run is not None:
                on_run()
    return results


def discrimination_failures(results: dict[Policy, PolicyResult]) -> list[str]:
    """Where the ideal bot does not beat the defensive and the silent one (by median): empty means it discriminates."""
    ideal = results[Policy.IDEAL]
    failures = []
    for rival in (Policy.DEFENSIVE, Policy.SILENT):
        for category in CATEGORIES:
            mine, theirs = ideal.median(category), results[rival].median(category)
            if mine <= theirs:
                failures.append(f"ideal play does not beat {rival} play on {category}: {mine:g} vs {theirs:g}")
    return failures


def check_discriminates(scenario: Scenario, runs: int = 3) -> list[str]:
    """A quick discrimination check for ``validate --strict``: a few runs of the ideal, defensive and silent bots."""
    return discrimination_failures(simulate(scenario, (Policy.IDEAL, Policy.DEFENSIVE, Policy.SILENT), runs))
