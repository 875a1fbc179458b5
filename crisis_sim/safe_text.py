"""Make text from players, scenario files and paths safe to show on a terminal.

Pure and Rich-free so the CLI and the TUI can both use it: anything shown
passes through :func:`clean`, then goes to Rich as ``Text`` (never as markup).
"""

from __future__ import annotations

import re

ESCAPE_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                          # CSI: colours, cursor moves, mouse modes
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|\Z)  # OSC, DCS, SOS, PM, APC strings: titles, links
    | \x1b [ -/]* [0-~]?                                           # any other escape sequence, or a lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 controls and DEL; tab and newline are kept."""


def clean(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (newline and tab are kept)."""
    return CONTROL_CHARACTER.sub("", ESCAPE_SEQUENCE.sub("", text))
