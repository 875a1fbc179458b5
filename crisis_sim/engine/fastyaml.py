"""Build Python data straight from libyaml's parser events, noting each value's line on the way.

About three times faster than PyYAML's loader, which first builds a node
object for every value: a 2 MB scenario is read in a fraction of a second.
It handles what data files use: mappings with plain keys, lists, scalars of
every standard tag, anchors and aliases, and gives the same data as
``yaml.safe_load``. Anything else (merge keys, complex keys, tagged
collections, several documents, recursive aliases) raises :class:`Unusual`,
and the caller uses PyYAML's full loader instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
PLAIN_COLLECTION_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class Unusual(Exception):
    """The document uses YAML this fast path leaves to PyYAML's full loader."""


@dataclass
class LineMap:
    """Where each value starts: for every mapping and list (by id), the line of each key's or index's value."""

    root_line: int = 1
    children: dict[int, dict[object, int]] = field(default_factory=dict)

    def line_of(self, data: object, location: tuple[str | int, ...] | list[str | int]) -> int:
        """The line of ``location`` in ``data``; as deep as the location exists."""
        line, value = self.root_line, data
        for part in location:
            lines = self.children.get(id(value))
            if lines is None or part not in lines:
                break
            line, value = lines[part], value[part]  # type: ignore[index]
        return line


@dataclass
class _Open:
    """A mapping or list being filled, with the key waiting for its value."""

    container: dict | list
    line: int
    anchor: str | None
    key: object = None
    has_key: bool = False


class _Scalars:
    """Turns scalar events into values exactly as PyYAML's safe loader does, remembering repeated ones."""

    def __init__(self) -> None:
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.first_characters = frozenset(self.resolver.yaml_implicit_resolvers)
        self.known: dict[tuple[str, str], object] = {}

    def tag(self, event: yaml.ScalarEvent) -> str:
        if event.tag not in (None, "!"):
            return event.tag
        value = event.value
        if not event.implicit[0] or (value and None not in self.first_characters and value[0] not in self.first_characters):
            return STR_TAG  # quoted, or cannot be a number, bool, null or date
        return self.resolver.resolve(yaml.ScalarNode, value, event.implicit)

    def value(self, event: yaml.ScalarEvent) -> object:
        tag = self.tag(event)
        if tag == STR_TAG:
            return event.value
        if tag == MERGE_TAG:
            raise Unusual("merge key")
        key = (tag, event.value)
        if key not in self.known:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            self.known[key] = self.constructor.construct_object(node)
        return self.known[key]


def build(text: str, loader: type) -> tuple[object, LineMap]:
    """The data of a one-document YAML ``text`` and the line of each value; :class:`Unusual` if beyond this fast path."""
    scalars = _Scalars()
    lines = LineMap()
    anchors: dict[str, object] = {}
    named: set[str] = set()
    open_: list[_Open] = []
    root: list[object] = []
    documents = 0

    def place(value: object, line: int) -> None:
        if not open_:
            root.append(value)
            lines.root_line = line
            return
        top = open_[-1]
        where = lines.children[id(top.container)]
        if isinstance(top.container, list):
            where[len(top.container)] = line
            top.container.append(value)
        elif top.has_key:
            top.container[top.key] = value
            where[top.key] = line
            top.has_key = False
        elif isinstance(value, dict | list):
            raise Unusual("complex key")
        else:
            top.key, top.has_key = value, True

    for event in yaml.parse(text, Loader=loader):
        kind = type(event)
        line = event.start_mark.line + 1
        if kind in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent) and event.anchor is not None:
            if event.anchor in named:
                raise Unusual("redefined anchor")
            named.add(event.anchor)
        if kind is yaml.ScalarEvent:
            value = scalars.value(event)
            if event.anchor is not None:
                anchors[event.anchor] = value
            place(value, line)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in PLAIN_COLLECTION_TAGS:
                raise Unusual("tagged collection")
            container: dict | list = {} if kind is yaml.MappingStartEvent else []
            lines.children[id(container)] = {}
            open_.append(_Open(container, line, event.anchor))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = open_.pop()
            if done.anchor is not None:
                anchors[done.anchor] = done.container
            place(done.container, done.line)
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise Unusual("undefined or recursive alias")
            place(anchors[event.anchor], line)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise Unusual("several documents")
    return (root[0] if root else None), lines
