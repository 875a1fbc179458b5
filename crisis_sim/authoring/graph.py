"""The branch graph of a scenario: what leads to what, with the conditions on the edges.

:func:`build_graph` gives nodes and edges that :func:`to_mermaid` and
:func:`to_dot` render; :func:`outline` gives the same scenario as a tree for
the TUI's graph screen. Everything here is plain data, no UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..engine.scenario import Condition, Effect, Scenario

START = "start"
TIMEOUT = "timeout"


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # start, timeout, branch, decision, option, ending
    label: str


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


@dataclass
class BranchGraph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def node(self, node_id: str, kind: str, label: str) -> str:
        if all(n.id != node_id for n in self.nodes):
            self.nodes.append(Node(node_id, kind, label))
        return node_id

    def edge(self, source: str, target: str, label: str = "") -> None:
        if Edge(source, target, label) not in self.edges:
            self.edges.append(Edge(source, target, label))


def describe(c: Condition | None) -> str:
    """A condition in a few words: ``did apology on 'video', before 45``."""
    if c is None:
        return "otherwise"
    parts: list[str] = []
    if c.after is not None:
        parts.append(f"after {c.after}")
    if c.before is not None:
        parts.append(f"before {c.before}")
    narrowing = _narrowing(c.post, c.role, c.channel)
    if c.did is not None:
        parts.append(f"did {c.did}{narrowing}")
    if c.did_not is not None:
        parts.append(f"did not {c.did_not}{narrowing}")
    if c.mood_below is not None:
        parts.append(f"mood below {c.mood_below:g}")
    if c.mood_above is not None:
        parts.append(f"mood above {c.mood_above:g}")
    if c.unanswered is not None:
        parts.append(f"'{c.unanswered}' unanswered")
    if c.in_order is not None:
        parts.append("in order: " + " then ".join(f"{s.did}{_narrowing(s.post, s.role, s.channel)}" for s in c.in_order))
    if c.fired is not None:
        parts.append(f"'{c.fired}' fired")
    if c.not_fired is not None:
        parts.append(f"'{c.not_fired}' not fired")
    if c.flag is not None:
        parts.append(f"flag {c.flag}")
    for name, test in (c.counter or {}).items():
        bounds = [f"at least {test.at_least}" if test.at_least is not None else "", f"at most {test.at_most}" if test.at_most is not None else ""]
        parts.append(f"{name} {' and '.join(b for b in bounds if b)}")
    for word, group in (("or", c.any_of), ("and", c.all_of)):
        if group:
            parts.append("(" + f" {word} ".join(describe(part) for part in group) + ")")
    if c.not_ is not None:
        parts.append(f"not ({describe(c.not_)})")
    return ", ".join(parts) or "always"


def _narrowing(post: str | None, role: object, channel: object) -> str:
    return (f" on '{post}'" if post else "") + (f" to {role}" if role else "") + (f" by {channel}" if channel else "")


def build_graph(scenario: Scenario) -> BranchGraph:
    """Start → branches (edge: their condition), effects → what they end, fire or ask, timeout → endings."""
    graph = BranchGraph()
    graph.node(START, "start", "minute 0")
    for ending in scenario.endings:
        graph.node(f"ending:{ending.id}", "ending", f"{ending.id}: {ending.title}")
    producers = _producers(scenario)
    for branch in scenario.branches:
        target = graph.node(f"branch:{branch.id}", "branch", branch.id)
        enablers = sorted({producer for need in _needs(branch.when) for producer in producers.get(need, [])} - {target})
        for source in enablers or [START]:
            graph.edge(source, target, describe(branch.when))
        _effect_edges(graph, target, branch.then)
    graph.node(TIMEOUT, "timeout", f"time runs out at minute {scenario.duration_minutes}")
    for ending in scenario.endings:
        if ending.when is not None or ending is scenario.endings[-1]:
            graph.edge(TIMEOUT, f"ending:{ending.id}", describe(ending.when))
    return graph


def _effect_edges(graph: BranchGraph, source: str, effect: Effect) -> None:
    if effect.end is not None:
        graph.edge(source, f"ending:{effect.end}", "ends")
    if effect.fire is not None:
        graph.edge(source, f"branch:{effect.fire}", "fires")
    if effect.decide is not None:
        decision = effect.decide
        node = graph.node(f"decision:{decision.id}", "decision", f"{decision.id}: {decision.prompt}")
        graph.edge(source, node, "asks")
        for option in decision.options:
            option_node = graph.node(f"option:{decision.id}:{option.id}", "option", option.label)
            default = f" (default after {decision.deadline_minutes} min)" if option.id == decision.default else ""
            graph.edge(node, option_node, f"chooses {option.id}{default}")
            _effect_edges(graph, option_node, option)


def _producers(scenario: Scenario) -> dict[str, list[str]]:
    """Which node makes each thing a condition can wait for happen: ``post:x``, ``flag:x``, ``counter:x``, ``fired:x``."""
    made: dict[str, list[str]] = {}
    for branch in scenario.branches:
        made.setdefault(f"fired:{branch.id}", []).append(f"branch:{branch.id}")
        for node, effect in _effects_by_node(f"branch:{branch.id}", branch.then):
            things = [f"post:{p.id}" for p in effect.posts if p.id]
            things += [f"flag:{name}" for name, value in effect.set_flags.items() if value]
            things += [f"counter:{name}" for name in effect.add]
            for thing in things:
                made.setdefault(thing, []).append(node)
    return made


def _effects_by_node(node: str, effect: Effect) -> list[tuple[str, Effect]]:
    """An effect with its graph node, then each option of its decision with the option's node."""
    found = [(node, effect)]
    if effect.decide is not None:
        for option in effect.decide.options:
            found += _effects_by_node(f"option:{effect.decide.id}:{option.id}", option)
    return found


def _needs(c: Condition) -> set[str]:
    """What ``c`` waits for that some effect produces (ignoring what sits under ``not``)."""
    needs = {f"post:{c.unanswered}"} if c.unanswered else set()
    needs |= {f"post:{c.post}"} if c.post and c.did else set()
    needs |= {f"fired:{c.fired}"} if c.fired else set()
    needs |= {f"flag:{c.flag}"} if c.flag else set()
    needs |= {f"counter:{name}" for name in c.counter or {}}
    needs |= {f"post:{step.post}" for step in c.in_order or [] if step.post}
    for part in [*(c.any_of or []), *(c.all_of or [])]:
        needs |= _needs(part)
    return needs


# --- renderers -----------------------------------------------------------------------

MERMAID_SHAPES = {"start": '(["{}"])', "timeout": '(["{}"])', "branch": '["{}"]', "decision": '{{"{}"}}', "option": '("{}")', "ending": '[["{}"]]'}


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes and markup characters as entity codes."""
    return re.sub(r'["<>#&]', lambda m: f"#{ord(m.group())};", text.replace("\n", " "))


def _mermaid_id(node_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", node_id)


def to_mermaid(graph: BranchGraph) -> str:
    """A Mermaid flowchart, for a Markdown file or mermaid.live."""
    lines = ["flowchart TD"]
    for node in graph.nodes:
        lines.append(f"  {_mermaid_id(node.id)}{MERMAID_SHAPES[node.kind].format(_mermaid_text(node.label))}")
    for edge in graph.edges:
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"  {_mermaid_id(edge.source)} -->{label} {_mermaid_id(edge.target)}")
    return "\n".join(lines) + "\n"


DOT_SHAPES = {"start": "oval", "timeout": "oval", "branch": "box", "decision": "diamond", "option": "box", "ending": "doubleoctagon"}


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: BranchGraph, name: str = "scenario") -> str:
    """A Graphviz digraph: ``dot -Tsvg``."""
    lines = [f"digraph {_dot_text(name)} {{", "  rankdir=LR;"]
    for node in graph.nodes:
        lines.append(f"  {_dot_text(node.id)} [shape={DOT_SHAPES[node.kind]}, label={_dot_text(node.label)}];")
    for edge in graph.edges:
        label = f" [label={_dot_text(edge.label)}]" if edge.label else ""
        lines.append(f"  {_dot_text(edge.source)} -> {_dot_text(edge.target)}{label};")
    return "\n".join(lines) + "\n}\n"


# --- the tree for the TUI ----------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    """One line of the scenario tree and the lines under it."""

    label: str
    children: tuple[Outline, ...] = ()
    kind: str = "detail"  # section, post, branch, decision, option, ending, detail


def outline(scenario: Scenario) -> Outline:
    """The scenario as a tree: scripted posts by minute, branches with their condition and effects, endings."""
    posts = tuple(
        Outline(
            f"minute {p.at}: {p.author or 'someone'} ({p.sentiment}){f' [{p.id}]' if p.id else ''}",
            (Outline(p.text), *((Outline(f"model reply: {p.model_reply}"),) if p.model_reply else ())),
            "post",
        )
        for p in sorted(scenario.posts, key=lambda p: p.at)
    )
    branches = tuple(
        Outline(
            f"{b.id}  when {describe(b.when)}",
            _effect_outline(b.then) + tuple(Outline(f"{kind}: {text}") for kind, text in (("hint", b.hint), ("note", b.note)) if text),
            "branch",
        )
        for b in scenario.branches
    )
    endings = tuple(
        Outline(f"{e.id}: {e.title}", (Outline(f"when {describe(e.when)}" if e.when or e is scenario.endings[-1] else "only when a branch ends with it"),), "ending")
        for e in scenario.endings
    )
    sections = (
        Outline(f"Scripted posts ({len(posts)})", posts, "section"),
        Outline(f"Branches ({len(branches)})", branches, "section"),
        Outline(f"Endings ({len(endings)}), chosen at minute {scenario.duration_minutes} unless a branch ends it", endings, "section"),
    )
    return Outline(f"{scenario.title} ({scenario.id})", sections, "section")


def _effect_outline(effect: Effect) -> tuple[Outline, ...]:
    lines: list[Outline] = []
    if effect.message:
        lines.append(Outline(f"message: {effect.message}"))
    if effect.mood:
        lines.append(Outline(f"mood {effect.mood:+g}"))
    lines += [Outline(f"adds post{f' [{p.id}]' if p.id else ''} by {p.author or 'someone'}: {p.text}") for p in effect.posts]
    if effect.spawn:
        lines.append(Outline(f"spawns {effect.spawn.count} {effect.spawn.sentiment} crowd posts"))
    if effect.score:
        lines.append(Outline(f"{effect.score.points:+d} {effect.score.category}: {effect.score.explain}"))
    lines += [Outline(f"sets flag {name} to {str(value).lower()}") for name, value in effect.set_flags.items()]
    lines += [Outline(f"adds {amount:+d} to counter {name}") for name, amount in effect.add.items()]
    if effect.decide:
        decision = effect.decide
        options = tuple(
            Outline(f"{o.id}: {o.label}{' (default)' if o.id == decision.default else ''}", _effect_outline(o), "option") for o in decision.options
        )
        lines.append(Outline(f"asks {decision.id}: {decision.prompt} ({decision.deadline_minutes} min)", options, "decision"))
    if effect.fire:
        lines.append(Outline(f"fires branch {effect.fire}"))
    if effect.end:
        lines.append(Outline(f"ends the scenario: {effect.end}", kind="ending"))
    return tuple(lines)
