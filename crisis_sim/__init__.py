"""crisis-sim: a terminal game that trains people to handle a social-media crisis."""

__version__ = "0.1.0"
