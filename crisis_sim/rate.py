"""``crisis-sim rate``: the reply scorer from the outside, JSON Lines in and JSON Lines out.

Each input line is one reply: ``text`` (required); optionally ``scenario`` (an id)
and ``post`` (the id of a scripted post in it), or ``post_text`` and ``author``
for a post from elsewhere; ``at_fault`` (true/false, else the scenario's, else
true) and ``action`` (``reply`` by default). Each output line, in the same order,
holds ``empathy``, ``honesty`` and ``overall`` (0-100), ``strategy``, ``reasons``
(``{rule, points, quote}``), ``suggestion`` and ``readable`` (and the input's
``id``, if any); a line that cannot be rated gets ``{"error": "..."}`` and the
next line is still read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import BinaryIO

from .engine import Action, DataFileError, ReplyContext, Rules, Scenario, load_rules, read_reply

#: Actions whose words can be rated.
RATED_ACTIONS = {a.value: a for a in (Action.REPLY, Action.APOLOGY, Action.STATUS_UPDATE, Action.OFFLINE, Action.HOLD_STATEMENT)}


class LineError(ValueError):
    """A line that cannot be rated; the message goes into its ``error`` field."""


class Rater:
    """Rates JSON lines against the rules and (loaded only when a line names one) the scenario library."""

    def __init__(self, rules: Rules, library: Callable[[], list[Scenario]]) -> None:
        self.rules = rules
        self.library = library
        self._scenarios: dict[str, Scenario] | None = None

    def scenario(self, scenario_id: object) -> Scenario:
        if self._scenarios is None:
            self._scenarios = {s.id: s for s in self.library()}
        if not isinstance(scenario_id, str) or scenario_id not in self._scenarios:
            known = ", ".join(sorted(self._scenarios)) or "none"
            raise LineError(f"unknown scenario {scenario_id!r}; known: {known}")
        return self._scenarios[scenario_id]

    def rate_line(self, line: str) -> dict[str, object]:
        """One output object for one input line: the rating, or an error saying what is wrong with the line."""
        try:
            item = _parse(line)
            context = self.context(item)
            reading = read_reply(item["text"], context, self.rules)
        except LineError as error:
            return {"error": str(error)}
        result: dict[str, object] = {"id": item["id"]} if "id" in item else {}
        result |= {
            "empathy": reading.empathy,
            "honesty": reading.honesty,
            "overall": reading.overall,
            "strategy": str(reading.strategy),
            "reasons": [{"rule": r.rule, "points": r.points, "quote": r.quote} for r in reading.reasons],
            "suggestion": reading.suggestion,
            "readable": reading.readable,
        }
        return result

    def context(self, item: dict) -> ReplyContext:
        """The reply's context from the line: the scenario's facts and the post answered, or the line's own."""
        action = item.get("action", "reply")
        if action not in RATED_ACTIONS:
            raise LineError(f"unknown action {action!r}; use one of: {', '.join(RATED_ACTIONS)}")
        at_fault = item.get("at_fault")
        if at_fault is not None and not isinstance(at_fault, bool):
            raise LineError("at_fault must be true or false")
        for name in ("post_text", "author"):
            if item.get(name) is not None and not isinstance(item[name], str):
                raise LineError(f"{name} must be a string")
        post_text, author, post_id = item.get("post_text"), item.get("author"), None
        if "scenario" not in item:
            if "post" in item:
                raise LineError("a post id needs a scenario: give 'scenario' too, or 'post_text' and 'author'")
            return ReplyContext(
                action=RATED_ACTIONS[action], at_fault=True if at_fault is None else at_fault, post_text=post_text, author=author
            )
        scenario = self.scenario(item["scenario"])
        if "post" in item:
            spec = next((p for p in scenario.all_post_specs() if p.id == item["post"]), None)
            if spec is None:
                raise LineError(f"scenario {scenario.id!r} has no post {item['post']!r}")
            post_text, author, post_id = spec.text, spec.author, spec.id
        context = ReplyContext.in_scenario(scenario, RATED_ACTIONS[action], post_text, author, post_id)
        return context if at_fault is None else replace(context, at_fault=at_fault)

    def rate_lines(self, lines: Iterable[str]) -> Iterator[bytes]:
        """One UTF-8 JSON line out for every line in (escaped ASCII if it holds a lone surrogate)."""
        for line in lines:
            result = self.rate_line(line)
            try:
                yield json.dumps(result, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                yield json.dumps(result).encode("ascii")


def _parse(line: str) -> dict:
    if not line.strip():
        raise LineError("empty line: give a JSON object with a 'text'")
    try:
        item = json.loads(line, strict=False)
    except (ValueError, RecursionError) as error:
        raise LineError(f"not JSON: {error}") from None
    if not isinstance(item, dict):
        raise LineError("each line must be a JSON object with a 'text'")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise LineError("no text: give the reply as a non-empty string in 'text'")
    return item


def run(
    args: argparse.Namespace, library: Callable[[], list[Scenario]], stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
) -> int:
    """Rate stdin to stdout against the scenario ``library`` (loaded only if a line names a scenario); exits 0
    whatever the lines hold (a broken rules file is the only failure)."""
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    try:
        rules = load_rules(args.rules) if getattr(args, "rules", None) else load_rules()
    except DataFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    rater = Rater(rules, library)
    lines = (raw.decode("utf-8", errors="replace").rstrip("\r\n") for raw in source)
    for out in rater.rate_lines(lines):
        sink.write(out + b"\n")
        sink.flush()
    return 0
