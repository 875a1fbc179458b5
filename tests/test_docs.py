"""docs/authoring.md: its field reference is current, its YAML examples parse, and its scenario is clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from crisis_sim.authoring.checks import check_paths
from crisis_sim.authoring.reference import END_MARKER, START_MARKER, field_reference, with_reference

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
TUTORIAL = ROOT / "docs" / "tutorial"


def test_the_field_reference_is_current() -> None:
    text = GUIDE.read_text()
    assert with_reference(text) == text, "run: python scripts/field_reference.py"


def test_the_reference_documents_every_field_a_trainer_writes() -> None:
    reference = field_reference()
    for heading in ("### Scenario file", "#### Condition", "#### Decision", "#### DecisionOption", "### Scenario test file", "#### ScriptedStep"):
        assert heading in reference
    assert "| `any` |" in reference and "| `set` |" in reference, "fields are spelled as YAML spells them"


def test_with_reference_needs_its_markers() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_reference("# no markers here\n")
    assert with_reference(f"a\n{START_MARKER}\nold\n{END_MARKER}\nb\n").endswith(f"{END_MARKER}\nb\n")


@pytest.mark.parametrize("block", re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(), re.DOTALL), ids=lambda b: b.splitlines()[0][:40])
def test_every_yaml_example_parses(block: str) -> None:
    assert yaml.safe_load(block) is not None or block.lstrip().startswith("#")


def test_the_tutorial_scenario_passes_strict_validation() -> None:
    checks = check_paths([TUTORIAL], strict=True)
    assert [(c.path.name, c.errors, c.warnings) for c in checks] == [
        ("coffee-spill.yaml", [], []),
        ("coffee-spill.test.yaml", [], []),
    ]
