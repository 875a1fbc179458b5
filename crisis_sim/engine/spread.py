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
"""

from __future__ import annotations

import math
import random
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


@dataclass
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

    @property
    def reach(self) -> int:
        return self.followers + self.shares * REACH_PER_SHARE

    @property
    def needs_answer(self) -> bool:
        """Negative, visible and still waiting for the brand."""
        return self.sentiment.is_negative and not self.hidden and self.answered_at is None

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
    """The feed's posts and the public mood, stepped one minute at a time."""

    mood: float
    rng: random.Random
    posts: list[Post] = field(default_factory=list)

    def step(self) -> None:
        """Advance every post and the mood by one minute."""
        unanswered = 0
        for post in self.posts:
            if post.hidden or post.heat < COLD:
                continue
            post.shares += poisson(self.rng, post.heat)
            post.likes += poisson(self.rng, post.heat * 3)
            waiting = post.needs_answer
            post.heat *= IGNORED_COOLING if waiting and post.scripted else COOLING
            unanswered += waiting and post.reach >= WIDELY_SEEN
        drift = -self.mood * MOOD_DRIFT - min(unanswered, MAX_MOOD_PULLS) * UNANSWERED_MOOD_PULL
        self.mood = clamp(self.mood + drift, -1.0, 1.0)

    def outrage(self) -> float:
        """Summed heat of visible negative posts, weighted by how negative they are."""
        return sum(-p.sentiment.weight * p.heat for p in self.posts if p.sentiment.is_negative and not p.hidden)

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
            post.heat *= 1 - 0.7 * quality if quality > 0 else 1 + 2 * -quality
        self.mood = clamp(self.mood + MOOD_PER_QUALITY * quality, -1.0, 1.0)


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
