"""Engine benchmarks: is the simulation fast enough to feel real-time in the terminal?

Targets (on the 2-core CI machine):
* one game minute of a busy crisis (hundreds of posts) steps in under 20 ms,
  so a 1-second UI tick at 10x speed never stutters;
* scoring a finished 3-hour session takes under 200 ms, so the debrief opens at once.

Run: ``python benchmarks/engine.py`` (exits 1 if a target is missed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crisis_sim.engine import Action, Command, Session, load_scenario, score_session

ROOT = Path(__file__).resolve().parent.parent
STEP_TARGET_MS = 20.0
SCORE_TARGET_MS = 200.0


def busy_session(path: Path, seed: int) -> Session:
    """A long crisis the player mostly ignores, so the crowd keeps growing."""
    scenario = load_scenario(path)
    scenario = scenario.model_copy(update={"duration_minutes": 24 * 60, "crowd_rate": 2.0})
    return Session(scenario, seed=seed)


def main() -> int:
    paths = sorted((ROOT / "scenarios").glob("*.yaml")) or [ROOT / "tests" / "fixtures" / "mini.yaml"]
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
