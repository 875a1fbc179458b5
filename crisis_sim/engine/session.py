"""One play-through of a scenario: the clock, the feed, the player's responses.

A :class:`Session` is pure and deterministic: the same scenario, seed and
responses at the same minutes always give the same run. The Textual app drives
it with :class:`GameClock`; tests drive it directly.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .rules import Rules, load_rules
from .scenario import Action, Channel, Condition, Effect, Ending, PostSpec, Role, Scenario, ScoreEffect, Sentiment, TextSignal
from .spread import Crowd, Post, clamp, starting_heat
from .writer import PostWriter

COPY_PASTE_SIMILARITY = 0.9
MIN_COPY_PASTE_LENGTH = 20
DISTINCTIVE_WORD_LENGTH = 5
BACKFIRE_QUALITY = -0.5

NEEDS_POST = {Action.REPLY, Action.OFFLINE, Action.ESCALATE, Action.IGNORE, Action.HIDE}
NEEDS_TEXT = {Action.REPLY, Action.APOLOGY, Action.STATUS_UPDATE}


class ResponseError(ValueError):
    """A response the game cannot accept; the message is shown to the player."""


@dataclass(frozen=True)
class Response:
    """Something the player did, as the crowd and the scorer see it."""

    minute: int
    action: Action
    post_id: str | None
    text: str
    signals: frozenset[str]
    quality: float
    channel: Channel | None = None
    role: Role | None = None


@dataclass(frozen=True)
class Notice:
    """A line in the incident log: a scripted beat or what the player did."""

    minute: int
    text: str
    from_player: bool = False


@dataclass(frozen=True)
class BranchScore:
    """Points a scenario branch gave, with the minute it fired."""

    minute: int
    effect: ScoreEffect


@dataclass
class GameClock:
    """Turns real seconds into game minutes; faster than real time and pausable."""

    minutes_per_second: float = 1.0
    paused: bool = False
    _carry: float = field(default=0.0, repr=False)

    def tick(self, seconds: float) -> int:
        """Whole game minutes that have passed in ``seconds`` of real time."""
        if self.paused:
            return 0
        self._carry += seconds * self.minutes_per_second
        minutes = int(self._carry)
        self._carry -= minutes
        return minutes


class Session:
    """A running scenario."""

    def __init__(self, scenario: Scenario, seed: int = 0, rules: Rules | None = None) -> None:
        self.scenario = scenario
        self.seed = seed
        self.rules = rules or load_rules()
        self.minute = 0
        self.crowd = Crowd(mood=scenario.initial_mood, rng=random.Random(seed))
        self.writer = PostWriter(seed, scenario.brand.name, scenario.templates, scenario.cities)
        self.responses: list[Response] = []
        self.notices: list[Notice] = []
        self.branch_scores: list[BranchScore] = []
        self.fired: list[str] = []
        self.ending: Ending | None = None
        self._next_id = 1
        self._posts_by_id: dict[str, Post] = {}
        self._publish_due_posts()
        self._run_branches()

    # --- what the UI reads ------------------------------------------------

    @property
    def posts(self) -> list[Post]:
        return self.crowd.posts

    @property
    def mood(self) -> float:
        return self.crowd.mood

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def minutes_left(self) -> int:
        return max(0, self.scenario.duration_minutes - self.minute)

    def post(self, post_id: str) -> Post:
        """The post with ``post_id``; :class:`ResponseError` if there is none."""
        try:
            return self._posts_by_id[post_id]
        except KeyError:
            raise ResponseError(f"There is no post '{post_id}' in the feed.") from None

    def responses_to(self, post_id: str) -> list[Response]:
        return [r for r in self.responses if r.post_id == post_id]

    # --- time ---------------------------------------------------------------

    def advance(self, minutes: int = 1) -> None:
        """Run the world forward; stops early if the scenario ends."""
        for _ in range(minutes):
            if self.finished:
                return
            self.minute += 1
            self.crowd.step()
            self._publish_due_posts()
            self._publish_crowd_posts(self.crowd.new_post_count(self.scenario.crowd_rate))
            self._run_branches()
            if self.minute >= self.scenario.duration_minutes and not self.finished:
                self._end(self._timeout_ending())

    def finish(self) -> None:
        """The player is done: let the world play out to the end without them."""
        self.advance(self.scenario.duration_minutes - self.minute)
        if not self.finished:
            self._end(self._timeout_ending())

    # --- the player ---------------------------------------------------------

    def respond(
        self,
        action: Action,
        post_id: str | None = None,
        text: str = "",
        channel: Channel | None = None,
        role: Role | None = None,
    ) -> Response:
        """Record a response at the current minute and let the crowd react."""
        post = self.check(action, post_id)
        if action in NEEDS_TEXT and not text.strip():
            raise ResponseError("Write something first.")
        if action is Action.OFFLINE and channel is None:
            raise ResponseError("Choose how to take it offline: DM, email or phone.")
        if action is Action.ESCALATE and role is None:
            raise ResponseError("Choose who to escalate to: legal, PR lead or CEO.")
        text = text.strip()
        if action is Action.HOLD_STATEMENT and not text:
            text = self.scenario.hold_statement
        signals = self._read_signals(action, post, text)
        quality = clamp(sum(self.rules.reaction.get(s, 0.0) for s in signals), -1.0, 1.0)
        response = Response(self.minute, action, post.id if post else None, text, frozenset(signals), quality, channel, role)
        self.responses.append(response)
        self._apply(response, post)
        self._run_branches()
        return response

    def check(self, action: Action, post_id: str | None = None) -> Post | None:
        """Whether ``action`` can be taken on ``post_id`` now, before anything is written.

        Returns the post (or None for a broadcast); raises :class:`ResponseError` saying why not.
        """
        if self.finished:
            raise ResponseError("The scenario has ended.")
        if action in NEEDS_POST and post_id is None:
            raise ResponseError(f"Pick a post to {action.value.replace('_', ' ')}.")
        if action.is_broadcast and post_id is not None:
            raise ResponseError(f"A {action.label} goes to everyone, not to one post.")
        post = self.post(post_id) if post_id is not None else None
        if post is not None and post.hidden:
            raise ResponseError(f"{post.handle}'s post is hidden.")
        return post

    def _read_signals(self, action: Action, post: Post | None, text: str) -> set[str]:
        signals = {action.value} | (self.rules.read(text) if text else set())
        if TextSignal.NON_APOLOGY in signals:
            signals.discard(TextSignal.APOLOGY)  # choosing "apology" does not make "sorry you feel that way" one
        if self.scenario.false_claim_in(text):
            signals.add(TextSignal.FALSE_CLAIM)
        if post is not None and text and _is_personal(text, post, self.scenario.brand.name):
            signals.add(TextSignal.PERSONALISED)
        if post is not None and len(text) >= MIN_COPY_PASTE_LENGTH and self._repeats_earlier(text, post.id):
            signals.add(TextSignal.COPY_PASTE)
        return signals

    def _repeats_earlier(self, text: str, post_id: str) -> bool:
        normal = _normalise(text)
        return any(
            SequenceMatcher(None, normal, _normalise(r.text)).ratio() >= COPY_PASTE_SIMILARITY
            for r in self.responses
            if r.text and r.post_id != post_id
        )

    def _apply(self, response: Response, post: Post | None) -> None:
        action, target = response.action, post.handle if post else "everyone"
        if action is Action.HIDE and post is not None:
            post.hidden = True
            self._log(f"You hid {post.handle}'s post.", from_player=True)
            self._publish_backfire(f"{self.scenario.brand.name} is deleting complaints now. Screenshot of what {post.handle} said: \"{_shorten(post.text)}\"")
        elif action is Action.IGNORE and post is not None:
            post.ignored = True
            self._log(f"You ignored {post.handle}.", from_player=True)
        elif action is Action.ESCALATE and post is not None and response.role is not None:
            self._log(f"You escalated {post.handle}'s post to {response.role.label}.", from_player=True)
        else:
            if post is not None and post.answered_at is None:
                post.answered_at = self.minute  # taking it offline answers the person, note or not
            if action is Action.OFFLINE and response.channel is not None:
                note = " and posted a note saying so" if response.text else ""
                self._log(f"You took {target} offline by {response.channel.label}{note}.", from_player=True)
            else:
                self._log(f"You posted a {action.label} to {target}.", from_player=True)
        self.crowd.react(post, response.quality)
        if response.quality <= BACKFIRE_QUALITY and action.is_public_text:
            self._publish_backfire(f"Look how {self.scenario.brand.name} answers people: \"{_shorten(response.text)}\"")

    # --- the world ----------------------------------------------------------

    def _publish_due_posts(self) -> None:
        for spec in self.scenario.posts:
            if spec.at == self.minute:
                self._publish_spec(spec)

    def _publish_spec(self, spec: PostSpec) -> Post:
        name, handle = (spec.author, self.writer.handle_for(spec.author)) if spec.author else self.writer.author()
        followers = spec.followers if spec.followers is not None else self.writer.followers()
        post = Post(
            id=spec.id or self._new_id(),
            minute=self.minute,
            author=name,
            handle=_as_handle(spec.handle) if spec.handle else handle,
            followers=followers,
            sentiment=spec.sentiment,
            text=self.writer.fill(spec.text),
            heat=spec.heat,
            scripted=True,
        )
        self._add(post)
        return post

    def _publish_crowd_posts(self, count: int, sentiment: Sentiment | None = None) -> None:
        for _ in range(count):
            feeling = sentiment or self.crowd.pick_sentiment()
            self._publish_crowd_post(feeling, self.writer.text(feeling))

    def _publish_crowd_post(self, sentiment: Sentiment, text: str, heat: float | None = None) -> Post:
        name, handle = self.writer.author()
        followers = self.writer.followers()
        post = Post(
            id=self._new_id(),
            minute=self.minute,
            author=name,
            handle=handle,
            followers=followers,
            sentiment=sentiment,
            text=text,
            heat=heat if heat is not None else starting_heat(sentiment, followers),
        )
        self._add(post)
        return post

    def _publish_backfire(self, text: str) -> None:
        """A screenshot of the brand's misstep, which spreads fast."""
        self._publish_crowd_post(Sentiment.ANGRY, text, heat=2.0)

    def _add(self, post: Post) -> None:
        self.crowd.posts.append(post)
        self._posts_by_id.setdefault(post.id, post)

    def _new_id(self) -> str:
        identifier = f"#{self._next_id}"
        self._next_id += 1
        return identifier

    def _log(self, text: str, from_player: bool = False) -> None:
        self.notices.append(Notice(self.minute, text, from_player))

    # --- branches and endings ---------------------------------------------

    def _run_branches(self) -> None:
        for branch in self.scenario.branches:
            if self.finished:
                return
            if branch.id not in self.fired and self.holds(branch.when):
                self.fired.append(branch.id)
                self._apply_effect(branch.then)

    def _apply_effect(self, effect: Effect) -> None:
        if effect.message:
            self._log(effect.message)
        self.crowd.mood = clamp(self.crowd.mood + effect.mood, -1.0, 1.0)
        for spec in effect.posts:
            self._publish_spec(spec)
        if effect.spawn:
            self._publish_crowd_posts(effect.spawn.count, effect.spawn.sentiment)
        if effect.score:
            self.branch_scores.append(BranchScore(self.minute, effect.score))
        if effect.end:
            self._end(next(e for e in self.scenario.endings if e.id == effect.end))

    def holds(self, condition: Condition) -> bool:
        """Whether every part of ``condition`` is true now."""
        c = condition
        if c.after is not None and self.minute < c.after:
            return False
        if c.before is not None and self.minute >= c.before:
            return False
        if c.mood_below is not None and self.mood >= c.mood_below:
            return False
        if c.mood_above is not None and self.mood <= c.mood_above:
            return False
        if c.did is not None and not self._did(c):
            return False
        if c.did_not is not None and self._did(c, negated=True):
            return False
        if c.unanswered is not None:
            post = self._posts_by_id.get(c.unanswered)
            if post is None or post.answered_at is not None:
                return False
        return True

    def _did(self, c: Condition, negated: bool = False) -> bool:
        """Whether a response showed ``c.did`` (or ``c.did_not``), narrowed by post, role and channel."""
        signal = c.did_not if negated else c.did
        return any(
            signal in r.signals
            and (c.post is None or r.post_id == c.post)
            and (c.role is None or r.role == c.role)
            and (c.channel is None or r.channel == c.channel)
            for r in self.responses
        )

    def _timeout_ending(self) -> Ending:
        """The first ending whose ``when`` holds, else the last one (the fallback)."""
        endings = self.scenario.endings
        return next((e for e in endings if e.when is not None and self.holds(e.when)), endings[-1])

    def _end(self, ending: Ending) -> None:
        self.ending = ending
        self._log(f"Ending: {ending.title}")


_STOPWORDS = frozenset("about after again their there these those which while would could should being other still never".split())


def _is_personal(text: str, post: Post, brand: str) -> bool:
    """Uses the author's first name or picks up details from their post."""
    lowered = text.lower()
    first_name = post.author.split()[0].lower()
    if re.search(rf"\b{re.escape(first_name)}\b", lowered):
        return True
    brand_words = set(_words(brand))
    shared = (set(_words(text)) & set(_words(post.text))) - brand_words - _STOPWORDS
    return len(shared) >= 2


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z']+", text.lower()) if len(w) >= DISTINCTIVE_WORD_LENGTH]


def _normalise(text: str) -> str:
    """Text without mentions, punctuation and case, to spot copy-pasted replies."""
    return " ".join(re.sub(r"@\w+|[^\w\s]", " ", text.lower()).split())


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _as_handle(handle: str) -> str:
    return handle if handle.startswith("@") else "@" + handle
