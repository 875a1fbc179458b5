"""The run journal: what a killed game leaves behind is enough to replay the run."""

from __future__ import annotations

from pathlib import Path

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
    journal = RunJournal.start(tmp_path, info(mini))
    journal.path.unlink()
    journal.path.mkdir()  # writing now fails
    journal.record(1, Command(Action.REPLY, "complaint", "Hello Maya"))
    assert isinstance(journal.error, OSError)


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
        [path] = leftover_journals(config.journal_dir)
        assert [c.text for _, c in read_journal(path).run.commands] == ["Maya, that's on us."]
        await pilot.press("f", "y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.saved_id is not None
        assert leftover_journals(config.journal_dir) == []
        await pilot.press("n", "enter", "enter")  # play again, then abandon it
        await pilot.pause()
        assert len(leftover_journals(config.journal_dir)) == 1
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert leftover_journals(config.journal_dir) == []
