"""Shared fixtures: the small test scenario and a writer for broken copies of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from crisis_sim.engine import Scenario, Session, load_scenario

# Property tests: a quick default so the whole suite stays fast; `--hypothesis-profile thorough` digs deeper.
settings.register_profile(
    "quick", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
settings.load_profile("quick")

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


@pytest.fixture(autouse=True)
def user_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away user data folder, so no test writes unsaved results or crash reports into the real one."""
    folder = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder / "crisis-sim"


@pytest.fixture
def mini() -> Scenario:
    return load_scenario(MINI)


@pytest.fixture
def session(mini: Scenario) -> Session:
    return Session(mini, seed=7)


@pytest.fixture
def edited_mini(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a copy of mini.yaml with one piece of text replaced, and return its path."""

    def edit(old: str, new: str) -> Path:
        text = MINI.read_text()
        assert old in text, f"{old!r} is not in mini.yaml"
        path = tmp_path / "edited.yaml"
        path.write_text(text.replace(old, new, 1))
        return path

    return edit


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throw-away PostgreSQL cluster for the whole run; the tests that need it skip, saying why, where none can start."""
    from .postgres_cluster import start_cluster

    cluster = start_cluster()
    if isinstance(cluster, str):
        pytest.skip(cluster)
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_address(postgres_cluster) -> str:
    """A fresh, empty PostgreSQL database."""
    return postgres_cluster.new_database()


@pytest.fixture(autouse=True)
def private_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Journals, crash reports and default scoreboards of a test go to a folder of its own, never the user's."""
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.delenv("CRISIS_SIM_DB", raising=False)
    return folder


KEY_GUARDS = (
    ("crisis_sim.tui.screens.debrief", "KEY_GUARD_SECONDS"),
    ("crisis_sim.tui.screens.game", "TRANSITION_GUARD_SECONDS"),
    ("crisis_sim.tui.screens.dialogs", "CONFIRM_GUARD_SECONDS"),
    ("crisis_sim.tui.screens.decision", "DECISION_GUARD_SECONDS"),
)


@pytest.fixture(autouse=True)
def no_key_guards(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot tests press keys at once; the guards against stray keys have their own tests, which turn them back on."""
    for module, name in KEY_GUARDS:
        monkeypatch.setattr(f"{module}.{name}", 0.0)
