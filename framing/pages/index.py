"""The report's index page: the comparison in plain words, one line per document with a link to its page and
its state, the inputs that could not be read, the tables, and what the report was made with.

``render_index`` only renders: the report (``framing.report``) runs the notebooks and writes the file. Its
``pages`` are the report's notebook pages, any records with ``name``, ``doc_id`` ("" for the corpus
comparison), ``page`` (the HTML file, relative to the index), ``status`` (ok, cached, failed) and ``error``.
Every piece of document text, metadata and error message is escaped (the page is a jinja2 template with
autoescaping on).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Iterable

from framing import views
from framing.pages.theme import render, state


def _summary_line(row) -> str:
    return (f"{row['outlet'] or 'unknown outlet'}: {row['n_words']} words, mean sentiment "
            f"{row['sentiment_mean']:+.2f}, loaded terms {row['rate_loaded']:.1f} per 1,000 words, mostly "
            f"{row['main_device']}")


def _comparison_summary(analysis, group_by: str) -> list[str]:
    try:
        from framing.compare import summarise

        return list(summarise(analysis, group_by))
    except Exception as exc:  # the index must still be written; the comparison report shows the details
        return [f"The comparison summary could not be made: {type(exc).__name__}: {exc}"]


def render_index(analysis, pages: Iterable, *, tables: Iterable[str], parameters: dict, group_by: str = "outlet",
                 kernel: str = "", note: str = "", methods_link: str = "") -> str:
    """The index as a self-contained page (``templates/index.html.j2``). ``tables`` are the links to the tables
    (relative to the index); ``kernel`` the Python that ran the notebooks; ``note`` one sentence on the
    comparison (why it groups otherwise than asked, or why there is none: ``framing.compare.choose_grouping``);
    ``methods_link`` the methods page (``methods.html``; its Markdown beside it). Without a comparison page,
    the comparison's summary is left out."""
    pages = list(pages)
    by_document = {str(p.doc_id): p for p in pages if p.doc_id}
    comparison = next((p for p in pages if not p.doc_id), None)
    failures = [p for p in pages if p.status == "failed"]
    summaries = views.document_summaries(analysis)
    rows = []
    for _, row in summaries.iterrows():
        doc_id = str(row["doc_id"])
        found = by_document.get(doc_id)
        rows.append({"doc_id": doc_id, "page": found.page if found else "", "title": str(row["title"]),
                     "summary": _summary_line(row),
                     "state": state(found.status, found.error) if found else state("missing")})
    run = analysis.run
    return render("index.html.j2", title="framing report", n_documents=len(summaries),
                  n_errors=len(analysis.errors), failures=[p.name for p in failures],
                  made=datetime.now(timezone.utc).isoformat(timespec="seconds"), version=run["framing_version"],
                  methods_link=methods_link, methods_markdown=methods_link.rsplit(".", 1)[0] + ".md",
                  note=note, group_by=group_by, show_summary=bool(comparison or not note),
                  summary=_comparison_summary(analysis, group_by) if (comparison or not note) else [],
                  comparison=comparison,
                  comparison_state=state(comparison.status, comparison.error) if comparison else "",
                  missing_state=state("missing"), rows=rows,
                  errors=[{"source": str(err.source), "reason": str(err.reason)} for err in analysis.errors.itertuples()],
                  tables=list(tables), parameters=json.dumps(parameters, default=str), kernel=kernel,
                  versions=", ".join(f"{k} {v}" for k, v in run["versions"].items()), sentiment=run["sentiment"],
                  lexicons=run["lexicons"])
