"""Reports: analyse a corpus once (streamed to tables), run the notebooks through papermill in worker
processes (the comparison of the whole corpus, and a profile of each group against the rest), convert each to
HTML without code, and write an index page; and the one- or two-document
highlight page of ``framing highlight``.

The library functions ``build_report`` and ``write_highlight`` are the API; ``framing report`` and
``framing highlight`` only parse arguments and call them. A failed notebook is still saved and converted,
with its error visible, and marked failed in the index; every other report is still produced. A content
hash of everything a page shows (the document's rows, the corpus medians it is set against, lexicons, options,
notebook) decides whether it is re-run. Extra parameters are checked once, before the analysis, and go only to
the notebooks that declare them.

The report's folder holds files of framing's and perhaps of yours: framing records what it writes
(``ReportFolder``, in ``cache.json``), replaces each file in one step, and replaces or deletes only files it
wrote and that are unchanged since; it never writes an executed notebook over a notebook it runs.

The notebooks ship inside the package (``framing/notebooks``, found with ``importlib.resources``), so a
``pip install`` gives a working ``framing report``; they run in a kernel of the Python running framing. They
read their parameters through ``list_parameter`` (a list given as a string) and ``corpus_path`` (the default
corpus, the demo seeds that ship in ``framing/seeds``, from any folder).
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
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

from framing.errors import (HighlightError, NotebookNotFoundError, NothingReadError, ParameterError,
                            ReportFolderError)
from framing.model import Analysis

CACHE_NAME = "cache.json"
TABLES_FOLDER = "tables"        # under the report's folder: what framing analyze writes
NOTEBOOKS_FOLDER = "notebooks"  # under the report's folder: the executed notebooks
INDEX_NAME = "index.html"
METHODS_HTML, METHODS_MARKDOWN = "methods.html", "methods.md"  # the methods appendix of every report
DOCUMENT_NOTEBOOK, COMPARISON_NOTEBOOK = "document_profile.ipynb", "corpus_comparison.ipynb"
GROUP_NOTEBOOK = "group_profile.ipynb"  # one group (an outlet) against the rest: run once per group
MAX_GROUP_PAGES = 50  # groups that get their own page (the largest first): a kernel each, about 3-15 s
COMPARISON_NAME = "corpus_comparison"  # the comparison's page and executed notebook


@dataclass
class Job:
    name: str            # file stem of the report, unique in the run
    notebook: Path
    parameters: dict
    doc_id: str = ""     # "" for the corpus comparison and the group pages
    group: str = ""      # the group a group page profiles ("" for the others)
    digest: str = ""
    status: str = "pending"  # ok, failed, cached
    error: str = ""
    summary: dict = field(default_factory=dict)
    kind: str = "notebook"   # "notebook" (papermill, a kernel) or "page" (rendered by framing.pages.documents)

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


def declared_default(notebook: Path, name: str, fallback):
    """The default a notebook declares for a parameter (its parameters cell), or ``fallback``."""
    import ast

    try:
        info = declared_parameters(notebook).get(name)
        return ast.literal_eval(info["default"]) if info else fallback
    except (ValueError, SyntaxError, KeyError):
        return fallback


_TYPE_CHECKS = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list, tuple),
                "dict": (dict,)}


def _declared_type(info: dict) -> str:
    return (info.get("inferred_type_name") or "").strip()


def check_parameters(notebook: Path, parameters: dict, declared: dict | None = None) -> dict:
    """An unknown or mistyped parameter is an error naming it (papermill alone only warns). Returns the
    parameters as the notebook gets them: a list parameter given as a string is read as a list
    (``list_parameter``)."""
    declared = declared_parameters(notebook) if declared is None else declared
    checked = {}
    for name, value in parameters.items():
        if name not in declared:
            known = ", ".join(sorted(declared))
            raise ParameterError(f"{notebook.name}: unknown parameter {name!r} (the notebook declares: {known})")
        wanted = _declared_type(declared[name])
        if wanted == "list" and isinstance(value, str):
            value = list_parameter(name, value)
        checks = _TYPE_CHECKS.get(wanted)
        if checks and not (isinstance(value, checks) and not (wanted in ("int", "float") and isinstance(value, bool))):
            raise ParameterError(f"{notebook.name}: parameter {name!r} must be {wanted}, "
                                 f"got {type(value).__name__} {value!r}")
        checked[name] = value
    return checked


def parse_parameter_values(pairs) -> dict:
    """``-p NAME VALUE`` pairs as values: each VALUE read as YAML (``3``, ``true``, ``[a, b]``, ``text``); a
    value that is not YAML is an error naming its parameter."""
    import yaml

    values = {}
    for name, text in pairs:
        try:
            values[name] = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            problem = " ".join(str(getattr(exc, "problem", "") or exc).split())
            raise ParameterError(f"parameter {name!r}: {text!r} is not a YAML value ({problem}); a list is "
                                 f"written [a, b], a text with special characters in quotes") from None
    return values


# what framing report passes to its notebooks itself, and the option that sets it
SET_BY_FRAMING = {"corpus": "the report analyses the PATH... it is given, once, for every notebook",
                  "tables": "the report reads the tables it writes in --out DIR/tables",
                  "lexicons": "give --lexicon FILE", "targets": "give --targets SPEC",
                  "doc_id": "the report runs the document profile once per document",
                  "group": "the report runs the group profile once per group (outlet)",
                  "link_documents": "the report links each group's documents to their pages",
                  "group_by": "give --group-by COLUMN"}
NEEDED = {DOCUMENT_NOTEBOOK: ("tables", "lexicons", "targets", "doc_id"),
          COMPARISON_NOTEBOOK: ("tables", "lexicons", "targets", "group_by"),
          GROUP_NOTEBOOK: ("tables", "lexicons", "targets", "group_by", "group", "link_documents")}


def route_parameters(notebooks: dict[str, Path], parameters: dict) -> dict[str, dict]:
    """Each extra parameter checked once and sent only to the notebooks that declare it: ``notebooks`` maps
    a role (``DOCUMENT_NOTEBOOK``, ``COMPARISON_NOTEBOOK``) to the notebook run in it; returns the
    parameters per role. A parameter no notebook declares, a mistyped one, one framing sets itself, or a
    notebook that does not declare what framing passes it, is a ``ParameterError`` naming it."""
    declared = {role: declared_parameters(path) for role, path in notebooks.items()}
    for role, path in notebooks.items():
        missing = [name for name in NEEDED.get(role, ()) if name not in declared[role]]
        if missing:
            raise ParameterError(f"{path}: declares no {', '.join(map(repr, missing))}: framing report passes "
                                 f"them, so the cell tagged parameters must declare them")
    routed: dict[str, dict] = {role: {} for role in notebooks}
    for name, value in parameters.items():
        if name in SET_BY_FRAMING:
            raise ParameterError(f"parameter {name!r} is set by framing report: {SET_BY_FRAMING[name]}")
        roles = [role for role in notebooks if name in declared[role]]
        if not roles:
            known = "; ".join(f"{path.name} declares: {', '.join(sorted(declared[role]))}"
                              for role, path in notebooks.items())
            raise ParameterError(f"unknown parameter {name!r}: no notebook of the report declares it ({known})")
        for role in roles:
            routed[role].update(check_parameters(notebooks[role], {name: value}, declared[role]))
    return routed


# ---- for the notebooks: their parameters as given by papermill, JupyterLab or framing report --------------

def list_parameter(name: str, value) -> list:
    """A list parameter as a list, however it arrived: a list; or a string, as papermill's ``-p`` and ``-r``
    give one: a JSON or YAML list (``'["gang*", "so-called"]'``), or items separated by commas
    (``gang*, so-called``; ``""`` is no item). Anything else is a ``ParameterError`` naming the parameter:
    a string is never read character by character."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if not isinstance(value, str):
        raise ParameterError(f"parameter {name!r} must be a list, got {type(value).__name__} {value!r}")
    text = value.strip()
    if text.startswith("["):
        import yaml

        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            problem = " ".join(str(getattr(exc, "problem", "") or exc).split())
            raise ParameterError(f"parameter {name!r}: {value!r} is not a list ({problem}); give a list, "
                                 f"e.g. -y '{name}: [\"a*\", \"b\"]', or items separated by commas") from None
        if not isinstance(parsed, list):
            raise ParameterError(f"parameter {name!r}: {value!r} is not a list")
        return parsed
    return [item.strip() for item in text.split(",") if item.strip()]


DEMO_CORPUS = "seeds"  # the notebooks' default corpus: framing's demo seeds, wherever the notebook runs


def demo_corpus() -> Path:
    """The demo seeds framing ships (``framing/seeds``, a copy of the repository's ``seeds/``)."""
    folder = resources.files("framing") / DEMO_CORPUS
    if isinstance(folder, Path) and folder.is_dir():
        return folder
    raise NotebookNotFoundError(f"framing's demo corpus is not on the file system ({folder}); reinstall framing, "
                                f"or set the notebook's corpus parameter to your documents")


def corpus_path(corpus: str) -> str:
    """The corpus a notebook analyses. ``corpus`` as given, except the default ``"seeds"`` when there is no
    ``seeds`` in the working folder: then framing's own copy of the demo seeds. So the defaults work from a
    clone's root (``./seeds``), from ``notebooks/`` (where JupyterLab starts the kernel), from any other
    folder and from a pip install alike."""
    if str(corpus) != DEMO_CORPUS or Path(corpus).exists():
        return corpus
    return str(demo_corpus())


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


# the kernel logs errors only: its warning that it runs over TCP without encryption (the connection is local,
# to this process) printed once per report, hundreds of lines on a corpus, even with --no-progress
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
# Two workers starting kernels at once can be given the same free TCP port (jupyter_client closes the port it found
# before the kernel binds it): one kernel then dies with "Address already in use" before it replies, and a fresh
# clone's test run lost a report to it. Such a kernel ran no cell, so its notebook is run again on a new one.
KERNEL_START_ATTEMPTS = 3


def _kernel_did_not_start(exc: Exception, partial: Path) -> bool:
    """Whether the kernel died before it ran any cell: only then is running the notebook again free of side effects
    (jupyter_client raises the first message only while a kernel starts; a notebook written so far must show no
    executed cell)."""
    text = f"{type(exc).__name__}: {exc}"
    if "Kernel died before replying to kernel_info" not in text and "Address already in use" not in text:
        return False
    try:
        import nbformat

        book = nbformat.read(partial, as_version=4) if partial.exists() else None
    except Exception:  # not a readable notebook: nothing says a cell ran, but nothing says none did
        return False
    return book is None or not any(cell.get("execution_count") for cell in book.cells)


def _partial(path: Path) -> Path:
    """Where a file is written before it replaces ``path`` in one step (same folder, so os.replace is atomic);
    papermill wants an .ipynb name."""
    return path.with_name(f".{path.stem}.framing-partial{path.suffix}")


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``path`` whole or not at all: a reader, or a run that is interrupted, never sees half a file."""
    partial = _partial(path)
    try:
        if isinstance(data, bytes):
            partial.write_bytes(data)
        else:
            partial.write_text(data, encoding="utf-8")
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()


def run_notebook(notebook: str, output: str, parameters: dict, html_path: str) -> tuple[str, str]:
    """Execute one notebook and convert it to HTML. Runs in a worker process; returns (status, error). The
    parameters were checked once, before the batch. The executed notebook and its page replace what was there
    in one step each (they are written beside it first)."""
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.ERROR)  # its per-notebook warnings; errors still show
    output_path = Path(output)
    partial = _partial(output_path)
    status, error = "ok", ""
    try:
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                papermill.execute_notebook(notebook, str(partial), parameters=parameters, kernel_name="python3",
                                           progress_bar=False, shutdown_kernel="immediate",
                                           kernel_manager_class=_kernel_manager_class(),
                                           extra_arguments=KERNEL_ARGUMENTS)
            except PapermillExecutionError as exc:
                status, error = "failed", f"{exc.ename}: {exc.evalue}"
            except Exception as exc:  # a kernel that died, a notebook that cannot be read: the batch goes on
                if attempt < KERNEL_START_ATTEMPTS and _kernel_did_not_start(exc, partial):
                    continue  # no cell ran: the same notebook again, on a new kernel
                status, error = "failed", f"{type(exc).__name__}: {exc}"
                if not partial.exists():
                    _save_failed_parameters(notebook, str(partial), error)
            break
        _record_output_path(partial, output_path)
        try:
            to_html(partial, Path(html_path))
        except Exception as exc:
            status, error = "failed", error or f"HTML conversion failed: {type(exc).__name__}: {exc}"
        os.replace(partial, output_path)
    finally:
        if partial.exists():
            partial.unlink()
    return status, error


def _record_output_path(partial: Path, output: Path) -> None:
    """papermill records where it wrote the notebook: the partial file, which is renamed; record the name it gets."""
    import nbformat

    try:
        book = nbformat.read(partial, as_version=4)
    except Exception:  # nothing readable to fix: the report's state says what went wrong
        return
    record = book.metadata.get("papermill")
    if record is not None and record.get("output_path") != str(output):
        record["output_path"] = str(output)
        nbformat.write(book, partial)


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
    write_atomically(html_path, _strip_remote_scripts(body))


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
    """Per document, a hash of its rows in every table that holds rows of documents (documents, sentences,
    hits, quotes) and of its cleaned text, read row by row: a document's report re-runs when one changes."""
    from framing.tables import FILES

    hashes = {}
    for table in ("documents", "sentences", "hits", "quotes"):
        path = tables / FILES[table]
        if not path.is_file():
            continue
        with open(path, newline="", encoding="utf-8") as handle:
            rows = csv.reader(handle)
            header = next(rows, None)
            if not header or "doc_id" not in header:
                continue
            column = header.index("doc_id")
            for row in rows:
                sha = hashes.setdefault(row[column], hashlib.sha256())
                sha.update(json.dumps([table, row]).encode())
    texts = tables / FILES["texts"]
    if texts.is_file():
        with open(texts, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                sha = hashes.setdefault(str(record["doc_id"]), hashlib.sha256())
                sha.update(json.dumps(["texts", record.get("text")]).encode())
    return {doc_id: sha.hexdigest() for doc_id, sha in hashes.items()}


def _corpus_digest(documents, *, whole: bool) -> str:
    """What a document page shows of the rest of the corpus. The packaged document profile compares the
    document with the corpus median of its measures: the medians of every numeric column of the documents
    table. Notebooks of your own (``whole``) may show any corpus figure: the whole documents table (row order
    aside, which parallel workers do not keep)."""
    if whole:
        ordered = documents.sort_values("doc_id", kind="stable")
        return _digest(ordered.to_csv(index=False))
    medians = documents.select_dtypes("number").median()
    return _digest({column: repr(float(value)) for column, value in medians.items()})


def _file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


MANIFEST_FORMAT = "framing report"


class ReportFolder:
    """What framing wrote in a report folder, kept in ``cache.json``: the digest and state of every page (the
    cache), and every file it wrote with its size, time and SHA-256. framing replaces or deletes a file of the
    folder only when that record says it wrote it and the file is still what it wrote; anything else there (a
    notebook of yours, a page you edited) it leaves alone, and it refuses to write over it.

    A file about to be written is recorded first, without a checksum, so that a run interrupted half way
    still owns what it wrote. A ``cache.json`` of a framing that recorded no files (jobs only) vouches for its
    pages, their notebooks and the index."""

    def __init__(self, out: Path):
        self.out = out
        self.path = out / CACHE_NAME
        self.jobs: dict[str, dict] = {}
        self.files: dict[str, dict] = {}
        if os.path.lexists(self.path):
            self._read()

    def _read(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT:
            self.jobs = dict(data.get("jobs") or {})
            self.files = {rel: dict(record) for rel, record in (data.get("files") or {}).items()
                          if _is_report_file(rel)}
        elif isinstance(data, dict) and all(isinstance(v, dict) and "digest" in v for v in data.values()):
            self.jobs = data  # the cache of an older framing
            self.files = {INDEX_NAME: {}}
            for name in data:
                for rel in (f"{name}.html", f"{NOTEBOOKS_FOLDER}/{name}.ipynb"):
                    if _is_report_file(rel):
                        self.files[rel] = {}
        else:
            raise ReportFolderError(f"{self.path}: framing keeps its record of a report in this file, and this one "
                                    f"is not one framing wrote; move it away, or choose another --out")

    def state(self, rel: str) -> str:
        """"free" (nothing there), "ours" (written by framing, unchanged), "changed" (written by framing,
        changed since) or "foreign" (not written by framing)."""
        path = self.out / rel
        if not os.path.lexists(path):
            return "free"
        record = self.files.get(rel)
        if record is None or path.is_symlink() or not path.is_file():
            return "foreign"
        if "sha256" not in record:  # about to be written, or vouched for by an older cache
            return "ours"
        stat = path.stat()
        if stat.st_size != record["size"]:
            return "changed"
        if stat.st_mtime_ns == record["mtime_ns"] or _file_sha256(path) == record["sha256"]:
            return "ours"
        return "changed"

    def check(self, rels) -> None:
        """Refuse, before writing anything, when one of ``rels`` (paths relative to the folder) is a file framing
        did not write or one changed since it wrote it."""
        why = {"foreign": "not written by framing", "changed": "changed since framing wrote it"}
        conflicts = [f"{rel} ({why[state]})" for rel in rels if (state := self.state(rel)) in why]
        if conflicts:
            shown = ", ".join(conflicts[:5]) + (f" and {len(conflicts) - 5} more" if len(conflicts) > 5 else "")
            raise ReportFolderError(f"{self.out}: the report would replace {shown}; framing replaces only files it "
                                    f"wrote itself: move them away, or choose another --out")

    def reserve(self, rel: str) -> None:
        self.files[rel] = {}

    def record(self, rel: str) -> None:
        path = self.out / rel
        if not path.is_file():
            self.files.pop(rel, None)
            return
        stat = path.stat()
        self.files[rel] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _file_sha256(path)}

    def remove_stale(self, keep) -> None:
        """Delete the files framing wrote on an earlier run and no longer makes (the page of a document gone
        from the corpus), when they are still what it wrote; forget the rest (they are yours now)."""
        keep = set(keep)
        for rel in [rel for rel in self.files if rel not in keep]:
            if self.state(rel) == "ours":
                (self.out / rel).unlink()
            del self.files[rel]

    def save(self) -> None:
        write_atomically(self.path, json.dumps({"format": MANIFEST_FORMAT, "jobs": self.jobs, "files": self.files},
                                               indent=1, sort_keys=True))


def _is_report_file(rel: str) -> bool:
    """A name framing gives its pages and notebooks: ``X.html``, ``X.csv`` or ``methods.md`` in the folder or
    ``notebooks/X.ipynb`` (a record never reaches outside the report folder)."""
    parts = rel.split("/")
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return False
    return (len(parts) == 1 and (rel.endswith((".html", ".csv")) or rel == METHODS_MARKDOWN)) or (
        len(parts) == 2 and parts[0] == NOTEBOOKS_FOLDER and rel.endswith(".ipynb"))


def _outputs(job: Job) -> list[str]:
    """The files a job writes, relative to the report folder."""
    if job.kind == "page":
        return [job.page]
    return [job.page, f"{NOTEBOOKS_FOLDER}/{job.name}.ipynb"]


def _check_notebooks_apart(notebooks: dict[str, Path], out: Path) -> None:
    """The executed notebooks are never written over the notebooks that run: a folder of your notebooks cannot
    be ``out/notebooks``, where the executed ``corpus_comparison.ipynb`` would replace yours."""
    executed = out / NOTEBOOKS_FOLDER
    for notebook in notebooks.values():
        folder = notebook.parent
        if folder.resolve() == executed.resolve() or (executed.is_dir() and os.path.samefile(folder, executed)):
            raise ReportFolderError(
                f"--notebooks {folder} is the folder the report writes its executed notebooks into, where the "
                f"executed {COMPARISON_NOTEBOOK} would replace yours; keep your notebooks in another folder, or "
                f"choose another --out")


# ---- the batch ---------------------------------------------------------------------------------------------

DOCUMENTS_INDEX = "documents_index.csv"  # beside the index: every document with its summary and page
DEFAULT_DOCUMENT_NOTEBOOKS = 0  # documents whose notebook runs by default: none, every page is rendered


@dataclass
class ReportResult:
    out: Path
    index: Path
    jobs: list[Job]
    tables: Path = None          # the tables the report read (``analysis`` reads them back whole)
    errors: object = None        # the inputs that could not be read (a DataFrame: source, reason)
    note: str = ""       # why the comparison groups differently than asked, or why there is none

    @property
    def failures(self) -> list[Job]:
        return [job for job in self.jobs if job.status == "failed"]

    @property
    def analysis(self) -> Analysis:
        """The tables, read back whole (the report itself never holds them: on a large corpus this is big)."""
        from framing.tables import load_analysis

        return load_analysis(self.tables)


def document_notebook_choice(value) -> int | str | list[str]:
    """``--document-notebooks`` as given: a number N (the first N documents), ``all``, ``none``, or document
    ids separated by commas; as build_report's ``document_notebooks``."""
    if value is None:
        return DEFAULT_DOCUMENT_NOTEBOOKS
    if isinstance(value, (int, list, tuple)):
        return value
    text = str(value).strip()
    if text.lower() in ("all", "none", ""):
        return text.lower() or "none"
    if text.isdigit():
        return int(text)
    return [item.strip() for item in text.split(",") if item.strip()]


def _notebook_documents(choice, doc_ids: list[str]) -> set[str]:
    """The documents whose notebook runs: ``choice`` as ``document_notebook_choice`` gives it. An id not in the
    corpus is a ``ParameterError`` naming it."""
    choice = document_notebook_choice(choice)
    if choice == "all":
        return set(doc_ids)
    if choice == "none":
        return set()
    if isinstance(choice, int):
        if choice < 0:
            raise ParameterError(f"--document-notebooks takes a number of documents, not {choice}")
        return set(doc_ids[:choice])
    known = set(doc_ids)
    unknown = [doc_id for doc_id in choice if doc_id not in known]
    if unknown:
        raise ParameterError(f"--document-notebooks: no document with id {', '.join(map(repr, unknown[:5]))} in the "
                             f"corpus (ids start {doc_ids[:3]})")
    return set(choice)


def _renderer_digest() -> str:
    """What a rendered document page depends on besides its data: framing's version, the page templates and
    the modules that make the page (a change to any of them renders every page again)."""
    from importlib import resources as res

    from framing import _version

    parts = [_version.__version__]
    templates = res.files("framing.pages") / "templates"
    for entry in sorted(templates.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".j2"):
            parts.append(entry.read_bytes())
    for module in ("pages/documents.py", "pages/charts.py", "pages/highlight.py", "pages/theme.py", "views.py"):
        parts.append((res.files("framing") / module).read_bytes())
    return _digest(*parts)


def build_report(paths, out, *, lexicons=(), targets=None, columns=None, metadata=None, group_by: str = "outlet",
                 jobs: int | None = None, force: bool = False, progress: bool = True,
                 extra_parameters: dict | None = None, notebooks: str | os.PathLike | None = None,
                 arguments: list[str] | None = None, document_notebooks=DEFAULT_DOCUMENT_NOTEBOOKS,
                 coders=()) -> ReportResult:
    """Analyse ``paths`` once into ``out/tables``, then make a page for every document, run the corpus
    comparison notebook once and the group-profile notebook once per group (each group against the rest; the
    ``MAX_GROUP_PAGES`` largest), and write ``out/index.html`` with ``out/documents_index.csv``.

    The analysis is streamed to the tables as ``framing analyze`` does (the corpus is never held in memory).
    Document pages are rendered without a notebook kernel (``framing.pages.documents``: the same views the
    document-profile notebook shows, read from the tables one document at a time); ``document_notebooks``
    runs the parameterised notebook itself for some documents instead: a number N (the first N), a list of
    ids, ``"all"`` or ``"none"`` (the default, 0). The comparison notebook runs in its own process while the
    pages are rendered. ``lexicons``, ``targets``, ``columns`` and ``metadata`` mean what they mean for
    ``framing.run.analyze_to_tables``; ``jobs`` worker processes (default: the number of cores) analyse the
    corpus, then render the pages and run the notebooks. ``extra_parameters`` go to the notebooks that
    declare them, checked once before anything runs (a parameter no notebook declares, or of the wrong type,
    is a ``ParameterError``). ``notebooks`` is a folder holding your own ``document_profile.ipynb`` and
    ``corpus_comparison.ipynb``, and perhaps ``group_profile.ipynb`` (not ``out/notebooks``, where the executed
    copies go). ``coders``: coder folders (``framing train``) or ``framing.coder.Coder`` records, applied to the
    tables as ``framing analyze --coder`` applies them; their shares are shown beside the other measures.

    When every document falls in one group, the comparison compares documents one by one, and says so; with
    one document there is no comparison, and the index says why. framing replaces and deletes only files it
    wrote in ``out`` (``ReportFolder``); a file of yours where a page would go is a ``ReportFolderError``,
    raised before it is touched. A page, rendered or run, that fails is written with its error and marked
    failed in the index; the others are still made.
    """
    from framing import views
    from framing.compare import choose_grouping
    from framing.run import analyze_to_tables
    from framing.tables import FILES, read_csv_table

    out = Path(out).resolve()
    tables = out / TABLES_FOLDER
    jobs = jobs or os.cpu_count() or 1
    own_notebooks = notebooks is not None
    folder_in = Path(notebooks).resolve() if own_notebooks else notebook_dir()
    books = {role: folder_in / role for role in (DOCUMENT_NOTEBOOK, COMPARISON_NOTEBOOK)}
    for path in books.values():
        if not path.is_file():
            raise NotebookNotFoundError(f"{folder_in}: no {path.name}; a folder of notebooks (--notebooks DIR) must "
                                        f"hold {DOCUMENT_NOTEBOOK} and {COMPARISON_NOTEBOOK}")
    # the group profile of a folder of your own when it holds one, framing's otherwise
    books[GROUP_NOTEBOOK] = folder_in / GROUP_NOTEBOOK if (folder_in / GROUP_NOTEBOOK).is_file() else \
        notebook_dir() / GROUP_NOTEBOOK
    # before any work: the parameters, and the files the report will write
    routed = route_parameters(books, extra_parameters or {})
    document_notebook_choice(document_notebooks)
    _check_notebooks_apart(books, out)
    folder = ReportFolder(out)
    folder.check([INDEX_NAME, DOCUMENTS_INDEX, METHODS_HTML, METHODS_MARKDOWN, f"{COMPARISON_NAME}.html",
                  f"{NOTEBOOKS_FOLDER}/{COMPARISON_NAME}.ipynb"])

    summary = analyze_to_tables(paths, tables, lexicons=lexicons, targets=targets, columns=columns,
                                metadata=metadata, jobs=jobs, progress=progress, arguments=arguments, coders=coders)
    if summary.n_documents == 0:
        with open(tables / FILES["errors"], newline="", encoding="utf-8") as handle:
            reasons = "; ".join(f"{row['source']}: {row['reason']}" for row in csv.DictReader(handle))
        raise NothingReadError(f"no document could be read: {reasons}")
    run = summary.run
    neutralized = bool(run.get("neutralized_formulas"))
    documents = read_csv_table("documents", tables / FILES["documents"], neutralized=neutralized)
    errors = read_csv_table("errors", tables / FILES["errors"], neutralized=neutralized)
    grouping = choose_grouping(SimpleNamespace(documents=documents), group_by)
    digests = _document_digests(tables)
    doc_ids = documents["doc_id"].astype(str).tolist()  # in the order of the tables
    with_notebook = _notebook_documents(document_notebooks, doc_ids)

    shared = {"tables": str(tables), "lexicons": [str(Path(p).resolve()) for p in lexicons], "targets": targets or ""}
    # where the output lives does not change a report: hash what goes in, not the tables' path
    hashed = lambda parameters: {k: v for k, v in parameters.items() if k != "tables"}  # noqa: E731
    # a coder applied (or another one) changes every page: its record is in the key (left out when there is
    # none, so reports made without coders keep their keys)
    options = _digest(run["lexicons"], run["sentiment"], run.get("versions"), run.get("framing_version"),
                      hashed(shared), *([run["coders"]] if run.get("coders") else []))
    # a document page shows the document beside the corpus: what it shows of the corpus is in its key too
    corpus = _corpus_digest(documents, whole=own_notebooks)
    # a rendered page sets the document beside the median documents of its group and of the corpus
    medians = views.measure_medians(Analysis(documents, None, None, None, run), grouping.group_by)
    page_group_by = grouping.group_by
    renderer = _renderer_digest()
    provenance = {"tables": TABLES_FOLDER, "lexicons": shared["lexicons"], "targets": shared["targets"]}
    if "evaluative" in routed[DOCUMENT_NOTEBOOK]:  # -p evaluative true marks evaluative words, as the notebook does
        provenance["evaluative"] = bool(routed[DOCUMENT_NOTEBOOK]["evaluative"])
    group_of = dict(zip(doc_ids, _groups_of(documents, page_group_by)))
    work: list[Job] = []
    notebook = books[DOCUMENT_NOTEBOOK]
    for doc_id in doc_ids:
        if doc_id in with_notebook:
            job = Job(f"document_{doc_id}", notebook, {**shared, **routed[DOCUMENT_NOTEBOOK], "doc_id": doc_id},
                      doc_id=doc_id)
            job.digest = _digest(notebook.read_bytes(), options, corpus, digests.get(doc_id, ""),
                                 hashed(job.parameters))
        else:
            job = Job(f"document_{doc_id}", notebook, {}, doc_id=doc_id, kind="page")
            group = group_of.get(doc_id, "")
            shown = medians.loc[[g for g in (group, "") if g in medians.index]]
            job.digest = _digest("page", renderer, options, digests.get(doc_id, ""), page_group_by,
                                 shown.to_csv(), provenance)
        work.append(job)
    comparison = None
    if grouping.comparable:
        notebook = books[COMPARISON_NOTEBOOK]
        comparison = Job(COMPARISON_NAME, notebook, {**shared, **routed[COMPARISON_NOTEBOOK], "group_by": group_by})
        comparison.digest = _digest(notebook.read_bytes(), options, *[digests.get(d, "") for d in doc_ids],
                                    hashed(comparison.parameters))
        work.append(comparison)
        work += _group_jobs(books[GROUP_NOTEBOOK], grouping.group_by, group_of, doc_ids, digests=digests,
                            parameters={**shared, **routed[GROUP_NOTEBOOK]}, options=options,
                            corpus=_corpus_digest(documents, whole=True), hashed=hashed)
    outputs = [rel for job in work for rel in _outputs(job)]
    folder.check(outputs)

    cache = {} if force else folder.jobs
    pending = []
    for job in work:
        previous = cache.get(job.name, {})
        if previous.get("digest") == job.digest and previous.get("status") == "ok" and (out / job.page).exists():
            job.status = "cached"
        else:
            pending.append(job)
    # recorded before they are written: a run interrupted half way still owns what it wrote
    for rel in [rel for job in pending for rel in _outputs(job)] + [INDEX_NAME, DOCUMENTS_INDEX, METHODS_HTML,
                                                                    METHODS_MARKDOWN]:
        folder.reserve(rel)
    (out / NOTEBOOKS_FOLDER).mkdir(parents=True, exist_ok=True)
    folder.save()

    pages = [job for job in pending if job.kind == "page"]
    runs = [job for job in pending if job.kind == "notebook"]
    try:
        _run_all(runs, pages, out, tables=tables, doc_ids=doc_ids, documents=documents, run=run, medians=medians,
                 group_by=page_group_by, provenance=provenance, neutralized=neutralized, jobs=jobs,
                 progress=progress)
    finally:
        for rel in [rel for job in pending for rel in _outputs(job)]:
            folder.record(rel)
        folder.jobs = {job.name: {"digest": job.digest, "status": "ok" if job.status in ("ok", "cached") else
                                  "failed"} for job in work if job.status != "pending"}
        folder.save()
    folder.remove_stale(outputs + [INDEX_NAME, DOCUMENTS_INDEX, METHODS_HTML, METHODS_MARKDOWN])

    from framing.pages import methods
    from framing.pages.index import documents_index_rows, render_report_index

    # the methods appendix: the same text as a page of the report and as Markdown to adapt for a paper
    n_boot = routed[COMPARISON_NOTEBOOK].get("n_boot", declared_default(books[COMPARISON_NOTEBOOK], "n_boot", 1000))
    appendix = methods.methods(run, n_documents=len(documents),
                               n_groups=grouping.n_groups if grouping.comparable else None,
                               group_by=grouping.group_by, n_boot=int(n_boot))
    write_atomically(out / METHODS_MARKDOWN, methods.markdown(appendix))
    write_atomically(out / METHODS_HTML, methods.render_html(appendix, index_link=INDEX_NAME))
    for rel in (METHODS_MARKDOWN, METHODS_HTML):
        folder.record(rel)
    # every table framing analyze wrote, named by the module that writes them, then run.json and the rest
    written = [name for name in FILES.values() if (tables / name).is_file()]
    written += sorted(p.name for p in tables.iterdir() if p.is_file() and p.name not in written
                      and not p.name.startswith("."))
    summaries = views.document_summaries(Analysis(documents, None, _loaded_hits(tables, neutralized), errors, run))
    findings = _findings(out / NOTEBOOKS_FOLDER / f"{COMPARISON_NAME}.ipynb") if comparison else None
    write_atomically(out / DOCUMENTS_INDEX, _csv_text(documents_index_rows(summaries, work)))
    folder.record(DOCUMENTS_INDEX)
    index = out / INDEX_NAME
    write_atomically(index, render_report_index(
        documents, errors, run, work, summaries=summaries, findings=findings,
        tables=[f"{TABLES_FOLDER}/{name}" for name in written], documents_csv=DOCUMENTS_INDEX,
        parameters={"paths": [str(p) for p in paths], "group_by": group_by, **shared,
                    **{k: v for r in routed.values() for k, v in r.items()}},
        group_by=grouping.group_by, kernel=kernel_python(), note=grouping.note, methods_link=METHODS_HTML))
    folder.record(INDEX_NAME)
    folder.save()
    return ReportResult(out, index, work, tables=tables, errors=errors, note=grouping.note)


def group_page_names(groups, group_by: str) -> dict[str, str]:
    """The page name (file stem) of each group's profile: ``outlet_the-daily-post``; a name that two groups
    would share, or that another page of the report has, gets a short hash of the group added."""
    def slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "group"

    names, taken = {}, {COMPARISON_NAME}
    for group in sorted(groups):
        name = f"{slug(group_by)}_{slug(group)}"
        if name in taken or name.startswith("document_"):
            name = f"{name}-{hashlib.sha256(group.encode()).hexdigest()[:8]}"
        names[group] = name
        taken.add(name)
    return names


def _group_jobs(notebook: Path, group_by: str, group_of: dict[str, str], doc_ids: list[str], *, digests: dict,
                parameters: dict, options: str, corpus: str, hashed) -> list[Job]:
    """A group-profile notebook for each group (the ``MAX_GROUP_PAGES`` largest), keyed by the notebook, the
    whole documents table (the page sets the group against all the others) and the group's own rows."""
    from collections import Counter

    if group_by in ("document", "doc_id", ""):
        return []
    sizes = Counter(group_of.values())
    chosen = sorted(sizes, key=lambda g: (-sizes[g], g))[:MAX_GROUP_PAGES]
    names = group_page_names(chosen, group_by)
    members: dict[str, list[str]] = {}
    for doc_id in doc_ids:
        members.setdefault(group_of.get(doc_id, ""), []).append(digests.get(doc_id, ""))
    jobs = []
    for group in sorted(chosen):
        job = Job(names[group], notebook, {**parameters, "group_by": group_by, "group": group, "link_documents": True},
                  group=group)
        job.digest = _digest(notebook.read_bytes(), options, corpus, *members.get(group, []), hashed(job.parameters))
        jobs.append(job)
    return jobs


def _groups_of(documents, group_by: str) -> list[str]:
    from framing.measure import group_column

    if group_by in ("document", "doc_id", ""):
        return [""] * len(documents)
    return group_column(Analysis(documents, None, None, None, {}), group_by).astype(str).tolist()


def _loaded_hits(tables: Path, neutralized: bool):
    """The loaded-term hits' doc_id, lexicon and category (what the index's one-line summaries need), read a
    chunk at a time: the whole hits table is the largest of a run."""
    import pandas as pd

    from framing.tables import FILES, read_csv_chunks

    path = tables / FILES["hits"]
    parts = []
    if path.is_file():
        for chunk in read_csv_chunks("hits", path, neutralized=neutralized):
            parts.append(chunk.loc[chunk["lexicon"] == "loaded", ["doc_id", "lexicon", "category"]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["doc_id", "lexicon", "category"])


FINDINGS_MIME = "application/vnd.framing.findings+json"  # how the comparison notebook hands its findings over


def _findings(executed: Path) -> list[str] | None:
    """The plain-words findings the comparison notebook displayed (the output it tags with ``FINDINGS_MIME``,
    as papermill users pass values from a notebook), or None when it did not run or shows none."""
    import nbformat

    try:
        book = nbformat.read(executed, as_version=4)
    except Exception:
        return None
    for cell in book.cells:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(FINDINGS_MIME)
            if isinstance(found, list):
                return [str(line) for line in found]
            if isinstance(found, dict) and isinstance(found.get("findings"), list):
                return [str(line) for line in found["findings"]]
    return None


def _csv_text(rows: list[list]) -> str:
    """CSV with every text cell neutralised as framing's tables are (a title ``=HYPERLINK(...)`` stays text)."""
    import io

    from framing.tables import neutralize_formula

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([neutralize_formula(value) for value in row])
    return buffer.getvalue()


def _run_all(runs: list[Job], pages: list[Job], out: Path, *, jobs: int, progress: bool, **render) -> None:
    """The notebooks (papermill, a kernel each) and the rendered pages, at the same time: the comparison
    notebook is one long job, and the pages keep the other cores busy meanwhile."""
    if not runs:
        _render_pages(pages, out, jobs=jobs, progress=progress, **render)
        return
    if not pages:
        _run_jobs(runs, out, jobs=jobs, progress=progress)
        return
    import threading

    failure = []

    def notebooks():
        try:
            _run_jobs(runs, out, jobs=max(1, min(jobs, len(runs))), progress=False)
        except BaseException as exc:  # raised again below, after the pages
            failure.append(exc)

    thread = threading.Thread(target=notebooks, name="framing-notebooks")
    thread.start()
    try:
        _render_pages(pages, out, jobs=jobs, progress=progress, **render)
    finally:
        thread.join()
    if failure:
        raise failure[0]


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


PAGE_BATCH = 20  # documents sent to a worker at once: fewer round trips, still a steady flow


def _render_pages(pages: list[Job], out: Path, *, tables: Path, doc_ids: list[str], documents, run: dict, medians,
                  group_by: str, provenance: dict, neutralized: bool, jobs: int, progress: bool) -> None:
    """Render the document pages of ``pages`` from the tables, streamed one document at a time
    (``framing.pages.documents.stream_documents``), in ``jobs`` worker processes; a page that fails is written
    with its error. At most a few batches wait for a worker, so memory holds a few dozen documents."""
    if not pages:
        return
    from collections import deque

    from tqdm.auto import tqdm

    from framing.pages.documents import object_strings, stream_documents

    documents = object_strings(documents)  # once here, not a row at a time in the workers
    wanted = {job.doc_id: job for job in pages}
    rows_of = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    settings = {"run": run, "medians": medians, "group_by": group_by, "provenance": provenance, "out": str(out)}
    bar = tqdm(total=len(pages), unit="page", desc="document pages", disable=not progress or None)

    def batches():
        batch = []
        for found in stream_documents(tables, doc_ids, neutralized=neutralized, python_strings=True):
            if found.doc_id not in wanted:
                continue
            row = documents.iloc[[rows_of[found.doc_id]]]
            batch.append((wanted[found.doc_id].page, row, found))
            if len(batch) >= PAGE_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def settle(results):
        for page, status, error in results:
            job = by_page[page]
            job.status, job.error = status, error
            bar.update()

    by_page = {job.page: job for job in pages}
    if jobs <= 1:
        _init_page_worker(settings)
        for batch in batches():
            settle(_render_batch(batch))
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_page_worker,
                                 initargs=(settings,)) as pool:
            waiting = deque()
            for batch in batches():
                waiting.append((pool.submit(_render_batch, batch), [page for page, _, _ in batch]))
                while len(waiting) >= 2 * jobs:
                    settle(_batch_result(*waiting.popleft()))
            while waiting:
                settle(_batch_result(*waiting.popleft()))
    for job in pages:
        if job.status == "pending":
            job.status, job.error = "failed", "the page was not made (its document is missing from the tables)"
    bar.close()


def _batch_result(future, pages: list[str]) -> list:
    try:
        return future.result()
    except Exception as exc:  # a worker that died: its batch failed, the rest go on
        return [(page, "failed", f"{type(exc).__name__}: {exc}") for page in pages]


_PAGE_SETTINGS: dict = {}


def _init_page_worker(settings: dict) -> None:
    import pandas as pd

    _PAGE_SETTINGS.clear()
    _PAGE_SETTINGS.update(settings)
    try:
        # pages are made of thousands of small tables: pandas' Arrow-backed strings cost twice the time of
        # Python strings there (a page took 150 ms against 300 ms on the 10,000-document benchmark)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.set_option("future.infer_string", False)
    except (KeyError, ValueError, pd.errors.OptionError):  # a pandas without the option: strings are objects
        pass


def _render_batch(batch) -> list[tuple[str, str, str]]:
    """Render and write the pages of a batch: (page, status, error) each. Runs in a worker process."""
    from framing.pages.documents import document_analysis, render_document_page, render_failed_page

    settings = _PAGE_SETTINGS
    out = Path(settings["out"])
    results = []
    for page, row, found in batch:
        try:
            # the rows arrive with Python strings (streamed so, see _render_pages)
            analysis = document_analysis(row, found, settings["run"])
            text, _ = render_document_page(analysis, found.doc_id, medians=settings["medians"],
                                           group_by=settings["group_by"], index=INDEX_NAME,
                                           provenance=settings["provenance"])
            status, error = "ok", ""
        except Exception as exc:  # this document's page fails, the others go on
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            text = render_failed_page(found.doc_id, error, index=INDEX_NAME)
        write_atomically(out / page, text)
        results.append((page, status, error))
    return results


# ---- the highlight page ------------------------------------------------------------------------------------

def write_highlight(paths, out, *, lexicons=(), targets=None, columns=None, metadata=None,
                    evaluative: bool = False) -> Path:
    """Analyse one or two files and write their highlight page to ``out`` (a file, or a folder to write
    ``<doc_id>.html`` / ``<doc1>_vs_<doc2>.html`` into). Returns the path written. Evaluative words (praise,
    intensifiers, comment adverbs) are marked only with ``evaluative=True``.

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
    out.write_text(render_page(analysis, doc_ids, evaluative=evaluative), encoding="utf-8")
    return out
