"""A run kept on disk while it is played, so a killed game, a crash or a closed terminal loses nothing.

Each line of a journal is one JSON object: a header (who plays what, with which seed and
speed, and where the result is to be saved), then every command at its game minute, marks
of how far the clock got, and an end line. The next time crisis-sim starts, journals left
behind are replayed and saved as interrupted (or finished) runs; a run that was saved, or
abandoned on purpose, removes its journal.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import TextIO

try:
    import fcntl
except ImportError:  # not on Windows: there a game and a recovery on one machine at once is not guarded
    fcntl = None  # type: ignore[assignment]
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .engine import Command, Run

JOURNAL_SUFFIX = ".journal.jsonl"
MINUTE_MARK_EVERY = 5
"""Game minutes between marks of how far the clock got (the commands themselves are always written)."""


@dataclass(frozen=True)
class PlayInfo:
    """What a journal needs to know about the run it keeps."""

    scenario_id: str
    scenario_version: str
    seed: int
    speed: float
    player: str
    team: str
    db_path: str
    cohort: str = ""  # the workshop or class; journals from before cohorts have none


class RunJournal:
    """Appends one line per event and flushes it, so the file holds everything up to a kill.

    The file stays open and locked while the game runs, so recovery never takes a run that
    another crisis-sim on this machine is still playing; the lock goes with the process.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: OSError | None = None  # set once writing failed: the game goes on, unjournaled
        self._last_mark = 0
        self._file: TextIO | None = None

    @classmethod
    def start(cls, folder: Path, info: PlayInfo) -> RunJournal:
        """A new journal in ``folder``; ``OSError`` if it cannot be written."""
        folder.mkdir(parents=True, exist_ok=True)
        journal = cls(folder / f"{uuid.uuid4().hex}{JOURNAL_SUFFIX}")
        header = {"kind": "start", "started_at": datetime.now(UTC).isoformat(timespec="seconds"), **info.__dict__}
        journal._write(header, sync=True)
        if journal.error is not None:
            raise journal.error
        return journal

    def record(self, minute: int, command: Command) -> None:
        """A command the session accepted at ``minute``."""
        self._write({"kind": "command", "minute": minute, **command.to_dict()}, sync=True)

    def reached(self, minute: int) -> None:
        """The clock got to ``minute``; written every few game minutes."""
        if minute - self._last_mark >= MINUTE_MARK_EVERY:
            self._last_mark = minute
            self._write({"kind": "minute", "minute": minute})

    def ended(self, minute: int) -> None:
        """The run reached its ending at ``minute``: it only waits to be saved."""
        self._write({"kind": "end", "minute": minute}, sync=True)

    def close(self) -> None:
        """Let go of the journal, keeping it: the run is left to be recovered."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def discard(self) -> None:
        """The run was saved or abandoned on purpose: nothing to recover."""
        self.close()
        self.path.unlink(missing_ok=True)

    def _write(self, entry: dict, sync: bool = False) -> None:
        if self.error is not None:
            return
        try:
            if self._file is None:
                self._file = self.path.open("a", encoding="utf-8")
                lock(self._file)
            self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._file.flush()
            if sync:
                os.fsync(self._file.fileno())
        except OSError as error:
            self.error = error


@dataclass(frozen=True)
class JournaledRun:
    """A run read back from a journal left behind."""

    path: Path
    info: PlayInfo
    started_at: str
    run: Run


class JournalError(ValueError):
    """A journal that cannot be read back; the message says why."""


def read_journal(path: Path) -> JournaledRun:
    """The run a journal kept; a last line cut off by a kill is ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise JournalError(f"cannot read {path}: {error}") from error
    entries = []
    for number, line in enumerate(lines, 1):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            if number == len(lines):
                break  # the process died while writing it
            raise JournalError(f"{path}, line {number}: not a journal entry") from None
    if not entries or entries[0].get("kind") != "start":
        raise JournalError(f"{path}: no start line")
    header = entries[0]
    try:
        info = PlayInfo(**{name: header[name] for name in PlayInfo.__dataclass_fields__ if name in header})  # a field missing: TypeError
        commands = tuple(
            (int(e["minute"]), Command.from_dict({k: v for k, v in e.items() if k not in ("kind", "minute")}))
            for e in entries
            if e.get("kind") == "command"
        )
    except (KeyError, TypeError, ValueError) as error:
        raise JournalError(f"{path}: {error}") from None
    minute = max((int(e.get("minute", 0)) for e in entries[1:]), default=0)
    finished = any(e.get("kind") == "end" for e in entries)
    run = Run(info.scenario_id, info.scenario_version, info.seed, commands, minute, finished, info.speed)
    return JournaledRun(path, info, str(header.get("started_at", "")), run)


def leftover_journals(folder: Path) -> list[Path]:
    """Journals of runs that ended without being saved or abandoned, oldest first; runs still being played are left out."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"*{JOURNAL_SUFFIX}") if p.is_file() and not in_use(p)]
    return sorted(found, key=lambda p: p.stat().st_mtime)


def lock(file: TextIO) -> None:
    """Hold ``file`` for this process (where the platform can lock files)."""
    if fcntl is not None:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def in_use(path: Path) -> bool:
    """Whether a running game holds the journal at ``path``."""
    if fcntl is None:
        return False
    try:
        with path.open("rb") as file:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False
