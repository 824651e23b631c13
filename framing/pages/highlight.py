"""The teaching view: a document's own text with every framing device marked, as self-contained HTML.

``render_document`` marks, in the cleaned text of one document, every lexicon hit (loaded terms, scare
quotes, hedges, boosters, attribution, and any user lexicon) with its category and one-line explanation as
a tooltip (shown by CSS on hover and on keyboard focus: no script), sets quoted speech apart from the
author's voice, and tints every sentence by its VADER sentiment. ``render_page`` makes a whole page of one
document, or two side by side with their profiles (the numbers of ``framing.views.document_profile``).
The look (styles, stylesheet, page shell) is ``framing.pages.theme``; writing a page from files, which runs
an analysis, is ``framing.report.write_highlight``.

Markup is built from open/close events over sorted boundaries: spans that cross (a hit running over a
sentence end, two lexicons on overlapping words) are split, so tags never cross. Every piece of document
text, metadata and lexicon text goes through ``html.escape``.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from framing import sentiment, views, voice
from framing.errors import HighlightError
from framing.pages.theme import DEFAULT_HIDDEN, KINDS, STYLES, TINTS, Style, stylesheet

def style_for(lexicon: str, category: str) -> Style:
    if lexicon == "loaded" and category == "scare_quote":
        return STYLES["scare_quote"]
    return STYLES.get(lexicon, STYLES["other"])


def kind_of(lexicon: str, category: str) -> str:
    """The kind of a hit: its lexicon, except that scare quotes (loaded / scare_quote) are their own kind."""
    return "scare_quote" if (lexicon, category) == ("loaded", "scare_quote") else lexicon


tone = sentiment.polarity_class  # negative / neutral / positive by VADER's rule


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


def paragraph_span(text: str, doc_id: str, paragraph_no: int) -> tuple[int, int]:
    """(start, end) of one paragraph, 1-based as ``paragraphs`` counts them; a clear error out of range."""
    spans = paragraphs(text)
    if not 1 <= paragraph_no <= len(spans):
        raise HighlightError(f"{doc_id} has paragraphs 1 to {len(spans)}, not {paragraph_no}")
    return spans[paragraph_no - 1]


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


def document_text(analysis, doc_id: str) -> str:
    """The cleaned text of one document (hit and sentence offsets point into it); a clear error otherwise."""
    known = analysis.documents["doc_id"].astype(str).tolist() if len(analysis.documents) else []
    if doc_id not in known:
        hint = f"; known ids start {known[:5]}" if known else "; the analysis holds no documents"
        raise HighlightError(f"no document with id {doc_id!r}{hint}")
    if doc_id not in analysis.texts:
        raise HighlightError(f"the analysis has no text for {doc_id!r} (tables written without texts.jsonl?)")
    return analysis.texts[doc_id]


# stands, in a list of kinds, for every kind not in KINDS (users' lexicons), which pages mark by default
OTHER_KINDS = "(other lexicons)"


def shown_kinds(kinds: Iterable[str] | None = None, *, evaluative: bool = False) -> list[str] | None:
    """The kinds a page marks: ``kinds`` when given; else every kind (user lexicons included, None) except
    evaluative words, which are reported apart and marked only with ``evaluative=True``."""
    if kinds is not None:
        return list(kinds)
    if evaluative:
        return None
    return [kind for kind in KINDS if kind not in DEFAULT_HIDDEN] + [OTHER_KINDS]


def _wanted(kind: str, kinds) -> bool:
    if kinds is None:
        return True
    wanted = set(kinds)
    return kind in wanted or (OTHER_KINDS in wanted and kind not in KINDS)


def document_hits(analysis, doc_id: str, kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """One document's hits, of some kinds (see ``kind_of``; ``shown_kinds`` gives a page's) or of all."""
    hits = analysis.hits[analysis.hits["doc_id"].astype(str) == doc_id]
    if kinds is not None:
        kinds = list(kinds)
        mask = [_wanted(kind_of(l, c), kinds) for l, c in zip(hits["lexicon"], hits["category"])]
        hits = hits.loc[pd.Series(mask, index=hits.index, dtype=bool)]
    return hits


def id_part(doc_id: str) -> str:
    """A document id made safe for an HTML id or a file name."""
    return _NOT_ID.sub("-", doc_id) or "doc"


# Whose choice a word is, by the voice it stands in (measure.HIT_VOICES): inside quotation marks given to someone
# it is the speaker's word, anywhere else the writer's (scare quotes and reported speech are the writer's wording).
# The lexicons' explanations never say whose (a test checks), so the page says it here.
WHOSE = {"quote": "In a quote — the speaker’s word", "partial": "In a quote — the speaker’s word",
         "indirect": "In reported speech — the writer’s word for what was said",
         "scare_quote": "In the writer’s scare quotes — the writer’s choice",
         "author": "In the writer’s own words — the writer’s choice"}


def _plain_text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def _tip_text(lexicon: str, category: str, explanation: str, voice_name: str, not_when: str = ""
              ) -> tuple[str, str]:
    """The tooltip as HTML and as plain text (for ``title``): what the mark is, whose word it is, why it is
    marked, and the sense in which the word would not count ("Not when: ...")."""
    style = style_for(lexicon, category)
    head = f"{style.label}: {category.replace('_', ' ')}"
    if style.kind == "scare_quote":
        head = style.label
    elif style.kind == "other":
        head = f"{lexicon}: {category.replace('_', ' ')}"
    whose = WHOSE.get(voice_name, "")
    if style.kind == "scare_quote":
        whose = ""  # the mark is the scare quote itself: the head says it is the writer's
    explanation, not_when = _plain_text(explanation), _plain_text(not_when)
    plain = f"{head}. {whose + ': ' if whose else ''}{explanation}" + (f" Not when: {not_when}" if not_when else "")
    markup = (f"<b>{html.escape(head)}</b><br>" + (f"<i>{html.escape(whose)}:</i> " if whose else "")
              + html.escape(explanation) + (f"<br>Not when: {html.escape(not_when)}" if not_when else ""))
    return markup, plain.strip()


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
    for row in _speech(analysis, doc_id, text):
        css = _SPEECH_CLASS.get(row.kind)
        if css:
            spans.append(_Span(int(row.start), int(row.end), 2, (int(row.start),), "span",
                               {"class": css, "data-quote": row.kind, "title": _speaker_words(row)}))
    hits = document_hits(analysis, doc_id, kinds)
    rank = {name: i for i, name in enumerate(("attribution", "loaded", "evaluative", "boosters", "hedges"))}
    for index, row in enumerate(hits.itertuples()):
        style = style_for(row.lexicon, row.category)
        tip_html, tip_plain = _tip_text(row.lexicon, row.category, row.explanation, row.voice,
                                        getattr(row, "not_when", ""))
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


_SPEECH_CLASS = {"direct": "voice-quote", "unattributed": "voice-quote", "partial": "voice-partial",
                 "indirect": "voice-indirect"}
_SPEECH_WORDS = {"direct": "Quoted", "unattributed": "Quoted, no speaker given", "partial": "Partly quoted",
                 "indirect": "Reported"}


def _speech(analysis, doc_id: str, text: str) -> list:
    """The document's reported speech: its rows of the quotes table, or found again from the text."""
    quotes = getattr(analysis, "quotes", None)
    if quotes is not None and "kind" in quotes:
        return list(quotes[quotes["doc_id"].astype(str) == doc_id].itertuples(index=False))
    return voice.find_speech(text)


def _speaker_words(row) -> str:
    """What the reader sees on hover over reported speech: who speaks, what they are, how it is introduced."""
    who = str(row.speaker_name or row.speaker or "")
    role = str(row.speaker_role or "").replace("_", " ")
    words = _SPEECH_WORDS[row.kind]
    if who:
        words += f": {who}" + (f" ({role})" if role and role.lower() not in who.lower() else "")
    elif row.kind in ("partial", "indirect"):
        words += " (the text does not say here whose words these are)"  # never a guessed speaker
    if row.cue:
        words += f", \u201c{row.cue}\u201d" + (f" ({row.cue_kind} reporting verb)" if row.cue_kind in ("loaded",) else "")
    return words


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
    hits = document_hits(analysis, doc_id)
    if hits.empty:
        return pd.DataFrame(columns=["kind", "lexicon", "category", "count"])
    # counted in plain Python: a document's few dozen hits cost less than a groupby's set-up
    counted: dict[tuple[str, str], int] = {}
    for lexicon, category in zip(hits["lexicon"], hits["category"]):
        counted[(lexicon, category)] = counted.get((lexicon, category), 0) + 1
    order = {kind: i for i, kind in enumerate(KINDS)}
    rows = [(kind_of(lexicon, category), lexicon, category, n) for (lexicon, category), n in counted.items()]
    rows.sort(key=lambda r: (order.get(r[0], len(order)), r[0], -r[3], r[2], r[1]))
    return pd.DataFrame(rows, columns=["kind", "lexicon", "category", "count"])


def _swatch(style: Style, label: str) -> str:
    return (f'<mark class="hl {style.css_class} swatch" aria-hidden="true">{html.escape(label)}</mark>')


def legend(analysis, doc_id: str, kinds: Iterable[str] | None = None) -> str:
    """The key: every kind of mark with its look, its count in this document and its categories."""
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for kind, category, n in zip(*(hit_counts(analysis, doc_id)[c].tolist() for c in ("kind", "category", "count"))):
        if kinds is None or _wanted(kind, kinds):
            by_kind.setdefault(kind, []).append((category, int(n)))
    shown = [k for k in KINDS if _wanted(k, kinds)]
    shown += sorted(set(by_kind) - set(shown))
    rows = []
    for kind in shown:
        own = by_kind.get(kind, [])
        style = STYLES.get(kind, STYLES["other"])
        label = style.label if kind in STYLES else kind
        categories = ", ".join(f"{c.replace('_', ' ')} {n}" for c, n in own if kind != "scare_quote")
        detail = f'<br><span class="cats">{html.escape(categories)}</span>' if categories else ""
        rows.append(f'<tr data-kind="{html.escape(kind, quote=True)}"><td>{_swatch(style, label)}</td>'
                    f'<td class="num">{sum(n for _, n in own)}</td>'
                    f'<td>{html.escape(style.description)}{detail}</td></tr>')
    tints = " ".join(f'<span class="s s-{name[:3]}">&nbsp;{name}&nbsp;</span>' for name in TINTS)
    return (f'<div class="panel legend"><table><caption>'
            f'Marks in this document (hover or focus a mark, e.g. with Tab, for its explanation)</caption>'
            f'<thead><tr><th scope="col">mark</th><th scope="col">count</th><th scope="col">what it is</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<p style="margin:0.4rem 0 0">Sentence tone (VADER, &plusmn;0.05): {tints} &middot; '
            f'<span class="voice-quote">quoted speech</span> &middot; <span class="voice-partial">a partial '
            f'quote</span> &middot; <span class="voice-indirect">reported speech</span> (hover for who speaks) '
            f'&middot; plain text: the author&rsquo;s voice</p></div>')


PROFILE_LEXICONS = ("loaded", "evaluative", "hedges", "boosters", "attribution")
# the names the profile gives the rates: the two tiers of judging words named so they are not confused
RATE_NAMES = {"loaded": "loaded terms", "evaluative": "evaluative words"}


def _plain(value) -> str:
    # a missing metadata value reads back from the tables as NaN, not as ""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def profile(analysis, doc_id: str) -> dict:
    """outlet, title, words, mean sentiment and rates per 1,000 words of the four lexicons, as
    ``framing.views.document_profile`` gives them (its metadata, and its measures against the corpus)."""
    found = views.document_profile(analysis, doc_id)
    metadata = dict(zip(found.metadata["field"], found.metadata["value"]))
    measures = dict(zip(found.against_corpus["measure"], found.against_corpus["this_document"]))
    return {"doc_id": found.doc_id, "outlet": _plain(metadata.get("outlet")), "title": _plain(metadata.get("title")),
            "words": int(metadata["n_words"]), "sentiment_mean": float(metadata["sentiment_mean"]),
            **{f"{name}_per_1000": float(measures.get(f"rate_{name}", float("nan"))) for name in PROFILE_LEXICONS}}


def _number(x: float, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def profile_html(analysis, doc_id: str, *, numbers: dict | None = None) -> str:
    """The profile panel of one document (``numbers``: its ``profile``, when the caller has it already); the
    measures by their glossary labels, rounded as the glossary says."""
    from framing.pages.theme import environment

    p = numbers or profile(analysis, doc_id)
    rates = " \u00b7 ".join(f'{views.label(f"rate_{name}", unit=False).lower()} {_number(p[f"{name}_per_1000"])}'
                             for name in PROFILE_LEXICONS
                             if not (name == "evaluative" and math.isnan(p.get(f"{name}_per_1000", math.nan))))
    cells = [("Outlet", p["outlet"] or "(unknown)"), ("Title", p["title"] or "(none)"), ("Document", doc_id),
             ("Words", f'{p["words"]:,}'),
             (views.label("sentiment_mean"), f'{views.format_value(p["sentiment_mean"], "score")} '
                                             f'({tone(p["sentiment_mean"])})'),
             ("Per 1,000 words", rates)]
    return environment().get_template("profile_panel.html.j2").render(cells=cells)


def render_document(analysis, doc_id: str, *, kinds: Iterable[str] | None = None, id_prefix: str | None = None,
                    with_legend: bool = True, evaluative: bool = False) -> str:
    """One document's cleaned text as an HTML ``<section>``: marks with tooltips, quotes, tinted sentences.

    ``kinds`` limits the marks to some kinds (``KINDS``: loaded, scare_quote, evaluative, hedges, boosters,
    attribution, or a user lexicon's name); without it every kind is marked except evaluative words, which
    ``evaluative=True`` adds. ``id_prefix`` keeps tooltip ids unique when a page shows a document twice.
    """
    kinds = shown_kinds(kinds, evaluative=evaluative)
    text = document_text(analysis, doc_id)
    prefix = id_prefix or f"d-{id_part(doc_id)}"
    body = _markup(text, _spans(analysis, doc_id, text, 0, len(text), kinds, prefix))
    head = legend(analysis, doc_id, kinds) if with_legend else ""
    return (f'<section class="framing-doc" data-doc-id="{html.escape(doc_id, quote=True)}" '
            f'aria-label="Highlighted text of {html.escape(doc_id, quote=True)}">{head}'
            f'<div class="doc-text">{body}</div></section>')


def render_fragment(analysis, doc_id: str, *, kinds: Iterable[str] | None = None, evaluative: bool = False) -> str:
    """One document highlighted with its legend and stylesheet: a fragment to show inside a notebook/report."""
    section = render_document(analysis, doc_id, kinds=kinds, evaluative=evaluative)
    return f'<style>{stylesheet()}</style><div class="framing-hl">{section}</div>'


def render_paragraph(analysis, doc_id: str, paragraph_no: int, *, kinds: Iterable[str] | None = None,
                     id_prefix: str | None = None, evaluative: bool = False) -> str:
    """One paragraph (1-based, as ``paragraphs``) highlighted, with the stylesheet: a notebook fragment."""
    kinds = shown_kinds(kinds, evaluative=evaluative)
    text = document_text(analysis, doc_id)
    start, end = paragraph_span(text, doc_id, paragraph_no)
    prefix = id_prefix or f"p{paragraph_no}-{id_part(doc_id)}"
    body = _markup(text, _spans(analysis, doc_id, text, start, end, kinds, prefix))
    return f'<style>{stylesheet()}</style><div class="framing-hl"><div class="doc-text">{body}</div></div>'


def render_page(analysis, doc_ids: list[str], *, title: str | None = None, evaluative: bool = False) -> str:
    """A whole self-contained HTML page (inline CSS, no script, nothing fetched): one document, or two side
    by side, each with its profile, legend and highlighted text (evaluative words only with ``evaluative``)."""
    if isinstance(doc_ids, str):
        doc_ids = [doc_ids]
    doc_ids = [str(d) for d in doc_ids]
    if not 1 <= len(doc_ids) <= 2:
        raise HighlightError(f"a highlight page shows one or two documents, not {len(doc_ids)}")
    for doc_id in doc_ids:
        document_text(analysis, doc_id)
    from markupsafe import Markup

    from framing.pages.theme import render

    profiles = {doc_id: profile(analysis, doc_id) for doc_id in doc_ids}
    if title is None:
        title = "Framing highlights: " + " vs ".join(profiles[d]["title"] or d for d in doc_ids)
    columns = []
    for n, doc_id in enumerate(doc_ids, start=1):
        columns.append({"heading": profiles[doc_id]["outlet"] or doc_id,
                        "profile": Markup(profile_html(analysis, doc_id, numbers=profiles[doc_id])),
                        "document": Markup(render_document(analysis, doc_id, id_prefix=f"c{n}-{id_part(doc_id)}",
                                                                   evaluative=evaluative))})
    return render("teaching.html.j2", title=title, columns=columns)
