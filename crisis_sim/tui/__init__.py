"""The Textual front end: a thin layer that shows the engine and sends it the player's actions."""
