"""JSON Schemas generated from the pydantic models, so editors validate and autocomplete scenario files.

The models are the one source of truth: ``schemas/*.schema.json`` (for the
checkout) and ``crisis_sim/schemas/*.schema.json`` (shipped in the package) are
written from them by ``scripts/write_schemas.py``, and a test fails when either
is stale. Scenario files point at the schema with their first line::

    # yaml-language-server: $schema=../schemas/scenario.schema.json
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..engine.scenario import Scenario
from .scenario_tests import ScenarioTests

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PACKAGE_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
CHECKOUT_SCHEMA_DIR = PACKAGE_SCHEMA_DIR.parent.parent / "schemas"
SCHEMAS: dict[str, type[BaseModel]] = {"scenario.schema.json": Scenario, "scenario-tests.schema.json": ScenarioTests}
SCENARIO_SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/scenario.schema.json"
TESTS_SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/scenario-tests.schema.json"


def schema(model: type[BaseModel]) -> dict:
    """``model``'s JSON Schema as YAML files spell it (aliases such as ``any`` and ``set``)."""
    return {"$schema": JSON_SCHEMA_DIALECT, **model.model_json_schema(by_alias=True)}


def render(model: type[BaseModel]) -> str:
    """The schema file's text: stable, indented, ending in a newline."""
    return json.dumps(schema(model), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` and return the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, model in SCHEMAS.items():
        path = folder / name
        text = render(model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(folder: Path) -> list[Path]:
    """Schema files in ``folder`` that are missing or differ from the models."""
    return [folder / name for name, model in SCHEMAS.items() if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != render(model)]
