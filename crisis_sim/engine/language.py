"""Plain-text groundwork for reading a reply: clean it, split it into clauses, mark what is not the brand's own voice.

Everything here is small, pure and stdlib-only, so a reply is read in well under a
millisecond before the phrasebook looks at it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

#: Common English words: a reply made mostly of other words is read as another language.
ENGLISH_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "done",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "know",
        "let",
        "like",
        "me",
        "more",
        "my",
        "no",
        "not",
        "now",
        "of",
        "on",
        "one",
        "only",
        "or",
        "our",
        "out",
        "please",
        "right",
        "said",
        "say",
        "see",
        "she",
        "should",
        "so",
        "some",
        "sorry",
        "still",
        "than",
        "thank",
        "thanks",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "today",
        "tonight",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
    ]
)

#: Common words of other languages written in Latin letters, so "Lo sentimos mucho" reads as not English.
FOREIGN_WORDS = frozenset(
    [
        "lo",
        "la",
        "el",
        "los",
        "las",
        "que",
        "de",
        "del",
        "y",
        "en",
        "por",
        "para",
        "su",
        "sus",
        "es",
        "un",
        "una",
        "muy",
        "nos",
        "con",
        "al",
        "se",
        "le",
        "les",
        "des",
        "et",
        "pour",
        "sur",
        "vous",
        "nous",
        "est",
        "pas",
        "une",
        "dans",
        "qui",
        "ce",
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "für",
        "ein",
        "eine",
        "wir",
        "sie",
        "ihr",
        "o",
        "os",
        "não",
        "com",
        "uma",
        "per",
        "il",
        "che",
        "di",
        "non",
        "sono",
        "siamo",
        "anche",
        "ich",
        "auf",
        "zu",
        "den",
        "dem",
    ]
)

_STOPWORDS = ENGLISH_WORDS | frozenset(
    [
        "again",
        "because",
        "being",
        "could",
        "every",
        "everyone",
        "going",
        "into",
        "many",
        "much",
        "never",
        "other",
        "over",
        "really",
        "should",
        "something",
        "such",
        "their",
        "there",
        "these",
        "those",
        "under",
        "until",
        "what",
        "where",
        "which",
        "while",
        "would",
        "yours",
        "also",
        "even",
        "make",
        "made",
    ]
)

_CONTRACTIONS = [
    (r"\b(can)'?t\b", r"\1 not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bshan't\b", "shall not"),
    (r"\b(ai)n't\b", "is not"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must)nt\b", r"\1 not"),
    (r"\b(i)'m\b", r"\1 am"),
    (r"\bim\b", "i am"),
    (r"\b(\w+)'re\b", r"\1 are"),
    (r"\b(\w+)'ve\b", r"\1 have"),
    (r"\b(\w+)'ll\b", r"\1 will"),
    (r"\b(i|we|you|he|she|they|it|that)'d\b", r"\1 would"),
    (r"\b(it|that|this|what|there|here|who|he|she|everything|nothing|someone|nobody|everyone)'s\b", r"\1 is"),
    (r"\blet's\b", "let us"),
    (r"\b(\w+)'s\b", r"\1"),  # possessive: "Reyes's care" reads as "Reyes care"
    (r"\b(\w+s)'(?=\s|$)", r"\1"),
    (r"\bur\b", "your"),
    (r"\bu\b", "you"),
    (r"\br\b", "are"),
    (r"\bpls\b", "please"),
    (r"\bthx\b", "thanks"),
    (r"\b(?:sory|sorrry|sorryy|srry|sry)\b", "sorry"),
    (r"\bapologi[sz]ing\b", "apologising"),
    (r"\bhappend\b", "happened"),
    (r"\brite\b", "right"),
    (r"\bresponsab(ility|le)\b", r"responsib\1"),
    (r"\bcud\b", "could"),
    (r"\bwud\b", "would"),
]
CACHED_WORD_LENGTH = 40
_CONTRACTED_WORD = re.compile(r"\b(?:ur|u|r|pls|thx|im|\w+nt|sory|sorrry|sorryy|srry|sry|happend|rite|responsab\w+|cud|wud)\b")
_CONTRACTION_PATTERNS = [(re.compile(pattern), replacement) for pattern, replacement in _CONTRACTIONS]

_QUOTE_CHARS = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}
)
_DOUBLE_QUOTED = re.compile(r'"([^"\n]{1,300})"')
_SINGLE_QUOTED = re.compile(r"(?<![\w'])'(?=\w)([^'\n]{1,300}?)(?<=[\w.!?,])'(?![\w])")
_ABBREVIATIONS = re.compile(r"\b(dr|mr|mrs|ms|st|mt|no|vs|etc|inc|ltd|jr|sr|approx|dept)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[^\d\s]):\s+|\s+[-\u2013\u2014]+\s+")
_CLAUSE_BREAK = re.compile(
    r",?\s+\b(?=(?:but|however|although|though|yet|whereas|except)\b)|,\s+(?=(?:and|so)\s+(?:we|i|our|they|you|he|she)\b)"
)
_EDGE_PUNCTUATION = " .,;:!?\"'()"
_WORD = re.compile(r"[a-z][a-z'\-]*")
_REPORTED = re.compile(  # not "what she said ... was mean": that is the brand judging the words, not reporting them
    r"(?<!\bwhat )(?<!\bthings )(?<!\bthe things )\b(?:you|people|some|someone|others|many|critics|reports?|media|the news|the video|they|he|she|posts?|rumou?rs?|tweets?|the memo|memo|the statement|the letter|the article)"
    r"(?:\s+\w+){0,2}?\s+(?:said|say|says|saying|claim|claims|claimed|claiming|allege|alleges|alleged|alleging|suggest|suggests|suggesting|wrote|write|writes|tweeted|posted|insist|insists|accuse|accused|accusing|called|calls|described|describes|labelled|labeled)\b(?:\s+that)?"
)


@dataclass(frozen=True)
class Clause:
    """One clause of the brand's own words, lower-cased and with contractions spelled out."""

    text: str  # normalised words the phrasebook reads
    original: str  # the words as written, for quotes in the debrief
    question: bool  # the sentence ends with a question mark
    after_contrast: bool  # it follows a "but", "however"...
    spans: tuple[tuple[int, int, int, int], ...] = ()  # (start, end) in text -> (start, end) in original, per word

    def quote(self, start: int, end: int) -> str:
        """The words as written behind ``text[start:end]``: "That's on us" for the normalised "that is on us"."""
        covered = [(a, b) for s, e, a, b in self.spans if s < end and e > start]
        if not covered:
            return self.original.strip()
        return self.original[covered[0][0] : covered[-1][1]].strip().rstrip(".,;:!?")


@dataclass(frozen=True)
class Prepared:
    """A reply cleaned and split: the brand's own clauses, and what it quoted or reported from others."""

    cleaned: str
    clauses: tuple[Clause, ...]
    quoted: tuple[str, ...]
    reported: tuple[str, ...]
    words: tuple[str, ...]


def clean(text: str) -> str:
    """Text without control characters or odd quote marks, with spacing collapsed."""
    text = text.translate(_QUOTE_CHARS)
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return re.sub(r"[ \t]+", " ", text).strip()


def expand(text: str) -> str:
    """Lower-case ``text``, spell out contractions and mend common typos, so "can't", "cannot" and "cant" read alike."""
    return _expand_word(text) if len(text) <= CACHED_WORD_LENGTH else _expand(text)


@lru_cache(maxsize=16384)
def _expand_word(text: str) -> str:
    """:func:`expand` for the short words replies are made of, remembered: the same words come back all the time."""
    return _expand(text)


def _expand(text: str) -> str:
    text = text.lower().replace("cannot", "can not")
    if "'" not in text and not _CONTRACTED_WORD.search(text):
        return text
    for pattern, replacement in _CONTRACTION_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def words_of(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return _WORD.findall(text.lower())


def english_share(words: list[str]) -> float:
    """How many of ``words`` are common English words (0-1)."""
    return sum(w in ENGLISH_WORDS for w in words) / len(words) if words else 0.0


def foreign_share(words: list[str]) -> float:
    """How many of ``words`` are common words of other languages (0-1)."""
    return sum(w in FOREIGN_WORDS for w in words) / len(words) if words else 0.0


def letters_share(text: str) -> float:
    """How much of the visible text is Latin letters, as opposed to emoji, symbols or other scripts."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(ch.isascii() and ch.isalpha() for ch in visible) / len(visible)


class ClaimWords:
    """Says a claim in its families' first words, so paraphrases of a scenario's claims compare equal."""

    def __init__(self, synonyms: Sequence[Sequence[str]], antonyms: Mapping[str, str]) -> None:
        replacements = {expand(word.lower()): expand(family[0].lower()) for family in synonyms for word in family[1:]}
        replacements |= {expand(word.lower()): "not " + expand(target.lower()) for word, target in antonyms.items()}
        self._replacements = replacements
        words = sorted(replacements, key=len, reverse=True)
        self._pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None

    def canonical(self, text: str) -> str:
        """``text`` (normalised, lower case) with each family member replaced by its family's first word."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._replacements[match.group(0)], text)


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A crude lemma: enough to match "laughed", "laughing" and "laughs" with "laugh"."""
    word = word.strip("'-")
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e") if len(word) > 4 else word


@lru_cache(maxsize=1024)
def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning (not "the", "would", "there"...)."""
    return frozenset(stem(w) for w in words_of(text) if len(w) >= 3 and w not in _STOPWORDS)


def prepare(text: str, brand: str = "") -> Prepared:
    """Split ``text`` into the brand's own clauses, setting aside quoted and reported words.

    The brand's name reads as "the company", so "Meridian Air followed procedure" is the brand speaking.
    """
    cleaned = clean(text)
    brand_words = tuple(expand(brand).split())
    quoted: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        quoted.append(match.group(1))
        return " quoted "

    body = _DOUBLE_QUOTED.sub(set_aside, cleaned)
    body = _SINGLE_QUOTED.sub(set_aside, body)
    body = _ABBREVIATIONS.sub(lambda m: m.group(1), body)
    clauses: list[Clause] = []
    reported: list[str] = []
    for sentence in (s for s in _SENTENCE_END.split(body) if s and s.strip()):
        question = sentence.rstrip().endswith("?")
        for index, part in enumerate(p for p in _CLAUSE_BREAK.split(sentence) if p and p.strip()):
            normal, spans = _normalise(part, brand_words)
            hearsay = _REPORTED.search(normal)
            if hearsay:  # "you said it was our fault": what follows the frame is someone else's claim
                reported.append(normal[hearsay.end() :].strip())
                normal = normal[: hearsay.end()] + " "
                spans = tuple(span for span in spans if span[0] < hearsay.end())
            clauses.append(Clause(normal, part, question, index > 0, spans))
    return Prepared(cleaned, tuple(clauses), tuple(quoted), tuple(reported), tuple(words_of(cleaned)))


def _normalise(part: str, brand: tuple[str, ...]) -> tuple[str, tuple[tuple[int, int, int, int], ...]]:
    """The clause's words normalised one by one (so each maps back to what was typed), the brand read as "the company"."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", part)]
    handle = "@" + "".join(brand)
    text, spans, index = " ", [], 0
    while index < len(tokens):
        size = len(brand)
        first = tokens[index][2].lower().strip(_EDGE_PUNCTUATION)
        window = (
            [expand(t[2]).strip(_EDGE_PUNCTUATION) for t in tokens[index : index + size]]
            if brand and first.startswith((brand[0], handle))
            else []
        )
        if window and (window == list(brand) or window[:1] == [handle]):
            size = size if window == list(brand) else 1
            words, start, end = "the company", tokens[index][0], tokens[index + size - 1][1]
        else:
            size = 1
            words, start, end = expand(tokens[index][2]), tokens[index][0], tokens[index][1]
        index += size
        if index == len(tokens):
            words = words.rstrip(" .!?;,")
        words = words.strip()
        if words:
            spans.append((len(text), len(text) + len(words), start, end))
            text += words + " "
    return text, tuple(spans)


def shouted(text: str) -> str | None:
    """The shouted part of ``text``: four or more capitalised words in a row, or a row of exclamation marks."""
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.5:
        run: list[str] = []
        longest: list[str] = []
        for word in re.findall(r"[A-Za-z']+", text):
            run = [*run, word] if len(word) >= 2 and word.isupper() else []
            longest = run if len(run) > len(longest) else longest
        if len(longest) >= 4:
            return " ".join(longest)
    bangs = re.search(r"[^!?.]{0,80}!{3,}", text)
    return bangs.group(0).strip() if bangs else None
