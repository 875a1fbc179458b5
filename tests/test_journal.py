"""The run journal: what a killed game leaves behind is enough to replay the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_sim.config import GameConfig
from crisis_sim.engine import Action, Channel, Command, Scenario, Session, replay
from crisis_sim.journal import PlayInfo, RunJournal, leftover_journals, read_journal
from crisis_sim.tui.app import CrisisSimApp
from crisis_sim.tui.screens import DebriefScreen, StartScreen


def info(mini: Scenario) -> PlayInfo:
    return PlayInfo(mini.id, mini.version, 4, 0.5, "Ann", "Red", "scores.db")


def test_a_journal_replays_to_the_run_it_kept(mini: Scenario, tmp_path: Path) -> None:
    session = Session(mini, seed=4)
    journal = RunJournal.start(tmp_path, info(mini))
    for minute, command in [(3, Command(Action.REPLY, "complaint", "Maya, that's on us.")), (9, Command(Action.OFFLINE, "complaint", channel=Channel.DM))]:
        session.advance(minute - session.minute)
        session.respond(command)
        journal.record(session.minute, command)
    for _ in range(12):
        session.advance(1)
        journal.reached(session.minute)
    assert leftover_journals(tmp_path) == [], "a run still being played is not left over"
    journal.close()  # as if the process died
    with journal.path.open("a", encoding="utf-8") as file:
        file.write('{"kind": "comm')  # killed in the middle of a line
    kept = read_journal(journal.path)
    assert kept.info == info(mini)
    assert kept.run.commands == tuple(session.commands)
    assert not kept.run.finished and kept.run.minute == 20  # the last mark; at most a few minutes short
    again = replay(mini, kept.run)
    assert [r.text for r in again.responses] == [r.text for r in session.responses]
    assert leftover_journals(tmp_path) == [journal.path]
    journal.discard()
    assert leftover_journals(tmp_path) == []


def test_a_journal_that_cannot_be_written_does_not_stop_the_game(mini: Scenario, tmp_path: Path) -> None:
    journal = RunJournal(Path("/dev/full"))  # every write fails: no space left
    journal.record(1, Command(Action.REPLY, "complaint", "Hello Maya"))
    assert isinstance(journal.error, OSError)
    journal.reached(20)  # and the game goes on
    with pytest.raises(OSError):
        RunJournal.start(Path("/dev/null/impossible"), info(mini))


async def test_a_run_is_journaled_while_played_and_the_journal_goes_once_saved(
    mini: Scenario, tmp_path: Path
) -> None:
    config = GameConfig(scenarios=[mini], db_path=tmp_path / "scores.db", journal_dir=tmp_path / "journal", player="Ann", seed=3, minutes_per_second=0, start_scenario="mini")
    app = CrisisSimApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r", *"Maya, that's on us.", "enter")
        await pilot.pause()
        [path] = config.journal_dir.glob("*.journal.jsonl")
        assert [c.text for _, c in read_journal(path).run.commands] == ["Maya, that's on us."]
        await pilot.press("f", "y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.saved_id is not None
        assert list(config.journal_dir.glob("*.journal.jsonl")) == []
        await pilot.press("n", "enter", "enter")  # play again, then abandon it
        await pilot.pause()
        assert len(list(config.journal_dir.glob("*.journal.jsonl"))) == 1
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert list(config.journal_dir.glob("*.journal.jsonl")) == []


def test_a_run_left_behind_is_saved_as_interrupted_on_the_next_start(mini: Scenario, tmp_path: Path) -> None:
    from crisis_sim.engine import load_rules
    from crisis_sim.recovery import recover_runs
    from crisis_sim.scoreboard import Scoreboard

    board = tmp_path / "scores.db"
    journal = RunJournal.start(tmp_path / "journal", PlayInfo(mini.id, mini.version, 4, 0.5, "Ann", "Red", str(board), "Class A"))
    journal.record(2, Command(Action.REPLY, "complaint", "Maya, that's on us."))
    journal.reached(10)
    journal.close()  # the game was killed here
    [recovered] = recover_runs(tmp_path / "journal", [mini], load_rules())
    assert recovered.saved and "Saved the interrupted run of Cold Coffee by Ann (minute 10" in recovered.message
    [row] = Scoreboard(board).history()
    assert (row.player, row.status, row.seed, row.scenario_id, row.cohort) == ("Ann", "interrupted", 4, "mini", "Class A")
    assert leftover_journals(tmp_path / "journal") == []
    assert recover_runs(tmp_path / "journal", [mini], load_rules()) == []  # nothing twice


def test_a_run_of_a_scenario_not_loaded_waits(mini: Scenario, tmp_path: Path) -> None:
    from crisis_sim.engine import load_rules
    from crisis_sim.recovery import recover_runs

    journal = RunJournal.start(tmp_path, PlayInfo("gone", "1", 4, 0.5, "Ann", "Red", str(tmp_path / "scores.db")))
    journal.close()
    [recovered] = recover_runs(tmp_path, [mini], load_rules())
    assert not recovered.saved and "waits for that scenario" in recovered.message
    assert leftover_journals(tmp_path) == [journal.path]


def test_history_recovers_a_killed_run_first(mini: Scenario, tmp_path: Path, private_data_folder: Path, capsys) -> None:
    from crisis_sim.cli import main
    from crisis_sim.config import default_journal_dir

    board = tmp_path / "scores.db"
    journal = RunJournal.start(default_journal_dir(), PlayInfo("consignment-store-feud", "2", 1, 0.5, "Bo", "Blue", str(board)))
    journal.record(4, Command(Action.STATUS_UPDATE, text="Update: we are looking into this and will post again by 5 pm."))
    journal.close()
    assert main(["history", "--db", str(board)]) == 0
    out = capsys.readouterr()
    assert "recovered: Saved the interrupted run" in " ".join(out.err.split())
    assert "Bo" in out.out
