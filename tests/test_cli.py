"""The crisis-sim command: scores, scenarios, validate, and clear errors for bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crisis_sim.cli import main
from crisis_sim.engine import Action, Command, Scenario, Session
from crisis_sim.scoreboard import Result, Scoreboard

from .conftest import MINI


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    return folder


def test_scores_on_an_empty_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "b.db"), "scores"]) == 0
    assert "No results yet" in capsys.readouterr().out
    assert not (tmp_path / "b.db").exists(), "looking at the scores must not create a scoreboard"


def test_scores_show_players_and_teams(mini: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board = Scoreboard(tmp_path / "b.db")
    for player, team in (("Ann", "Red"), ("Bob", "Blue")):
        session = Session(mini, seed=1)
        if player == "Ann":
            session.respond(Command(Action.APOLOGY, "complaint", "Maya, we're so sorry, that's on us."))
        session.finish()
        board.record(Result.of(session, player, team))
    assert main(["--db", str(tmp_path / "b.db"), "scores", "--scenario", "mini"]) == 0
    out = capsys.readouterr().out
    assert "Cold Coffee — players" in out and "Cold Coffee — teams" in out
    assert out.index("Ann") < out.index("Bob")
    assert out.index("Red") < out.index("Blue")


def test_scores_on_a_corrupt_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.db"
    path.write_bytes(b"garbage" * 100)
    assert main(["--db", str(path), "scores"]) == 1
    assert "not a database" in capsys.readouterr().err
    assert path.read_bytes() == b"garbage" * 100


def test_scenarios_are_listed(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (library / "broken.yaml").write_text("id: [\n")
    assert main(["--scenarios", str(library), "scenarios"]) == 0
    captured = capsys.readouterr()
    assert "mini" in captured.out and "Cold Coffee" in captured.out
    assert "skipped:" in captured.err and "broken.yaml" in captured.err


def test_validate_reports_file_line_and_field(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.read_text().replace("sentiment: negative", "sentiment: furious"))
    assert main(["validate", str(library / "mini.yaml"), str(broken)]) == 1
    captured = capsys.readouterr()
    assert "ok" in captured.out
    assert "broken.yaml, line 34, field 'posts[1].sentiment'" in " ".join(captured.err.split())


def test_validate_the_whole_folder(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--scenarios", str(library), "validate"]) == 0
    assert "ok mini" in capsys.readouterr().out


def test_play_unknown_scenario_is_a_clear_error(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--scenarios", str(library), "play", "no-such-thing"]) == 2
    err = capsys.readouterr().err
    assert "unknown scenario 'no-such-thing'" in err and "Available: mini" in err


def test_play_a_broken_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n")
    assert main(["play", str(broken)]) == 1
    assert "invalid YAML" in capsys.readouterr().err


def test_history_lists_sessions_and_shows_one(mini: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "b.db")
    assert main(["--db", db, "history"]) == 0
    assert "No results yet" in capsys.readouterr().out
    session = Session(mini, seed=4)
    session.respond(Command(Action.REPLY, "complaint", "This never happened."))
    session.finish()
    result_id = Scoreboard(db).record(Result.of(session, "Ann", "Red"))
    assert main(["--db", db, "history", "--player", "Ann"]) == 0
    out = capsys.readouterr().out
    assert "Ann" in out and "Cold Coffee" in out and " 4 │" in out  # the seed
    assert main(["--db", db, "history", str(result_id)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "honesty 8/100" in out and "(deny): denied what happened" in out and "-42" in out  # the graded denial, explained
    assert main(["--db", db, "history", "99"]) == 2
    assert "no result #99" in capsys.readouterr().err
