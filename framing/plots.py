"""Figures: matplotlib functions that return a Figure (never ``show()``), for notebooks and reports.

Colours come from the Okabe-Ito palette and the cividis map, both readable with colour-vision deficiency;
every axis is labelled, measures by their label and unit from the glossary (``framing.views.label``). On a page,
show a figure with ``framing.views.show_figure`` (alt text, SVG and PNG beside it, nothing cut off).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from framing import views
from framing.sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
NEGATIVE, POSITIVE, NEUTRAL = "#D55E00", "#0072B2", "#999999"


def sentiment_arc(sentences: pd.DataFrame, *, title: str = "Sentiment sentence by sentence",
                  window: int = 5) -> plt.Figure:
    """Compound sentiment of each sentence in order, with a rolling mean to show the arc."""
    fig, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
    if sentences.empty:
        ax.text(0.5, 0.5, "no sentences", ha="center", va="center", transform=ax.transAxes)
    else:
        x = sentences["sentence_no"].to_numpy()
        y = sentences["sentiment"].to_numpy(dtype=float)
        colours = np.where(y <= NEGATIVE_THRESHOLD, NEGATIVE, np.where(y >= POSITIVE_THRESHOLD, POSITIVE, NEUTRAL))
        ax.bar(x, y, color=colours, width=0.8, label="sentence")
        rolling = pd.Series(y).rolling(window, min_periods=1, center=True).mean()
        ax.plot(x, rolling, color="#000000", linewidth=1.8, label=f"rolling mean ({window} sentences)")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("sentence")
    ax.set_ylabel("VADER compound (-1 to +1)")
    ax.set_title(title)
    if not sentences.empty:
        worst = sentences.loc[sentences["sentiment"].astype(float).idxmin()]
        _says(fig, f"{len(y)} sentences: {int((y <= NEGATIVE_THRESHOLD).sum())} negative, "
                   f"{int((y >= POSITIVE_THRESHOLD).sum())} positive; the most negative is sentence "
                   f"{int(worst['sentence_no'])} ({float(worst['sentiment']):+.2f}).")
    return fig


def category_bars(categories: pd.DataFrame, *, title: str = "Framing devices per 1,000 words") -> plt.Figure:
    """Horizontal bars of per-1,000-word rates by lexicon category (from ``views.category_counts``)."""
    table = categories.sort_values("per_1000_words")
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(table), 3) + 1.2), layout="constrained")
    if table.empty:
        ax.text(0.5, 0.5, "no hits", ha="center", va="center", transform=ax.transAxes)
    else:
        lexicons = list(dict.fromkeys(table["lexicon"]))
        colour = {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(lexicons)}
        labels = [f"{views.format_value(row.lexicon, 'lexicon')}: {row.category.replace('_', ' ')}"
                  for row in table.itertuples()]
        ax.barh(labels, table["per_1000_words"], color=[colour[name] for name in table["lexicon"]])
    ax.set_xlabel("hits per 1,000 words")
    ax.set_title(title)
    if not table.empty:
        top = table.tail(5)[::-1]
        _says(fig, "Highest: " + "; ".join(f"{label} {value:.1f}" for label, value in
                                           zip(labels[::-1][:5], top["per_1000_words"])) + " per 1,000 words.")
    return fig


def category_heatmap(matrix: pd.DataFrame, *, title: str = "Loaded terms per 1,000 words") -> plt.Figure:
    """Categories (rows) by groups (columns), each cell annotated with its value."""
    fig, ax = plt.subplots(figsize=(1.3 * max(matrix.shape[1], 3) + 3, 0.45 * max(matrix.shape[0], 3) + 1.5),
                           layout="constrained")
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="cividis", aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), [str(c)[:24] for c in matrix.columns], rotation=30, ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i).replace("_", " ") for i in matrix.index])
    top = np.nanmax(values) if values.size else 0
    for (i, j), value in np.ndenumerate(values):
        ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=8,
                color="black" if top and value > top * 0.6 else "white")
    fig.colorbar(image, ax=ax, label="per 1,000 words")
    ax.set_xlabel("group")
    ax.set_ylabel("category")
    ax.set_title(title)
    if values.size and np.isfinite(values).any():
        i, j = np.unravel_index(np.nanargmax(values), values.shape)
        _says(fig, f"{matrix.shape[0]} categories by {matrix.shape[1]} groups; the highest cell is "
                   f"{str(matrix.index[i]).replace('_', ' ')} in {matrix.columns[j]}: {values[i, j]:.1f}.")
    return fig


def hedges_vs_boosters(profile: pd.DataFrame, *, title: str = "How sure do they sound?") -> plt.Figure:
    """Each group's hedge rate against its booster rate (from ``views.group_profile``)."""
    fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
    x = profile.get("rate_hedges", pd.Series(dtype=float))
    y = profile.get("rate_boosters", pd.Series(dtype=float))
    for index, row in enumerate(profile.itertuples()):
        ax.scatter(x.iloc[index], y.iloc[index], s=60, color=OKABE_ITO[index % len(OKABE_ITO)],
                   marker="osD^v<>p"[index % 8], label=str(row.group)[:30])
    top = max(float(np.nanmax(x)) if len(x) else 1, float(np.nanmax(y)) if len(y) else 1, 1.0) * 1.15
    ax.plot([0, top], [0, top], color="#777777", linewidth=0.8, linestyle="--", label="as many hedges as boosters")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("hedges per 1,000 words")
    ax.set_ylabel("boosters per 1,000 words")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title(title)
    return fig


def target_sentiment(profile: pd.DataFrame, *, title: str = "Tone toward each target, by group") -> plt.Figure:
    """Mean sentiment toward each target, by group."""
    names = [c[len("target_"):-len("_sentiment")] for c in profile if c.startswith("target_") and c.endswith("_sentiment")]
    fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
    if not names:
        ax.text(0.5, 0.5, "no targets given", ha="center", va="center", transform=ax.transAxes)
    width = 0.8 / max(len(profile), 1)
    for index, row in enumerate(profile.itertuples()):
        values = [getattr(row, f"target_{n}_sentiment") for n in names]
        ax.bar(np.arange(len(names)) + index * width, values, width=width,
               color=OKABE_ITO[index % len(OKABE_ITO)], label=str(row.group)[:30])
    ax.set_xticks(np.arange(len(names)) + width * (len(profile) - 1) / 2, names)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xlabel("target")
    ax.set_ylabel("tone toward the target (-1 to +1)")
    if names:
        ax.legend(fontsize=8, frameon=False)
    ax.set_title(title)
    if names:
        _says(fig, " ".join(f"Toward {n}: " + ", ".join(f"{row.group} {getattr(row, f'target_{n}_sentiment'):+.2f}"
                                                        for row in profile.itertuples()
                                                        if pd.notna(getattr(row, f"target_{n}_sentiment")))
                            + "." for n in names))
    return fig


# ---- comparisons (framing.compare) ----------------------------------------------------------------------

_MARKERS = "osD^v<>p*hX"


def profile_intervals(profile, *, measures: list[str] | None = None,
                      title: str = "Each group with its 95% interval", columns: int = 4) -> plt.Figure:
    """Dot-and-whisker per group for each measure (one panel per measure, ``columns`` panels a row) from the
    ``Profile`` that ``compare.profiles`` returns. Overlapping whiskers mean the data cannot tell the groups
    apart. Panels are titled with the measure's label and their axis with its unit (the glossary). A long
    table (group, measure, value, low, high: ``compare.document_intervals``) is drawn the same way."""
    profile_long = profile if isinstance(profile, pd.DataFrame) else profile.table
    measures = measures or [m for m in ("rate_loaded", "rate_hedges", "rate_boosters", "sentiment_mean")
                            if m in set(profile_long["measure"])]
    groups = sorted(profile_long["group"].unique())
    n = max(len(measures), 1)
    ncols = min(columns, n)
    nrows = -(-n // ncols)
    # one row of panels per four measures: eight side by side were 29 inches wide, unreadable on a page
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 1.8, nrows * (0.34 * max(len(groups), 3) + 1.5) + 0.4),
                             layout="constrained", sharey=True, squeeze=False)
    flat = axes.ravel()
    for ax, measure in zip(flat, measures):
        part = profile_long[profile_long["measure"] == measure].set_index("group").reindex(groups)
        y = np.arange(len(groups))
        values = part["value"].to_numpy(dtype=float)
        low, high = part["low"].to_numpy(dtype=float), part["high"].to_numpy(dtype=float)
        for i in range(len(groups)):
            colour = OKABE_ITO[i % len(OKABE_ITO)]
            if np.isfinite(low[i]) and np.isfinite(high[i]):
                ax.plot([low[i], high[i]], [y[i], y[i]], color=colour, linewidth=2.2, solid_capstyle="butt")
            ax.plot(values[i], y[i], marker=_MARKERS[i % len(_MARKERS)], color=colour, markersize=8,
                    markeredgecolor="black", linestyle="none")
        if "sentiment" in measure or "balance" in measure:
            ax.axvline(0, color="#777777", linewidth=0.8, linestyle="--")
        term = views.term(measure)
        ax.set_yticks(y, [str(g)[:28] for g in groups])
        ax.set_xlabel(term.unit or "value", fontsize=9)
        ax.set_title(_wrap(term.label, 30), fontsize=10)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        if term.format == "share":
            ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    for ax in flat[len(measures):]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel("group")
    axes[0][0].invert_yaxis()
    fig.suptitle(title)
    lines = []
    for measure in measures:
        part = profile_long[profile_long["measure"] == measure].dropna(subset=["value"])
        if part.empty:
            continue
        kind = views.term(measure).format
        hi, lo = part.loc[part["value"].idxmax()], part.loc[part["value"].idxmin()]
        cell = lambda r: (f"{r['group']} {views.format_value(r['value'], kind)} "  # noqa: E731
                          f"({views.format_value(r['low'], kind)} to {views.format_value(r['high'], kind)})")
        lines.append(f"{views.term(measure).label}: highest {cell(hi)}, lowest {cell(lo)}.")
    _says(fig, "Dots are values, lines 95% intervals. " + " ".join(lines))
    return fig


def _says(fig, text: str) -> None:
    """What the figure shows, in words, for its alt text (``framing.views.figure_alt`` reads it)."""
    fig.framing_alt = text


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def hedges_boosters_intervals(profile, *, voice: str = "all",
                              title: str = "Hedges and boosters per 1,000 words, with 95% intervals") -> plt.Figure:
    """Hedge and booster rates side by side per group, from the ``Profile`` that ``compare.profiles`` returns
    (``voice="author"`` for the writer's own words, scare quotes included)."""
    profile_long = profile.table
    suffix = "" if voice == "all" else f"_{voice}"
    wanted = {f"rate_hedges{suffix}": ("hedges", OKABE_ITO[0], "o"),
              f"rate_boosters{suffix}": ("boosters", OKABE_ITO[1], "s")}
    groups = sorted(profile_long["group"].unique())
    fig, ax = plt.subplots(figsize=(8, 0.55 * max(len(groups), 3) + 1.4), layout="constrained")
    y = np.arange(len(groups))
    for offset, (measure, (name, colour, marker)) in zip((-0.15, 0.15), wanted.items()):
        part = profile_long[profile_long["measure"] == measure].set_index("group").reindex(groups)
        if part["value"].isna().all():
            continue
        ax.errorbar(part["value"], y + offset,
                    xerr=[np.clip(part["value"] - part["low"], 0, None), np.clip(part["high"] - part["value"], 0, None)],
                    fmt=marker, color=colour, markeredgecolor="black", capsize=3, label=name)
    ax.set_yticks(y, [str(g)[:30] for g in groups])
    ax.invert_yaxis()
    ax.set_xlabel("per 1,000 words" + ("" if voice == "all" else f" ({voice}'s voice)"))
    ax.set_ylabel("group")
    ax.set_xlim(left=0)
    ax.legend(frameon=False, fontsize=9)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_title(title)
    shown = profile_long[profile_long["measure"].isin(list(wanted))]
    _says(fig, " ".join(f"{group}: " + ", ".join(f"{wanted[r.measure][0]} {r.value:.1f}"
                                                 for r in part.itertuples() if pd.notna(r.value)) + "."
                        for group, part in shown.groupby("group", sort=True)))
    return fig


def distinctive_words_chart(fightin_table: pd.DataFrame, *, n: int = 15,
                            title: str = "Words that set each group apart (weighted log-odds z-scores)") -> plt.Figure:
    """The ``n`` highest z-scores per group from ``compare.fightin_words``; lexicon terms are hatched bars
    with a diamond and a * after the word (not told by colour alone). |z| > 1.96 is marked by dashed lines."""
    groups = list(dict.fromkeys(fightin_table["group"]))
    fig, axes = plt.subplots(1, max(len(groups), 1), figsize=(4.2 * max(len(groups), 1) + 0.6, 0.3 * n + 1.8),
                             layout="constrained", squeeze=False)
    axes = axes[0]
    for index, (ax, group) in enumerate(zip(axes, groups)):
        part = fightin_table[fightin_table["group"] == group].sort_values("z", ascending=False).head(n)[::-1]
        y = np.arange(len(part))
        lexical = part["lexicon_term"].to_numpy(dtype=bool)
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        bars = ax.barh(y, part["z"], color=colour, edgecolor="black", linewidth=0.6)
        for bar, marked in zip(bars, lexical):
            if marked:
                bar.set_hatch("///")
                bar.set_facecolor("white")
                bar.set_edgecolor(colour)
        ax.plot(part["z"].to_numpy()[lexical], y[lexical], "D", color="black", markersize=5)
        ax.set_yticks(y, [f"{t}{' *' if m else ''}" for t, m in zip(part["term"], lexical)], fontsize=9)
        ax.axvline(1.96, color="#777777", linestyle="--", linewidth=0.8)
        ax.set_xlabel("z (above 1.96: clearly more than the rest)")
        against = part["against"].iloc[0] if len(part) and "against" in part else "rest"
        ax.set_title(f"{str(group)[:30]}\nvs {str(against)[:30]}", fontsize=10)
    axes[0].set_ylabel("term (* hatched, diamond = in a framing lexicon)")
    fig.suptitle(title)
    _says(fig, " ".join(f"{group}: " + ", ".join(
        f"{r.term} (z {r.z:+.1f})" for r in fightin_table[fightin_table["group"] == group]
        .sort_values("z", ascending=False).head(5).itertuples()) + "." for group in groups))
    return fig


def frame_mix_bars(frame_table: pd.DataFrame, *,
                   title: str = "Which frame dimensions the sentences touch") -> plt.Figure:
    """Stacked horizontal bars: each group's share of sentences per frame dimension (``compare.frame_mix``,
    long or already pivoted). Colours repeat after eight dimensions, so the second eight are hatched."""
    if {"group", "dimension", "share"} <= set(frame_table.columns):
        order = list(dict.fromkeys(frame_table["dimension"]))
        wide = frame_table.pivot(index="group", columns="dimension", values="share")[order]
    else:
        wide = frame_table
    position = {dimension: i for i, dimension in enumerate(wide.columns)}  # colours stay put across figures
    wide = wide.loc[:, (wide.fillna(0) > 0).any(axis=0)]
    fig, ax = plt.subplots(figsize=(10, 0.5 * max(len(wide), 3) + 2.2), layout="constrained")
    left = np.zeros(len(wide))
    y = np.arange(len(wide))
    for dimension in wide.columns:
        index = position[dimension]
        values = wide[dimension].fillna(0).to_numpy(dtype=float)
        none = dimension == "none"
        colour = "#DDDDDD" if none else OKABE_ITO[index % len(OKABE_ITO)]
        ax.barh(y, values, left=left, color=colour,
                hatch="" if none or index < len(OKABE_ITO) else "..", edgecolor="white" if index < 8 else "black",
                linewidth=0.5, label=str(dimension).replace("_", " "))
        for i, (start, width) in enumerate(zip(left, values)):
            if width >= 0.08:
                ax.text(start + width / 2, i, f"{width:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if colour in ("#000000", "#0072B2", "#D55E00") else "black")
        left += values
    ax.set_yticks(y, [str(g)[:30] for g in wide.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of sentences")
    ax.set_ylabel("group")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, fontsize=8, frameon=False)
    ax.set_title(title)
    framed = wide.drop(columns=[c for c in wide.columns if c == "none"])
    if len(framed.columns):
        _says(fig, " ".join(f"{group}: most sentences touch {str(row.idxmax()).replace('_', ' ')} "
                            f"({row.max():.0%})." for group, row in framed.fillna(0).iterrows()))
    return fig


HEATMAP_CELLS = 40  # rows (and columns) a similarity heatmap draws at most: past 40 labels are unreadable


def similarity_heatmap(similarity_df: pd.DataFrame, *, title: str | None = None) -> plt.Figure:
    """A similarity table as a heatmap, every cell annotated up to 30 rows: documents by documents
    (``compare.similarity``) or groups by groups (``compare.group_similarity``, as ``compare.similarity_overview``
    gives above 40 documents; ``attrs["level"]`` says which). The figure's size is bounded whatever the corpus:
    a table of more than ``HEATMAP_CELLS`` rows is refused (it once took 13.6 GB for 300 documents), so show its
    groups instead."""
    size = len(similarity_df)
    if size > HEATMAP_CELLS:
        raise ValueError(f"a similarity heatmap shows at most {HEATMAP_CELLS} rows, not {size}: use "
                         f"framing.compare.similarity_overview(analysis, group_by), which shows groups above that")
    groups = similarity_df.attrs.get("level") == "group"
    if title is None:
        title = ("How much text the documents of two groups share (mean TF-IDF cosine)" if groups else
                 "How much text the documents share (TF-IDF cosine)")
    side = min(0.45 * max(size, 4) + 3, 0.45 * HEATMAP_CELLS + 3)
    fig, ax = plt.subplots(figsize=(side + 1.5, side), layout="constrained")
    values = similarity_df.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="cividis", vmin=0, vmax=1)
    labels = [str(i) if len(str(i)) <= 24 else str(i)[:23] + "…" for i in similarity_df.index]
    # rotation_mode="anchor" keeps a rotated label's end at its tick, so constrained layout makes room for it
    ax.set_xticks(range(size), labels, rotation=45, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(size), labels, fontsize=8)
    if size <= 30:
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="black" if value > 0.6 else "white")
    fig.colorbar(image, ax=ax, label="cosine similarity (1 = same words)")
    name = str(similarity_df.index.name or "group") if groups else "document"
    ax.set_xlabel(name)
    ax.set_ylabel(name)
    ax.set_title(title)
    if size > 1:
        upper = np.where(np.triu(np.ones_like(values, dtype=bool), k=1), values, np.nan)
        i, j = np.unravel_index(np.nanargmax(upper), upper.shape)
        _says(fig, f"{size} documents; the most similar pair is {similarity_df.index[i]} and "
                   f"{similarity_df.columns[j]} ({values[i, j]:.2f}).")
    return fig


def trend_chart(result, *, title: str | None = None) -> plt.Figure:
    """A measure over time per group (``compare.trends``): the value of each period drawn with its 95% interval
    (a band), and below it the number of documents per period. Periods with too few documents are left out of
    the upper panel (their figure would be noise); their volume still shows below."""
    table = result.table
    groups = sorted(table["group"].unique())
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.6), sharex=True, layout="constrained",
                                      gridspec_kw={"height_ratios": [3, 1.3]})
    for i, group in enumerate(groups):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        rows = table[table["group"] == group].sort_values("start")
        drawn = rows[rows["plotted"]]
        if len(drawn):
            top.plot(drawn["start"], drawn["value"], marker=_MARKERS[i % len(_MARKERS)], color=colour,
                     label=str(group)[:28], markeredgecolor="black")
            top.fill_between(drawn["start"], drawn["low"].astype(float), drawn["high"].astype(float), color=colour,
                             alpha=0.18, linewidth=0)
        bottom.plot(rows["start"], rows["n_documents"], marker=".", color=colour, linestyle="-", label=str(group)[:28])
    if not table["plotted"].any():
        top.text(0.5, 0.5, f"no period has {result.min_documents} or more documents", ha="center", va="center",
                 transform=top.transAxes, color="#555555")
    top.set_ylabel(views.label(result.measure), fontsize=9)
    top.grid(color="#dddddd", linewidth=0.6)
    if top.get_legend_handles_labels()[0]:
        top.legend(fontsize=8, loc="best")
    bottom.axhline(result.min_documents, color="#777777", linewidth=0.8, linestyle="--")
    bottom.set_ylabel("documents", fontsize=9)
    bottom.set_xlabel(f"period start ({result.freq}); dashed: fewest documents drawn above")
    bottom.grid(color="#dddddd", linewidth=0.6)
    fig.suptitle(title or f"{views.term(result.measure).label} over time, with 95% intervals")
    return fig
