"""Tone toward a target: what a sentence says about one mention of it, not the mood of the whole sentence.

``target_tone(sentence, start, end)`` scores one mention at ``[start, end)`` of a sentence from -1 (the sentence
speaks ill of it) to +1 (well of it), with the evidence behind the score. In "Police praised the volunteers who
caught the gang" the sentence is positive (VADER +0.56), but it praises the volunteers, not the gang.

The scorer is a multinomial logistic regression (negative, neutral, positive) over features anyone can read,
trained on NewsMTSC (news sentences whose tone toward a named person people judged; Hamborg & Donnay, EACL 2021,
MIT licence) by ``benchmarks/train_target_tone.py``. The mention itself is replaced by a placeholder ``X`` so the
score never depends on who the target is (the training data's prior about a politician is not a measure of a
text). The features (how each was chosen, and what it added: docs/benchmarks.md, "Tone toward a target"):

- the words and word pairs of the sentence (at half weight; alone they scored macro-F1 0.60 on held-out sentences);
- the words up to 4 before and after ``X``, the word right before and after, and the word triples holding ``X``
  ("X was accused", "critics of X");
- the words and pairs of ``X``'s clause (the stretch between commas, semicolons, colons, dashes, brackets,
  quotation marks and "but", "while", "although", "though", "whereas", "however", "who", "whom", "whose",
  "which", "that": in "volunteers who caught the gang" the gang's clause is "who caught the gang");
- VADER's compound of the sentence, of the clause, of the text before ``X`` and after it, and the VADER
  valence of the sentiment words before, after and within 3 words of ``X`` (these added 0.03 of macro-F1 in
  exploration);
- who does what, read from word order (there is no parser): ``X`` opening its clause (the subject) and whether
  that clause is positive or negative; the sentiment word ``X`` acts with, past auxiliaries, adverbs and
  negations ("X has repeatedly praised", "X did not praise" flips it), as agent or, in the passive, as patient
  ("X was accused"); the sentiment word that acts on ``X``, past determiners ("praised the X"); ``X`` as the
  first word; the preposition before ``X`` ("against X"); ``X`` a pronoun.
- every word before and after ``X`` in the whole sentence, weighed by its closeness (``1 / (1 + d / 4)`` for a
  word ``d`` words away);
- framing's own lexicon hits (loaded terms, evaluative words, hedges, boosters, verbs of saying; the packaged
  lexicons, never a user's) by lexicon and category: in the mention, next to ``X`` (3 words or fewer between),
  further before or after it, and anywhere in the sentence;
- the role ``X`` plays, read by patterns on the sentence with the mention as ``X``: "according to X", "X said"
  (and the tone of what follows, which is not always about the speaker), "said X", "X, who", "critics of X",
  "supporters of X", "X's critics", "X's supporters", "X's", a party in brackets after ``X``, "X and", "against
  X", ``X`` inside a quotation, the sentence a question.

Words are lower-cased and cut to a crude stem (``-s``, ``-es``, ``-ed``, ``-ing``, ``-ly`` off words longer than 4
letters): it did as well as the Snowball stemmer (cross-validated macro-F1 0.662 against 0.661) without
nltk's 2 s import in every worker.

The score is the winning class's lead: ``P(positive) - max(P(neutral), P(negative))`` when positive is the most
likely class, minus ``P(negative) - max(P(neutral), P(positive))`` when negative is, 0 when neutral is; a polar
lead below 0.05 counts as 0.05. So VADER's +/-0.05 rule (``sentiment.polarity_class``) reads the model's own
decision, its most likely class, near-ties too: read as neutral, near-ties cost 0.006 of cross-validated macro-F1
(0.663 against 0.670, and lower the wider the band: docs/benchmarks.md, "Third round"). The plain
``P(positive) - P(negative)`` read by that rule seldom says neutral (first round, held-out: macro-F1 0.52 against
0.64 for the lead).

The evidence names the clause and the features that pushed hardest, each with its push on the log-odds of
positive against negative: ``negative words after X: -0.77; ...; clause: "The X was accused of fraud."``.

Worker processes import this module: it imports no pandas, and scoring needs neither scikit-learn nor skops (they
import pandas): the weights are read from the skops file as numpy arrays, and scoring is plain Python.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from framing import lexicons, sentiment
from framing.errors import FramingError

MODEL_RESOURCE = "models/target_tone.skops"
CLASSES = (-1, 0, 1)  # negative, neutral, positive: the order of the model's rows
PLACEHOLDER = "X"  # stands for the mention: never a token (tokens are lower-cased)
WINDOW = 4  # words either side of X (2 and 6 both scored lower, cross-validated)
SENTENCE_WEIGHT = 0.5  # whole-sentence n-grams at half weight: cross-validated macro-F1 0.665 against 0.660
NEAR = 3  # sentiment words this close to X count again as near it
EVIDENCE_FEATURES = 3

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly)$")
_CLAUSE_BREAKS = frozenset([*",;:—–()[]\"“”", "but", "while", "although", "though", "whereas", "however",
                            "who", "whom", "whose", "which", "that"])
# who does what: the sentiment word X acts with, past auxiliaries and adverbs ("X has repeatedly praised"), and
# the one that acts on X, past determiners ("praised the X", "criticism of X")
_SKIP_AFTER = frozenset("was were is are be been being has have had will would could should may might can must "
                        "did does do also then again just now already still reportedly allegedly repeatedly "
                        "publicly openly later once not n't never".split())
_DETERMINERS = frozenset("the a an his her their its our my your this these those".split())
_SKIP_BEFORE = _DETERMINERS | {"of", "against"}
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_PREPOSITIONS = frozenset("of against to on by with for from about".split())
_BE = frozenset("was were is are be been being has have had".split())
_PRONOUNS = frozenset("he she him her his hers they them their theirs i me my we us our you your it its".split())
DECAY = 4  # a word d words from X weighs 1 / (1 + d / DECAY) in the bags of the text before and after X
# where a lexicon hit sits, for the features and the evidence (NEAR words or fewer between the hit and X is "next to")
_WHERE = {"in": "in the mention", "Lnear": "just before X", "L": "before X", "Rnear": "just after X", "R": "after X"}
_LEXICON_NAMES = {"loaded": "loaded term", "evaluative": "evaluative word", "hedges": "hedge", "boosters": "booster",
                  "attribution": "verb of saying"}
_SAY = (r"(?:said|says|told|added|argued|claimed|wrote|tweeted|stated|insisted|declared|announced|noted|warned|"
        r"explained|contended|asserted|maintained|responded|replied|testified)")
# the role X plays, read from the sentence with the mention written as X ("according to X", "critics of X")
_CUES = (
    ("according", re.compile(r"according to (?:the )?X\b", re.I), '"according to X"'),
    ("speaker", re.compile(r"\bX(?:\s*,[^,]{0,60},)?\s+(?:has |had |also |later |then |reportedly )?" + _SAY + r"\b",
                           re.I), "X speaks (\"X said\")"),
    ("speaker_inv", re.compile(_SAY + r"\s+(?:the )?X\b", re.I), '"said X"'),
    ("who", re.compile(r"\bX\s*,\s*who\b", re.I), '"X, who"'),
    ("critics_of", re.compile(r"\b(?:critics?|opponents?|detractors?|enemies|rivals?|foes?)\s+of\s+(?:the )?X\b",
                              re.I), '"critics of X"'),
    ("supporters_of", re.compile(r"\b(?:supporters?|allies|ally|fans?|backers?|defenders?|friends?|loyalists?)\s+of\s+"
                                 r"(?:the )?X\b", re.I), '"supporters of X"'),
    ("poss_critics", re.compile(r"\bX['’]s?\s+(?:critics?|opponents?|detractors?|enemies|rivals?|foes?)\b", re.I),
     '"X\'s critics"'),
    ("poss_supporters", re.compile(r"\bX['’]s?\s+(?:supporters?|allies|fans?|backers?|defenders?|friends?|loyalists?|"
                                   r"base)\b", re.I), '"X\'s supporters"'),
    ("poss", re.compile(r"\bX['’]s?\b"), '"X\'s"'),
    ("paren_party", re.compile(r"\bX\s*\((?:[RDI]-|R\b|D\b)"), "X with a party in brackets"),
    ("coord", re.compile(r"\bX\s+(?:and|or)\b|\b(?:and|or)\s+X\b", re.I), '"X and", "or X"'),
    ("against", re.compile(r"\b(?:against|attack(?:ed|s|ing)? on)\s+(?:the )?X\b", re.I), '"against X"'),
    ("question", re.compile(r"\?\s*$"), "the sentence is a question"),
)


@dataclass(frozen=True)
class Feature:
    key: str       # the model's name for it
    value: float
    label: str     # what a reader sees in the evidence


@dataclass(frozen=True)
class Mention:
    """One mention of a target in a sentence, its tone toward the target and why."""
    start: int
    end: int
    text: str
    score: float
    evidence: str


@dataclass(frozen=True)
class _Token:
    text: str   # as written
    key: str    # lower-cased, crude stem
    start: int
    end: int


def _stem(word: str) -> str:
    if len(word) <= 4 or not word.isalpha():
        return word
    stem = _SUFFIX.sub("", word)
    return stem if len(stem) >= 3 else word


def _tokens(text: str, offset: int) -> list[_Token]:
    return [_Token(m.group(), _stem(m.group().lower()), offset + m.start(), offset + m.end())
            for m in _TOKEN.finditer(text)]


def features(sentence: str, start: int, end: int) -> list[Feature]:
    """The features of the mention at [start, end) of ``sentence`` (training and scoring use this one function)."""
    left = _tokens(sentence[:start], 0)
    right = _tokens(sentence[end:], end)
    x = _Token(PLACEHOLDER, PLACEHOLDER, start, end)
    tokens = [*left, x, *right]
    keys = [t.key for t in tokens]
    i = len(left)
    out: dict[str, Feature] = {}

    def add(key: str, value: float, label: str) -> None:
        if key in out:
            value += out[key].value
        out[key] = Feature(key, value, label)

    def quoted(a: int, b: int) -> str:  # tokens a..b-1 as written, the mention as X
        return " ".join(t.text for t in tokens[a:b])

    for j, key in enumerate(keys):
        out["s:" + key] = Feature("s:" + key, SENTENCE_WEIGHT, f'"{tokens[j].text}" in the sentence')
    for j in range(len(keys) - 1):
        key = f"s:{keys[j]} {keys[j + 1]}"
        out[key] = Feature(key, SENTENCE_WEIGHT, f'"{quoted(j, j + 2)}" in the sentence')
    for token in left[-WINDOW:]:
        out["l:" + token.key] = Feature("l:" + token.key, 1.0, f'"{token.text}" before X')
    for token in right[:WINDOW]:
        out["r:" + token.key] = Feature("r:" + token.key, 1.0, f'"{token.text}" after X')
    before = left[-1] if left else None
    after = right[0] if right else None
    out["l1:" + (before.key if before else "^")] = Feature("l1:" + (before.key if before else "^"), 1.0,
                                                           f'"{before.text}" just before X' if before
                                                           else "X opens the sentence")
    out["r1:" + (after.key if after else "$")] = Feature("r1:" + (after.key if after else "$"), 1.0,
                                                         f'"{after.text}" just after X' if after
                                                         else "X ends the sentence")
    for j in range(max(0, i - 2), min(i + 1, len(keys) - 2)):
        key = "t:" + " ".join(keys[j:j + 3])
        out[key] = Feature(key, 1.0, f'"{quoted(j, j + 3)}"')

    a = i
    while a > 0 and keys[a - 1] not in _CLAUSE_BREAKS:
        a -= 1
    b = i + 1
    while b < len(keys) and keys[b] not in _CLAUSE_BREAKS:
        b += 1
    for j in range(a, b):
        if j != i:
            out["c:" + keys[j]] = Feature("c:" + keys[j], 1.0, f'"{tokens[j].text}" in the clause of X')
    for j in range(a, b - 1):
        key = f"c:{keys[j]} {keys[j + 1]}"
        out[key] = Feature(key, 1.0, f'"{quoted(j, j + 2)}" in the clause of X')

    clause_text = " ".join(t.text for t in tokens[a:b] if t is not x)
    for name, label, score in (("vader_sentence", "sentence", sentiment.compound(sentence)),
                               ("vader_clause", "clause", sentiment.compound(clause_text)),
                               ("vader_before", "text before X", sentiment.compound(sentence[:start])),
                               ("vader_after", "text after X", sentiment.compound(sentence[end:]))):
        if score > 0:
            out[name + "+"] = Feature(name + "+", score, f"VADER of the {label} ({score:+.2f})")
        elif score < 0:
            out[name + "-"] = Feature(name + "-", -score, f"VADER of the {label} ({score:+.2f})")
    lexicon = sentiment.analyzer().lexicon
    for j, token in enumerate(tokens):
        valence = lexicon.get(token.text.lower()) if j != i else None
        if not valence:
            continue
        side, where = ("L", "before") if j < i else ("R", "after")
        polarity, kind = ("P", "positive") if valence > 0 else ("N", "negative")
        add(f"lex:{side}{polarity}", abs(valence) / 4, f"{kind} words {where} X")
        if abs(j - i) <= NEAR:
            add(f"lex_near:{side}{polarity}", abs(valence) / 4, f'{kind} word "{token.text}" next to X')

    subject = all(keys[j] in _DETERMINERS for j in range(a, i))  # "The mayor was ...": X opens its clause
    if subject:
        out["subject"] = Feature("subject", 1.0, "X opens its clause (the subject)")
    role, role_label = ("S", "X the subject") if subject else ("O", "X not the subject")
    for sign, kind in (("+", "positive"), ("-", "negative")):
        clause_feature = out.get("vader_clause" + sign)
        if clause_feature is not None and clause_feature.value > sentiment.POSITIVE_THRESHOLD:
            out[f"role:{role}{sign}"] = Feature(f"role:{role}{sign}", 1.0, f"{role_label} of a {kind} clause")
    if i == 0:
        out["first"] = Feature("first", 1.0, "X is the first word")
    if before is not None and before.key in _PREPOSITIONS:
        out["prep:" + before.key] = Feature("prep:" + before.key, 1.0, f'"{before.text} X"')
    if len(right) >= 2 and right[0].key in _BE and right[1].text.lower().endswith("ed"):
        out["passive:" + right[1].key] = Feature("passive:" + right[1].key, 1.0,
                                                 f'"X {right[0].text} {right[1].text}" (passive)')
    _who_does_what(tokens, i, a, b, lexicon, add)
    if sentence[start:end].lower() in _PRONOUNS:
        out["pronoun"] = Feature("pronoun", 1.0, "X is a pronoun")
    for d, token in enumerate(reversed(left)):
        add("L:" + token.key, 1 / (1 + d / DECAY), f'"{token.text}" before X (by closeness)')
    for d, token in enumerate(right):
        add("R:" + token.key, 1 / (1 + d / DECAY), f'"{token.text}" after X (by closeness)')
    _lexicon_hits(sentence, start, end, add)
    _cues(sentence, start, end, add)
    return list(out.values())


@lru_cache(maxsize=1)
def _matcher() -> lexicons.Matcher:
    """framing's packaged lexicons (never a user's: the model learnt their hits)."""
    return lexicons.build_matcher(lexicons.load_lexicons())


def _lexicon_hits(sentence: str, start: int, end: int, add) -> None:
    """framing's own lexicon hits (loaded terms, evaluative words, hedges, boosters, verbs of saying) by lexicon
    and category, in the mention, next to X (NEAR words or fewer between), or further before or after it."""
    for hit in lexicons.find_hits(_matcher(), sentence):
        if hit.start < end and hit.end > start:
            where = "in"
        elif hit.end <= start:
            where = "Lnear" if len(_TOKEN.findall(sentence[hit.end:start])) <= NEAR else "L"
        else:
            where = "Rnear" if len(_TOKEN.findall(sentence[end:hit.start])) <= NEAR else "R"
        name = f'{_LEXICON_NAMES.get(hit.lexicon, hit.lexicon)} "{hit.matched}"'
        add(f"lx:{hit.lexicon}:{where}", 1.0, f"{name} {_WHERE[where]}")
        add(f"lx:{hit.lexicon}:{hit.category}:{where}", 1.0, f"{name} ({hit.category}) {_WHERE[where]}")
        add(f"lxc:{hit.lexicon}:{hit.category}", 1.0, f"{name} ({hit.category}) in the sentence")


def _cues(sentence: str, start: int, end: int, add) -> None:
    """The role X plays, read from the sentence with the mention as X; whether X sits inside a quotation; and
    the tone of what X says when X speaks (what a speaker says is not always about the speaker)."""
    marked = sentence[:start] + PLACEHOLDER + sentence[end:]
    found = set()
    for name, pattern, label in _CUES:
        if pattern.search(marked):
            found.add(name)
            add("cue:" + name, 1.0, label)
    if sum(sentence[:start].count(c) for c in '"“”') % 2:
        add("cue:in_quote", 1.0, "X inside a quotation")
    if "speaker" in found:
        said = sentiment.compound(sentence[end:])
        if said > sentiment.POSITIVE_THRESHOLD:
            add("cue:speaker+", said, f"X speaks, and what follows is positive ({said:+.2f})")
        elif said < -sentiment.POSITIVE_THRESHOLD:
            add("cue:speaker-", -said, f"X speaks, and what follows is negative ({said:+.2f})")


def _who_does_what(tokens: list[_Token], i: int, clause_start: int, clause_end: int, lexicon: dict, add) -> None:
    """X as the agent or the patient of the nearest sentiment word in its clause ("X praised", "X was accused",
    "praised the X"), its polarity flipped by a negation on the way ("X did not praise")."""
    j, negated, be = i + 1, False, False
    while j < clause_end and tokens[j].text.lower() in _SKIP_AFTER:
        negated = negated or tokens[j].text.lower() in _NEGATIONS
        be = be or tokens[j].key in _BE
        j += 1
    if j < clause_end and (valence := lexicon.get(tokens[j].text.lower())):
        word = tokens[j].text.lower()
        passive = be and word.endswith("ed")
        role = "patient" if passive else "agent"
        if negated:
            valence = -valence
        polarity = "P" if valence > 0 else "N"
        label = (f'X {"is" if passive else "does"} "{tokens[j].text}"{" (negated)" if negated else ""}, '
                 f'{"positive" if valence > 0 else "negative"}')
        add(f"{role}:{polarity}", abs(valence) / 4, label)
    j = i - 1
    while j >= clause_start and tokens[j].text.lower() in _SKIP_BEFORE:
        j -= 1
    if j >= clause_start and (valence := lexicon.get(tokens[j].text.lower())):
        polarity = "P" if valence > 0 else "N"
        add(f"patient:{polarity}", abs(valence) / 4,
            f'"{tokens[j].text}" acts on X, {"positive" if valence > 0 else "negative"}')


# ---- the model ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Weights:
    index: dict[str, int]            # feature key -> row of ``rows``
    rows: list[tuple[float, float, float]]  # weights of negative, neutral, positive
    intercept: tuple[float, float, float]


def load_model():
    """The packaged model: ``{"features": array of feature names, "model": LogisticRegression, "about": {...}}``,
    read by skops with only the types skops trusts by default (never pickle)."""
    import skops.io

    return skops.io.loads(_model_bytes())


def _model_bytes() -> bytes:
    """The packaged model file (benchmarks/target_tone.py --model points this at another file to measure it)."""
    return resources.files("framing").joinpath(MODEL_RESOURCE).read_bytes()


@lru_cache(maxsize=None)
def _weights() -> _Weights:
    """The model's weights, read from the skops file without scikit-learn.

    Importing scikit-learn (which skops's loader does) imports pandas and scipy: 2 s and about 200 MiB in every
    worker process, which framing keeps free of pandas. The weights are plain numpy arrays inside the skops zip
    (``schema.json`` names their ``.npy`` files), read here with ``numpy.load(allow_pickle=False)``: no object
    is built from the file, only numbers and strings. ``tests/test_tone.py`` holds the two readers equal."""
    import numpy as np

    archive = zipfile.ZipFile(io.BytesIO(_model_bytes()))
    top = json.loads(archive.read("schema.json"))["content"]
    model = top["model"]["content"]["content"]

    def array(node: dict):
        if node.get("__loader__") != "NdArrayNode" or node.get("type") != "numpy":
            raise FramingError(f"{MODEL_RESOURCE}: expected a numpy array, found {node.get('__class__')}")
        return np.load(io.BytesIO(archive.read(node["file"])), allow_pickle=False)

    classes = array(model["classes_"]).tolist()
    order = [classes.index(c) for c in CLASSES]
    coef = array(model["coef_"])[order].T.tolist()  # plain floats: scoring one mention needs no numpy
    intercept = array(model["intercept_"])
    index = {name: row for row, name in enumerate(array(top["features"]).tolist())}
    return _Weights(index, [tuple(row) for row in coef], tuple(float(intercept[k]) for k in order))


def probabilities(found: list[Feature]) -> tuple[float, float, float]:
    """P(negative), P(neutral), P(positive) for a mention's features."""
    weights = _weights()
    z = list(weights.intercept)
    for feature in found:
        row = weights.index.get(feature.key)
        if row is not None:
            w = weights.rows[row]
            z[0] += feature.value * w[0]
            z[1] += feature.value * w[1]
            z[2] += feature.value * w[2]
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = e[0] + e[1] + e[2]
    return e[0] / total, e[1] / total, e[2] / total


def score_of(p_negative: float, p_neutral: float, p_positive: float) -> float:
    """The winning polar class's lead over the next class, at least 0.05 (0 when neutral is the most likely).

    The floor makes the +/-0.05 rule read the most likely class: a polar class that wins by less than 0.05 was
    read as neutral before, and cross-validated macro-F1 was 0.663 that way against 0.670 (every one of the 5
    folds chose no neutral band over bands of 0.01 to 0.1)."""
    if p_positive > p_neutral and p_positive > p_negative:
        return max(p_positive - max(p_neutral, p_negative), sentiment.POSITIVE_THRESHOLD)
    if p_negative > p_neutral and p_negative > p_positive:
        return min(-(p_negative - max(p_neutral, p_positive)), sentiment.NEGATIVE_THRESHOLD)
    return 0.0


def target_tone(sentence: str, start: int, end: int) -> tuple[float, str]:
    """The tone of ``sentence`` toward the mention at [start, end): a score in [-1, 1] and its evidence."""
    found = features(sentence, start, end)
    score = round(score_of(*probabilities(found)), 4)
    return score, _evidence(sentence, start, end, found)


def _evidence(sentence: str, start: int, end: int, found: list[Feature]) -> str:
    weights = _weights()
    pushes = []
    for feature in found:
        row = weights.index.get(feature.key)
        if row is not None:
            w = weights.rows[row]
            push = feature.value * (w[2] - w[0])  # on the log-odds of positive against negative
            if abs(push) >= 0.005:
                pushes.append((push, feature.label))
    pushes.sort(key=lambda p: -abs(p[0]))
    parts = [f"{label}: {push:+.2f}" for push, label in pushes[:EVIDENCE_FEATURES]]
    parts.append(f'clause: "{_clause(sentence, start, end)}"')
    return "; ".join(parts)


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause around the mention as written, the mention as X."""
    left = _tokens(sentence[:start], 0)
    right = _tokens(sentence[end:], end)
    a = len(left)
    while a > 0 and left[a - 1].key not in _CLAUSE_BREAKS:
        a -= 1
    b = 0
    while b < len(right) and right[b].key not in _CLAUSE_BREAKS:
        b += 1
    head = sentence[left[a].start:start] if a < len(left) else ""
    tail = sentence[end:right[b - 1].end] if b else ""
    return " ".join((head + PLACEHOLDER + tail).split())


# ---- a target in a sentence --------------------------------------------------------------------------------

def find_mentions(target: sentiment.Target, sentence: str) -> list[tuple[int, int]]:
    """Where the target's aliases occur in the sentence, as [start, end) spans."""
    return [m.span() for m in target.pattern.finditer(sentence)]


def explain(sentence: str, target: sentiment.Target | str) -> list[Mention]:
    """Every mention of ``target`` (a ``Target`` or a spec such as ``"police=police|officers"``) in ``sentence``,
    with its tone and the evidence; the sentence's tone toward the target is the mean of their scores."""
    if isinstance(target, str):
        target = sentiment.parse_targets(target)[0]
    out = []
    for start, end in find_mentions(target, sentence):
        score, evidence = target_tone(sentence, start, end)
        out.append(Mention(start, end, sentence[start:end], score, evidence))
    return out
