"""Engine benchmarks: is the simulation fast enough to feel real-time in the terminal?

Targets (on the 2-core CI machine):
* one game minute of a busy crisis (hundreds of posts) steps in under 20 ms,
  so a 1-second UI tick at 10x speed never stutters;
* scoring a finished 3-hour session takes under 200 ms, so the debrief opens at once;
* at crisis scale, one game minute with 100,000 posts in the feed still steps in under
  20 ms (only posts still spreading cost time), and the process stays under 200 MB.
  The same figures are printed for 100, 1,000 and 10,000 posts so growth shows.

Timings are medians (the machine is shared). Run: ``python benchmarks/engine.py``
(exits 1 if a target is missed).
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from pathlib import Path

from crowd import SIZES, crowded_session

from crisis_sim.engine import Action, Command, Session, load_scenario, score_session

ROOT = Path(__file__).resolve().parent.parent
STEP_TARGET_MS = 20.0
SCORE_TARGET_MS = 200.0
SCALE_STEP_TARGET_MS = 20.0  # one game minute with 100,000 posts
MEMORY_TARGET_MB = 200.0  # the whole process with 100,000 posts


def minute_ms(session: Session, minutes: int = 60) -> float:
    """Median time of one game minute, answering the newest waiting post now and then."""
    times = []
    for minute in range(minutes):
        started = time.perf_counter()
        session.advance(1)
        times.append((time.perf_counter() - started) * 1000)
        if minute % 10 == 0:
            target = next((p for p in reversed(session.posts) if p.needs_answer), None)
            if target:
                session.respond(Command(Action.REPLY, target.id, "We're sorry, that's on us. Can we DM you?"))
    return statistics.median(times)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale() -> bool:
    """One game minute at 100 to 100,000 posts, and the memory a 100,000-post session takes."""
    ok = True
    for size in SIZES:
        gc.collect()
        session = crowded_session(size)
        step = minute_ms(session)
        line = f"  {size:>7,} posts: one game minute {step:6.2f} ms"
        if size == SIZES[-1]:
            memory = peak_mb()
            ok = step <= SCALE_STEP_TARGET_MS and memory <= MEMORY_TARGET_MB
            line += f" (target {SCALE_STEP_TARGET_MS:g}); process peak {memory:.0f} MB (target {MEMORY_TARGET_MB:g})"
            line += " ok" if ok else " MISSED"
        print(line)
        del session
    return ok


def busy_session(path: Path, seed: int) -> Session:
    """A long crisis the player mostly ignores, so the crowd keeps growing."""
    scenario = load_scenario(path)
    scenario = scenario.model_copy(update={"duration_minutes": 24 * 60, "crowd_rate": 2.0})
    return Session(scenario, seed=seed)


def main() -> int:
    paths = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if not p.name.endswith(".test.yaml")) or [ROOT / "tests" / "fixtures" / "mini.yaml"]
    failed = False
    for path in paths:
        session = busy_session(path, seed=1)
        session.advance(600)  # warm up to a crowded feed
        started = time.perf_counter()
        minutes = 120
        for minute in range(minutes):
            session.advance(1)
            target = next((p for p in reversed(session.posts) if p.needs_answer), None)
            if target and minute % 5 == 0:
                session.respond(Command(Action.REPLY, target.id, f"{target.author.split()[0]}, we're sorry, that's on us. Can we DM you?"))
        step_ms = (time.perf_counter() - started) * 1000 / minutes
        session.finish()
        started = time.perf_counter()
        score_session(session)
        score_ms = (time.perf_counter() - started) * 1000
        ok = step_ms <= STEP_TARGET_MS and score_ms <= SCORE_TARGET_MS
        failed |= not ok
        print(
            f"{path.stem}: {len(session.posts)} posts, {len(session.responses)} responses; "
            f"step {step_ms:.2f} ms/minute (target {STEP_TARGET_MS}), "
            f"score {score_ms:.1f} ms (target {SCORE_TARGET_MS}) {'ok' if ok else 'MISSED'}"
        )
    print("crisis scale (airline scenario, crowded feed):")
    failed |= not scale()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
