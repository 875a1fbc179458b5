"""The JSON Schemas: generated from the models, committed in both places, and they accept the shipped files."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from crisis_sim.authoring.scenario_tests import ScenarioTests, is_test_file
from crisis_sim.authoring.schema import (
    CHECKOUT_SCHEMA_DIR,
    PACKAGE_SCHEMA_DIR,
    SCENARIO_SCHEMA_LINE,
    TESTS_SCHEMA_LINE,
    schema,
    stale_schemas,
)
from crisis_sim.engine import Scenario

from .conftest import MINI

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("folder", [CHECKOUT_SCHEMA_DIR, PACKAGE_SCHEMA_DIR], ids=["schemas", "crisis_sim/schemas"])
def test_committed_schemas_match_the_models(folder: Path) -> None:
    assert stale_schemas(folder) == [], "run: python scripts/write_schemas.py"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_name_their_schema_and_pass_it(path: Path) -> None:
    model = ScenarioTests if is_test_file(path) else Scenario
    first_line = TESTS_SCHEMA_LINE if is_test_file(path) else SCENARIO_SCHEMA_LINE
    assert path.read_text().splitlines()[0] == first_line
    jsonschema.validate(yaml.safe_load(path.read_text()), schema(model))


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    data = yaml.safe_load(MINI.read_text())
    data["branches"][0]["when"]["afer"] = 5
    with pytest.raises(jsonschema.ValidationError, match="afer"):
        jsonschema.validate(data, schema(Scenario))


def test_the_schema_spells_fields_as_yaml_does() -> None:
    condition = schema(Scenario)["$defs"]["Condition"]["properties"]
    assert {"any", "all", "not"} <= set(condition)
    assert "set" in schema(Scenario)["$defs"]["Effect"]["properties"]
