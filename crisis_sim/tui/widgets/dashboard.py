"""The strip of gauges above the feed: clock, public mood, negative reach, waiting posts, speed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ...engine import GameClock, Session
from ..display import compact, mood_bar, mood_word, plural


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

    def compose(self) -> ComposeResult:
        yield Gauge("Clock", id="clock")
        yield Gauge("Public mood", id="mood")
        yield Gauge("Negative reach", id="reach")
        yield Gauge("Unanswered", id="waiting")
        yield Gauge("Speed", id="speed")

    def show(self, session: Session, clock: GameClock) -> None:
        """Update the gauges whose values changed."""
        duration = session.scenario.duration_minutes
        if self._changed("clock", session.minute, duration):
            minute = Text.assemble((f"minute {session.minute}", "bold"), f" / {duration}")
            self._show("clock", minute, f"{session.minutes_left} min left")
        mood = session.mood
        word, style = mood_word(mood)
        if self._changed("mood", f"{mood:+.2f}", round((mood + 1) / 2 * 20), word):
            self._show("mood", mood_bar(mood), Text.assemble((word, style), (f"  {mood:+.2f}", "grey62")))
        reach, negative = compact(session.negative_reach), session.negative_posts
        if self._changed("reach", reach, negative):
            self._show("reach", Text.assemble((reach, "bold red"), " people"), plural(negative, "negative post"))
        waiting, oldest = session.waiting_posts, session.oldest_waiting_minute
        age = session.minute - oldest if oldest is not None else None
        if self._changed("waiting", waiting, age):
            note = f"oldest: {age} min" if age is not None else "inbox clear"
            self._show("waiting", Text(plural(waiting, "post"), style="bold yellow" if waiting else "green"), note)
        if self._changed("speed", clock.paused, clock.minutes_per_second):
            state = Text("⏸ PAUSED", style="bold reverse yellow") if clock.paused else Text("▶ running", style="bold green")
            self._show("speed", state, f"{clock.minutes_per_second:g} game min/s")

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
