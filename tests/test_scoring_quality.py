"""The reader's quality on the held-out labelled data must not regress.

Computed with the same code as ``docs/scoring.md`` (``scripts/score_report.py``).
Each floor is the issue's target or, where the reader does not reach it yet, the
figure it reached when the floor was set, whichever is lower.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("score_report", ROOT / "scripts" / "score_report.py")
score_report = importlib.util.module_from_spec(SPEC)
sys.modules["score_report"] = score_report  # its dataclasses look their module up while being defined
SPEC.loader.exec_module(score_report)

#: Higher is better for these; the floors they must stay at or above.
FLOORS = {"spearman_empathy": 0.80, "spearman_honesty": 0.80, "auc_good": 0.90, "auc_statements": 0.57}
#: Lower is better: the share of gaming replies that reach the median genuine apology.
GAMING_CEILING = 0.05


@pytest.fixture(scope="module")
def heldout() -> score_report.Figures:
    return score_report.measure("heldout")


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_heldout_figure_does_not_regress(heldout: score_report.Figures, figure: str) -> None:
    assert FLOORS[figure] <= score_report.TARGETS[figure]
    assert getattr(heldout, figure) >= FLOORS[figure]


def test_gaming_replies_do_not_reach_a_genuine_apology(heldout: score_report.Figures) -> None:
    assert heldout.gaming_count > 0
    assert heldout.gaming_share <= GAMING_CEILING


def test_statistics_match_their_textbook_definitions() -> None:
    assert score_report.ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert score_report.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert score_report.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert score_report.auc([3, 4], [1, 2]) == 1.0
    assert score_report.auc([1, 2], [1, 2]) == 0.5
