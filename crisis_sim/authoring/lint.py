"""Lint a valid scenario for things that load fine but can never play out as the trainer meant.

The loader rejects what is *wrong* (unknown ids, bad types); lint warns about
what is *pointless*: branches and endings no play can reach, conditions that
contradict themselves, posts nobody sees, timings past the end, no false claims
to check honesty against. Each warning names the line and field, like a load
error, so ``validate --strict`` can report both the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from ..engine.actions import Action, Target
from ..engine.datafile import Location, Problem, field_name, line_of
from ..engine.scenario import Condition, Scenario, TextSignal


@dataclass(frozen=True)
class Finding:
    """One warning at a location in the scenario file."""

    location: tuple[str | int, ...]
    message: str
    never: bool = False  # the condition it is about can never hold


def lint(scenario: Scenario, root: yaml.Node | None = None) -> list[Problem]:
    """Every lint warning for ``scenario``, with lines taken from its composed YAML ``root``."""
    return [Problem(line_of(root, f.location), field_name(f.location), f.message) for f in _Linter(scenario).findings()]


class _Linter:
    """Works out what can happen in a scenario without playing it."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.end = scenario.duration_minutes

    def findings(self) -> list[Finding]:
        found = [*self._posts(), *self._false_claims()]
        impossible: set[int] = set()
        for index, branch in enumerate(self.scenario.branches):
            problems = list(self._condition(("branches", index, "when"), branch.when, at_end=False))
            found += problems
            if any(p.never for p in problems):
                impossible.add(index)
        fire_minute, post_minute = self._reachable(impossible)
        found += self._unreachable_branches(impossible, fire_minute, post_minute)
        found += self._endings(fire_minute, post_minute)
        return found

    # --- posts and facts -----------------------------------------------------------

    def _posts(self) -> Iterator[Finding]:
        for index, post in enumerate(self.scenario.posts):
            if post.at >= self.end:
                name = f"post '{post.id}'" if post.id else "this post"
                yield Finding(("posts", index, "at"), f"{name} appears at minute {post.at}, when the scenario is over (it ends at minute {self.end}): nobody sees it")
        for index, branch in enumerate(self.scenario.branches):
            then = branch.then
            if then.end and then.posts:
                yield Finding(("branches", index, "then", "posts"), f"branch '{branch.id}' ends the scenario, so the posts it adds are never seen")
            for number, post in enumerate(then.posts):
                if "at" in post.model_fields_set:
                    yield Finding(("branches", index, "then", "posts", number, "at"), "'at' is ignored here: posts a branch adds appear when it fires")

    def _false_claims(self) -> Iterator[Finding]:
        if not self.scenario.false_claims:
            yield Finding(("false_claims",), "no false claims: list phrases that are untrue in this scenario so honesty is checked against them")

    # --- conditions ------------------------------------------------------------------

    def _condition(self, where: Location, c: Condition, at_end: bool) -> Iterator[Finding]:
        """Contradictions and dead parts of one condition; ``at_end`` for an ending's, checked when time runs out."""
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
        if c.did == TextSignal.FALSE_CLAIM and not self.scenario.false_claims:
            yield Finding((*where, "did"), "did: false_claim needs the scenario's false_claims, which is empty, so this can never hold", never=True)
        yield from self._narrowing(where, c)

    def _narrowing(self, where: tuple, c: Condition) -> Iterator[Finding]:
        """``post``, ``role`` and ``channel`` narrow did/did_not; some combinations no response can have."""
        for name in ("post", "role", "channel"):
            if getattr(c, name) is not None and c.did is None and c.did_not is None:
                yield Finding((*where, name), f"{name}: {getattr(c, name)} only narrows did or did_not, and there is neither")
        for field, signal in (("did", c.did), ("did_not", c.did_not)):
            if signal is None:
                continue
            reason = _never_narrowed(signal, c)
            if reason is None:
                continue
            if field == "did":
                yield Finding((*where, "did"), f"{reason}, so did: {signal} can never hold", never=True)
            else:
                yield Finding((*where, "did_not"), f"{reason}, so did_not: {signal} always holds")

    # --- what can fire -----------------------------------------------------------------

    def _reachable(self, impossible: set[int]) -> tuple[dict[int, int], dict[str, int]]:
        """The earliest minute each branch could fire and each post could exist, found by repeated passes."""
        post_minute = {p.id: p.at for p in self.scenario.posts if p.id and p.at < self.end}
        fire_minute: dict[int, int] = {}
        changed = True
        while changed:
            changed = False
            for index, branch in enumerate(self.scenario.branches):
                if index in impossible or index in fire_minute:
                    continue
                earliest = self._earliest(branch.when, post_minute)
                if earliest is None:
                    continue
                fire_minute[index] = earliest
                changed = True
                for post in branch.then.posts:
                    if post.id and post.id not in post_minute:
                        post_minute[post.id] = earliest
        return fire_minute, post_minute

    def _earliest(self, c: Condition, post_minute: dict[str, int]) -> int | None:
        """The first minute ``c`` could hold given when its posts can exist, or None."""
        needed = _needed_posts(c)
        if any(post not in post_minute for post in needed):
            return None
        earliest = max([c.after or 0, *(post_minute[post] for post in needed)])
        if earliest > self.end or (c.before is not None and earliest >= c.before):
            return None
        return earliest

    def _unreachable_branches(self, impossible: set[int], fire_minute: dict[int, int], post_minute: dict[str, int]) -> Iterator[Finding]:
        branches = self.scenario.branches
        for index, branch in enumerate(branches):
            if index in impossible or index in fire_minute:
                continue
            yield Finding(("branches", index, "id"), f"branch '{branch.id}' can never fire: {self._why_blocked(index, post_minute)}")

    def _why_blocked(self, index: int, post_minute: dict[str, int]) -> str:
        """Explain which post a blocked branch waits for, naming a cycle when branches wait on each other."""
        condition = self.scenario.branches[index].when
        for post in _needed_posts(condition):
            if post in post_minute:
                minute = post_minute[post]
                limit = f"before: {condition.before}" if condition.before is not None else f"the end at minute {self.end}"
                return f"post '{post}' appears at minute {minute} at the earliest, too late for {limit}"
            providers = [i for i, b in enumerate(self.scenario.branches) if any(p.id == post for p in b.then.posts)]
            cycle = self._cycle(index, providers)
            if cycle:
                return f"it waits for post '{post}', and the branches that add it wait on this one ({' → '.join(cycle)})"
            names = ", ".join(f"'{self.scenario.branches[i].id}'" for i in providers)
            return f"it waits for post '{post}', which only branch {names} adds, and that never fires"
        return "its condition never holds"

    def _cycle(self, start: int, providers: list[int]) -> list[str]:
        """Branch ids from ``start`` back to itself through the posts each waits for, or [] if there is no loop."""
        branches = self.scenario.branches
        adds = {i: {p.id for p in b.then.posts if p.id} for i, b in enumerate(branches)}
        path: list[int] = [start]
        seen: set[int] = set()

        def visit(current: list[int]) -> bool:
            for provider in current:
                if provider == start:
                    return True
                if provider in seen:
                    continue
                seen.add(provider)
                path.append(provider)
                waits = _needed_posts(branches[provider].when)
                if visit([i for i, posts in adds.items() if posts & set(waits)]):
                    return True
                path.pop()
            return False

        return [branches[i].id for i in [*path, start]] if visit(providers) else []

    # --- endings -------------------------------------------------------------------------

    def _endings(self, fire_minute: dict[int, int], post_minute: dict[str, int]) -> Iterator[Finding]:
        branches = self.scenario.branches
        ended_by = {branches[i].then.end for i in fire_minute if branches[i].then.end}
        shadowed_by: str | None = None
        last = len(self.scenario.endings) - 1
        for index, ending in enumerate(self.scenario.endings):
            where = ("endings", index)
            timeout = index == last
            if ending.when is not None:
                problems = list(self._condition((*where, "when"), ending.when, at_end=True))
                yield from problems
                blocked = any(p.never for p in problems) or any(
                    post not in post_minute for post in _needed_posts(ending.when)
                )
                timeout = not blocked
            if shadowed_by is not None and timeout and ending.id not in ended_by:
                yield Finding((*where, "id"), f"ending '{ending.id}' is never reached: ending '{shadowed_by}' before it always holds when time runs out, and no branch ends with it")
                continue
            if not timeout and ending.id not in ended_by:
                how = "it has no 'when' and is not last" if ending.when is None else "its 'when' never holds"
                yield Finding((*where, "id"), f"ending '{ending.id}' is never reached: {how}, and no branch that can fire ends with it")
            if ending.when is not None and shadowed_by is None and _always_at_end(ending.when, self.end):
                shadowed_by = ending.id


def _needed_posts(c: Condition) -> list[str]:
    """Posts that must exist for ``c`` to hold: the one a ``did`` is narrowed to, and the one that must be unanswered."""
    needed = [c.post] if c.post is not None and c.did is not None else []
    return [*needed, c.unanswered] if c.unanswered is not None else needed


def _never_narrowed(signal: str, c: Condition) -> str | None:
    """Why no response can show ``signal`` with the condition's post, role and channel, or None if one can."""
    action = Action(signal) if signal in Action.__members__.values() else None
    if c.post is not None and action is not None and action.spec.target is Target.EVERYONE:
        return f"a {action.spec.label} goes to everyone, never to post '{c.post}'"
    if c.role is not None:
        if action is None:
            return f"escalations carry no words, so no escalation to {c.role} shows '{signal}'"
        if action is not Action.ESCALATE:
            return f"only escalations go to a role, not a {action.spec.label}"
    if c.channel is not None and action is not None and action is not Action.OFFLINE:
        return f"only taking a post offline has a channel, not a {action.spec.label}"
    return None


def _always_at_end(c: Condition, end: int) -> bool:
    """Whether an ending's condition holds whatever the player did: only timings that are true at the end."""
    timing_only = all(getattr(c, name) is None for name in Condition.model_fields if name not in ("after", "before"))
    return timing_only and (c.after or 0) <= end and (c.before is None or c.before > end)
