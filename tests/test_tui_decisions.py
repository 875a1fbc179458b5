"""Decisions, hints and the trainer's debrief block in the Textual front end, driven by the pilot.

The clock is stopped (``minutes_per_second=0``) so tests move time with ``GameScreen.advance``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, RichLog, Static

from crisis_sim.config import GameConfig
from crisis_sim.engine import Action, Command, load_scenario
from crisis_sim.tui.app import CrisisSimApp
from crisis_sim.tui.screens import DebriefScreen, GameScreen
from crisis_sim.tui.screens.decision import DecisionDialog
from crisis_sim.tui.screens.dialogs import WriteDialog

from .test_language import LANGUAGE
from .test_tui import SIZE, record_notifications, shown, start_game


@pytest.fixture
def config(tmp_path: Path) -> GameConfig:
    return GameConfig(
        scenarios=[load_scenario(LANGUAGE)], db_path=tmp_path / "scores.db", player="Ann", team="Red", seed=3,
        minutes_per_second=0, start_scenario="language",
    )  # fmt: skip


def log_text(game: GameScreen) -> str:
    return "\n".join(line.text for line in game.query_one(RichLog).lines)


def rendered(widget: Static) -> str:
    """The plain text of what a Static shows, tables included."""
    console = Console(file=io.StringIO(), width=150)
    console.print(widget.content)
    return console.file.getvalue()


async def test_a_decision_opens_over_the_feed_and_the_player_chooses(config: GameConfig) -> None:
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.advance(5)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog)
        assert "5 game minutes left" in shown(dialog.query_one("#deadline", Static))
        assert "Say nothing for now" in shown(dialog.query_one("#deadline", Static))
        game.advance(2)  # the clock keeps running behind the dialog
        await pilot.pause()
        assert app.screen is dialog and "3 game minutes left" in shown(dialog.query_one("#deadline", Static))
        await pilot.press("enter")  # opened by itself, nothing is highlighted: Enter alone chooses nothing
        await pilot.pause()
        assert app.screen is dialog and game.session.commands == []
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is game
        assert game.session.commands == [(7, Command(Action.DECIDE, decision="blame-barista", choice="own-it"))]
        assert "You decided: Say the café got it wrong." in log_text(game)
        assert "The café owns it." in log_text(game)


async def test_esc_puts_a_decision_aside_and_c_reopens_it(config: GameConfig) -> None:
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        seen = record_notifications(app)
        game = await start_game(pilot)
        game.advance(5)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is game, "Esc does not leave the game: it puts the decision aside"
        assert ("The decision is still open until minute 10: press c to answer it.", "information") in seen
        game.advance(1)
        await pilot.pause()
        assert app.screen is game, "a decision put aside does not pop up again by itself"
        await pilot.press("c")
        assert isinstance(app.screen, DecisionDialog)
        assert app.screen.query_one(OptionList).option_count == 3
        await pilot.press("1")
        await pilot.pause()
        assert game.session.decisions_made[0].option.id == "blame"
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is game
        assert ("No decision is waiting for you.", "error") in seen


async def test_when_the_deadline_passes_the_dialog_closes_and_the_debrief_says_so(config: GameConfig) -> None:
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        seen = record_notifications(app)
        game = await start_game(pilot)
        game.advance(5)
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        game.advance(5)
        await pilot.pause()
        assert app.screen is game
        assert game.session.decisions_made[0].by_default
        assert 'Time ran out on "The owner wants' in log_text(game)
        assert ("Hint: The owner is waiting for your answer; press c to decide.", "information") in seen
        game.advance(60)
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        block = debrief.query_one("#trainer-notes", Static)
        assert block.border_title == "For the trainer"
        text = rendered(block)
        for expected in (
            "Decisions", "Say nothing for now", "decided by default: time ran out",
            "Facilitator notes", "The default is silence; ask the team who should have decided.",
            "Hints the player was given", "Maya is still waiting",
            "Model replies", "@mayalopez", "no response", "Can I call you?",
        ):  # fmt: skip
            assert expected in text


async def test_a_decision_waits_while_the_player_is_writing(config: GameConfig) -> None:
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, WriteDialog)
        game.advance(5)
        await pilot.pause()
        assert isinstance(app.screen, WriteDialog), "the reply being typed is not interrupted"
        await pilot.press(*"Maya, I'm so sorry.", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)


async def test_a_second_decision_opens_even_while_the_first_is_put_aside(config: GameConfig, tmp_path: Path) -> None:
    second = """  - id: barista-asks
    when: {after: 6}
    then:
      decide:
        id: barista-shift
        prompt: The barista asks whether she should work today.
        default: stay-home
        options: [{id: work, label: Work the shift}, {id: stay-home, label: Take the day off}]
  - id: owned
"""
    path = tmp_path / "two-decisions.yaml"
    path.write_text(LANGUAGE.read_text(encoding="utf-8").replace("  - id: owned\n", second, 1), encoding="utf-8")
    config.scenarios = [load_scenario(path)]
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.advance(5)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        game.advance(1)
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog) and app.screen.waiting.decision.id == "barista-shift"
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, DecisionDialog) and app.screen.waiting.decision.id == "blame-barista"
