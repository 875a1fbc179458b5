"""Scenario files: good ones load, broken ones name the file, line and field."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from crisis_sim.engine import DataFileError, ReplyContext, Sentiment, load_rules, load_scenario, load_scenarios, read_reply
from crisis_sim.engine.datafile import MAX_FILE_BYTES, load_model
from crisis_sim.engine.rules import DEFAULT_RULES_PATH, Rules

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
    assert message == "no ending with id 'meltdwon'; did you mean 'meltdown'?"
    assert line == 63


def test_unknown_signal_lists_the_known_ones(edited_mini) -> None:
    path = edited_mini("did: accusation", "did: insult")
    [(line, field, message)] = problems_of(path)
    assert (line, field) == (38, "branches[0].when.did")
    assert "unknown action or signal 'insult'" in message and "accusation" in message


def test_unknown_post_reference(edited_mini) -> None:
    path = edited_mini("unanswered: complaint", "unanswered: complain")
    [(_, field, message)] = problems_of(path)
    assert (field, message) == ("branches[2].when.unanswered", "no post with id 'complain'; did you mean 'complaint'?")


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


# --- hostile and broken files ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("heat: 1.5", "heat: .inf", "posts[0].heat", "finite number"),
        ("heat: 1.5", "heat: .nan", "posts[0].heat", "finite number"),
        ("heat: 1.5", "heat: 1e308", "posts[0].heat", "less than or equal to 100"),
        ("followers: 5200", "followers: " + "9" * 400, "posts[0].followers", "less than or equal to 10000000000"),
        ("at: 10", "at: 99999999999999999999999", "posts[1].at", "less than or equal to 1440"),
        ("mood: -0.3", "mood: .nan", "branches[0].then.mood", "finite number"),
        ("points: -10", "points: 99999999999999999999999", "branches[0].then.score.points", "less than or equal to 1000"),
        ("initial_mood: -0.2", "initial_mood: -.inf", "initial_mood", "finite number"),
        ("title: Cold Coffee", 'title: "Cold \\e]0;pwned\\a Coffee"', "title", "control character U+001B"),
        ('"{brand} laughed', '"\\x9b31m{brand} laughed', "templates.angry", "control character U+009B"),
    ],
)
def test_numbers_out_of_range_and_control_characters_are_refused(edited_mini, old, new, field, message) -> None:
    [(line, found_field, found_message)] = problems_of(edited_mini(old, new))
    assert line is not None and found_field == field and message in found_message


def test_a_number_too_long_for_python_names_its_line(edited_mini) -> None:
    [(line, field, message)] = problems_of(edited_mini("followers: 5200", "followers: " + "9" * 5000))
    assert (line, field) == (26, "") and "more than 1000 digits" in message


def test_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    for name, text in (
        ("flow.yaml", "id: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("block.yaml", "".join(" " * depth + f"k{depth}:\n" for depth in range(200)) + " " * 200 + "x\n"),
    ):
        path = tmp_path / name
        path.write_text(text)
        [(line, _, message)] = problems_of(path)
        assert line is not None and ("nested more than" in message or "nesting depth" in message)


def test_an_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    [(_, _, message)] = problems_of(path)
    assert "alias" in message and time.perf_counter() - started < 2


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    [(_, _, message)] = problems_of(path)
    assert "larger than 5 MB" in message


def test_the_folder_skips_and_reports_what_is_not_a_regular_file(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "a-good.yaml")
    os.mkfifo(tmp_path / "b-fifo.yaml")
    (tmp_path / "c-folder.yaml").mkdir()
    (tmp_path / "d-broken-link.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "e-deep.yaml").write_text("id: " + "[" * 100 + "]" * 100 + "\n")
    scenarios, errors = load_scenarios(tmp_path)
    assert [s.id for s in scenarios] == ["mini"]
    reasons = {e.path.name: str(e) for e in errors}
    assert "a FIFO" in reasons["b-fifo.yaml"] and "a folder" in reasons["c-folder.yaml"]
    assert "broken symbolic link" in reasons["d-broken-link.yaml"] and "nested more than" in reasons["e-deep.yaml"]


def rules_problems(tmp_path: Path, old: str, new: str) -> list[tuple[int | None, str, str]]:
    text = DEFAULT_RULES_PATH.read_text()
    assert old in text, old
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataFileError) as caught:
        load_rules(path)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('    deny:\n      - "{we} (followed', '    deny: []\n    unused:\n      - "{we} (followed', "reading.phrases.deny", "at least 1 item"),
        ('      - "followed .. (procedure*|protocol*|policy)"', '      - "*"', "reading.phrases.deny[1]", "would match every reply"),
        ('      - "followed .. (procedure*|protocol*|policy)"', '      - "  "', "reading.phrases.deny[1]", "would match every reply"),
        ("at minute {minute}: inside {fast", "at minute {minute: inside {fast", "scoring.rules.first_response_fast.explain", "not a valid text"),
        ("at minute {minute}: inside {fast", "at minute {minutes}: inside {fast", "scoring.rules.first_response_fast.explain", "unknown placeholder {minutes}"),
        ("at minute {minute}: inside {fast", "at minute {minute:>99999999}: inside {fast", "scoring.rules.first_response_fast.explain", "unknown placeholder {minute:>99999999}"),
        ("at minute {minute}: inside {fast", "at {handle.__class__}: inside {fast", "scoring.rules.first_response_fast.explain", "unknown placeholder"),
        ("speed: 0.35", "speed: .nan", "scoring.weights.speed", "finite number"),
        ("  offline: 0.35", "  offline: .inf", "reaction.offline", "finite number"),
        ("  denial: -0.2", "  denial: -7", "reaction.denial", "greater than or equal to -1"),
        ("points: 20, explain", "points: 99999999999999999999999, explain", "scoring.rules.first_response_fast.points", "less than or equal to 1000"),
        ("high_reach: 3000", "high_reach: 1e400", "scoring.thresholds.high_reach", ""),
    ],
)
def test_rules_refuse_empty_phrases_bad_explain_texts_and_wild_numbers(tmp_path: Path, old, new, field, message) -> None:
    [(line, found_field, found_message)] = rules_problems(tmp_path, old, new)
    assert line is not None and found_field == field and message in found_message


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
