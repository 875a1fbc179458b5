"""Integrity of the scorer's ground truth (tests/data/*.jsonl).

These files are what the reply scorer is measured against (see
docs/scoring-rubric.md and tests/data/README.md). The tests only protect the
data: every line parses, fields and labels are valid, post ids exist in the
shipped scenarios, and the held-out split stays about 30% and stratified.
They never look at scorer output.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
REPLIES = DATA / "replies.jsonl"
STATEMENTS = DATA / "statements.jsonl"

ACTIONS = {"reply", "apology", "status_update", "offline", "hold_statement"}
BROADCAST = {"status_update", "hold_statement"}
STRATEGIES = {
    "deny", "attack_accuser", "scapegoat", "excuse", "justify", "minimise",
    "apology", "compensation", "corrective_action", "bolstering", "ingratiation", "none",
}
TRAPS = {
    "keyword_stuffing", "word_salad", "sarcasm", "negated_empathy", "quoting",
    "pseudo_apology", "conditional_apology", "passive_voice", "euphemism", "blame_victim",
    "condescension", "shouting", "joke", "off_topic", "false_claim", "impossible_promise",
    "copy_paste", "wrong_party", "non_english", "emoji_only",
}
REPLY_FIELDS = {"id", "scenario", "post", "action", "text", "empathy", "honesty", "good", "strategy", "traps", "split"}
STATEMENT_FIELDS = {
    "id", "brand", "year", "incident", "text", "reception", "at_fault",
    "source", "reception_source", "strategy", "split",
}


def _load(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number} is blank"
        rows.append(json.loads(line))
    return rows


def _post_ids(scenario: str) -> set[str]:
    """Ids of every scripted post in a shipped scenario, including posts branches add."""
    data = yaml.safe_load((ROOT / "scenarios" / f"{scenario}.yaml").read_text(encoding="utf-8"))
    ids = {post["id"] for post in data["posts"]}
    for branch in data.get("branches", []):
        for post in (branch.get("then") or {}).get("posts") or []:
            if "id" in post:
                ids.add(post["id"])
    return ids


@pytest.fixture(scope="module")
def replies() -> list[dict]:
    return _load(REPLIES)


@pytest.fixture(scope="module")
def statements() -> list[dict]:
    return _load(STATEMENTS)


def test_replies_fields_and_labels(replies: list[dict]) -> None:
    posts = {name: _post_ids(name) for name in ("airline-passenger-removal", "consignment-store-feud")}
    for row in replies:
        assert set(row) == REPLY_FIELDS, row["id"]
        assert row["scenario"] in posts, row["id"]
        assert row["action"] in ACTIONS, row["id"]
        if row["action"] in BROADCAST:
            assert row["post"] is None, row["id"]
        else:
            assert row["post"] in posts[row["scenario"]], row["id"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["id"]
        for rating in ("empathy", "honesty"):
            assert isinstance(row[rating], int) and 1 <= row[rating] <= 5, row["id"]
        assert isinstance(row["good"], bool), row["id"]
        assert row["strategy"] in STRATEGIES, row["id"]
        assert isinstance(row["traps"], list) and set(row["traps"]) <= TRAPS, row["id"]
        assert len(row["traps"]) == len(set(row["traps"])), row["id"]
        assert row["split"] in {"tune", "heldout"}, row["id"]


def test_good_replies_follow_the_rubric(replies: list[dict]) -> None:
    """Rubric §7: a good reply is rated at least 4 on both scales and falls into no trap."""
    for row in replies:
        if row["good"]:
            assert row["empathy"] >= 4 and row["honesty"] >= 4 and not row["traps"], row["id"]


def test_replies_ids_and_texts_unique(replies: list[dict]) -> None:
    ids = [row["id"] for row in replies]
    assert len(ids) == len(set(ids))
    texts = [row["text"] for row in replies]
    assert len(texts) == len(set(texts))


def test_replies_size_and_coverage(replies: list[dict]) -> None:
    assert len(replies) >= 420
    good = sum(row["good"] for row in replies) / len(replies)
    assert 0.35 <= good <= 0.45
    strategies = Counter(row["strategy"] for row in replies)
    assert all(strategies[s] >= 3 for s in STRATEGIES), strategies
    traps = Counter(trap for row in replies for trap in row["traps"])
    assert all(traps[t] >= 3 for t in TRAPS), traps
    assert {row["scenario"] for row in replies} == {"airline-passenger-removal", "consignment-store-feud"}


def test_statements_fields_and_labels(statements: list[dict]) -> None:
    for row in statements:
        assert set(row) == STATEMENT_FIELDS, row["id"]
        assert row["reception"] in {"praised", "panned"}, row["id"]
        assert isinstance(row["at_fault"], bool), row["id"]
        assert isinstance(row["year"], int) and 1950 <= row["year"] <= 2030, row["id"]
        assert row["strategy"] in STRATEGIES, row["id"]
        assert row["text"].strip() and row["brand"].strip() and row["incident"].strip(), row["id"]
        for field in ("source", "reception_source"):
            assert row[field].startswith(("http://", "https://")), row["id"]
        assert row["split"] in {"tune", "heldout"}, row["id"]


def test_statements_size_and_balance(statements: list[dict]) -> None:
    assert len(statements) >= 65
    ids = [row["id"] for row in statements]
    assert len(ids) == len(set(ids))
    reception = Counter(row["reception"] for row in statements)
    assert min(reception.values()) / len(statements) >= 0.35, reception


@pytest.mark.parametrize("path,strata", [
    (REPLIES, ("good",)),
    (STATEMENTS, ("reception",)),
])
def test_heldout_is_about_30_percent_in_every_stratum(path: Path, strata: tuple[str, ...]) -> None:
    rows = _load(path)
    share = sum(row["split"] == "heldout" for row in rows) / len(rows)
    assert 0.25 <= share <= 0.35, share
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row[key] for key in strata), []).append(row)
    for key, group in groups.items():
        heldout = sum(row["split"] == "heldout" for row in group) / len(group)
        assert 0.2 <= heldout <= 0.4, (key, heldout)
