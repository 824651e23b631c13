"""Every measure for every group, side by side, each with a bootstrap interval, and pairwise differences.

The measures and their counts are defined once, in ``framing.measure``; here they are summed per group and
per bootstrap resample.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from framing import measure as measures_of
from framing.errors import CompareError
from framing.model import Analysis

LEVEL = 0.95
PROFILE_COLUMNS = ["group", "measure", "value", "low", "high", "kind", "lexicon", "category", "voice", "label",
                   "n_sentences", "n_words"]
_MAX_KEPT_REPLICATES = 50_000_000  # groups x measures x resamples kept for ``differences``


@dataclass
class Profile:
    """The result of ``profiles``: the long table and what is needed to compare its groups.

    ``table`` has one row per group and measure (columns: PROFILE_COLUMNS). ``replicates`` holds the bootstrap
    replicates (groups x measures x n_boot, float32) that ``differences`` needs; it is ``None`` when
    ``n_boot`` was 0 or the array would pass 50 million cells (then ``differences`` says so).
    """
    table: pd.DataFrame
    group_by: str
    groups: list[str]
    measures: list[str]
    level: float
    n_boot: int
    seed: int | None
    unit: str
    replicates: np.ndarray | None = None

    @property
    def method(self) -> str:
        return (f"percentile bootstrap over {self.unit}s within each group, {self.n_boot} resamples, "
                f"seed {self.seed}")

    def replicates_of(self, group: str, measure: str) -> np.ndarray:
        return self.replicates[self.groups.index(group), self.measures.index(measure)].astype(np.float64)


def sentence_measures(analysis: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-sentence count matrix behind ``profiles`` and its recipe.

    Returns ``(counts, recipe)``: ``counts`` has one row per sentence (same order as ``analysis.sentences``)
    holding what it adds to each count (``framing.measure.sentence_counts``); ``recipe`` lists every measure
    as ``numerator / denominator * scale`` over those columns (``framing.measure.measures``), so a group's
    value is a ratio of column sums, and so is every bootstrap replicate.
    """
    recipe = measures_of.analysis_measures(analysis)
    counts = measures_of.counts_for(measures_of.sentence_counts(analysis.sentences, analysis.hits,
                                                                measures_of.analysis_targets(analysis),
                                                                analysis.quotes), recipe)
    table = pd.DataFrame([vars(m) for m in recipe],
                         columns=["name", "numerator", "denominator", "scale", "kind", "lexicon", "category", "voice",
                                  "label", "in_documents"]).rename(columns={"name": "measure"})
    return counts, table


def _resampled_sums(matrix: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Column sums of ``n_boot`` resamples (with replacement) of the rows: how often each row was drawn
    (a count matrix built with one bincount) times the matrix, in chunks of about 20 million cells."""
    n = matrix.shape[0]
    out = np.empty((n_boot, matrix.shape[1]))
    step = max(1, 20_000_000 // max(n, 1))
    for start in range(0, n_boot, step):
        b = min(step, n_boot - start)
        draws = rng.integers(0, n, size=(b, n))
        weights = np.bincount((draws + (np.arange(b) * n)[:, None]).ravel(), minlength=b * n).reshape(b, n)
        out[start:start + b] = weights.astype(np.float64) @ matrix
    return out


def profiles(analysis: Analysis, group_by: str = "outlet", *, n_boot: int = 1000, seed: int | None = 0,
             level: float = LEVEL, unit: str = "sentence") -> Profile:
    """Every measure for every group, side by side, each with a bootstrap interval.

    ``Profile.table`` is tidy (long): group, measure, value, low, high, kind, lexicon, category, voice, label,
    n_sentences, n_words. The measures are those of ``framing.measure.measures``: ``rate_<lexicon>[_<category>]``
    (hits per 1,000 words) with ``_author`` (the writer's own words, scare quotes included) and ``_quoted``
    (inside quotations) splits, ``sentiment_mean``, ``share_negative``, ``share_positive``, ``share_quoted``,
    ``share_attributed`` (sentences with an attribution hit), ``hedge_booster_balance[_author]`` ((h - b) /
    (h + b), from -1 only boosters to +1 only hedges, NaN when neither occurs), and per target
    ``target_<name>_sentiment`` / ``target_<name>_share``. A group's value is the same number the documents
    table would give for one document holding all the group's sentences.

    Interval: percentile bootstrap. Within each group the sentences (``unit="document"``: the documents) are
    resampled with replacement ``n_boot`` times; each measure is recomputed as a ratio of sums (hits in the
    resampled sentences / their words * 1000) and ``low``/``high`` are the 2.5th and 97.5th percentiles.
    Sentence resampling treats sentences as independent, so when a group holds several documents that differ
    from each other, the intervals are too narrow; ``unit="document"`` is the honest choice with many
    documents per group (it is degenerate with one). A group with no hits has the interval [0, 0].
    """
    if unit not in ("sentence", "document"):
        raise CompareError(f"unit must be 'sentence' or 'document', not {unit!r}")
    columns, recipe = sentence_measures(analysis)
    groups = measures_of.sentence_groups(analysis, group_by).reset_index(drop=True)
    if unit == "document":
        doc_ids = analysis.sentences["doc_id"].astype(str).to_numpy()
        columns = columns.groupby(doc_ids).sum()
        groups = groups.groupby(doc_ids).first().reindex(columns.index)
    names = list(columns.columns)
    num = recipe["numerator"].map(names.index).to_numpy()
    den = recipe["denominator"].map(names.index).to_numpy()
    scale = recipe["scale"].to_numpy(dtype=float)
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2 * 100
    group_names = sorted(groups.unique())
    keep = bool(n_boot) and len(group_names) * len(recipe) * n_boot <= _MAX_KEPT_REPLICATES
    kept = np.empty((len(group_names), len(recipe), n_boot), dtype=np.float32) if keep else None
    rows = []
    everything = columns.to_numpy(dtype=float)
    for g, group in enumerate(group_names):
        matrix = everything[(groups == group).to_numpy()]
        sums = matrix.sum(axis=0)
        value = _ratios(sums[num], sums[den], scale)
        if n_boot and len(matrix):
            boot = _resampled_sums(matrix, n_boot, rng)
            replicates = _ratios(boot[:, num], boot[:, den], scale)  # n_boot x measures
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: measures nobody can have
                low, high = np.nanpercentile(replicates, [alpha, 100 - alpha], axis=0)
            if keep:
                kept[g] = replicates.T
        else:
            low = high = np.full(len(recipe), np.nan)
        n_words = sums[names.index("words")]
        n_sentences = sums[names.index("sentences")] if unit == "sentence" else matrix.shape[0]
        for i, spec in enumerate(recipe.itertuples(index=False)):
            rows.append({"group": group, "measure": spec.measure, "value": value[i], "low": low[i], "high": high[i],
                         "kind": spec.kind, "lexicon": spec.lexicon, "category": spec.category, "voice": spec.voice,
                         "label": spec.label, "n_sentences": int(n_sentences), "n_words": int(n_words)})
    return Profile(table=pd.DataFrame(rows, columns=PROFILE_COLUMNS), group_by=group_by, groups=group_names,
                   measures=list(recipe["measure"]), level=level, n_boot=n_boot, seed=seed, unit=unit,
                   replicates=kept)


def _ratios(numerators: np.ndarray, denominators: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``framing.measure.ratio`` for many measures at once (each with its own scale)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(denominators != 0, denominators, 1)
        values = np.where(scale == 1.0, numerators / safe, numerators * (scale / safe))
        return np.where(denominators != 0, values, np.nan)


def pivot_profile(profile: Profile, *, measures: list[str] | None = None,
                  intervals: bool = False, digits: int = 2) -> pd.DataFrame:
    """Groups as rows, measures as columns. ``intervals=True`` gives text cells such as ``4.20 [2.10, 6.30]``."""
    table = profile.table if measures is None else profile.table[profile.table["measure"].isin(measures)]
    order = list(dict.fromkeys(table["measure"]))
    if intervals:
        cells = table.assign(cell=[f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]" if pd.notna(v) else "n/a"
                                   for v, lo, hi in zip(table["value"], table["low"], table["high"])])
        wide = cells.pivot(index="group", columns="measure", values="cell")
    else:
        wide = table.pivot(index="group", columns="measure", values="value")
    return wide[order]


def differences(profile: Profile, measure: str, *, groups: list[str] | None = None) -> pd.DataFrame:
    """Every pair of groups compared on one measure.

    Columns: group_a, group_b, measure, value_a, value_b, difference (a - b), low, high, method, verdict.
    The groups were resampled independently, so replicate i of a minus replicate i of b is a bootstrap replicate
    of the difference; ``low``/``high`` are its 2.5th/97.5th percentiles and a difference is called only when
    that interval excludes 0; anything else is "no clear difference". No correction for making many
    comparisons is applied: with many pairs, expect about one in twenty "differences" among truly equal groups.
    """
    if not isinstance(profile, Profile):
        raise CompareError("differences needs the Profile that profiles() returns (its bootstrap replicates); "
                           "a table read back from a file has none")
    if profile.replicates is None:
        raise CompareError(f"this profile kept no bootstrap replicates (n_boot={profile.n_boot}, or groups x "
                           f"measures x n_boot over {_MAX_KEPT_REPLICATES:,}): run profiles() with n_boot > 0 "
                           f"on fewer groups")
    table = profile.table[profile.table["measure"] == measure]
    if table.empty:
        raise CompareError(f"no measure {measure!r} in the profile (known: {', '.join(sorted(profile.measures)[:12])}"
                           f", ...)")
    table = table.set_index("group")
    names = sorted(table.index) if groups is None else [g for g in groups if g in table.index]
    alpha = (1 - profile.level) / 2 * 100
    rows = []
    for a, b in combinations(names, 2):
        va, vb = float(table.loc[a, "value"]), float(table.loc[b, "value"])
        low = high = float("nan")
        if pd.isna(va) or pd.isna(vb):
            verdict, method = "not measurable", ""
        else:
            method = "bootstrap difference"
            diff = profile.replicates_of(a, measure) - profile.replicates_of(b, measure)
            diff = diff[~np.isnan(diff)]
            if len(diff):
                low, high = (float(x) for x in np.percentile(diff, [alpha, 100 - alpha]))
            verdict = (f"{a} higher" if low > 0 else f"{b} higher" if high < 0 else "no clear difference") \
                if len(diff) else "no clear difference"
        rows.append({"group_a": a, "group_b": b, "measure": measure, "value_a": va, "value_b": vb,
                     "difference": va - vb, "low": low, "high": high, "method": method, "verdict": verdict})
    return pd.DataFrame(rows, columns=["group_a", "group_b", "measure", "value_a", "value_b", "difference", "low",
                                       "high", "method", "verdict"])
