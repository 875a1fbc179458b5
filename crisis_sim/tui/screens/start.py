"""The menu: who is playing, which scenario, and what was wrong with broken scenario files."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...config import GameConfig
from ...engine import DataFileError, Scenario
from ..flow import Play
from .briefing import BriefingScreen
from .graph import GraphScreen
from .scoreboard import ScoreboardScreen

NO_SCENARIOS = (
    "No scenarios to play.\n"
    "Put scenario YAML files in the scenario folder (default {folder}; change it with --scenarios DIR or "
    "$CRISIS_SIM_SCENARIOS), or play one file directly: crisis-sim play path/to/scenario.yaml.\n"
    "crisis-sim validate lists what is wrong with each file."
)


def scenario_prompt(scenario: Scenario) -> Text:
    """Two lines: title, brand and length; then the summary."""
    return Text.assemble(
        (scenario.title, "bold"),
        (f"  {scenario.brand.name} · {scenario.duration_minutes} min\n", "grey62"),
        ("  " + scenario.summary.strip(), "italic"),
    )


def broken_files_report(errors: list[DataFileError], shown: Callable[[str], str] = str) -> Text:
    """Each skipped file, then every problem in it with its line and field; ``shown`` hides server paths."""
    report = Text()
    for error in errors:
        report.append(f"Skipped broken scenario file: {shown(str(error.path))}\n", style="bold")
        for problem in error.problems:
            report.append(f"  {problem.describe(error.path.name)}\n")
    report.rstrip()
    return report


class StartScreen(Screen):
    """Pick a player name, a team and a scenario."""

    BINDINGS = [  # control keys, so they work while typing a name
        Binding("ctrl+s", "scoreboard", "Scoreboard"),
        Binding("ctrl+g", "graph", "Branch graph"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, config: GameConfig) -> None:
        super().__init__()
        self.config = config

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="start"):
            title = Text.assemble(("crisis-sim", "bold"), "  ·  handle a social-media crisis before it handles you")
            yield Static(title, id="app-title")
            if self.config.scenario_errors:
                report = broken_files_report(self.config.scenario_errors, self.config.shown_file)
                errors = Static(report, id="scenario-errors", classes="error")
                errors.border_title = "Broken scenario files"
                yield errors
            with Horizontal(id="who"):
                with Vertical():
                    yield Label("Player")
                    yield Input(self.config.player, placeholder="your name", id="player")
                with Vertical():
                    yield Label("Team")
                    yield Input(self.config.team, placeholder="your team", id="team")
            if self.config.scenarios:
                options = [Option(scenario_prompt(scenario), id=scenario.id) for scenario in self.config.scenarios]
                scenarios = OptionList(*options, id="scenarios")
                scenarios.border_title = "Scenarios (↑/↓, Enter to start)"
                yield scenarios
            else:
                help_text = NO_SCENARIOS.format(folder=self.config.shown(str(self.config.scenario_dir)))
                yield Static(help_text, id="no-scenarios", classes="error", markup=False)
            yield Button("Start", variant="primary", id="start-button", disabled=not self.config.scenarios)
        yield Footer()

    def on_mount(self) -> None:
        if self.config.scenarios:
            scenarios = self.query_one(OptionList)
            ids = [scenario.id for scenario in self.config.scenarios]
            start = self.config.start_scenario
            scenarios.highlighted = ids.index(start) if start in ids else 0
            if self.config.player:
                scenarios.focus()
        if not self.config.player:
            self.query_one("#player", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on: player, then team, then the scenario list."""
        if event.input.id == "player":
            self.query_one("#team", Input).focus()
        elif self.config.scenarios:
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.start(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        scenarios = self.query_one(OptionList)
        if scenarios.highlighted is not None:
            self.start(scenarios.get_option_at_index(scenarios.highlighted).id)

    def start(self, scenario_id: str | None) -> None:
        scenario = self.config.scenario(scenario_id or "")
        if scenario is not None:
            player = self.query_one("#player", Input).value
            team = self.query_one("#team", Input).value
            self.app.push_screen(BriefingScreen(self.config, Play.start(self.config, scenario, player, team)))

    def action_graph(self) -> None:
        """Show the highlighted scenario's branch tree, for trainers checking their work."""
        if not self.config.scenarios:
            return
        scenarios = self.query_one(OptionList)
        scenario = self.config.scenario(scenarios.get_option_at_index(scenarios.highlighted or 0).id or "")
        if scenario is not None:
            self.app.push_screen(GraphScreen(scenario))

    def action_scoreboard(self) -> None:
        self.app.push_screen(ScoreboardScreen(self.config))
