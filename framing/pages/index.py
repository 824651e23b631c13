"""The report's index page: the comparison in plain words, one line per document with a link to its page and
its state, the inputs that could not be read, the tables, and what the report was made with.

``render_index`` only renders: the report (``framing.report``) runs the notebooks and writes the file. Its
``pages`` are the report's notebook pages, any records with ``name``, ``doc_id`` ("" for the corpus
comparison), ``page`` (the HTML file, relative to the index), ``status`` (ok, cached, failed) and ``error``.
Every piece of document text, metadata and error message is escaped.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from typing import Iterable

from framing import views
from framing.pages.theme import page, state

e = html.escape


def _summary_line(row) -> str:
    return (f"{row['outlet'] or 'unknown outlet'}: {row['n_words']} words, mean sentiment "
            f"{row['sentiment_mean']:+.2f}, loaded terms {row['rate_loaded']:.1f} per 1,000 words, mostly "
            f"{row['main_device']}")


def _comparison_summary(analysis, group_by: str) -> str:
    try:
        from framing.compare import summarise

        return "".join(f"<li>{e(line)}</li>" for line in summarise(analysis, group_by))
    except Exception as exc:  # the index must still be written; the comparison report shows the details
        return f"<li>The comparison summary could not be made: {e(type(exc).__name__)}: {e(str(exc))}</li>"


def render_index(analysis, pages: Iterable, *, tables: Iterable[str], parameters: dict, group_by: str = "outlet",
                 kernel: str = "", note: str = "") -> str:
    """The index as a self-contained page. ``tables`` are the links to the tables (relative to the index);
    ``kernel`` the Python that ran the notebooks; ``note`` one sentence on the comparison (why it groups
    otherwise than asked, or why there is none: ``framing.compare.choose_grouping``). Without a comparison
    page, the comparison's summary is left out."""
    pages = list(pages)
    by_document = {str(p.doc_id): p for p in pages if p.doc_id}
    comparison = next((p for p in pages if not p.doc_id), None)
    failures = [p for p in pages if p.status == "failed"]
    summaries = views.document_summaries(analysis)
    rows = []
    for _, row in summaries.iterrows():
        doc_id = str(row["doc_id"])
        found = by_document.get(doc_id)
        link = f'<a href="{e(found.page, quote=True)}">{e(doc_id)}</a>' if found else e(doc_id)
        rows.append(f"<tr><td>{link}</td><td>{e(str(row['title']))}</td><td>{e(_summary_line(row))}</td>"
                    f"<td>{state(found.status, found.error) if found else state('missing')}</td></tr>")
    errors = "".join(f"<tr><td>{e(str(err.source))}</td><td>{e(str(err.reason))}</td></tr>"
                     for err in analysis.errors.itertuples())
    run = analysis.run
    lexicon_rows = "".join(f'<tr><td>{e(name)}</td><td class="num">{info["entries"]}</td><td><code>'
                           f'{e(info["sha256"])}</code></td></tr>' for name, info in run["lexicons"].items())
    versions = ", ".join(f"{e(k)} {e(str(v))}" for k, v in run["versions"].items())
    made = datetime.now(timezone.utc).isoformat(timespec="seconds")
    comparison_link = (f'<p><a href="{e(comparison.page, quote=True)}">All groups side by side, with intervals and '
                       f'figures</a> ({state(comparison.status, comparison.error)})</p>' if comparison else
                       "" if note else f"<p>No comparison page ({state('missing')}).</p>")
    summary = (f"""<p>In plain words, by {e(group_by)} (a difference is named only where the 95% intervals support
it):</p>
<ul>{_comparison_summary(analysis, group_by)}</ul>""" if comparison or not note else "")
    body = f"""<h1>Framing report</h1>
<p>{len(summaries)} documents analysed, {len(analysis.errors)} inputs skipped; {len(failures)} report(s) failed.
Made {e(made)} with framing {e(run['framing_version'])}.</p>
{'<p class="state-failed">Failed: ' + e(", ".join(p.name for p in failures)) + "</p>" if failures else ""}
<h2>Corpus comparison</h2>
{f'<p class="note">{e(note)}</p>' if note else ""}
{summary}
{comparison_link}
<h2>Documents</h2>
<table class="listing"><thead><tr><th>document</th><th>title</th><th>summary</th><th>report</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Inputs that could not be read</h2>
{'<table class="listing"><thead><tr><th>source</th><th>reason</th></tr></thead><tbody>' + errors + "</tbody></table>"
 if errors else "<p>None.</p>"}
<h2>Tables</h2>
<p>{" · ".join(f'<a href="{e(link, quote=True)}">{e(link.rsplit("/", 1)[-1])}</a>' for link in tables) or "None."}</p>
<h2>Made with</h2>
<p>Parameters: <code>{e(json.dumps(parameters, default=str))}</code></p>
{f"<p>Notebooks ran in: <code>{e(kernel)}</code></p>" if kernel else ""}
<p>Versions: {versions}. Sentiment: {e(run['sentiment']['package'])} {e(run['sentiment']['version'])}, lexicon
sha256 <code>{e(run['sentiment']['lexicon_sha256'])}</code>.</p>
<table class="listing"><thead><tr><th>lexicon</th><th>entries</th><th>sha256</th></tr></thead>
<tbody>{lexicon_rows}</tbody></table>
"""
    return page("framing report", body)
