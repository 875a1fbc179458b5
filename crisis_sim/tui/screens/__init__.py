"""The app's screens, in the order a player meets them."""

from .briefing import BriefingScreen
from .debrief import DebriefScreen
from .game import GameScreen
from .graph import GraphScreen
from .scoreboard import ScoreboardScreen
from .start import StartScreen

__all__ = ["BriefingScreen", "DebriefScreen", "GameScreen", "GraphScreen", "ScoreboardScreen", "StartScreen"]
