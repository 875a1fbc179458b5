"""Loading benchmark: is a crisis-scale scenario file quick to validate?

Generates a 2 MB scenario (about 10,500 scripted posts) in a temporary folder
and times loading it, which is what ``crisis-sim validate`` and the start
screen do. Target: under 2 s on the 2-core CI machine.

Run: ``python benchmarks/loading.py`` (exits 1 if the target is missed).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from crisis_sim.engine import load_scenario
from crisis_sim.engine.datafile import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
TARGET_SECONDS = 2.0
POSTS = 10_500
RUNS = 3


def big_scenario(folder: Path, posts: int = POSTS) -> Path:
    """mini.yaml with ``posts`` extra scripted posts: the shape of a real crisis script."""
    text = MINI.read_text(encoding="utf-8")
    extra = "".join(
        f"  - id: extra-{number}\n"
        f"    at: {number % 60}\n"
        f"    author: Person Number{number}\n"
        f"    followers: {100 + number}\n"
        f"    sentiment: {('angry', 'negative', 'neutral', 'positive')[number % 4]}\n"
        f"    text: Post {number} about {{brand}}, written by a trainer to fill the feed of a long crisis.\n"
        for number in range(posts)
    )
    path = folder / "big.yaml"
    path.write_text(text.replace("branches:\n", extra + "branches:\n", 1), encoding="utf-8")
    return path


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = big_scenario(Path(folder))
        size_mb = path.stat().st_size / 1024 / 1024
        timings, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            scenario = load_scenario(path)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    seconds = statistics.median(timings)
    ok = seconds <= TARGET_SECONDS
    print(
        f"load {size_mb:.1f} MB scenario ({len(scenario.posts):,} posts): {seconds:.2f} s "
        f"(target {TARGET_SECONDS} s, size limit {MAX_FILE_BYTES // 1024 // 1024} MB) {'ok' if ok else 'MISSED'}; "
        f"CPU {statistics.median(cpu):.2f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
