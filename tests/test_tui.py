"""The Textual front end, driven through Textual's pilot with real key presses.

The clock is stopped (``minutes_per_second=0``) so tests move time explicitly
with ``GameScreen.advance``; everything else goes through the keyboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, RichLog, Static

from crisis_sim.config import GameConfig
from crisis_sim.engine import Action, Command, Role, Scenario, Session, load_scenarios
from crisis_sim.scoreboard import Result, Scoreboard
from crisis_sim.tui.app import CrisisSimApp
from crisis_sim.tui.screens import BriefingScreen, DebriefScreen, GameScreen, ScoreboardScreen, StartScreen
from crisis_sim.tui.screens.dialogs import ConfirmDialog, EscalateDialog, OfflineDialog, WriteDialog
from crisis_sim.tui.widgets import FeedTable

FIXTURES = Path(__file__).parent / "fixtures"
SIZE = (160, 45)


@pytest.fixture
def config(mini: Scenario, tmp_path: Path) -> GameConfig:
    return GameConfig(
        scenarios=[mini], db_path=tmp_path / "scores.db", player="Ann", team="Red", seed=3, minutes_per_second=0
    )


def shown(widget: Static) -> str:
    """The plain text a Static shows."""
    return str(widget.content)


def record_notifications(app: CrisisSimApp) -> list[tuple[str, str]]:
    """Capture (message, severity) of every notification the app shows."""
    seen: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message: str, **options: object) -> None:
        seen.append((message, str(options.get("severity", "information"))))
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return seen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def start_game(pilot) -> GameScreen:
    """From the briefing of ``config.start_scenario``, start the clock."""
    assert isinstance(pilot.app.screen, BriefingScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, GameScreen)
    return pilot.app.screen


async def select_post(pilot, game: GameScreen, post_id: str) -> None:
    """Move the feed's cursor to ``post_id`` with the arrow keys."""
    feed = game.query_one(FeedTable)
    steps = feed.get_row_index(post_id) - feed.cursor_row
    await pilot.press(*["down" if steps > 0 else "up"] * abs(steps))
    assert feed.selected_post_id == post_id


def status_of(game: GameScreen, post_id: str) -> str:
    return game.query_one(FeedTable).get_cell(post_id, "status").plain


async def test_start_screen_to_briefing_to_game(config: GameConfig) -> None:
    config.player = ""
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        start = app.screen
        assert isinstance(start, StartScreen)
        assert "Cold Coffee" in str(start.query_one("#scenarios").get_option_at_index(0).prompt)
        await type_text(pilot, "Bo")  # the empty name field has focus
        await pilot.press("enter")  # on to the team field, prefilled with "Red"
        await pilot.press("backspace", "backspace", "backspace", "B", "l", "u", "e")
        await pilot.press("enter", "enter")  # on to the scenario list, then start
        assert isinstance(app.screen, BriefingScreen)
        assert "barista laughed at her" in shown(app.screen.query_one("#briefing-text", Static))
        game = await start_game(pilot)
        assert game.session.scenario.id == "mini"
        assert game.session.seed == 3
        assert (game.player, game.team) == ("Bo", "Blue")
        assert game.query_one(FeedTable).row_count == 1
        assert game.query_one(FeedTable).selected_post_id == "complaint"


async def test_start_scenario_goes_straight_to_the_briefing(config: GameConfig, mini: Scenario) -> None:
    config.scenarios = [mini.model_copy(update={"id": "other", "title": "Other"}), mini]
    config.start_scenario = "mini"
    async with CrisisSimApp(config).run_test(size=SIZE) as pilot:
        assert isinstance(pilot.app.screen, BriefingScreen)
        await pilot.press("escape")
        start = pilot.app.screen
        assert isinstance(start, StartScreen)
        assert start.query_one("#scenarios").highlighted == 1  # the same scenario is ready to play again


async def test_broken_scenario_files_are_listed_on_the_start_screen(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "mini.yaml").write_text((FIXTURES / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    broken = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: broken")
    broken = broken.replace("at_fault: true", "at_fault: maybe")
    (folder / "broken.yaml").write_text(broken, encoding="utf-8")
    scenarios, errors = load_scenarios(folder)
    config = GameConfig(scenarios=scenarios, scenario_errors=errors, db_path=tmp_path / "scores.db", seed=1)
    async with CrisisSimApp(config).run_test(size=SIZE) as pilot:
        text = shown(pilot.app.screen.query_one("#scenario-errors", Static))
        assert f"Skipped broken scenario file: {folder / 'broken.yaml'}" in text
        assert "broken.yaml, line 8, field 'brand.at_fault': Input should be a valid boolean" in text
        assert pilot.app.screen.query_one("#scenarios").option_count == 1


async def test_no_scenarios_says_how_to_fix_it(tmp_path: Path) -> None:
    config = GameConfig(scenarios=[], db_path=tmp_path / "scores.db")
    async with CrisisSimApp(config).run_test(size=SIZE) as pilot:
        text = shown(pilot.app.screen.query_one("#no-scenarios", Static))
        assert "No scenarios to play" in text
        assert "crisis-sim play path/to/scenario.yaml" in text
        await pilot.press("enter", "tab", "enter", "x")
        assert isinstance(pilot.app.screen, StartScreen)


async def test_reply_through_the_dialog(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.advance(3)
        await pilot.press("r")
        assert isinstance(app.screen, WriteDialog)
        await type_text(pilot, "Sorry Maya, our fault.")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is game
        [response] = game.session.responses
        assert (response.action, response.post_id, response.minute) == (Action.REPLY, "complaint", 3)
        assert response.text == "Sorry Maya, our fault."
        assert status_of(game, "complaint") == "answered 3"
        assert "reply" in game.query_one("#detail", Static).content.plain
        log = "\n".join(line.text for line in game.query_one(RichLog).lines)
        assert "You posted a reply to @mayalopez." in log
        assert "Maya thanks the café for the apology." in log  # the branch message


async def test_selection_stays_on_the_same_post_as_the_feed_grows(config: GameConfig) -> None:
    config.start_scenario = "mini"
    async with CrisisSimApp(config).run_test(size=(120, 30)) as pilot:
        game = await start_game(pilot)
        feed = game.query_one(FeedTable)
        game.advance(25)
        await pilot.pause()
        assert feed.row_count > 3
        assert feed.get_row_at(0)[1].order == feed.row_count  # newest first
        assert feed.selected_post_id == "complaint"
        assert feed.scroll_y == 0  # the feed did not scroll away from the new posts
        await pilot.press("up")
        chosen = feed.selected_post_id
        game.advance(10)
        await pilot.pause()
        assert feed.selected_post_id == chosen
        assert "waiting" in status_of(game, "complaint")


async def test_offline_escalate_hold_ignore_and_hide_by_keys(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        game = await start_game(pilot)
        game.advance(12)  # the friend's post (minute 10) is now in the feed
        await pilot.pause()
        await select_post(pilot, game, "friend")
        await pilot.press("o")
        assert isinstance(app.screen, OfflineDialog)
        await pilot.press("down", "tab")  # email, then the public note
        await type_text(pilot, "Emailed you")
        await pilot.press("enter")
        await pilot.press("h")
        assert app.screen.query_one("#message").text == config.scenarios[0].hold_statement
        await pilot.press("enter")
        await pilot.press("i")
        await pilot.press("e")
        assert isinstance(app.screen, EscalateDialog)
        await pilot.press("down", "enter")
        await pilot.press("d")
        await pilot.pause()
        session = game.session
        actions = [(r.action, r.post_id, r.channel, r.role, r.text) for r in session.responses]
        assert actions == [
            (Action.OFFLINE, "friend", "email", None, "Emailed you"),
            (Action.HOLD_STATEMENT, None, None, None, config.scenarios[0].hold_statement),
            (Action.IGNORE, "friend", None, None, ""),
            (Action.ESCALATE, "friend", None, Role.PR_LEAD, ""),
            (Action.HIDE, "friend", None, None, ""),
        ]
        assert status_of(game, "friend") == "hidden"
        await pilot.press("r")  # a hidden post cannot be answered
        assert app.screen is game
        assert (f"{session.post('friend').handle}'s post is hidden.", "error") in notices


async def test_the_clock_runs_pauses_and_changes_speed(config: GameConfig) -> None:
    config.start_scenario = "mini"
    config.minutes_per_second = 2
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        game = await start_game(pilot)
        await pilot.pause(0.6)
        assert game.session.minute >= 1  # real seconds became game minutes
        await pilot.press("space")
        assert game.clock.paused
        paused_at = game.session.minute
        await pilot.pause(0.6)
        assert game.session.minute == paused_at
        await pilot.press("r", "i", "u", "a")
        assert app.screen is game  # no dialog opened
        assert game.session.responses == []
        assert notices.count(("Resume to act (space).", "warning")) == 4
        await pilot.press("space", "i")
        assert not game.clock.paused
        assert [r.action for r in game.session.responses] == [Action.IGNORE]
        await pilot.press("space")
        await pilot.press("plus")
        assert game.clock.minutes_per_second == 4
        await pilot.press("minus", "minus", "minus")
        assert game.clock.minutes_per_second == 0.5


async def test_weird_keys_and_refused_responses_do_not_crash(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        game = await start_game(pilot)
        await pilot.press("z", "f12", "ctrl+x", "tab", "end", "left", "shift+tab", "?")
        await pilot.press("r", "escape", "f", "n", "escape", "n")
        assert app.screen is game
        await pilot.press("u", "enter")  # an empty status update: the engine refuses it
        await pilot.pause()
        assert ("Write something first.", "error") in notices
        assert game.session.responses == []
        assert app.screen is game
        assert app.is_running


async def test_finish_shows_the_debrief_and_saves_the_result(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        card = debrief.result.scorecard
        titles = [box.border_title for box in debrief.query(".category")]
        assert titles == [f"{name.capitalize()} {card[name]}/100" for name in ("speed", "empathy", "honesty")]
        summary = shown(debrief.query_one("#summary", Static))
        assert f"Overall {card.overall}/100" in summary
        assert "seed 3" in summary
        assert shown(debrief.query_one("#ending-title", Static)) == "A bitter aftertaste"
        assert game.session.minute == 60
        [row] = Scoreboard(config.db_path).history()
        saved = (row["player"], row["team"], row["scenario_id"], row["overall"], row["seed"])
        assert saved == ("Ann", "Red", "mini", card.overall, 3)
        assert f"result #{row['id']}" in shown(debrief.query_one("#saved", Static))
        assert [shown(box) for box in debrief.query(".reply-review")] == ["You did not write any public replies."]

        await pilot.press("s")
        assert isinstance(app.screen, ScoreboardScreen)
        await pilot.pause()
        players = app.screen.query(DataTable).first()
        assert [cell.plain for cell in players.get_row_at(0)][:4] == ["1", "Ann", "Red", str(card.overall)]
        await pilot.press("escape", "n")
        assert isinstance(app.screen, StartScreen)


async def test_time_out_and_branch_endings_reach_the_debrief_even_from_a_dialog(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, WriteDialog)
        game.advance(60)
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("n")
        await pilot.press("enter")
        game = await start_game(pilot)
        await pilot.press("e", "enter")  # escalate to Legal: the scenario ends in a meltdown
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert shown(app.screen.query_one("#ending-title", Static)) == "Lawyered up"
        assert len(Scoreboard(config.db_path).history()) == 2


async def test_corrupt_scoreboard_is_reported_and_left_untouched(config: GameConfig) -> None:
    garbage = b"this is not a database \x00\xff" * 50
    config.db_path.write_bytes(garbage)
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await start_game(pilot)
        await pilot.press("f", "y")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        saved = app.screen.query_one("#saved", Static)
        assert saved.has_class("error")
        assert "Not saved to the scoreboard" in shown(saved)
        assert "left untouched" in shown(saved)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScoreboardScreen)
        assert "Cannot use scoreboard" in shown(app.screen.query_one(".error", Static))
    assert config.db_path.read_bytes() == garbage


async def test_scoreboard_screen_lists_saved_results(config: GameConfig, mini: Scenario) -> None:
    session = Session(mini, seed=5)
    session.respond(Command(Action.APOLOGY, "complaint", "We are so sorry, Maya."))
    session.finish()
    Scoreboard(config.db_path).record(Result.of(session, "Cy", "Green"))
    config.player = ""  # the name field has focus, as on a first start
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScoreboardScreen)
        players, teams = app.screen.query(DataTable)
        assert [cell.plain for cell in players.get_row_at(0)][:3] == ["1", "Cy", "Green"]
        assert [cell.plain for cell in teams.get_row_at(0)][:2] == ["1", "Green"]
        titles = [shown(title) for title in app.screen.query(".board-title")]
        assert titles == ["Cold Coffee — players (best score)", "Cold Coffee — teams (average)"]


async def test_the_debrief_reviews_each_reply_without_reading_markup(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.session.respond(Command(Action.REPLY, "complaint", "[bold]Mistakes were made[/] [link=x]here[/link]."))
        game.session.respond(Command(Action.APOLOGY, "complaint", "Maya, that's on us: the coffee was cold and we laughed. We're sorry."))
        await pilot.press("f")
        await pilot.press("y")
        await pilot.pause()
        reviews = [shown(box) for box in app.screen.query(".reply-review")]
        assert len(reviews) == 2
        assert "[bold]Mistakes were made[/] [link=x]here[/link]." in reviews[0]
        assert "passive voice hides who did it" in reviews[0] and "Stronger:" in reviews[0]
        assert "apology" in reviews[1] and "owned it in plain words: \u201cthat's on us\u201d" in reviews[1]
