"""Load YAML data files into pydantic models with errors that name file, line and field.

Trainers write scenarios by hand, so a mistake must point at the exact place:
``scenarios/x.yaml, line 12, field 'branches[2].when.did': ...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

Location = Sequence[str | int]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file."""

    line: int | None
    field: str
    message: str

    def describe(self, path: Path | str) -> str:
        where = f"{path}, line {self.line}" if self.line else str(path)
        field = f", field '{self.field}'" if self.field else ""
        return f"{where}{field}: {self.message}"


class DataFileError(Exception):
    """A data file could not be read or is not valid."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(problem.describe(path) for problem in problems))


def field_name(location: Location) -> str:
    """Render a pydantic location as ``branches[2].when.did``."""
    name = ""
    for part in location:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def line_of(node: yaml.Node | None, location: Location) -> int | None:
    """Return the 1-based line of ``location`` in a composed YAML tree.

    Walks as deep as the location exists; a missing field reports the line of
    the mapping that should have held it.
    """
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next(
                (value for key, value in node.value if getattr(key, "value", None) == part),
                None,
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def read_yaml(path: Path) -> tuple[object, yaml.Node | None]:
    """Parse ``path`` and return its data and composed node tree."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(path, [Problem(None, "", f"cannot read file: {error.strerror or error}")]) from error
    except UnicodeDecodeError as error:
        raise DataFileError(path, [Problem(None, "", "file is not UTF-8 text")]) from error
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = f"invalid YAML: {error.problem or error.context}"
        raise DataFileError(path, [Problem(line, "", message)]) from error
    except yaml.YAMLError as error:
        raise DataFileError(path, [Problem(None, "", f"invalid YAML: {error}")]) from error


class CrossCheckError(ValueError):
    """A consistency problem found after validation, pointing at one field."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = tuple(location)
        super().__init__(message)


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    """Read ``path`` as YAML and validate it as ``model``.

    Models may define ``cross_check()`` yielding :class:`CrossCheckError` for
    problems that span fields (unknown ids, duplicates). Raises
    :class:`DataFileError` listing every problem with its line and field.
    """
    data, root = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path, [Problem(1, "", "expected a mapping of fields at the top level")])
    try:
        loaded = model.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(line_of(root, detail["loc"]), field_name(detail["loc"]), detail["msg"])
            for detail in error.errors(include_url=False)
        ]
        raise DataFileError(path, problems) from None
    cross_check = getattr(loaded, "cross_check", None)
    if cross_check is not None:
        problems = [
            Problem(line_of(root, error.location), field_name(error.location), str(error))
            for error in cross_check()
        ]
        if problems:
            raise DataFileError(path, problems)
    return loaded
