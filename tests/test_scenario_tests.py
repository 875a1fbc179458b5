"""Scenario tests: every shipped ``*.test.yaml`` passes, and a broken test file or run says exactly what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_sim.authoring.scenario_tests import discover, load_tests, run_test_file
from crisis_sim.cli import main
from crisis_sim.engine.datafile import DataFileError

from .conftest import MINI

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.test.yaml")) + sorted((ROOT / "docs").rglob("*.test.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenario_tests_pass(path: Path) -> None:
    outcome = run_test_file(path)
    assert outcome.problems == []
    failures = [f"{r.name}: {failure}" for r in outcome.results for failure in r.failures]
    assert failures == []


def test_every_shipped_scenario_has_a_good_a_defensive_and_a_silent_run() -> None:
    scenarios = [p for p in sorted((ROOT / "scenarios").glob("*.yaml")) if not p.name.endswith(".test.yaml")]
    found = discover([ROOT / "scenarios"])
    assert found.untested == [] and found.errors == []
    assert len(found.test_files) == len(scenarios)
    for path in found.test_files:
        names = {run.name for run in load_tests(path).tests.runs}
        assert {"good", "defensive", "silent"} <= names, path


def write_tests(tmp_path: Path, body: str) -> Path:
    """A copy of mini.yaml and a ``mini.test.yaml`` beside it with ``body``."""
    (tmp_path / "mini.yaml").write_text(MINI.read_text())
    path = tmp_path / "mini.test.yaml"
    path.write_text(body)
    return path


APOLOGY = '{post: complaint, text: "Maya, I am so sorry. That is on us, and we will make you a fresh one."}'


def test_a_passing_run_and_its_scores(tmp_path: Path) -> None:
    path = write_tests(
        tmp_path,
        f"""
runs:
  - name: good
    seed: 2
    steps:
      - at: 2
        apology: {APOLOGY}
      - at: 3
        status_update: {{text: "We got Maya's order wrong this morning and we're sorry. Fresh coffee for her, and a word with our team."}}
      - at: 12
        apology: {{post: friend, text: "Sam, I'm sorry that happened to you too. That's not okay, and it's on us."}}
    expect:
      ending: recovered
      fired: [apology-lands]
      not_fired: [silence]
      scores: {{honesty: {{min: 55}}}}
      beats: [silent]
  - name: silent
    expect: {{ending: lingering, fired: [silence]}}
""",
    )
    outcome = run_test_file(path)
    assert [r.failures for r in outcome.results] == [[], []]
    good = outcome.results[0]
    assert good.ending == "recovered" and good.scores()["honesty"] >= 55


def test_each_unmet_expectation_is_named(tmp_path: Path) -> None:
    path = write_tests(
        tmp_path,
        """
runs:
  - name: silent
    expect:
      ending: recovered
      fired: [apology-lands]
      not_fired: [silence]
      scores: {speed: {min: 90}}
  - name: also-silent
    seed: 3
    expect: {beats: [silent]}
""",
    )
    silent, also = run_test_file(path).results
    assert silent.failures[0].startswith("ended with 'lingering' at minute 60, expected 'recovered'")
    assert "branch 'apology-lands' did not fire (fired: silence)" in silent.failures
    assert "branch 'silence' fired, expected it not to" in silent.failures
    assert any(f.startswith("speed ") and f.endswith("is outside 90 to 100") for f in silent.failures)
    assert any(f.startswith("does not beat 'silent' on speed") for f in also.failures)


def test_a_step_the_game_refuses_fails_the_run_with_the_reason(tmp_path: Path) -> None:
    path = write_tests(
        tmp_path,
        """
runs:
  - name: early
    steps:
      - at: 2
        reply: {post: friend, text: "Sam, sorry to hear it."}
  - name: too-late
    steps:
      - at: 1
        escalate: {post: complaint, role: legal}
      - at: 5
        reply: {post: complaint, text: "Maya, sorry."}
""",
    )
    early, late = run_test_file(path).results
    assert early.failures == ["minute 2: reply to 'friend': There is no post 'friend' in the feed."]
    assert late.failures == ["minute 5: reply to 'complaint': the scenario already ended at minute 1 ('meltdown')"]


def test_unknown_ids_get_a_did_you_mean_with_line_and_field(tmp_path: Path) -> None:
    path = write_tests(
        tmp_path,
        """
runs:
  - name: typo
    steps:
      - at: 2
        reply: {post: complain, text: "Maya, sorry."}
    expect:
      ending: recoverd
      fired: [apology-land]
""",
    )
    problems = run_test_file(path).problems
    assert problems == [
        f"{path}, line 6, field 'runs[0].steps[0].reply.post': no post with id 'complain' (did you mean 'complaint'?)",
        f"{path}, line 8, field 'runs[0].expect.ending': no ending with id 'recoverd' (did you mean 'recovered'?)",
        f"{path}, line 9, field 'runs[0].expect.fired[0]': no branch with id 'apology-land' (did you mean 'apology-lands'?)",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("runs:\n  - name: x\n    steps:\n      - at: 2\n", "give exactly one action"),
        ("runs:\n  - name: x\n    steps:\n      - at: 2\n        reply: {post: complaint}\n        hide: {post: complaint}\n", "found 2"),
        ("runs:\n  - name: x\n    expect: {scores: {honesty: {min: 80, max: 20}}}\n", "min 80 is above max 20"),
        ("runs:\n  - name: x\n    expect: {scores: {kindness: {min: 1}}}\n", "kindness"),
        ("runs:\n  - name: x\n  - name: x\n", "duplicate run name 'x'"),
        ("runs:\n  - name: good\n    expect: {beats: [godo]}\n", "no run with id 'godo'"),
        ("runs: []\n", "at least 1 item"),
        ("scenario: nowhere.yaml\nruns:\n  - name: x\n", "no scenario file"),
    ],
)
def test_broken_test_files_are_load_errors(tmp_path: Path, body: str, message: str) -> None:
    path = write_tests(tmp_path, body)
    with pytest.raises(DataFileError) as raised:
        load_tests(path)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_a_decision_step_answers_the_decision(tmp_path: Path) -> None:
    scenario = MINI.read_text().replace(
        "      message: The post is trending locally.\n",
        "      message: The post is trending locally.\n"
        "      decide:\n"
        "        id: comp\n"
        "        prompt: Offer Maya free coffee for a month?\n"
        "        default: decline\n"
        "        options:\n"
        "          - {id: offer, label: 'Yes', mood: 0.3, set: {comped: true}}\n"
        "          - {id: decline, label: 'No', mood: -0.1}\n",
    )
    scenario = scenario.replace("endings:\n", "  - id: comped\n    when: {flag: comped}\n    then: {message: Maya tells everyone.}\nendings:\n")
    (tmp_path / "mini.yaml").write_text(scenario)
    path = tmp_path / "mini.test.yaml"
    path.write_text(
        "runs:\n  - name: comp\n    steps:\n      - at: 31\n        decide: {decision: comp, choice: offer}\n    expect: {fired: [comped]}\n"
        "  - name: typo\n    steps:\n      - at: 31\n        decide: {decision: comp, choice: ofer}\n"
    )
    outcome = run_test_file(path)
    assert outcome.problems == [f"{path}, line 10, field 'runs[1].steps[0].decide.choice': no option with id 'ofer' (did you mean 'offer'?)"]
    path.write_text(path.read_text().replace("choice: ofer", "choice: decline"))
    offered, declined = run_test_file(path).results
    assert offered.passed and declined.passed


def test_the_test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tests(tmp_path, "runs:\n  - name: silent\n    expect: {ending: recovered}\n")
    (tmp_path / "untested.yaml").write_text(MINI.read_text().replace("id: mini", "id: other"))
    assert main(["test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL silent (seed 0)" in out and "expected 'recovered'" in out
    assert "untested.yaml has no untested.test.yaml" in out
    assert "1 failed" in out
    assert main(["test", str(tmp_path / "untested.yaml")]) == 1
    assert "no scenario tests" in capsys.readouterr().err
    assert main(["test", str(tmp_path / "missing")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["test", str(ROOT / "scenarios")]) == 0
    assert "all passed" in capsys.readouterr().out
