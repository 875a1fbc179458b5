"""The phrasebook: trainer-editable phrase patterns, compiled once, matched clause by clause with negation.

A phrase is written the way people talk, lower-case, with contractions spelled
out ("do not", "that is on us"), and a little syntax:

* ``word*`` matches any ending ("apologi*": apologise, apologized, apologies);
* ``(a|b c|)`` is a choice; an empty choice makes it optional;
* ``..`` lets up to three words in between, ``...`` up to ten;
* ``\\d+`` and other backslash escapes are regular expressions;
* ``{we}``, ``{they}``, ``{others}``, ``{time}``... are slots defined in the same file
  (who speaks, who was hurt, who else is blamed, a concrete time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .language import Clause

NEGATORS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "hardly", "cannot"})
NOT_NEGATING_AFTER = frozenset({"only", "doubt", "matter", "longer", "wonder"})  # "not only", "no doubt", "no longer"
NEGATION_WINDOW = 4  # words before a phrase that a negator reaches
NEGATION_REACH = 80  # characters before a phrase worth looking at for those words

_CLAUSE_WORD = re.compile(r"[\w'\-%$]+|[^\w\s]")
_NEGATION_BREAK = re.compile(r"[,;:]|\b(?:and|but|so|because|although|though|while|yet|which|who|that)\b")
SCOPE_BREAK = re.compile(r"[,;:]|\b(?:and|but|so|because|although|though|while|yet|which|who)\b")


class PhraseError(ValueError):
    """A phrase the phrasebook cannot compile; the message says which and why."""


@dataclass(frozen=True)
class Hit:
    """Where a phrase set matched: the clause, the words, and whether a negator reached them."""

    kind: str
    clause: int
    words: str  # the normalised words matched
    quote: str  # the same words as the trainee wrote them, or their clause
    negated: bool
    start: int = 0  # where in the clause it starts


def compile_phrase(phrase: str, slots: Mapping[str, str]) -> str:
    """The regular expression for one phrase (see the module docstring for the syntax)."""
    parts: list[tuple[str, bool]] = []  # (regex, optional)
    for token in _tokens(phrase.strip().lower(), phrase):
        slot = token[1:-1] if token.startswith("{") and token.endswith("}") else None
        choice = token[1:-1] if token.startswith("(") else None
        if slot is not None:
            if slot not in slots:
                raise PhraseError(f"unknown slot {{{slot}}} in {phrase!r}; use one of: {', '.join(sorted(slots))}")
            parts.append((slots[slot], False))
        elif choice is not None:
            options = [o.strip() for o in _split_choice(choice)]
            alternatives = [compile_phrase(o, slots) for o in options if o]
            if not alternatives:
                raise PhraseError(f"empty choice () in {phrase!r}")
            parts.append(("(?:" + "|".join(alternatives) + ")", "" in options))
        elif token in ("..", "..."):
            parts.append((rf"(?:\S+\s+){{0,{3 if token == '..' else 10}}}?", False))
        elif "\\" in token:  # a regular expression escape such as \d+, written on purpose
            parts.append((token, False))
        else:
            word = re.escape(token.rstrip("*")) + (r"[\w'\-]*" if token.endswith("*") else "")
            parts.append((word, False))
    if not parts:
        raise PhraseError(f"empty phrase {phrase!r}")
    regex = ""
    joined = True  # whether the next part follows without a space of its own (at the start, after a gap)
    for part, optional in parts:
        gap = part.startswith(r"(?:\S+\s+)")
        if gap:
            regex += ("" if joined else r"\s+") + part
            joined = True
        elif optional:
            regex += f"(?:{part}\\s+)?" if joined else f"(?:\\s+{part})?"
        else:
            regex += ("" if joined else r"\s+") + part
            joined = False
    return regex


def _tokens(text: str, phrase: str) -> list[str]:
    """Split a phrase into words, slots and (possibly nested) choices."""
    tokens: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char == "(":
            depth, end = 0, index
            while end < len(text):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
                end += 1
            if depth:
                raise PhraseError(f"unbalanced ( in {phrase!r}")
            tokens.append(text[index : end + 1])
            index = end + 1
        elif char == ")":
            raise PhraseError(f"unbalanced ) in {phrase!r}")
        else:
            end = index
            while end < len(text) and not text[end].isspace() and text[end] not in "()":
                end += 1
            tokens.append(text[index:end])
            index = end
    return tokens


def _split_choice(choice: str) -> list[str]:
    """The options of a choice, splitting on | outside nested parentheses."""
    options, depth, current = [], 0, ""
    for char in choice:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            options.append(current)
            current = ""
        else:
            current += char
    return [*options, current]


def compile_slots(slots: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Slot name to regex; a slot may use slots defined before it in the file."""
    compiled: dict[str, str] = {}
    for name, phrases in slots.items():
        compiled[name] = "(?:" + "|".join(compile_phrase(p, compiled) for p in sorted(phrases, key=len, reverse=True)) + ")"
    return compiled


@dataclass(frozen=True)
class Phrase:
    """One compiled phrase, with the words one of which must be in a clause for it to match at all."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...]  # whole words, or prefixes ending in "*"; empty: always try


class Phrasebook:
    """Every phrase set compiled; finds them in a reply's clauses and says which are negated.

    Each phrase is indexed by its anchor words, so a clause only runs the few patterns whose anchors it contains.
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]], slots: Mapping[str, Iterable[str]]) -> None:
        self.slots = compile_slots(slots)
        self.sets = {kind: [compile_anchored(p, self.slots) for p in items] for kind, items in phrases.items()}
        self._by_word: dict[str, list[tuple[str, int]]] = {}
        self._by_prefix: dict[str, list[tuple[str, int]]] = {}
        self._always: list[tuple[str, int]] = []
        for kind, compiled in self.sets.items():
            for index, phrase in enumerate(compiled):
                if not phrase.anchors:
                    self._always.append((kind, index))
                for anchor in phrase.anchors:
                    if anchor.endswith("*"):
                        self._by_prefix.setdefault(anchor[:-1], []).append((kind, index))
                    else:
                        self._by_word.setdefault(anchor, []).append((kind, index))
        self._prefixes = frozenset(self._by_prefix)
        self._prefix_sizes = frozenset(len(prefix) for prefix in self._by_prefix)

    def find_all(self, clauses: Sequence[Clause]) -> dict[str, list[Hit]]:
        """Every phrase set's matches in ``clauses``, in clause order."""
        hits: dict[str, list[Hit]] = {kind: [] for kind in self.sets}
        for number, clause in enumerate(clauses):
            words = clause_words(clause.text)
            candidates = set(self._always)
            for word in words:
                candidates.update(self._by_word.get(word, ()))
            starts = {word[:size] for word in words for size in self._prefix_sizes}
            for prefix in starts & self._prefixes:
                candidates.update(self._by_prefix[prefix])
            seen: set[tuple[str, int]] = set()
            for kind, index in sorted(candidates):
                for match in self.sets[kind][index].pattern.finditer(clause.text):
                    if (kind, match.start()) in seen:
                        continue
                    seen.add((kind, match.start()))
                    found = match.group(0).strip()
                    before = clause.text[max(0, match.start() - NEGATION_REACH) : match.start()]
                    hits[kind].append(Hit(kind, number, found, clause.quote(match.start(), match.end()), negated(before), match.start()))
        for found in hits.values():
            found.sort(key=lambda h: (h.clause, h.start))
        return hits


@lru_cache(maxsize=256)
def clause_words(text: str) -> frozenset[str]:
    """The words of a normalised clause, for the anchor test."""
    return frozenset(_CLAUSE_WORD.findall(text))


def compile_anchored(phrase: str, slots: Mapping[str, str]) -> Phrase:
    """A phrase compiled as a whole-word pattern, with its anchor words."""
    return Phrase(re.compile(rf"(?<![\w'\-])(?:{compile_phrase(phrase, slots)})(?![\w'\-])"), anchors_of(phrase))


def anchors_of(phrase: str) -> tuple[str, ...]:
    """The longest set of words one of which every match must contain (a plain word, or a choice of them)."""
    best: tuple[str, ...] = ()
    for token in _tokens(phrase.strip().lower(), phrase):
        if token.startswith("{") or token in ("..", "...") or "\\" in token:
            continue
        if token.startswith("("):
            options = [o.strip() for o in _split_choice(token[1:-1])]
            if not all(options) or any(o.startswith(("(", "{")) or "\\" in o for o in options):
                continue
            candidate = tuple(o.split()[0] for o in options)
        else:
            candidate = (token,)
        if not best or min(map(len, candidate)) > min(map(len, best)):
            best = candidate
    return best


def negated(before: str) -> bool:
    """Whether a negator in the few words before a phrase reaches it ("we do not understand").

    Its reach stops at a comma, a conjunction or "that": in "never happened, and it is unacceptable" the "never"
    is spent, and "we are not happy that we disappointed you" still owns the disappointment.
    """
    before = _NEGATION_BREAK.split(before)[-1]
    words = before.split()[-NEGATION_WINDOW:]
    count = 0
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in NEGATORS and following not in NOT_NEGATING_AFTER:
            count += 1
    return count % 2 == 1
