"""Framing over time: any measure per group and period (week, month, ...), with the volume, a bootstrap interval,
the periods too thin to read marked, and the documents without a date counted.

``trends(analysis, group_by="outlet", freq="W", measure="rate_loaded")`` buckets documents by their ``date``
(ISO 8601, as the documents table holds it) into periods of ``freq`` (pandas' period aliases: ``"D"``, ``"W"``,
``"M"``, ``"Q"``, ``"Y"``). A period's value is the measure over all its documents' sentences (the ratio of sums
of ``framing.measure``, the same number ``profiles`` gives a group); its interval is a percentile bootstrap over
the period's documents (documents, not sentences: the articles of one week differ more than the sentences of
one article). A period with fewer than ``min_documents`` documents is kept in the table with ``plotted`` False:
its figure would be noise, and ``framing.plots.trend_chart`` does not draw it. Documents without a readable date
are counted per group in ``Trends.undated``, never dropped silently.

``trend_summary`` says in plain words where a measure clearly changed: the first and the last drawn period of a
group whose 95% intervals do not overlap (a conservative test); nothing otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing import measure as measures_of
from framing.compare.profiles import LEVEL, _ratios, _resampled_sums
from framing.errors import CompareError
from framing.model import Analysis

MIN_DOCUMENTS = 3
TREND_COLUMNS = ["group", "period", "start", "n_documents", "n_sentences", "n_words", "value", "low", "high",
                 "plotted"]
_FREQUENCY_WORDS = {"D": "day", "W": "week", "M": "month", "MS": "month", "Q": "quarter", "QS": "quarter",
                    "Y": "year", "YS": "year", "A": "year"}


@dataclass
class Trends:
    """The result of ``trends``: one row per group and period (TREND_COLUMNS), and the undated documents."""
    table: pd.DataFrame
    undated: pd.DataFrame   # group, n_documents: documents without a readable date
    measure: str
    label: str
    group_by: str
    freq: str
    min_documents: int
    n_boot: int
    seed: int | None

    @property
    def n_undated(self) -> int:
        return int(self.undated["n_documents"].sum()) if len(self.undated) else 0

    @property
    def method(self) -> str:
        return (f"per {_FREQUENCY_WORDS.get(self.freq, self.freq)}: the measure over all the period's sentences; "
                f"{LEVEL:.0%} percentile bootstrap over the period's documents, {self.n_boot} resamples, seed "
                f"{self.seed}; periods with fewer than {self.min_documents} documents are not drawn")


def document_dates(analysis: Analysis) -> pd.Series:
    """Each document's date as a timestamp (NaT where missing or unreadable), index as ``analysis.documents``."""
    values = analysis.documents["date"].fillna("").astype(str).str.strip()
    dates = pd.to_datetime(values.where(values != ""), errors="coerce", utc=True, format="mixed")
    return dates.dt.tz_convert(None)


def spans_periods(analysis: Analysis, freq: str = "W") -> bool:
    """Whether the dated documents fall in more than one period of ``freq`` (a trend has something to show)."""
    dates = document_dates(analysis).dropna()
    return dates.dt.to_period(_period_alias(freq)).nunique() > 1


def suggest_frequency(analysis: Analysis) -> str:
    """A period for the dates the corpus spans: weeks up to half a year, months up to five years, else years."""
    dates = document_dates(analysis).dropna()
    if dates.empty:
        return "W"
    days = (dates.max() - dates.min()).days
    return "W" if days <= 183 else "M" if days <= 5 * 366 else "Y"


def _period_alias(freq: str) -> str:
    return {"MS": "M", "QS": "Q", "YS": "Y", "A": "Y"}.get(freq, freq)


def trends(analysis: Analysis, group_by: str | None = "outlet", freq: str = "W", measure: str = "rate_loaded", *,
           n_boot: int = 1000, seed: int | None = 0, min_documents: int = MIN_DOCUMENTS) -> Trends:
    """One measure per group and period, with volume and intervals (see the module's docstring).

    ``group_by``: a documents column (``outlet``, ``author``, ...), ``"document"``, or None for the whole corpus
    as one group; ``measure``: any measure of ``framing.measure`` for this analysis (lexicon rates, shares,
    sources, targets, coders)."""
    recipe = measures_of.analysis_measures(analysis)
    names = [m.name for m in recipe]
    if measure not in names:
        raise CompareError(f"unknown measure {measure!r} (this analysis has: {', '.join(names)})")
    spec = recipe[names.index(measure)]
    try:
        pd.Period("2020-01-01", freq=_period_alias(freq))
    except (ValueError, TypeError):
        raise CompareError(f"unknown period {freq!r}: use D, W, M, Q or Y") from None
    documents = analysis.documents.reset_index(drop=True)
    groups = (pd.Series("all documents", index=documents.index) if group_by is None
              else measures_of.group_column(analysis, group_by).reset_index(drop=True))
    dates = document_dates(analysis).reset_index(drop=True)
    undated = (groups[dates.isna()].value_counts().rename_axis("group").rename("n_documents").reset_index()
               .sort_values("group", ignore_index=True))
    counts = measures_of.counts_for(measures_of.sentence_counts(analysis.sentences, analysis.hits,
                                                                measures_of.analysis_targets(analysis),
                                                                analysis.quotes), [spec])
    per_document = counts[[spec.numerator, spec.denominator, "sentences", "words"]].groupby(
        analysis.sentences["doc_id"].astype(str).to_numpy()).sum()
    doc_ids = documents["doc_id"].astype(str)
    matrix = per_document.reindex(doc_ids).fillna(0.0).to_numpy(dtype=float)  # documents x 4, table order
    periods = dates.dt.to_period(_period_alias(freq))
    rng = np.random.default_rng(seed)
    scale = np.array([spec.scale])
    rows = []
    dated = dates.notna().to_numpy()
    frame = pd.DataFrame({"group": groups, "period": periods})[dated]
    for (group, period), members in frame.groupby(["group", "period"], sort=True):
        cell = matrix[members.index.to_numpy()]
        sums = cell.sum(axis=0)
        value = float(_ratios(sums[[0]], sums[[1]], scale)[0])
        low = high = np.nan
        if n_boot and len(cell) > 1:
            boot = _resampled_sums(cell, n_boot, rng)
            replicates = _ratios(boot[:, [0]], boot[:, [1]], scale)[:, 0]
            replicates = replicates[~np.isnan(replicates)]
            if len(replicates):
                tail = (1 - LEVEL) / 2 * 100
                low, high = (float(x) for x in np.percentile(replicates, [tail, 100 - tail]))
        rows.append({"group": str(group), "period": str(period), "start": period.start_time, "n_documents": len(cell),
                     "n_sentences": int(sums[2]), "n_words": int(sums[3]), "value": value, "low": low, "high": high,
                     "plotted": len(cell) >= min_documents and not np.isnan(value)})
    return Trends(table=pd.DataFrame(rows, columns=TREND_COLUMNS), undated=undated, measure=measure,
                  label=spec.label, group_by=group_by or "", freq=freq, min_documents=min_documents, n_boot=n_boot,
                  seed=seed)


def trend_summary(result: Trends) -> list[str]:
    """Plain sentences, one per group whose measure clearly changed between its first and its last drawn period
    (their 95% intervals do not overlap); then how many documents had no date, if any."""
    lines = []
    drawn = result.table[result.table["plotted"]]
    for group, rows in drawn.groupby("group", sort=True):
        if len(rows) < 2:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        if any(np.isnan(x) for x in (first["low"], first["high"], last["low"], last["high"])):
            continue
        if last["low"] > first["high"] or last["high"] < first["low"]:
            ratio = last["value"] / first["value"] if first["value"] else np.inf
            verb = ("rose" if not first["value"] else "more than doubled" if ratio > 2 else "doubled" if ratio >= 1.95 else "rose" if ratio > 1
                    else "fell to less than half" if ratio < 0.5 else "halved" if ratio <= 0.55 else "fell")
            lines.append(f"{group}: {result.label} {verb}, from {first['value']:.3g} ({first['period']}) to "
                         f"{last['value']:.3g} ({last['period']}); the 95% intervals do not overlap.")
    if result.n_undated:
        lines.append(f"{result.n_undated} documents have no date and are not in the trend.")
    return lines
