"""The teaching view: a document's own text with every framing device marked, as self-contained HTML.

``render_document`` marks, in the cleaned text of one document, every lexicon hit (loaded terms, scare
quotes, hedges, boosters, attribution, and any user lexicon) with its category and one-line explanation as
a tooltip (shown by CSS on hover and on keyboard focus: no script), sets quoted speech apart from the
author's voice, and tints every sentence by its VADER sentiment. ``render_page`` makes a whole page of one
document, or two side by side with their profiles; ``write_highlight`` analyses files and writes that page.

Markup is built from open/close events over sorted boundaries: spans that cross (a hit running over a
sentence end, two lexicons on overlapping words) are split, so tags never cross. Every piece of document
text, metadata and lexicon text goes through ``html.escape``.

Lesson helpers (``paragraphs``, ``paragraph_hits``, ``exercise``) keep the lesson notebook free of logic.
"""

from __future__ import annotations

import html
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from framing import segment, sentiment
from framing.errors import HighlightError
from framing.read import SIDECAR_NAME

# ---- styles -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How one kind of hit looks. Kinds differ in underline style and symbol, not only in colour."""
    kind: str          # "loaded", "scare_quote", "hedges", "boosters", "attribution", or "other"
    label: str
    css_class: str     # added to "hl"
    symbol: str        # shown before the marked words (CSS ::before)
    underline: str     # CSS text-decoration-style
    background: str
    colour: str        # text colour on ``background`` (WCAG AA: >= 4.5:1)
    description: str


STYLES: dict[str, Style] = {s.kind: s for s in (
    Style("loaded", "Loaded term", "hl-loaded", "!", "solid", "#f9d3da", "#5c0a1e",
          "a word that judges while it seems to describe"),
    Style("scare_quote", "Scare quote", "hl-loaded hl-scare", "\u201c", "dashed", "#efd9f5", "#4a1260",
          "words put in quotation marks by the writer, without a speaker, to keep a distance"),
    Style("hedges", "Hedge", "hl-hedges", "~", "wavy", "#fff0b3", "#4d3b00",
          "a word that makes a claim less certain"),
    Style("boosters", "Booster", "hl-boosters", "+", "double", "#d4f0d9", "#0f4a1f",
          "a word that makes a claim sound more certain"),
    Style("attribution", "Attribution", "hl-attribution", "\u00bb", "dotted", "#dde3f4", "#1f2d5c",
          "a verb or phrase that says who said something, and how"),
    Style("other", "Other lexicon", "hl-other", "*", "solid", "#e6e6e6", "#262626",
          "a hit of a lexicon you added"),
)}
KINDS = ("loaded", "scare_quote", "hedges", "boosters", "attribution")

PAGE_BACKGROUND, TEXT_COLOUR, MUTED_COLOUR = "#ffffff", "#1b1b1b", "#4f4f4f"
PANEL_BACKGROUND = "#f7f7f5"
TOOLTIP_BACKGROUND, TOOLTIP_COLOUR = "#1f1f1f", "#ffffff"
QUOTE_COLOUR, QUOTE_BORDER = "#233a6e", "#6b7a99"
FOCUS_COLOUR = "#1a56db"
TINTS = {"negative": "#fdebdc", "neutral": "#f3f3f1", "positive": "#e3eefb"}  # faint: orange, grey, blue


def style_for(lexicon: str, category: str) -> Style:
    if lexicon == "loaded" and category == "scare_quote":
        return STYLES["scare_quote"]
    return STYLES.get(lexicon, STYLES["other"])


def kind_of(lexicon: str, category: str) -> str:
    """The kind of a hit: its lexicon, except that scare quotes (loaded / scare_quote) are their own kind."""
    return "scare_quote" if (lexicon, category) == ("loaded", "scare_quote") else lexicon


tone = sentiment.polarity_class  # negative / neutral / positive by VADER's rule


def stylesheet() -> str:
    """The page's CSS, scoped under ``.framing-hl`` so it can sit inside a notebook without restyling it."""
    r = ".framing-hl"
    rules = [
        f"{r} {{ background-color: {PAGE_BACKGROUND}; color: {TEXT_COLOUR}; font-family: Georgia, 'DejaVu Serif', "
        f"serif; line-height: 1.75; padding: 1rem 1.25rem; max-width: 88rem; margin: 0 auto; }}",
        f"{r} h1, {r} h2, {r} h3 {{ font-family: system-ui, 'DejaVu Sans', sans-serif; line-height: 1.25; }}",
        f"{r} .note {{ color: {MUTED_COLOUR}; background-color: {PAGE_BACKGROUND}; font-size: 0.95em; }}",
        f"{r} .columns {{ display: grid; gap: 2rem; align-items: start; }}",
        f"{r} .columns-1 {{ grid-template-columns: minmax(0, 1fr); max-width: 50rem; }}",
        f"{r} .columns-2 {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}",
        f"@media (max-width: 50rem) {{ {r} .columns-2 {{ grid-template-columns: minmax(0, 1fr); }} }}",
        f"{r} .panel {{ background-color: {PANEL_BACKGROUND}; color: {TEXT_COLOUR}; border: 1px solid #c9c9c4; "
        f"border-radius: 6px; padding: 0.5rem 0.9rem; margin: 0 0 1rem; font-family: system-ui, 'DejaVu Sans', "
        f"sans-serif; font-size: 0.9rem; line-height: 1.45; }}",
        f"{r} .panel table {{ border-collapse: collapse; width: 100%; }}",
        f"{r} .panel th, {r} .panel td {{ text-align: left; vertical-align: top; padding: 0.15rem 0.5rem 0.15rem 0; }}",
        f"{r} .panel caption {{ text-align: left; color: {MUTED_COLOUR}; background-color: {PANEL_BACKGROUND}; }}",
        f"{r} .panel td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}",
        f"{r} .panel .cats {{ color: {MUTED_COLOUR}; background-color: {PANEL_BACKGROUND}; }}",
        f"{r} .doc-text p {{ margin: 0 0 0.8em; }}",
        # sentences: a faint tint for their tone
        *(f"{r} .s-{name[:3]} {{ background-color: {colour}; color: {TEXT_COLOUR}; }}"
          for name, colour in TINTS.items()),
        f"{r} .s {{ border-radius: 3px; box-decoration-break: clone; -webkit-box-decoration-break: clone; }}",
        # quoted speech: italic, with a rule at its left, in its own colour
        f"{r} .voice-quote {{ color: {QUOTE_COLOUR}; font-style: italic; border-left: 3px solid {QUOTE_BORDER}; "
        f"padding-left: 0.3em; box-decoration-break: clone; -webkit-box-decoration-break: clone; }}",
        # marks
        f"{r} mark.hl {{ position: relative; padding: 0 0.1em; border-radius: 2px; font-style: normal; "
        f"text-decoration-line: underline; text-decoration-thickness: 2px; text-underline-offset: 0.22em; "
        f"text-decoration-skip-ink: none; cursor: help; }}",
        f"{r} mark.hl::before {{ font-family: system-ui, 'DejaVu Sans', sans-serif; font-size: 0.75em; "
        f"font-weight: bold; vertical-align: super; margin-right: 0.1em; text-decoration: none; }}",
        f"{r} mark.hl-cont::before {{ content: none; }}",
        f"{r} mark.hl:focus {{ outline: 2px solid {FOCUS_COLOUR}; outline-offset: 1px; }}",
    ]
    for s in STYLES.values():
        selector = f"{r} mark." + ".".join(s.css_class.split())
        rules.append(f"{selector} {{ background-color: {s.background}; color: {s.colour}; "
                     f"text-decoration-style: {s.underline}; text-decoration-color: {s.colour}; }}")
        rules.append(f"{selector}::before {{ content: \"{s.symbol}\"; }}")
    rules += [
        # the tooltip: hidden until its mark is hovered or focused
        f"{r} .tip {{ display: none; position: absolute; left: 0; top: calc(100% + 0.35em); z-index: 10; "
        f"width: max-content; max-width: 22rem; background-color: {TOOLTIP_BACKGROUND}; color: {TOOLTIP_COLOUR}; "
        f"font: normal 0.85rem/1.4 system-ui, 'DejaVu Sans', sans-serif; padding: 0.4rem 0.6rem; "
        f"border-radius: 4px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.3); white-space: normal; text-align: left; }}",
        f"{r} mark.hl mark.hl > .tip {{ top: auto; bottom: calc(100% + 0.35em); }}",
        f"{r} mark.hl:hover > .tip, {r} mark.hl:focus > .tip {{ display: block; }}",
        f"{r} .tip b {{ font-weight: 700; }}",
        f"{r} .swatch {{ white-space: nowrap; }}",
    ]
    return "\n".join(rules)


# ---- paragraphs and spans ---------------------------------------------------------------------------------

_LINE = re.compile(r"[^\n]+")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph: each non-blank line (as the quote finder reads them), trimmed."""
    spans = []
    for match in _LINE.finditer(text):
        chunk = match.group()
        if not chunk.strip():
            continue
        start = match.start() + len(chunk) - len(chunk.lstrip())
        end = match.end() - (len(chunk) - len(chunk.rstrip()))
        spans.append((start, end))
    return spans


@dataclass
class _Span:
    start: int
    end: int
    level: int        # 0 paragraph, 1 sentence, 2 quote, 3 hit: outer levels open first
    order: tuple      # ties within a level
    tag: str
    attrs: dict
    tip: str = ""     # tooltip HTML, written inside the last piece of a hit
    tip_id: str = ""



def _text_of(analysis, doc_id: str) -> str:
    known = analysis.documents["doc_id"].astype(str).tolist() if len(analysis.documents) else []
    if doc_id not in known:
        hint = f"; known ids start {known[:5]}" if known else "; the analysis holds no documents"
        raise HighlightError(f"no document with id {doc_id!r}{hint}")
    if doc_id not in analysis.texts:
        raise HighlightError(f"the analysis has no text for {doc_id!r} (tables written without texts.jsonl?)")
    return analysis.texts[doc_id]


def _doc_hits(analysis, doc_id: str, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    hits = analysis.hits[analysis.hits["doc_id"].astype(str) == doc_id]
    if kinds is not None:
        wanted = set(kinds)
        mask = [kind_of(l, c) in wanted for l, c in zip(hits["lexicon"], hits["category"])]
        hits = hits.loc[pd.Series(mask, index=hits.index, dtype=bool)]
    return hits


def _id_part(doc_id: str) -> str:
    return _NOT_ID.sub("-", doc_id) or "doc"


def _tip_text(lexicon: str, category: str, explanation: str, voice: str) -> tuple[str, str]:
    """The tooltip as HTML and as plain text (for ``title``)."""
    style = style_for(lexicon, category)
    head = f"{style.label}: {category.replace('_', ' ')}"
    if style.kind == "scare_quote":
        head = style.label
    elif style.kind == "other":
        head = f"{lexicon}: {category.replace('_', ' ')}"
    where = {"quote": " (inside quoted speech)", "scare_quote": " (inside a scare quote)"}.get(voice, "")
    plain = f"{head}{where}. {explanation}".strip()
    markup = f"<b>{html.escape(head)}</b>{html.escape(where)}<br>{html.escape(str(explanation))}"
    return markup, plain


def _spans(analysis, doc_id: str, text: str, start: int, end: int, kinds, id_prefix: str) -> list[_Span]:
    spans: list[_Span] = []
    number = 0
    for p_start, p_end in paragraphs(text):
        number += 1
        if p_end > start and p_start < end:
            spans.append(_Span(max(p_start, start), min(p_end, end), 0, (p_start,), "p",
                               {"data-paragraph": str(number)}))
    sentences = analysis.sentences[analysis.sentences["doc_id"].astype(str) == doc_id]
    for row in sentences.itertuples():
        label = tone(row.sentiment)
        spans.append(_Span(int(row.start), int(row.end), 1, (int(row.start),), "span",
                           {"class": f"s s-{label[:3]}", "data-sentence": str(int(row.sentence_no)),
                            "data-sentiment": f"{float(row.sentiment):+.3f}"}))
    for quote in segment.find_quotes(text):
        if quote.kind != "scare":
            spans.append(_Span(quote.start, quote.end, 2, (quote.start,), "span",
                               {"class": "voice-quote", "data-quote": quote.kind}))
    hits = _doc_hits(analysis, doc_id, kinds)
    rank = {name: i for i, name in enumerate(("attribution", "loaded", "boosters", "hedges"))}
    for index, row in enumerate(hits.itertuples()):
        style = style_for(row.lexicon, row.category)
        tip_html, tip_plain = _tip_text(row.lexicon, row.category, row.explanation, row.voice)
        tip_id = f"{id_prefix}-tip-{index}"
        spans.append(_Span(int(row.start), int(row.end), 3,
                           # longer hits outside shorter ones; then a fixed lexicon order
                           (-(int(row.end) - int(row.start)), rank.get(row.lexicon, 9), row.lexicon, row.category),
                           "mark", {"class": f"hl {style.css_class}", "tabindex": "0",
                                    "data-lexicon": row.lexicon, "data-category": row.category,
                                    "data-voice": row.voice, "title": tip_plain, "aria-describedby": tip_id},
                           tip=tip_html, tip_id=tip_id))
    # keep everything inside its paragraph: a span running over a line break is cut at each paragraph
    bounds = [(s.start, s.end) for s in spans if s.level == 0]
    clipped = [s for s in spans if s.level == 0]
    for span in spans:
        if span.level == 0:
            continue
        for p_start, p_end in bounds:
            lo, hi = max(span.start, p_start), min(span.end, p_end)
            if lo < hi:
                clipped.append(_Span(lo, hi, span.level, span.order, span.tag, span.attrs,
                                     span.tip if hi == span.end else "", span.tip_id))
    return clipped


def _open(span: _Span, continued: bool) -> str:
    attrs = dict(span.attrs)
    if continued and span.tag == "mark":
        attrs["class"] += " hl-cont"
    parts = "".join(f' {name}="{html.escape(str(value), quote=True)}"' for name, value in attrs.items())
    return f"<{span.tag}{parts}>"


def _close(span: _Span, at: int) -> str:
    tip = ""
    if span.tag == "mark" and at == span.end and span.tip:
        tip = f'<span class="tip" role="tooltip" id="{html.escape(span.tip_id, quote=True)}">{span.tip}</span>'
    return f"{tip}</{span.tag}>"


def _markup(text: str, spans: list[_Span]) -> str:
    """Properly nested HTML from possibly crossing spans: at every boundary, close the open spans that are
    no longer (or no longer in the right order) active and open the ones that are, outer levels first."""
    spans = [s for s in spans if s.start < s.end]
    points = sorted({p for s in spans for p in (s.start, s.end)})
    starting: dict[int, list[_Span]] = {}
    for span in spans:
        starting.setdefault(span.start, []).append(span)
    key = lambda s: (s.level, s.order, s.start, -s.end)  # noqa: E731
    out: list[str] = []
    stack: list[_Span] = []
    live: list[_Span] = []
    opened_before: set[int] = set()
    for here, there in zip(points, points[1:]):
        live = [s for s in live if s.end > here] + starting.get(here, [])
        active = sorted(live, key=key)
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        for span in reversed(stack[keep:]):
            out.append(_close(span, here))
        for span in active[keep:]:
            out.append(_open(span, continued=id(span) in opened_before))
            opened_before.add(id(span))
        stack = active
        piece = text[here:there]
        if stack or piece.strip():
            out.append(html.escape(piece))
    for span in reversed(stack):
        out.append(_close(span, points[-1]))
    return "".join(out)


# ---- legend, profile, document ---------------------------------------------------------------------------

def hit_counts(analysis, doc_id: str) -> pd.DataFrame:
    """kind, lexicon, category, count: this document's hits per category, kinds in legend order."""
    hits = _doc_hits(analysis, doc_id)
    if hits.empty:
        return pd.DataFrame(columns=["kind", "lexicon", "category", "count"])
    table = hits.groupby(["lexicon", "category"]).size().reset_index(name="count")
    table.insert(0, "kind", [kind_of(l, c) for l, c in zip(table["lexicon"], table["category"])])
    order = {kind: i for i, kind in enumerate(KINDS)}
    table["_order"] = table["kind"].map(order).fillna(len(order))
    table = table.sort_values(["_order", "kind", "count", "category"], ascending=[True, True, False, True])
    return table.drop(columns="_order").reset_index(drop=True)


def _swatch(style: Style, label: str) -> str:
    return (f'<mark class="hl {style.css_class} swatch" aria-hidden="true">{html.escape(label)}</mark>')


def legend(analysis, doc_id: str, kinds: Iterable[str] | None = None) -> str:
    """The key: every kind of mark with its look, its count in this document and its categories."""
    counts = hit_counts(analysis, doc_id)
    if kinds is not None:
        counts = counts[counts["kind"].isin(set(kinds))]
    shown = [k for k in KINDS if kinds is None or k in set(kinds)]
    shown += sorted(set(counts["kind"]) - set(shown))
    rows = []
    for kind in shown:
        own = counts[counts["kind"] == kind]
        style = STYLES.get(kind, STYLES["other"])
        label = style.label if kind in STYLES else kind
        categories = ", ".join(f"{c.replace('_', ' ')} {n}" for c, n in zip(own["category"], own["count"])
                               if kind != "scare_quote")
        detail = f'<br><span class="cats">{html.escape(categories)}</span>' if categories else ""
        rows.append(f'<tr data-kind="{html.escape(kind, quote=True)}"><td>{_swatch(style, label)}</td>'
                    f'<td class="num">{int(own["count"].sum())}</td>'
                    f'<td>{html.escape(style.description)}{detail}</td></tr>')
    tints = " ".join(f'<span class="s s-{name[:3]}">&nbsp;{name}&nbsp;</span>' for name in TINTS)
    return (f'<div class="panel legend"><table><caption>'
            f'Marks in this document (hover or focus a mark, e.g. with Tab, for its explanation)</caption>'
            f'<thead><tr><th scope="col">mark</th><th scope="col">count</th><th scope="col">what it is</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p style="margin:0.4rem 0 0">Sentence tone (VADER, &plusmn;0.05): {tints} &middot; '
            f'<span class="voice-quote">quoted speech</span> &middot; plain text: the author&rsquo;s voice</p></div>')


def profile(analysis, doc_id: str) -> dict:
    """outlet, title, words, mean sentiment and rates per 1,000 words of the four lexicons."""
    row = analysis.documents.set_index(analysis.documents["doc_id"].astype(str)).loc[doc_id]
    value = lambda name: row[name] if name in row.index else float("nan")  # noqa: E731
    return {"doc_id": doc_id, "outlet": str(value("outlet") or ""), "title": str(value("title") or ""),
            "words": int(value("n_words")), "sentiment_mean": float(value("sentiment_mean")),
            **{f"{name}_per_1000": float(value(f"rate_{name}"))
               for name in ("loaded", "hedges", "boosters", "attribution")}}


def profile_table(analysis, doc_ids: list[str]) -> pd.DataFrame:
    """The profiles of some documents, one column each (for a notebook)."""
    return pd.DataFrame({doc_id: profile(analysis, doc_id) for doc_id in doc_ids}).drop(index="doc_id")


def _number(x: float, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def profile_html(analysis, doc_id: str) -> str:
    p = profile(analysis, doc_id)
    cells = [("Outlet", html.escape(p["outlet"] or "(unknown)")), ("Title", html.escape(p["title"] or "(none)")),
             ("Document", html.escape(doc_id)), ("Words", f'{p["words"]:,}'),
             ("Mean sentiment", f'{_number(p["sentiment_mean"], 3)} ({tone(p["sentiment_mean"])})')]
    rates = " &middot; ".join(f'{name} {_number(p[f"{name}_per_1000"])}'
                              for name in ("loaded", "hedges", "boosters", "attribution"))
    cells.append(("Per 1,000 words", rates))
    body = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in cells)
    return f'<div class="panel profile"><table>{body}</table></div>'


def render_document(analysis, doc_id: str, *, kinds: Iterable[str] | None = None, id_prefix: str | None = None,
                    with_legend: bool = True) -> str:
    """One document's cleaned text as an HTML ``<section>``: marks with tooltips, quotes, tinted sentences.

    ``kinds`` limits the marks to some kinds (``KINDS``: loaded, scare_quote, hedges, boosters, attribution,
    or a user lexicon's name); ``id_prefix`` keeps tooltip ids unique when a page shows a document twice.
    """
    text = _text_of(analysis, doc_id)
    prefix = id_prefix or f"d-{_id_part(doc_id)}"
    body = _markup(text, _spans(analysis, doc_id, text, 0, len(text), kinds, prefix))
    head = legend(analysis, doc_id, kinds) if with_legend else ""
    return (f'<section class="framing-doc" data-doc-id="{html.escape(doc_id, quote=True)}" '
            f'aria-label="Highlighted text of {html.escape(doc_id, quote=True)}">{head}'
            f'<div class="doc-text">{body}</div></section>')


def render_fragment(analysis, doc_id: str, *, kinds: Iterable[str] | None = None) -> str:
    """One document highlighted with its legend and stylesheet: a fragment to show inside a notebook/report."""
    return f'<style>{stylesheet()}</style><div class="framing-hl">{render_document(analysis, doc_id, kinds=kinds)}</div>'


def render_paragraph(analysis, doc_id: str, paragraph_no: int, *, kinds: Iterable[str] | None = None,
                     id_prefix: str | None = None) -> str:
    """One paragraph (1-based, as ``paragraphs``) highlighted, with the stylesheet: a notebook fragment."""
    text = _text_of(analysis, doc_id)
    spans = paragraphs(text)
    if not 1 <= paragraph_no <= len(spans):
        raise HighlightError(f"{doc_id} has paragraphs 1 to {len(spans)}, not {paragraph_no}")
    start, end = spans[paragraph_no - 1]
    prefix = id_prefix or f"p{paragraph_no}-{_id_part(doc_id)}"
    body = _markup(text, _spans(analysis, doc_id, text, start, end, kinds, prefix))
    return f'<style>{stylesheet()}</style><div class="framing-hl"><div class="doc-text">{body}</div></div>'


def render_page(analysis, doc_ids: list[str], *, title: str | None = None) -> str:
    """A whole self-contained HTML page (inline CSS, no script, nothing fetched): one document, or two side
    by side, each with its profile, legend and highlighted text."""
    if isinstance(doc_ids, str):
        doc_ids = [doc_ids]
    doc_ids = [str(d) for d in doc_ids]
    if not 1 <= len(doc_ids) <= 2:
        raise HighlightError(f"a highlight page shows one or two documents, not {len(doc_ids)}")
    for doc_id in doc_ids:
        _text_of(analysis, doc_id)
    if title is None:
        names = [profile(analysis, d)["title"] or d for d in doc_ids]
        title = "Framing highlights: " + " vs ".join(names)
    columns = []
    for n, doc_id in enumerate(doc_ids, start=1):
        p = profile(analysis, doc_id)
        heading = html.escape(p["outlet"] or doc_id)
        columns.append(f'<article class="doc-column" aria-label="{heading}"><h2>{heading}</h2>'
                       f'{profile_html(analysis, doc_id)}'
                       f'{render_document(analysis, doc_id, id_prefix=f"c{n}-{_id_part(doc_id)}")}</article>')
    return ("<!doctype html>\n"
            f'<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>\n{stylesheet()}\n</style></head>\n"
            f'<body style="margin:0;background-color:{PAGE_BACKGROUND}"><div class="framing-hl"><h1>{html.escape(title)}</h1>'
            f'<p class="note">Each marked word or phrase was found by a framing lexicon: hover over it, or move '
            f'to it with the Tab key, to read what it is and why it matters. Tints show each sentence&rsquo;s '
            f'tone; quoted speech is set in italics with a rule at its left.</p>'
            f'<div class="columns columns-{len(doc_ids)}">{"".join(columns)}</div></div></body></html>\n')


# ---- files -----------------------------------------------------------------------------------------------

def write_highlight(paths: list, out, *, lexicons=(), targets=None, metadata=None) -> Path:
    """Analyse one or two files and write their highlight page to ``out`` (a file, or a folder to write
    ``<doc_id>.html`` / ``<doc1>_vs_<doc2>.html`` into). Returns the path written.

    ``metadata`` is a sidecar CSV; by default the ``metadata.csv`` beside the files (when they share a
    folder) fills in outlet and title, as it does when their folder is analysed."""
    from framing.run import analyze

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [str(p) for p in paths]
    if not 1 <= len(paths) <= 2:
        raise HighlightError(f"highlight takes one file, or two to compare side by side; got {len(paths)}")
    for path in paths:
        if Path(path).is_dir():
            raise HighlightError(f"{path}: is a directory; highlight takes one or two files")
        if not Path(path).exists() and not any(ch in path for ch in "*?["):
            raise HighlightError(f"{path}: no such file")
    if metadata is None:
        folders = {Path(p).resolve().parent for p in paths}
        sidecar = next(iter(folders)) / SIDECAR_NAME
        metadata = sidecar if len(folders) == 1 and sidecar.is_file() else None
    analysis = analyze(paths, lexicons=lexicons, targets=targets, metadata=metadata)
    if len(analysis.errors):
        reasons = "; ".join(f"{e.source}: {e.reason}" for e in analysis.errors.itertuples())
        raise HighlightError(f"cannot read {reasons}")
    doc_ids = analysis.documents["doc_id"].astype(str).tolist()
    if not doc_ids:
        raise HighlightError(f"no document in {', '.join(paths)}")
    if len(doc_ids) > 2:
        raise HighlightError(f"{', '.join(paths)} hold {len(doc_ids)} documents; highlight shows one or two")
    out = Path(out)
    if out.is_dir():
        out = out / ("_vs_".join(_id_part(d) for d in doc_ids) + ".html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(analysis, doc_ids), encoding="utf-8")
    return out


# ---- lesson helpers --------------------------------------------------------------------------------------

def paragraph_text(analysis, doc_id: str, paragraph_no: int) -> str:
    text = _text_of(analysis, doc_id)
    spans = paragraphs(text)
    if not 1 <= paragraph_no <= len(spans):
        raise HighlightError(f"{doc_id} has paragraphs 1 to {len(spans)}, not {paragraph_no}")
    start, end = spans[paragraph_no - 1]
    return text[start:end]


def paragraph_hits(analysis, doc_id: str, paragraph_no: int, lexicon: str | None = None) -> pd.DataFrame:
    """The hits in one paragraph (1-based): matched, category, explanation, voice. ``lexicon`` is a kind
    (loaded words, scare_quote, hedges, boosters, attribution, or a user lexicon's name) or None for all."""
    text = _text_of(analysis, doc_id)
    spans = paragraphs(text)
    if not 1 <= paragraph_no <= len(spans):
        raise HighlightError(f"{doc_id} has paragraphs 1 to {len(spans)}, not {paragraph_no}")
    start, end = spans[paragraph_no - 1]
    hits = _doc_hits(analysis, doc_id, None if lexicon is None else [lexicon])
    hits = hits[(hits["start"] >= start) & (hits["end"] <= end)]
    return hits[["matched", "lexicon", "category", "voice", "explanation"]].reset_index(drop=True)


def busiest_paragraph(analysis, doc_id: str, lexicon: str) -> int:
    """The paragraph with the most hits of one kind (the first of equals); 0 when the document has none."""
    text = _text_of(analysis, doc_id)
    hits = _doc_hits(analysis, doc_id, [lexicon])
    best, best_count = 0, 0
    for number, (start, end) in enumerate(paragraphs(text), start=1):
        count = int(((hits["start"] >= start) & (hits["end"] <= end)).sum())
        if count > best_count:
            best, best_count = number, count
    return best


QUESTIONS = {
    "loaded": "Which words in this paragraph are **loaded** — do they judge while they seem to describe?",
    "scare_quote": "Which words in this paragraph has the writer put in **scare quotes** — quotation marks with "
                   "nobody named as the speaker?",
    "hedges": "Which words in this paragraph are **hedges** — do they make a claim less certain?",
    "boosters": "Which words in this paragraph are **boosters** — do they make a claim sound more certain?",
    "attribution": "Which words in this paragraph **attribute** — say who said something, and how?",
}


@dataclass
class Exercise:
    kind: str
    paragraph_no: int      # 0 when the document has no hit of this kind
    text: str              # the paragraph, plain (print it: it is document text)
    question: str          # Markdown, no document text in it
    answer: pd.DataFrame   # the hits of this kind in the paragraph
    answer_html: str       # the paragraph with only this kind marked, and the stylesheet


def exercise(analysis, doc_id: str, kind: str) -> Exercise:
    """A question on the paragraph of ``doc_id`` richest in ``kind``, and its answer computed by framing."""
    if kind not in QUESTIONS and kind not in STYLES:
        raise HighlightError(f"no exercise for {kind!r} (known: {', '.join(QUESTIONS)})")
    number = busiest_paragraph(analysis, doc_id, kind)
    label = STYLES.get(kind, STYLES["other"]).label.lower()
    if not number:
        question = (f"This document has no {label}s that framing finds. Read its first paragraph: could the "
                    f"writer have used one? Where, and what would it change?")
        empty = pd.DataFrame(columns=["matched", "lexicon", "category", "voice", "explanation"])
        first = 1 if paragraphs(_text_of(analysis, doc_id)) else 0
        return Exercise(kind, 0, paragraph_text(analysis, doc_id, first) if first else "", question, empty,
                        f'<p class="note">framing finds no {html.escape(label)} in {html.escape(doc_id)}.</p>')
    question = (f"{QUESTIONS.get(kind, 'Which words in this paragraph are marked?')} (Paragraph {number} of the "
                f"document, printed below.) Write your answer, then run the next cell.")
    answer = paragraph_hits(analysis, doc_id, number, kind)
    items = "".join(f"<li><b>{html.escape(str(r.matched))}</b> — {html.escape(str(r.category).replace('_', ' '))}: "
                    f"{html.escape(str(r.explanation))}</li>" for r in answer.itertuples())
    answer_html = (render_paragraph(analysis, doc_id, number, kinds=[kind], id_prefix=f"ex-{kind}")
                   + f'<div class="framing-hl"><p>framing finds {len(answer)}:</p><ul>{items}</ul></div>')
    return Exercise(kind, number, paragraph_text(analysis, doc_id, number), question, answer, answer_html)
