"""The trainer's TUI: the branch tree, play --watch reloading, and play --from fast-forwarding."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.widgets import Tree

from crisis_sim.authoring.fast_forward import FastForward
from crisis_sim.authoring.scenario_tests import StepError
from crisis_sim.cli import main
from crisis_sim.config import GameConfig
from crisis_sim.engine import Scenario, Session, load_scenario
from crisis_sim.tui.app import CrisisSimApp
from crisis_sim.tui.screens import GameScreen, GraphScreen, StartScreen
from crisis_sim.tui.screens.graph import GraphApp
from crisis_sim.tui.watch import reload

from .conftest import MINI

SIZE = (160, 45)


@pytest.fixture
def config(mini: Scenario, tmp_path: Path) -> GameConfig:
    return GameConfig(scenarios=[mini], db_path=tmp_path / "scores.db", player="Ann", team="Red", seed=3, minutes_per_second=0)


def tree_labels(tree: Tree) -> list[str]:
    """Every label in the tree, depth first, as plain text."""
    found: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        found.append(node.label.plain)
        for child in node.children:
            walk(child)

    walk(tree.root)
    return found


async def test_ctrl_g_on_the_start_screen_shows_the_branch_tree(config: GameConfig) -> None:
    async with CrisisSimApp(config).run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        screen = pilot.app.screen
        assert isinstance(screen, GraphScreen)
        labels = tree_labels(screen.query_one(Tree))
        assert labels[0] == "Cold Coffee (mini)"
        assert "lawyer-up  when did escalate to legal" in labels
        assert "ends the scenario: meltdown" in labels
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, StartScreen)


async def test_the_tree_shows_scenario_text_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(MINI.read_text().replace("title: Cold Coffee", 'title: "[bold red]Cold[/] Coffee"'))
    app = GraphApp(load_scenario(path))
    async with app.run_test(size=SIZE) as pilot:
        tree = pilot.app.screen.query_one(Tree)
        assert tree.root.label.plain == "[bold red]Cold[/] Coffee (mini)"
        await pilot.press("e")
        assert all(node.is_expanded for node in tree.root.children)
        await pilot.press("escape")
    assert app.return_code == 0


def write_mini(folder: Path) -> Path:
    path = folder / "mini.yaml"
    shutil.copy(MINI, path)
    return path


async def test_reload_restarts_the_run_and_reports_a_broken_file(config: GameConfig, tmp_path: Path) -> None:
    path = write_mini(tmp_path)
    config.watch = path
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        path.write_text(path.read_text().replace("title: Cold Coffee", "title: Colder Coffee"))
        assert reload(app, config, path) is not None
        await pilot.pause()
        assert isinstance(app.screen, GameScreen) and app.screen.session.scenario.title == "Colder Coffee"
        first_game = app.screen
        path.write_text(path.read_text().replace("    when: {did: accusation}", "    when: {did: acusation}"))
        shown: list[str] = []
        app.notify = lambda message, **options: shown.append(message)  # type: ignore[method-assign]
        assert reload(app, config, path) is None
        assert app.screen is first_game, "a broken save keeps the game going"
        assert "unknown action or signal 'acusation'" in shown[0] and "line" in shown[0]


async def test_saving_the_watched_file_reloads_it(config: GameConfig, tmp_path: Path) -> None:
    path = write_mini(tmp_path)
    config.watch = path
    app = CrisisSimApp(config)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.sleep(0.3)  # the watcher is running
        path.write_text(path.read_text().replace("title: Cold Coffee", "title: Saved Coffee"))
        for _ in range(100):
            await asyncio.sleep(0.05)
            if isinstance(app.screen, GameScreen):
                break
        await pilot.pause()
        assert isinstance(app.screen, GameScreen) and app.screen.session.scenario.title == "Saved Coffee"


def test_fast_forward_replays_the_good_run_up_to_the_minute(tmp_path: Path) -> None:
    path = write_mini(tmp_path)
    (tmp_path / "mini.test.yaml").write_text(
        "runs:\n  - name: good\n    seed: 4\n    steps:\n"
        "      - at: 2\n        apology: {post: complaint, text: 'Maya, we are so sorry. That is on us.'}\n"
        "      - at: 40\n        status_update: {text: 'Update: fresh coffee for Maya.'}\n"
    )
    fast_forward = FastForward(path, 20)
    assert fast_forward.seed() == 4
    session = Session(load_scenario(path), seed=4)
    fast_forward(session)
    assert session.minute == 20 and "apology-lands" in session.fired
    assert [command.action.value for _, command in session.commands] == ["apology"], "steps after the minute wait"


def test_fast_forward_without_tests_is_a_silent_run(tmp_path: Path) -> None:
    path = write_mini(tmp_path)
    session = Session(load_scenario(path), seed=1)
    FastForward(path, 35)(session)
    assert session.minute == 35 and session.commands == [] and "silence" in session.fired
    with pytest.raises(StepError, match="pick a minute from 0 to 59"):
        FastForward(path, 60).check(load_scenario(path), 1)


async def test_a_fast_forwarded_game_starts_at_the_minute(config: GameConfig, tmp_path: Path) -> None:
    path = write_mini(tmp_path)
    config.fast_forward = FastForward(path, 31)
    config.start_scenario = "mini"
    async with CrisisSimApp(config).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        game = pilot.app.screen
        assert isinstance(game, GameScreen) and game.session.minute == 31 and "silence" in game.session.fired


def test_play_refuses_watch_and_from_without_a_file_or_with_a_broken_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "s.db"), "play", "airline-passenger-removal", "--watch"]) == 2
    assert "need a scenario file" in capsys.readouterr().err
    path = write_mini(tmp_path)
    (tmp_path / "mini.test.yaml").write_text("runs:\n  - name: good\n    steps:\n      - at: 5\n        reply: {post: friend, text: hi}\n")
    assert main(["--db", str(tmp_path / "s.db"), "play", str(path), "--from", "20"]) == 2
    assert "cannot start at minute 20: minute 5: reply to 'friend': There is no post 'friend' in the feed." in capsys.readouterr().err
