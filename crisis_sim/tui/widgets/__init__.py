"""Widgets for the game screen."""

from .dashboard import Dashboard
from .feed import FeedTable
from .footer import SteadyFooter
from .post_detail import PostDetail

__all__ = ["Dashboard", "FeedTable", "PostDetail", "SteadyFooter"]
