"""Check framing against people's coding: how well its sentence judgements agree with human coders, and how
well the coders agree with each other (the ceiling any measure can reach).

``validate(coded, analysis)`` takes sentences coded by people (a CSV path or a DataFrame) and the analysis of
the corpus they come from. A coded sentence is found in the analysis by ``doc_id`` + ``sentence_no`` or, where
those are missing or match nothing, by its text (white space normalised; within its ``doc_id`` when one is
given). Every other column is a code (``loaded`` yes/no, ``hedge``, ``tone`` negative/neutral/positive,
``frame``, ...), except ``coder`` (who coded the row; one coder when there is no such column) and the columns
named in ``NOT_CODES``. Rows that cannot be matched are listed in ``Validation.unmatched``, never dropped
silently.

What framing says about a sentence, per code (``framing_judgement``):

- a lexicon name (``loaded``, ``hedges``, ``boosters``, ``attribution`` or a user lexicon; ``hedge``,
  ``booster``, ``attributed`` and ``scare_quote`` too): ``yes`` when the sentence has a hit of it;
  ``<lexicon>_<category>`` (``loaded_crime_terror``): a hit of that category;
- ``tone`` (or ``sentiment``): VADER's class of the sentence (negative / neutral / positive; ordinal);
- ``quoted`` (or ``in_quote``): the sentence lies mostly inside quotation marks given to someone;
- ``frame``: the Policy Frames Codebook dimension with the most cue words in the sentence (``none`` without);
- ``<name>`` where a coder was applied (``framing analyze --coder``): the coder's label.

Any other code has no framing counterpart: only the people's agreement is computed for it.

The people's label of a sentence is the most common of its coders' labels; sentences where coders tie are left
out of framing's figures (counted in ``n_ties``). Per code: framing's precision, recall and F1 (of ``yes`` for
yes/no codes, else macro-averaged over the classes), Cohen's kappa and Krippendorff's alpha of framing against
the people's label; the people's own Krippendorff's alpha (all coders, missing codes allowed) and, with exactly
two coders, their Cohen's kappa. Every figure has a 95% percentile bootstrap interval over sentences (seeded).

Krippendorff's alpha is computed from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
alpha-reliability"), nominal, or ordinal for ``tone``; Cohen's kappa as in Cohen (1960). Neither needs any
package beyond numpy; tests/test_validate.py checks both against published worked examples and the
``krippendorff`` package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from framing import lexicons as lex
from framing import sentiment
from framing.coder import normalise_text, read_coding
from framing.compare.frames import NO_FRAME, match_lexicon
from framing.errors import CodingError
from framing.model import Analysis
from framing.tables import owned_output_folder, replace_text

LEVEL = 0.95
ID_COLUMNS = ("doc_id", "sentence_no", "text", "coder")
NOT_CODES = ("note", "notes", "comment", "comments", "id", "row", "outlet", "title", "date", "url")
YES, NO = "yes", "no"
_YES = {"1", "yes", "y", "true", "t", "x", "1.0"}
_NO = {"0", "no", "n", "false", "f", "0.0"}
TONES = ("negative", "neutral", "positive")
_TONE_ALIASES = {"neg": "negative", "-1": "negative", "-1.0": "negative", "-": "negative", "0": "neutral",
                 "0.0": "neutral", "neu": "neutral", "pos": "positive", "1": "positive", "1.0": "positive",
                 "+1": "positive", "+": "positive"}
_ALIASES = {"hedge": "hedges", "booster": "boosters", "attributed": "attribution", "sentiment": "tone",
            "in_quote": "quoted", "scare_quotes": "scare_quote"}

AGREEMENT_COLUMNS = ["code", "framing", "level", "n_sentences", "n_coders", "n_ties", "classes",
                     "precision", "recall", "f1", "f1_low", "f1_high", "kappa", "kappa_low", "kappa_high",
                     "alpha", "alpha_low", "alpha_high", "people_kappa", "people_kappa_low", "people_kappa_high",
                     "people_alpha", "people_alpha_low", "people_alpha_high", "note"]


@dataclass
class Judgement:
    """What framing says about every sentence of an analysis for one code."""
    measure: str          # how framing decides, in words
    values: pd.Series     # one label per sentence (index: analysis.sentences')
    evidence: pd.Series   # why, per sentence ("" when nothing fired)
    classes: tuple        # the labels, in order (ordinal codes: low to high)
    level: str            # nominal or ordinal


@dataclass
class Validation:
    """The result of ``validate``: tables, one row per code / class / cell / sentence."""
    agreement: pd.DataFrame      # AGREEMENT_COLUMNS
    per_class: pd.DataFrame      # code, class, precision, recall, f1, people, framing (sentences per label)
    confusion: pd.DataFrame      # code, people, framing, n
    disagreements: pd.DataFrame  # code, doc_id, sentence_no, text, people, framing, evidence
    unmatched: pd.DataFrame      # row (1 = the first data row), coder, doc_id, sentence_no, text, reason
    n_boot: int
    seed: int | None

    @property
    def method(self) -> str:
        return (f"people's label: the most common of the coders' labels (ties left out of framing's figures); "
                f"{LEVEL:.0%} percentile bootstrap over sentences, {self.n_boot} resamples, seed {self.seed}")


# ---- the statistics ------------------------------------------------------------------------------------------

def coincidences(reliability: np.ndarray, n_values: int) -> np.ndarray:
    """Each unit's contribution to Krippendorff's coincidence matrix: units x values x values.

    ``reliability`` is coders x units of value indices (0 .. n_values - 1), -1 where a coder gave none. A unit
    with m >= 2 values adds 1 / (m - 1) for every ordered pair of its values from different coders; a unit with
    fewer is not pairable and adds nothing."""
    reliability = np.asarray(reliability)
    n_units = reliability.shape[1]
    counts = np.zeros((n_units, n_values))
    for row in reliability:
        present = row >= 0
        counts[np.flatnonzero(present), row[present]] += 1
    m = counts.sum(axis=1)
    pairs = counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(n_values)[None]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pairs / np.where(m > 1, m - 1, 1)[:, None, None]
    out[m < 2] = 0.0
    return out


def alpha_from_coincidences(o: np.ndarray, level: str = "nominal") -> np.ndarray:
    """Krippendorff's alpha from coincidence matrices (... x V x V): ``1 - (n - 1) * sum(o * d) /
    sum(n_c * n_k * d)``, with d the squared difference of the level (nominal: 0 for equal values, else 1;
    ordinal: (sum of n_g for g from c to k - (n_c + n_k) / 2) squared; interval: (c - k) squared). NaN where there
    is no variation to agree on (every value the same) or nothing pairable."""
    o = np.asarray(o, dtype=float)
    n_values = o.shape[-1]
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    c, k = np.meshgrid(np.arange(n_values), np.arange(n_values), indexing="ij")
    if level == "nominal":
        delta = np.broadcast_to((c != k).astype(float), o.shape)
    elif level == "interval":
        delta = np.broadcast_to(((c - k) ** 2).astype(float), o.shape)
    elif level == "ordinal":
        cum = np.cumsum(n_c, axis=-1)
        low, high = np.minimum(c, k), np.maximum(c, k)
        between = cum[..., high] - cum[..., low] + n_c[..., low]
        delta = (between - (n_c[..., c] + n_c[..., k]) / 2) ** 2
    else:
        raise ValueError(f"level must be nominal, ordinal or interval, not {level!r}")
    observed = (o * delta).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * observed / np.where(expected > 0, expected, 1), np.nan)


def krippendorff_alpha(reliability, *, level: str = "nominal", values=None) -> float:
    """Krippendorff's alpha of a coders x units table of labels (None or NaN where a coder gave none).

    ``values``: the labels in order (needed for ``ordinal``; default: sorted)."""
    table = pd.DataFrame(reliability)
    labels = list(values) if values is not None else sorted({v for v in table.to_numpy().ravel() if _given(v)})
    index = {v: i for i, v in enumerate(labels)}
    coded = np.array([[index[v] if _given(v) else -1 for v in row] for row in table.to_numpy()], dtype=int)
    return float(alpha_from_coincidences(coincidences(coded, len(labels)).sum(axis=0), level))


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value != ""


def kappa_from_confusion(confusion: np.ndarray) -> np.ndarray:
    """Cohen's kappa from confusion matrices (... x V x V, rater one in rows): (p_o - p_e) / (1 - p_e)."""
    confusion = np.asarray(confusion, dtype=float)
    n = confusion.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(confusion, axis1=-2, axis2=-1) / n
        expected = (confusion.sum(axis=-1) * confusion.sum(axis=-2)).sum(axis=-1) / n ** 2
        return np.where(expected < 1, (observed - expected) / (1 - expected), np.nan)


def cohen_kappa(first, second) -> float:
    """Cohen's kappa of two raters' labels of the same units."""
    labels = sorted(set(first) | set(second))
    index = {v: i for i, v in enumerate(labels)}
    confusion = np.zeros((len(labels), len(labels)))
    for a, b in zip(first, second):
        confusion[index[a], index[b]] += 1
    return float(kappa_from_confusion(confusion))


def f1_from_confusion(confusion: np.ndarray, positive: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 of the columns' rater (framing) against the rows' (the people): of class
    ``positive``, or macro-averaged over the classes the people or framing used when it is None."""
    confusion = np.asarray(confusion, dtype=float)
    true_positive = np.diagonal(confusion, axis1=-2, axis2=-1)
    predicted, actual = confusion.sum(axis=-2), confusion.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, true_positive / np.where(predicted > 0, predicted, 1), 0.0)
        recall = np.where(actual > 0, true_positive / np.where(actual > 0, actual, 1), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / np.where(precision + recall > 0,
                                                                               precision + recall, 1), 0.0)
    if positive is not None:
        return precision[..., positive], recall[..., positive], f1[..., positive]
    used = (predicted + actual) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        def mean(x):
            return (x * used).sum(axis=-1) / used.sum(axis=-1)
        return mean(precision), mean(recall), mean(f1)


def bootstrap_weights(n_units: int, n_boot: int, seed: int | None) -> np.ndarray:
    """How often each unit is drawn in each of ``n_boot`` resamples with replacement (n_boot x n_units)."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_units, size=(n_boot, n_units))
    return np.bincount((draws + (np.arange(n_boot) * n_units)[:, None]).ravel(),
                       minlength=n_boot * n_units).reshape(n_boot, n_units).astype(float)


def _interval(replicates: np.ndarray) -> tuple[float, float]:
    replicates = replicates[~np.isnan(replicates)]
    if not len(replicates):
        return np.nan, np.nan
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return float(low), float(high)


# ---- what framing says ----------------------------------------------------------------------------------------

def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def coder_names(analysis: Analysis) -> list[str]:
    """The coders applied to an analysis (``framing analyze --coder``): sentences has coder_<name>_label."""
    return [c[len("coder_"):-len("_label")] for c in analysis.sentences.columns
            if c.startswith("coder_") and c.endswith("_label")]


def _hit_evidence(hits: pd.DataFrame) -> str:
    return "; ".join(f"{m!r} ({lexicon}: {category})"
                     for m, lexicon, category in zip(hits["matched"], hits["lexicon"], hits["category"]))


def framing_judgement(analysis: Analysis, code: str) -> Judgement | None:
    """What framing says about every sentence for a code (see the module's docstring), or None when framing
    has no measure by that name."""
    name = _ALIASES.get(_slug(code), _slug(code))
    sentences = analysis.sentences
    keys = list(zip(sentences["doc_id"].astype(str), sentences["sentence_no"].astype(int)))
    if name == "tone":
        scores = sentences["sentiment"].astype(float)
        return Judgement("VADER's class of the sentence (compound >= 0.05 positive, <= -0.05 negative)",
                         scores.map(sentiment.polarity_class), scores.map(lambda s: f"VADER compound {s:+.2f}"),
                         TONES, "ordinal")
    if name == "quoted":
        quoted = sentences["in_quote"].astype(str).str.lower().isin(["true", "1"])
        return Judgement("the sentence lies mostly inside quotation marks given to someone",
                         quoted.map({True: YES, False: NO}),
                         quoted.map({True: "mostly inside quotation marks", False: ""}), (NO, YES), "nominal")
    if name in coder_names(analysis):
        labels = sentences[f"coder_{name}_label"].astype(str)
        probability = sentences.get(f"coder_{name}_prob", pd.Series(np.nan, index=sentences.index)).astype(float)
        classes = tuple(sorted(set(labels)))
        return Judgement(f"the coder {name!r} (framing analyze --coder)", labels,
                         probability.map(lambda p: f"coder's probability {p:.2f}"), classes, "nominal")
    if name == "frame":
        hits = match_lexicon(analysis, "frames")
        winner: dict = {}
        evidence: dict = {}
        if len(hits):
            for key, found in hits.groupby(["doc_id", "sentence_no"]):
                counts = found["category"].value_counts()
                top = sorted(counts[counts == counts.max()].index)
                winner[(str(key[0]), int(key[1]))] = top[0]
                evidence[(str(key[0]), int(key[1]))] = "; ".join(f"{m!r} ({c})" for m, c in
                                                                 zip(found["matched"], found["category"]))
        classes = tuple(sorted({e.category for e in lex.packaged_lexicon("frames").entries})) + (NO_FRAME,)
        return Judgement("the Policy Frames dimension with the most cue words (lexicons/frames.tsv)",
                         pd.Series([winner.get(k, NO_FRAME) for k in keys], index=sentences.index),
                         pd.Series([evidence.get(k, "") for k in keys], index=sentences.index), classes, "nominal")
    hits = analysis.hits.assign(doc_id=analysis.hits["doc_id"].astype(str),
                                sentence_no=analysis.hits["sentence_no"].astype(int))
    if name == "scare_quote":
        chosen, what = hits[hits["category"] == "scare_quote"], "a scare quote"
    elif name in set(hits["lexicon"]) | set(analysis.run.get("lexicons") or {}) | set(lex.PACKAGED):
        chosen, what = hits[hits["lexicon"] == name], f"a hit of the {name} lexicon"
    else:
        pairs = {f"{_slug(a)}_{_slug(b)}": (a, b) for a, b in hits[["lexicon", "category"]].drop_duplicates()
                 .itertuples(index=False)}
        if name not in pairs:
            return None
        lexicon, category = pairs[name]
        chosen = hits[(hits["lexicon"] == lexicon) & (hits["category"] == category)]
        what = f"a hit of {lexicon}: {category}"
    evidence = {key: _hit_evidence(found) for key, found in chosen.groupby(["doc_id", "sentence_no"])}
    return Judgement(f"yes when the sentence has {what}",
                     pd.Series([YES if k in evidence else NO for k in keys], index=sentences.index),
                     pd.Series([evidence.get(k, "") for k in keys], index=sentences.index), (NO, YES), "nominal")


def demo_coding() -> Path:
    """A small coding of the demo corpus that framing ships (``framing/demo/coding.csv``: 18 sentences coded
    for ``loaded`` and ``tone`` by one person, to show the validation notebook; not a validation of framing)."""
    return Path(str(resources.files("framing").joinpath("demo", "coding.csv")))


# ---- reading the coding ----------------------------------------------------------------------------------------

def code_columns(coding: pd.DataFrame, codes=None) -> list[str]:
    """The code columns: ``codes`` (each must be a column), else every column but the ids and notes."""
    if codes:
        missing = [c for c in codes if c not in coding.columns]
        if missing:
            raise CodingError(f"no column {', '.join(map(repr, missing))} in the coded sentences "
                              f"(columns: {', '.join(coding.columns)})")
        return list(codes)
    found = [c for c in coding.columns if c not in ID_COLUMNS and c.lower() not in NOT_CODES]
    if not found:
        raise CodingError("the coded sentences hold no code column (one column per code, e.g. loaded, tone)")
    return found


def match_sentences(coding: pd.DataFrame, analysis: Analysis) -> tuple[pd.Series, pd.DataFrame]:
    """The row of ``analysis.sentences`` each coded row is (-1 for none), and the unmatched rows with why."""
    sentences = analysis.sentences
    by_key = {(str(d), int(n)): i for i, (d, n) in enumerate(zip(sentences["doc_id"].astype(str),
                                                                sentences["sentence_no"].astype(int)))}
    by_text: dict[str, list[int]] = {}
    for i, text in enumerate(sentences["text"].astype(str)):
        by_text.setdefault(normalise_text(text), []).append(i)
    doc_ids = sentences["doc_id"].astype(str).to_numpy()
    rows, unmatched = [], []
    for number, row in enumerate(coding.to_dict("records"), start=1):
        doc_id, sentence_no, text = row.get("doc_id", ""), row.get("sentence_no", ""), row.get("text", "")
        found, reason = -1, ""
        if doc_id and sentence_no:
            try:
                found = by_key.get((doc_id, int(float(sentence_no))), -1)
            except ValueError:
                reason = f"sentence_no {sentence_no!r} is not a number"
            if found < 0 and not reason:
                reason = f"no sentence {sentence_no} in document {doc_id!r}"
        if found < 0 and normalise_text(text):
            candidates = by_text.get(normalise_text(text), [])
            if doc_id:
                candidates = [i for i in candidates if doc_ids[i] == doc_id]
            if len(candidates) == 1:
                found, reason = candidates[0], ""
            elif candidates:
                reason = f"the text is {len(candidates)} sentences of the analysis; give doc_id and sentence_no"
            else:
                reason = (reason + "; " if reason else "") + "no sentence of the analysis has this text"
        elif found < 0 and not reason:
            reason = "no doc_id and sentence_no, and no text"
        rows.append(found)
        if found < 0:
            unmatched.append({"row": number, "coder": row.get("coder", ""), "doc_id": doc_id,
                              "sentence_no": sentence_no, "text": text, "reason": reason})
    return (pd.Series(rows, index=coding.index),
            pd.DataFrame(unmatched, columns=["row", "coder", "doc_id", "sentence_no", "text", "reason"]))


def _normalise_label(value: str, code: str, judgement: Judgement | None) -> str:
    value = value.strip()
    if not value:
        return ""
    low = value.lower()
    if judgement is not None and judgement.classes == (NO, YES):
        if low in _YES:
            return YES
        if low in _NO:
            return NO
        raise CodingError(f"code {code!r}: {value!r} is not yes/no (write yes, no, 1, 0, true or false; leave the "
                          f"cell empty where a coder gave no code)")
    if judgement is not None and judgement.classes == TONES:
        low = _TONE_ALIASES.get(low, low)
        if low not in TONES:
            raise CodingError(f"code {code!r}: {value!r} is not negative, neutral or positive")
        return low
    if judgement is not None:  # frames, coders' labels: as framing spells them, whatever the case
        return {str(c).lower(): c for c in judgement.classes}.get(low, value)
    return value


# ---- validating ----------------------------------------------------------------------------------------------

def validate(coded, analysis: Analysis, *, codes=None, n_boot: int = 1000, seed: int | None = 0) -> Validation:
    """Agreement of framing with people's coding, and of the people with each other (see the module's docstring).

    ``coded``: a CSV path or a DataFrame; ``codes``: the code columns to check (default: all)."""
    coding = read_coding(coded)
    columns = code_columns(coding, codes)
    rows, unmatched = match_sentences(coding, analysis)
    coders = coding["coder"].where(coding["coder"] != "", "(no coder given)") if "coder" in coding \
        else pd.Series("coder 1", index=coding.index)
    sentences = analysis.sentences
    agreement, per_class, confusion_rows, disagreements = [], [], [], []
    for code in columns:
        judgement = framing_judgement(analysis, code)
        labels = coding[code].map(lambda v: _normalise_label(v, code, judgement))
        keep = (rows >= 0) & (labels != "")
        table = pd.DataFrame({"row": rows[keep], "coder": coders[keep], "label": labels[keep]})
        table = table.drop_duplicates(["row", "coder"], keep="first")  # a coder coding a sentence twice: the first
        wide = table.pivot(index="row", columns="coder", values="label")
        result = {"code": code, "framing": judgement.measure if judgement else "", "n_sentences": len(wide),
                  "n_coders": wide.shape[1], "n_ties": 0, "note": ""}
        if judgement is None:
            classes = tuple(sorted(set(table["label"])))
            level = "nominal"
            result["note"] = f"framing has no measure called {code!r}: the people's agreement only"
        else:
            unknown = sorted(set(table["label"]) - set(judgement.classes))
            classes = judgement.classes + tuple(unknown)
            level = judgement.level
        result.update(level=level, classes=" / ".join(map(str, classes)))
        index = {v: i for i, v in enumerate(classes)}
        coded_values = wide.apply(lambda column: column.map(lambda v: index.get(v, -1) if isinstance(v, str)
                                                            else -1)).to_numpy(dtype=int).T  # coders x units
        weights = bootstrap_weights(len(wide), n_boot, seed) if n_boot and len(wide) else None
        if wide.shape[1] >= 2:
            o = coincidences(coded_values, len(classes))
            result["people_alpha"] = float(alpha_from_coincidences(o.sum(axis=0), level))
            if weights is not None:
                replicates = alpha_from_coincidences(np.tensordot(weights, o, axes=1), level)
                result["people_alpha_low"], result["people_alpha_high"] = _interval(replicates)
            if wide.shape[1] == 2:
                both = (coded_values >= 0).all(axis=0)
                pairs = _one_hot_pairs(coded_values[0], coded_values[1], len(classes)) * both[:, None, None]
                result["people_kappa"] = float(kappa_from_confusion(pairs.sum(axis=0)))
                if weights is not None:
                    result["people_kappa_low"], result["people_kappa_high"] = _interval(
                        kappa_from_confusion(np.tensordot(weights, pairs, axes=1)))
        if judgement is not None and len(wide):
            people, ties = _majority(wide, classes)
            result["n_ties"] = int(ties.sum())
            framing_labels = judgement.values.iloc[wide.index.to_numpy()].to_numpy()
            f_index = np.array([index[v] for v in framing_labels])
            p_index = np.array([index.get(v, -1) for v in people])
            use = ~ties
            pairs = _one_hot_pairs(np.where(use, p_index, 0), f_index, len(classes)) * use[:, None, None]
            total = pairs.sum(axis=0)
            positive = index[YES] if classes[:2] == (NO, YES) and len(classes) == 2 else None
            precision, recall, f1 = f1_from_confusion(total, positive)
            result.update(precision=float(precision), recall=float(recall), f1=float(f1),
                          kappa=float(kappa_from_confusion(total)))
            o_framing = pairs + pairs.transpose(0, 2, 1)  # two coders per unit: each ordered pair once
            result["alpha"] = float(alpha_from_coincidences(o_framing.sum(axis=0), level))
            if weights is not None:
                boot = np.tensordot(weights, pairs, axes=1)
                result["f1_low"], result["f1_high"] = _interval(f1_from_confusion(boot, positive)[2])
                result["kappa_low"], result["kappa_high"] = _interval(kappa_from_confusion(boot))
                result["alpha_low"], result["alpha_high"] = _interval(
                    alpha_from_coincidences(boot + boot.transpose(0, 2, 1), level))
            precisions, recalls, f1s = (np.atleast_1d(x) for x in _per_class(total))
            for i, label in enumerate(classes):
                per_class.append({"code": code, "class": label, "precision": precisions[i], "recall": recalls[i],
                                  "f1": f1s[i], "people": int(total[i].sum()), "framing": int(total[:, i].sum())})
            for i, a in enumerate(classes):
                for j, b in enumerate(classes):
                    confusion_rows.append({"code": code, "people": a, "framing": b, "n": int(total[i, j])})
            for row, person, label, tie in zip(wide.index, people, framing_labels, ties):
                if tie or person != label:
                    sentence = sentences.iloc[row]
                    disagreements.append({"code": code, "doc_id": str(sentence["doc_id"]),
                                          "sentence_no": int(sentence["sentence_no"]), "text": str(sentence["text"]),
                                          "people": person if not tie else "tie: " + " / ".join(
                                              sorted(set(wide.loc[row].dropna()))),
                                          "framing": label, "evidence": judgement.evidence.iloc[row]})
        agreement.append(result)
    return Validation(
        agreement=pd.DataFrame(agreement).reindex(columns=AGREEMENT_COLUMNS),
        per_class=pd.DataFrame(per_class, columns=["code", "class", "precision", "recall", "f1", "people",
                                                   "framing"]),
        confusion=pd.DataFrame(confusion_rows, columns=["code", "people", "framing", "n"]),
        disagreements=pd.DataFrame(disagreements, columns=["code", "doc_id", "sentence_no", "text", "people",
                                                           "framing", "evidence"]),
        unmatched=unmatched, n_boot=n_boot, seed=seed)


def _one_hot_pairs(first: np.ndarray, second: np.ndarray, n_values: int) -> np.ndarray:
    """units x V x V: 1 at (first, second) of each unit."""
    out = np.zeros((len(first), n_values, n_values))
    out[np.arange(len(first)), first, second] = 1.0
    return out


def _per_class(confusion: np.ndarray):
    true_positive = np.diagonal(confusion)
    predicted, actual = confusion.sum(axis=0), confusion.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, true_positive / np.where(predicted > 0, predicted, 1), np.nan)
        recall = np.where(actual > 0, true_positive / np.where(actual > 0, actual, 1), np.nan)
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def _majority(wide: pd.DataFrame, classes: tuple) -> tuple[list, np.ndarray]:
    """The most common label of each unit's coders, and whether the top labels tie."""
    people, ties = [], []
    for _, row in wide.iterrows():
        counts = row.dropna().value_counts()
        top = counts[counts == counts.max()]
        people.append(top.index[0])
        ties.append(len(top) > 1)
    return people, np.array(ties, dtype=bool)


# ---- writing ---------------------------------------------------------------------------------------------------

VALIDATION_FILES = {"agreement": "agreement.csv", "per_class": "per_class.csv", "confusion": "confusion.csv",
                    "disagreements": "disagreements.csv", "unmatched": "unmatched.csv"}


def summary_lines(validation: Validation) -> list[str]:
    """One plain line per code."""
    lines = []
    for row in validation.agreement.itertuples(index=False):
        parts = [f"{row.code}: {row.n_sentences} sentences, {row.n_coders} coder(s)"]
        if row.framing:
            parts.append(f"framing F1 {_figure(row.f1, row.f1_low, row.f1_high)}, kappa "
                         f"{_figure(row.kappa, row.kappa_low, row.kappa_high)}, alpha "
                         f"{_figure(row.alpha, row.alpha_low, row.alpha_high)}")
        if row.n_coders >= 2:
            parts.append(f"people's alpha {_figure(row.people_alpha, row.people_alpha_low, row.people_alpha_high)}")
        if row.note:
            parts.append(row.note)
        lines.append("; ".join(parts))
    return lines


def _figure(value, low, high) -> str:
    if value is None or value != value:
        return "n/a"
    if low != low or low is None:
        return f"{value:.2f}"
    return f"{value:.2f} [{low:.2f}, {high:.2f}]"


def write_validation(validation: Validation, out) -> Path:
    """The tables of a validation as CSV files in ``out``: a new folder framing makes, or one it made before
    (its files are replaced whole); never a folder framing did not make."""
    out = owned_output_folder(out)
    for name, filename in VALIDATION_FILES.items():
        replace_text(out / filename, getattr(validation, name).to_csv(index=False))
    return out
