"""The scenario language: condition groups, ordering, flags and counters, decisions, hints, notes and model replies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from crisis_sim.engine import (
    Action,
    Channel,
    Command,
    DataFileError,
    ResponseError,
    Role,
    Run,
    Scenario,
    Session,
    load_scenario,
    replay,
    score_session,
)
from crisis_sim.engine.scenario import Branch, Condition

LANGUAGE = Path(__file__).parent / "fixtures" / "language.yaml"
APOLOGY = "Maya, I'm so sorry. That should never have happened."
DENIAL = "Our barista did nothing wrong."


@pytest.fixture
def language() -> Scenario:
    return load_scenario(LANGUAGE)


@pytest.fixture
def edited(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a copy of language.yaml with one piece of text replaced, and return its path."""

    def edit(old: str, new: str) -> Path:
        text = LANGUAGE.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in language.yaml"
        path = tmp_path / "edited.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return edit


def problems_of(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(DataFileError) as caught:
        load_scenario(path)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def holds(session: Session, condition: dict) -> bool:
    return session.holds(Condition.model_validate(condition))


# --- conditions -------------------------------------------------------------------------


def test_any_all_and_not_groups_nest(mini: Scenario) -> None:
    session = Session(mini, seed=1)
    session.advance(5)
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    assert holds(session, {"any": [{"did": "denial"}, {"did": "apology"}]})
    assert not holds(session, {"any": [{"did": "denial"}, {"before": 3}]})
    assert holds(session, {"all": [{"did": "apology"}, {"after": 5}]})
    assert not holds(session, {"all": [{"did": "apology"}, {"after": 6}]})
    assert holds(session, {"not": {"did": "denial"}})
    assert not holds(session, {"not": {"any": [{"did": "denial"}, {"did": "apology", "post": "complaint"}]}})
    assert holds(session, {"after": 5, "any": [{"not": {"unanswered": "complaint"}}, {"did": "hide"}]})


def test_in_order_needs_separate_responses_in_that_order(mini: Scenario) -> None:
    apologised_then_denied = Session(mini, seed=1)
    apologised_then_denied.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    apologised_then_denied.respond(Command(Action.ESCALATE, "complaint", role=Role.PR_LEAD))
    apologised_then_denied.respond(Command(Action.REPLY, "complaint", DENIAL))
    denied_then_apologised = Session(mini, seed=1)
    denied_then_apologised.respond(Command(Action.REPLY, "complaint", DENIAL))
    denied_then_apologised.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    backpedal = {"in_order": [{"did": "apology"}, {"did": "denial"}]}
    assert holds(apologised_then_denied, backpedal)
    assert not holds(denied_then_apologised, backpedal)
    assert holds(denied_then_apologised, {"in_order": [{"did": "denial"}, {"did": "apology", "post": "complaint"}]})
    assert not holds(apologised_then_denied, {"in_order": [{"did": "apology"}, {"did": "escalate", "role": "ceo"}]})


def test_fired_and_not_fired_read_the_branches_that_fired(mini: Scenario) -> None:
    session = Session(mini, seed=1)
    assert holds(session, {"not_fired": "apology-lands"}) and not holds(session, {"fired": "apology-lands"})
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    assert holds(session, {"fired": "apology-lands"}) and not holds(session, {"not_fired": "apology-lands"})


def test_counters_and_flags_set_by_effects_fire_branches_in_the_same_minute(language: Scenario) -> None:
    session = Session(language, seed=2)
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    assert session.counters == {"apologies": 1}
    assert "sorry-everywhere" not in session.fired
    session.respond(Command(Action.OFFLINE, "complaint", "Maya, I'm sorry; may I call you?", channel=Channel.PHONE))
    assert session.counters == {"apologies": 2}
    assert session.fired[-2:] == ["apologised-twice", "sorry-everywhere"]
    assert holds(session, {"counter": {"apologies": {"at_least": 2, "at_most": 2}}})
    assert not holds(session, {"counter": {"apologies": {"at_most": 1}}})


def test_old_scenarios_read_unset_flags_as_false_and_counters_as_zero(language: Scenario) -> None:
    session = Session(language, seed=2)
    assert not holds(session, {"flag": "blamed_staff"})
    assert holds(session, {"counter": {"apologies": {"at_most": 0}}})


# --- decisions ------------------------------------------------------------------------


def test_a_decision_opens_from_an_effect_and_the_players_choice_applies(language: Scenario) -> None:
    session = Session(language, seed=2)
    session.advance(5)
    waiting = session.decision_waiting()
    assert waiting is not None and waiting.decision.id == "blame-barista" and waiting.closes_at == 10
    assert any(n.text.startswith("Decision needed: The owner wants") for n in session.notices)
    assert session.respond(Command(Action.DECIDE, decision="blame-barista", choice="blame")) is None
    assert session.decision_waiting() is None
    assert session.flags == {"blamed_staff": True}
    assert "blamed" in session.fired, "the flag fires its branch at once"
    [made] = session.decisions_made
    assert (made.minute, made.option.id, made.by_default) == (5, "blame", False)
    assert session.notices[-2].text == "You decided: Post that the barista was joking." and session.notices[-2].from_player
    assert session.commands == [(5, Command(Action.DECIDE, decision="blame-barista", choice="blame"))]
    assert session.responses == [], "the crowd never sees a decision"
    session.finish()
    assert session.ending.id == "backfired"
    assert [(m.category, m.points) for m in score_session(session).moments if m.rule == "scenario"] == [("honesty", -10)]


def test_an_option_can_fire_a_branch(language: Scenario) -> None:
    session = Session(language, seed=2)
    session.advance(6)
    session.respond(Command(Action.DECIDE, decision="blame-barista", choice="own-it"))
    assert session.fired[-1] == "owned"
    assert any(n.text == "The café owns it." for n in session.notices)


def test_when_the_deadline_passes_the_default_applies(language: Scenario) -> None:
    session = Session(language, seed=2)
    session.advance(9)
    assert session.decision_waiting() is not None
    session.advance(1)
    assert session.decision_waiting() is None
    [made] = session.decisions_made
    assert (made.minute, made.option.id, made.by_default) == (10, "say-nothing", True)
    assert "Time ran out on \"The owner wants to post that the barista was only joking. Do you?\": Say nothing for now" in [
        n.text for n in session.notices
    ]
    assert session.commands == [], "a default is not a player command: replay reaches it by the clock"
    with pytest.raises(ResponseError, match="No decision is waiting"):
        session.respond(Command(Action.DECIDE, decision="blame-barista", choice="blame"))


def test_a_decide_command_is_checked(language: Scenario) -> None:
    session = Session(language, seed=2)
    with pytest.raises(ResponseError, match="No decision is waiting"):
        session.respond(Command(Action.DECIDE, decision="blame-barista", choice="blame"))
    session.advance(5)
    with pytest.raises(ResponseError, match="not open"):
        session.respond(Command(Action.DECIDE, decision="other", choice="blame"))
    with pytest.raises(ResponseError, match="Choose one of the decision's options"):
        session.respond(Command(Action.DECIDE, decision="blame-barista", choice="shrug"))
    with pytest.raises(ResponseError, match="not about a post"):
        session.respond(Command(Action.DECIDE, "complaint", decision="blame-barista", choice="blame"))
    assert session.commands == [] and session.decision_waiting() is not None


def test_a_run_with_a_decision_replays_to_the_same_result(language: Scenario) -> None:
    played = Session(language, seed=4)
    played.advance(7)
    played.respond(Command(Action.DECIDE, decision="blame-barista", choice="own-it"))
    played.advance(3)
    played.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    played.finish()
    run = Run.from_dict(json.loads(json.dumps(played.run().to_dict())))
    assert run.commands[0] == (7, Command(Action.DECIDE, decision="blame-barista", choice="own-it"))
    again = replay(language, run)
    assert (again.fired, again.flags, again.ending) == (played.fired, played.flags, played.ending)
    assert score_session(again) == score_session(played)


def test_old_command_dicts_still_load_and_new_fields_round_trip() -> None:
    assert Command.from_dict({"action": "reply", "post": "complaint", "text": "Hi"}) == Command(Action.REPLY, "complaint", "Hi")
    decision = Command(Action.DECIDE, decision="blame-barista", choice="blame")
    assert decision.to_dict() == {"action": "decide", "decision": "blame-barista", "choice": "blame"}
    assert Command.from_dict(decision.to_dict()) == decision


# --- hints, notes and model replies -------------------------------------------------------


def test_a_hint_shows_when_the_player_has_done_nothing_since_the_branch_fired(language: Scenario) -> None:
    idle = Session(language, seed=2)
    idle.advance(7)
    assert idle.hints_given == []
    idle.advance(1)
    [hint] = idle.hints_given
    assert (hint.minute, hint.text) == (8, "Hint: The owner is waiting for your answer; press c to decide.")
    idle.advance(30)
    assert [n.minute for n in idle.hints_given] == [8, 35], "the silence branch's hint uses the default delay of 5"

    busy = Session(language, seed=2)
    busy.advance(6)
    busy.respond(Command(Action.HOLD_STATEMENT))
    busy.advance(10)
    assert busy.hints_given == []


def test_facilitator_notes_come_from_fired_branches_and_made_decisions(language: Scenario) -> None:
    session = Session(language, seed=2)
    session.advance(10)
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    session.advance(2)
    session.respond(Command(Action.REPLY, "complaint", DENIAL))
    notes = session.facilitator_notes()
    assert [(n.minute, n.source) for n in notes] == [(10, "blame-barista"), (12, "backpedalled")]
    assert notes[1].text.startswith("Teams often apologise")


def test_model_replies_sit_beside_what_the_player_said(language: Scenario) -> None:
    session = Session(language, seed=2)
    session.respond(Command(Action.APOLOGY, "complaint", APOLOGY))
    [reply] = session.model_replies()
    assert reply.post.id == "complaint"
    assert reply.model_reply.startswith("Maya, I'm so sorry.")
    assert [r.text for r in reply.responses] == [APOLOGY]


# --- validation -------------------------------------------------------------------------


def test_the_language_fixture_loads_every_part(language: Scenario) -> None:
    [(location, decision)] = list(language.decisions())
    assert location == ("branches", 4, "then", "decide")
    assert [o.id for o in decision.options] == ["blame", "own-it", "say-nothing"]
    assert language.branches[4].hint_delay == 3 and language.branches[-1].hint_delay == 5
    assert language.posts[0].model_reply is not None


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("when: {flag: blamed_staff}", "when: {flag: blamed_stuff}", "branches[6].when.flag",
         "no effect ever sets flag 'blamed_stuff'; did you mean 'blamed_staff'?"),
        ("when: {flag: blamed_staff}", "when: {flag: apologies}", "branches[6].when.flag",
         "no effect ever sets flag 'apologies' (it is a counter)"),
        ("{counter: {apologies: {at_least: 2}}}", "{counter: {apology: {at_least: 2}}}", "branches[2].when.counter.apology",
         "no effect ever adds to counter 'apology'; did you mean 'apologies'?"),
        ("{counter: {apologies: {at_least: 2}}}", "{counter: {apologies: {}}}", "branches[2].when.counter.apologies",
         "give at_least and/or at_most"),
        ("default: say-nothing", "default: say-nothin", "branches[4].then.decide.default",
         "no option with id 'say-nothin'; did you mean 'say-nothing'?"),
        ("          - id: own-it", "          - id: blame", "branches[4].then.decide.options[1].id", "duplicate option id 'blame'"),
        ("fire: owned", "fire: owner", "branches[4].then.decide.options[1].fire", "no branch with id 'owner'; did you mean 'owned'?"),
        ("fire: owned", "end: backfird", "branches[4].then.decide.options[1].end",
         "no ending with id 'backfird'; did you mean 'backfired'?"),
        ("{not: {fired: apologised}}", "{not: {fired: apologized}}", "branches[4].when.all[1].not.fired",
         "no branch with id 'apologized'; did you mean 'apologised'?"),
        ("[{did: apology}, {did: denial}]", "[{did: apology}, {did: denail}]", "branches[3].when.in_order[1].did",
         "unknown action or signal 'denail'; did you mean 'denial'? use one of: "),
        ("{did: apology, post: friend}", "{did: apology, post: frend}", "branches[1].when.any[0].post",
         "no post with id 'frend'; did you mean 'friend'?"),
        ("    hint: Maya is still waiting. A short apology now beats a perfect one later.", "    hint_after: 4",
         "branches[7].hint_after", "hint_after is set but the branch has no hint"),
    ],
)  # fmt: skip
def test_reference_mistakes_name_the_field_and_suggest_a_fix(edited, old: str, new: str, field: str, message: str) -> None:
    [(line, found_field, found_message)] = problems_of(edited(old, new))
    assert found_field == field
    assert found_message.startswith(message)
    assert line is not None


def test_a_decision_with_one_option_is_an_error_at_its_line(edited) -> None:
    text = LANGUAGE.read_text(encoding="utf-8")
    start = text.index("          - id: own-it")
    end = text.index("    hint: The owner is waiting")
    one_option = text[:start].replace("default: say-nothing", "default: blame") + text[end:]
    path = edited(text, one_option)
    [(line, field, message)] = problems_of(path)
    assert (field, message) == ("branches[4].then.decide.options", "a decision needs at least two options to choose from, not 1")
    assert line == one_option.splitlines().index("        options:") + 2  # the line of the first option


def test_an_empty_group_is_an_error(edited) -> None:
    [(_, field, message)] = problems_of(edited("when: {any: [{did: apology, post: friend}, {did: apology, channel: phone}]}", "when: {any: []}"))
    assert field == "branches[1].when.any"
    assert "at least 1 item" in message


def test_a_duplicate_decision_id_is_an_error(edited) -> None:
    copy = """  - id: owner-asks-again
    when: {after: 40}
    then:
      decide:
        id: blame-barista
        prompt: Again?
        default: wait
        options: [{id: go, label: Go ahead}, {id: wait, label: Wait}]
  - id: owned
"""
    [(_, field, message)] = problems_of(edited("  - id: owned\n", copy))
    assert (field, message) == ("branches[5].then.decide.id", "duplicate decision id 'blame-barista'")


def test_branches_that_wait_for_each_other_are_a_cycle(edited) -> None:
    path = edited("when: {flag: blamed_staff}", "when: {fired: silence}")
    path.write_text(path.read_text(encoding="utf-8").replace("{after: 30, unanswered: complaint}", "{after: 30, fired: blamed}"), encoding="utf-8")
    [(_, field, message)] = problems_of(path)
    assert (field, message) == ("branches[6].when", "these branches each wait for the next to fire, so none ever can: blamed -> silence -> blamed")
    either = path.read_text(encoding="utf-8").replace("{after: 30, fired: blamed}", "{any: [{after: 30}, {fired: blamed}]}")
    path.write_text(either, encoding="utf-8")
    assert load_scenario(path).branches[7].when.any_of is not None, "a fired inside 'any' is not a wait"


def test_branches_that_fire_each_other_are_a_loop(edited) -> None:
    path = edited("      message: The café owns it.", "      message: The café owns it.\n      fire: owner-asks")
    [(_, field, message)] = problems_of(path)
    assert (field, message) == ("branches[4].then", "branches fire each other in a loop: owner-asks -> owned -> owner-asks")


def test_a_loop_longer_than_pythons_recursion_limit_is_reported_not_a_crash(edited) -> None:
    many = "".join(f"  - id: b{n}\n    when: {{after: 1}}\n    then: {{fire: b{n + 1}}}\n" for n in range(1200))
    path = edited("  - id: owned\n", many + "  - id: b1200\n    when: {after: 1}\n    then: {fire: b0}\n  - id: owned\n")
    [(_, field, message)] = problems_of(path)
    assert field == "branches[5].then" and message.startswith("branches fire each other in a loop: b0 -> b1 -> b2")


def test_the_readme_example_is_valid() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\nbranches:\n", 1)[1].split("```", 1)[0]
    branches = yaml.safe_load("branches:\n" + example)["branches"]
    assert [Branch.model_validate(branch).id for branch in branches] == ["legal-asks", "echoed-memo", "walked-back", "silence"]
