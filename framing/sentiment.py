"""Sentence sentiment (VADER compound) and sentiment toward named targets.

The scores are those of vaderSentiment 3.3.2, the reference implementation, whose lexicon ships inside its
wheel: nothing is downloaded. nltk's port uses the same lexicon with different rules; on the NYT editorial
benchmark the reference agrees with people at least as well and runs 2.5 times faster
(``benchmarks/validity.py`` prints both).

``compound`` computes the reference's compound score with the reference's own lexicon, word lists and rules,
in the reference's order of float operations, so the score is the same float. It is faster because it
lower-cases each word once: the reference lower-cases the whole sentence again for every rule it checks
around every sentiment word, and rebuilds the text character by character to replace emojis even when there
are none. ``tests/test_sentiment.py`` holds it equal to the reference on thousands of generated sentences
made of the words its rules react to, and ``benchmarks/validity.py`` on every benchmark sentence.
"""

from __future__ import annotations

import hashlib
import math
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources

from framing.errors import TargetError

_TARGET_SEPARATOR = re.compile(r"[;\n]")
POSITIVE_THRESHOLD = 0.05   # VADER's own rule for its 3 classes
NEGATIVE_THRESHOLD = -0.05



@lru_cache(maxsize=None)
def analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def reference_compound(sentence: str) -> float:
    """The compound score by vaderSentiment itself: the oracle ``compound`` is held to."""
    return analyzer().polarity_scores(sentence)["compound"]


@dataclass(frozen=True)
class _Vader:
    lexicon: dict[str, float]
    emojis: dict[str, str]
    emoji_chars: frozenset[str]  # the reference replaces single characters only
    boosters: dict[str, float]
    negations: frozenset[str]
    special_cases: dict[str, float]
    cap_increment: float
    negation_scalar: float
    idiom_pairs: frozenset[tuple[str, str]]  # the first two words of the several-word special cases and boosters


@lru_cache(maxsize=None)
def _vader() -> _Vader:
    from vaderSentiment import vaderSentiment as reference

    built = analyzer()  # its dictionaries, read from its own files: the very same data
    return _Vader(lexicon=built.lexicon, emojis=built.emojis,
                  emoji_chars=frozenset(e for e in built.emojis if len(e) == 1),
                  boosters=reference.BOOSTER_DICT, negations=frozenset(reference.NEGATE),
                  special_cases=reference.SPECIAL_CASES, cap_increment=reference.C_INCR,
                  negation_scalar=reference.N_SCALAR,
                  idiom_pairs=frozenset(tuple(phrase.split(" ")[:2])
                                        for phrase in [*reference.SPECIAL_CASES, *reference.BOOSTER_DICT]
                                        if " " in phrase))


_PUNCTUATION = string.punctuation
_SO_THIS = ("so", "this")


def compound(sentence: str) -> float:
    """VADER's compound score of one sentence (-1 to +1), equal to ``reference_compound``."""
    vader = _vader()
    text = sentence
    # every emoji is outside ASCII: most sentences are not searched (isdisjoint hashes each character)
    if not text.isascii() and not vader.emoji_chars.isdisjoint(text):
        text = _describe_emojis(text, vader.emojis)
    text = text.strip()
    # a token whose stripped form is this short was an emoticon (":)"): the reference keeps it whole
    words = [token if len(stripped := token.strip(_PUNCTUATION)) <= 2 else stripped for token in text.split()]
    if not words:
        return 0.0
    lower = [word.lower() for word in words]
    lexicon = vader.lexicon
    boosters = vader.boosters
    last = len(words) - 1
    sentiments = [0] * len(words)  # the reference's int 0 for words without valence: same sum, same but-rule
    for i in [i for i, low in enumerate(lower) if low in lexicon]:
        low = lower[i]
        if low in boosters or (low == "kind" and i < last and lower[i + 1] == "of"):
            continue
        sentiments[i] = _valence(vader, words, lower, i)
    if "but" in lower:
        _but_rule(lower, sentiments)

    total = float(sum(sentiments))
    if total > 0:
        total += _punctuation_emphasis(text)
    elif total < 0:
        total -= _punctuation_emphasis(text)
    score = total / math.sqrt((total * total) + 15)
    score = -1.0 if score < -1.0 else 1.0 if score > 1.0 else score
    return round(score, 4)


def _describe_emojis(text: str, emojis: dict[str, str]) -> str:
    # the reference's loop, kept as it is: its spacing rule decides which words follow
    out = []
    prev_space = True
    for char in text:
        if char in emojis:
            if not prev_space:
                out.append(" ")
            out.append(emojis[char])
            prev_space = False
        else:
            out.append(char)
            prev_space = char == " "
    return "".join(out)


def _valence(vader: _Vader, words: list[str], lower: list[str], i: int) -> float:
    """The reference's sentiment_valence for a lexicon word, rule for rule and in its order."""
    lexicon = vader.lexicon
    low = lower[i]
    valence = lexicon[low]
    if low == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
        valence = 0.0  # "no" negates the next word instead of counting itself
    if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") \
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
        valence = lexicon[low] * vader.negation_scalar
    if words[i].isupper() and _cap_differential(words):
        if valence > 0:
            valence += vader.cap_increment
        else:
            valence -= vader.cap_increment
    # the words before it, with the reference's booster, negation and idiom rules written out here rather than
    # called for each of them (the calls took 8% of the time of compound)
    boosters, negations, negation_scalar = vader.boosters, vader.negations, vader.negation_scalar
    for start_i in range(min(i, 3)):
        before = lower[i - (start_i + 1)]
        if before in lexicon:
            continue
        if before in boosters:
            s = _booster_scalar(vader, words, before, i - (start_i + 1), valence)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
        else:
            s = 0.0
        valence = valence + s  # even when s is 0.0: -0.0 + 0.0 is 0.0, as in the reference
        if start_i == 0:  # the reference's _negation_check, for the word just before
            if before in negations or "n't" in before:
                valence = valence * negation_scalar
        elif start_i == 1:
            if lower[i - 2] == "never" and lower[i - 1] in _SO_THIS:
                valence = valence * 1.25
            elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
                pass
            elif before in negations or "n't" in before:
                valence = valence * negation_scalar
        else:
            # the reference's precedence: (never and so/this two back) or so/this just before
            if (lower[i - 3] == "never" and lower[i - 2] in _SO_THIS) or lower[i - 1] in _SO_THIS:
                valence = valence * 1.25
            elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
                pass
            elif before in negations or "n't" in before:
                valence = valence * negation_scalar
            if _may_be_idiom(vader, lower, i):
                valence = _idiom_rule(vader, valence, lower, i)
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * vader.negation_scalar
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * vader.negation_scalar
    return valence


def _cap_differential(words: list[str]) -> bool:
    """Some words but not all are in capitals (the reference's rule for capitals as emphasis)."""
    n_upper = sum(1 for word in words if word.isupper())
    return 0 < len(words) - n_upper < len(words)


def _booster_scalar(vader: _Vader, words: list[str], low: str, at: int, valence: float) -> float:
    word = words[at]
    scalar = vader.boosters[low]
    if valence < 0:
        scalar *= -1
    if word.isupper() and _cap_differential(words):
        if valence > 0:
            scalar += vader.cap_increment
        else:
            scalar -= vader.cap_increment
    return scalar


def _may_be_idiom(vader: _Vader, lower: list[str], i: int) -> bool:
    # every word sequence _idiom_rule looks up starts at i - 3, i - 2, i - 1 or i (i >= 3 here), and matches a phrase
    # only if its first two words are the phrase's first two. Testing the pairs, not single words: 'the', 'of' and
    # 'to' are phrase words, so the single-word test sent 41% of the sentiment words of news through the rule
    pairs = vader.idiom_pairs
    return ((lower[i - 1], lower[i]) in pairs or (lower[i - 2], lower[i - 1]) in pairs
            or (lower[i - 3], lower[i - 2]) in pairs or (i + 1 < len(lower) and (lower[i], lower[i + 1]) in pairs))


def _idiom_rule(vader: _Vader, valence: float, lower: list[str], i: int) -> float:
    special, boosters = vader.special_cases, vader.boosters
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if sequence in special:
            valence = special[sequence]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in special:
            valence = special[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in special:
            valence = special[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in boosters:
            valence = valence + boosters[n_gram]
    return valence


def _but_rule(lower: list[str], sentiments: list) -> None:
    # the reference's loop, kept as it is: it looks each value up by equality, so among equal values it
    # rescales the first one, and the scores follow that
    bi = lower.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)


def _punctuation_emphasis(text: str) -> float:
    exclamations = min(text.count("!"), 4)
    emphasis = exclamations * 0.292
    questions = text.count("?")
    if questions > 1:
        emphasis = emphasis + (questions * 0.18 if questions <= 3 else 0.96)
    return emphasis


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
            "lexicon_sha256": hashlib.sha256(data).hexdigest(),
            "scorer": "framing.sentiment.compound (vaderSentiment's rules and data; equal compound scores)"}


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
