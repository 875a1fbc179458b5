"""``crisis-sim rate`` run as a user would: JSON Lines piped in, one JSON line out per line, exit 0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def rate(*lines: str, extra: tuple[str, ...] = ()) -> tuple[list[dict], subprocess.CompletedProcess[bytes]]:
    stdin = "".join(line + "\n" for line in lines).encode("utf-8", errors="surrogatepass")
    done = subprocess.run(
        [sys.executable, "-m", "crisis_sim", "--scenarios", str(SCENARIOS), "rate", *extra],
        input=stdin, capture_output=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()], done


def test_a_scenario_post_is_rated_with_its_facts() -> None:
    good = {
        "text": "Priya, that's on us: we overbooked and he was hurt. We're sorry. Next update by 9pm.",
        "scenario": "airline-passenger-removal",
        "post": "video",
    }
    bad = {"text": "The passenger was disruptive and the crew had no choice.", "scenario": "airline-passenger-removal", "post": "row14"}
    [first, second], done = rate(json.dumps(good), json.dumps(bad))
    assert done.returncode == 0
    assert set(first) >= {"empathy", "honesty", "overall", "strategy", "reasons", "suggestion"}
    assert first["strategy"] == "apology" and second["strategy"] != "apology"
    assert first["honesty"] > 80 > 20 > second["honesty"]
    assert all(0 <= row[k] <= 100 for row in (first, second) for k in ("empathy", "honesty", "overall"))
    assert {"rule": "false_claim", "points": -46.0, "quote": "passenger was disruptive"} in second["reasons"]
    assert all(set(reason) == {"rule", "points", "quote"} for reason in first["reasons"])


def test_bad_lines_get_an_error_and_the_next_line_is_still_read() -> None:
    lines = [
        "not json at all",
        json.dumps({"post_text": "no text here"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "hello", "scenario": "no-such-scenario"}),
        json.dumps({"text": "hello", "scenario": "airline-passenger-removal", "post": "no-such-post"}),
        json.dumps({"text": "hello", "post": "video"}),
        json.dumps({"text": "hello", "action": "dance"}),
        json.dumps({"text": "hello", "at_fault": "yes"}),
        json.dumps(["a list"]),
        "",
        json.dumps(
            {
                "text": "We're sorry, Maya: the cold coffee and the laugh were on us.",
                "post_text": "My coffee was cold and the barista laughed",
                "author": "Maya Lopez",
                "id": "last",
            }
        ),
    ]
    rows, done = rate(*lines)
    assert done.returncode == 0 and len(rows) == len(lines)
    assert all(set(row) == {"error"} and row["error"] for row in rows[:-1])
    assert "unknown scenario" in rows[3]["error"] and "no post" in rows[4]["error"] and "needs a scenario" in rows[5]["error"]
    assert rows[-1]["id"] == "last" and rows[-1]["strategy"] == "apology"


def test_long_emoji_right_to_left_and_control_characters_never_crash_it() -> None:
    texts = [
        "sorry " * 1700,  # 10,200 characters
        "🙏💙🔥" * 30,
        "نعتذر بشدة عما حدث على متن الرحلة. نحن نتواصل مع الراكب الآن",
        "אנחנו מצטערים מאוד \u202eevil\u202c",
        "We are sorry\x00\x07\x1b[31m that happened\x7f to you.",
        "\ud800 lone surrogate",
    ]
    lines = [json.dumps({"text": text}) for text in texts]
    lines += ['{"text": "raw\tcontrol\x01chars in a string"}', json.dumps({"text": "ok", "id": "\ud800"})]
    rows, done = rate(*lines)
    assert done.returncode == 0 and len(rows) == len(lines)
    for row in rows:
        assert "error" not in row
        assert all(0 <= row[k] <= 100 for k in ("empathy", "honesty", "overall"))
    assert rows[1]["readable"] is False and rows[1]["empathy"] == rows[1]["honesty"] == 50
    assert rows[2]["readable"] is False


def test_the_action_button_and_at_fault_are_read_from_the_line() -> None:
    text = "Our staff followed the buying policy and the offer stands."
    [at_fault, not_at_fault], _ = rate(json.dumps({"text": text}), json.dumps({"text": text, "at_fault": False}))
    assert not_at_fault["honesty"] > at_fault["honesty"]
    hollow = "Thank you for your feedback."
    [as_reply, as_apology], _ = rate(json.dumps({"text": hollow}), json.dumps({"text": hollow, "action": "apology"}))
    assert as_reply["honesty"] == as_apology["honesty"]
