"""The crisis-sim command: scores, scenarios, validate, and clear errors for bad input."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crisis_sim.cli import main
from crisis_sim.engine import Action, Command, Scenario, Session
from crisis_sim.scoreboard import Result, Scoreboard, ScoreboardError

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
    assert "Cold Coffee · version 1 · any speed — players" in out and "Cold Coffee · version 1 · any speed — teams" in out
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
    assert "unknown scenario 'no-such-thing'" in err and "Available:" in err and "mini" in err


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
    graded = re.search(r"honesty (\d+)/100", out)
    assert graded and int(graded.group(1)) <= 20 and "(deny): denied what happened" in out  # the graded denial, explained
    assert main(["--db", db, "history", "99"]) == 2
    assert "no result #99" in capsys.readouterr().err


# --- bad values, option order, markup and crashes ---------------------------------------------


@pytest.mark.parametrize("speed", ["nan", "inf", "-inf", "0", "-1", "1e-300", "1e308", "61", "fast"])
def test_speed_outside_a_sensible_range_is_refused(speed: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["play", "mini", f"--speed={speed}"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--speed must be" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["play", "--seed", "99999999999999999999999"], "--seed must be between 0 and"),
        (["play", "--seed=-1"], "--seed must be between 0 and"),
        (["history", "99999999999999999999999"], "result number must be between 1 and"),
        (["history", "--limit", "0"], "--limit must be between 1 and"),
        (["history", "9" * 5000], "result number must be between 1 and"),
    ],
)
def test_whole_numbers_are_bounded(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_db_and_scenarios_work_after_the_command_too(mini: Scenario, library: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "b.db"
    session = Session(mini, seed=1)
    session.finish()
    Scoreboard(db).record(Result.of(session, "Ann", "Red"))
    assert main(["scores", "--db", str(db)]) == 0
    assert "Ann" in capsys.readouterr().out
    assert main(["history", "--db", str(db)]) == 0
    assert "Ann" in capsys.readouterr().out
    assert main(["scenarios", "--scenarios", str(library)]) == 0
    assert "Cold Coffee" in capsys.readouterr().out
    assert main(["--db", str(db), "history", "--db", str(tmp_path / "other.db")]) == 0, "the later one wins"
    assert "No results yet" in capsys.readouterr().out
    assert main(["--db", str(db), "history"]) == 0, "a value before the command is kept"
    assert "Ann" in capsys.readouterr().out


@pytest.fixture
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that Rich tables do not wrap the values a test looks for."""
    monkeypatch.setenv("COLUMNS", "250")


HOSTILE_NAMES = ["[/]", "[red]x[/]", "[UPDATED]", "[sic]", "[link=http://evil]click[/link]"]


@pytest.mark.usefixtures("wide_terminal")
def test_names_are_shown_literally_never_as_markup(mini: Scenario, tmp_path: Path, capsys) -> None:
    db = tmp_path / "[x] boards" / "b.db"
    for name in HOSTILE_NAMES:
        session = Session(mini, seed=1)
        session.finish()
        Scoreboard(db).record(Result.of(session, name, name))
    assert main(["--db", str(db), "scores"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in HOSTILE_NAMES)
    assert main(["--db", str(db), "history"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in HOSTILE_NAMES)
    assert main(["--db", str(db), "history", "1"]) == 0
    assert "#1 [/] ([/])" in capsys.readouterr().out
    assert main(["--db", str(tmp_path / "[x] empty.db"), "scores"]) == 0
    assert "[x] empty.db" in capsys.readouterr().out


def test_escape_sequences_never_reach_the_terminal(mini: Scenario, library: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "b.db"
    session = Session(mini, seed=1)
    session.finish()
    Scoreboard(db).record(Result.of(session, "\x1b]0;pwned\x07Eve\x1b[2J", "Red\r\x9b31m"))
    (library / "\x1b[31mred.yaml").write_text("id: [\n")
    assert main(["--db", str(db), "scores"]) == 0
    assert main(["--db", str(db), "history"]) == 0
    assert main(["--scenarios", str(library), "scenarios"]) == 0
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in stream)
    assert "Eve" in captured.out and "pwned" not in captured.out and "red.yaml" in captured.err


@pytest.mark.usefixtures("wide_terminal")
def test_scenario_text_with_brackets_is_listed_literally(library: Path, capsys) -> None:
    (library / "mini.yaml").write_text(MINI.read_text().replace("title: Cold Coffee", "title: \"[/] Cold [bold]Coffee[/bold]\""))
    assert main(["--scenarios", str(library), "scenarios"]) == 0
    assert "[/] Cold [bold]Coffee[/bold]" in capsys.readouterr().out


def test_an_unexpected_error_is_one_line_and_a_crash_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, user_data_folder: Path, capsys
) -> None:
    def explode(args: object) -> int:
        raise RuntimeError("something \x1b[31mbroke\nbadly")

    monkeypatch.setattr("crisis_sim.leaderboard.scores_command", explode)
    assert main(["--db", str(tmp_path / "b.db"), "scores"]) == 70
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert "unexpected error: RuntimeError: something broke badly" in line and "Traceback" not in captured.err
    [report] = (user_data_folder / "crash-reports").iterdir()
    assert str(report) in line
    assert "Traceback" in report.read_text() and "explode" in report.read_text()


def test_unsaved_results_are_imported_from_the_command_line(mini: Scenario, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"garbage" * 100)
    session = Session(mini, seed=1)
    session.finish()
    with pytest.raises(ScoreboardError) as caught:
        Scoreboard(broken).record(Result.of(session, "Ann", "Red"))
    kept = str(caught.value.recovery_path)
    healthy = str(tmp_path / "healthy.db")
    assert main(["scores", "import-recovery", kept, "--db", healthy]) == 0
    assert "added 1 result(s)" in capsys.readouterr().out
    assert main(["--db", healthy, "scores", "import-recovery", kept]) == 0
    out = capsys.readouterr().out
    assert "added 0 result(s)" in out and "1 already there" in out
    assert [row.player for row in Scoreboard(healthy).history()] == ["Ann"]
    (tmp_path / "not-one.json").write_text("[]")
    assert main(["--db", healthy, "scores", "import-recovery", str(tmp_path / "not-one.json")]) == 1
    assert "not a crisis-sim unsaved-result file" in capsys.readouterr().err


def crowded_board(mini: Scenario, path: Path, results: int) -> None:
    """A scoreboard with one real result copied ``results`` times (quicker than playing them all)."""
    session = Session(mini, seed=1)
    session.finish()
    Scoreboard(path).record(Result.of(session, "Ann 😀", "Red"))
    with sqlite3.connect(path) as connection:
        columns = "played_at, player, team, scenario_id, scenario_title, seed, ending, speed, empathy, honesty, overall, game_minutes, status"
        connection.executemany(
            f"insert into results ({columns}, uid) select {columns}, ? from results where id = 1",
            [(f"copy-{number}",) for number in range(results)],
        )


def run_command(*argv: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "crisis_sim", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env}
    )


def test_a_reader_closing_the_pipe_is_not_a_crash(mini: Scenario, tmp_path: Path, user_data_folder: Path) -> None:
    db = tmp_path / "b.db"
    crowded_board(mini, db, 2000)
    process = run_command("--db", str(db), "history", "--limit", "2000")
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # like `crisis-sim history | head -1`
    err = process.stderr.read()
    assert process.wait(timeout=30) == 1
    assert b"Traceback" not in err and b"Exception" not in err
    assert not (user_data_folder / "crash-reports").exists()


def test_a_terminal_that_cannot_show_emoji_gets_question_marks(mini: Scenario, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    crowded_board(mini, db, 0)
    process = run_command("--db", str(db), "history", PYTHONIOENCODING="latin-1")
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and b"Ann ?" in out and not err
