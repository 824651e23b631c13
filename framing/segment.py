"""Segmentation: sentences with character offsets, and spans of quoted speech with their kind.

Sentences come from nltk's Punkt with a curated abbreviation list (``rules/abbreviations.txt``) and no
downloaded model: on the team's hand-checked news sentences this beat untrained Punkt, pysbd and syntok
(see ../shared/NOTES.md). Paragraph breaks always end a sentence. Two repairs follow Punkt: a "sentence"
starting in lower case continues the previous one (``"...road?" he asked``), and an initial (``M.``) does
not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# All regexes of this stage, compiled once.
_PARAGRAPH = re.compile(r"[^\n]+")
_STARTS_CONTINUATION = re.compile(r"^[\s\"'“”‘’(\[]*[a-z]")
_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s(.])[A-Z]\.$")
_LIST_NUMBER = re.compile(r"^\(?\d{1,3}[.)]$")
_ENDS_WITH_QUOTED_EXCLAMATION = re.compile(r"[!?]['\"’”]$")
# After these, a capitalised pronoun or article starts a new sentence even though Punkt saw an abbreviation.
_ABBREVIATION_THEN_STARTER = re.compile(
    r"(?:\b(?:a\.m\.|p\.m\.|U\.S\.|U\.K\.|U\.N\.|E\.U\.|etc\.)|\w(?:\.\.\.|…))(?=\s+(?:He|She|It|They|We|I|The|This|That|Then|"
    r"These|Those|There|But|And|In|On|At|Police|Officers)\b)")
_WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")

REPORTING_CUE = re.compile(
    r"\b(?:said|says|say|saying|told|tells|tell|telling|wrote|writes|write|writing|added|adds|asked|asks|"
    r"stated|states|explained|explains|claimed|claims|insisted|insists|warned|warns|reported|reports|"
    r"announced|announces|argued|argues|declared|declares|noted|notes|replied|replies|continued|continues|"
    r"admitted|admits|boasted|boasts|revealed|reveals|added|confirmed|confirms|according to|"
    r"commented|comments|tweeted|posted|acknowledged|conceded|concluded|suggested|stressed|urged|"
    r"told\s+\w+|quoted|quoting|put it|in a statement)\b", re.I)

# ``’, Steve Brocklesby, Intelligence Manager from NCA said`` / ``,” he said`` / ``reports Euractiv``
_FOLLOWED_BY_SPEAKER = re.compile(
    r"^\s*,?\s*(?:[\w’'-]+,?\s+){0,8}?"
    r"(?:" + REPORTING_CUE.pattern + r")", re.I)
_INTRODUCED_BY_SPEAKER = re.compile(r"(?::|(?:" + REPORTING_CUE.pattern + r")\W{0,3})\s*$", re.I)

SCARE_QUOTE_MAX_WORDS = 4
SCARE_QUOTE_EXPLANATION = ("The writer puts these words in quotation marks without saying who said them, "
                           "to keep a distance from them or to mock them.")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    start: int  # offset of the opening mark
    end: int    # offset just after the closing mark (or the end of the paragraph when left open)
    kind: str   # "attributed", "unattributed" or "scare"
    n_words: int


@lru_cache(maxsize=None)
def abbreviations() -> frozenset[str]:
    data = resources.files("framing").joinpath("rules/abbreviations.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in data.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def _punkt():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    parameters = PunktParameters()
    parameters.abbrev_types = set(abbreviations())
    return PunktSentenceTokenizer(parameters)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans (start, end offsets into ``text``), never crossing a line break."""
    tokenizer = _punkt()
    spans: list[Span] = []
    previous_line_open = False  # the previous line stopped mid-sentence (a hard line break inside a sentence)
    for paragraph in _PARAGRAPH.finditer(text):
        base = paragraph.start()
        chunk = paragraph.group()
        pieces: list[list[int]] = []
        for start, end in tokenizer.span_tokenize(chunk):
            piece = chunk[start:end]
            if pieces and _continues(chunk[pieces[-1][0]:pieces[-1][1]], piece):
                pieces[-1][1] = end
            else:
                pieces.append([start, end])
        joins_previous = previous_line_open and spans and chunk[:1].islower()
        previous_line_open = not re.search(r"[.!?…:;'\"’”)]\s*$", chunk)
        for index, (start, end) in enumerate(pieces):
            if index == 0 and joins_previous:
                last = spans.pop()
                start, base_start = 0, last.start
            else:
                base_start = None
            cut = start
            for match in _ABBREVIATION_THEN_STARTER.finditer(chunk, start, end):
                spans.append(Span(base_start if base_start is not None else base + cut, base + match.end()))
                base_start = None
                cut = match.end() + 1
                while cut < end and chunk[cut].isspace():
                    cut += 1
            if chunk[cut:end].strip():
                spans.append(Span(base_start if base_start is not None else base + cut, base + end))
    return spans


def _continues(previous: str, piece: str) -> bool:
    """Whether Punkt's next piece belongs to the previous sentence."""
    if _STARTS_CONTINUATION.match(piece) or _ENDS_WITH_INITIAL.search(previous) or _LIST_NUMBER.match(previous):
        return True
    # "Never again!” Hoxha told the crowd: a capitalised speaker after a quoted exclamation
    return bool(_ENDS_WITH_QUOTED_EXCLAMATION.search(previous)) and bool(
        re.match(r"^(?:[A-Z][\w’'-]*\s+){1,3}(?:" + REPORTING_CUE.pattern + ")", piece))


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# ---- quotes ---------------------------------------------------------------------------------------------

_OPEN_FOR = {"“": "”", "‘": "’", '"': '"', "'": "'", "«": "»", "„": "“"}


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


def find_quotes(text: str) -> list[Quote]:
    """Top-level spans of quoted material with their kind.

    A quote left open at the end of a paragraph ends there: in British news a quote running over several
    paragraphs opens each one and closes only the last (the Mail seed does this).
    """
    quotes: list[Quote] = []
    speaker_continues = False
    for paragraph in _PARAGRAPH.finditer(text):
        base, chunk = paragraph.start(), paragraph.group()
        first_new = len(quotes)
        stack: list[tuple[int, str]] = []
        i = 0
        while i < len(chunk):
            ch = chunk[i]
            if stack and ch == _OPEN_FOR[stack[-1][1]] and _is_closing(chunk, i, ch):
                start, _ = stack.pop()
                if not stack:
                    quotes.append(_classify(text, base + start, base + i + 1))
            elif ch in _OPEN_FOR and _is_opening(chunk, i):
                if ch in "'’" and not stack:
                    # a straight single quote opens only if a matching close follows in the paragraph
                    if not re.search(r"[^\s]'(?![A-Za-z])", chunk[i + 1:]):
                        i += 1
                        continue
                stack.append((i, ch))
            i += 1
        if stack:
            start = stack[0][0]
            if len(chunk) - start > 1:
                quotes.append(_classify(text, base + start, base + len(chunk)))
        new = quotes[first_new:]
        if new and speaker_continues and new[0].start == base and new[0].kind == "unattributed":
            new[0] = quotes[first_new] = Quote(new[0].start, new[0].end, "attributed", new[0].n_words)
        # a paragraph that opens with an unattributed quote after quoted speech continues that speaker
        speaker_continues = bool(new) and new[-1].kind == "attributed"
    return quotes


def _classify(text: str, start: int, end: int) -> Quote:
    inner = text[start + 1:end - 1] if end - start >= 2 else ""
    n_words = count_words(inner)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before = text[max(line_start, start - 80):start]
    after = text[end:min(line_end, end + 80)]
    introduced = bool(_INTRODUCED_BY_SPEAKER.search(before))
    # a speech tag after a quote follows punctuation: “...,” he said / ‘...’, he said / "...?" he asked
    tagged = inner.rstrip()[-1:] in (",", ".", "!", "?", "…") or after.lstrip().startswith(",")
    followed = tagged and bool(_FOLLOWED_BY_SPEAKER.match(after))
    if n_words <= SCARE_QUOTE_MAX_WORDS and not introduced and not followed:
        return Quote(start, end, "scare", n_words)
    nearby = bool(REPORTING_CUE.search(before)) or bool(REPORTING_CUE.search(after[:60]))
    attributed = introduced or followed or (n_words > SCARE_QUOTE_MAX_WORDS and nearby)
    return Quote(start, end, "attributed" if attributed else "unattributed", n_words)


def quote_at(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The quote that contains the span [start, end), if any (quotes are few per document: a scan is enough)."""
    for quote in quotes:
        if quote.start <= start and end <= quote.end:
            return quote
    return None
