"""The key measures of each group with intervals, from the documents table alone: the index's headline chart.

``profiles`` resamples sentences and needs the sentence and hit tables in memory; a report's index must stay
small whatever the corpus, so here the documents (one row each) are resampled within each group. A group's
value is the same pooled value ``profiles`` gives (a rate is hits over words of the whole group, the mean
sentiment is over all its sentences): each document's measure times its denominator (its words for a rate per
1,000 words, its sentences for a sentence mean or share) gives back its count, and the group's value is the
ratio of the sums. Resampling documents is the honest unit when a group holds many documents that differ
(``profiles(unit="document")``); with one document the interval is that document's value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.measure import group_column
from framing.model import Analysis

HEADLINE = ("rate_loaded", "rate_hedges", "rate_boosters", "share_attributed", "sentiment_mean", "share_negative")
PER_SENTENCE = ("sentiment_mean", "share_negative", "share_positive", "share_attributed", "share_quoted")


def _weight_column(measure: str) -> str | None:
    if measure.startswith("rate_"):
        return "n_words"
    if measure in PER_SENTENCE or measure.startswith("share_coder_"):  # a coder's share of sentences
        return "n_sentences"
    return None


def _pooled(documents: pd.DataFrame, measure: str, draws: np.ndarray | None) -> tuple[float, np.ndarray | None]:
    """The pooled value of ``measure`` over ``documents`` (each document's measure times its denominator gives
    back its count; the value is the ratio of the sums) and, with ``draws`` (resamples x documents, row
    positions), its value in each resample."""
    weight = pd.to_numeric(documents[_weight_column(measure)], errors="coerce").fillna(0).to_numpy(dtype=float)
    value = pd.to_numeric(documents[measure], errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(value)
    counts, weight = np.where(known, value * weight, 0.0), np.where(known, weight, 0.0)
    total = weight.sum()
    pooled = counts.sum() / total if total else float("nan")
    if draws is None:
        return pooled, None
    with np.errstate(invalid="ignore", divide="ignore"):
        return pooled, counts[draws].sum(axis=1) / weight[draws].sum(axis=1)


def document_intervals(documents: pd.DataFrame, group_by: str = "outlet", *, measures=HEADLINE,
                       n_boot: int = 1000, seed: int | None = 0, level: float = 0.95) -> pd.DataFrame:
    """group, measure, value, low, high, n_documents: each group's pooled value of each measure, with the
    percentile interval of ``n_boot`` resamples of its documents. Measures the documents table lacks, or that
    are not a rate per word or a share or mean per sentence, are left out."""
    analysis = Analysis(documents, None, None, None, {})
    groups = group_column(analysis, group_by).astype(str).to_numpy()
    measures = [m for m in measures if m in documents.columns and _weight_column(m)]
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2 * 100
    rows = []
    for group in sorted(set(groups)):
        own = documents[groups == group]
        n = len(own)
        draws = rng.integers(0, n, size=(n_boot, n)) if n_boot and n else None
        for measure in measures:
            pooled, replicates = _pooled(own, measure, draws)
            low = high = float("nan")
            if replicates is not None:
                finite = replicates[np.isfinite(replicates)]
                if len(finite):
                    low, high = np.percentile(finite, [alpha, 100 - alpha])
            rows.append({"group": group, "measure": measure, "value": float(pooled), "low": float(low),
                         "high": float(high), "n_documents": n})
    return pd.DataFrame(rows, columns=["group", "measure", "value", "low", "high", "n_documents"])


def rest_name(group_by: str) -> str:
    """What the documents outside a group are called in a comparison with it."""
    return f"all other {'documents' if group_by in ('document', 'doc_id', '') else group_by + 's'}"


def against_rest(documents: pd.DataFrame, group_by: str, group: str, *, measures=HEADLINE, n_boot: int = 1000,
                 seed: int | None = 0, level: float = 0.95) -> pd.DataFrame:
    """One group against the rest of the corpus on each measure, from the documents table alone (documents
    resampled within the group and within the rest, as ``document_intervals`` does): the columns of
    ``differences`` (group_a is ``group``, group_b ``rest_name(group_by)``; low/high the 95% interval of the
    difference). A difference is called only when that interval excludes 0. A group that is the whole corpus
    has no rest: every verdict says so."""
    analysis = Analysis(documents, None, None, None, {})
    groups = group_column(analysis, group_by).astype(str).to_numpy()
    rest = rest_name(group_by)
    inside = groups == str(group)
    measures = [m for m in measures if m in documents.columns and _weight_column(m)]
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2 * 100
    parts = {"a": documents[inside], "b": documents[~inside]}
    draws = {side: rng.integers(0, len(part), size=(n_boot, len(part))) if n_boot and len(part) else None
             for side, part in parts.items()}
    rows = []
    for measure in measures:
        pooled, replicates = {}, {}
        for side, part in parts.items():
            pooled[side], replicates[side] = _pooled(part, measure, draws[side])
        low = high = float("nan")
        if replicates["a"] is not None and replicates["b"] is not None:
            difference = replicates["a"] - replicates["b"]
            difference = difference[np.isfinite(difference)]
            if len(difference):
                low, high = (float(x) for x in np.percentile(difference, [alpha, 100 - alpha]))
        if not len(parts["b"]):
            verdict, method = f"no comparison: every document is in {group}", ""
        elif np.isnan(pooled["a"]) or np.isnan(pooled["b"]):
            verdict, method = "not measurable", ""
        else:
            method = "bootstrap difference, documents resampled"
            verdict = f"{group} higher" if low > 0 else f"{group} lower" if high < 0 else "no clear difference"
        rows.append({"group_a": str(group), "group_b": rest, "measure": measure, "value_a": float(pooled["a"]),
                     "value_b": float(pooled["b"]), "difference": float(pooled["a"] - pooled["b"]), "low": low,
                     "high": high, "method": method, "verdict": verdict})
    return pd.DataFrame(rows, columns=["group_a", "group_b", "measure", "value_a", "value_b", "difference", "low",
                                       "high", "method", "verdict"])


# how each key measure reads in a sentence, and how its values are written
_IN_WORDS = {"rate_loaded": ("uses loaded terms", "per 1,000 words", "{:.1f}"),
             "rate_hedges": ("hedges", "per 1,000 words", "{:.1f}"),
             "rate_boosters": ("uses boosters (sounding certain)", "per 1,000 words", "{:.1f}"),
             "share_attributed": ("attributes sentences to sources", "of its sentences", "{:.0%}"),
             "sentiment_mean": ("has a sentence tone", "mean VADER compound", "{:+.2f}"),
             "share_negative": ("writes negative sentences", "of its sentences", "{:.0%}")}


def against_rest_sentences(table: pd.DataFrame) -> list[str]:
    """What ``against_rest`` finds, in plain words: a sentence per clear difference ("The Ledger uses loaded
    terms more than all other outlets: 4.1 against 2.0 per 1,000 words (...)"), or one sentence saying there is
    none on these measures."""
    lines = []
    for row in table.itertuples():
        if not (row.verdict.endswith(" higher") or row.verdict.endswith(" lower")):
            continue
        what, unit, number = _IN_WORDS.get(row.measure, (f"scores on {row.measure}", "", "{:.2f}"))
        if row.measure.startswith("share_coder_") and "__" in row.measure:  # share_coder_<name>__<label>
            name, label = row.measure[len("share_coder_"):].split("__", 1)
            what, unit, number = (f"has sentences the coder {name} labels {label.replace('_', ' ')}",
                                  "of its sentences", "{:.0%}")
        more = "more" if row.verdict.endswith(" higher") else "less"
        if row.measure == "sentiment_mean":
            more = "more positive" if more == "more" else "more negative"
            what = "writes in a tone"
        if number.endswith("%}"):  # a difference of shares is in percentage points
            gap = (f"{100 * row.difference:+.1f} percentage points, 95% interval {100 * row.low:+.1f} to "
                   f"{100 * row.high:+.1f}")
        else:
            signed = number if "+" in number else number.replace("{:", "{:+", 1)
            gap = (f"{signed.format(row.difference)}, 95% interval {signed.format(row.low)} to "
                   f"{signed.format(row.high)}")
        lines.append(f"{row.group_a} {what} {more} than {row.group_b}: {number.format(row.value_a)} against "
                     f"{number.format(row.value_b)} {unit} (difference {gap}).")
    if not lines and len(table):
        lines.append(f"On these measures {table['group_a'].iloc[0]} cannot be told apart from "
                     f"{table['group_b'].iloc[0]}: every 95% interval of the difference includes zero.")
    return lines
