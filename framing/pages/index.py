"""The report's index page, the page a reader starts from: the key measures by outlet with their intervals,
the comparison in plain words, the outlets with their document counts, every document grouped by outlet with
its one-line summary and a link to its page (collapsible per outlet; all of them also in
``documents_index.csv``), the inputs that could not be read, the tables, and what the report was made with.

``render_report_index`` only renders (through the ``index.html.j2`` template, autoescaped), from what stays
small whatever the corpus: the documents table, the one-line summaries, the errors, ``run.json`` and the
states of the pages; ``framing.report`` makes the pages and writes the files. ``render_index`` renders the
same from an ``Analysis`` in memory. ``pages`` are records with ``name``, ``doc_id`` ("" for the corpus
comparison), ``page`` (the HTML file, relative to the index), ``status`` (ok, cached, failed) and ``error``.
Every piece of document text, metadata and error message is escaped (the page, ``index.html.j2``, extends
``base.html.j2`` with autoescaping on). ``methods_link`` adds the link to the methods appendix.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Iterable

import pandas as pd

from framing import views
from framing.pages import charts
from framing.pages.documents import summary_line
from framing.pages.theme import render, state

HEADLINE_TITLES = {"rate_loaded": "Loaded terms per 1,000 words", "rate_hedges": "Hedges per 1,000 words",
                   "rate_boosters": "Boosters per 1,000 words", "share_attributed": "Share of sentences attributed",
                   "sentiment_mean": "Mean sentence tone (VADER)", "share_negative": "Share of negative sentences"}
DOCUMENTS_INDEX_COLUMNS = ["doc_id", "outlet", "title", "n_words", "sentiment_mean", "rate_loaded", "main_device",
                           "summary", "page", "state"]


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "outlet"


def _outlet(value) -> str:
    return value if isinstance(value, str) and value else "(unknown outlet)"


def documents_index_rows(summaries: pd.DataFrame, pages: Iterable) -> list[list]:
    """The rows of ``documents_index.csv`` (a header first): every document with its one-line summary, its page
    and the page's state."""
    by_document = {str(p.doc_id): p for p in pages if p.doc_id}
    rows = [DOCUMENTS_INDEX_COLUMNS]
    for row in summaries.to_dict("records"):
        found = by_document.get(str(row["doc_id"]))
        rows.append([str(row["doc_id"]), str(row.get("outlet") or ""), str(row.get("title") or ""),
                     row.get("n_words"), _rounded(row.get("sentiment_mean"), 3), _rounded(row.get("rate_loaded"), 2),
                     row.get("main_device"), summary_line(row), found.page if found else "",
                     found.status if found else "missing"])
    return rows


def _rounded(value, digits: int):
    try:
        return "" if value is None or pd.isna(value) else round(float(value), digits)
    except (TypeError, ValueError):
        return value


def render_report_index(documents: pd.DataFrame, errors: pd.DataFrame, run: dict, pages: Iterable, *,
                        summaries: pd.DataFrame, findings: list[str] | None, tables: Iterable[str],
                        parameters: dict, group_by: str = "outlet", kernel: str = "", note: str = "",
                        documents_csv: str = "", methods_link: str = "") -> str:
    """The index as a self-contained page. ``summaries`` is ``views.document_summaries``; ``findings`` the
    comparison's sentences in plain words (None: not available); ``tables`` the links to the tables (relative
    to the index); ``kernel`` the Python that ran the notebooks; ``note`` one sentence on the comparison (why it
    groups otherwise than asked, or why there is none); ``documents_csv`` the link to the CSV of every
    document; ``methods_link`` the methods page (``methods.html``; its Markdown beside it)."""
    pages = list(pages)
    by_document = {str(p.doc_id): p for p in pages if p.doc_id}
    # a group's own page (its profile against the rest), when the report groups by outlet
    by_group = {str(p.group): p for p in pages if getattr(p, "group", "")} if group_by == "outlet" else {}
    comparison = next((p for p in pages if not p.doc_id and not getattr(p, "group", "")), None)
    failures = [p for p in pages if p.status == "failed"]
    outlets: dict[str, list] = {}
    for row in summaries.to_dict("records"):
        doc_id = str(row["doc_id"])
        found = by_document.get(doc_id)
        outlets.setdefault(_outlet(row.get("outlet")), []).append({
            "doc_id": doc_id, "title": str(row.get("title") or "") or doc_id, "summary": summary_line(row),
            "page": found.page if found else "", "status": found.status if found else "missing",
            "error": found.error if found else "",
            "state": state(found.status, found.error) if found else state("missing")})
    groups = [{"name": name, "slug": f"outlet-{i}-{_slug(name)}", "documents": docs, "n": len(docs),
               "failed": sum(d["status"] in ("failed", "missing") for d in docs),
               "page": by_group[name].page if name in by_group else "",
               "state": state(by_group[name].status, by_group[name].error) if name in by_group else "",
               "page_status": by_group[name].status if name in by_group else ""}
              for i, (name, docs) in enumerate(sorted(outlets.items()))]
    headline = views.headline_by_group(documents, "outlet") if len(groups) > 1 else pd.DataFrame()
    # the chart's panels keep short titles of their own (shares drawn as fractions); the table below it
    # carries the glossary's labels and units
    chart = charts.interval_panels(
        headline, titles=HEADLINE_TITLES,
        label="Key measures by outlet: each dot is an outlet's value, each line its 95% interval "
              "(documents resampled within the outlet)") if len(headline) else ""
    table = views.show_table(headline.drop(columns=["n_documents"], errors="ignore"), name="key_measures_by_outlet",
                             caption="Key measures by outlet, with 95% intervals") if len(headline) else ""
    from markupsafe import Markup

    return render(
        "index.html.j2", title="Framing report", n_documents=len(summaries),
        n_errors=len(errors), failures=[p.name for p in failures], made=datetime.now(timezone.utc).isoformat(
            timespec="seconds"), framing_version=run.get("framing_version", ""), chart=Markup(chart),
        headline=Markup(table.html) if table else "", findings=findings, comparison=comparison,
        comparison_state=state(comparison.status, comparison.error) if comparison else "",
        missing_state=state("missing"), note=note, group_by=group_by,
        methods_link=methods_link, methods_markdown=methods_link.rsplit(".", 1)[0] + ".md" if methods_link else "",
        outlets=groups, documents_csv=documents_csv, errors=errors.to_dict("records"),
        tables=[{"href": link, "name": link.rsplit("/", 1)[-1]} for link in tables],
        parameters=json.dumps(parameters, default=str), kernel=kernel,
        versions=", ".join(f"{k} {v}" for k, v in run.get("versions", {}).items()),
        sentiment=run.get("sentiment", {}), lexicons=[{"name": k, **v} for k, v in run.get("lexicons", {}).items()])


def _comparison_findings(analysis, group_by: str) -> list[str]:
    try:
        from framing.compare import summarise

        return summarise(analysis, group_by)
    except Exception as exc:  # the index must still be written; the comparison report shows the details
        return [f"The comparison summary could not be made: {type(exc).__name__}: {exc}"]


def render_index(analysis, pages: Iterable, *, tables: Iterable[str], parameters: dict, group_by: str = "outlet",
                 kernel: str = "", note: str = "", documents_csv: str = "", methods_link: str = "") -> str:
    """``render_report_index`` from an analysis in memory (the findings computed here). Without a comparison
    page, the comparison's findings are left out when ``note`` says why there is none."""
    pages = list(pages)
    comparison = next((p for p in pages if not p.doc_id and not getattr(p, "group", "")), None)
    findings = _comparison_findings(analysis, group_by) if comparison or not note else None
    return render_report_index(analysis.documents, analysis.errors, analysis.run, pages,
                               summaries=views.document_summaries(analysis), findings=findings, tables=tables,
                               parameters=parameters, group_by=group_by, kernel=kernel, note=note,
                               documents_csv=documents_csv, methods_link=methods_link)
