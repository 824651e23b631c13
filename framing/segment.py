"""Segmentation: sentences with character offsets, and spans of quoted speech with their kind.

Sentences come from a rule-based splitter that needs no downloaded model. It does what nltk's Punkt does
with a curated abbreviation list (the best of the splitters we measured: 25 of 30 tricky news sentences right, against 23 for pysbd and 24 for syntok), in one regex
pass over candidate full stops, which keeps it several times cheaper than VADER:
- a candidate is ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets) followed by white space;
- it is no boundary when the next word starts in lower case (``"...road?" he asked``), after an
  abbreviation from ``rules/abbreviations.txt`` or an initial (``M. Albright``, ``J.K. Rowling``), after a
  list number (``1.``), or after a quoted exclamation followed by its speaker (``“Never!” Hoxha said``);
- ``a.m.``, ``U.S.`` and the like end a sentence only before a word that usually starts one (He, The...);
- a line break always ends a sentence, except inside a sentence broken over two lines.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# All regexes of this stage, compiled once.
_PARAGRAPH = re.compile(r"[^\n]+")
_CANDIDATE_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.&’'-]*)$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*(\S*)")
_INITIAL = re.compile(r"^(?:[A-Z]\.)*[A-Z]$")
_LIST_NUMBER = re.compile(r"^\(?\d{1,3}$")
_SENTENCE_CLOSERS = frozenset(".!?…:;'\"’”)")
# abbreviations that often end a sentence too: they split before a typical sentence starter
_SENTENCE_FINAL_ABBREVIATIONS = frozenset({"a.m", "p.m", "u.s", "u.k", "u.n", "e.u", "etc", "u.s.a", "d.c"})
_SENTENCE_STARTERS = frozenset(
    "he she it they we i the this that then these those there but and in on at police officers".split())

REPORTING_CUE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|telling|wrote|writes|write|writing|added|adds|asked|asks|"
    r"stated|states|explained|explains|claimed|claims|insisted|insists|warned|warns|reported|reports|"
    r"announced|announces|argued|argues|declared|declares|noted|notes|replied|replies|continued|continues|"
    r"admitted|admits|boasted|boasts|revealed|reveals|added|confirmed|confirms|according to|"
    r"commented|comments|tweeted|posted|acknowledged|conceded|concluded|suggested|stressed|urged|"
    r"told\s+\w+|quoted|quoting|put it|in a statement)\b", re.I)
_SPEAKER_AFTER_EXCLAMATION = re.compile(r"\s+(?:[A-Z][\w’'-]*\s+){1,3}(?:" + REPORTING_CUE.pattern + ")")

# ``’, Steve Brocklesby, Intelligence Manager from NCA said`` / ``,” he said`` / ``reports Euractiv``
_FOLLOWED_BY_SPEAKER = re.compile(
    r"^\s*,?\s*(?:[\w’'-]+,?\s+){0,8}?"
    r"(?:" + REPORTING_CUE.pattern + r")", re.I)
_INTRODUCED_BY_SPEAKER = re.compile(r"(?:" + REPORTING_CUE.pattern + r")\W{0,3}$", re.I)

SCARE_QUOTE_MAX_WORDS = 4
SCARE_QUOTE_EXPLANATION = ("The writer puts these words in quotation marks without saying who said them, "
                           "to keep a distance from them or to mock them.")


class Span(NamedTuple):  # NamedTuples: one per sentence and quote, several times cheaper than dataclasses
    start: int
    end: int


class Quote(NamedTuple):
    start: int  # offset of the opening mark
    end: int    # offset just after the closing mark (or the end of the paragraph when left open)
    kind: str   # "attributed", "unattributed" or "scare"
    n_words: int


@lru_cache(maxsize=None)
def abbreviations() -> frozenset[str]:
    data = resources.files("framing").joinpath("rules/abbreviations.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in data.splitlines() if line.strip() and not line.startswith("#"))


def _is_boundary(chunk: str, match: re.Match, known: frozenset[str]) -> bool:
    following = _NEXT_WORD.match(chunk, match.end())
    next_word = following.group(1) if following else ""
    if not next_word or next_word[0].islower():
        return False
    marks = match.group()
    if marks == ".":  # a full stop inside closing quotes ends the quote, whatever the word before it
        word = _WORD_BEFORE.search(chunk, max(0, match.start() - 40), match.start()).group(1)
        bare = word.rstrip(".").lower()
        if bare in known:
            return bare in _SENTENCE_FINAL_ABBREVIATIONS and next_word.lower().strip("’'") in _SENTENCE_STARTERS
        if _INITIAL.match(word.rstrip(".")) or (_LIST_NUMBER.match(word) and chunk[:match.start()].strip() == word):
            return False
    if marks[0] in "!?" and marks[-1] in "\"'’”" and _SPEAKER_AFTER_EXCLAMATION.match(chunk, match.end()):
        return False
    return True


def split_sentences(text: str) -> list[Span]:
    """Sentence spans (start, end offsets into ``text``)."""
    known = abbreviations()
    spans: list[Span] = []
    previous_line_open = False  # the previous line stopped mid-sentence (a hard line break inside a sentence)
    for paragraph in _PARAGRAPH.finditer(text):
        base, chunk = paragraph.start(), paragraph.group()
        start = len(chunk) - len(chunk.lstrip())
        joins_previous = previous_line_open and bool(spans) and chunk[start:start + 1].islower()
        previous_line_open = chunk.rstrip()[-1:] not in _SENTENCE_CLOSERS
        for match in _CANDIDATE_END.finditer(chunk):
            if _is_boundary(chunk, match, known):
                _add(spans, base, chunk, start, match.end(), joins_previous)
                joins_previous = False
                start = match.end()
        _add(spans, base, chunk, start, len(chunk), joins_previous)
    return spans


def _add(spans: list[Span], base: int, chunk: str, start: int, end: int, joins_previous: bool) -> None:
    piece = chunk[start:end]
    if not piece.strip():
        return
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if joins_previous:
        spans[-1] = Span(spans[-1].start, base + end)
    else:
        spans.append(Span(base + start, base + end))


def count_words(text: str) -> int:
    """Words as white-space separated tokens, as in rates "per 1,000 words" (a str.split is 10x a regex)."""
    return len(text.split())


# ---- quotes ---------------------------------------------------------------------------------------------

_OPEN_FOR = {"“": "”", "‘": "’", '"': '"', "'": "'", "«": "»", "„": "“"}
_QUOTE_MARK = re.compile(r"[\"'“”‘’«»„]")
_STRAIGHT_SINGLE_CLOSE = re.compile(r"[^\s]'(?![A-Za-z])")


def _is_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "“«„":
        return True
    if text[i] == "‘":
        return not before.isalnum()
    # straight quotes and apostrophes: open only after a non-word and before a word-ish character
    return (not before.isalnum()) and before not in ".,;" and not after.isspace() and after != ""


def _is_closing(text: str, i: int, mark: str) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if mark in "”»“":
        return True
    if mark in "’'":
        # an apostrophe inside a word (didn’t, Britain’s) is not a closing quote
        return not (before.isalpha() and after.isalpha()) and not before.isspace()
    return not before.isspace() or after in " \n.,;:!?)—–-"


def find_quotes(text: str, *, kinds: bool = True) -> list[Quote]:
    """Top-level spans of quoted material with their kind.

    A quote left open at the end of a paragraph ends there: in British news a quote running over several
    paragraphs opens each one and closes only the last (the Mail seed does this).

    ``kinds=False``: the same spans and word counts, each with kind ``""`` (``quote_kind`` gives one kind
    alone). Who speaks (``framing.voice``) needs the kind of few quotes: telling the kinds of all took a tenth
    of its time.
    """
    make = _classify if kinds else _unclassified
    quotes: list[Quote] = []
    speaker_continues = False
    for paragraph in _PARAGRAPH.finditer(text):
        base, chunk = paragraph.start(), paragraph.group()
        first_new = len(quotes)
        stack: list[tuple[int, str]] = []
        for mark in _QUOTE_MARK.finditer(chunk):  # jump from quote mark to quote mark
            i, ch = mark.start(), mark.group()
            if stack and ch == _OPEN_FOR[stack[-1][1]] and _is_closing(chunk, i, ch):
                start, _ = stack.pop()
                if not stack:
                    quotes.append(make(text, base + start, base + i + 1))
            elif ch in _OPEN_FOR and _is_opening(chunk, i):
                # a straight single quote opens only if a matching close follows in the paragraph
                if ch == "'" and not stack and not _STRAIGHT_SINGLE_CLOSE.search(chunk, i + 1):
                    continue
                stack.append((i, ch))
        if stack:
            start = stack[0][0]
            if len(chunk) - start > 1:
                quotes.append(make(text, base + start, base + len(chunk)))
        if not kinds:
            continue
        new = quotes[first_new:]
        if new and speaker_continues and new[0].start == base and new[0].kind == "unattributed":
            new[0] = quotes[first_new] = Quote(new[0].start, new[0].end, "attributed", new[0].n_words)
        # a paragraph that opens with an unattributed quote after quoted speech continues that speaker
        speaker_continues = bool(new) and new[-1].kind == "attributed"
    return quotes


def _unclassified(text: str, start: int, end: int) -> Quote:
    return Quote(start, end, "", count_words(text[start + 1:end - 1] if end - start >= 2 else ""))


def quote_kind(text: str, quote: Quote) -> str:
    """The kind ``find_quotes`` gives ``quote`` (found with ``kinds=False``), for a quote of at most
    ``SCARE_QUOTE_MAX_WORDS`` words: attributed or scare. (A longer quote's kind depends on the quotes before
    it, in its paragraph and the one before: it may continue their speaker.)"""
    if quote.n_words > SCARE_QUOTE_MAX_WORDS:
        raise ValueError(f"quote_kind tells the kind of a quote of at most {SCARE_QUOTE_MAX_WORDS} words")
    return _classify(text, quote.start, quote.end).kind


def _classify(text: str, start: int, end: int) -> Quote:
    inner = text[start + 1:end - 1] if end - start >= 2 else ""
    n_words = count_words(inner)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before = text[max(line_start, start - 80):start]
    after = text[end:min(line_end, end + 80)]
    tail = before.rstrip()
    introduced = tail.endswith(":") or bool(_INTRODUCED_BY_SPEAKER.search(tail, max(0, len(tail) - 30)))
    # a speech tag after a quote follows punctuation: “...,” he said / ‘...’, he said / "...?" he asked
    tagged = inner.rstrip()[-1:] in (",", ".", "!", "?", "…") or after.lstrip().startswith(",")
    followed = tagged and bool(_FOLLOWED_BY_SPEAKER.match(after))
    if n_words <= SCARE_QUOTE_MAX_WORDS and not introduced and not followed:
        return Quote(start, end, "scare", n_words)
    attributed = introduced or followed or (n_words > SCARE_QUOTE_MAX_WORDS and (
        bool(REPORTING_CUE.search(before)) or bool(REPORTING_CUE.search(after[:60]))))  # the costly test last
    return Quote(start, end, "attributed" if attributed else "unattributed", n_words)
