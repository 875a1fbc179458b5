"""The fitted weighing of the reader's findings: shipped up to date, loaded safely, applied only where it was fitted."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from crisis_sim.engine import Action, DataFileError, ReplyContext, load_rules, load_scenario, read_reply
from crisis_sim.engine.calibration import Calibration, CalibrationError, reader_features

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "crisis_sim"
AIRLINE = load_scenario(ROOT / "scenarios" / "airline-passenger-removal.yaml")


def _trainer():
    spec = importlib.util.spec_from_file_location("train_reader", ROOT / "scripts" / "train_reader.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_reader", module)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_model_was_fitted_to_the_current_tune_split_and_reader() -> None:
    assert _trainer().main(["--check"]) == 0, "run: python scripts/train_reader.py"


def test_the_model_moves_scores_only_for_responses_in_a_scenario() -> None:
    rules = load_rules()
    text = "Priya, that's on us. We oversold the flight and called police on a man who said no. I'm calling his family now."
    post = next(p for p in AIRLINE.posts if p.id == "video")
    in_scenario = read_reply(text, ReplyContext.in_scenario(AIRLINE, Action.REPLY, post.text, post.author, post.id), rules)
    free_text = read_reply(text, ReplyContext(action=Action.REPLY, brand="Meridian Air", author=post.author, post_text=post.text), rules)
    rules_alone = read_reply(text, ReplyContext.in_scenario(AIRLINE, Action.REPLY, post.text, post.author, post.id), rules, calibrated=False)
    assert "weighed" not in {r.rule for r in free_text.reasons} and "weighed" not in {r.rule for r in rules_alone.reasons}
    assert (free_text.empathy, free_text.honesty) == (rules_alone.empathy, rules_alone.honesty)
    assert in_scenario.honesty >= 70 and in_scenario.overall >= 65  # a good reply stays good


def test_every_point_the_model_moves_is_explained() -> None:
    rules = load_rules()
    post = next(p for p in AIRLINE.posts if p.id == "video")
    context = ReplyContext.in_scenario(AIRLINE, Action.REPLY, post.text, post.author, post.id)
    for text in ["We followed procedure.", "Priya, we hear you. We are looking into it.", "Sorry if anyone was upset."]:
        calibrated, alone = read_reply(text, context, rules), read_reply(text, context, rules, calibrated=False)
        for category in ("empathy", "honesty"):
            moved = round(getattr(calibrated, category) - getattr(alone, category), 1)
            weighed = [r for r in calibrated.reasons if r.rule == "weighed" and r.category.value == category]
            assert round(sum(r.points for r in weighed), 1) == moved and all(r.quote for r in weighed)


def test_the_traps_still_stop_empathy_after_weighing() -> None:
    rules = load_rules()
    post = next(p for p in AIRLINE.posts if p.id == "video")
    context = ReplyContext.in_scenario(AIRLINE, Action.REPLY, post.text, post.author, post.id)
    for text in ["sorry sorry understand frustrating our fault dm", "Sorry you're SO upset 🙄 we're totally heartbroken lol"]:
        assert read_reply(text, context, rules).empathy <= rules.reading.caps.generic_empathy


def test_a_prediction_adds_the_weights_of_the_findings() -> None:
    model = Calibration({"honesty": {"bias": 10.0, "score": 50.0, "reason:owned_it": 20.0, "strategy:apology": 5.0}}, "x")
    prediction = model.predict("honesty", reader_features(["owned_it"], "apology", 80.0))
    assert prediction is not None and prediction.score == pytest.approx(10 + 40 + 20 + 5)
    assert prediction.movers == (("reason:owned_it", 20.0), ("strategy:apology", 5.0))
    assert model.predict("empathy", {}) is None


@pytest.mark.parametrize(
    "content",
    ["not json", json.dumps({"format": 99, "weights": {}}), json.dumps({"format": 2}), json.dumps({"format": 2, "weights": {"honesty": {"bias": "x"}}})],
)
def test_a_broken_model_file_is_the_rules_files_error_with_a_clear_message(tmp_path: Path, content: str) -> None:
    for name in ("rules.yaml", "reader_model.json"):
        shutil.copy(RULES_DIR / name, tmp_path / name)
    (tmp_path / "reader_model.json").write_text(content)
    with pytest.raises(DataFileError, match=r"reading\.calibration"):
        load_rules(tmp_path / "rules.yaml")
    with pytest.raises(CalibrationError):
        Calibration.load(tmp_path / "reader_model.json")


def test_rules_without_a_model_score_by_their_points_alone(tmp_path: Path) -> None:
    text = (RULES_DIR / "rules.yaml").read_text().replace("calibration: reader_model.json", "calibration: null")
    (tmp_path / "rules.yaml").write_text(text)
    rules = load_rules(tmp_path / "rules.yaml")
    post = next(p for p in AIRLINE.posts if p.id == "video")
    reading = read_reply("We followed procedure.", ReplyContext.in_scenario(AIRLINE, Action.REPLY, post.text, post.author, post.id), rules)
    assert rules.reading.calibration_model is None and "weighed" not in {r.rule for r in reading.reasons}


def test_a_copied_rules_file_uses_the_built_in_model(tmp_path: Path) -> None:
    shutil.copy(RULES_DIR / "rules.yaml", tmp_path / "my-rules.yaml")
    rules = load_rules(tmp_path / "my-rules.yaml")
    assert rules.reading.calibration_model == load_rules().reading.calibration_model
