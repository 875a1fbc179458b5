"""Leaderboard benchmark: does ``crisis-sim scores`` answer in under a second with 100,000 stored results?

It fills a temporary scoreboard with 100,000 finished results (200 players,
20 teams, 3 scenarios, 2 versions, 2 speeds; no moments, which the leaderboard
never reads), then times the whole command, Python's start-up included.

Run: ``python benchmarks/scores.py [RESULTS]`` (exits 1 if the target is missed).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from crisis_sim.scoreboard import RESULT_COLUMNS
from crisis_sim.store import open_store

TARGET_SECONDS = 1.0
RESULTS = 100_000
RUNS = 5


def fill(path: Path, count: int) -> None:
    """``count`` plausible finished results, written in one transaction."""
    with open_store(path) as store:
        store.import_records([])  # creates the schema at the current version
    pick = random.Random(1)
    rows = []
    for number in range(count):
        scenario = pick.choice(("airline", "consignment", "coffee"))
        scores = [pick.randint(0, 100) for _ in range(4)]
        values = {
            "uid": str(uuid.UUID(int=pick.getrandbits(128))), "played_at": f"2026-{pick.randint(1, 11):02d}-{pick.randint(1, 28):02d}T10:00:00+00:00",
            "player": f"player {number % 200}", "team": f"team {number % 20}", "scenario_id": scenario, "scenario_title": scenario.title(),
            "scenario_version": pick.choice(("1", "2")), "seed": number, "ending": "An ending", "speed": scores[0], "empathy": scores[1],
            "honesty": scores[2], "overall": scores[3], "game_minutes": 60, "minutes_per_second": pick.choice((0.5, 2.0)),
            "status": "finished", "run": None, "cohort": f"class {number % 10}",
        }  # fmt: skip
        rows.append([values[column] for column in RESULT_COLUMNS])
    with sqlite3.connect(path) as connection:
        marks = ", ".join("?" * len(RESULT_COLUMNS))
        connection.executemany(f"insert into results ({', '.join(RESULT_COLUMNS)}) values ({marks})", rows)


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.db"
        fill(path, count)
        command = [sys.executable, "-m", "crisis_sim", "--db", str(path), "scores"]
        subprocess.run(command, capture_output=True, check=True)  # warm the file cache
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    lines = done.stdout.count("\n")
    verdict = "ok" if median < TARGET_SECONDS else "MISSED"
    print(
        f"crisis-sim scores with {count:,} results: {median:.2f} s median of {RUNS} (fastest {min(timings):.2f} s; "
        f"target < {TARGET_SECONDS:.0f} s) {verdict}; {lines} lines printed"
    )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
