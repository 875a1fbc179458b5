"""Fit how trainers weigh the rule reader's findings (crisis_sim/reader_model.json) on the tune split of the rated replies.

    python scripts/train_reader.py            # writes crisis_sim/reader_model.json
    python scripts/train_reader.py --check    # exits 1 if the shipped model is not the one the data gives

Ridge regression, solved in pure Python (no numpy): for each of empathy and honesty, the rubric rating
(1-5, as 0-100) is fitted from what the rule reader found in the reply (the reasons that fired, the strategy
and its own score, read with ``calibrated=False``). Only the ``tune`` split is used; ``heldout`` measures the
result (``scripts/score_report.py``).
Replies the reader cannot read (another language, only emoji) are left out: they keep their neutral score.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from score_report import DATA, load_jsonl, reply_context  # noqa: E402

from crisis_sim.engine import read_reply  # noqa: E402
from crisis_sim.engine.calibration import BIAS_FEATURE, MODEL_FORMAT, reader_features  # noqa: E402
from crisis_sim.engine.datafile import load_model  # noqa: E402
from crisis_sim.engine.rules import DEFAULT_RULES_PATH, Rules  # noqa: E402

MODEL_PATH = ROOT / "crisis_sim" / "reader_model.json"
ALPHA = 1.0  # ridge penalty (5-fold cross-validation on the tune split finds 0.3-3 alike)
BIAS_VALUE = 10.0  # the constant feature's value: a large value leaves the intercept almost unpenalised
CG_STEPS = 400
CG_TOLERANCE = 1e-9
CATEGORIES = ("empathy", "honesty")


def reader_rules() -> Rules:
    """The built-in rules, without loading the model this script is about to replace (as load_rules would)."""
    return load_model(DEFAULT_RULES_PATH, Rules)


def training_rows(rules: Rules) -> list[dict]:
    """The readable replies of the tune split, read by the rules alone."""
    rows = []
    for item in load_jsonl(DATA / "replies.jsonl"):
        if item["split"] != "tune":
            continue
        reading = read_reply(item["text"], reply_context(item), rules, calibrated=False)
        if reading.readable:
            rows.append({"item": item, "reading": reading})
    return rows


def fingerprint(rows: list[dict], rules: Rules) -> str:
    """What the model was trained on: the tune rows' ids, texts and ratings, and the rule reader that read them."""
    digest = hashlib.sha256()
    for row in rows:
        item = row["item"]
        digest.update(json.dumps([item["id"], item["text"], item["empathy"], item["honesty"]]).encode())
    reading = dict(rules.reading.model_dump(mode="json"))
    reading.pop("calibration", None)  # the reader's phrases, points and caps, not the scoring thresholds or this model's name
    digest.update(json.dumps(reading, sort_keys=True).encode())
    for source in ("grading.py", "phrasebook.py", "language.py", "reading.py"):
        digest.update((ROOT / "crisis_sim" / "engine" / source).read_bytes())
    return digest.hexdigest()[:16]


def solve_ridge(rows: list[dict[str, float]], targets: list[float], alpha: float) -> dict[str, float]:
    """Ridge weights in the dual: (K + alpha I) a = y with K = X X^T, solved by conjugate gradients; w = X^T a."""
    count = len(rows)
    gram = [[0.0] * count for _ in range(count)]
    for i in range(count):
        a = rows[i]
        for j in range(i, count):
            b = rows[j]
            small, large = (a, b) if len(a) <= len(b) else (b, a)
            value = sum(v * large[k] for k, v in small.items() if k in large)
            gram[i][j] = gram[j][i] = value
    for i in range(count):
        gram[i][i] += alpha

    def times(vector: list[float]) -> list[float]:
        return [sum(r * v for r, v in zip(row, vector, strict=True)) for row in gram]

    dual = [0.0] * count
    residual = list(targets)
    direction = list(residual)
    size = sum(r * r for r in residual)
    for _ in range(CG_STEPS):
        product = times(direction)
        step = size / sum(d * p for d, p in zip(direction, product, strict=True))
        dual = [x + step * d for x, d in zip(dual, direction, strict=True)]
        residual = [r - step * p for r, p in zip(residual, product, strict=True)]
        new_size = sum(r * r for r in residual)
        if new_size < CG_TOLERANCE:
            break
        direction = [r + (new_size / size) * d for r, d in zip(residual, direction, strict=True)]
        size = new_size
    weights: Counter[str] = Counter()
    for row, a in zip(rows, dual, strict=True):
        for feature, value in row.items():
            weights[feature] += a * value
    return dict(weights)


def train(rows: list[dict], trained_on: str) -> dict:
    """The model as JSON-ready data."""
    model: dict = {"format": MODEL_FORMAT, "trained_on": trained_on, "replies": len(rows), "alpha": ALPHA, "weights": {}}
    for category in CATEGORIES:
        features = []
        for row in rows:
            reading = row["reading"]
            score = reading.empathy if category == "empathy" else reading.honesty
            found = reader_features((r.rule for r in reading.reasons), str(reading.strategy), score)
            found[BIAS_FEATURE] = BIAS_VALUE
            features.append(found)
        targets = [(row["item"][category] - 1) * 25.0 for row in rows]
        weights = solve_ridge(features, targets, ALPHA)
        weights[BIAS_FEATURE] *= BIAS_VALUE  # the model applies the bias once, not times BIAS_VALUE
        model["weights"][category] = {k: round(v, 4) for k, v in sorted(weights.items()) if abs(v) >= 1e-4}
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the shipped model matches the data")
    args = parser.parse_args(argv)
    rules = reader_rules()
    rows = training_rows(rules)
    trained_on = fingerprint(rows, rules)
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8")) if MODEL_PATH.is_file() else {}
        if shipped.get("trained_on") != trained_on:
            print(f"{MODEL_PATH.name} is stale: run python scripts/train_reader.py", file=sys.stderr)
            return 1
        print(f"{MODEL_PATH.name} matches the tune split ({len(rows)} replies)")
        return 0
    model = train(rows, trained_on)
    MODEL_PATH.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: fitted to {len(rows)} rated replies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
