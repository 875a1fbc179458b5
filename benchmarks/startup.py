"""Startup benchmark: does the command answer at once?

Times ``crisis-sim --help`` and ``crisis-sim scenarios`` as new processes
(median of several runs) and prints each beside its target. Python itself
starts in about 25 ms on the CI machine; Textual alone would cost 550 ms,
which is why the command imports it only to play. The CPU time of the
process is printed too: on a busy machine the wall-clock figure also counts
time spent waiting for a core, the CPU time does not.

Run: ``python benchmarks/startup.py`` (exits 1 if a target is missed).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

RUNS = 7
TARGETS_MS = {"--help": 150.0, "scenarios": 300.0}
"""Milliseconds, from starting the process to its exit."""


def time_command(*args: str) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds for ``python -m crisis_sim ARGS`` to run to completion."""
    wall, cpu = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crisis_sim", *args], check=True, capture_output=True)
        wall.append((time.perf_counter() - started) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    baseline = time_command_python()
    print(f"python -c pass: {baseline:.0f} ms (for reference)")
    failed = False
    for command, target in TARGETS_MS.items():
        figure, cpu = time_command(command)
        ok = figure <= target
        failed |= not ok
        print(f"crisis-sim {command}: {figure:.0f} ms (target {target:.0f} ms) {'ok' if ok else 'MISSED'}; CPU {cpu:.0f} ms")
    return 1 if failed else 0


def time_command_python() -> float:
    """Median milliseconds for a bare interpreter, the floor every figure sits on."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


if __name__ == "__main__":
    sys.exit(main())
