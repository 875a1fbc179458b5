"""A saved result played again, minute by minute: what the player saw, did and scored.

Replays and after-action reports both start here: the stored run goes through
:func:`crisis_sim.engine.replay`, which rebuilds the identical session, and
the session is cut into :class:`Step` s a trainer can walk through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .engine import Moment, Post, Response, Rules, Run, Scenario, Scorecard, Session, replay, score_session
from .engine.session import Notice
from .safe_text import clean as clean_text


def clean(text: object) -> str:
    """Any value as text without terminal escape sequences or control characters."""
    return clean_text(str(text))


class ReplayError(Exception):
    """A saved result cannot be replayed; the message says why."""


@dataclass(frozen=True)
class Answer:
    """One thing the player did, and the moments scored at that minute."""

    response: Response
    post: Post | None  # the post it answered, None for a broadcast


@dataclass(frozen=True)
class Step:
    """One minute of the run in which something happened."""

    minute: int
    posts: tuple[Post, ...]  # what appeared in the feed this minute
    answers: tuple[Answer, ...]
    moments: tuple[Moment, ...]  # points earned or lost at this minute
    notices: tuple[Notice, ...]  # scripted beats of the scenario

    @property
    def points(self) -> int:
        return sum(moment.points for moment in self.moments)


@dataclass(frozen=True)
class Replay:
    """A saved result with its rebuilt session, scorecard and timeline."""

    saved: Mapping[str, Any]
    session: Session
    scorecard: Scorecard
    steps: tuple[Step, ...]
    warnings: tuple[str, ...]  # why the replay may differ from what was played

    @property
    def end_moments(self) -> tuple[Moment, ...]:
        """Moments scored for the run as a whole rather than at a minute."""
        return tuple(m for m in self.scorecard.moments if m.minute is None)

    def model_reply(self, post: Post) -> str | None:
        """The scenario's model answer to a scripted post, where it has one."""
        return model_replies(self.session.scenario).get(post.id) if post.scripted else None


def model_replies(scenario: Scenario) -> dict[str, str]:
    """The scenario's model answers, keyed by the id of the scripted post they answer."""
    specs = [*scenario.posts, *(spec for branch in scenario.branches for spec in branch.then.posts)]
    return {spec.id: spec.model_reply for spec in specs if spec.id and spec.model_reply}


def build_steps(session: Session, scorecard: Scorecard) -> tuple[Step, ...]:
    """Cut a session into the minutes in which posts appeared, the player acted or points were scored."""
    minutes = sorted(
        {p.minute for p in session.posts}
        | {r.minute for r in session.responses}
        | {m.minute for m in scorecard.moments if m.minute is not None}
        | {n.minute for n in session.notices if not n.from_player}
    )
    by_id = {post.id: post for post in session.posts}
    return tuple(
        Step(
            minute,
            tuple(p for p in session.posts if p.minute == minute),
            tuple(Answer(r, by_id.get(r.post_id or "")) for r in session.responses if r.minute == minute),
            tuple(m for m in scorecard.moments if m.minute == minute),
            tuple(n for n in session.notices if n.minute == minute and not n.from_player),
        )
        for minute in minutes
    )


def replay_saved(saved: Mapping[str, Any], scenarios: Sequence[Scenario], rules: Rules | None = None) -> Replay:
    """Rebuild a saved result from its stored run; :class:`ReplayError` says why it cannot be."""
    stored = saved["run"]
    number = saved["id"]
    if not stored:
        raise ReplayError(f"Result #{number} was saved without its run, so it cannot be replayed; its scores and moments are kept.")
    try:
        run = Run.from_dict(stored)
    except (KeyError, TypeError, ValueError) as error:
        raise ReplayError(f"Result #{number} has a damaged run ({clean(error)}), so it cannot be replayed.") from None
    scenario = next((s for s in scenarios if s.id == run.scenario_id), None)
    if scenario is None:
        raise ReplayError(
            f"Result #{number} was played on scenario '{clean(run.scenario_id)}', which is not in the scenario folder. "
            "Point --scenarios at a folder that has it."
        )
    warnings = []
    if scenario.version != run.scenario_version:
        warnings.append(
            f"Played on version {clean(run.scenario_version)} of the scenario; this is version {clean(scenario.version)}, "
            "so the replay may differ."
        )
    try:
        session = replay(scenario, run, rules)
    except ValueError as error:
        raise ReplayError(f"Result #{number} no longer replays on this scenario: {clean(error)}") from None
    scorecard = score_session(session)
    if scorecard.overall != saved["overall"]:
        warnings.append(
            f"The replay scores {scorecard.overall} overall where the saved result has {saved['overall']}: "
            "the scenario or the scoring rules changed since it was played."
        )
    return Replay(saved, session, scorecard, build_steps(session, scorecard), tuple(warnings))
