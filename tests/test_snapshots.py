"""Screen snapshots: layout regressions that pilot tests miss (``pytest --snapshot-update`` after a deliberate change)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_sim.config import GameConfig
from crisis_sim.engine import Scenario
from crisis_sim.tui.app import CrisisSimApp
from crisis_sim.tui.screens import GameScreen

SIZES = [(120, 36), (80, 24)]


@pytest.fixture
def app(mini: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CrisisSimApp:
    monkeypatch.chdir(tmp_path)  # the scoreboard path shown on screen is the same on every machine
    config = GameConfig(
        scenarios=[mini], scenario_dir=Path("scenarios"), db_path=Path("scores.db"), journal_dir=Path("journal"),
        player="Ann", team="Red", seed=3, minutes_per_second=0,
    )  # fmt: skip
    return CrisisSimApp(config)


async def into_the_game(pilot, minutes: int = 12) -> GameScreen:
    """Start the scenario from the menu and let ``minutes`` pass with the clock stopped."""
    await pilot.press("enter")  # the scenario list has focus: start it
    await pilot.press("enter")  # leave the briefing
    await pilot.pause()
    game = pilot.app.screen
    game.advance(minutes)
    await pilot.pause()
    return game


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_screen(snap_compare, app: CrisisSimApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_game_screen(snap_compare, app: CrisisSimApp, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=into_the_game)


def test_reply_dialog(snap_compare, app: CrisisSimApp) -> None:
    async def write_a_reply(pilot) -> None:
        await into_the_game(pilot)
        await pilot.press("r", *"Maya, that's on us [sic].")

    assert snap_compare(app, terminal_size=(120, 36), run_before=write_a_reply)


def test_debrief(snap_compare, app: CrisisSimApp) -> None:
    async def finish(pilot) -> None:
        await into_the_game(pilot)
        await pilot.press("r", *"Maya, we're so sorry, that's on us. Can we DM you?", "enter")
        await pilot.pause()
        await pilot.press("f", "y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=finish)
