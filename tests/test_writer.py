"""Crowd posts vary like real ones, never repeat within a window, and stay reproducible for a seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_sim.engine import Scenario, Sentiment, Session, load_scenario
from crisis_sim.engine.writer import REPEAT_WINDOW, PostWriter

SCENARIOS = sorted(p for p in (Path(__file__).parent.parent / "scenarios").glob("*.yaml") if not p.name.endswith(".test.yaml"))
SIX_HOURS = 6 * 60


def crowd_texts(scenario: Scenario, seed: int) -> list[str]:
    long_run = scenario.model_copy(update={"duration_minutes": SIX_HOURS})
    session = Session(long_run, seed=seed)
    session.finish()
    return [post.text for post in session.posts if not post.scripted]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_a_six_hour_run_has_few_exact_duplicates(path: Path) -> None:
    texts = crowd_texts(load_scenario(path), seed=2)
    duplicates = len(texts) - len(set(texts))
    assert len(texts) > 100
    assert duplicates / len(texts) < 0.15, f"{duplicates} of {len(texts)} crowd posts repeat another"
    for index, text in enumerate(texts):
        assert text not in texts[max(0, index - REPEAT_WINDOW) : index], f"post {index} repeats within the window"


def test_the_same_seed_writes_the_same_crowd(mini: Scenario) -> None:
    assert crowd_texts(mini, seed=4) == crowd_texts(mini, seed=4)
    assert crowd_texts(mini, seed=4) != crowd_texts(mini, seed=5)


def test_one_template_is_dressed_many_ways(mini: Scenario) -> None:
    templates = mini.templates.model_copy(update={"angry": ["{brand} laughed at me."]})
    writer = PostWriter(1, "Bean There", templates, cities=["Springfield"])
    texts = [writer.text(Sentiment.ANGRY) for _ in range(REPEAT_WINDOW)]
    assert len(set(texts)) == REPEAT_WINDOW
    assert all("Bean There laughed at me." in text and "{" not in text for text in texts)
    assert any("#BeanThere" in text for text in texts) and any("Springfield" in text for text in texts)
