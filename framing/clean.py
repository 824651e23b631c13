"""Cleaning: small pure steps, each ``str -> str``, composed per input format.

Curly quotes are kept on purpose: quote and scare-quote detection (``framing.segment``) needs them.
Site furniture is removed by rules kept as data (``framing/rules/boilerplate.tsv``); the one step that
drops lines returns them too, so a document keeps what was removed for audit.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources

# Every regex of the cleaning stage, compiled once, here.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
# [text](url): the url may itself contain escaped parentheses, e.g. (NCA\)
_MD_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\((?:[^()\\]|\\.)*\)")
_MD_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M)
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])((?:[^*\\]|\\.)+?)(?<=[^\s\\])\*(?![\w*])", re.S)
_MD_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|/<>\"'~])")
_JSON_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_TWEET_DEBRIS = re.compile(r"\s*(?:https?://)?(?:pic\.twitter\.com|t\.co)/\w+")
# runs of blanks, or one blank that is not a plain space (matching every single space made cleaning slow)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a JSON "\\ud800" escape without its pair
# what ends a line like a sentence (its last character that is not white space); a set, not the regex
# [.!?…:;,'"’”)\]]\s*$, whose search tried every position of every line (a sixth of the time of reading)
_TERMINAL_CHARACTERS = frozenset(".!?…:;,'\"’”)]")
_WORD = re.compile(r"[^\W\d_]{2,}")
# Inside a line that a furniture rule matched: where its first sentence ends (not after an initial, "J. Smith"),
# a label ("Category:", "Sign up for our newsletter:"), and the end of a sentence at the end of the line
_SENTENCE_END = re.compile(r"(?<!\b\w)[.!?…]+[\"'’”)\]]*\s+(?=\S)")
_LABEL = re.compile(r"[^:.!?]{1,60}:\s+(?=\S)")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'’”)\]]*$")


def strip_bom(text: str) -> str:
    return text.lstrip("\ufeff")


def _ends_like_a_sentence(line: str) -> bool:
    return line.rstrip()[-1:] in _TERMINAL_CHARACTERS


def has_lone_surrogates(text: str) -> bool:
    return _LONE_SURROGATE.search(text) is not None


def replace_lone_surrogates(text: str) -> str:
    """Half of a UTF-16 pair (valid JSON, ``"\\ud83d"`` alone) cannot be written as UTF-8: make it U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalize_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def decode_html_entities(text: str) -> str:
    return html.unescape(text)


def decode_literal_escapes(text: str) -> str:
    """Turn escapes that survived an export as literal text (``\\u00a0``, ``\\/``) into characters."""
    text = _JSON_UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\\/", "/")


def markdown_to_text(text: str) -> str:
    """Links and images to their text, emphasis and headings to plain text, backslash escapes decoded."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub("", text)
    text = _MD_HEADING.sub(r"\1", text)
    if "*" in text or "__" in text:  # the emphasis patterns look behind at every character: skip when idle
        text = _MD_STRONG.sub(r"\2", text)
        text = _MD_EMPHASIS_STAR.sub(r"\1", text)
    if "_" in text:
        text = _MD_EMPHASIS_UNDERSCORE.sub(r"\1", text)
    # exports sometimes escape twice (``NATO\\_KFOR``); a second pass is idempotent on clean text
    return _MD_ESCAPE.sub(r"\1", _MD_ESCAPE.sub(r"\1", text))


def remove_tweet_debris(text: str) -> str:
    """Drop pic.twitter.com and t.co links that embedded tweets leave inside lines."""
    if "twitter.com/" not in text and "t.co/" not in text:  # the regex is costly; most texts have none
        return text
    return _TWEET_DEBRIS.sub("", text)


_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ODD_BLANKS = "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def normalize_whitespace(text: str) -> str:
    # `in` checks run at memory speed; the regexes only run on the texts that need them (most do not)
    if any(ch in text for ch in _ZERO_WIDTH_CHARS):
        text = _ZERO_WIDTH.sub("", text)
    if "  " in text or any(ch in text for ch in _ODD_BLANKS):
        text = _SPACES.sub(" ", text)
    return collapse_blank_lines("\n".join(line.strip() for line in text.split("\n")))


def collapse_blank_lines(text: str) -> str:
    """At most one blank line between paragraphs, none at the ends (after lines were removed)."""
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def join_broken_paragraphs(text: str) -> str:
    """Re-join a sentence that a page's layout split over two paragraphs.

    Exports from HTML often break a paragraph where a link ended; the tell is a paragraph without final
    punctuation followed by one that starts in lower case.
    """
    paragraphs = text.split("\n\n")
    joined: list[str] = []
    for paragraph in paragraphs:
        if joined and paragraph[:1].islower() and not _ends_like_a_sentence(joined[-1]):
            joined[-1] = f"{joined[-1]} {paragraph}"
        else:
            joined.append(paragraph)
    return "\n\n".join(joined)


class _FragmentToText(HTMLParser):
    """HTML fragment (a CMS body) to text: block elements become paragraph breaks, scripts are dropped."""

    _BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "figure", "figcaption", "section", "article", "tr", "table", "hr", "pre"}
    _SKIP = {"script", "style", "noscript", "iframe", "svg", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data.replace("\n", " "))


def html_fragment_to_text(text: str) -> str:
    parser = _FragmentToText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


# ---- furniture: rules as data -------------------------------------------------------------------------

@dataclass(frozen=True)
class FurnitureRule:
    pattern: re.Pattern
    kind: str  # "line" or "footer"
    note: str


@lru_cache(maxsize=None)
def _any_rule(rules: tuple[FurnitureRule, ...]) -> re.Pattern:
    """All rules in one alternation: one regex call per line instead of one per rule and line."""
    return re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in rules), re.I)


@lru_cache(maxsize=None)
def _packaged_screen() -> re.Pattern:
    # _any_rule's cache hashes the rules on every call (each rule's compiled pattern): a tenth of the time of reading
    return _any_rule(furniture_rules())


@lru_cache(maxsize=None)
def furniture_rules() -> tuple[FurnitureRule, ...]:
    """The packaged boilerplate rules, read once."""
    data = resources.files("framing").joinpath("rules/boilerplate.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in data.splitlines() if line and not line.startswith("#")),
                          delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple(FurnitureRule(re.compile(row["pattern"], re.I), row["kind"], row["note"]) for row in rows)


STORY_WORDS = 4
"""What is left of a furniture line after its furniture phrase is story when it has this many words (and, after a
label, ends like a sentence); else the whole line is furniture."""


def remove_furniture(text: str, rules: tuple[FurnitureRule, ...] | None = None) -> tuple[str, list[str]]:
    """Drop the furniture the rules match; return the kept text and what was removed.

    A rule matches a whole line. A ``line`` rule removes the line, unless the line goes on with the story after its
    furniture phrase (a body exported as one line: "Photo credit: AP. Police said ..."): then only the phrase is
    removed (see ``cut_furniture``). A ``footer`` rule removes its line and the rest of the document when it
    starts in the last half; in a document of one line it is cut like a ``line`` rule.
    """
    screen = _packaged_screen() if rules is None else _any_rule(rules)
    rules = furniture_rules() if rules is None else rules
    lines = text.split("\n")
    n_content = sum(1 for line in lines if line.strip())
    kept: list[str] = []
    removed: list[str] = []
    seen_content = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append(line)
            continue
        seen_content += 1
        if not screen.fullmatch(stripped):
            kept.append(line)
            continue
        rule = next((r for r in rules if r.pattern.fullmatch(stripped)), None)
        if rule is None:
            kept.append(line)
        elif rule.kind == "footer" and seen_content > n_content / 2 and n_content > 1:
            removed.extend(rest for rest in lines[index:] if rest.strip())
            break
        elif rule.kind == "footer" and n_content > 1:
            kept.append(line)
        else:
            furniture, story = cut_furniture(stripped, rules)
            removed.append(furniture)
            if story:
                kept.append(story)
    return "\n".join(kept), removed


def cut_furniture(line: str, rules: tuple[FurnitureRule, ...] | None = None) -> tuple[str, str]:
    """A line that a furniture rule matched, as (furniture, story). The furniture phrase ends at the line's first
    sentence end, or else at its label's colon; what follows is story if it has ``STORY_WORDS`` words (after a
    label, ending like a sentence), once any furniture it starts with is cut too. Else the whole line is
    furniture: (line, "")."""
    rules = furniture_rules() if rules is None else rules
    end = _SENTENCE_END.search(line)
    if end:
        furniture, story = _cut_rest(line, end.end(), rules)
        if _is_story(story):
            return furniture, story
    label = _LABEL.match(line)
    if label:
        furniture, story = _cut_rest(line, label.end(), rules)
        if _is_story(story) and _ENDS_SENTENCE.search(story):
            return furniture, story
    return line, ""


def _cut_rest(line: str, at: int, rules) -> tuple[str, str]:
    """``line`` cut at ``at``: (the furniture before, with any furniture the rest starts with; the story)."""
    head, rest = line[:at].rstrip(), line[at:].strip()
    if _any_rule(rules).fullmatch(rest) and any(rule.pattern.fullmatch(rest) for rule in rules):
        more, rest = cut_furniture(rest, rules)
        head = f"{head} {more}"
    return head, rest


def _is_story(text: str) -> bool:
    return len(_WORD.findall(text)) >= STORY_WORDS


def remove_captions(text: str) -> tuple[str, list[str]]:
    """Drop photo captions mixed into a plain-text body.

    In a body whose paragraphs end in punctuation, a line of several words with no final punctuation is a
    caption or a picture credit (MailOnline exports read like this). The first line is kept: it is the
    headline when there is one.
    """
    lines = text.split("\n")
    content = [line for line in lines if line.strip()]
    if len(content) < 5:
        return text, []
    ended = sum(1 for line in content if _ends_like_a_sentence(line))
    if ended < 0.6 * len(content):
        return text, []  # not a punctuated prose body: do not guess
    kept, removed = [], []
    first = True
    for line in lines:
        stripped = line.strip()
        if stripped and not first and not _ends_like_a_sentence(stripped) and len(stripped.split()) >= 6:
            removed.append(stripped)
            continue
        if stripped:
            first = False
        kept.append(line)
    return "\n".join(kept), removed


def has_words(text: str) -> bool:
    return _WORD.search(text) is not None


def compose(*steps):
    def run(text: str) -> str:
        for step in steps:
            text = step(text)
        return text
    return run


normalize = compose(strip_bom, normalize_newlines, normalize_unicode)
