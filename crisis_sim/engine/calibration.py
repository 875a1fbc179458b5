"""Weigh what the rule reader found the way trainers weighed it: a linear model fitted to the rated replies.

The rule reader (:mod:`.grading`) adds hand-set points per reason, and its caps stop a score at a trap. Fitted
(``scripts/train_reader.py``, ridge regression, on the ``tune`` split of ``tests/data/replies.jsonl`` only)
to the rubric's ratings, the same findings (the reasons that fired, the strategy and the rules' own score)
predict a trainer's rating better on replies the reader has never seen than the hand-set points do: the
hand-set points were tuned on the phrasings they were written for. The weights are data, a JSON file named by
the rules file; every point the model moves is explained by the findings that moved it most.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

MODEL_FORMAT = 2
SCORE_FEATURE = "score"  # the rules' own 0-100 score for the category, divided by 100
BIAS_FEATURE = "bias"
REASON_PREFIX = "reason:"
STRATEGY_PREFIX = "strategy:"


def reader_features(reasons: Iterable[str], strategy: str, score: float) -> dict[str, float]:
    """What the rule reader found, as features: how often each reason fired, the strategy, and the rules' score."""
    features: dict[str, float] = {}
    for rule in reasons:
        features[REASON_PREFIX + rule] = features.get(REASON_PREFIX + rule, 0.0) + 1.0
    features[STRATEGY_PREFIX + strategy] = 1.0
    features[SCORE_FEATURE] = score / 100
    return features


@dataclass(frozen=True)
class Prediction:
    """The model's score for one category and the findings that moved it most, largest first."""

    score: float
    movers: tuple[tuple[str, float], ...]  # (reason or strategy, points), beyond what the rules' score says


class CalibrationError(ValueError):
    """The model file is missing, unreadable or of another format."""


@dataclass(frozen=True)
class Calibration:
    """Fitted weights for empathy and honesty over the rule reader's findings."""

    weights: Mapping[str, Mapping[str, float]]  # category -> feature -> weight
    trained_on: str

    @classmethod
    def load(cls, path: Path) -> Calibration:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CalibrationError(f"{path}: cannot read the reader model ({error})") from None
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise CalibrationError(f"{path}: not a reader model of format {MODEL_FORMAT}")
        try:
            weights = {str(c): {str(k): float(v) for k, v in w.items()} for c, w in data["weights"].items()}
        except (KeyError, AttributeError, TypeError, ValueError) as error:
            raise CalibrationError(f"{path}: malformed reader model ({error})") from None
        if not all(math.isfinite(v) for w in weights.values() for v in w.values()):
            raise CalibrationError(f"{path}: the reader model has a weight that is not a finite number")
        return cls(weights, str(data.get("trained_on", "")))

    def predict(self, category: str, features: Mapping[str, float], top: int = 2) -> Prediction | None:
        """The fitted 0-100 score for ``category`` (unclamped), or None if the model has no weights for it."""
        weights = self.weights.get(category)
        if not weights:
            return None
        parts = {name: value * weights.get(name, 0.0) for name, value in features.items()}
        total = weights.get(BIAS_FEATURE, 0.0) + sum(parts.values())
        found = [(name, points) for name, points in parts.items() if name != SCORE_FEATURE and points]
        return Prediction(total, tuple(sorted(found, key=lambda item: -abs(item[1]))[:top]))
