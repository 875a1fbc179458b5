"""'Did you mean' hints for names a trainer mistyped."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known name (or the one it starts), or nothing when none is close."""
    candidates = sorted(set(known))
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    started = [candidate for candidate in candidates if candidate.startswith(name)]
    guess = close[0] if close else started[0] if len(started) == 1 and name else None
    return f" (did you mean '{guess}'?)" if guess else ""


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """``no post with id 'x' (did you mean 'y'?)``: the message for a reference to nothing."""
    return f"no {kind} with id '{name}'{did_you_mean(name, known)}"
