"""Plain words: a few sentences a non-specialist can read, stating only what the intervals support."""

from __future__ import annotations

import pandas as pd

from framing.compare.frames import label_choice
from framing.compare.profiles import Profile, differences, profiles
from framing.compare.similarity import near_duplicates
from framing.compare.sources import sourcing_sentences
from framing.compare.words import distinctive_words
from framing.errors import CompareError
from framing.measure import AUTHOR_VOICES, group_column
from framing.model import Analysis

_SUMMARY_MEASURES = (
    ("rate_loaded_author", "loaded terms in the author's own voice", "per 1,000 words", 1),
    ("rate_evaluative_author", "evaluative words (praise, intensifiers, comment adverbs) in the author's own voice",
     "per 1,000 words", 1),
    ("rate_hedges", "hedging", "hedges per 1,000 words", 1),
    ("rate_boosters", "boosting (sounding certain)", "boosters per 1,000 words", 1),
    ("sentiment_mean", "overall tone", "mean sentence sentiment", 2),
    ("share_attributed", "attributing statements to sources", "share of sentences with an attribution", 2),
)


def _fmt(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def _top_loaded(analysis: Analysis, group_by: str, group: str) -> str:
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    hits = analysis.hits[(analysis.hits["lexicon"] == "loaded")
                         & analysis.hits["voice"].isin(AUTHOR_VOICES)]
    hits = hits[hits["doc_id"].astype(str).map(mapping) == group]
    if hits.empty:
        return ""
    category = hits["category"].value_counts().index[0]
    words = hits[hits["category"] == category]["matched"].str.lower().value_counts().head(3)
    examples = ", ".join(f"{w} ({c})" for w, c in words.items())
    return f", mostly {category.replace('_', ' ')} in the author's own voice: {examples}"


def summarise(analysis: Analysis, group_by: str = "outlet", *, profile: Profile | None = None,
              n_boot: int = 1000, seed: int | None = 0, max_pairs: int = 4, words: int = 4) -> list[str]:
    """A few sentences a non-specialist can read. A difference is stated only when the 95% interval of the
    bootstrapped difference excludes zero (``differences``); otherwise the sentence says there is no clear
    difference. Group rates are compared with the median group only when the group's own interval lies
    entirely above or below that median."""
    profile = profiles(analysis, group_by, n_boot=n_boot, seed=seed) if profile is None else profile
    groups = list(profile.groups)
    out: list[str] = []
    if not groups:
        return ["The analysis holds no documents."]
    table = profile.table
    loaded = table[table["measure"] == "rate_loaded"].set_index("group")
    if len(groups) > 1 and not loaded.empty:
        median = float(loaded["value"].median())
        for group in groups:
            row = loaded.loc[group]
            rate = float(row["value"])
            top = _top_loaded(analysis, group_by, group)
            interval = f"{rate:.1f} per 1,000 words, 95% interval {row['low']:.1f} to {row['high']:.1f}"
            if median > 0 and row["low"] > median:
                out.append(f"{group} uses loaded terms {rate / median:.1f} times as often as the median group "
                           f"({interval}){top}.")
            elif median > 0 and row["high"] < median:
                out.append(f"{group} uses loaded terms less often than the median group: {rate / median:.1f} "
                           f"times the median ({interval}){top}.")
            elif median == 0 and row["low"] > 0:
                out.append(f"{group} uses loaded terms ({interval}) where the median group uses none{top}.")
            else:
                out.append(f"{group} uses loaded terms at a rate that cannot be told apart from the median group "
                           f"({interval}; median {median:.1f}){top}.")
    if len(groups) > 1 and profile.replicates is None:
        out.append(f"Pairs of groups are not compared here: the profile kept no bootstrap replicates "
                   f"({len(groups)} groups with {profile.n_boot} resamples each).")
    for measure, what, unit, digits in _SUMMARY_MEASURES if len(groups) > 1 and profile.replicates is not None \
            else ():
        if measure not in profile.measures:
            continue
        pairs = differences(profile, measure)
        pairs = pairs[pairs["verdict"] != "not measurable"]
        if pairs.empty:
            continue
        clear = pairs[pairs["verdict"] != "no clear difference"]
        why = "the 95% interval of the difference includes zero"
        if clear.empty:
            if len(pairs) == 1:
                p = pairs.iloc[0]
                out.append(f"No clear difference in {what} between {p.group_a} and {p.group_b}: {why} "
                           f"({_fmt(p.value_a, digits)} vs {_fmt(p.value_b, digits)} {unit}).")
            else:
                out.append(f"No clear difference in {what} between any two of the {len(groups)} groups: "
                           f"for every pair {why}.")
            continue
        clear = clear.reindex(clear["difference"].abs().sort_values(ascending=False).index)
        for p in clear.head(max_pairs).itertuples():
            high, low = (p.group_a, p.group_b) if p.verdict == f"{p.group_a} higher" else (p.group_b, p.group_a)
            vh, vl = (p.value_a, p.value_b) if high == p.group_a else (p.value_b, p.value_a)
            lo, hi = (p.low, p.high) if high == p.group_a else (-p.high, -p.low)
            evidence = f"difference {_fmt(vh - vl, digits)}, 95% interval {_fmt(lo, digits)} to {_fmt(hi, digits)}"
            out.append(f"{high} scores higher than {low} on {what}: {_fmt(vh, digits)} vs {_fmt(vl, digits)} "
                       f"{unit} ({evidence}).")
        rest = len(pairs) - min(len(clear), max_pairs)
        if rest:
            out.append(f"The other {rest} pair{'s' if rest > 1 else ''} show{'' if rest > 1 else 's'} no clear "
                       f"difference in {what}.")
    if len(groups) > 1 and words:
        try:
            table = distinctive_words(analysis, group_by, top=words)
        except CompareError:
            table = pd.DataFrame()
        for group in groups:
            part = table[(table.get("group") == group) & (table.get("z") > 1.96)].head(words) if len(table) else table
            if part.empty:
                out.append(f"No word is clearly distinctive of {group} against the rest (no z above 1.96).")
                continue
            listed = ", ".join(f"{r.term}{'*' if r.lexicon_term else ''} ({r.count_group}, z {r.z:.1f})"
                               for r in part.itertuples())
            out.append(f"Words that most set {group} apart from the rest: {listed}"
                       f"{' (* = contains a lexicon term)' if part['lexicon_term'].any() else ''}; with thousands "
                       f"of words compared, single words are leads to read in context, not proof.")
    choice = label_choice(analysis, group_by)
    for label_group, part in choice.groupby("label_group"):
        if part["group"].nunique() < 2:
            continue
        picks = []
        for group, rows in part.groupby("group"):
            total, best = int(rows["count"].sum()), int(rows["count"].max())
            top = rows[rows["count"] == best]["name"].tolist()
            if len(top) == 1:
                picks.append(f"{group} says \"{top[0]}\" most often ({best} of {total})")
            else:
                names = ", ".join(f'"{n}"' for n in top[:3]) + (" ..." if len(top) > 3 else "")
                picks.append(f"{group} has no single favourite ({names}: {best} each, of {total})")
        out.append(f"Naming {label_group.replace('_', ' ')}: " + "; ".join(picks) + ".")
    if analysis.quotes is not None:
        out += sourcing_sentences(analysis, group_by)
    for pair in near_duplicates(analysis).itertuples():
        out.append(f"{pair.doc_a} and {pair.doc_b} are near-duplicates (TF-IDF cosine {pair.similarity:.2f}): "
                   f"one is probably a re-post of the other, so they are not independent evidence.")
    return out
