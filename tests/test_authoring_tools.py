"""simulate, graph, new and scenario packs, through their functions and the command line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from crisis_sim.authoring.graph import build_graph, describe, outline, to_dot, to_mermaid
from crisis_sim.authoring.packs import load_library, scenario_folders
from crisis_sim.authoring.simulate import Policy, discrimination_failures, play, simulate
from crisis_sim.authoring.starter import StarterError, write_starter
from crisis_sim.cli import main
from crisis_sim.config import SCENARIOS_ENV, builtin_scenario_dir
from crisis_sim.engine import Scenario, load_scenario
from crisis_sim.engine.scenario import Condition

from .conftest import MINI

ROOT = Path(__file__).resolve().parent.parent
AIRLINE = ROOT / "scenarios" / "airline-passenger-removal.yaml"


# --- simulate ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [AIRLINE, ROOT / "scenarios" / "consignment-store-feud.yaml", MINI], ids=lambda p: p.stem)
def test_ideal_play_beats_defensive_and_silent_play_on_every_category(path: Path) -> None:
    results = simulate(load_scenario(path), [Policy.IDEAL, Policy.DEFENSIVE, Policy.SILENT], runs=2, seed=5)
    assert discrimination_failures(results) == []


def test_bots_are_reproducible_and_the_random_bot_acts(mini: Scenario) -> None:
    first, again = play(mini, Policy.RANDOM, 9), play(mini, Policy.RANDOM, 9)
    assert first.commands == again.commands and first.commands
    assert play(mini, Policy.SILENT, 1).commands == []
    ideal = play(mini, Policy.IDEAL, 1)
    assert {command.action.value for _, command in ideal.commands} >= {"apology", "offline", "status_update"}


def test_simulate_command_prints_the_spread_and_endings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(MINI), "--runs", "2", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    for policy in Policy:
        assert policy.value in out
    assert "min/median/max" in out and "discriminates:" in out
    assert "lingering" in out or "recovered" in out


def test_simulate_one_policy_and_an_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(MINI), "--policy", "silent", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "silent" in out and "ideal" not in out
    assert main(["simulate", "airline-pasenger-removal"]) == 1
    assert "did you mean 'airline-passenger-removal'?" in capsys.readouterr().err


# --- graph --------------------------------------------------------------------------------


def test_describe_conditions_in_words() -> None:
    condition = Condition.model_validate(
        {"after": 5, "did": "apology", "post": "video", "any": [{"flag": "sorry"}, {"counter": {"calls": {"at_least": 2}}}], "not": {"fired": "leak"}}
    )
    assert describe(condition) == "after 5, did apology on 'video', (flag sorry or calls at least 2), not ('leak' fired)"
    assert describe(Condition()) == "always" and describe(None) == "otherwise"


def test_graph_edges_carry_conditions_and_effects() -> None:
    graph = build_graph(load_scenario(AIRLINE))
    edges = {(e.source, e.target): e.label for e in graph.edges}
    assert edges[("start", "branch:video-apology")] == "did apology on 'video', did not non_apology on 'video'"
    assert edges[("branch:memo-leaks", "branch:ceo-retracts")] == "did escalate on 'memo' to ceo", "the memo post comes from memo-leaks"
    assert edges[("branch:meltdown", "ending:grounded")] == "ends"
    assert edges[("timeout", "ending:scarred")] == "otherwise"
    assert ("timeout", "ending:grounded") not in edges, "grounded is only reached through a branch"


def test_mermaid_and_dot_escape_scenario_text(tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(MINI.read_text().replace("title: Lawyered up", 'title: "Lawyered \\"up\\" <b>#1</b> [red]x[/]"'))
    graph = build_graph(load_scenario(path))
    mermaid, dot = to_mermaid(graph), to_dot(graph, "mini")
    assert "#34;up#34; #60;b#62;#35;1" in mermaid and '"up"' not in mermaid
    assert 'label="meltdown: Lawyered \\"up\\" <b>#1</b> [red]x[/]"' in dot
    assert mermaid.startswith("flowchart TD\n") and dot.startswith('digraph "mini" {')


def test_graph_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(MINI)]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD")
    assert main(["graph", "mini", "--format", "dot"]) == 1, "mini is not in the library"
    assert main(["--scenarios", str(MINI.parent), "graph", "mini", "--format", "dot"]) == 0
    assert "digraph" in capsys.readouterr().out


def test_outline_has_posts_branches_decisions_and_endings(tmp_path: Path) -> None:
    starter = write_starter("late-parcel", tmp_path)
    tree = outline(load_scenario(starter.scenario))
    posts, branches, endings = tree.children
    assert posts.children[0].label.startswith("minute 0: Jo Park (angry) [complaint]")
    assert posts.children[0].children[1].label.startswith("model reply: Jo, I'm so sorry")
    called = next(b for b in branches.children if b.label.startswith("called-jo"))
    decision = next(line for line in called.children if line.kind == "decision")
    assert [o.label for o in decision.children] == ["courier: Yes, courier it today", "wait: No, it goes with tomorrow's round (default)"]
    assert endings.children[0].children[0].label == "only when a branch ends with it"


# --- new ---------------------------------------------------------------------------------


def test_the_starter_passes_strict_validate_and_its_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "late-parcel", "--dir", str(tmp_path)]) == 0
    scenario = tmp_path / "late-parcel.yaml"
    assert scenario.read_text().startswith("# yaml-language-server: $schema=")
    schema_ref = scenario.read_text().splitlines()[0].split("$schema=")[1]
    assert (tmp_path / schema_ref).resolve().is_file(), "the schema line points at the installed schema"
    assert load_scenario(scenario).id == "late-parcel"
    assert main(["validate", "--strict", str(tmp_path)]) == 0
    assert main(["test", str(scenario)]) == 0
    assert "all passed" in capsys.readouterr().out


def test_new_refuses_to_overwrite_and_bad_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken.test.yaml").write_text("keep me")
    with pytest.raises(StarterError, match="already exists"):
        write_starter("taken", tmp_path)
    assert (tmp_path / "taken.test.yaml").read_text() == "keep me" and not (tmp_path / "taken.yaml").exists()
    assert main(["new", "Not OK", "--dir", str(tmp_path)]) == 1
    assert "is not a scenario id" in capsys.readouterr().err


# --- packs ---------------------------------------------------------------------------------


def test_folders_come_from_the_builtin_folder_the_command_line_and_the_environment(tmp_path: Path) -> None:
    one, two, three = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    environ = {SCENARIOS_ENV: os.pathsep.join([str(two), "", str(three), str(one)])}
    assert scenario_folders([one], environ) == [builtin_scenario_dir(), one, two, three]
    assert scenario_folders([], {}) == [builtin_scenario_dir()]


def test_a_broken_file_in_a_pack_is_reported_and_the_rest_load(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(MINI, pack / "mini.yaml")
    (pack / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    (pack / "mini.test.yaml").write_text("runs:\n  - name: silent\n")
    (pack / "copy.yaml").write_text(MINI.read_text())
    library = load_library([builtin_scenario_dir(), pack, tmp_path / "missing"])
    assert {s.id for s in library.scenarios} == {"airline-passenger-removal", "consignment-store-feud", "mini"}
    messages = [str(error) for error in library.errors]
    assert any("broken.yaml, line" in m and "invalid YAML" in m for m in messages)
    assert any("copy.yaml" in m and "id 'mini' is also used by" in m for m in messages)
    assert any("missing" in m and "scenario folder does not exist" in m for m in messages)
    assert not any("mini.test.yaml" in m for m in messages), "scenario tests are not scenarios"


def test_scenarios_command_lists_every_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(MINI, pack / "mini.yaml")
    other = tmp_path / "other"
    other.mkdir()
    (other / "dupe.yaml").write_text(MINI.read_text())
    monkeypatch.setenv(SCENARIOS_ENV, str(other))
    assert main(["--scenarios", str(pack), "scenarios"]) == 0
    captured = capsys.readouterr()
    assert "mini" in captured.out and "airline-passenger-removal" in captured.out
    assert "dupe.yaml" in captured.err and "also used by" in captured.err
