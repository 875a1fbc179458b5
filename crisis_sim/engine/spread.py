"""Posts and how they spread: a small, seeded branching process.

Model, one game minute at a time:

* Every visible post has a **heat**: the expected number of shares it gets
  this minute. Shares are drawn from a Poisson distribution with that mean;
  likes from one with three times the mean. Each share shows the post to
  ``REACH_PER_SHARE`` more people on top of the author's followers.
* Heat cools by ``COOLING`` a minute; below ``COLD`` a post stops spreading.
  Scripted negative posts (the story itself) that the brand has not answered
  cool only by ``IGNORED_COOLING``: ignored anger keeps spreading.
* A brand response of quality ``q`` (between -1 and 1, from the rules'
  ``reaction`` weights) multiplies the answered post's heat by ``1 - 0.7 q``
  when ``q > 0`` and by ``1 + 2 |q|`` when it is negative: a bad reply gets
  screenshotted. It also moves the public mood by ``MOOD_PER_QUALITY * q``.
* New crowd posts arrive as a Poisson process with rate
  ``crowd_rate + OUTRAGE_RATE * outrage`` where outrage is the summed heat of
  negative posts weighted by how negative they are. Their sentiment is drawn
  from the public mood: the lower it is, the more of them are angry.
* The public mood sinks a little each minute for every unanswered, widely
  seen negative post (counting at most ``MAX_MOOD_PULLS`` of them), and
  otherwise drifts slowly back towards neutral.

Only posts that still spread cost time: the crowd keeps an *active set* of visible posts
at or above ``COLD``. A post that goes cold or is hidden leaves it; the outrage of cold
negative posts (whose heat no longer changes) is kept in a running total. A reaction can
warm a cold post up again, and then it rejoins the set in its place. The crowd also keeps
the facts the screens show up to date as posts arrive, spread and are dealt with:
negative reach, negative posts and the posts still waiting for the brand.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from .actions import Channel, Role
from .scenario import Sentiment

REACH_PER_SHARE = 180
COOLING = 0.95
IGNORED_COOLING = 0.99
OUTRAGE_RATE = 0.06
MAX_NEW_POSTS_PER_MINUTE = 6
MOOD_PER_QUALITY = 0.12
MOOD_DRIFT = 0.01
UNANSWERED_MOOD_PULL = 0.004
MAX_MOOD_PULLS = 8
WIDELY_SEEN = 3000
COLD = 0.005  # heat below which a post no longer spreads


class PostStatus(StrEnum):
    """Where the brand stands with a post, as the feed shows it."""

    WAITING = "waiting"
    ANSWERED = "answered"
    OFFLINE = "taken offline"
    ESCALATED = "escalated"
    IGNORED = "ignored"
    HIDDEN = "hidden"
    NONE = ""  # nothing needed: neutral or positive and not answered


@dataclass(slots=True)
class Post:
    """A post in the feed, with its live numbers and where the brand stands with it."""

    id: str
    minute: int
    author: str
    handle: str
    followers: int
    sentiment: Sentiment
    text: str
    heat: float
    scripted: bool = False
    likes: int = 0
    shares: int = 0
    hidden: bool = False
    answered_at: int | None = None
    ignored: bool = False
    offline_by: Channel | None = None
    escalated_to: Role | None = None
    # the crowd's bookkeeping: place in the feed, in the active set, counted as waiting
    seq: int = field(default=-1, init=False, repr=False, compare=False)
    spreading: bool = field(default=False, init=False, repr=False, compare=False)
    counted_waiting: bool = field(default=False, init=False, repr=False, compare=False)

    @property
    def reach(self) -> int:
        return self.followers + self.shares * REACH_PER_SHARE

    @property
    def needs_answer(self) -> bool:
        """Negative, visible and still waiting for the brand."""
        return self.sentiment.is_negative and not self.hidden and self.answered_at is None

    @property
    def waiting(self) -> bool:
        """Still on the player's to-do list: needs an answer and has not been deliberately ignored."""
        return self.needs_answer and not self.ignored

    @property
    def status(self) -> PostStatus:
        """Hidden, answered (publicly or offline), escalated, ignored, waiting, or nothing needed."""
        if self.hidden:
            return PostStatus.HIDDEN
        if self.answered_at is not None:
            return PostStatus.OFFLINE if self.offline_by else PostStatus.ANSWERED
        if self.escalated_to is not None:
            return PostStatus.ESCALATED
        if self.ignored:
            return PostStatus.IGNORED
        return PostStatus.WAITING if self.needs_answer else PostStatus.NONE


@dataclass
class Crowd:
    """The feed's posts and the public mood, stepped one minute at a time.

    Add posts with :meth:`add` (posts appended to ``posts`` directly are taken in on the
    next step), hide them with :meth:`hide`, and call :meth:`update` after answering or
    ignoring one, so the running totals stay true.
    """

    mood: float
    rng: random.Random
    posts: list[Post] = field(default_factory=list)
    negative_reach: int = field(default=0, init=False)  # reach of visible negative posts
    negative_posts: int = field(default=0, init=False)  # how many there are
    waiting_posts: int = field(default=0, init=False)  # visible negative posts not yet answered or ignored
    _active: list[Post] = field(default_factory=list, init=False, repr=False)  # still spreading, in feed order
    _taken_in: int = field(default=0, init=False, repr=False)
    _cold_outrage: float = field(default=0.0, init=False, repr=False)  # outrage of visible negative posts gone cold
    _waiting: deque[Post] = field(default_factory=deque, init=False, repr=False)  # oldest first, some stale

    # --- posts coming and going ---------------------------------------------

    def add(self, post: Post) -> None:
        """Put a new post at the end of the feed."""
        self.posts.append(post)
        self._take_in()

    def hide(self, post: Post) -> None:
        """Hide ``post``: it stops spreading and no longer counts as negative or waiting."""
        self._take_in()
        if post.hidden:
            return
        if post.sentiment.is_negative:
            if not post.spreading:
                self._cold_outrage -= _outrage_of(post)
            self.negative_reach -= post.reach
            self.negative_posts -= 1
        post.hidden = True  # an active post leaves the active set on the next step
        self.update(post)

    def update(self, post: Post) -> None:
        """Recount ``post`` as waiting or not after the brand answered, ignored or hid it."""
        if post.counted_waiting and not post.waiting:
            post.counted_waiting = False
            self.waiting_posts -= 1

    @property
    def oldest_waiting(self) -> Post | None:
        """The oldest post still waiting for the brand."""
        self._take_in()
        waiting = self._waiting
        while waiting and not waiting[0].counted_waiting:
            waiting.popleft()
        return waiting[0] if waiting else None

    def _take_in(self) -> None:
        """Count posts added since the last call and let the ones that spread join the active set."""
        posts = self.posts
        for seq in range(self._taken_in, len(posts)):
            post = posts[seq]
            post.seq = seq
            if post.hidden:
                continue
            if post.sentiment.is_negative:
                self.negative_reach += post.reach
                self.negative_posts += 1
            if post.waiting:
                post.counted_waiting = True
                self.waiting_posts += 1
                self._waiting.append(post)
            if post.heat >= COLD:
                post.spreading = True
                self._active.append(post)
            elif post.sentiment.is_negative:
                self._cold_outrage += _outrage_of(post)
        self._taken_in = len(posts)

    # --- the minute ---------------------------------------------------------

    def step(self) -> None:
        """Advance every post still spreading, and the mood, by one minute."""
        self._take_in()
        unanswered = 0
        still: list[Post] = []
        rng = self.rng
        for post in self._active:
            if post.hidden or post.heat < COLD:
                post.spreading = False
                if not post.hidden and post.sentiment.is_negative:
                    self._cold_outrage += _outrage_of(post)
                continue
            still.append(post)
            shares = poisson(rng, post.heat)
            post.shares += shares
            post.likes += poisson(rng, post.heat * 3)
            negative = post.sentiment.is_negative
            if negative:
                self.negative_reach += shares * REACH_PER_SHARE
            waiting = negative and post.answered_at is None  # post.needs_answer: it is visible
            post.heat *= IGNORED_COOLING if waiting and post.scripted else COOLING
            unanswered += waiting and post.reach >= WIDELY_SEEN
        self._active = still
        drift = -self.mood * MOOD_DRIFT - min(unanswered, MAX_MOOD_PULLS) * UNANSWERED_MOOD_PULL
        self.mood = clamp(self.mood + drift, -1.0, 1.0)

    def outrage(self) -> float:
        """Summed heat of visible negative posts, weighted by how negative they are."""
        self._take_in()
        spreading = sum(-p.sentiment.weight * p.heat for p in self._active if p.sentiment.is_negative and not p.hidden)
        return self._cold_outrage + spreading

    def new_post_count(self, crowd_rate: float) -> int:
        """How many crowd posts arrive this minute."""
        rate = crowd_rate + OUTRAGE_RATE * self.outrage()
        return min(poisson(self.rng, rate), MAX_NEW_POSTS_PER_MINUTE)

    def pick_sentiment(self) -> Sentiment:
        """Draw a crowd post's sentiment from the public mood."""
        anger = (1 - self.mood) / 2  # 0 when the mood is glowing, 1 when furious
        weights = [anger**2, anger * (1 - anger), 0.35 * (1 - anger), (1 - anger) ** 2]
        sentiments = [Sentiment.ANGRY, Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE]
        return self.rng.choices(sentiments, weights=weights)[0]

    def react(self, post: Post | None, quality: float) -> None:
        """Apply the crowd's reaction to a brand response of ``quality``."""
        if post is not None:
            self._take_in()
            cold = not post.spreading and not post.hidden
            if cold and post.sentiment.is_negative:
                self._cold_outrage -= _outrage_of(post)
            post.heat *= 1 - 0.7 * quality if quality > 0 else 1 + 2 * -quality
            if cold and post.heat >= COLD:  # warmed up again: back into the active set, in its place
                post.spreading = True
                self._active.insert(bisect_left(self._active, post.seq, key=lambda p: p.seq), post)
            elif cold and post.sentiment.is_negative:
                self._cold_outrage += _outrage_of(post)
        self.mood = clamp(self.mood + MOOD_PER_QUALITY * quality, -1.0, 1.0)


def _outrage_of(post: Post) -> float:
    return -post.sentiment.weight * post.heat


def starting_heat(sentiment: Sentiment, followers: int) -> float:
    """Heat of a new crowd post: angrier and better-followed posts spread more."""
    return abs(sentiment.weight) * 0.15 * math.log10(followers + 10) + 0.05


def poisson(rng: random.Random, mean: float) -> int:
    """Draw from a Poisson distribution (Knuth's method; the means here are small)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
