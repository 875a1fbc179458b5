"""The UI-free game engine: scenarios, the spreading feed, responses and scoring.

Names are imported on first use (module ``__getattr__``), so a command that
only lists scenarios does not pay for Faker or the session engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .datafile import DataFileError
    from .rules import Rules, load_rules
    from .scenario import Action, Channel, Role, Scenario, Sentiment, load_scenario, load_scenarios
    from .scoring import Moment, Scorecard, score_session
    from .session import GameClock, Response, ResponseError, Session
    from .spread import Post

_HOMES = {
    "DataFileError": "datafile",
    "Rules": "rules", "load_rules": "rules",
    "Action": "scenario", "Channel": "scenario", "Role": "scenario", "Scenario": "scenario",
    "Sentiment": "scenario", "load_scenario": "scenario", "load_scenarios": "scenario",
    "Moment": "scoring", "Scorecard": "scoring", "score_session": "scoring",
    "GameClock": "session", "Response": "session", "ResponseError": "session", "Session": "session",
    "Post": "spread",
}  # fmt: skip
"""The module each public name lives in."""

__all__ = [
    "Action", "Channel", "DataFileError", "GameClock", "Moment", "Post", "Response", "ResponseError", "Role", "Rules",
    "Scenario", "Scorecard", "Sentiment", "Session", "load_rules", "load_scenario", "load_scenarios", "score_session",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
