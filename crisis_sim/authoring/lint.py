"""Lint a valid scenario for things that load fine but can never play out as the trainer meant.

The loader rejects what is *wrong* (unknown ids, bad types); lint warns about
what is *pointless*: branches and endings no play can reach, conditions that
contradict themselves, posts nobody sees, timings past the end, no false claims
to check honesty against. Each warning names the line and field, like a load
error, so ``validate --strict`` can report both the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..engine.actions import Action, Target
from ..engine.datafile import Locate, Location, Problem, field_name
from ..engine.scenario import Condition, CounterTest, Effect, Scenario, TextSignal
from .suggest import did_you_mean


@dataclass(frozen=True)
class Finding:
    """One warning at a location in the scenario file."""

    location: tuple[str | int, ...]
    message: str
    never: bool = False  # the condition it is about can never hold


def lint(scenario: Scenario, locate: Locate | None = None) -> list[Problem]:
    """Every lint warning for ``scenario``, with lines found by ``locate`` (from ``read_yaml``) when given."""
    return [
        Problem(locate(f.location) if locate else None, field_name(f.location), f.message) for f in _Linter(scenario).findings()
    ]


@dataclass
class _World:
    """The earliest minute each thing can have happened by, in some play of the scenario."""

    posts: dict[str, int] = field(default_factory=dict)
    branches: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    endings: dict[str, int] = field(default_factory=dict)  # ended by an effect

    def lower(self, kind: str, name: str, minute: int) -> bool:
        """Record that ``name`` can happen at ``minute``; True if that is earlier than known."""
        known: dict[str, int] = getattr(self, kind)
        if name in known and known[name] <= minute:
            return False
        known[name] = minute
        return True


class _Linter:
    """Works out what can happen in a scenario without playing it."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.end = scenario.duration_minutes
        self.branch_index = {branch.id: index for index, branch in enumerate(scenario.branches)}

    def findings(self) -> list[Finding]:
        found = [*self._posts(), *self._false_claims()]
        for location, condition in self.scenario.conditions():
            found += self._condition(location, condition, at_end=location[0] == "endings")
        world = self._reach()
        found += self._unreachable_branches(world)
        found += self._decisions(world)
        found += self._hints(world)
        found += self._unread_flags()
        found += self._endings(world)
        return found

    # --- posts and facts -----------------------------------------------------------

    def _posts(self) -> Iterator[Finding]:
        for index, post in enumerate(self.scenario.posts):
            if post.at >= self.end:
                name = f"post '{post.id}'" if post.id else "this post"
                yield Finding(("posts", index, "at"), f"{name} appears at minute {post.at}, when the scenario is over (it ends at minute {self.end}): nobody sees it")
        for location, effect in self.scenario.effects():
            if effect.end and effect.posts:
                yield Finding((*location, "posts"), f"this ends the scenario (end: {effect.end}), so the posts it adds are never seen")
            if effect.end and effect.decide:
                yield Finding((*location, "decide"), f"this ends the scenario (end: {effect.end}), so decision '{effect.decide.id}' is never answered")
            for number, post in enumerate(effect.posts):
                if "at" in post.model_fields_set:
                    yield Finding((*location, "posts", number, "at"), "'at' is ignored here: posts an effect adds appear when it happens")

    def _false_claims(self) -> Iterator[Finding]:
        if not self.scenario.false_claims:
            yield Finding(("false_claims",), "no false claims: list phrases that are untrue in this scenario so honesty is checked against them")

    # --- conditions ------------------------------------------------------------------

    def _condition(self, where: Location, c: Condition, at_end: bool) -> Iterator[Finding]:
        """Contradictions and dead parts of one condition (not the groups inside it); ``at_end`` for an ending's."""
        where = tuple(where)
        after = c.after or 0
        if c.before is not None and c.before <= after:
            detail = "the game starts at minute 0" if c.before == 0 else f"after: {after} and before: {c.before} contradict each other"
            yield Finding((*where, "before"), f"{detail}, so this can never hold", never=True)
        elif at_end and c.before is not None and c.before <= self.end:
            yield Finding((*where, "before"), f"endings are chosen when time runs out at minute {self.end}, so before: {c.before} can never hold", never=True)
        elif not at_end and c.before is not None and c.before > self.end:
            yield Finding((*where, "before"), f"before: {c.before} is past the scenario's end (minute {self.end}) and changes nothing")
        if c.after is not None and c.after > self.end:
            yield Finding((*where, "after"), f"after: {c.after} is past the scenario's end (minute {self.end}), so this can never hold", never=True)
        if c.mood_below is not None and c.mood_below <= -1:
            yield Finding((*where, "mood_below"), f"the mood is never below -1, so mood_below: {c.mood_below} can never hold", never=True)
        if c.mood_above is not None and c.mood_above >= 1:
            yield Finding((*where, "mood_above"), f"the mood is never above 1, so mood_above: {c.mood_above} can never hold", never=True)
        if c.mood_below is not None and c.mood_above is not None and c.mood_above >= c.mood_below:
            yield Finding((*where, "mood_above"), f"mood_above: {c.mood_above} and mood_below: {c.mood_below} contradict each other, so this can never hold", never=True)
        if c.did is not None and c.did == c.did_not:
            yield Finding((*where, "did_not"), f"did: {c.did} and did_not: {c.did_not} contradict each other, so this can never hold", never=True)
        if c.fired is not None and c.fired == c.not_fired:
            yield Finding((*where, "not_fired"), f"fired: {c.fired} and not_fired: {c.not_fired} contradict each other, so this can never hold", never=True)
        for name, test in (c.counter or {}).items():
            if test.at_least is not None and test.at_most is not None and test.at_least > test.at_most:
                yield Finding((*where, "counter", name), f"at_least: {test.at_least} is above at_most: {test.at_most}, so this can never hold", never=True)
        signals = [c.did, *(step.did for step in c.in_order or [])]
        if TextSignal.FALSE_CLAIM in signals and not self.scenario.false_claims:
            yield Finding((*where, "did"), "did: false_claim needs the scenario's false_claims, which is empty, so this can never hold", never=True)
        yield from self._narrowing(where, c)

    def _narrowing(self, where: tuple, c: Condition) -> Iterator[Finding]:
        """``post``, ``role`` and ``channel`` narrow did/did_not; some combinations no response can have."""
        for name in ("post", "role", "channel"):
            if getattr(c, name) is not None and c.did is None and c.did_not is None:
                yield Finding((*where, name), f"{name}: {getattr(c, name)} only narrows did or did_not, and there is neither")
        for field_, signal in (("did", c.did), ("did_not", c.did_not)):
            reason = _never_narrowed(signal, c.post, c.role, c.channel) if signal is not None else None
            if reason is not None and field_ == "did":
                yield Finding((*where, "did"), f"{reason}, so did: {signal} can never hold", never=True)
            elif reason is not None:
                yield Finding((*where, "did_not"), f"{reason}, so did_not: {signal} always holds")
        for number, step in enumerate(c.in_order or []):
            reason = _never_narrowed(step.did, step.post, step.role, step.channel)
            if reason is not None:
                yield Finding((*where, "in_order", number, "did"), f"{reason}, so this step can never happen", never=True)

    def _contradicts(self, c: Condition, at_end: bool) -> bool:
        return any(finding.never for finding in self._condition((), c, at_end))

    # --- what can happen -----------------------------------------------------------------

    def _reach(self) -> _World:
        """Everything that can happen, with its earliest minute, found by passes until nothing changes."""
        world = _World()
        for post in self.scenario.posts:
            if post.id and post.at < self.end:
                world.lower("posts", post.id, post.at)
        changed = True
        while changed:
            changed = False
            for branch in self.scenario.branches:
                minute = self._earliest(branch.when, world, at_end=False)
                if minute is not None:
                    changed |= self._fire(branch.id, minute, world)
        return world

    def _fire(self, branch_id: str, minute: int, world: _World) -> bool:
        if not world.lower("branches", branch_id, minute):
            return False
        self._effect(self.scenario.branches[self.branch_index[branch_id]].then, minute, world)
        return True

    def _effect(self, effect: Effect, minute: int, world: _World) -> None:
        """What an effect makes possible: its posts, flags, counters, decision options, fired branch and ending."""
        for post in effect.posts:
            if post.id:
                world.lower("posts", post.id, minute)
        for name, value in effect.set_flags.items():
            if value:
                world.lower("flags", name, minute)
        for name in effect.add:
            world.lower("counters", name, minute)
        if effect.decide is not None:
            for option in effect.decide.options:
                self._effect(option, minute, world)
        if effect.fire is not None:
            self._fire(effect.fire, minute, world)
        if effect.end is not None:
            world.lower("endings", effect.end, minute)

    def _earliest(self, c: Condition, world: _World, at_end: bool) -> int | None:
        """The first minute ``c`` could hold, given what can have happened by then; None if never.

        ``not`` groups are taken to hold: lint only reports what is certain.
        """
        if self._contradicts(c, at_end):
            return None
        minutes = [c.after or 0]
        needs = [("posts", post) for post in _needed_posts(c)]
        needs += [("branches", c.fired)] if c.fired is not None else []
        needs += [("flags", c.flag)] if c.flag is not None else []
        needs += [("counters", name) for name, test in (c.counter or {}).items() if not _holds_at_zero(test)]
        for kind, name in needs:
            if name not in getattr(world, kind):
                return None
            minutes.append(getattr(world, kind)[name])
        for part in c.all_of or []:
            minute = self._earliest(part, world, at_end)
            if minute is None:
                return None
            minutes.append(minute)
        if c.any_of is not None:
            options = [m for m in (self._earliest(part, world, at_end) for part in c.any_of) if m is not None]
            if not options:
                return None
            minutes.append(min(options))
        earliest = max(minutes)
        if earliest > self.end or (not at_end and c.before is not None and earliest >= c.before):
            return None
        return earliest

    def _why_never(self, c: Condition, world: _World, at_end: bool) -> str:
        """The first reason ``c`` can never hold, in words."""
        limit = f"before: {c.before}" if c.before is not None and not at_end else f"the end at minute {self.end}"
        for post in _needed_posts(c):
            if post not in world.posts:
                return f"it waits for post '{post}', and {self._providers(post)}"
            if world.posts[post] >= (c.before if c.before is not None and not at_end else self.end + 1):
                return f"post '{post}' appears at minute {world.posts[post]} at the earliest, too late for {limit}"
        if c.fired is not None and c.fired not in world.branches:
            return f"it waits for branch '{c.fired}', which never fires"
        if c.flag is not None and c.flag not in world.flags:
            return f"it needs flag '{c.flag}', and nothing that can happen sets it to true"
        for name, test in (c.counter or {}).items():
            if not _holds_at_zero(test) and name not in world.counters:
                return f"it needs counter '{name}' to change, and nothing that can happen adds to it"
        for part in c.all_of or []:
            if self._earliest(part, world, at_end) is None:
                return self._why_never(part, world, at_end)
        if c.any_of is not None and all(self._earliest(part, world, at_end) is None for part in c.any_of):
            return "none of its 'any' conditions can hold"
        return f"what it waits for cannot all happen in time for {limit}"

    def _providers(self, name: str) -> str:
        """Which branches could make a post appear, for a message about why it never does."""
        branches = sorted(
            {self.scenario.branches[location[1]].id for location, effect in self.scenario.effects() if any(p.id == name for p in effect.posts)}
        )
        if not branches:
            return "no scripted post or effect adds it"
        return f"only {', '.join(f'branch {b!r}' for b in branches)} can add it, which never happens"

    def _unreachable_branches(self, world: _World) -> Iterator[Finding]:
        for index, branch in enumerate(self.scenario.branches):
            if branch.id in world.branches or self._contradicts(branch.when, at_end=False):
                continue  # a contradiction is already reported where it is
            yield Finding(("branches", index, "id"), f"branch '{branch.id}' can never fire: {self._why_never(branch.when, world, at_end=False)}")

    # --- decisions, flags and counters ----------------------------------------------

    def _decisions(self, world: _World) -> Iterator[Finding]:
        read = self._read_names()
        for location, decision in self.scenario.decisions():
            branch = self.scenario.branches[location[1]]
            opened = world.branches.get(branch.id)
            if opened is not None and opened + decision.deadline_minutes > self.end:
                yield Finding(
                    (*location, "deadline_minutes"),
                    f"decision '{decision.id}' opens at minute {opened} at the earliest; its deadline ends after the scenario (minute {self.end}), so the default never applies",
                )
            for number, option in enumerate(decision.options):
                if _leads_nowhere(option, read):
                    yield Finding(
                        (*location, "options", number, "id"),
                        f"option '{option.id}' leads nowhere: no message, mood, posts, score, decision, fire or end, and it sets nothing a condition reads",
                    )

    def _hints(self, world: _World) -> Iterator[Finding]:
        """Hints the player can never see: the branch ends the game, or its delay runs past the end."""
        for index, branch in enumerate(self.scenario.branches):
            fired = world.branches.get(branch.id)
            if branch.hint is None or fired is None:
                continue
            if branch.then.end:
                yield Finding(("branches", index, "hint"), f"branch '{branch.id}' ends the scenario, so its hint is never shown")
            elif fired + branch.hint_delay > self.end:
                yield Finding(
                    ("branches", index, "hint_after" if branch.hint_after is not None else "hint"),
                    f"the hint shows {branch.hint_delay} minutes after minute {fired} at the earliest, after the scenario ends (minute {self.end})",
                )

    def _read_names(self) -> set[str]:
        """Flags and counters some condition reads."""
        names: set[str] = set()
        for _, condition in self.scenario.conditions():
            names |= {condition.flag} if condition.flag else set()
            names |= set(condition.counter or {})
        return names

    def _unread_flags(self) -> Iterator[Finding]:
        read = self._read_names()
        for location, effect in self.scenario.effects():
            for kind, names in (("set", effect.set_flags), ("add", effect.add)):
                for name in names:
                    if name not in read:
                        what = "flag" if kind == "set" else "counter"
                        yield Finding((*location, kind, name), f"no condition reads {what} '{name}'{did_you_mean(name, read)}")

    # --- endings -------------------------------------------------------------------------

    def _endings(self, world: _World) -> Iterator[Finding]:
        shadowed_by: str | None = None
        last = len(self.scenario.endings) - 1
        for index, ending in enumerate(self.scenario.endings):
            where = ("endings", index)
            by_timeout = index == last if ending.when is None else self._earliest(ending.when, world, at_end=True) is not None
            if shadowed_by is not None and by_timeout and ending.id not in world.endings:
                yield Finding((*where, "id"), f"ending '{ending.id}' is never reached: ending '{shadowed_by}' before it always holds when time runs out, and nothing ends with it")
            elif not by_timeout and ending.id not in world.endings:
                if ending.when is None:
                    how = "it has no 'when' and is not last"
                elif self._contradicts(ending.when, at_end=True):
                    how = "its 'when' never holds when time runs out"
                else:
                    how = f"its 'when' never holds: {self._why_never(ending.when, world, at_end=True)}"
                yield Finding((*where, "id"), f"ending '{ending.id}' is never reached: {how}, and nothing that can happen ends with it")
            if ending.when is not None and shadowed_by is None and _always_at_end(ending.when, self.end):
                shadowed_by = ending.id


def _needed_posts(c: Condition) -> list[str]:
    """Posts that must exist for ``c`` to hold: the one a ``did`` is narrowed to, the unanswered one, in_order's."""
    needed = [c.post] if c.post is not None and c.did is not None else []
    needed += [step.post for step in c.in_order or [] if step.post is not None]
    return [*needed, c.unanswered] if c.unanswered is not None else needed


def _never_narrowed(signal: str, post: str | None, role: object, channel: object) -> str | None:
    """Why no response can show ``signal`` with this post, role and channel, or None if one can."""
    is_text_signal = signal in TextSignal.__members__.values()  # "apology" is an action and a signal any text can show
    action = Action(signal) if signal in Action.__members__.values() and not is_text_signal else None
    if post is not None and action is not None and action.spec.target is Target.EVERYONE:
        return f"a {action.spec.label} goes to everyone, never to post '{post}'"
    if role is not None:
        if action is None:
            return f"escalations carry no words, so no escalation to {role} shows '{signal}'"
        if action is not Action.ESCALATE:
            return f"only escalations go to a role, not a {action.spec.label}"
    if channel is not None and action is not None and action is not Action.OFFLINE:
        return f"only taking a post offline has a channel, not a {action.spec.label}"
    return None


def _holds_at_zero(test: CounterTest) -> bool:
    """Whether a counter test holds before anything has been added (counters start at 0)."""
    return (test.at_least is None or test.at_least <= 0) and (test.at_most is None or test.at_most >= 0)


def _leads_nowhere(option: Effect, read: set[str]) -> bool:
    """An option that changes nothing the player sees, the score counts or a condition reads."""
    visible = option.message or option.mood or option.posts or option.spawn or option.score
    consequences = option.decide or option.fire or option.end
    read_later = (set(option.set_flags) | set(option.add)) & read
    return not (visible or consequences or read_later)


def _always_at_end(c: Condition, end: int) -> bool:
    """Whether an ending's condition holds whatever the player did: only timings that are true at the end."""
    timing_only = all(getattr(c, name) is None for name in Condition.model_fields if name not in ("after", "before"))
    return timing_only and (c.after or 0) <= end and (c.before is None or c.before > end)

