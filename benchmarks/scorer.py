"""Reply scorer benchmarks: is reading a reply fast enough to grade every reply live, and to start at once?

Targets (on the 2-core CI machine, shared; figures are medians of repeated runs):
* reading one reply: median under 5 ms, p99 under 20 ms (trainee replies and real statements);
* importing the scorer under 1 s (and the first reply, rules loaded, soon after);
* the copy-paste check against 100 earlier replies under 1 ms.

Run: ``python benchmarks/scorer.py`` (exits 1 if a target is missed).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from crisis_sim.engine import ReplyContext, ReplyMemory, load_rules, read_reply

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MEDIAN_TARGET_MS = 5.0
P99_TARGET_MS = 20.0
IMPORT_TARGET_S = 1.0
COPY_PASTE_TARGET_MS = 1.0
ROUNDS = 5


def texts() -> list[str]:
    """Every labelled reply and statement, or a few stand-ins when the data set is not there."""
    found = [
        json.loads(line)["text"]
        for name in ("replies.jsonl", "statements.jsonl")
        if (DATA / name).exists()
        for line in (DATA / name).read_text().splitlines()
        if line.strip()
    ]
    return found or ["Maya, we're so sorry. That's on us.", "This never happened.", "🙏", "We apologize for any inconvenience."] * 50


def per_reply_ms() -> tuple[float, float]:
    """Median and p99 time to read one reply, over all texts, taking the median of each over several rounds."""
    rules = load_rules()
    context = ReplyContext(
        brand="Meridian Air",
        post_text="They just DRAGGED a man off the flight. His face is bleeding.",
        author="Priya Raman",
        false_claims=("he was disruptive", "no one was hurt"),
        scenario="airline-passenger-removal",  # in a scenario: the fitted weighing runs too
    )
    corpus = texts()
    read_reply(corpus[0], context, rules)  # warm up: rules loaded, phrasebook compiled
    medians, p99s = [], []
    for _ in range(ROUNDS):
        times = []
        for text in corpus:
            started = time.perf_counter()
            read_reply(text, context, rules)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        medians.append(statistics.median(times))
        p99s.append(times[min(len(times) - 1, int(len(times) * 0.99))])
    return statistics.median(medians), statistics.median(p99s)


def import_s(code: str) -> float:
    """Median wall time of a fresh interpreter running ``code``, minus an empty interpreter's start."""

    def run(snippet: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True, cwd=ROOT)
        return time.perf_counter() - started

    base = statistics.median(run("pass") for _ in range(ROUNDS))
    return max(0.0, statistics.median(run(code) for _ in range(ROUNDS)) - base)


def copy_paste_ms(earlier: int = 100) -> float:
    """Median time of the copy-paste check against ``earlier`` replies to other posts."""
    corpus = texts()
    memory = ReplyMemory()
    for index in range(earlier):
        memory.add(corpus[index % len(corpus)] + f" #{index}", f"post-{index}")
    probes = corpus[earlier : earlier + 200] or corpus
    times = []
    for text in probes:
        started = time.perf_counter()
        memory.repeats(text, "another-post")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    median, p99 = per_reply_ms()
    imported = import_s("import crisis_sim.engine.reading")
    first = import_s(
        "from crisis_sim.engine import ReplyContext, load_rules, read_reply; read_reply('We are sorry.', ReplyContext(), load_rules())"
    )
    pasted = copy_paste_ms()
    rows = [
        ("read one reply, median", median, MEDIAN_TARGET_MS, "ms"),
        ("read one reply, p99", p99, P99_TARGET_MS, "ms"),
        ("import the scorer", imported, IMPORT_TARGET_S, "s"),
        ("import + load rules + first reply", first, None, "s"),
        ("copy-paste check, 100 earlier replies", pasted, COPY_PASTE_TARGET_MS, "ms"),
    ]
    failed = False
    for label, value, target, unit in rows:
        verdict = "" if target is None else ("ok" if value < target else "MISSED")
        failed |= verdict == "MISSED"
        goal = f"(target < {target} {unit})" if target is not None else "(no target)"
        print(f"{label:40s} {value:8.3f} {unit:2s} {goal:22s} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
