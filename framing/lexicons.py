"""Lexicons: loading (packaged TSV files and users' TSV/CSV/YAML/LIWC ``.dic`` files) and matching.

Matching works on word tokens, not on a regex alternation: the text is tokenised once and every lexicon
is a trie of token sequences, so the cost does not grow with the number of entries (NOTES.md: one big
regex ran at 4.3 MB/s, slower than the rest of the analysis together).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from framing.corpus import FramingError

PACKAGED = ("loaded", "hedges", "boosters", "attribution")
REQUIRED_COLUMNS = ("pattern", "category", "explanation", "source")
CONDITIONS = ("before_quantity", "modal")

# All regexes of this stage, compiled once.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PATTERN_WORD = re.compile(r"^[^\W_]+(?:['’\-][^\W_]+)*\*?$")
_JOINER = re.compile(r"^[\s\-‐‑–]{1,3}$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(\n]\s*)$")

_QUANTITY_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred hundreds thousand thousands million millions billion billions trillion "
    "dozen dozens half third quarter score".split())
_NOT_BEFORE_MODAL = frozenset(
    "the a an its his her their our your my this that all with in of since until by from early late mid "
    "last next during before after for".split())


class LexiconError(FramingError):
    """A lexicon file cannot be used; the message names the file and, where it can, the line."""


@dataclass(frozen=True)
class Entry:
    pattern: str
    category: str
    explanation: str
    source: str
    condition: str = ""


@dataclass
class Lexicon:
    name: str
    entries: list[Entry]
    path: str
    sha256: str


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    matched: str
    lexicon: str
    category: str
    entry: str
    explanation: str


# ---- loading --------------------------------------------------------------------------------------------

def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry(values: dict, where: str) -> Entry:
    missing = [c for c in REQUIRED_COLUMNS if not (values.get(c) or "").strip()]
    if missing:
        raise LexiconError(f"{where}: missing {', '.join(missing)}")
    pattern = " ".join(values["pattern"].strip().lower().split())
    for word in pattern.split(" "):
        if not _PATTERN_WORD.match(word):
            raise LexiconError(f"{where}: pattern {values['pattern']!r} has a word that is not a word: {word!r}")
    condition = (values.get("condition") or "").strip()
    if condition and condition not in CONDITIONS:
        raise LexiconError(f"{where}: unknown condition {condition!r} (known: {', '.join(CONDITIONS)})")
    return Entry(pattern, values["category"].strip(), values["explanation"].strip(), values["source"].strip(),
                 condition)


def _parse_table(text: str, path: str, delimiter: str) -> list[Entry]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise LexiconError(f"{path}: no header and no entries")
    header_no, header_line = lines[0]
    header = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))]
    absent = [c for c in REQUIRED_COLUMNS if c not in header]
    if absent:
        raise LexiconError(f"{path}:{header_no}: header lacks column(s) {', '.join(absent)} "
                           f"(need {', '.join(REQUIRED_COLUMNS)}[, condition])")
    entries = []
    for line_no, line in lines[1:]:
        cells = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t"
                                else csv.QUOTE_MINIMAL))
        if len(cells) > len(header) or len(cells) < len(REQUIRED_COLUMNS):
            raise LexiconError(f"{path}:{line_no}: {len(cells)} fields, expected {len(header)}")
        entries.append(_entry(dict(zip(header, cells)), f"{path}:{line_no}"))
    return entries


def _parse_yaml(text: str, path: str) -> list[Entry]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        raise LexiconError(f"{where}: malformed YAML: {getattr(exc, 'problem', exc)}") from None
    if isinstance(data, dict):
        data = data.get("entries")
    if not isinstance(data, list):
        raise LexiconError(f"{path}: expected a list of entries (or a mapping with 'entries')")
    entries = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise LexiconError(f"{path}: entry {index} is not a mapping")
        entries.append(_entry({k: str(v) for k, v in item.items() if v is not None}, f"{path}: entry {index}"))
    return entries


def _parse_dic(text: str, path: str) -> list[Entry]:
    """A LIWC-style dictionary: a ``%``-fenced block of category ids and names, then ``word<TAB>ids``."""
    lines = text.splitlines()
    fences = [n for n, line in enumerate(lines) if line.strip() == "%"]
    if len(fences) < 2:
        raise LexiconError(f"{path}: a .dic file needs a category block between two '%' lines")
    categories = {}
    for n in range(fences[0] + 1, fences[1]):
        if not lines[n].strip():
            continue
        parts = lines[n].split()
        if len(parts) < 2:
            raise LexiconError(f"{path}:{n + 1}: category line needs an id and a name")
        categories[parts[0]] = parts[1]
    entries = []
    for n in range(fences[1] + 1, len(lines)):
        line = lines[n].strip()
        if not line:
            continue
        parts = re.split(r"\t+|\s{2,}", line) if "\t" in line else line.split()
        word, ids = parts[0], parts[1:]
        if not ids:
            raise LexiconError(f"{path}:{n + 1}: word {word!r} has no category id")
        for cid in ids:
            if cid not in categories:
                raise LexiconError(f"{path}:{n + 1}: unknown category id {cid!r}")
            entries.append(_entry({"pattern": word, "category": categories[cid],
                                   "explanation": f"In the {categories[cid]!r} category of {Path(path).name}.",
                                   "source": Path(path).name}, f"{path}:{n + 1}"))
    return entries


def parse_lexicon(text: str, *, name: str, path: str, suffix: str) -> list[Entry]:
    suffix = suffix.lower()
    if suffix in (".yaml", ".yml"):
        entries = _parse_yaml(text, path)
    elif suffix == ".dic":
        entries = _parse_dic(text, path)
    elif suffix in (".tsv", ".csv", ".txt"):
        entries = _parse_table(text, path, "," if suffix == ".csv" else "\t")
    else:
        raise LexiconError(f"{path}: unknown lexicon format {suffix!r} (use .tsv, .csv, .yaml or .dic)")
    if not entries:
        raise LexiconError(f"{path}: no entries")
    return entries


@lru_cache(maxsize=None)
def packaged_lexicon(name: str) -> Lexicon:
    resource = resources.files("framing").joinpath(f"lexicons/{name}.tsv")
    data = resource.read_bytes()
    entries = parse_lexicon(data.decode("utf-8"), name=name, path=f"framing/lexicons/{name}.tsv", suffix=".tsv")
    return Lexicon(name, entries, f"framing/lexicons/{name}.tsv", _checksum(data))


def read_lexicon_file(path: str | Path) -> Lexicon:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 (byte {exc.start})") from None
    name = path.name.split(".")[0]
    return Lexicon(name, parse_lexicon(text, name=name, path=str(path), suffix=path.suffix),
                   str(path), _checksum(data))


def load_lexicons(extra: list[str | Path] | tuple = (), *, packaged: tuple[str, ...] = PACKAGED) -> list[Lexicon]:
    """The packaged lexicons plus users' files; a user file named like a packaged lexicon replaces it."""
    lexicons = {name: packaged_lexicon(name) for name in packaged}
    for path in extra:
        lexicon = read_lexicon_file(path)
        lexicons[lexicon.name] = lexicon
    return list(lexicons.values())


# ---- matching -------------------------------------------------------------------------------------------

def _plural_forms(word: str) -> set[str]:
    forms = {word, word + "s"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    return forms


def _variants(pattern: str) -> list[list[str]]:
    """Token sequences a pattern matches: hyphen as two tokens or joined; plural forms of the last word."""
    words = pattern.replace("’", "'").split(" ")
    sequences: list[list[str]] = [[]]
    for word in words:
        parts = [p for p in word.split("-") if p]
        options = [parts] if len(parts) == 1 else [parts, ["".join(parts)]]
        sequences = [seq + option for seq in sequences for option in options]
    return sequences


@dataclass
class _Node:
    children: dict = field(default_factory=dict)
    globs: list = field(default_factory=list)       # (prefix, next node) for words ending in *
    entries: list = field(default_factory=list)     # (entry, lexicon name) ending here


@dataclass
class Matcher:
    root: _Node
    lexicons: list[Lexicon]


def build_matcher(lexicons: list[Lexicon]) -> Matcher:
    root = _Node()
    for lexicon in lexicons:
        for entry in lexicon.entries:
            for sequence in _variants(entry.pattern):
                _insert(root, sequence, (entry, lexicon.name))
    return Matcher(root, lexicons)


def _insert(root: _Node, tokens: list[str], payload) -> None:
    nodes = [root]
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        following = []
        for node in nodes:
            if token.endswith("*"):
                prefix = token[:-1]
                target = next((n for p, n in node.globs if p == prefix), None)
                if target is None:
                    target = _Node()
                    node.globs.append((prefix, target))
                following.append(target)
            else:
                for form in (_plural_forms(token) if last else {token}):
                    following.append(node.children.setdefault(form, _Node()))
        nodes = following
    for node in nodes:
        if payload not in node.entries:
            node.entries.append(payload)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    lowered = text.lower()
    return [(m.start(), m.end(), m.group().replace("’", "'")) for m in _TOKEN.finditer(lowered)]


def _next_steps(node: _Node, token: str) -> list[_Node]:
    steps = []
    child = node.children.get(token)
    if child is not None:
        steps.append(child)
    for prefix, target in node.globs:
        if token.startswith(prefix):
            steps.append(target)
    return steps


def _condition_holds(condition: str, text: str, tokens, first: int, last: int) -> bool:
    if not condition:
        return True
    following = tokens[last + 1][2] if last + 1 < len(tokens) else ""
    if condition == "before_quantity":
        if following[:1].isdigit() or following in _QUANTITY_WORDS:
            return True
        if following in ("a", "an") and last + 2 < len(tokens):
            return tokens[last + 2][2] in _QUANTITY_WORDS
        gap = text[tokens[last][1]:tokens[last + 1][0]] if last + 1 < len(tokens) else ""
        return any(symbol in gap for symbol in "£$€%")
    if condition == "modal":
        start = tokens[first][0]
        word = text[start:tokens[first][1]]
        if word[:1].isupper() and not _SENTENCE_START.search(text[max(0, start - 3):start]):
            return False  # "May" mid-sentence is the month (or a name)
        previous = tokens[first - 1][2] if first > 0 else ""
        if previous in _NOT_BEFORE_MODAL and not _SENTENCE_START.search(text[max(0, start - 3):start]):
            return False  # "in May", "the might of"
        return not following[:1].isdigit()
    return True


def find_hits(matcher: Matcher, text: str, tokens=None) -> list[Hit]:
    """All lexicon hits in ``text``; within each lexicon overlapping matches resolve to the longest."""
    tokens = tokenize(text) if tokens is None else tokens
    candidates: dict[str, list[tuple[int, int, Entry]]] = {}
    root = matcher.root
    for first in range(len(tokens)):
        frontier = _next_steps(root, tokens[first][2])
        position = first
        while frontier:
            for node in frontier:
                for entry, lexicon in node.entries:
                    if _condition_holds(entry.condition, text, tokens, first, position):
                        candidates.setdefault(lexicon, []).append((first, position, entry))
            position += 1
            if position >= len(tokens) or not _JOINER.match(text[tokens[position - 1][1]:tokens[position][0]]):
                break
            frontier = [step for node in frontier for step in _next_steps(node, tokens[position][2])]
    hits: list[Hit] = []
    for lexicon, found in candidates.items():
        # longest first, then leftmost; a match overlapping one already kept is dropped
        found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple[int, int]] = []
        for first, last, entry in found:
            if any(first <= t_last and t_first <= last for t_first, t_last in taken):
                continue
            taken.append((first, last))
            start, end = tokens[first][0], tokens[last][1]
            hits.append(Hit(start, end, text[start:end], lexicon, entry.category, entry.pattern,
                            entry.explanation))
    hits.sort(key=lambda h: (h.start, h.lexicon))
    return hits


def lexicon_checksums(lexicons: list[Lexicon]) -> dict[str, dict]:
    return {lex.name: {"path": lex.path, "sha256": lex.sha256, "entries": len(lex.entries)} for lex in lexicons}
