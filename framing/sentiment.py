"""Sentence sentiment (VADER compound) and sentiment toward named targets.

The analyser is vaderSentiment 3.3.2, the reference implementation, whose lexicon ships inside its wheel:
nothing is downloaded. nltk's port uses the same lexicon with different rules; on the NYT editorial
benchmark the reference agrees with people at least as well and runs 2.5 times faster
(``benchmarks/validity.py`` prints both).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

from framing.corpus import FramingError

_TARGET_SEPARATOR = re.compile(r"[;\n]")
POSITIVE_THRESHOLD = 0.05   # VADER's own rule for its 3 classes
NEGATIVE_THRESHOLD = -0.05


class TargetError(FramingError):
    """A --targets specification cannot be parsed."""


@lru_cache(maxsize=None)
def analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(sentence: str) -> float:
    return analyzer().polarity_scores(sentence)["compound"]


def polarity_class(score: float) -> str:
    """negative / neutral / positive by VADER's rule; a missing score is neutral."""
    if score is None or score != score:
        return "neutral"
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


@lru_cache(maxsize=None)
def vader_provenance() -> dict:
    """Version and lexicon checksum of the sentiment analyser, recorded with every run."""
    data = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_bytes()
    return {"package": "vaderSentiment", "version": metadata.version("vaderSentiment"),
            "lexicon_sha256": hashlib.sha256(data).hexdigest()}


# ---- targets --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    name: str
    aliases: tuple[str, ...]
    pattern: re.Pattern


def parse_targets(spec: str | list[str] | None) -> list[Target]:
    """``"Albania=Albania|Albanian|Albanians; NATO"`` (or a list of such items) to targets.

    ``NAME: aliases`` works as well as ``NAME=aliases`` (papermill cannot read a parameter line holding a
    second ``=``). A target without aliases is its own only alias. Aliases match case-insensitively as whole
    words.
    """
    if not spec:
        return []
    items = spec if isinstance(spec, list) else _TARGET_SEPARATOR.split(spec)
    targets: list[Target] = []
    seen = set()
    for item in items:
        for part in [item] if ("=" in item or ":" in item) else item.split(","):
            part = part.strip()
            if not part:
                continue
            name, _, aliases_text = part.partition("=") if "=" in part else part.partition(":")
            name = name.strip()
            aliases = tuple(a.strip() for a in (aliases_text or name).split("|") if a.strip())
            if not name or not aliases:
                raise TargetError(f"target {part!r}: expected NAME=alias|alias or NAME: alias|alias")
            if name in seen:
                raise TargetError(f"target {name!r} given twice")
            seen.add(name)
            alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
            targets.append(Target(name, aliases, re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)))
    return targets
