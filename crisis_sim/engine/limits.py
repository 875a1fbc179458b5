"""Bounds on numbers from data files and the command line; import-light so the command line can use them at start."""

MAX_MINUTES = 24 * 60
"""The longest scenario, and the latest minute anything can name."""
MAX_FOLLOWERS = 10**10
MAX_HEAT = 100.0
MAX_POINTS = 1000
