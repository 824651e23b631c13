"""The lesson's helpers: paragraphs and their hits, exercises with their answers, the profiles to compare.

They keep ``notebooks/lesson.ipynb`` free of logic: each exercise asks about the paragraph of a document
richest in one kind of framing device and carries framing's answer, to be revealed by the next cell.
Paragraphs are counted from 1, as ``framing.pages.highlight.paragraphs`` finds them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from framing import views
from framing.errors import HighlightError
from framing.pages.highlight import (STYLES, document_hits, document_text, paragraph_span, paragraphs, profile,
                                     render_paragraph)

ANSWER_COLUMNS = ["matched", "lexicon", "category", "voice", "explanation"]


def profile_table(analysis, doc_ids: list[str]) -> pd.DataFrame:
    """The profiles of some documents (the numbers of the highlight page's panel), one column each."""
    return pd.DataFrame({doc_id: profile(analysis, doc_id) for doc_id in doc_ids}).drop(index="doc_id")


def profile_facts(analysis, doc_ids: list[str]) -> pd.DataFrame:
    """``profile_table`` for reading: each row a measure's label and unit (framing/glossary.tsv), each value
    rounded as the glossary says, one column per document."""
    table = profile_table(analysis, doc_ids)
    rows = [[views.label(name)] + [views.format_value(value, views.term(name).format) for value in table.loc[name]]
            for name in table.index]
    return pd.DataFrame(rows, columns=["field", *[str(d) for d in doc_ids]])


def paragraph_text(analysis, doc_id: str, paragraph_no: int) -> str:
    text = document_text(analysis, doc_id)
    start, end = paragraph_span(text, doc_id, paragraph_no)
    return text[start:end]


def paragraph_hits(analysis, doc_id: str, paragraph_no: int, lexicon: str | None = None) -> pd.DataFrame:
    """The hits in one paragraph: matched, category, explanation, voice. ``lexicon`` is a kind (loaded
    words, scare_quote, hedges, boosters, attribution, or a user lexicon's name) or None for all."""
    start, end = paragraph_span(document_text(analysis, doc_id), doc_id, paragraph_no)
    hits = document_hits(analysis, doc_id, None if lexicon is None else [lexicon])
    hits = hits[(hits["start"] >= start) & (hits["end"] <= end)]
    return hits[ANSWER_COLUMNS].reset_index(drop=True)


def busiest_paragraph(analysis, doc_id: str, lexicon: str) -> int:
    """The paragraph with the most hits of one kind (the first of equals); 0 when the document has none."""
    text = document_text(analysis, doc_id)
    hits = document_hits(analysis, doc_id, [lexicon])
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
    "evaluative": "Which words in this paragraph are **evaluative** — do they praise, blame or turn up the volume "
                  "(remarkable, shameful, enormous, sadly)?",
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
        empty = pd.DataFrame(columns=ANSWER_COLUMNS)
        first = 1 if paragraphs(document_text(analysis, doc_id)) else 0
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
