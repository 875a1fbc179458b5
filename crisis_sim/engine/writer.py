"""Seeded Faker output for the crowd: names, handles, follower counts and post text.

Crowd posts start from the scenario's templates, then get a little of what
real posts have: an opening word, an aside filled in by Faker (a name, a
city, a time, a number), a hashtag or an emoji. The same final text never
appears twice within ``REPEAT_WINDOW`` posts. The variation draws from its
own random streams, so authors, follower counts and therefore the spread of
every post are the same as without it: a seed still gives the same crisis.
"""

from __future__ import annotations

import random
import re
from collections import deque
from collections.abc import Sequence

from faker import Faker

from .scenario import Sentiment, Templates

REPEAT_WINDOW = 50
"""A crowd post's exact text does not come back within this many crowd posts."""
MAX_REDRAWS = 20
"""Attempts at a text not seen within the window before accepting a repeat."""

OPENERS: dict[Sentiment, tuple[str, ...]] = {
    Sentiment.ANGRY: ("Unreal.", "Wow.", "Disgusting.", "Unbelievable.", "Ugh.", "No words."),
    Sentiment.NEGATIVE: ("Hmm.", "Not great.", "Ugh.", "Well.", "Yikes."),
    Sentiment.NEUTRAL: ("Question:", "Okay.", "Huh.", "So.", "Honest question:"),
    Sentiment.POSITIVE: ("For what it's worth:", "Honestly?", "Fair play.", "Hey.", "Small thing, but:"),
}
EMOJI: dict[Sentiment, tuple[str, ...]] = {
    Sentiment.ANGRY: ("😡", "🤬", "😤", "🙄"),
    Sentiment.NEGATIVE: ("😕", "😬", "🙄", "👎"),
    Sentiment.NEUTRAL: ("🤔", "👀", "❓"),
    Sentiment.POSITIVE: ("🙏", "💙", "👏", "🙂"),
}
ASIDES = (
    "({first_name} just sent me this)",
    "Posting from {city}.",
    "It's {time} and I'm still thinking about it.",
    "{number} people in my feed are sharing this.",
    "cc @{user_name}",
    "Via {first_name}.",
    "Saw it on the train in {city}.",
    "That's the {ordinal} time today someone has shown me this.",
)
HASHTAGS: dict[Sentiment, tuple[str, ...]] = {
    Sentiment.ANGRY: ("#{tag}Fail", "#{tag}", "#NotOkay"),
    Sentiment.NEGATIVE: ("#{tag}", "#disappointed"),
    Sentiment.NEUTRAL: ("#{tag}", "#news"),
    Sentiment.POSITIVE: ("#{tag}", "#respect"),
}


class PostWriter:
    """Writes crowd posts from a scenario's templates, reproducibly for a seed."""

    def __init__(self, seed: int, brand: str, templates: Templates, cities: Sequence[str] = ()) -> None:
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)
        self.variety = random.Random(f"variety-{seed}")
        self.variety_faker = Faker("en_US")
        self.variety_faker.seed_instance(f"variety-{seed}")
        self.brand = brand
        self.hashtag = re.sub(r"\W", "", brand.title()) or "brand"
        self.templates = templates
        self.cities = list(cities)
        self.decks: dict[Sentiment, list[str]] = {}
        self.recent: deque[str] = deque(maxlen=REPEAT_WINDOW)

    def author(self) -> tuple[str, str]:
        """A full name and a handle; now and then one that has nothing to do with the name."""
        name = f"{self.faker.first_name()} {self.faker.last_name()}"
        unrelated = self.rng.random() < 0.2
        return name, "@" + self.faker.user_name() if unrelated else self.handle_for(name)

    def handle_for(self, name: str) -> str:
        """A plausible handle for someone called ``name``."""
        first, _, last = name.partition(" ")
        last = last or self.faker.last_name()
        handle = [
            f"{first}{last}",
            f"{first[:1]}{last}{self.rng.randrange(10, 99)}",
            f"{first}_{self.faker.word()}",
        ][self.rng.randrange(3)]
        return "@" + re.sub(r"\W", "", handle).lower()

    def followers(self) -> int:
        """Heavy-tailed: most people have a few hundred, a few have tens of thousands."""
        return int(self.rng.lognormvariate(5.6, 1.5))

    def text(self, sentiment: Sentiment) -> str:
        """A crowd post for ``sentiment``: every template is used once before any repeats, each time dressed differently."""
        deck = self.decks.get(sentiment)
        if not deck:
            deck = self.decks[sentiment] = list(self.templates.for_sentiment(sentiment))
            self.rng.shuffle(deck)
        core = self.fill(deck.pop())
        text = self.vary(core, sentiment)
        for _ in range(MAX_REDRAWS):
            if text not in self.recent:
                break
            text = self.vary(core, sentiment, aside=True)
        self.recent.append(text)
        return text

    def vary(self, core: str, sentiment: Sentiment, aside: bool = False) -> str:
        """``core`` with, now and then, an opener, a Faker-filled aside, a hashtag and an emoji."""
        draw = self.variety
        parts = [draw.choice(OPENERS[sentiment])] if draw.random() < 0.3 else []
        parts.append(core)
        if aside or draw.random() < 0.45:
            parts.append(self.aside())
        if draw.random() < 0.3:
            parts.append(draw.choice(HASHTAGS[sentiment]).format(tag=self.hashtag))
        if draw.random() < 0.35:
            parts.append(draw.choice(EMOJI[sentiment]))
        return " ".join(parts)

    def aside(self) -> str:
        """One of ``ASIDES`` with its slot filled by Faker or a number."""
        fake, draw = self.variety_faker, self.variety
        values = {
            "first_name": fake.first_name(),
            "city": draw.choice(self.cities) if self.cities else fake.city(),
            "time": fake.time("%H:%M"),
            "number": str(draw.randrange(3, 400)),
            "user_name": fake.user_name(),
            "ordinal": ("second", "third", "fourth", "fifth", "sixth")[draw.randrange(5)],
        }
        return draw.choice(ASIDES).format_map(values)

    def fill(self, template: str) -> str:
        """Fill ``{brand}``, ``{first_name}`` and ``{city}`` in a template."""
        city = self.rng.choice(self.cities) if self.cities else self.faker.city()
        values = {"brand": self.brand, "first_name": self.faker.first_name(), "city": city}
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
