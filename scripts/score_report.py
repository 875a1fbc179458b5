"""Measure the reply reader against the labelled data and write ``docs/scoring.md``.

Run: ``python scripts/score_report.py`` (``--print`` shows the figures without writing).
``tests/test_scoring_quality.py`` computes the held-out figures with the same
functions, so the report and the regression test can never disagree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crisis_sim.engine import Action, ReplyContext, Scenario, load_rules, load_scenario, read_reply  # noqa: E402
from crisis_sim.engine.reading import Reading  # noqa: E402

DATA = ROOT / "tests" / "data"
BLIND_REPLIES_FROM = 482  # r0482 on: written blind to the reader (tests/data/README.md)
BLIND_STATEMENTS_FROM = 119  # s119 on: collected after the reader's statement rules were last changed
REPORT = ROOT / "docs" / "scoring.md"
SPLITS = ("tune", "heldout")
GAMING_TRAPS = frozenset({"keyword_stuffing", "word_salad", "sarcasm", "negated_empathy", "quoting"})
TARGETS = {"spearman_empathy": 0.8, "spearman_honesty": 0.8, "auc_good": 0.9, "auc_statements": 0.85, "gaming_share": 0.05}
#: Issue 6's measurement of the keyword scorer this reader replaces (commit 919fc8f).
OLD_SCORER = {"spearman_empathy": 0.09, "spearman_honesty": 0.46, "auc_good": None, "auc_statements": 0.63, "gaming_share": None}


# --- statistics, no scipy needed ------------------------------------------------------


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            result[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation (Pearson on tie-averaged ranks)."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy) if sx and sy else 0.0


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """ROC AUC: the chance a random positive scores above a random negative (ties count half)."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


# --- the data ----------------------------------------------------------------------------


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def scenarios() -> dict[str, Scenario]:
    paths = [
        p for p in sorted((ROOT / "scenarios").glob("*.yaml")) if not p.name.endswith(".test.yaml")
    ]  # scenario tests are not scenarios
    return {scenario.id: scenario for scenario in map(load_scenario, paths)}


def reply_context(item: dict) -> ReplyContext:
    """The context a labelled reply was written in: its scenario's facts and the post it answers."""
    scenario = scenarios()[item["scenario"]]
    post = next((p for p in scenario.all_post_specs() if p.id == item.get("post")), None) if item.get("post") else None
    action = Action(item.get("action") or "reply")
    if post is None:
        return ReplyContext.in_scenario(scenario, action)
    return ReplyContext.in_scenario(scenario, action, post.text, post.author, post.id)


def statement_context(item: dict) -> ReplyContext:
    return ReplyContext(action=Action.STATUS_UPDATE, brand=item.get("brand", ""), at_fault=bool(item.get("at_fault", True)))


# --- the figures ---------------------------------------------------------------------------


@dataclass
class Figures:
    """What the report shows for one split."""

    split: str
    replies: int = 0
    statements: int = 0
    spearman_empathy: float = float("nan")
    spearman_honesty: float = float("nan")
    auc_good: float = float("nan")
    auc_statements: float = float("nan")
    gaming_share: float = float("nan")
    gaming_count: int = 0
    unreadable: int = 0
    spearman_empathy_readable: float = float("nan")
    spearman_honesty_readable: float = float("nan")
    strategies: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # precision, recall, support
    distinct_statement_scores: int = 0

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in TARGETS}


def measure(
    split: str, read: Callable[[str, ReplyContext], Reading] | None = None, keep: Callable[[dict], bool] = lambda item: True
) -> Figures:
    """Every figure for one split of the labelled data (``split`` "all" for both), for the rows ``keep`` keeps."""
    rules = load_rules()
    read = read or (lambda text, context: read_reply(text, context, rules))
    figures = Figures(split)
    replies = [r for r in load_jsonl(DATA / "replies.jsonl") if split in ("all", r["split"]) and keep(r)]
    readings = [read(r["text"], reply_context(r)) for r in replies]
    figures.replies = len(replies)
    if replies:
        figures.spearman_empathy = spearman([x.empathy for x in readings], [r["empathy"] for r in replies])
        figures.spearman_honesty = spearman([x.honesty for x in readings], [r["honesty"] for r in replies])
        readable = [(x, r) for x, r in zip(readings, replies, strict=True) if x.readable]
        figures.unreadable = len(replies) - len(readable)
        figures.spearman_empathy_readable = spearman([x.empathy for x, _ in readable], [r["empathy"] for _, r in readable])
        figures.spearman_honesty_readable = spearman([x.honesty for x, _ in readable], [r["honesty"] for _, r in readable])
        figures.auc_good = auc(
            [x.overall for x, r in zip(readings, replies, strict=True) if r["good"]],
            [x.overall for x, r in zip(readings, replies, strict=True) if not r["good"]],
        )
        genuine = [x.overall for x, r in zip(readings, replies, strict=True) if r["good"] and r["strategy"] == "apology"]
        gaming = [x.overall for x, r in zip(readings, replies, strict=True) if GAMING_TRAPS & set(r["traps"])]
        figures.gaming_count = len(gaming)
        if genuine and gaming:
            bar = statistics.median(genuine)
            figures.gaming_share = sum(g >= bar for g in gaming) / len(gaming)
        labels = sorted({r["strategy"] for r in replies} | {str(x.strategy) for x in readings})
        for label in labels:
            predicted = [str(x.strategy) == label for x in readings]
            actual = [r["strategy"] == label for r in replies]
            hits = sum(p and a for p, a in zip(predicted, actual, strict=True))
            precision = hits / sum(predicted) if sum(predicted) else float("nan")
            recall = hits / sum(actual) if sum(actual) else float("nan")
            figures.strategies[label] = (precision, recall, sum(actual))
    statements = [s for s in load_jsonl(DATA / "statements.jsonl") if split in ("all", s["split"]) and keep(s)]
    figures.statements = len(statements)
    if statements:
        scored = [(read(s["text"], statement_context(s)).overall, s["reception"]) for s in statements]
        figures.auc_statements = auc([o for o, r in scored if r == "praised"], [o for o, r in scored if r == "panned"])
        figures.distinct_statement_scores = len({o for o, _ in scored})
    return figures


def misses(split: str, limit: int = 40) -> list[str]:
    """The labelled replies the reader gets most wrong (for tuning on the tune split only)."""
    rules = load_rules()
    rows = []
    for item in load_jsonl(DATA / "replies.jsonl"):
        if item["split"] != split:
            continue
        reading = read_reply(item["text"], reply_context(item), rules)
        gap = abs(reading.empathy - (item["empathy"] * 20 - 10)) + abs(reading.honesty - (item["honesty"] * 20 - 10))
        rows.append((gap, item, reading))
    rows.sort(key=lambda row: -row[0])
    return [
        f"{item['id']} E{item['empathy']}→{reading.empathy:.0f} H{item['honesty']}→{reading.honesty:.0f} "
        f"{item['strategy']}→{reading.strategy} {item['traps']}\n   {item['text']}\n   {[(r.rule, r.points) for r in reading.reasons]}"
        for _, item, reading in rows[:limit]
    ]


# --- the report -------------------------------------------------------------------------------


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:.0%}" if percent else f"{value:.2f}"


def rules_alone() -> Callable[[str, ReplyContext], Reading]:
    """Read with the rules' points alone, without the fitted weighing (to show what it adds)."""
    rules = load_rules()
    return lambda text, context: read_reply(text, context, rules, calibrated=False)


def written_blind(item: dict) -> bool:
    """Rows no rule was written from: held-out replies written blind to the reader, and the last batch of statements."""
    number = int(item["id"][1:])
    if item["id"].startswith("r"):
        return number >= BLIND_REPLIES_FROM and item["split"] == "heldout"
    return number >= BLIND_STATEMENTS_FROM


def render(figures: dict[str, Figures]) -> str:
    rows = [
        ("Spearman, empathy vs rating", "spearman_empathy", "≥ 0.80", False),
        ("Spearman, honesty vs rating", "spearman_honesty", "≥ 0.80", False),
        ("ROC AUC, good vs flawed replies (overall)", "auc_good", "≥ 0.90", False),
        ("ROC AUC, praised vs panned real statements (overall)", "auc_statements", "≥ 0.85", False),
        ("Gaming replies reaching the median genuine apology", "gaming_share", "≤ 5%", True),
    ]
    lines = [
        "# How well the reply reader reads",
        "",
        "Generated by `python scripts/score_report.py` from `tests/data/` (rubric: [`scoring-rubric.md`](scoring-rubric.md)).",
        "Do not edit by hand. The reader was tuned, and its model fitted, on the `tune` split only: no phrase, point, weight or",
        "threshold was set from a `heldout` row. Aggregate held-out figures were compared once, to choose the fitted model's form",
        "(the reader's findings as features rather than word n-grams, and which caps still apply after it).",
        "`tests/test_scoring_quality.py` keeps the held-out figures from regressing.",
        "",
        "| figure | target | old keyword scorer | tune | heldout | heldout, rules alone | written blind | written blind, rules alone |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    columns = ("tune", "heldout", "heldout, rules alone", "blind", "blind, rules alone")
    for label, name, target, percent in rows:
        cells = " | ".join(_fmt(getattr(figures[column], name), percent) for column in columns)
        lines.append(f"| {label} | {target} | {_fmt(OLD_SCORER[name], percent)} | {cells} |")
    lines += [
        "",
        "Sizes: "
        + "; ".join(
            f"{f.split}: {f.replies} replies ({f.gaming_count} gaming), {f.statements} statements ({f.distinct_statement_scores} distinct overall scores)"
            for f in (figures["tune"], figures["heldout"], figures["blind"])
        )
        + ".",
        "",
        "Replies in a scenario are scored as a model fitted to the tune split's ratings weighs the rule reader's findings",
        "(`crisis_sim/engine/calibration.py`, refitted by `python scripts/train_reader.py`); *rules alone* is the same reader",
        "with its hand-set points only. Statements have no scenario, so both columns score them by the rules alone.",
        f"*Written blind*: the held-out replies from r{BLIND_REPLIES_FROM:04d} on, written by people who never saw the reader, and every",
        f"statement from s{BLIND_STATEMENTS_FROM:03d} on (both splits), collected after the reader's statement rules were last changed.",
        "No rule was written from any of them: they show how the reader does on wording it has never met.",
        "The old scorer's figures are issue 6's measurement of commit 919fc8f on the full set (no split); n/a where it was not measured.",
        "",
        "Replies the reader cannot read (another language, only emoji) get a neutral 50 by design, while the rubric rates them",
        "1-3, which costs rank correlation. Without them: "
        + "; ".join(
            f"{f.split} ({f.unreadable} unreadable) Spearman empathy {_fmt(f.spearman_empathy_readable)}, honesty {_fmt(f.spearman_honesty_readable)}"
            for f in (figures["tune"], figures["heldout"])
        )
        + ".",
        "",
        "Spearman compares the reader's 0-100 empathy and honesty with the 1-5 ratings. AUC uses the overall score (the weighted mean",
        "of empathy and honesty). A gaming reply carries a `keyword_stuffing`, `word_salad`, `sarcasm`, `negated_empathy` or `quoting`",
        "trap; the bar is the median overall score of replies labelled `good` with strategy `apology`.",
        "",
        "## Strategy (Coombs SCCT): precision / recall (support)",
        "",
        "| strategy | tune | heldout |",
        "| --- | --- | --- |",
    ]
    labels = sorted(set(figures["tune"].strategies) | set(figures["heldout"].strategies))
    for label in labels:
        cells = []
        for split in SPLITS:
            p, r, n = figures[split].strategies.get(label, (float("nan"), float("nan"), 0))
            cells.append(f"{_fmt(p)} / {_fmt(r)} ({n})")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the report instead of writing docs/scoring.md")
    parser.add_argument("--misses", metavar="SPLIT", help="list the replies of SPLIT the reader gets most wrong (use tune)")
    args = parser.parse_args(argv)
    if args.misses:
        print("\n".join(misses(args.misses)))
        return 0
    figures = {split: measure(split) for split in SPLITS}
    figures["heldout, rules alone"] = measure("heldout", rules_alone())
    figures["blind"] = measure("all", keep=written_blind)
    figures["blind, rules alone"] = measure("all", rules_alone(), keep=written_blind)
    figures["blind"].split = "written blind"
    report = render(figures)
    if args.print:
        print(report)
    else:
        REPORT.write_text(report, encoding="utf-8")
        print(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
