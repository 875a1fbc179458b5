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
from crisis_sim.tui.screens import debrief as debrief_module
from crisis_sim.tui.screens import dialogs as dialogs_module
from crisis_sim.tui.screens import game as game_module
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


async def settle(pilot) -> None:
    """Let workers (scoring and saving the debrief) finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


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
        assert (game.play.player, game.play.team) == ("Bo", "Blue")
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
        assert feed.post_at(0) is game.session.posts[-1]  # newest first
        assert feed.post_at(feed.row_count - 1) is game.session.posts[0]
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
        await settle(pilot)
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
        players = app.screen.query_one(".players", DataTable)
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
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("n")
        await pilot.press("enter")
        game = await start_game(pilot)
        await pilot.press("e", "enter")  # escalate to Legal: the scenario ends in a meltdown
        await settle(pilot)
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
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        saved = app.screen.query_one("#saved", Static)
        assert saved.has_class("error")
        assert "Not saved to the scoreboard" in shown(saved)
        assert "left untouched" in shown(saved)
        [kept] = config.db_path.parent.glob("*.unsaved-*.json")
        assert f"Your result is safe in {kept}" in shown(saved)
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
        players, teams = app.screen.query_one(".players", DataTable), app.screen.query_one(".teams", DataTable)
        assert [cell.plain for cell in players.get_row_at(0)][:3] == ["1", "Cy", "Green"]
        assert [cell.plain for cell in teams.get_row_at(0)][:2] == ["1", "Green"]
        titles = [shown(title) for title in app.screen.query(".board-title")]
        assert titles[:2] == ["Recent results — Enter replays one", "Cold Coffee · version 1 · any speed — players (best score)"]
        assert titles[2].startswith("Cold Coffee · version 1 · any speed — teams (average)")


async def test_a_draft_being_written_when_time_runs_out_is_kept_in_the_debrief(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        await pilot.press("r")
        await type_text(pilot, "Maya, we are so sorry")
        game.advance(60)
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        [unsent] = app.screen.query(".unsent")
        assert shown(unsent) == "Maya, we are so sorry"
        assert "Reply to @mayalopez" in unsent.border_title


async def test_keys_typed_as_the_run_ends_do_not_drive_the_debrief(config: GameConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(debrief_module, "KEY_GUARD_SECONDS", 30.0)
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.advance(60)
        await settle(pilot)
        await pilot.press("q", "s", "n")  # still typing as the debrief appears
        assert isinstance(app.screen, DebriefScreen)
        assert app.is_running


async def test_a_slow_scoreboard_does_not_freeze_the_debrief(config: GameConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    release = threading.Event()
    record = Scoreboard.record

    def slow_record(self: Scoreboard, result: Result) -> int:
        release.wait(5)
        return record(self, result)

    monkeypatch.setattr(Scoreboard, "record", slow_record)
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.advance(60)
        for _ in range(20):  # the scorecard shows while the save is still waiting
            await pilot.pause(0.05)
            if app.screen.query(".category"):
                break
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        assert len(debrief.query(".category")) == 3
        assert shown(debrief.query_one("#saved", Static)) == ""
        release.set()
        await settle(pilot)
        assert "Saved to the scoreboard" in shown(debrief.query_one("#saved", Static))


async def test_keys_typed_across_a_dialog_closing_go_nowhere(config: GameConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(game_module, "TRANSITION_GUARD_SECONDS", 5.0)
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game._keys_from = 0.0  # the game screen has settled
        await pilot.press("r")
        await type_text(pilot, "Maya, that is on us.")
        await pilot.press("enter", "o", "enter", "u")  # typing on as the dialog closes
        await pilot.pause()
        assert app.screen is game
        [response] = game.session.responses
        assert (response.action, response.text) == (Action.REPLY, "Maya, that is on us.")


async def test_abandoning_a_run_needs_a_deliberate_yes(config: GameConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogs_module, "CONFIRM_GUARD_SECONDS", 5.0)
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # a y typed at once is not an answer
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # Enter answers the default, which is No
        await pilot.pause()
        assert app.screen is game and not game.over


@pytest.mark.parametrize("seed", [1, 2])
async def test_mashing_keys_at_speed_never_crashes(config: GameConfig, seed: int) -> None:
    import random

    keys = [*"raouheidf+-sny qb", "enter", "escape", "tab", "up", "down", "home", "end", "backspace", "ctrl+s"]
    rng = random.Random(seed)
    config.start_scenario = "mini"
    config.minutes_per_second = 8
    app = CrisisSimApp(config)
    async with app.run_test(size=(100, 30)) as pilot:
        for count in range(200):
            await pilot.press(rng.choice(keys))
            if count % 25 == 0:
                await pilot.pause(0.05)
            if not app.is_running:
                break
        await settle(pilot)
    assert app.return_code in (None, 0)


async def test_a_terminal_too_small_says_so_and_the_clock_waits(config: GameConfig) -> None:
    from crisis_sim.tui.screens.too_small import TooSmallScreen

    config.start_scenario = "mini"
    config.minutes_per_second = 30
    app = CrisisSimApp(config)
    async with app.run_test(size=(100, 30)) as pilot:
        game = await start_game(pilot)
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "at least 80×24" in shown(app.screen.query_one("#too-small", Static))
        minute = game.session.minute
        await pilot.press("r", "a", "f", "escape")  # nothing underneath may act
        await pilot.pause(0.6)
        assert game.session.minute == minute and game.session.responses == []
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is game


async def test_the_debrief_reviews_each_reply_without_reading_markup(config: GameConfig) -> None:
    config.start_scenario = "mini"
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        game = await start_game(pilot)
        game.session.respond(Command(Action.REPLY, "complaint", "[bold]Mistakes were made[/] [link=x]here[/link]."))
        game.session.respond(Command(Action.APOLOGY, "complaint", "Maya, that's on us: the coffee was cold and we laughed. We're sorry."))
        await pilot.press("f")
        await pilot.press("y")
        await settle(pilot)
        reviews = [shown(box) for box in app.screen.query(".reply-review")]
        assert len(reviews) == 2
        assert "[bold]Mistakes were made[/] [link=x]here[/link]." in reviews[0]
        assert "passive voice hides who did it" in reviews[0] and "Stronger:" in reviews[0]
        assert "apology" in reviews[1] and "owned it in plain words: \u201cthat's on us\u201d" in reviews[1]
