"""Property tests: whatever goes in (files, option values, replies), out comes a clear error or a normal result.

Never a traceback, never a hang. Examples per test come from the hypothesis
profile in conftest.py (``--hypothesis-profile thorough`` for a long run).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from crisis_sim.cli import build_parser, main
from crisis_sim.engine import Action, Channel, Command, DataFileError, ResponseError, Role, Session, load_rules, load_scenario
from crisis_sim.engine.datafile import Loader
from crisis_sim.engine.fastyaml import Unusual, build
from crisis_sim.engine.rules import DEFAULT_RULES_PATH
from crisis_sim.safe_text import CONTROL_CHARACTER, clean
from crisis_sim.scoreboard import Result, Scoreboard

from .conftest import MINI

SECONDS_PER_CASE = 5.0

HOSTILE_TEXT = st.sampled_from(
    ["[/]", "[red]x[/]", "[link=http://evil]x[/link]", "\x1b]0;pwned\x07", "\x1b[2J", "{minute", "{0.__class__}",
     "}", "%s%n", "\u202eevil", "שלום", "😀" * 50, "\x00", "\r\n", "a" * 10_000, "*", ""]
)  # fmt: skip
TEXT = st.one_of(st.text(), HOSTILE_TEXT)
NUMBER = st.one_of(
    st.integers(), st.integers(min_value=10**18, max_value=10**400), st.floats(allow_nan=True, allow_infinity=True)
)
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, TEXT)
DOCUMENT = st.recursive(
    SCALAR, lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4), max_leaves=30
)


def quickly(check) -> None:
    """Run ``check`` and fail if it takes long enough to look like a hang."""
    started = time.perf_counter()
    check()
    assert time.perf_counter() - started < SECONDS_PER_CASE


def loads_or_explains(path: Path, load) -> None:
    """``load(path)`` gives a model or a DataFileError whose every problem names the file."""
    try:
        load(path)
    except DataFileError as error:
        assert error.problems and all(str(path) in line for line in str(error).splitlines() if line)


def write(text: str) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@given(st.text())
@example("a: &a [*a]")
@example("id: !!python/object:os.system {}")
@example("? [1, 2]\n: x")
@example("id: " + "9" * 5000)
def test_any_text_as_a_scenario_file(text: str) -> None:
    quickly(lambda: loads_or_explains(write(text), load_scenario))


@given(DOCUMENT)
def test_any_document_as_a_scenario_file(document: object) -> None:
    quickly(lambda: loads_or_explains(write(yaml.safe_dump(document, allow_unicode=True)), load_scenario))


MINI_DATA = yaml.safe_load(MINI.read_text())
SCENARIO_FIELDS = [
    ("title",), ("brand", "name"), ("brand", "at_fault"), ("duration_minutes",), ("initial_mood",), ("crowd_rate",),
    ("templates", "angry"), ("posts", 0, "heat"), ("posts", 0, "followers"), ("posts", 0, "text"), ("posts", 1, "at"),
    ("branches", 0, "then", "mood"), ("branches", 0, "then", "score", "points"), ("branches", 0, "when", "did"),
    ("branches", 2, "when", "after"), ("endings", 0, "title"), ("cities",),
]  # fmt: skip


def replaced(data: object, location: tuple, value: object) -> object:
    """A copy of ``data`` with the value at ``location`` replaced."""
    if not location:
        return value
    head, *rest = location
    if isinstance(data, dict):
        return {**data, head: replaced(data.get(head), tuple(rest), value)}
    copy = list(data)  # type: ignore[arg-type]
    copy[head] = replaced(copy[head], tuple(rest), value)
    return copy


@given(st.sampled_from(SCENARIO_FIELDS), DOCUMENT)
def test_any_value_in_any_scenario_field(location: tuple, value: object) -> None:
    text = yaml.safe_dump(replaced(MINI_DATA, location, value), allow_unicode=True)
    quickly(lambda: loads_or_explains(write(text), load_scenario))


RULES_DATA = yaml.safe_load(DEFAULT_RULES_PATH.read_text())
RULES_FIELDS = [
    ("reading", "phrases", "deny"), ("reading", "phrases", "regret", 0), ("reading", "reasons", "named_them", "points"),
    ("reading", "reasons", "named_them", "explain"), ("reading", "advice", "name_them"), ("reading", "caps", "hostile_empathy"),
    ("reaction", "offline"), ("scoring", "base"), ("scoring", "weights", "speed"), ("scoring", "thresholds", "high_reach"),
    ("scoring", "thresholds", "fast_minutes"), ("scoring", "rules", "hid_post", "explain"), ("scoring", "rules", "hid_post", "points"),
    ("scoring", "rules", "high_reach_late", "cap"),
]  # fmt: skip


@given(st.sampled_from(RULES_FIELDS), DOCUMENT)
@example(("reading", "phrases", "deny"), [])
@example(("reading", "phrases", "deny"), ["*"])
@example(("scoring", "rules", "hid_post", "explain"), "{minute")
@example(("reading", "advice", "name_them"), "{name.__class__}")
@example(("reaction", "offline"), float("nan"))
def test_any_value_in_any_rules_field(location: tuple, value: object) -> None:
    text = yaml.safe_dump(replaced(RULES_DATA, location, value), allow_unicode=True)
    quickly(lambda: loads_or_explains(write(text), load_rules))


@given(st.sampled_from(["--speed", "--seed"]), st.one_of(st.text(), st.sampled_from(["nan", "-inf", "1e308", "1e-300", "9" * 5000, "0x10", " 2 "])))
def test_any_option_value_is_accepted_or_refused_clearly(option: str, value: str) -> None:
    try:
        build_parser().parse_args(["play", f"{option}={value}"])
    except SystemExit as exited:
        assert exited.code == 2


@given(st.one_of(st.text(), st.integers().map(str)), TEXT)
def test_history_and_scores_with_any_values(tmp_path_factory: pytest.TempPathFactory, result: str, player: str) -> None:
    db = tmp_path_factory.mktemp("board") / "b.db"
    for argv in (["--db", str(db), "history", f"--player={player}"], ["--db", str(db), "scores", f"--scenario={player}"]):
        assert main(argv) == 0
    try:
        assert main(["--db", str(db), "history", "--", result]) in (0, 2)
    except SystemExit as exited:
        assert exited.code == 2


MINI_SCENARIO = load_scenario(MINI)
ACTIONS_WITH_TEXT = [Action.REPLY, Action.APOLOGY, Action.STATUS_UPDATE, Action.OFFLINE, Action.HOLD_STATEMENT]


@given(st.sampled_from(ACTIONS_WITH_TEXT), st.one_of(st.text(max_size=10_000), HOSTILE_TEXT, st.text(min_size=5000, max_size=10_000)))
@example(Action.REPLY, "שלום, we're sorry \u202e 😀 [/] \x1b]0;x\x07")
def test_any_reply_text_gives_a_response_or_a_clear_refusal(action: Action, text: str) -> None:
    session = Session(MINI_SCENARIO, seed=1)
    post = None if action.is_broadcast else "complaint"
    try:
        response = session.respond(Command(action, post, text, channel=Channel.DM, role=Role.LEGAL))
    except ResponseError as error:
        assert str(error)
        return
    assert response.text == clean(text).strip() or (action is Action.HOLD_STATEMENT and not clean(text).strip())
    assert not CONTROL_CHARACTER.search(response.text.replace("\n", "").replace("\t", ""))


@given(st.lists(st.text(max_size=2000), min_size=1, max_size=3), TEXT)
def test_any_replies_are_scored_saved_and_read_back(tmp_path_factory: pytest.TempPathFactory, replies: list[str], name: str) -> None:
    session = Session(MINI_SCENARIO, seed=3)
    for reply in replies:
        with contextlib.suppress(ResponseError):  # a blank reply is refused; the run goes on
            session.respond(Command(Action.REPLY, "complaint", reply))
        session.advance(5)
    session.finish()
    board = Scoreboard(tmp_path_factory.mktemp("board") / "b.db")
    saved = board.result(board.record(Result.of(session, name, name)))
    assert saved is not None and saved.player == (clean(name).strip() or "anonymous")


@given(st.text())
def test_clean_leaves_nothing_that_drives_a_terminal(text: str) -> None:
    shown = clean(text)
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert clean(shown) == shown



YAML_FEATURES = st.sampled_from(
    ["a: &x [1, 2]\nb: *x\n", "<<: {a: 1}\nb: 2\n", "? [1]\n: x\n", "!!set {a, b}\n", "a: !!str 1\nb: !!float 2\n",
     "a: 2001-12-14t21:59:43.10-05:00\nb: 0x1F\nc: 0o17\nd: 1_000\ne: .NaN\nf: ~\ng: yes\nh: !!binary aGk=\n",
     "--- 1\n--- 2\n", "a: &x {b: *x}\n", "", "- &a 1\n- &a 2\n- *a\n", "a: 1\na: 2\n", "'1': a\n1: b\n",
     "a: *nowhere\n", "- &a [&a 1]\n", "a: !!python/name:os.system\n", "a: !!int x\n"]
)  # fmt: skip


@given(st.one_of(DOCUMENT.map(lambda document: yaml.safe_dump(document, allow_unicode=True)), YAML_FEATURES, st.text()))
def test_the_fast_yaml_path_reads_what_pyyaml_reads(text: str) -> None:
    try:
        expected = yaml.load(text, Loader=Loader)
    except (yaml.YAMLError, ValueError):
        with pytest.raises((yaml.YAMLError, ValueError, Unusual)):
            build(text, Loader)
        return
    try:
        data, lines = build(text, Loader)
    except Unusual:
        return
    assert repr(data) == repr(expected)
    if isinstance(data, dict):
        assert all(lines.line_of(data, [key]) >= 1 for key in data)
