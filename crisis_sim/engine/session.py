"""One play-through of a scenario: the clock, the feed, the player's responses.

A :class:`Session` is pure and deterministic: the same scenario, seed and
responses at the same minutes always give the same run. The Textual app drives
it with :class:`GameClock`; tests drive it directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .actions import Action, Channel, Choice, Command, PostEffect, Role, Target, TextUse
from .reading import Reading, ReplyContext, ReplyMemory, read_reply
from .rules import Rules, load_rules
from .scenario import Condition, Effect, Ending, PostSpec, Scenario, ScoreEffect, Sentiment
from .spread import Crowd, Post, clamp, starting_heat
from .writer import PostWriter

BACKFIRE_QUALITY = -0.5


class ResponseError(ValueError):
    """A response the game cannot accept; the message is shown to the player."""


@dataclass(frozen=True)
class Response:
    """What the player did at a minute, as the crowd and the scorer see it."""

    minute: int
    command: Command
    text: str  # the words published: the command's, or the scenario's holding statement
    reading: Reading
    quality: float

    @property
    def action(self) -> Action:
        return self.command.action

    @property
    def post_id(self) -> str | None:
        return self.command.post_id

    @property
    def channel(self) -> Channel | None:
        return self.command.channel

    @property
    def role(self) -> Role | None:
        return self.command.role

    @property
    def signals(self) -> frozenset[str]:
        return self.reading.signals


@dataclass(frozen=True)
class Run:
    """A play-through as data: enough to replay it exactly and get the identical scorecard."""

    scenario_id: str
    scenario_version: str
    seed: int
    commands: tuple[tuple[int, Command], ...]
    minute: int  # where the run stopped
    finished: bool  # it reached an ending
    speed: float | None = None  # game minutes per real second, for comparing like with like

    def to_dict(self) -> dict:
        """A JSON-ready form, as the scoreboard stores it."""
        return {
            "scenario": self.scenario_id,
            "version": self.scenario_version,
            "seed": self.seed,
            "speed": self.speed,
            "minute": self.minute,
            "finished": self.finished,
            "commands": [{"minute": minute, **command.to_dict()} for minute, command in self.commands],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Run:
        """Read a run written by :meth:`to_dict`; ``ValueError``/``KeyError`` name what is wrong."""
        commands = tuple(
            (int(item["minute"]), Command.from_dict({k: v for k, v in item.items() if k != "minute"}))
            for item in data["commands"]
        )
        return cls(
            data["scenario"], str(data["version"]), int(data["seed"]), commands, int(data["minute"]),
            bool(data["finished"]), data.get("speed"),
        )  # fmt: skip


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
        self.commands: list[tuple[int, Command]] = []
        self._responses_by_post: dict[str, list[Response]] = {}
        self._memory = ReplyMemory()
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
        return self._responses_by_post.get(post_id, [])

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

    def respond(self, command: Command) -> Response:
        """Apply ``command`` at the current minute, let the crowd react and return what it did."""
        spec = command.action.spec
        post = self.check(command.action, command.post_id)
        text = command.text.strip()
        if spec.text is TextUse.REQUIRED and not text:
            raise ResponseError("Write something first.")
        if (spec.choice is Choice.CHANNEL and command.channel is None) or (spec.choice is Choice.ROLE and command.role is None):
            raise ResponseError(spec.choice.missing)
        if command.action is Action.HOLD_STATEMENT and not text:
            text = self.scenario.hold_statement
        reading = read_reply(text, self._context(command.action, post), self.rules, self._memory)
        quality = crowd_reaction(reading, self.rules)
        response = Response(self.minute, command, text, reading, quality)
        self.responses.append(response)
        self.commands.append((self.minute, command))
        self._memory.add(text, command.post_id)
        if post is not None:
            self._responses_by_post.setdefault(post.id, []).append(response)
        self._apply(response, post)
        self._run_branches()
        return response

    def check(self, action: Action, post_id: str | None = None) -> Post | None:
        """Whether ``action`` can be taken on ``post_id`` now, before anything is written.

        Returns the post (or None for a broadcast); raises :class:`ResponseError` saying why not.
        """
        spec = action.spec
        if self.finished:
            raise ResponseError("The scenario has ended.")
        if spec.target is Target.POST and post_id is None:
            raise ResponseError(f"Pick a post to {action.value.replace('_', ' ')}.")
        if spec.target is Target.EVERYONE and post_id is not None:
            raise ResponseError(f"A {spec.label} goes to everyone, not to one post.")
        post = self.post(post_id) if post_id is not None else None
        if post is not None and post.hidden:
            raise ResponseError(f"{post.handle}'s post is hidden.")
        return post

    def _context(self, action: Action, post: Post | None) -> ReplyContext:
        brand = self.scenario.brand
        return ReplyContext(
            action=action,
            brand=brand.name,
            at_fault=brand.at_fault,
            false_claims=tuple(self.scenario.false_claims),
            impossible_promises=tuple(self.scenario.impossible_promises),
            post_text=post.text if post else None,
            author=post.author if post else None,
            post_id=post.id if post else None,
        )

    def _apply(self, response: Response, post: Post | None) -> None:
        spec, command = response.action.spec, response.command
        if post is not None:
            if spec.effect is PostEffect.HIDE:
                post.hidden = True
            elif spec.effect is PostEffect.IGNORE:
                post.ignored = True
            elif spec.effect is PostEffect.ESCALATE:
                post.escalated_to = command.role
            elif spec.effect is PostEffect.ANSWER:
                if post.answered_at is None:
                    post.answered_at = self.minute  # taking it offline answers the person, note or not
                post.offline_by = command.channel or post.offline_by
        self._log(
            spec.log.format(
                label=spec.label,
                target=post.handle if post else "everyone",
                channel=command.channel.label if command.channel else "",
                role=command.role.label if command.role else "",
                note=" and posted a note saying so" if response.text else "",
            ),
            from_player=True,
        )
        if spec.effect is PostEffect.HIDE and post is not None:
            self._publish_backfire(f"{self.scenario.brand.name} is deleting complaints now. Screenshot of what {post.handle} said: \"{_shorten(post.text)}\"")
        self.crowd.react(post, response.quality)
        if response.quality <= BACKFIRE_QUALITY and spec.public:
            self._publish_backfire(f"Look how {self.scenario.brand.name} answers people: \"{_shorten(response.text)}\"")

    def run(self, speed: float | None = None) -> Run:
        """This play-through as data, to store with its result and replay later."""
        scenario = self.scenario
        return Run(scenario.id, scenario.version, self.seed, tuple(self.commands), self.minute, self.finished, speed)

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


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def crowd_reaction(reading: Reading, rules: Rules) -> float:
    """How the crowd takes a response, -1 to 1: its graded words, plus the action and what gets screenshotted."""
    weights = sum(rules.reaction.get(signal, 0.0) for signal in reading.signals)
    words = (reading.overall - 50) / 50 * rules.reading.crowd_weight if reading.has_words and reading.readable else 0.0
    return clamp(weights + words, -1.0, 1.0)


def _as_handle(handle: str) -> str:
    return handle if handle.startswith("@") else "@" + handle


def replay(scenario: Scenario, run: Run, rules: Rules | None = None) -> Session:
    """Play ``run`` again on ``scenario``: the same seed and commands at the same minutes give the same session."""
    session = Session(scenario, seed=run.seed, rules=rules)
    for minute, command in run.commands:
        session.advance(minute - session.minute)
        session.respond(command)
    if run.finished:
        session.finish()
    else:
        session.advance(run.minute - session.minute)
    return session
