"""Figures: matplotlib functions that return a Figure (never ``show()``), for notebooks and reports.

Colours come from the Okabe-Ito palette and the cividis map, both readable with colour-vision deficiency;
every axis is labelled.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

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
        colours = np.where(y <= -0.05, NEGATIVE, np.where(y >= 0.05, POSITIVE, NEUTRAL))
        ax.bar(x, y, color=colours, width=0.8, label="sentence")
        rolling = pd.Series(y).rolling(window, min_periods=1, center=True).mean()
        ax.plot(x, rolling, color="#000000", linewidth=1.8, label=f"rolling mean ({window} sentences)")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("sentence")
    ax.set_ylabel("VADER compound (-1 to +1)")
    ax.set_title(title)
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
        labels = [f"{row.lexicon}: {row.category.replace('_', ' ')}" for row in table.itertuples()]
        ax.barh(labels, table["per_1000_words"], color=[colour[name] for name in table["lexicon"]])
    ax.set_xlabel("hits per 1,000 words")
    ax.set_title(title)
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


def target_sentiment(profile: pd.DataFrame, *, title: str = "Tone of the sentences that mention each target") -> plt.Figure:
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
    ax.set_ylabel("mean VADER compound")
    if names:
        ax.legend(fontsize=8, frameon=False)
    ax.set_title(title)
    return fig
