"""The strip of gauges above the feed: clock, public mood, negative reach, waiting posts, speed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from ...engine import GameClock, Session
from ..display import compact, is_waiting, mood_bar, mood_word, plural


class Gauge(Static):
    """One bordered box of the dashboard."""

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, classes="gauge")
        self.border_title = title


class Dashboard(Horizontal):
    """Everything the player has to keep an eye on, updated every tick."""

    def compose(self) -> ComposeResult:
        yield Gauge("Clock", id="clock")
        yield Gauge("Public mood", id="mood")
        yield Gauge("Negative reach", id="reach")
        yield Gauge("Unanswered", id="waiting")
        yield Gauge("Speed", id="speed")

    def show(self, session: Session, clock: GameClock) -> None:
        """Update every gauge from the session and the clock."""
        minute = Text.assemble((f"minute {session.minute}", "bold"), f" / {session.scenario.duration_minutes}")
        self._show("clock", minute, f"{session.minutes_left} min left")
        word, style = mood_word(session.mood)
        self._show("mood", mood_bar(session.mood), Text.assemble((word, style), (f"  {session.mood:+.2f}", "grey62")))
        negative = [p for p in session.posts if p.sentiment.is_negative and not p.hidden]
        reach = Text.assemble((compact(sum(p.reach for p in negative)), "bold red"), " people")
        self._show("reach", reach, plural(len(negative), "negative post"))
        waiting = [p for p in session.posts if is_waiting(p)]
        oldest = f"oldest: {session.minute - min(p.minute for p in waiting)} min" if waiting else "inbox clear"
        self._show("waiting", Text(plural(len(waiting), "post"), style="bold yellow" if waiting else "green"), oldest)
        state = Text("⏸ PAUSED", style="bold reverse yellow") if clock.paused else Text("▶ running", style="bold green")
        self._show("speed", state, f"{clock.minutes_per_second:g} game min/s")

    def _show(self, gauge: str, value: Text, note: Text | str) -> None:
        """Two lines: the value, then a note (dim unless styled)."""
        detail = Text(note, style="grey62") if isinstance(note, str) else note
        self.query_one(f"#{gauge}", Gauge).update(Text.assemble(value, "\n", detail))
