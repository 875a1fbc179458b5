"""Seeded Faker output for the crowd: names, handles, follower counts and post text."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from faker import Faker

from .scenario import Sentiment, Templates


class PostWriter:
    """Writes crowd posts from a scenario's templates, reproducibly for a seed."""

    def __init__(self, seed: int, brand: str, templates: Templates, cities: Sequence[str] = ()) -> None:
        self.faker = Faker("en_US")
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)
        self.brand = brand
        self.templates = templates
        self.cities = list(cities)
        self.decks: dict[Sentiment, list[str]] = {}

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
        """A post for ``sentiment``: every template is used once before any repeats."""
        deck = self.decks.get(sentiment)
        if not deck:
            deck = self.decks[sentiment] = list(self.templates.for_sentiment(sentiment))
            self.rng.shuffle(deck)
        return self.fill(deck.pop())

    def fill(self, template: str) -> str:
        """Fill ``{brand}``, ``{first_name}`` and ``{city}`` in a template."""
        city = self.rng.choice(self.cities) if self.cities else self.faker.city()
        values = {"brand": self.brand, "first_name": self.faker.first_name(), "city": city}
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
