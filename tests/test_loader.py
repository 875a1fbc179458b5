"""Scenario files: good ones load, broken ones name the file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crisis_sim.engine import DataFileError, ReplyContext, Sentiment, load_rules, load_scenario, load_scenarios, read_reply
from crisis_sim.engine.datafile import load_model
from crisis_sim.engine.rules import Rules

from .conftest import MINI


def problems_of(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(DataFileError) as caught:
        load_scenario(path)
    assert caught.value.path == path
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def test_good_file_loads_every_part() -> None:
    scenario = load_scenario(MINI)
    assert scenario.id == "mini"
    assert scenario.brand.at_fault is True
    assert scenario.posts[0].sentiment is Sentiment.ANGRY
    assert scenario.posts[1].at == 10
    assert [b.id for b in scenario.branches] == ["called-liar", "apology-lands", "silence", "lawyer-up"]
    assert scenario.endings[-1].when is None
    assert scenario.false_claims == ["nobody laughed"]


def test_yaml_syntax_error_names_the_line(edited_mini) -> None:
    path = edited_mini("duration_minutes: 60", "duration_minutes: [60")
    [(line, field, message)] = problems_of(path)
    assert line is not None and 11 <= line <= 13
    assert field == ""
    assert message.startswith("invalid YAML")


def test_wrong_value_names_field_and_line(edited_mini) -> None:
    path = edited_mini("sentiment: negative", "sentiment: furious")
    [(line, field, message)] = problems_of(path)
    assert (line, field) == (34, "posts[1].sentiment")
    assert "'angry', 'negative', 'neutral' or 'positive'" in message


def test_missing_field_points_at_its_parent(edited_mini) -> None:
    path = edited_mini("  at_fault: true\n", "")
    [(line, field, message)] = problems_of(path)
    assert (line, field, message) == (6, "brand.at_fault", "Field required")


def test_misspelt_field_is_reported(edited_mini) -> None:
    path = edited_mini("    heat: 1.5", "    heet: 1.5")
    [(line, field, message)] = problems_of(path)
    assert (line, field) == (29, "posts[0].heet")
    assert "not permitted" in message


def test_every_problem_is_listed(edited_mini, tmp_path: Path) -> None:
    text = MINI.read_text().replace("followers: 5200", "followers: -3", 1).replace("at: 10", "at: soon")
    path = tmp_path / "two.yaml"
    path.write_text(text)
    fields = [field for _, field, _ in problems_of(path)]
    assert fields == ["posts[0].followers", "posts[1].at"]


def test_reference_to_unknown_ending(edited_mini) -> None:
    path = edited_mini("end: meltdown", "end: meltdwon")
    [(line, field, message)] = problems_of(path)
    assert field == "branches[3].then.end"
    assert message == "no ending with id 'meltdwon'"
    assert line == 63


def test_unknown_signal_lists_the_known_ones(edited_mini) -> None:
    path = edited_mini("did: accusation", "did: insult")
    [(line, field, message)] = problems_of(path)
    assert (line, field) == (38, "branches[0].when.did")
    assert "unknown action or signal 'insult'" in message and "accusation" in message


def test_unknown_post_reference(edited_mini) -> None:
    path = edited_mini("unanswered: complaint", "unanswered: complain")
    [(_, field, message)] = problems_of(path)
    assert (field, message) == ("branches[2].when.unanswered", "no post with id 'complain'")


def test_duplicate_ids(edited_mini) -> None:
    path = edited_mini("id: silence", "id: called-liar")
    [(line, field, message)] = problems_of(path)
    assert (line, field, message) == (55, "branches[2].id", "duplicate id 'called-liar'")


def test_fallback_ending_must_be_unconditional(edited_mini) -> None:
    path = edited_mini("    text: People still talk about it.", "    text: People still talk about it.\n    when: {after: 5}")
    [(_, field, message)] = problems_of(path)
    assert field == "endings[2].when"
    assert "fallback" in message


def test_unknown_template_placeholder(edited_mini) -> None:
    path = edited_mini("Shame.", "Shame, {name}.")
    [(line, field, message)] = problems_of(path)
    assert (line, field) == (19, "templates.negative[0]")
    assert "unknown placeholder {name}" in message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n")
    assert problems_of(path) == [(1, "", "expected a mapping of fields at the top level")]


def test_missing_file(tmp_path: Path) -> None:
    [(line, _, message)] = problems_of(tmp_path / "nope.yaml")
    assert line is None and message.startswith("cannot read file")


def test_error_text_reads_file_line_field(edited_mini) -> None:
    path = edited_mini("sentiment: negative", "sentiment: furious")
    with pytest.raises(DataFileError) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}, line 34, field 'posts[1].sentiment': Input should be")


def test_folder_loading_keeps_going_past_broken_files(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "a-good.yaml")
    (tmp_path / "b-broken.yaml").write_text("id: [unclosed\n")
    shutil.copy(MINI, tmp_path / "c-same-id.yaml")
    scenarios, errors = load_scenarios(tmp_path)
    assert [s.id for s in scenarios] == ["mini"]
    assert [e.path.name for e in errors] == ["b-broken.yaml", "c-same-id.yaml"]
    assert "also used by" in str(errors[1])


def test_missing_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    scenarios, [error] = load_scenarios(tmp_path / "missing")
    assert scenarios == []
    assert "does not exist" in str(error)


def test_built_in_rules_load() -> None:
    rules = load_rules()
    reading = read_reply("We're so sorry, Maya. This is our fault.", ReplyContext(author="Maya Lopez"), rules)
    assert reading.signals >= {"apology", "ownership"}


def test_broken_rules_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(Path(load_rules.__defaults__[0]).read_text().replace("    regret:\n", "    regrett:\n", 1))
    with pytest.raises(DataFileError) as caught:
        load_model(path, Rules)
    found = {(p.field, p.message.split(";")[0]) for p in caught.value.problems}
    assert ("reading.phrases.regrett", "unknown phrase set") in found
    assert ("reading.phrases", "missing phrase set 'regret'") in found


def test_a_phrase_that_does_not_compile_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(Path(load_rules.__defaults__[0]).read_text().replace('      - "(forgive us|please forgive|forgive me)"', '      - "(forgive {whom}"', 1))
    with pytest.raises(DataFileError) as caught:
        load_model(path, Rules)
    [problem] = caught.value.problems
    assert problem.field.startswith("reading.phrases.regret[")
    assert "unbalanced (" in problem.message


def test_branch_post_cannot_reuse_a_scripted_id(edited_mini) -> None:
    path = edited_mini("        - author: Maya Lopez\n", "        - id: friend\n          author: Maya Lopez\n")
    [(_, field, message)] = problems_of(path)
    assert (field, message) == ("branches[1].then.posts[0].id", "duplicate id 'friend'")


def test_a_scenario_may_list_promises_it_cannot_keep(edited_mini) -> None:
    path = edited_mini("false_claims:\n", "impossible_promises:\n  - free coffee for life\nfalse_claims:\n")
    scenario = load_scenario(path)
    assert scenario.impossible_promises == ["free coffee for life"]
    assert load_scenario(MINI).impossible_promises == []


@pytest.mark.parametrize("phrase", ["...", "(a|)", "(a|) .."])
def test_a_phrase_that_would_match_every_reply_is_refused(tmp_path: Path, phrase: str) -> None:
    path = tmp_path / "rules.yaml"
    text = Path(load_rules.__defaults__[0]).read_text()
    path.write_text(text.replace('      - "nothing to apologi*"', f'      - "{phrase}"', 1))
    with pytest.raises(DataFileError) as caught:
        load_model(path, Rules)
    [problem] = caught.value.problems
    assert problem.field.startswith("reading.phrases.deny[") and "would match every reply" in problem.message
