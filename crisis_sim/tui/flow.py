"""The values that travel between screens: who plays what, and how a run ended."""

from __future__ import annotations

import random
from dataclasses import dataclass

from textual.message import Message

from ..config import GameConfig
from ..engine import Scenario, Session
from ..journal import PlayInfo, RunJournal

MAX_RANDOM_SEED = 1_000_000


@dataclass(frozen=True)
class Play:
    """One play-through as the screens pass it on: scenario, player, team, seed and clock speed."""

    scenario: Scenario
    player: str
    team: str
    seed: int
    speed: float

    @classmethod
    def start(cls, config: GameConfig, scenario: Scenario, player: str, team: str) -> Play:
        """A new play: the configured seed, else a fresh random one, so every run can be replayed."""
        seed = config.seed if config.seed is not None else random.randrange(MAX_RANDOM_SEED)
        return cls(scenario, player, team, seed, config.minutes_per_second)

    def info(self, db_path: str, cohort: str = "") -> PlayInfo:
        """What the run's journal records about it."""
        scenario = self.scenario
        return PlayInfo(scenario.id, scenario.version, self.seed, self.speed, self.player, self.team, db_path, cohort)


@dataclass(frozen=True)
class UnsentDraft:
    """Words the player was still writing when the clock ran out: shown in the debrief, never lost."""

    title: str
    text: str


class Finished(Message):
    """The game screen's run has ended (time, a branch's ending, or the player finished)."""

    def __init__(self, play: Play, session: Session, drafts: tuple[UnsentDraft, ...], journal: RunJournal | None) -> None:
        super().__init__()
        self.play = play
        self.session = session
        self.drafts = drafts
        self.journal = journal
