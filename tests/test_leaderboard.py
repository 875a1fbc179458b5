"""``crisis-sim scores``: formats, filters and limits, and export/import between engines."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crisis_sim.cli import main
from crisis_sim.engine import Scenario
from crisis_sim.scoreboard import record_of
from crisis_sim.store import open_store

from .test_store import game


@pytest.fixture
def board(tmp_path: Path, mini: Scenario) -> Path:
    """A scoreboard with two cohorts, two versions and a hostile name."""
    path = tmp_path / "board.db"
    with open_store(path) as store:
        store.import_records(
            [
                record_of(game(mini, "Ann", "Red", cohort="Class A"), datetime(2026, 11, 1, tzinfo=UTC)),
                record_of(game(mini, "=cmd|' /C calc'!A0", "Blue", apologise=False, cohort="Class A"), datetime(2026, 11, 2, tzinfo=UTC)),
                record_of(game(mini, "[red]Cy[/]", "Red", version="2", cohort="Class B"), datetime(2026, 11, 3, tzinfo=UTC)),
            ]
        )
    return path


def test_table_shows_each_version_apart_and_names_as_typed(board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(board), "scores"]) == 0
    out = capsys.readouterr().out
    assert "Cold Coffee · version 1 · 0.5 min/s — players" in out and "Cold Coffee · version 2 · 0.5 min/s — players" in out
    assert "[red]Cy[/]" in out, "names are shown as typed, never read as markup"


def test_json_and_filters(board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(board), "scores", "--cohort", "Class A", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["player"] for p in data["players"]] == ["Ann", "=cmd|' /C calc'!A0"]
    assert {t["team"] for t in data["teams"]} == {"Red", "Blue"}
    assert main(["--db", str(board), "scores", "--until", "2026-11-01", "--format", "json"]) == 0
    assert [p["player"] for p in json.loads(capsys.readouterr().out)["players"]] == ["Ann"], "--until includes its day"
    assert main(["--db", str(board), "scores", "--since", "2026-11-03", "--limit", "1", "--format", "json"]) == 0
    assert [p["player"] for p in json.loads(capsys.readouterr().out)["players"]] == ["[red]Cy[/]"]


def test_csv_defuses_spreadsheet_formulas(board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(board), "scores", "--format", "csv", "--scenario-version", "1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["player"] for r in rows] == ["Ann", "'=cmd|' /C calc'!A0"]
    assert rows[0]["place"] == "1" and rows[0]["scenario_version"] == "1"


def test_bad_dates_are_refused(board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--db", str(board), "scores", "--since", "yesterday"])
    assert "expected a date like 2026-11-30" in capsys.readouterr().err


def test_export_and_import_move_results_without_duplicates(board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "class-a.json"
    assert main(["--db", str(board), "scores", "export", str(exported), "--cohort", "Class A"]) == 0
    assert "Exported 2 result(s)" in capsys.readouterr().out
    target = tmp_path / "room.db"
    assert main(["--db", str(target), "scores", "import", str(exported)]) == 0
    assert "2 added, 0 already there" in capsys.readouterr().out
    assert main(["--db", str(target), "scores", "import", str(exported), str(exported)]) == 0
    assert "0 added, 4 already there" in capsys.readouterr().out
    data = json.loads(exported.read_text())
    data["results"][0]["result"]["player"] = "Mallory"
    exported.write_text(json.dumps(data))
    assert main(["--db", str(target), "scores", "import", str(exported)]) == 1
    captured = capsys.readouterr()
    assert "1 conflict(s)" in captured.out and "left as it is" in captured.err
    with open_store(target) as store:
        assert sorted(r.player for r in store.results()) == ["=cmd|' /C calc'!A0", "Ann"]


def test_results_move_to_postgresql(board: Path, tmp_path: Path, postgres_address: str, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "all.json"
    assert main(["--db", str(board), "scores", "export", str(exported)]) == 0
    assert main(["--db", postgres_address, "scores", "import", str(exported)]) == 0
    assert "3 added" in capsys.readouterr().out
    assert main(["--db", postgres_address, "scores", "--cohort", "Class A", "--format", "json"]) == 0
    assert [p["player"] for p in json.loads(capsys.readouterr().out)["players"]] == ["Ann", "=cmd|' /C calc'!A0"]


def test_an_unknown_file_is_refused_before_anything_is_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stray = tmp_path / "notes.json"
    stray.write_text('{"hello": 1}')
    assert main(["--db", str(tmp_path / "b.db"), "scores", "import", str(stray)]) == 1
    assert "not a crisis-sim results file" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()


def test_a_postgresql_address_in_the_environment_is_used(postgres_address: str, mini: Scenario, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(postgres_address) as store:
        store.record(game(mini, "Ann", "Red", cohort="Class A"))
    monkeypatch.setenv("CRISIS_SIM_DB", postgres_address)
    assert main(["scores", "--format", "json"]) == 0
    assert [p["player"] for p in json.loads(capsys.readouterr().out)["players"]] == ["Ann"]
