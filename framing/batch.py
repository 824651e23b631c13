"""Batch reports: analyse a corpus once, run the notebooks through papermill in worker processes, convert
each to HTML without code, and write an index page.

The library function ``build_report`` is the API; ``framing report`` only parses arguments and calls it.
A failed notebook is still saved and converted, with its error visible, and marked failed in the index;
every other report is still produced. A content hash of the inputs, lexicons, options and notebook decides
whether a report is re-run.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from framing.model import Analysis
from framing.run import analyze
from framing.tables import write_tables
from framing.errors import FramingError, NotebookNotFoundError, NothingReadError, ParameterError

CACHE_NAME = "cache.json"




@dataclass
class Job:
    name: str            # file stem of the report, unique in the run
    notebook: Path
    parameters: dict
    digest: str = ""
    status: str = "pending"  # ok, failed, cached
    error: str = ""
    summary: dict = field(default_factory=dict)


def notebook_dir() -> Path:
    """The notebooks shipped in the repository (``notebooks/`` beside the package)."""
    here = Path(__file__).resolve().parent.parent / "notebooks"
    if here.is_dir():
        return here
    raise NotebookNotFoundError("cannot find the notebooks/ folder; run from a clone of the repository")


def declared_parameters(notebook: Path) -> dict:
    import papermill

    return papermill.inspect_notebook(str(notebook))


_TYPE_CHECKS = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list, tuple),
                "dict": (dict,)}


def check_parameters(notebook: Path, parameters: dict) -> None:
    """An unknown or mistyped parameter is an error naming it (papermill alone only warns)."""
    declared = declared_parameters(notebook)
    for name, value in parameters.items():
        if name not in declared:
            known = ", ".join(sorted(declared))
            raise ParameterError(f"{notebook.name}: unknown parameter {name!r} (the notebook declares: {known})")
        wanted = (declared[name].get("inferred_type_name") or "").strip()
        checks = _TYPE_CHECKS.get(wanted)
        if checks and not (isinstance(value, checks) and not (wanted in ("int", "float") and isinstance(value, bool))):
            raise ParameterError(f"{notebook.name}: parameter {name!r} must be {wanted}, "
                                 f"got {type(value).__name__} {value!r}")


def run_notebook(notebook: str, output: str, parameters: dict, html_path: str) -> tuple[str, str]:
    """Execute one notebook and convert it to HTML. Runs in a worker process; returns (status, error)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    status, error = "ok", ""
    try:
        check_parameters(Path(notebook), parameters)
        papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name="python3",
                                   progress_bar=False, shutdown_kernel="immediate")
    except PapermillExecutionError as exc:
        status, error = "failed", f"{exc.ename}: {exc.evalue}"
    except ParameterError as exc:
        status, error = "failed", str(exc)
        _save_failed_parameters(notebook, output, str(exc))
    except Exception as exc:  # a kernel that died, a notebook that cannot be read: the batch goes on
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        if not Path(output).exists():
            _save_failed_parameters(notebook, output, error)
    try:
        to_html(Path(output), Path(html_path))
    except Exception as exc:
        status, error = "failed", error or f"HTML conversion failed: {type(exc).__name__}: {exc}"
    return status, error


def _save_failed_parameters(notebook: str, output: str, message: str) -> None:
    """A notebook that never ran is still saved, with the reason as its first cell."""
    import nbformat

    book = nbformat.read(notebook, as_version=4)
    cell = nbformat.v4.new_markdown_cell(f"**This report failed before it ran:** {html.escape(message)}")
    book.cells.insert(0, cell)
    nbformat.write(book, output)


def to_html(notebook: Path, html_path: Path) -> None:
    """The executed notebook as a standalone page: no code cells, figures embedded, no script from elsewhere."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    # the lab template would fetch MathJax and require.js from a CDN; reports must open offline
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    exporter.jquery_url = ""
    exporter.widget_renderer_url = ""
    exporter.jupyter_widgets_base_url = ""
    exporter.mermaid_js_url = ""
    exporter.mermaid_layout_elk_js_url = ""
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    html_path.write_text(_strip_remote_scripts(body), encoding="utf-8")


# script tags left pointing at a CDN, or at nothing once the exporter's URLs are emptied
_REMOTE_SCRIPT = re.compile(r"<script[^>]+src=[\"'](?:https?://[^\"']*)?[\"'][^>]*>\s*</script>")


def _strip_remote_scripts(page: str) -> str:
    return _REMOTE_SCRIPT.sub("", page)


# ---- hashing and cache ------------------------------------------------------------------------------------

def _digest(*parts) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str).encode())
        sha.update(b"\0")
    return sha.hexdigest()


def _document_digest(analysis: Analysis, doc_id: str) -> str:
    documents, sentences, hits = analysis.documents, analysis.sentences, analysis.hits
    return _digest(documents[documents.doc_id == doc_id].to_csv(index=False),
                   sentences[sentences.doc_id == doc_id].to_csv(index=False),
                   hits[hits.doc_id == doc_id].to_csv(index=False))


def _read_cache(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# ---- the batch ---------------------------------------------------------------------------------------------

@dataclass
class ReportResult:
    out: Path
    index: Path
    jobs: list[Job]
    analysis: Analysis

    @property
    def failures(self) -> list[Job]:
        return [job for job in self.jobs if job.status == "failed"]


def build_report(paths=("seeds",), out="reports/seeds", *, lexicons=(), targets=None, group_by: str = "outlet",
                 jobs: int | None = None, force: bool = False, progress: bool = True,
                 extra_parameters: dict | None = None, notebooks: str | os.PathLike | None = None) -> ReportResult:
    """Analyse ``paths`` once, then run the document profile for every document and the corpus comparison once.

    ``extra_parameters`` are passed to every notebook (and checked: an undeclared one fails that report).
    ``notebooks`` is a folder holding your own ``document_profile.ipynb`` and ``corpus_comparison.ipynb``.
    """
    out = Path(out).resolve()
    tables = out / "tables"
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    analysis = analyze(list(paths), lexicons=list(lexicons), targets=targets, progress=False)
    if analysis.documents.empty:
        raise NothingReadError("no document could be read: " + "; ".join(
            f"{e.source}: {e.reason}" for e in analysis.errors.itertuples()))
    write_tables(analysis, tables)

    notebooks = Path(notebooks) if notebooks else notebook_dir()
    shared = {"tables": str(tables), "lexicons": [str(Path(p).resolve()) for p in lexicons],
              "targets": targets or "", **(extra_parameters or {})}
    # where the output lives does not change a report: hash what goes in, not the tables' path
    hashed = lambda parameters: {k: v for k, v in parameters.items() if k != "tables"}  # noqa: E731
    options = _digest(analysis.run["lexicons"], analysis.run["sentiment"], hashed(shared), group_by)
    work: list[Job] = []
    for doc_id in analysis.documents["doc_id"]:
        notebook = notebooks / "document_profile.ipynb"
        job = Job(f"document_{doc_id}", notebook, {**shared, "doc_id": doc_id})
        job.digest = _digest(notebook.read_bytes(), options, _document_digest(analysis, doc_id), hashed(job.parameters))
        work.append(job)
    notebook = notebooks / "corpus_comparison.ipynb"
    comparison = Job("corpus_comparison", notebook, {**shared, "group_by": group_by})
    comparison.digest = _digest(notebook.read_bytes(), options,
                                *[_document_digest(analysis, d) for d in analysis.documents["doc_id"]],
                                hashed(comparison.parameters))
    work.append(comparison)

    cache_path = out / CACHE_NAME
    cache = {} if force else _read_cache(cache_path)
    pending = []
    for job in work:
        previous = cache.get(job.name, {})
        if previous.get("digest") == job.digest and previous.get("status") == "ok" and (out / f"{job.name}.html").exists():
            job.status = "cached"
        else:
            pending.append(job)

    _run_jobs(pending, out, jobs=jobs or os.cpu_count() or 1, progress=progress)
    new_cache = {job.name: {"digest": job.digest, "status": "ok" if job.status in ("ok", "cached") else "failed"}
                 for job in work}
    cache_path.write_text(json.dumps(new_cache, indent=1), encoding="utf-8")
    for stale in (out / "notebooks").glob("*.ipynb"):
        if stale.stem not in new_cache:
            stale.unlink()
    index = write_index(out, analysis, work, parameters={"paths": [str(p) for p in paths], "group_by": group_by,
                                                         **shared}, group_by=group_by)
    return ReportResult(out, index, work, analysis)


def _run_jobs(pending: list[Job], out: Path, *, jobs: int, progress: bool) -> None:
    if not pending:
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=len(pending), unit="report", desc="reports", disable=not progress or None)
    # processes, not threads: parallel papermill in threads races on ZMQ ports (NOTES.md)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))), mp_context=context) as pool:
        futures = {pool.submit(run_notebook, str(job.notebook), str(out / "notebooks" / f"{job.name}.ipynb"),
                               job.parameters, str(out / f"{job.name}.html")): job for job in pending}
        for future in as_completed(futures):
            job = futures[future]
            try:
                job.status, job.error = future.result()
            except Exception as exc:  # a worker that died
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
            bar.update()
    bar.close()


# ---- the index page ----------------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;color:#1a1a1a;
line-height:1.45;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.failed{color:#8b0000;font-weight:bold}.ok{color:#0b5d1e}.cached{color:#444}code{background:#f4f4f4;padding:0 .2rem}
a{color:#0645ad}
"""


def write_index(out: Path, analysis: Analysis, jobs: list[Job], *, parameters: dict, group_by: str = "outlet") -> Path:
    from framing.views import document_summaries

    e = html.escape
    summaries = document_summaries(analysis).set_index("doc_id")
    status = {job.name: job for job in jobs}
    rows = []
    for doc_id, row in summaries.iterrows():
        job = status.get(f"document_{doc_id}")
        state = job.status if job else "missing"
        line = (f"{row['outlet'] or 'unknown outlet'}: {row['n_words']} words, mean sentiment "
                f"{row['sentiment_mean']:+.2f}, loaded terms {row['rate_loaded']:.1f} per 1,000 words, mostly "
                f"{row['main_device']}")
        rows.append(f"<tr><td><a href=\"{e(f'document_{doc_id}.html', quote=True)}\">{e(doc_id)}</a></td>"
                    f"<td>{e(str(row['title']))}</td><td>{e(line)}</td>"
                    f"<td class=\"{e(state)}\">{e(state)}{(': ' + e(job.error)) if job and job.error else ''}</td></tr>")
    comparison = status.get("corpus_comparison")
    try:
        from framing.compare import summarise

        plain = "".join(f"<li>{e(line)}</li>" for line in summarise(analysis, group_by))
    except Exception as exc:  # the index must still be written; the comparison report shows the details
        plain = f"<li>The comparison summary could not be made: {e(type(exc).__name__)}: {e(str(exc))}</li>"
    failures = [job for job in jobs if job.status == "failed"]
    errors = "".join(f"<tr><td>{e(str(err.source))}</td><td>{e(str(err.reason))}</td></tr>"
                     for err in analysis.errors.itertuples())
    run = analysis.run
    lexicon_rows = "".join(f"<tr><td>{e(name)}</td><td class=num>{info['entries']}</td><td><code>{e(info['sha256'])}"
                           f"</code></td></tr>" for name, info in run["lexicons"].items())
    versions = ", ".join(f"{e(k)} {e(str(v))}" for k, v in run["versions"].items())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>framing report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>Framing report</h1>
<p>{len(summaries)} documents analysed, {len(analysis.errors)} inputs skipped; {len(failures)} report(s) failed.
Made {e(datetime.now(timezone.utc).isoformat(timespec="seconds"))} with framing {e(run['framing_version'])}.</p>
{"<p class=failed>Failed: " + e(", ".join(job.name for job in failures)) + "</p>" if failures else ""}
<h2>Corpus comparison</h2>
<p>In plain words, by {e(group_by)} (a difference is named only where the 95% intervals support it):</p>
<ul>{plain}</ul>
<p><a href="corpus_comparison.html">All groups side by side, with intervals and figures</a>
<span class="{e(comparison.status if comparison else 'missing')}">({e(comparison.status if comparison else 'missing')}
{(': ' + e(comparison.error)) if comparison and comparison.error else ''})</span></p>
<h2>Documents</h2>
<table><thead><tr><th>document</th><th>title</th><th>summary</th><th>report</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Inputs that could not be read</h2>
{"<table><thead><tr><th>source</th><th>reason</th></tr></thead><tbody>" + errors + "</tbody></table>" if errors else "<p>None.</p>"}
<h2>Tables</h2>
<p><a href="tables/documents.csv">documents.csv</a> · <a href="tables/sentences.csv">sentences.csv</a> ·
<a href="tables/hits.csv">hits.csv</a> · <a href="tables/errors.csv">errors.csv</a> ·
<a href="tables/texts.jsonl">texts.jsonl</a> · <a href="tables/run.json">run.json</a></p>
<h2>Made with</h2>
<p>Parameters: <code>{e(json.dumps(parameters, default=str))}</code></p>
<p>Versions: {versions}. Sentiment: {e(run['sentiment']['package'])} {e(run['sentiment']['version'])}, lexicon
sha256 <code>{e(run['sentiment']['lexicon_sha256'])}</code>.</p>
<table><thead><tr><th>lexicon</th><th>entries</th><th>sha256</th></tr></thead><tbody>{lexicon_rows}</tbody></table>
</body></html>
"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
