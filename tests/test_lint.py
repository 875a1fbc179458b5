"""Lint: each warning with a broken copy of mini.yaml, and validate's --strict."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from crisis_sim.authoring.checks import check_paths
from crisis_sim.authoring.lint import lint
from crisis_sim.cli import main
from crisis_sim.engine import load_scenario
from crisis_sim.engine.datafile import read_yaml

from .conftest import MINI

Edit = Callable[[dict], None]


def lint_messages(path: Path) -> list[str]:
    """Every warning for ``path`` as validate prints it: file, line, field, message."""
    _, root = read_yaml(path)
    return [problem.describe(path) for problem in lint(load_scenario(path), root)]


@pytest.fixture
def broken(tmp_path: Path) -> Callable[[Edit], Path]:
    """Write mini.yaml changed by ``edit`` and return its path."""

    def write(edit: Edit) -> Path:
        data = copy.deepcopy(yaml.safe_load(MINI.read_text()))
        edit(data)
        path = tmp_path / "broken.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write


def branch(data: dict, branch_id: str) -> dict:
    return next(b for b in data["branches"] if b["id"] == branch_id)


def test_mini_and_the_shipped_scenarios_are_clean() -> None:
    assert lint_messages(MINI) == []
    for path in sorted((MINI.parent.parent.parent / "scenarios").glob("*.yaml")):
        if not path.name.endswith(".test.yaml"):
            assert lint_messages(path) == [], path


def only(messages: list[str], pattern: str) -> str:
    """The one message matching ``pattern``; fails listing them all otherwise."""
    found = [m for m in messages if re.search(pattern, m)]
    assert len(found) == 1, messages
    return found[0]


def test_after_and_before_that_contradict(broken: Callable[[Edit], Path]) -> None:
    path = broken(lambda d: branch(d, "silence")["when"].update(after=50, before=30))
    message = only(lint_messages(path), "contradict")
    assert re.search(r"broken\.yaml, line \d+, field 'branches\[2\]\.when\.before': after: 50 and before: 30 contradict each other", message)


@pytest.mark.parametrize(
    ("when", "field", "text"),
    [
        ({"before": 0}, "before", "the game starts at minute 0"),
        ({"after": 90}, "after", "after: 90 is past the scenario's end"),
        ({"mood_below": -1}, "mood_below", "the mood is never below -1"),
        ({"mood_above": 1}, "mood_above", "the mood is never above 1"),
        ({"mood_above": 0.2, "mood_below": 0.1}, "mood_above", "contradict each other"),
        ({"did": "apology", "did_not": "apology"}, "did_not", "did: apology and did_not: apology contradict"),
        ({"did": "status_update", "post": "complaint"}, "did", "a status update goes to everyone, never to post 'complaint'"),
        ({"did": "empathy", "role": "ceo"}, "did", "escalations carry no words"),
        ({"did": "reply", "role": "ceo"}, "did", "only escalations go to a role"),
        ({"did": "reply", "channel": "phone"}, "did", "only taking a post offline has a channel"),
        ({"fired": "silence", "not_fired": "silence"}, "not_fired", "fired: silence and not_fired: silence contradict"),
        ({"in_order": [{"did": "apology", "role": "ceo"}, {"did": "reply"}]}, r"in_order\[0\]\.did", "this step can never happen"),
    ],
)
def test_conditions_that_can_never_hold(broken: Callable[[Edit], Path], when: dict, field: str, text: str) -> None:
    path = broken(lambda d: branch(d, "called-liar").update(when=when))
    message = only(lint_messages(path), re.escape(text))
    assert re.search(rf"line \d+, field 'branches\[0\]\.when\.{field}'", message)


def test_a_contradiction_inside_a_group_is_reported_where_it_is(broken: Callable[[Edit], Path]) -> None:
    when = {"any": [{"did": "accusation"}, {"after": 40, "before": 20}]}
    path = broken(lambda d: branch(d, "called-liar").update(when=when))
    messages = lint_messages(path)
    only(messages, r"field 'branches\[0\]\.when\.any\[1\]\.before'")
    assert not [m for m in messages if "can never fire" in m], "the other part of the 'any' can still hold"


def test_a_branch_that_waits_for_a_post_that_never_appears(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        branch(d, "apology-lands")["when"] = {"did": "apology", "before": 5, "post": "friend"}

    message = only(lint_messages(broken(edit)), "can never fire")
    assert "branch 'apology-lands' can never fire: post 'friend' appears at minute 10 at the earliest, too late for before: 5" in message
    assert "field 'branches[1].id'" in message


def test_a_branch_waiting_on_an_unreachable_branch(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        branch(d, "called-liar")["when"] = {"after": 70}
        branch(d, "silence")["when"] = {"fired": "called-liar"}

    messages = lint_messages(broken(edit))
    only(messages, "after: 70 is past the scenario's end")
    assert "branch 'silence' can never fire: it waits for branch 'called-liar', which never fires" in only(messages, "'silence' can never")


def test_a_flag_nothing_sets_to_true_blocks_a_branch(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        branch(d, "called-liar")["then"]["set"] = {"liar_called": False}
        branch(d, "silence")["when"] = {"flag": "liar_called"}

    message = only(lint_messages(broken(edit)), "'silence' can never fire")
    assert "it needs flag 'liar_called', and nothing that can happen sets it to true" in message


def test_a_flag_set_but_never_read_suggests_the_name_read_elsewhere(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        branch(d, "called-liar")["then"]["set"] = {"liar_caled": True, "liar_called": True}
        branch(d, "silence")["when"] = {"flag": "liar_called"}

    message = only(lint_messages(broken(edit)), "no condition reads")
    assert "field 'branches[0].then.set.liar_caled': no condition reads flag 'liar_caled' (did you mean 'liar_called'?)" in message


def test_posts_nobody_sees(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        d["posts"][1]["at"] = 60
        branch(d, "lawyer-up")["then"]["posts"] = [{"sentiment": "angry", "text": "Lawyers? Really?"}]
        branch(d, "apology-lands")["then"]["posts"][0]["at"] = 5

    messages = lint_messages(broken(edit))
    assert "post 'friend' appears at minute 60, when the scenario is over" in only(messages, r"field 'posts\[1\]\.at'")
    assert "the posts it adds are never seen" in only(messages, r"field 'branches\[3\]\.then\.posts'")
    assert "'at' is ignored here" in only(messages, r"field 'branches\[1\]\.then\.posts\[0\]\.at'")


def test_no_false_claims(broken: Callable[[Edit], Path]) -> None:
    messages = lint_messages(broken(lambda d: d.pop("false_claims")))
    assert "no false claims" in only(messages, "false claims")


def test_did_false_claim_without_false_claims_can_never_hold(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        d["false_claims"] = []
        branch(d, "called-liar")["when"] = {"did": "false_claim"}

    only(lint_messages(broken(edit)), r"field 'branches\[0\]\.when\.did': did: false_claim needs the scenario's false_claims")


def test_endings_nothing_reaches(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        d["branches"] = [b for b in d["branches"] if b["id"] != "lawyer-up"]
        d["endings"][1]["when"] = {"before": 30}

    messages = lint_messages(broken(edit))
    assert "ending 'meltdown' is never reached: it has no 'when' and is not last" in only(messages, r"'endings\[0\]\.id'")
    assert "endings are chosen when time runs out at minute 60, so before: 30 can never hold" in only(messages, r"'endings\[1\]\.when\.before'")
    only(messages, "ending 'recovered' is never reached")


def test_an_ending_that_always_holds_shadows_the_ones_after_it(broken: Callable[[Edit], Path]) -> None:
    path = broken(lambda d: d["endings"][1].update(when={"after": 10}))
    assert "ending 'recovered' before it always holds" in only(lint_messages(path), "'lingering' is never reached")


DECISION = {
    "id": "legal-asks",
    "prompt": "Legal asks: say the barista was provoked?",
    "deadline_minutes": 10,
    "default": "say-nothing",
    "options": [
        {"id": "admit", "label": "No: admit it", "mood": 0.1},
        {"id": "say-nothing", "label": "Say nothing"},
    ],
}


def test_a_decision_option_that_leads_nowhere(broken: Callable[[Edit], Path]) -> None:
    path = broken(lambda d: branch(d, "apology-lands")["then"].update(decide=copy.deepcopy(DECISION)))
    message = only(lint_messages(path), "leads nowhere")
    assert "field 'branches[1].then.decide.options[1].id': option 'say-nothing' leads nowhere" in message


def test_an_option_whose_flag_a_condition_reads_leads_somewhere(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        decision = copy.deepcopy(DECISION)
        decision["options"][1]["set"] = {"kept_quiet": True}
        branch(d, "apology-lands")["then"]["decide"] = decision
        branch(d, "silence")["when"] = {"flag": "kept_quiet"}

    assert not [m for m in lint_messages(broken(edit)) if "leads nowhere" in m]


def test_a_decision_whose_deadline_passes_after_the_end(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        decision = copy.deepcopy(DECISION)
        decision["deadline_minutes"] = 45
        branch(d, "silence")["then"]["decide"] = decision

    message = only(lint_messages(broken(edit)), "the default never applies")
    assert "decision 'legal-asks' opens at minute 30 at the earliest" in message and "the default never applies" in message


def test_validate_warns_and_strict_fails(broken: Callable[[Edit], Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = broken(lambda d: branch(d, "silence")["when"].update(after=50, before=30))
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err and "contradict each other" in captured.err
    assert "1 with warnings (--strict makes them errors)" in captured.out
    assert main(["validate", "--strict", str(path)]) == 1
    assert "error:" in capsys.readouterr().err


def test_strict_fails_a_scenario_that_does_not_discriminate(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        # An apology here is punished so hard that ideal play loses on honesty.
        branch(d, "apology-lands")["then"]["score"] = {"category": "honesty", "points": -90, "explain": "Apologised"}

    [check] = check_paths([broken(edit)], strict=True)
    assert [p.message for p in check.warnings if "does not discriminate" in p.message]
    assert check.failed(strict=True)


@pytest.mark.parametrize(
    ("when", "field", "text"),
    [
        ({"before": 90, "did": "accusation"}, "before", "before: 90 is past the scenario's end (minute 60) and changes nothing"),
        ({"post": "complaint"}, "post", "post: complaint only narrows did or did_not, and there is neither"),
        ({"did_not": "status_update", "post": "complaint"}, "did_not", "so did_not: status_update always holds"),
        ({"counter": {"calls": {"at_least": 3, "at_most": 1}}}, r"counter\.calls", "at_least: 3 is above at_most: 1"),
    ],
)
def test_dead_and_contradictory_parts_of_conditions(broken: Callable[[Edit], Path], when: dict, field: str, text: str) -> None:
    def edit(d: dict) -> None:
        branch(d, "called-liar")["when"] = when
        branch(d, "silence")["then"]["add"] = {"calls": 1}
        branch(d, "apology-lands")["when"] = {"did": "apology", "post": "complaint", "counter": {"calls": {"at_least": 1}}}

    message = only(lint_messages(broken(edit)), re.escape(text))
    assert re.search(rf"line \d+, field 'branches\[0\]\.when\.{field}'", message)


def test_branches_blocked_by_posts_counters_and_groups(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        branch(d, "apology-lands")["then"]["posts"][0]["id"] = "thanks"
        branch(d, "apology-lands")["when"] = {"did": "apology", "post": "complaint", "after": 70}
        branch(d, "apology-lands")["then"]["add"] = {"warnings": 1}
        branch(d, "silence")["when"] = {"unanswered": "thanks"}
        branch(d, "called-liar")["when"] = {"counter": {"warnings": {"at_least": 2}}}
        branch(d, "lawyer-up")["when"] = {"any": [{"flag": "never_set"}, {"fired": "called-liar"}]}
        branch(d, "lawyer-up")["then"]["set"] = {"never_set": False}
        d["endings"][1]["when"] = {"unanswered": "thanks"}

    messages = lint_messages(broken(edit))
    assert "it waits for post 'thanks', and only branch 'apology-lands' can add it, which never happens" in only(messages, "'silence' can never fire")
    assert "it needs counter 'warnings' to change, and nothing that can happen adds to it" in only(messages, "'called-liar' can never fire")
    assert "none of its 'any' conditions can hold" in only(messages, "'lawyer-up' can never fire")
    assert "ending 'recovered' is never reached: its 'when' never holds: it waits for post 'thanks'" in only(messages, "'recovered' is never reached")
    only(messages, "ending 'meltdown' is never reached")


def test_hints_and_decisions_nobody_sees(broken: Callable[[Edit], Path]) -> None:
    def edit(d: dict) -> None:
        branch(d, "lawyer-up")["hint"] = "Too late for this."
        branch(d, "lawyer-up")["then"]["decide"] = copy.deepcopy(DECISION)
        branch(d, "silence").update(hint="Answer Maya.", hint_after=40)

    messages = lint_messages(broken(edit))
    assert "branch 'lawyer-up' ends the scenario, so its hint is never shown" in only(messages, r"'branches\[3\]\.hint'")
    assert "decision 'legal-asks' is never answered" in only(messages, r"'branches\[3\]\.then\.decide'")
    assert "the hint shows 40 minutes after minute 30 at the earliest" in only(messages, r"'branches\[2\]\.hint_after'")
