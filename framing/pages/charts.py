"""Small figures drawn as inline SVG, for pages made by the thousand (a document page of a large report):
matplotlib takes about 0.1 s a figure, a page's two figures 2,000 s of CPU for 10,000 documents; these take
well under a millisecond. Inline SVG is markup, so pages stay self-contained under a Content-Security-Policy
that allows no script and no fetched image. Every figure has a role="img" and a label saying what it shows;
every piece of text in it is escaped. Colours are the Okabe-Ito ones of ``framing.plots``.
"""

from __future__ import annotations

import html

import pandas as pd

from framing import views

NEGATIVE, POSITIVE, NEUTRAL, INK = "#D55E00", "#0072B2", "#767676", "#1b1b1b"
WIDTH = 640


def _svg(width: int, height: int, label: str, body: str) -> str:
    label = html.escape(label, quote=True)
    return (f'<svg class="framing-chart" role="img" aria-label="{label}" viewBox="0 0 {width} {height}" '
            f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
            f'{body}</svg>')


def sentiment_arc(sentences: pd.DataFrame, *, label: str) -> str:
    """One bar per sentence, its VADER compound (-1 to +1) above or below the middle line: orange negative,
    blue positive, grey neutral (within 0.05 of zero). ``sentences`` has ``sentence_no`` and ``sentiment``."""
    if sentences.empty:
        return ""
    values = pd.to_numeric(sentences["sentiment"], errors="coerce").fillna(0.0).clip(-1, 1).tolist()
    n = len(values)
    left, top, plot_h = 44, 10, 120
    plot_w = WIDTH - left - 10
    step = plot_w / n
    bar = max(step * 0.8, 0.5)
    middle = top + plot_h / 2
    bars = []
    for i, value in enumerate(values):
        colour = NEGATIVE if value < -0.05 else POSITIVE if value > 0.05 else NEUTRAL
        height = abs(value) * plot_h / 2
        y = middle - height if value > 0 else middle
        bars.append(f'<rect x="{left + i * step:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(height, 0.8):.1f}" '
                    f'fill="{colour}"/>')
    axis = (f'<line x1="{left}" y1="{middle}" x2="{left + plot_w}" y2="{middle}" stroke="{INK}" stroke-width="0.6"/>'
            f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" font-size="11" fill="{INK}">+1</text>'
            f'<text x="{left - 6}" y="{middle + 4}" text-anchor="end" font-size="11" fill="{INK}">0</text>'
            f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="{INK}">−1</text>'
            f'<text x="{left + plot_w / 2}" y="{top + plot_h + 22}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">sentence 1 to {n} (VADER compound: blue positive, orange negative)</text>')
    return _svg(WIDTH, top + plot_h + 30, label, "".join(bars) + axis)


def category_bars(categories: pd.DataFrame, *, label: str, top: int = 12) -> str:
    """Horizontal bars: hits per 1,000 words of the ``top`` most frequent categories (``lexicon``,
    ``category``, ``per_1000_words`` as ``framing.views.category_counts`` gives them)."""
    if categories.empty:
        return ""
    shown = categories.sort_values("per_1000_words", ascending=False, kind="stable").head(top)
    longest = float(shown["per_1000_words"].max()) or 1.0
    left, row_h = 250, 22
    plot_w = WIDTH - left - 60
    rows = []
    for i, item in enumerate(shown.itertuples(index=False)):
        y = 8 + i * row_h
        name = html.escape(f"{item.lexicon}: {str(item.category).replace('_', ' ')}")
        width = float(item.per_1000_words) / longest * plot_w
        rows.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" font-size="12" fill="{INK}">{name}</text>'
                    f'<rect x="{left}" y="{y + 3}" width="{max(width, 1):.1f}" height="{row_h - 7}" fill="{POSITIVE}"/>'
                    f'<text x="{left + width + 5:.1f}" y="{y + 14}" font-size="12" fill="{INK}">'
                    f'{float(item.per_1000_words):.1f}</text>')
    height = 8 + len(shown) * row_h + 24
    axis = (f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle" font-size="11" fill="{INK}">'
            f'hits per 1,000 words</text>')
    return _svg(WIDTH, height, label, "".join(rows) + axis)


def interval_panels(table: pd.DataFrame, *, label: str, titles: dict | None = None) -> str:
    """One panel per measure, one row per group: the value as a dot and its interval as a line (``table``:
    group, measure, value, low, high, as ``framing.views.headline_by_group`` gives it). Each panel has its
    own scale, which starts at zero for a rate or share, so a longer bar is a bigger value."""
    if table.empty:
        return ""
    measures = list(dict.fromkeys(table["measure"]))
    groups = list(dict.fromkeys(table["group"]))
    titles = titles or {}
    label_w, panel_w, gap, row_h, head = 190, 230, 30, 22, 40
    columns = min(len(measures), 3)
    panels = []
    for k, measure in enumerate(measures):
        own = table[table["measure"] == measure].set_index("group")
        values = pd.concat([own["value"], own["low"], own["high"]]).astype(float)
        values = values[values.notna()]
        lo = min(0.0, float(values.min())) if len(values) else 0.0
        hi = max(float(values.max()), 0.0) if len(values) else 1.0
        if hi == lo:
            hi = lo + 1.0
        x0 = label_w + (k % columns) * (panel_w + gap)
        y0 = (k // columns) * (head + len(groups) * row_h + 30)

        def x(v, x0=x0, lo=lo, hi=hi):
            return x0 + (float(v) - lo) / (hi - lo) * panel_w

        # a measure without a short title of its own (a coder's share) gets the glossary's label
        title = html.escape(titles.get(measure) or views.label(measure, unit=False))
        parts = [f'<text x="{x0}" y="{y0 + 16}" font-size="12" font-weight="bold" fill="{INK}">{title}</text>',
                 f'<line x1="{x(lo):.1f}" y1="{y0 + head - 6}" x2="{x(lo):.1f}" '
                 f'y2="{y0 + head + len(groups) * row_h}" stroke="{NEUTRAL}" stroke-width="0.6"/>']
        if lo < 0 < hi:
            parts.append(f'<line x1="{x(0):.1f}" y1="{y0 + head - 6}" x2="{x(0):.1f}" '
                         f'y2="{y0 + head + len(groups) * row_h}" stroke="{INK}" stroke-width="0.8"/>')
        for i, group in enumerate(groups):
            cy = y0 + head + i * row_h + row_h / 2
            if k % columns == 0:
                name = str(group) if len(str(group)) <= 28 else str(group)[:27] + "…"
                parts.append(f'<text x="{label_w - 8}" y="{cy + 4}" text-anchor="end" font-size="12" fill="{INK}">'
                             f'{html.escape(name)}</text>')
            if group not in own.index or pd.isna(own.at[group, "value"]):
                continue
            row = own.loc[group]
            if pd.notna(row["low"]) and pd.notna(row["high"]):
                parts.append(f'<line x1="{x(row["low"]):.1f}" y1="{cy}" x2="{x(row["high"]):.1f}" y2="{cy}" '
                             f'stroke="{POSITIVE}" stroke-width="2"/>')
            parts.append(f'<circle cx="{x(row["value"]):.1f}" cy="{cy}" r="4" fill="{INK}"/>')
        parts.append(f'<text x="{x(lo):.1f}" y="{y0 + head + len(groups) * row_h + 14}" font-size="10" '
                     f'fill="{INK}">{lo:.2g}</text><text x="{x(hi):.1f}" y="{y0 + head + len(groups) * row_h + 14}"'
                     f' font-size="10" text-anchor="end" fill="{INK}">{hi:.2g}</text>')
        panels.append("".join(parts))
    rows = (len(measures) + columns - 1) // columns
    width = label_w + columns * (panel_w + gap)
    height = rows * (head + len(groups) * row_h + 30)
    return _svg(width, height, label, "".join(panels))
