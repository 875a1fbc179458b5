"""The UI-free game engine: scenarios, the spreading feed, responses and scoring."""

from .datafile import DataFileError
from .rules import Rules, load_rules
from .scenario import Action, Channel, Role, Scenario, Sentiment, load_scenario, load_scenarios
from .scoring import Moment, Scorecard, score_session
from .session import GameClock, Response, ResponseError, Session
from .spread import Post

__all__ = [
    "Action",
    "Channel",
    "DataFileError",
    "GameClock",
    "Moment",
    "Post",
    "Response",
    "ResponseError",
    "Role",
    "Rules",
    "Scenario",
    "Scorecard",
    "Sentiment",
    "Session",
    "load_rules",
    "load_scenario",
    "load_scenarios",
    "score_session",
]
