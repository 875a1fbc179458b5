"""Replays and after-action reports built from a stored run."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from rich.console import Console

from crisis_sim.engine import Action, Command, Scenario, Session, score_session
from crisis_sim.report import ResultReport, md, render_html, render_markdown, report_of
from crisis_sim.review import timeline_view
from crisis_sim.timeline import ReplayError, clean, replay_saved

HOSTILE = '[/]<script>alert(1)</script> | *bold* \x1b]0;pwned\x07 & "q"'


def played(mini: Scenario, player: str = "Ann", finish: bool = True) -> dict[str, Any]:
    """A saved-result row as the scoreboard returns it, with the stored run."""
    session = Session(mini, seed=5)
    session.advance(3)
    session.respond(Command(Action.APOLOGY, "complaint", "Maya, we're so sorry: that's on us. " + HOSTILE))
    session.advance(4)
    session.respond(Command(Action.STATUS_UPDATE, None, "We are retraining the team today."))
    if finish:
        session.finish()
    card = score_session(session)
    return {
        "id": 7, "player": player, "team": "Red", "played_at": "2026-11-26T09:00:00+00:00", "scenario_id": mini.id,
        "scenario_title": mini.title, "ending": session.ending.title if session.ending else "", "overall": card.overall,
        **{c: card[c] for c in ("speed", "empathy", "honesty")}, "run": session.run(8.0).to_dict(),
    }  # fmt: skip


def test_replay_shows_each_minute_what_was_seen_done_and_scored(mini: Scenario) -> None:
    saved = played(mini)
    replayed = replay_saved(saved, [mini])
    assert replayed.warnings == ()
    assert replayed.scorecard.overall == saved["overall"]
    [apology_minute] = [step for step in replayed.steps if step.minute == 3]
    assert apology_minute.answers[0].response.action is Action.APOLOGY
    assert apology_minute.answers[0].post is not None and apology_minute.answers[0].post.id == "complaint"
    assert any(m.points > 0 for m in apology_minute.moments), "the apology earned points at its minute"
    first = replayed.steps[0]
    assert first.minute == 0 and any(p.id == "complaint" for p in first.posts), "the player saw the complaint at minute 0"
    assert [s.minute for s in replayed.steps] == sorted(s.minute for s in replayed.steps)


def test_replay_says_why_it_cannot_be_rebuilt(mini: Scenario) -> None:
    saved = played(mini)
    with pytest.raises(ReplayError, match="without its run"):
        replay_saved(saved | {"run": None}, [mini])
    with pytest.raises(ReplayError, match="not in the scenario folder"):
        replay_saved(saved, [])
    with pytest.raises(ReplayError, match="damaged run"):
        replay_saved(saved | {"run": {"scenario": "mini"}}, [mini])


def test_replay_warns_when_the_scenario_or_score_changed(mini: Scenario) -> None:
    saved = played(mini)
    changed = mini.model_copy(update={"version": "2"})
    replayed = replay_saved(saved | {"overall": saved["overall"] + 1}, [changed])
    assert any("version 1" in w and "version 2" in w for w in replayed.warnings)
    assert any("the saved result has" in w for w in replayed.warnings)


def test_the_printed_timeline_is_plain_text_whatever_was_typed(mini: Scenario) -> None:
    replayed = replay_saved(played(mini, player="[red]Eve[/]"), [mini])
    console = Console(record=True, width=200, color_system=None)
    console.print(timeline_view(replayed, all_posts=False))
    out = console.export_text()
    assert "[red]Eve[/]" in out, "names are printed as typed, never read as markup"
    assert "[/]<script>" in out and "\x1b" not in out and "\x07" not in out
    assert "minute 3" in out and "apology" in out


def test_markdown_report_has_scores_timeline_moments_and_escapes_text(mini: Scenario) -> None:
    report = report_of(played(mini, player="*Eve* | <b>"), [], [mini], None)
    text = render_markdown("After-action report: Class <A>", [report])
    assert "# After-action report: Class &lt;A&gt;" in text
    assert "\\*Eve\\* \\| &lt;b&gt;" in text
    assert "<script>" not in text and "\x1b" not in text
    assert "### Timeline" in text and "### Moments that earned or cost points" in text
    assert re.search(r"\| 3 \| player \| public apology to @mayalopez", text)


def test_a_result_without_a_run_still_reports_its_saved_moments(mini: Scenario) -> None:
    saved = played(mini) | {"run": None}
    moments = [{"minute": 3, "category": "empathy", "points": 6, "text": "Apologised to Maya"}]
    report = report_of(saved, moments, [mini], None)
    assert report.replay is None and "without its run" in (report.problem or "")
    text = render_markdown("r", [report])
    assert "Apologised to Maya" in text and "### Timeline" not in text


class Collected(HTMLParser):
    """Every tag and its attributes, and the text, of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_one_offline_file_with_every_string_escaped(mini: Scenario) -> None:
    reports: list[ResultReport] = [report_of(played(mini, player=HOSTILE), [], [mini], None)]
    page = render_html("Report <for> " + HOSTILE, reports)
    parsed = Collected()
    parsed.feed(page)
    tags = {tag for tag, _ in parsed.tags}
    assert "script" not in tags and "b" in tags, "player text never becomes a tag"
    assert not any(name in attrs for _, attrs in parsed.tags for name in ("src", "href")), "nothing is fetched"
    assert "link" not in tags and "img" not in tags
    assert html.escape(clean(HOSTILE)) in page
    assert "\x1b" not in page and "\x07" not in page
    assert "<h3>Timeline</h3>" in page and 'class="num gain"' in page


def test_model_replies_show_when_the_scenario_has_them(mini: Scenario) -> None:
    complaint = mini.posts[0].model_copy(update={"model_reply": "Maya, that's on us. Your next coffee is on the house."})
    with_reply = mini.model_copy(update={"posts": [complaint, *mini.posts[1:]]})
    report = report_of(played(mini), [], [with_reply], None)
    assert "### Model replies" in render_markdown("r", [report])
    assert "Your next coffee is on the house." in render_html("r", [report])
    assert "Model replies" not in render_markdown("r", [report_of(played(mini), [], [mini], None)])


def test_markdown_escape_leaves_no_markup() -> None:
    assert md("a|b *c* [x](y) <i>\n#h 2-1") == "a\\|b \\*c\\* \\[x\\](y) &lt;i&gt; \\#h 2-1"


async def test_the_replay_screen_steps_through_minutes_and_answers(mini: Scenario) -> None:
    from textual.app import App
    from textual.widgets import OptionList, Static

    from crisis_sim.tui.screens.replay import ReplayScreen

    replayed = replay_saved(played(mini, player="[b]Eve"), [mini])

    class Viewer(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ReplayScreen(replayed))

    app = Viewer()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        detail = app.screen.query_one("#replay-step", Static)
        assert "Minute 0" in str(detail.content)
        await pilot.press("a")  # the next minute the player did something
        steps = app.screen.query_one("#replay-steps", OptionList)
        assert replayed.steps[steps.highlighted or 0].minute == 3
        shown = str(detail.content)
        assert "public apology" in shown and "[/]<script>" in shown
        await pilot.press("down")
        assert "Minute 3" not in str(detail.content)
        assert "[b]Eve" in str(app.screen.query_one("#replay-head", Static).content)


async def test_the_scoreboard_sorts_charts_a_team_and_opens_a_replay(mini: Scenario, tmp_path) -> None:
    from textual.widgets import DataTable

    from crisis_sim.config import GameConfig
    from crisis_sim.store import open_store
    from crisis_sim.tui.app import CrisisSimApp
    from crisis_sim.tui.screens import ScoreboardScreen
    from crisis_sim.tui.screens.replay import ReplayScreen

    from .test_store import game

    config = GameConfig(scenarios=[mini], db_path=tmp_path / "s.db", player="Ann", minutes_per_second=0)
    with open_store(config.db_path) as store:
        for player, apologise in (("Ann", True), ("Bob", False), ("Cy", True)):
            store.record(game(mini, player, "Red", apologise=apologise))
    app = CrisisSimApp(config)
    async with app.run_test(size=(160, 50)) as pilot:
        app.push_screen(ScoreboardScreen(config))
        await pilot.pause()
        recent = app.screen.query_one("#recent", DataTable)
        players = app.screen.query_one(".players", DataTable)
        best_first = [players.get_row_at(i)[1].plain for i in range(players.row_count)]
        players.post_message(DataTable.HeaderSelected(players, players.ordered_columns[3].key, 3, players.ordered_columns[3].label))
        await pilot.pause()
        players.post_message(DataTable.HeaderSelected(players, players.ordered_columns[3].key, 3, players.ordered_columns[3].label))
        await pilot.pause()
        assert [players.get_row_at(i)[1].plain for i in range(players.row_count)] == best_first, "best score, highest first"
        teams = app.screen.query_one(".teams", DataTable)
        teams.focus()
        await pilot.pause()
        chart = app.screen.query_one("#progress")
        assert chart.has_class("shown") and "Red on Cold Coffee" in str(chart.border_title)
        recent.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)


@pytest.fixture
def saved_board(tmp_path, mini: Scenario):
    """A scoreboard with two results of one cohort (one by a hostile name) and the scenario folder they were played on."""
    import shutil

    from crisis_sim.store import open_store

    from .conftest import MINI
    from .test_store import game

    library = tmp_path / "scenarios"
    library.mkdir()
    shutil.copy(MINI, library / "mini.yaml")
    path = tmp_path / "board.db"
    with open_store(path) as store:
        ids = [store.record(game(mini, name, "Red", cohort="Class A", apologise=name == "Ann")) for name in ("Ann", HOSTILE)]
    return path, library, ids


def test_replay_command_prints_the_timeline(saved_board, capsys: pytest.CaptureFixture[str]) -> None:
    from crisis_sim.cli import main

    path, library, (first, _) = saved_board
    assert main(["--db", str(path), "--scenarios", str(library), "replay", str(first)]) == 0
    out = capsys.readouterr().out
    assert f"#{first} Ann (Red)" in out and "minute 0" in out and "public apology to @mayalopez" in out
    assert main(["--db", str(path), "--scenarios", str(library), "replay", "999"]) == 2
    assert "no result #999" in capsys.readouterr().err


def test_report_command_writes_a_cohort_report(saved_board, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    from crisis_sim.cli import main

    path, library, ids = saved_board
    target = tmp_path / "class-a.html"
    assert main(["--db", str(path), "--scenarios", str(library), "report", "--cohort", "Class A", "--format", "html", "-o", str(target)]) == 0
    assert "2 result(s)" in capsys.readouterr().out
    page = target.read_text()
    assert page.index(">Ann<") < page.index(html.escape(clean(HOSTILE))), "oldest first, every name escaped"
    assert "<script>" not in page
    assert main(["--db", str(path), "--scenarios", str(library), "report", str(ids[0])]) == 0
    assert "# After" in capsys.readouterr().out
    assert main(["--db", str(path), "report", "--cohort", "Nobody"]) == 2
    assert "no results in cohort 'Nobody'" in capsys.readouterr().err
