"""The real terminal: a killed game gives the terminal back and keeps its run (tested through a pseudo-terminal)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crisis_sim.journal import leftover_journals, read_journal

ROOT = Path(__file__).resolve().parent.parent
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def read_until(fd: int, needle: bytes, seconds: float) -> bytes:
    """Everything the program writes until ``needle`` appears or time runs out."""
    seen = b""
    deadline = time.monotonic() + seconds
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_restores_the_terminal_and_keeps_the_run(signum: int, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "CRISIS_SIM_DB": str(tmp_path / "scores.db"), "COLUMNS": "120", "LINES": "36", "TERM": "xterm-256color"}
    main, child = pty.openpty()
    os.set_blocking(main, False)
    command = [sys.executable, "-m", "crisis_sim", "play", str(ROOT / "tests" / "fixtures" / "mini.yaml"), "--player", "Kim", "--seed", "2"]
    game = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env, cwd=tmp_path, start_new_session=True)
    os.close(child)
    try:
        assert b"Cold Coffee" in read_until(main, b"Cold Coffee", 30), "the briefing did not appear"
        os.write(main, b"\r")  # start the clock: the run is now journaled
        read_until(main, b"Feed", 15)
        journal_dir = data / "crisis-sim" / "journal"
        for _ in range(50):
            if leftover_journals(journal_dir):
                break
            time.sleep(0.1)
        game.send_signal(signum)
        rest = read_until(main, b"will be saved as interrupted", 15)
        assert game.wait(15) == 128 + signum
    finally:
        if game.poll() is None:
            game.kill()
        os.close(main)
    assert LEAVE_ALTERNATE_SCREEN in rest and MOUSE_OFF in rest, "the terminal was not given back"
    [journal] = leftover_journals(journal_dir)
    kept = read_journal(journal)
    assert (kept.info.scenario_id, kept.info.player, kept.info.seed) == ("mini", "Kim", 2)
