"""``crisis-sim play FILE --watch``: reload the scenario when its file (or its tests) change and restart the run.

A file that no longer loads is shown as a notification with every problem's
line and field; the game keeps running on the last good version.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from ..authoring.scenario_tests import StepError, tests_path_for
from ..config import GameConfig
from ..engine import DataFileError, Scenario, load_scenario
from .flow import Play
from .screens import GameScreen

DEBOUNCE_MS = 200


async def watch_scenario(app: App, config: GameConfig, path: Path) -> None:
    """Wait for saves to ``path`` or its test file, and reload after each one.

    Watches the folder, not the file: editors often save by writing a new file
    and renaming it over the old one.
    """
    from watchfiles import awatch

    watched = {path.resolve(), tests_path_for(path).resolve()}
    async for _changes in awatch(
        path.parent, watch_filter=lambda _change, changed: Path(changed).resolve() in watched, debounce=DEBOUNCE_MS, recursive=False
    ):
        reload(app, config, path)


def reload(app: App, config: GameConfig, path: Path) -> Scenario | None:
    """Load ``path`` again and start a new run of it; on a load error, say why and keep playing."""
    try:
        scenario = load_scenario(path)
        if config.fast_forward is not None:
            config.fast_forward.check(scenario, config.seed if config.seed is not None else 0, config.rules)
    except (DataFileError, StepError) as error:
        app.notify(str(error), title=f"{path.name} not reloaded", severity="error", timeout=15, markup=False)
        return None
    config.scenarios = [s for s in config.scenarios if s.id != scenario.id] + [scenario]
    config.start_scenario = scenario.id
    while len(app.screen_stack) > 1:
        app.pop_screen()
    app.push_screen(GameScreen(config, Play.start(config, scenario, config.player, config.team)))
    start = f" from minute {config.fast_forward.minute}" if config.fast_forward is not None else ""
    app.notify(f"Reloaded {path.name}; the run restarted{start}.", title="Scenario reloaded", markup=False)
    return scenario
