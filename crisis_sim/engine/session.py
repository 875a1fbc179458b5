"""One play-through of a scenario: the clock, the feed, the player's responses.

A :class:`Session` is pure and deterministic: the same scenario, seed and
responses at the same minutes always give the same run. The Textual app drives
it with :class:`GameClock`; tests drive it directly.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from ..safe_text import clean
from .actions import Action, Channel, Choice, Command, PostEffect, Role, Target, TextUse
from .reading import Reading, ReplyContext, ReplyMemory, read_reply
from .rules import Rules, load_rules
from .scenario import Branch, Condition, Decision, DecisionOption, Effect, Ending, PostSpec, Scenario, ScoreEffect, Sentiment, Step
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
    """A line in the incident log: a scripted beat, what the player did, or a hint for a player who is stuck."""

    minute: int
    text: str
    from_player: bool = False
    hint: bool = False


@dataclass(frozen=True)
class OpenDecision:
    """A decision put to the player that is still waiting for an answer."""

    decision: Decision
    opened_at: int

    @property
    def closes_at(self) -> int:
        """The minute the default option applies."""
        return self.opened_at + self.decision.deadline_minutes


@dataclass(frozen=True)
class DecisionMade:
    """How a decision was settled: by the player, or by its default when time ran out."""

    minute: int
    decision: Decision
    option: DecisionOption
    by_default: bool


@dataclass(frozen=True)
class FacilitatorNote:
    """A note for the trainer from a branch that fired or a decision that was made."""

    minute: int
    source: str  # the branch or decision id
    text: str


@dataclass(frozen=True)
class ModelReply:
    """A scripted post, what a strong answer to it looked like, and what the player actually did."""

    post: Post
    model_reply: str
    responses: tuple[Response, ...]


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
        self.flags: dict[str, bool] = {}
        self.counters: dict[str, int] = {}
        self.open_decisions: list[OpenDecision] = []
        self.decisions_made: list[DecisionMade] = []
        self._decisions_put: set[str] = set()
        self._fired_at: dict[str, int] = {}
        self._hints_waiting: dict[str, int] = {}  # branch id -> commands given when it fired
        self._model_replies: dict[str, str] = {}  # post id -> its spec's model reply
        self.ending: Ending | None = None
        self._next_id = 1
        self._posts_by_id: dict[str, Post] = {}
        self._due: defaultdict[int, list[PostSpec]] = defaultdict(list)  # scripted posts by minute
        for spec in scenario.posts:
            self._due[spec.at].append(spec)
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
    def negative_reach(self) -> int:
        """How many people the visible negative posts reach."""
        return self.crowd.negative_reach

    @property
    def negative_posts(self) -> int:
        """How many visible negative posts there are."""
        return self.crowd.negative_posts

    @property
    def waiting_posts(self) -> int:
        """How many posts still wait for the brand: negative, visible, not answered and not ignored."""
        return self.crowd.waiting_posts

    @property
    def oldest_waiting_minute(self) -> int | None:
        """The minute the oldest waiting post appeared, or None if none waits."""
        post = self.crowd.oldest_waiting
        return post.minute if post is not None else None

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
            self._close_expired_decisions()
            self._run_branches()
            self._give_due_hints()
            if self.minute >= self.scenario.duration_minutes and not self.finished:
                self._end(self._timeout_ending())

    def finish(self) -> None:
        """The player is done: let the world play out to the end without them."""
        self.advance(self.scenario.duration_minutes - self.minute)
        if not self.finished:
            self._end(self._timeout_ending())

    # --- the player ---------------------------------------------------------

    def respond(self, command: Command) -> Response | None:
        """Apply ``command`` at the current minute, let the crowd react and return what it did.

        A decision is not seen by the crowd, so answering one returns None.
        """
        if command.action is Action.DECIDE:
            self._decide(command)
            return None
        spec = command.action.spec
        post = self.check(command.action, command.post_id)
        text = clean(command.text).strip()  # words are shown on terminals: no escape sequences or control characters
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
        if spec.target is Target.NONE and post_id is not None:
            raise ResponseError(f"A {spec.label} is not about a post.")
        post = self.post(post_id) if post_id is not None else None
        if post is not None and post.hidden:
            raise ResponseError(f"{post.handle}'s post is hidden.")
        return post

    def _context(self, action: Action, post: Post | None) -> ReplyContext:
        if post is None:
            return ReplyContext.in_scenario(self.scenario, action)
        return ReplyContext.in_scenario(self.scenario, action, post.text, post.author, post.id)

    def _apply(self, response: Response, post: Post | None) -> None:
        spec, command = response.action.spec, response.command
        if post is not None:
            if spec.effect is PostEffect.HIDE:
                self.crowd.hide(post)
            elif spec.effect is PostEffect.IGNORE:
                post.ignored = True
            elif spec.effect is PostEffect.ESCALATE:
                post.escalated_to = command.role
            elif spec.effect is PostEffect.ANSWER:
                if post.answered_at is None:
                    post.answered_at = self.minute  # taking it offline answers the person, note or not
                post.offline_by = command.channel or post.offline_by
            self.crowd.update(post)
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
        for spec in self._due.get(self.minute, ()):
            self._publish_spec(spec)

    def _publish_spec(self, spec: PostSpec) -> Post:
        """Publish a scripted post, remembering its model reply for the debrief."""
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
        if spec.model_reply:
            self._model_replies.setdefault(post.id, spec.model_reply)
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
        self.crowd.add(post)
        self._posts_by_id.setdefault(post.id, post)

    def _new_id(self) -> str:
        identifier = f"#{self._next_id}"
        self._next_id += 1
        return identifier

    def _log(self, text: str, from_player: bool = False, hint: bool = False) -> None:
        self.notices.append(Notice(self.minute, text, from_player, hint))

    # --- branches and endings ---------------------------------------------

    def _run_branches(self) -> None:
        """Fire every branch whose condition holds, again and again until none more does.

        Repeating lets a branch read a flag, counter or ``fired`` set by a branch listed after it, in the same minute.
        """
        fired_some = True
        while fired_some and not self.finished:
            fired_some = False
            for branch in self.scenario.branches:
                if self.finished:
                    return
                if branch.id not in self.fired and self.holds(branch.when):
                    self._fire(branch)
                    fired_some = True

    def _branch(self, branch_id: str) -> Branch:
        return next(b for b in self.scenario.branches if b.id == branch_id)

    def _fire(self, branch: Branch) -> None:
        self.fired.append(branch.id)
        self._fired_at[branch.id] = self.minute
        if branch.hint:
            self._hints_waiting[branch.id] = len(self.commands)
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
        self.flags.update(effect.set_flags)
        for name, amount in effect.add.items():
            self.counters[name] = self.counters.get(name, 0) + amount
        if effect.decide:
            self._open_decision(effect.decide)
        if effect.fire and effect.fire not in self.fired:
            self._fire(self._branch(effect.fire))
        if effect.end and not self.finished:
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
        if c.fired is not None and c.fired not in self.fired:
            return False
        if c.not_fired is not None and c.not_fired in self.fired:
            return False
        if c.flag is not None and not self.flags.get(c.flag, False):
            return False
        for name, test in (c.counter or {}).items():
            value = self.counters.get(name, 0)
            if (test.at_least is not None and value < test.at_least) or (test.at_most is not None and value > test.at_most):
                return False
        if c.in_order is not None and not self._did_in_order(c.in_order):
            return False
        if c.all_of is not None and not all(self.holds(part) for part in c.all_of):
            return False
        if c.any_of is not None and not any(self.holds(part) for part in c.any_of):
            return False
        return c.not_ is None or not self.holds(c.not_)

    def _did(self, c: Condition, negated: bool = False) -> bool:
        """Whether a response showed ``c.did`` (or ``c.did_not``), narrowed by post, role and channel."""
        signal = c.did_not if negated else c.did
        return any(_shows(r, signal, c.post, c.role, c.channel) for r in self.responses)

    def _did_in_order(self, steps: list[Step]) -> bool:
        """Whether separate responses showed ``steps`` in this order, with anything in between."""
        remaining = iter(self.responses)
        return all(any(_shows(r, step.did, step.post, step.role, step.channel) for r in remaining) for step in steps)

    # --- decisions ----------------------------------------------------------

    def decision_waiting(self) -> OpenDecision | None:
        """The oldest decision still waiting for the player, if any."""
        return self.open_decisions[0] if self.open_decisions else None

    def _open_decision(self, decision: Decision) -> None:
        if decision.id in self._decisions_put:
            return  # a decision is put once, even if two branches ask it
        self._decisions_put.add(decision.id)
        self.open_decisions.append(OpenDecision(decision, self.minute))
        self._log(f"Decision needed: {decision.prompt} ({decision.deadline_minutes} minutes to decide)")

    def _decide(self, command: Command) -> None:
        """Apply the player's answer to an open decision and record it for replay."""
        self.check(command.action, command.post_id)
        waiting = next((d for d in self.open_decisions if d.decision.id == command.decision), None)
        if waiting is None:
            raise ResponseError("No decision is waiting for you." if not self.open_decisions else "That decision is not open.")
        option = waiting.decision.option(command.choice or "")
        if option is None:
            raise ResponseError(Action.DECIDE.spec.choice.missing)
        self.commands.append((self.minute, command))
        self._settle(waiting, option, by_default=False)
        self._run_branches()

    def _close_expired_decisions(self) -> None:
        for waiting in [d for d in self.open_decisions if d.closes_at <= self.minute]:
            option = waiting.decision.option(waiting.decision.default)
            assert option is not None, "cross_check makes the default one of the options"
            self._settle(waiting, option, by_default=True)

    def _settle(self, waiting: OpenDecision, option: DecisionOption, by_default: bool) -> None:
        self.open_decisions.remove(waiting)
        self.decisions_made.append(DecisionMade(self.minute, waiting.decision, option, by_default))
        if by_default:
            self._log(f"Time ran out on \"{waiting.decision.prompt}\": {option.label}")
        else:
            self._log(Action.DECIDE.spec.log.format(option=option.label), from_player=True)
        self._apply_effect(option)

    # --- hints, notes and model replies for the trainer --------------------

    def _give_due_hints(self) -> None:
        """Show a branch's hint once the player has done nothing for its delay since it fired."""
        for branch_id, commands_then in list(self._hints_waiting.items()):
            if len(self.commands) > commands_then:
                del self._hints_waiting[branch_id]  # the player acted: not stuck
                continue
            branch = self._branch(branch_id)
            if self.minute - self._fired_at[branch_id] >= branch.hint_delay:
                del self._hints_waiting[branch_id]
                self._log(f"Hint: {branch.hint}", hint=True)

    @property
    def hints_given(self) -> list[Notice]:
        return [n for n in self.notices if n.hint]

    def facilitator_notes(self) -> list[FacilitatorNote]:
        """Notes for the trainer from the decisions made and the branches that fired, by minute (a decision before its consequences)."""
        notes = [FacilitatorNote(d.minute, d.decision.id, d.decision.note) for d in self.decisions_made if d.decision.note]
        notes += [FacilitatorNote(self._fired_at[b], b, note) for b in self.fired if (note := self._branch(b).note)]
        return sorted(notes, key=lambda n: n.minute)

    def model_replies(self) -> list[ModelReply]:
        """Each scripted post with a model reply that appeared, beside the player's responses to it."""
        return [
            ModelReply(self._posts_by_id[post_id], text, tuple(self.responses_to(post_id)))
            for post_id, text in self._model_replies.items()
        ]

    def _timeout_ending(self) -> Ending:
        """The first ending whose ``when`` holds, else the last one (the fallback)."""
        endings = self.scenario.endings
        return next((e for e in endings if e.when is not None and self.holds(e.when)), endings[-1])

    def _end(self, ending: Ending) -> None:
        self.ending = ending
        self._log(f"Ending: {ending.title}")


def _shows(response: Response, signal: str | None, post: str | None, role: Role | None, channel: Channel | None) -> bool:
    """Whether ``response`` showed ``signal``, to ``post`` / by ``role`` / ``channel`` where given."""
    return (
        signal in response.signals
        and (post is None or response.post_id == post)
        and (role is None or response.role == role)
        and (channel is None or response.channel == channel)
    )


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
