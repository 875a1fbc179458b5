"""The foundation's seams: one action table, commands in and runs out, replays, and a UI-free engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crisis_sim.engine import (
    ACTIONS,
    Action,
    Channel,
    Command,
    PostStatus,
    ReplyContext,
    ResponseError,
    Role,
    Run,
    Scenario,
    Session,
    Target,
    load_rules,
    load_scenario,
    read_reply,
    replay,
    score_session,
)
from crisis_sim.tui.screens import GameScreen

ROOT = Path(__file__).resolve().parent.parent
UI_MODULES = ("textual", "rich", "sqlite_utils", "sqlite3", "crisis_sim.tui", "crisis_sim.scoreboard", "crisis_sim.cli")


def test_every_action_has_one_row_a_binding_and_a_crowd_reaction() -> None:
    rules = load_rules()
    bound = {binding.action for binding in GameScreen.BINDINGS}
    for action in Action:
        spec = ACTIONS[action]
        assert spec.action is action
        assert f"act('{action.value}')" in bound
        if spec.target is not Target.NONE:  # a decision is not seen by the crowd
            assert action.value in rules.reaction


def test_the_engine_imports_no_ui_or_storage_module() -> None:
    """Importing the whole engine in a fresh interpreter pulls in none of the UI or storage modules."""
    code = (
        "import sys, crisis_sim.engine, crisis_sim.engine.session, crisis_sim.engine.scoring;"
        f"print([m for m in sys.modules if m.split('.')[0] in {UI_MODULES!r} or m.startswith({UI_MODULES!r})])"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert found.stdout.strip() == "[]"


def test_a_command_round_trips_through_json() -> None:
    command = Command(Action.OFFLINE, "complaint", "We've sent you a DM.", channel=Channel.DM)
    assert Command.from_dict(json.loads(json.dumps(command.to_dict()))) == command
    escalation = Command(Action.ESCALATE, "complaint", role=Role.PR_LEAD)
    assert Command.from_dict(escalation.to_dict()) == escalation


def test_commands_are_checked_against_their_row(mini: Scenario) -> None:
    session = Session(mini, seed=1)
    with pytest.raises(ResponseError, match="Pick a post"):
        session.respond(Command(Action.REPLY, text="Hello"))
    with pytest.raises(ResponseError, match="goes to everyone"):
        session.respond(Command(Action.STATUS_UPDATE, "complaint", "Update"))
    with pytest.raises(ResponseError, match="Write something"):
        session.respond(Command(Action.REPLY, "complaint", "   "))
    with pytest.raises(ResponseError, match="Choose how to take it offline"):
        session.respond(Command(Action.OFFLINE, "complaint"))
    with pytest.raises(ResponseError, match="Choose who to escalate to"):
        session.respond(Command(Action.ESCALATE, "complaint"))
    assert session.responses == [] and session.commands == []


def test_post_status_follows_what_was_done(mini: Scenario) -> None:
    session = Session(mini, seed=1)
    complaint = session.post("complaint")
    assert complaint.status is PostStatus.WAITING
    session.respond(Command(Action.ESCALATE, "complaint", role=Role.PR_LEAD))
    assert complaint.status is PostStatus.ESCALATED
    session.respond(Command(Action.OFFLINE, "complaint", channel=Channel.PHONE))
    assert complaint.status is PostStatus.OFFLINE
    hiding = Session(mini, seed=1)
    hiding.respond(Command(Action.HIDE, "complaint"))
    assert hiding.post("complaint").status is PostStatus.HIDDEN


def play_a_mixed_run(scenario: Scenario, seed: int) -> Session:
    """A run with every kind of command, spread over the game."""
    session = Session(scenario, seed=seed)
    session.advance(4)
    first = session.posts[0].id
    session.respond(Command(Action.REPLY, first, "We're so sorry, that's on us. Can we DM you?"))
    session.advance(7)
    session.respond(Command(Action.STATUS_UPDATE, text="Update: we are looking into it and will report back by 5pm."))
    session.respond(Command(Action.HOLD_STATEMENT))
    session.advance(11)
    waiting = [p for p in session.posts if p.needs_answer]
    if waiting:
        session.respond(Command(Action.OFFLINE, waiting[-1].id, channel=Channel.EMAIL))
        session.respond(Command(Action.ESCALATE, waiting[0].id, role=Role.CEO))
    session.advance(20)
    session.respond(Command(Action.APOLOGY, text="We apologise to everyone affected."))
    session.finish()
    return session


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.endswith(".test.yaml")), ids=lambda p: p.stem)
def test_a_stored_run_replays_to_the_identical_scorecard(path: Path) -> None:
    scenario = load_scenario(path)
    played = play_a_mixed_run(scenario, seed=11)
    stored = json.loads(json.dumps(played.run(speed=0.5).to_dict()))
    run = Run.from_dict(stored)
    assert (run.scenario_id, run.scenario_version, run.seed, run.speed) == (scenario.id, scenario.version, 11, 0.5)
    again = replay(scenario, run)
    assert again.ending == played.ending
    assert score_session(again) == score_session(played)
    assert [(p.id, p.text, p.shares, p.likes) for p in again.posts] == [(p.id, p.text, p.shares, p.likes) for p in played.posts]


def test_an_unfinished_run_replays_to_where_it_stopped(mini: Scenario) -> None:
    session = Session(mini, seed=5)
    session.advance(9)
    session.respond(Command(Action.REPLY, "complaint", "Maya, that's on us. Can we call you?"))
    session.advance(6)
    again = replay(mini, Run.from_dict(session.run().to_dict()))
    assert (again.minute, again.finished, again.mood) == (15, False, session.mood)


def test_a_reply_can_be_read_without_a_session() -> None:
    context = ReplyContext(Action.REPLY, brand="Bean There", post_text="Your barista laughed at me", author="Maya Lopez")
    reading = read_reply("Maya, we're so sorry the barista laughed at you. That's on us.", context, load_rules())
    assert {"reply", "apology", "ownership", "personalised"} <= reading.signals
    assert reading.quote("ownership").lower() == "that's on us"
