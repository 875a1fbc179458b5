"""The strip of gauges above the feed: clock, public mood, negative reach, waiting posts, speed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ...engine import GameClock, Session
from ..display import compact, mood_bar, mood_word, plural

NARROW_BELOW = 110
"""Dashboard width under which gauges use short titles and words, so nothing is cut off at 80 columns."""
TITLES = {  # gauge: (wide, narrow)
    "clock": ("Clock", "Clock"),
    "mood": ("Public mood", "Mood"),
    "reach": ("Negative reach", "Neg. reach"),
    "waiting": ("Unanswered", "Waiting"),
    "speed": ("Speed", "Speed"),
}


class Gauge(Static):
    """One bordered box of the dashboard."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="gauge")
        self.border_title = title


class Dashboard(Horizontal):
    """Everything the player has to keep an eye on, updated every tick.

    The numbers come from the session's running totals, and a gauge is redrawn only when
    what it shows changed.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: dict[str, tuple[object, ...]] = {}
        self.narrow = False

    def compose(self) -> ComposeResult:
        for gauge, (title, _) in TITLES.items():
            yield Gauge(title, id=gauge)

    def on_resize(self) -> None:
        """Switch between long and short wording when the terminal crosses NARROW_BELOW columns."""
        narrow = self.size.width < NARROW_BELOW
        if narrow != self.narrow:
            self.narrow = narrow
            self.set_class(narrow, "-narrow")
            for gauge, titles in TITLES.items():
                self.query_one(f"#{gauge}", Gauge).border_title = titles[narrow]
            self._shown.clear()  # everything is shown again in the new wording at the next tick

    def show(self, session: Session, clock: GameClock) -> None:
        """Update the gauges whose values changed."""
        narrow = self.narrow
        duration = session.scenario.duration_minutes
        if self._changed("clock", session.minute, duration):
            minute = f"m{session.minute} / {duration}" if narrow else f"minute {session.minute}"
            self._show("clock", Text.assemble((minute, "bold"), "" if narrow else f" / {duration}"), f"{session.minutes_left} min left")
        mood = session.mood
        word, style = mood_word(mood)
        bar_width = 11 if narrow else 21
        if self._changed("mood", f"{mood:+.2f}", round((mood + 1) / 2 * (bar_width - 1)), word):
            gap = " " if narrow else "  "
            self._show("mood", mood_bar(mood, bar_width), Text.assemble((word, style), (f"{gap}{mood:+.2f}", "grey62")))
        reach, negative = compact(session.negative_reach), session.negative_posts
        if self._changed("reach", reach, negative):
            posts = f"{negative} negative" if narrow else plural(negative, "negative post")
            self._show("reach", Text.assemble((reach, "bold red"), " people"), posts)
        waiting, oldest = session.waiting_posts, session.oldest_waiting_minute
        age = session.minute - oldest if oldest is not None else None
        if self._changed("waiting", waiting, age):
            note = ("inbox clear" if age is None else f"oldest {age}m") if narrow else ("inbox clear" if age is None else f"oldest: {age} min")
            self._show("waiting", Text(plural(waiting, "post"), style="bold yellow" if waiting else "green"), note)
        if self._changed("speed", clock.paused, clock.minutes_per_second):
            state = Text("⏸ PAUSED", style="bold reverse yellow") if clock.paused else Text("▶ running", style="bold green")
            self._show("speed", state, f"{clock.minutes_per_second:g} {'min/s' if narrow else 'game min/s'}")

    def _changed(self, gauge: str, *values: object) -> bool:
        """Whether ``gauge`` would show something new; remembers ``values`` as shown."""
        if self._shown.get(gauge) == values:
            return False
        self._shown[gauge] = values
        return True

    def _show(self, gauge: str, value: Text, note: Text | str) -> None:
        """Two lines: the value, then a note (dim unless styled). Gauges have a fixed size: no new layout."""
        detail = Text(note, style="grey62") if isinstance(note, str) else note
        self.query_one(f"#{gauge}", Gauge).update(Text.assemble(value, "\n", detail), layout=False)
