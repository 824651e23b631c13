"""Reports: analyse a corpus once (streamed to tables), run the notebooks through papermill in worker
processes, convert each to HTML without code, and write an index page; and the one- or two-document
highlight page of ``framing highlight``.

The library functions ``build_report`` and ``write_highlight`` are the API; ``framing report`` and
``framing highlight`` only parse arguments and call them. A failed notebook is still saved and converted,
with its error visible, and marked failed in the index; every other report is still produced. A content
hash of the inputs, lexicons, options and notebook decides whether a report is re-run.

The notebooks ship inside the package (``framing/notebooks``, found with ``importlib.resources``), so a
``pip install`` gives a working ``framing report``; they run in a kernel of the Python running framing.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from framing.errors import HighlightError, NotebookNotFoundError, NothingReadError, ParameterError
from framing.model import Analysis

CACHE_NAME = "cache.json"
TABLES_FOLDER = "tables"        # under the report's folder: what framing analyze writes
NOTEBOOKS_FOLDER = "notebooks"  # under the report's folder: the executed notebooks
INDEX_NAME = "index.html"
DOCUMENT_NOTEBOOK, COMPARISON_NOTEBOOK = "document_profile.ipynb", "corpus_comparison.ipynb"


@dataclass
class Job:
    name: str            # file stem of the report, unique in the run
    notebook: Path
    parameters: dict
    doc_id: str = ""     # "" for the corpus comparison
    digest: str = ""
    status: str = "pending"  # ok, failed, cached
    error: str = ""
    summary: dict = field(default_factory=dict)

    @property
    def page(self) -> str:
        """The HTML page of this report, relative to the report's folder."""
        return f"{self.name}.html"


def notebook_dir() -> Path:
    """The notebooks framing ships, as package data (the same in a clone, an editable and a plain install)."""
    folder = resources.files("framing") / "notebooks"
    # papermill and nbconvert take paths: a package that is not on the file system (a zip) cannot serve them
    if isinstance(folder, Path) and (folder / DOCUMENT_NOTEBOOK).is_file():
        return folder
    raise NotebookNotFoundError(f"framing's notebooks are not on the file system ({folder}); reinstall framing, "
                                f"or give a folder of notebooks (--notebooks DIR)")


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


def kernel_python() -> str:
    """The Python the notebooks run in: this one (where framing is installed)."""
    return sys.executable


def _kernel_manager_class():
    """A kernel manager that starts ipykernel's own kernel with this Python (``sys.executable``), whatever
    kernelspecs named "python3" the user's or the system's Jupyter folders hold: one of another Python (a
    system Jupyter, an ``ipykernel install --user`` of long ago) has no framing, and every report would fail."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisPythonKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            # no folders to search: only ipykernel's native spec is left, and it runs sys.executable
            return KernelSpecManager(kernel_dirs=[])

    return ThisPythonKernelManager


def run_notebook(notebook: str, output: str, parameters: dict, html_path: str) -> tuple[str, str]:
    """Execute one notebook and convert it to HTML. Runs in a worker process; returns (status, error)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    status, error = "ok", ""
    try:
        check_parameters(Path(notebook), parameters)
        papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name="python3",
                                   progress_bar=False, shutdown_kernel="immediate",
                                   kernel_manager_class=_kernel_manager_class())
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
    """The executed notebook as a standalone page in framing's theme: no code cells, figures embedded, no
    script from elsewhere, a link back to the index."""
    import nbformat
    from nbconvert import HTMLExporter

    from framing.pages import theme

    exporter = HTMLExporter(template_name=theme.NOTEBOOK_TEMPLATE,
                            extra_template_basedirs=[str(theme.template_dir())])
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
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4),
                                          resources=theme.notebook_resources(index=INDEX_NAME))
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


def _document_digests(tables: Path) -> dict[str, str]:
    """Per document, a hash of its rows in the documents, sentences and hits tables, read row by row (a
    document's report re-runs when one of them changes)."""
    from framing.tables import FILES

    hashes = {}
    for table in ("documents", "sentences", "hits"):
        with open(tables / FILES[table], newline="", encoding="utf-8") as handle:
            rows = csv.reader(handle)
            column = next(rows).index("doc_id")
            for row in rows:
                sha = hashes.setdefault(row[column], hashlib.sha256())
                sha.update(json.dumps([table, row]).encode())
    return {doc_id: sha.hexdigest() for doc_id, sha in hashes.items()}


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
    analysis: Analysis   # the tables, read back

    @property
    def failures(self) -> list[Job]:
        return [job for job in self.jobs if job.status == "failed"]


def build_report(paths, out, *, lexicons=(), targets=None, columns=None, metadata=None, group_by: str = "outlet",
                 jobs: int | None = None, force: bool = False, progress: bool = True,
                 extra_parameters: dict | None = None, notebooks: str | os.PathLike | None = None,
                 arguments: list[str] | None = None) -> ReportResult:
    """Analyse ``paths`` once into ``out/tables``, then run the document profile for every document and the
    corpus comparison once, and write ``out/index.html``.

    The analysis is streamed to the tables as ``framing analyze`` does (the corpus is never held in memory);
    the notebooks and the index read the tables back. ``lexicons``, ``targets``, ``columns`` and ``metadata``
    mean what they mean for ``framing.run.analyze_to_tables``; ``jobs`` worker processes (default: the
    number of cores) analyse the corpus, then run the notebooks. ``extra_parameters`` are passed to every
    notebook (and checked: an undeclared one fails that report). ``notebooks`` is a folder holding your own
    ``document_profile.ipynb`` and ``corpus_comparison.ipynb``.
    """
    from framing.run import analyze_to_tables
    from framing.tables import FILES
    from framing.tables import load_analysis

    out = Path(out).resolve()
    tables = out / TABLES_FOLDER
    jobs = jobs or os.cpu_count() or 1
    (out / NOTEBOOKS_FOLDER).mkdir(parents=True, exist_ok=True)
    summary = analyze_to_tables(paths, tables, lexicons=lexicons, targets=targets, columns=columns,
                                metadata=metadata, jobs=jobs, progress=progress, arguments=arguments)
    if summary.n_documents == 0:
        with open(tables / FILES["errors"], newline="", encoding="utf-8") as handle:
            reasons = "; ".join(f"{row['source']}: {row['reason']}" for row in csv.DictReader(handle))
        raise NothingReadError(f"no document could be read: {reasons}")
    digests = _document_digests(tables)
    doc_ids = list(digests)  # in the order of the tables

    notebooks = Path(notebooks) if notebooks else notebook_dir()
    shared = {"tables": str(tables), "lexicons": [str(Path(p).resolve()) for p in lexicons],
              "targets": targets or "", **(extra_parameters or {})}
    # where the output lives does not change a report: hash what goes in, not the tables' path
    hashed = lambda parameters: {k: v for k, v in parameters.items() if k != "tables"}  # noqa: E731
    options = _digest(summary.run["lexicons"], summary.run["sentiment"], hashed(shared), group_by)
    work: list[Job] = []
    for doc_id in doc_ids:
        notebook = notebooks / DOCUMENT_NOTEBOOK
        job = Job(f"document_{doc_id}", notebook, {**shared, "doc_id": doc_id}, doc_id=doc_id)
        job.digest = _digest(notebook.read_bytes(), options, digests[doc_id], hashed(job.parameters))
        work.append(job)
    notebook = notebooks / COMPARISON_NOTEBOOK
    comparison = Job("corpus_comparison", notebook, {**shared, "group_by": group_by})
    comparison.digest = _digest(notebook.read_bytes(), options, *[digests[d] for d in doc_ids],
                                hashed(comparison.parameters))
    work.append(comparison)

    cache_path = out / CACHE_NAME
    cache = {} if force else _read_cache(cache_path)
    pending = []
    for job in work:
        previous = cache.get(job.name, {})
        if previous.get("digest") == job.digest and previous.get("status") == "ok" and (out / job.page).exists():
            job.status = "cached"
        else:
            pending.append(job)

    _run_jobs(pending, out, jobs=jobs, progress=progress)
    new_cache = {job.name: {"digest": job.digest, "status": "ok" if job.status in ("ok", "cached") else "failed"}
                 for job in work}
    cache_path.write_text(json.dumps(new_cache, indent=1), encoding="utf-8")
    for stale in (out / NOTEBOOKS_FOLDER).glob("*.ipynb"):
        if stale.stem not in new_cache:
            stale.unlink()

    from framing.pages.index import render_index

    analysis = load_analysis(tables)
    # every table framing analyze wrote, named by the module that writes them, then run.json and the rest
    written = [name for name in FILES.values() if (tables / name).is_file()]
    written += sorted(p.name for p in tables.iterdir() if p.is_file() and p.name not in written
                      and not p.name.startswith("."))
    index = out / INDEX_NAME
    index.write_text(render_index(analysis, work, tables=[f"{TABLES_FOLDER}/{name}" for name in written],
                                  parameters={"paths": [str(p) for p in paths], "group_by": group_by, **shared},
                                  group_by=group_by, kernel=kernel_python()), encoding="utf-8")
    return ReportResult(out, index, work, analysis)


def _run_jobs(pending: list[Job], out: Path, *, jobs: int, progress: bool) -> None:
    if not pending:
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=len(pending), unit="report", desc="reports", disable=not progress or None)
    # processes, not threads: parallel papermill in threads races on ZMQ ports
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))), mp_context=context) as pool:
        futures = {pool.submit(run_notebook, str(job.notebook), str(out / NOTEBOOKS_FOLDER / f"{job.name}.ipynb"),
                               job.parameters, str(out / job.page)): job for job in pending}
        for future in as_completed(futures):
            job = futures[future]
            try:
                job.status, job.error = future.result()
            except Exception as exc:  # a worker that died
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
            bar.update()
    bar.close()


# ---- the highlight page ------------------------------------------------------------------------------------

def write_highlight(paths, out, *, lexicons=(), targets=None, columns=None, metadata=None) -> Path:
    """Analyse one or two files and write their highlight page to ``out`` (a file, or a folder to write
    ``<doc_id>.html`` / ``<doc1>_vs_<doc2>.html`` into). Returns the path written.

    The corpus options mean what they mean for ``framing analyze``; a ``metadata.csv`` beside the files
    fills in outlet and title, as it does when their folder is analysed."""
    from framing.pages.highlight import id_part, render_page
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
    analysis = analyze(paths, lexicons=lexicons, targets=targets, columns=columns, metadata=metadata)
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
        out = out / ("_vs_".join(id_part(d) for d in doc_ids) + ".html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(analysis, doc_ids), encoding="utf-8")
    return out
