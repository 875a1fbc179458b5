"""Crisis-scale sessions for the benchmarks: a long crisis already ``n`` posts deep.

A real crisis brings at most a few posts a minute, so 100,000 posts would take days of game
time to arrive. :func:`crowded_session` writes them straight into the feed instead, spread
over the minutes before now at the crowd's top rate and cooled as they would have cooled,
so the feed, its numbers and its active set look like those of a crisis that long.
"""

from __future__ import annotations

import random
from pathlib import Path

from crisis_sim.engine import Post, Scenario, Sentiment, Session, load_scenario
from crisis_sim.engine.spread import COOLING, MAX_NEW_POSTS_PER_MINUTE, starting_heat

ROOT = Path(__file__).resolve().parent.parent
AIRLINE = ROOT / "scenarios" / "airline-passenger-removal.yaml"
SIZES = (100, 1_000, 10_000, 100_000)
SENTIMENTS = (Sentiment.ANGRY, Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)


def long_scenario(path: Path = AIRLINE, posts: int = 0, minutes_after: int = 10_000) -> Scenario:
    """``path``'s scenario, long enough to hold ``posts`` posts and run ``minutes_after`` more minutes."""
    scenario = load_scenario(path)
    minutes = posts // MAX_NEW_POSTS_PER_MINUTE + minutes_after
    return scenario.model_copy(update={"duration_minutes": minutes, "crowd_rate": 2.0})


def crowded_session(posts: int, seed: int = 1, path: Path = AIRLINE) -> Session:
    """A session at the minute its feed reached ``posts`` posts (its own scripted posts included)."""
    session = Session(long_scenario(path, posts), seed=seed)
    rng = random.Random(seed)
    writer = session.writer
    authors = [writer.author() for _ in range(300)]
    texts = {s: [writer.text(s) for _ in range(40)] for s in SENTIMENTS}
    now = posts // MAX_NEW_POSTS_PER_MINUTE
    missing = posts - len(session.posts)
    for index in range(missing):
        minute = index * now // max(1, missing)
        sentiment = rng.choices(SENTIMENTS, weights=(3, 3, 2, 2))[0]
        followers = int(rng.lognormvariate(5.6, 1.5))
        name, handle = authors[index % len(authors)]
        heat = starting_heat(sentiment, followers)
        shares = int(heat * 20 * rng.random())
        post = Post(
            id=session._new_id(),
            minute=minute,
            author=name,
            handle=handle,
            followers=followers,
            sentiment=sentiment,
            text=rng.choice(texts[sentiment]),
            heat=heat * COOLING ** (now - minute),
            likes=shares * 3,
            shares=shares,
        )
        session._add(post)
    session.minute = now
    return session
