"""Load YAML data files into pydantic models with errors that name file, line and field.

Trainers write scenarios by hand, so a mistake must point at the exact place:
``scenarios/x.yaml, line 12, field 'branches[2].when.did': ...``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .fastyaml import Unusual, build

ModelT = TypeVar("ModelT", bound=BaseModel)

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader (about 10x faster) where PyYAML was built with it."""

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Bigger data files are refused before parsing: a scenario of 10,000 posts is about 2 MB."""
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings; real scenarios use about 8 levels."""
MAX_NODES = 1_000_000
"""Most values a document may hold once aliases are expanded."""
MAX_NUMBER_DIGITS = 1000
LONG_NUMBER = re.compile(r"[-+]?[0-9_:]+")
"""A plain scalar YAML would read as an integer; past 4,300 digits Python refuses to convert it."""

Location = Sequence[str | int]
Locate = Callable[[Location], int | None]
"""Gives the 1-based line where the value at a location starts."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file."""

    line: int | None
    field: str
    message: str

    def describe(self, path: Path | str) -> str:
        """One line: ``file, line N, field 'x': message``."""
        where = f"{path}, line {self.line}" if self.line else str(path)
        field = f", field '{_visible(self.field)}'" if self.field else ""
        return f"{where}{field}: {_visible(' '.join(self.message.splitlines()))}"


def _visible(text: str) -> str:
    """Control characters (a key may hold any) written as ``\\xNN``, so a problem stays one readable line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda found: f"\\x{ord(found.group()):02x}", text)


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


def read_text(path: Path) -> str:
    """The text of ``path`` if it is a regular UTF-8 file of a sensible size.

    Opened without blocking, so a FIFO or device in the scenario folder is
    reported instead of hanging the game.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        broken_link = path.is_symlink() and not path.exists()
        reason = "broken symbolic link" if broken_link else f"cannot read file: {error.strerror or error}"
        raise DataFileError(path, [Problem(None, "", reason)]) from error
    try:
        kind = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(kind):
            raise DataFileError(path, [Problem(None, "", f"not a regular file ({_file_kind(kind)}); skipped")])
        data = _read_at_most(descriptor, MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DataFileError(path, [Problem(None, "", f"cannot read file: {error.strerror or error}")]) from error
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise DataFileError(path, [Problem(None, "", f"file is larger than {limit} MB; split it or trim it")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(path, [Problem(None, "", "file is not UTF-8 text")]) from error


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit and (chunk := os.read(descriptor, min(1 << 20, limit - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a plain file")


def check_shape(text: str) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` and documents whose aliases expand past ``MAX_NODES``.

    Reads the parser's events only (no recursion, nothing built), so a
    "billion laughs" file or a thousand nested lists is refused in moments.
    """
    sizes: list[int] = [0]
    anchored: list[str | None] = []
    expanded: dict[str, int] = {}
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(anchored) >= MAX_DEPTH:
                raise ShapeError(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
            anchored.append(event.anchor)
            sizes.append(1)
        elif isinstance(event, yaml.CollectionEndEvent):
            size, anchor = sizes.pop(), anchored.pop()
            sizes[-1] += size
            if anchor is not None:
                expanded[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            sizes[-1] += 1
            if event.implicit[0] and len(event.value) > MAX_NUMBER_DIGITS and LONG_NUMBER.fullmatch(event.value):
                raise ShapeError(event.start_mark, f"a number with more than {MAX_NUMBER_DIGITS} digits")
            if event.anchor is not None:
                expanded[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            sizes[-1] += expanded.get(event.anchor, 1)
        if sizes[-1] > MAX_NODES:
            raise ShapeError(event.start_mark, f"more than {MAX_NODES:,} values once aliases are expanded (an alias bomb?)")


class ShapeError(yaml.MarkedYAMLError):
    """The document is too deep or too big once its aliases are expanded."""

    def __init__(self, mark: yaml.Mark, problem: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def read_yaml(path: Path) -> tuple[object, Locate]:
    """Parse ``path`` and return its data and where each value starts (for error messages)."""
    text = read_text(path)
    try:
        check_shape(text)
        return parse(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = f"invalid YAML: {error.problem or error.context}"
        raise DataFileError(path, [Problem(line, "", message)]) from error
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        character = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"invalid YAML: character U+{character:04X} is not allowed ({error.reason})"
        raise DataFileError(path, [Problem(line, "", message)]) from error
    except yaml.YAMLError as error:
        raise DataFileError(path, [Problem(None, "", f"invalid YAML: {error}")]) from error
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise DataFileError(path, [Problem(None, "", f"invalid value: {error}")]) from error


def parse(text: str) -> tuple[object, Locate]:
    """The data in ``text`` and a function giving the line of a location in it.

    The fast path builds the data straight from parser events; YAML it does
    not handle goes through PyYAML's loader, keeping the node tree for lines.
    """
    try:
        data, lines = build(text, Loader)
    except Unusual:
        loader = Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
        return data, lambda location: line_of(root, location)
    return data, lambda location: lines.line_of(data, location)


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
    data, locate = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path, [Problem(1, "", "expected a mapping of fields at the top level")])
    try:
        loaded = model.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(locate(detail["loc"]), field_name(detail["loc"]), detail["msg"])
            for detail in error.errors(include_url=False)
        ]
        raise DataFileError(path, problems) from None
    cross_check = getattr(loaded, "cross_check", None)
    if cross_check is not None:
        errors = list(cross_check())
        if errors:
            raise DataFileError(path, [Problem(locate(e.location), field_name(e.location), str(e)) for e in errors])
    return loaded
