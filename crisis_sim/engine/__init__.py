"""The UI-free game engine: scenarios, the spreading feed, responses and scoring."""

from .actions import ACTIONS, CATEGORIES, Action, ActionSpec, Category, Channel, Choice, Command, Role, Target, TextUse
from .datafile import DataFileError
from .reading import Reading, ReplyContext, ReplyMemory, read_reply
from .rules import Rules, load_rules
from .scenario import Scenario, Sentiment, TextSignal, load_scenario, load_scenarios
from .scoring import Moment, Scorecard, score_session
from .session import DecisionMade, FacilitatorNote, GameClock, ModelReply, OpenDecision, Response, ResponseError, Run, Session, replay
from .spread import Post, PostStatus

__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "Action",
    "ActionSpec",
    "Category",
    "Channel",
    "Choice",
    "Command",
    "DataFileError",
    "DecisionMade",
    "FacilitatorNote",
    "GameClock",
    "ModelReply",
    "Moment",
    "OpenDecision",
    "Post",
    "PostStatus",
    "Reading",
    "ReplyContext",
    "ReplyMemory",
    "Response",
    "ResponseError",
    "Role",
    "Rules",
    "Run",
    "Scenario",
    "Scorecard",
    "Sentiment",
    "Session",
    "Target",
    "TextSignal",
    "TextUse",
    "load_rules",
    "load_scenario",
    "load_scenarios",
    "read_reply",
    "replay",
    "score_session",
]
