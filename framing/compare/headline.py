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
            weight = pd.to_numeric(own[_weight_column(measure)], errors="coerce").fillna(0).to_numpy(dtype=float)
            value = pd.to_numeric(own[measure], errors="coerce").to_numpy(dtype=float)
            known = ~np.isnan(value)
            counts = np.where(known, value * weight, 0.0)
            weight = np.where(known, weight, 0.0)
            total = weight.sum()
            pooled = counts.sum() / total if total else float("nan")
            low = high = float("nan")
            if draws is not None:
                with np.errstate(invalid="ignore", divide="ignore"):
                    replicates = counts[draws].sum(axis=1) / weight[draws].sum(axis=1)
                finite = replicates[np.isfinite(replicates)]
                if len(finite):
                    low, high = np.percentile(finite, [alpha, 100 - alpha])
            rows.append({"group": group, "measure": measure, "value": float(pooled), "low": float(low),
                         "high": float(high), "n_documents": n})
    return pd.DataFrame(rows, columns=["group", "measure", "value", "low", "high", "n_documents"])
