"""The UI-free game engine: scenarios, the spreading feed, responses and scoring.

Names are imported on first use (module ``__getattr__``), so a command that
only lists scenarios does not pay for Faker or the session engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .actions import ACTIONS, CATEGORIES, Action, ActionSpec, Category, Channel, Choice, Command, Role, Target, TextUse
    from .datafile import DataFileError
    from .reading import Reading, ReplyContext, ReplyMemory, read_reply
    from .rules import Rules, load_rules
    from .scenario import Scenario, Sentiment, TextSignal, load_scenario, load_scenarios
    from .scoring import Moment, Scorecard, score_session
    from .session import (
        DecisionMade,
        FacilitatorNote,
        GameClock,
        ModelReply,
        OpenDecision,
        Response,
        ResponseError,
        Run,
        Session,
        replay,
    )  # fmt: skip
    from .spread import Post, PostStatus

_NAMES_BY_MODULE = {
    "actions": ("ACTIONS", "CATEGORIES", "Action", "ActionSpec", "Category", "Channel", "Choice", "Command", "Role", "Target", "TextUse"),
    "datafile": ("DataFileError",),
    "reading": ("Reading", "ReplyContext", "ReplyMemory", "read_reply"),
    "rules": ("Rules", "load_rules"),
    "scenario": ("Scenario", "Sentiment", "TextSignal", "load_scenario", "load_scenarios"),
    "scoring": ("Moment", "Scorecard", "score_session"),
    "session": (
        "DecisionMade", "FacilitatorNote", "GameClock", "ModelReply", "OpenDecision", "Response", "ResponseError", "Run",
        "Session", "replay",
    ),
    "spread": ("Post", "PostStatus"),
}  # fmt: skip
_HOMES = {name: module for module, names in _NAMES_BY_MODULE.items() for name in names}
"""The module each public name lives in."""

__all__ = [
    "ACTIONS", "CATEGORIES", "Action", "ActionSpec", "Category", "Channel", "Choice", "Command", "DataFileError",
    "DecisionMade", "FacilitatorNote", "GameClock", "ModelReply", "Moment", "OpenDecision", "Post", "PostStatus",
    "Reading", "ReplyContext", "ReplyMemory", "Response", "ResponseError", "Role", "Rules", "Run", "Scenario",
    "Scorecard", "Sentiment", "Session", "Target", "TextSignal", "TextUse", "load_rules", "load_scenario",
    "load_scenarios", "read_reply", "replay", "score_session",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
