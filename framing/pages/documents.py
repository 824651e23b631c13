"""Document pages without a kernel: every document of a report gets the page the document-profile notebook
would show (summary line, measures beside its group and the corpus, highlighted text with explanations, tone
sentence by sentence, framing devices, who speaks, tone toward the targets, every hit, provenance), rendered
from the same ``framing.views`` functions (tables through ``views.show_table``: glossary labels, numbers
rounded for reading, a CSV beside each) through ``document.html.j2``, which extends the pages' ``base.html.j2``
(one stylesheet, the Content-Security-Policy) with autoescaping on.

A report on 10,000 documents cannot start a notebook kernel per document (2.5 s each on two cores, 300
documents took 742 s), nor hold every table in memory: ``stream_documents`` reads the tables a chunk of rows
at a time and yields one document's rows at a time, in the order of ``documents.csv``. framing writes the
tables unit by unit, each document's rows together and in the same order in every table, so a document's
rows are found by walking the tables side by side; tables written otherwise (rows of a document apart, or
out of order) are read whole instead, with the same result.

``render_document_page`` only renders; ``framing.report`` streams, runs the renderers in worker processes and
writes the files.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from framing import views
from framing.model import Analysis
from framing.pages import charts, highlight
from framing.pages.theme import render
from framing.tables import COLUMNS, FILES, RUN_FILE, read_csv_chunks, read_csv_table

STREAM_ROWS = 50_000   # rows of a table read at once: 50,000 hits are about 40 MB in pandas
STREAMED = ("sentences", "hits", "quotes")


@dataclass
class DocumentRows:
    """One document's rows of every table, and its cleaned text (None when the tables hold none)."""
    doc_id: str
    sentences: pd.DataFrame
    hits: pd.DataFrame
    quotes: pd.DataFrame
    text: str | None


class TablesOrderError(Exception):
    """The tables do not hold each document's rows together in the documents' order (not written by framing)."""


# ---- streaming the tables, one document at a time ----------------------------------------------------------

def _runs(chunks: Iterable[pd.DataFrame]) -> Iterator[tuple[str, pd.DataFrame]]:
    """(doc_id, rows) for every run of consecutive rows with one doc_id, across chunk boundaries."""
    carry = None
    for chunk in chunks:
        if carry is not None and len(carry):
            chunk = pd.concat([carry, chunk], ignore_index=True)
        if not len(chunk):
            continue
        ids = chunk["doc_id"].astype(str).to_numpy()
        cuts = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist(), len(ids)]
        for start, end in zip(cuts[:-2], cuts[1:-1]):
            yield ids[start], chunk.iloc[start:end].reset_index(drop=True)
        carry = chunk.iloc[cuts[-2]:].reset_index(drop=True)
    if carry is not None and len(carry):
        yield str(carry["doc_id"].iloc[0]), carry


def _text_runs(path: Path) -> Iterator[tuple[str, str]]:
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                yield str(record["doc_id"]), record["text"]


class _Aligned:
    """Walks one table's runs beside the documents: ``take(doc_id, i)`` gives the document's rows, or None
    when the table holds none for it; a run of a document already passed (or unknown) is a TablesOrderError."""

    def __init__(self, runs, position: dict[str, int]):
        self.runs = iter(runs)
        self.position = position
        self.seen: set[str] = set()
        self.next = next(self.runs, None)

    def take(self, doc_id: str, index: int):
        if self.next is None:
            return None
        found, rows = self.next
        if found == doc_id:
            if found in self.seen:
                raise TablesOrderError(f"rows of {found!r} are not together")
            self.seen.add(found)
            self.next = next(self.runs, None)
            if self.next is not None and self.next[0] == doc_id:
                raise TablesOrderError(f"rows of {doc_id!r} are not together")
            return rows
        if self.position.get(found, -1) <= index:
            raise TablesOrderError(f"rows of {found!r} are out of the documents' order")
        return None


def _empty(table: str) -> pd.DataFrame:
    """A table's columns with no rows, numbers typed as numbers (a merge on sentence_no needs them)."""
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS[table]})
    for column in ("sentence_no", "start", "end", "quote_no", "n_words"):
        if column in frame:
            frame[column] = frame[column].astype("int64")
    if "sentiment" in frame:
        frame["sentiment"] = frame["sentiment"].astype(float)
    if "in_quote" in frame:
        frame["in_quote"] = frame["in_quote"].astype(bool)
    return frame


def stream_documents(tables: str | Path, doc_ids: list[str], *, neutralized: bool = False,
                     rows: int = STREAM_ROWS, python_strings: bool = False) -> Iterator[DocumentRows]:
    """Every document of ``doc_ids`` (the documents table's order) with its rows, one at a time, reading the
    tables ``rows`` rows at a time; memory holds a chunk of each table, not the corpus. Tables that do not
    hold each document's rows together in that order are read whole (same result, more memory).
    ``python_strings`` gives text columns as Python strings (object dtype) rather than pandas' Arrow-backed
    ones: converted a chunk at a time, for renderers that work on many small frames."""
    tables = Path(tables)
    done = 0
    try:
        for found in _stream(tables, doc_ids, neutralized=neutralized, rows=rows, python_strings=python_strings):
            yield found
            done += 1
    except TablesOrderError:
        yield from _whole(tables, doc_ids[done:], neutralized=neutralized, python_strings=python_strings)


def object_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns as Python strings (object dtype). A page is made of hundreds of small
    tables, where pandas' Arrow-backed strings cost twice the time of Python strings (a page took 150 ms
    against 300 ms on the 10,000-document benchmark)."""
    converted = {c: frame[c].astype(object) for c in frame.columns if str(frame[c].dtype) in ("str", "string")}
    return frame.assign(**converted) if converted else frame


def _chunks(table: str, path: Path, *, neutralized: bool, rows: int, python_strings: bool):
    for chunk in read_csv_chunks(table, path, neutralized=neutralized, rows=rows):
        # converted here, once per chunk: per document it was 8% of a page's time
        yield object_strings(chunk) if python_strings else chunk


def _stream(tables: Path, doc_ids: list[str], *, neutralized: bool, rows: int,
            python_strings: bool) -> Iterator[DocumentRows]:
    position = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    walkers, empty = {}, {}
    for table in STREAMED:
        path = tables / FILES[table]
        runs = _runs(_chunks(table, path, neutralized=neutralized, rows=rows, python_strings=python_strings)
                     ) if path.is_file() else iter(())
        walkers[table] = _Aligned(runs, position)
        empty[table] = _empty(table)
    texts = _Aligned(_text_runs(tables / FILES["texts"]), position)
    # the check of order has to see every document before the first page is made from a wrong pairing: walk
    # the tables once for the order (ids only is cheap), then again for the rows
    _check_order(tables, doc_ids, position, rows=rows)
    for i, doc_id in enumerate(doc_ids):
        found = {table: walkers[table].take(doc_id, i) for table in STREAMED}
        yield DocumentRows(doc_id, *[found[t] if found[t] is not None else empty[t] for t in STREAMED],
                           texts.take(doc_id, i))


def _check_order(tables: Path, doc_ids, position, *, rows: int) -> None:
    """Each table holds a document's rows together, in the documents' order (ids only, a chunk at a time)."""
    for table in STREAMED:
        path = tables / FILES[table]
        if not path.is_file():
            continue
        last, previous = -1, None
        with pd.read_csv(path, usecols=["doc_id"], dtype={"doc_id": str}, keep_default_na=False,
                         chunksize=rows * 4) as reader:
            for chunk in reader:
                ids = chunk["doc_id"].to_numpy()
                if not len(ids):
                    continue
                starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
                for doc_id in ids[starts].tolist():
                    if doc_id == previous:  # a run going on across the chunk boundary
                        continue
                    where = position.get(doc_id, -1)
                    if where <= last:
                        raise TablesOrderError(f"{table}: rows of {doc_id!r} out of the documents' order")
                    last, previous = where, doc_id


def _whole(tables: Path, doc_ids: list[str], *, neutralized: bool, python_strings: bool) -> Iterator[DocumentRows]:
    grouped = {}
    for table in STREAMED:
        path = tables / FILES[table]
        frame = read_csv_table(table, path, neutralized=neutralized) if path.is_file() else _empty(table)
        frame = object_strings(frame) if python_strings else frame
        grouped[table] = ({str(k): v.reset_index(drop=True) for k, v in frame.groupby(frame["doc_id"].astype(str),
                                                                                      sort=False)},
                          frame.iloc[0:0])
    texts = dict(_text_runs(tables / FILES["texts"]))
    for doc_id in doc_ids:
        yield DocumentRows(doc_id, *[grouped[t][0].get(doc_id, grouped[t][1]) for t in STREAMED], texts.get(doc_id))


def document_analysis(documents_row: pd.DataFrame, rows: DocumentRows, run: dict) -> Analysis:
    """An ``Analysis`` of one document (its row of the documents table, its rows of the others): what the
    views functions take."""
    texts = {rows.doc_id: rows.text} if rows.text is not None else {}
    return Analysis(documents=documents_row.reset_index(drop=True), sentences=rows.sentences, hits=rows.hits,
                    errors=pd.DataFrame(columns=COLUMNS["errors"]), run=run, texts=texts, quotes=rows.quotes)


def read_run(tables: Path) -> dict:
    return json.loads((Path(tables) / RUN_FILE).read_text(encoding="utf-8"))


# ---- rendering ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def cell(value) -> str:
    """A value for reading where no glossary format applies: numbers rounded, missing values as a dash,
    True/False as yes/no."""
    if value is None:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "–"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.2f}"
    return str(value)


def table(frame: pd.DataFrame, *, name: str, caption: str = "", empty: str = "Nothing to show."):
    """A table as the notebook shows it (``views.show_table``: glossary labels and units, numbers rounded for
    reading, its CSV beside it), as markup for the page."""
    return _markup(views.show_table(frame, name=name, caption=caption, empty=empty).html)


def summary_line(summary: dict) -> str:
    """The one-line summary of a document (``views.document_summaries``), as the index and its page show it."""
    outlet = summary.get("outlet") or "unknown outlet"
    words = summary.get("n_words")
    parts = [f"{outlet}: {int(words):,} words" if isinstance(words, (int, float, np.number)) and not
             (isinstance(words, float) and math.isnan(words)) else outlet]
    tone = summary.get("sentiment_mean")
    if tone is not None and not (isinstance(tone, float) and math.isnan(tone)):
        parts.append(f"mean sentiment {tone:+.2f}")
    rate = summary.get("rate_loaded")
    if rate is not None and not (isinstance(rate, float) and math.isnan(rate)):
        parts.append(f"loaded terms {rate:.1f} per 1,000 words")
    device = summary.get("main_device")
    if device and device != "no loaded terms":
        parts.append(f"mostly {device}")
    elif device:
        parts.append("no loaded terms")
    return ", ".join(parts)


def render_document_page(analysis: Analysis, doc_id: str, *, medians: pd.DataFrame, group_by: str = "outlet",
                         index: str = "index.html", provenance: dict | None = None) -> tuple[str, dict]:
    """The page of one document, and its summary row (``views.document_summaries``) for the index.
    ``analysis`` holds the document (``document_analysis``); ``medians`` is ``views.measure_medians`` of the
    whole corpus; ``provenance`` the parameters the report was made with."""
    profile = views.document_profile(analysis, doc_id)
    summary = views.document_summaries(analysis).iloc[0].to_dict()
    measures = views.document_measures(analysis, doc_id, group_by=group_by, medians=medians)
    targets = views.document_target_tone(analysis, doc_id)
    metadata = profile.metadata[profile.metadata["value"].map(lambda v: cell(v) not in ("", "–"))]
    # evaluative words (praise, intensifiers, comment adverbs) marked only when asked, as in the notebook
    evaluative = bool((provenance or {}).get("evaluative", False))
    text = (highlight.render_document(analysis, doc_id, evaluative=evaluative) if doc_id in analysis.texts else "")
    name = views.file_name(doc_id)
    group = measures["group"].iloc[0] if len(measures) else ""
    sections = {
        "metadata": table(metadata, name=f"{name}_facts", caption="What the corpus says about this document"),
        "measures": table(measures.drop(columns=["group"]), name=f"{name}_measures",
                          caption=f"This document beside the median document of its {group_by} ({group}) and of "
                                  f"the corpus"),
        "negative": table(views.most_negative(profile, n=5), name=f"{name}_most_negative",
                          caption="The five most negative sentences"),
        "categories": table(profile.categories, name=f"{name}_devices", caption="Framing devices by category"),
        "loaded": table(views.hits_of(profile, "loaded", "evaluative"), name=f"{name}_loaded",
                        caption="Loaded terms and evaluative words, with their sentences",
                        empty="No loaded terms or evaluative words."),
        "certainty": table(views.hits_of(profile, "hedges", "boosters"), name=f"{name}_hedges_boosters",
                           caption="Hedges and boosters", empty="No hedges or boosters."),
        "attribution": table(views.hits_of(profile, "attribution"), name=f"{name}_attribution",
                             caption="Attribution", empty="No attribution."),
        "quotes": table(profile.quotes, name=f"{name}_speech", caption="Who speaks",
                        empty="The document reports no speech: nobody is quoted or reported."),
        "targets": table(targets, name=f"{name}_targets", caption="Tone toward the targets"),
        "provenance": table(views.provenance(analysis, doc_id=doc_id, **(provenance or {})), name=f"{name}_provenance",
                            caption="What this page was made with"),
    }
    title = str(summary.get("title") or "") or doc_id
    page = render("document.html.j2", title=title, doc_id=doc_id, summary=summary_line(summary), index_link=index,
                  text=_markup(text), sections=sections, has_categories=len(profile.categories) > 0,
                  arc=_markup(charts.sentiment_arc(profile.sentences, label=f"Tone of each sentence of {title}")),
                  bars=_markup(charts.category_bars(profile.categories,
                                                    label=f"Framing devices per 1,000 words in {title}")),
                  has_targets=len(targets) > 0, n_sentences=len(profile.sentences))
    return page, summary


def _markup(fragment: str):
    """HTML that framing built and escaped itself (the highlighted text, the charts): not escaped again."""
    from markupsafe import Markup

    return Markup(fragment)


def render_failed_page(doc_id: str, error: str, *, index: str = "index.html") -> str:
    """The page of a document whose page could not be made: the error, visible (and escaped)."""
    return render("document_failed.html.j2", title=doc_id, doc_id=doc_id, error=error, index_link=index)
