"""At crisis scale: the engine's running totals and active set, and the virtualised feed.

The totals the screens read (negative reach, waiting posts, outrage) are kept up to date as
posts arrive, spread and are dealt with; here they are checked against a plain scan of every
post after each step of a long mixed run.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest

from crisis_sim.config import GameConfig
from crisis_sim.engine import Action, Channel, Command, ResponseError, Role, Scenario, Session, load_scenario
from crisis_sim.engine.spread import COLD
from crisis_sim.tui.app import CrisisSimApp
from crisis_sim.tui.screens.dialogs import OfflineDialog, WriteDialog
from crisis_sim.tui.widgets import FeedTable

from .test_tui import start_game

ROOT = Path(__file__).resolve().parent.parent
AIRLINE = ROOT / "scenarios" / "airline-passenger-removal.yaml"


def scanned(session: Session) -> tuple[int, int, int, int | None, float]:
    """The facts the dashboard shows, by looking at every post."""
    negative = [p for p in session.posts if p.sentiment.is_negative and not p.hidden]
    waiting = [p for p in session.posts if p.needs_answer and not p.ignored]
    outrage = sum(-p.sentiment.weight * p.heat for p in negative)
    oldest = min((p.minute for p in waiting), default=None)
    return sum(p.reach for p in negative), len(negative), len(waiting), oldest, outrage


def kept(session: Session) -> tuple[int, int, int, int | None, float]:
    """The same facts as the engine keeps them."""
    return (
        session.negative_reach,
        session.negative_posts,
        session.waiting_posts,
        session.oldest_waiting_minute,
        session.crowd.outrage(),
    )


def test_running_totals_match_a_scan_of_every_post() -> None:
    scenario = load_scenario(AIRLINE).model_copy(update={"duration_minutes": 300, "crowd_rate": 2.0})
    session = Session(scenario, seed=4)
    picker = random.Random(4)
    commands = [
        lambda p: Command(Action.REPLY, p.id, "Sorry, that's on us. Can we DM you?"),
        lambda p: Command(Action.IGNORE, p.id),
        lambda p: Command(Action.HIDE, p.id),
        lambda p: Command(Action.OFFLINE, p.id, "", channel=Channel.PHONE),
        lambda p: Command(Action.ESCALATE, p.id, role=Role.PR_LEAD),
        lambda p: Command(Action.REPLY, p.id, "Whatever. Not our problem, read the terms."),  # backfires, warms the post
    ]
    went_cold = False
    while not session.finished:
        session.advance(1)
        visible = [p for p in session.posts if not p.hidden]
        if session.minute % 3 == 0 and visible:
            post = picker.choice([visible[0], visible[-1], picker.choice(visible)])
            with contextlib.suppress(ResponseError):
                session.respond(picker.choice(commands)(post))
        went_cold |= any(p.heat < COLD for p in session.posts)
        reach, negative, waiting, oldest, outrage = scanned(session)
        assert kept(session)[:4] == (reach, negative, waiting, oldest)
        assert kept(session)[4] == pytest.approx(outrage, rel=1e-9, abs=1e-9)
    assert went_cold and len(session.posts) > 300


def test_only_posts_that_still_spread_are_stepped() -> None:
    scenario = load_scenario(AIRLINE).model_copy(update={"duration_minutes": 400, "crowd_rate": 2.0})
    session = Session(scenario, seed=2)
    session.advance(300)
    active = session.crowd._active
    assert all(not p.hidden and p.heat >= COLD * 0.95 for p in active)
    assert len(active) < len(session.posts) / 2
    cold = [p for p in session.posts if p not in active]
    before = [(p.shares, p.likes) for p in cold]
    session.advance(5)
    assert [(p.shares, p.likes) for p in cold] == before


@pytest.fixture
def config(mini: Scenario, tmp_path: Path) -> GameConfig:
    busy = mini.model_copy(update={"crowd_rate": 4.0})
    return GameConfig(scenarios=[busy], db_path=tmp_path / "scores.db", seed=3, minutes_per_second=0, start_scenario="mini")


async def test_a_player_scrolled_down_keeps_the_same_posts_in_view(config: GameConfig) -> None:
    async with CrisisSimApp(config).run_test(size=(120, 30)) as pilot:
        game = await start_game(pilot)
        feed = game.query_one(FeedTable)
        game.advance(40)
        await pilot.pause()
        assert feed.row_count > 20
        await pilot.press("home", "pagedown", "down")
        await pilot.pause()
        assert feed.scroll_y > 0
        top = feed.post_at(round(feed.scroll_y))
        chosen = feed.selected_post_id
        session = game.session
        shown = feed.row_count
        while feed.row_count == shown:  # until new posts arrive on top
            game.advance(1)
        await pilot.pause()
        assert feed.post_at(round(feed.scroll_y)) is top
        assert feed.selected_post_id == chosen
        await pilot.press("home")
        assert feed.cursor_row == 0 and feed.scroll_y == 0
        assert feed.selected_post_id == session.posts[-1].id
        await pilot.press("end")
        assert feed.selected_post_id == session.posts[0].id
        assert feed.get_cell(session.posts[0].id, "status").plain == "waiting"


async def test_dialogs_are_kept_and_start_fresh_each_time(config: GameConfig) -> None:
    """Building a dialog costs frames, so the game keeps each one; every use starts clean."""
    app = CrisisSimApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        game = await start_game(pilot)
        game.advance(12)  # the friend's post (minute 10) is in the feed
        await pilot.pause()
        feed = game.query_one(FeedTable)
        session = game.session

        async def open_on(post_id: str, key: str):
            steps = feed.get_row_index(post_id) - feed.cursor_row
            await pilot.press(*["down" if steps > 0 else "up"] * abs(steps), key)
            await pilot.pause()
            return app.screen

        first = await open_on("complaint", "a")
        assert isinstance(first, WriteDialog)
        await pilot.press("tab", "space")  # tick "address everyone", then leave without sending
        await pilot.press("shift+tab", "N", "o", "p", "e", "escape")
        await pilot.pause()
        again = await open_on("friend", "a")
        assert again is first
        assert again.query_one("#message").text == ""
        assert not again.query_one("#everyone").value
        assert "same thing happened to me" in str(again.query_one(".quote").content)
        await pilot.press("S", "o", "r", "r", "y", "enter")
        await pilot.pause()
        assert [(r.action, r.post_id, r.text) for r in session.responses] == [(Action.APOLOGY, "friend", "Sorry")]

        await pilot.press("u")  # a status update goes to everyone: no quote, no box
        await pilot.pause()
        assert app.screen is first
        assert not first.query_one(".quote").display and not first.query_one("#everyone").display
        await pilot.press("escape")

        offline = await open_on("complaint", "o")
        assert isinstance(offline, OfflineDialog)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert await open_on("friend", "o") is offline
        assert offline.query_one("#channel").highlighted == 0
        assert offline.query_one("#message").placeholder.startswith("e.g. Sam,")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is game


async def test_a_click_picks_a_row_and_a_second_click_answers_it(config: GameConfig) -> None:
    app = CrisisSimApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        game = await start_game(pilot)
        game.advance(5)
        await pilot.pause()
        feed = game.query_one(FeedTable)
        assert feed.row_count > 3
        await pilot.click(FeedTable, offset=(30, 4))  # the border, the header, then rows 0, 1, 2
        assert feed.cursor_row == 2
        assert "Selected post" in str(game.query_one("#detail-box").border_title)
        assert feed.post_at(2).author in game.query_one("#detail").content.plain
        await pilot.click(FeedTable, offset=(30, 4))
        await pilot.pause()
        assert isinstance(app.screen, WriteDialog)
        assert feed.post_at(2).handle in str(app.screen.query_one(".dialog-title").content)
