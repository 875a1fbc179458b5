"""Bad input to the trainer commands: a clear message naming the problem, an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis_sim.cli import main
from crisis_sim.engine import datafile

from .conftest import MINI

COMMANDS = (["validate"], ["validate", "--strict"], ["test"], ["graph"], ["simulate", "--runs", "1"])


def run_everywhere(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run every trainer command on ``path`` (with a scenario test beside it); each must fail with exit code 1 and no traceback."""
    path.with_name(path.stem + ".test.yaml").write_text("runs:\n  - name: silent\n")
    outputs = []
    for command in COMMANDS:
        code = main([*command, str(path)])
        captured = capsys.readouterr()
        output = captured.err + captured.out
        assert code == 1, (command, output)
        assert "Traceback" not in output
        outputs.append(output)
    return outputs


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI.read_text()
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_typo_in_a_field_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken_copy(tmp_path, "    when: {after: 30, unanswered: complaint}", "    when: {afer: 30, unanswered: complaint}")
    for output in run_everywhere(path, capsys):
        assert "line 56, field 'branches[2].when.afer': Extra inputs are not permitted" in output


def test_a_typo_in_an_id_gets_a_did_you_mean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken_copy(tmp_path, "unanswered: complaint}", "unanswered: complant}")
    for output in run_everywhere(path, capsys):
        assert "no post with id 'complant'; did you mean 'complaint'?" in output


def test_a_cycle_of_branches_firing_each_other(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken_copy(tmp_path, "      end: meltdown\n", "      end: meltdown\n      fire: silence\n")
    path.write_text(path.read_text().replace("      spawn: {count: 2, sentiment: angry}\n", "      spawn: {count: 2, sentiment: angry}\n      fire: lawyer-up\n"))
    for output in run_everywhere(path, capsys):
        assert "branches fire each other in a loop" in output and "silence" in output and "lawyer-up" in output


def test_a_decision_with_no_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decision = '      decide: {id: comp, prompt: "Free coffee?", default: yes-please, options: []}\n'
    path = broken_copy(tmp_path, "      message: The post is trending locally.\n", f"      message: The post is trending locally.\n{decision}")
    for output in run_everywhere(path, capsys):
        assert "field 'branches[2].then.decide.options': a decision needs at least two options to choose from, not 0" in output


def test_not_yaml_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    for output in run_everywhere(path, capsys):
        assert "not UTF-8" in output


def test_a_list_instead_of_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n")
    for output in run_everywhere(path, capsys):
        assert "expected a mapping of fields at the top level" in output


def test_a_broken_test_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mini.yaml").write_text(MINI.read_text())
    (tmp_path / "mini.test.yaml").write_text("runs:\n  - name: x\n    steps: [{at: -1, reply: {post: complaint}}]\n")
    for command in (["validate"], ["test"]):
        assert main([*command, str(tmp_path)]) == 1
        output = capsys.readouterr()
        assert "mini.test.yaml, line 3, field 'runs[0].steps[0].at': Input should be greater than or equal to 0" in output.err + output.out


@pytest.mark.skipif(not hasattr(datafile, "MAX_FILE_BYTES"), reason="needs datafile.MAX_FILE_BYTES, the file size limit from the datafile-hardening branch")
def test_a_10_mb_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(MINI.read_text() + "#" + "x" * (10 * 1024 * 1024) + "\n")
    for output in run_everywhere(path, capsys):
        assert "larger than" in output


@pytest.mark.skipif(not hasattr(datafile, "MAX_NODES"), reason="needs datafile.MAX_NODES, the alias-expansion limit from the datafile-hardening branch")
def test_a_yaml_alias_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join(f'*{previous}' for _ in range(9))}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    for output in run_everywhere(path, capsys):
        assert "bomb.yaml" in output


def test_names_that_look_like_rich_markup_are_printed_as_typed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["graph", "[/x]"], ["simulate", "[bold]nope"], ["validate", str(tmp_path / "[/y].yaml")], ["test", str(tmp_path / "[/z]")]):
        assert main(command) == 1
        captured = capsys.readouterr()
        assert command[-1] in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("runs", ["0", "-3", "100000"])
def test_simulate_refuses_a_silly_number_of_runs(runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["simulate", str(MINI), "--runs", runs])
    assert exited.value.code == 2
    assert "--runs must be between 1 and 10,000" in capsys.readouterr().err
