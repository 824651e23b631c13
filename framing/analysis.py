"""The analysis: every document and sentence measured, as tidy tables.

``analyze(...)`` is the one entry point notebooks and the command line use. It returns an ``Analysis`` of
pandas DataFrames (documents, sentences, hits, errors) plus the run record that makes results reproducible.
"""

from __future__ import annotations

import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from typing import TYPE_CHECKING

import framing
from framing import lexicons as lex
from framing import measure, sentiment
from framing.measure import Setup, analyze_document, make_setup
from framing.model import Analysis, Corpus, Document, IngestError
from framing.tables import write_tables  # noqa: F401  (framing.write_tables)

if TYPE_CHECKING:
    pass
# pandas is imported where tables are built, not with the module: worker processes import this module for
# analyze_document and never build a table, and pandas is 90 MiB of each worker's memory

DOCUMENT_COLUMNS = ["doc_id", "source", "format", "outlet", "title", "author", "date", "url", "n_words",
                    "n_sentences"]
SENTENCE_COLUMNS = list(measure.SENTENCE_COLUMNS)
HIT_COLUMNS = list(measure.HIT_COLUMNS)
ERROR_COLUMNS = ["source", "reason"]


def analyze(corpus, *, lexicons=(), targets=None, columns: dict | None = None, metadata=None,
            progress: bool = False, jobs: int = 1, engine: str = "local", scheduler: str | None = None) -> Analysis:
    """Analyse a corpus: paths (files, directories, globs), a ``Corpus``, or a list of ``Document``.

    ``lexicons`` are extra lexicon files (TSV/CSV/YAML/.dic); ``targets`` is a spec such as
    ``"Albania=Albania|Albanian|Albanians; NATO"``. ``jobs`` worker processes (or ``engine="dask"``) analyse
    paths in parallel; the rows are the same, in the same order, whatever the number of jobs.
    """
    if not (isinstance(corpus, Corpus) or (isinstance(corpus, list) and corpus
                                           and all(isinstance(d, (Document, IngestError)) for d in corpus))):
        from framing.pipeline import analyze_paths

        return analyze_paths(corpus, lexicons=lexicons, targets=targets, columns=columns, metadata=metadata,
                             jobs=jobs, engine=engine, scheduler=scheduler, progress=progress)
    started = time.time()
    setup = make_setup(lexicon_files=lexicons, targets=targets)
    items = [*corpus.documents, *corpus.errors] if isinstance(corpus, Corpus) else corpus
    doc_rows, sentence_rows, hit_rows, error_rows, texts = [], [], [], [], {}
    for item in items:
        if isinstance(item, IngestError):
            error_rows.append({"source": item.source, "reason": item.reason})
            continue
        row, sentences, hits = analyze_document(item, setup)
        doc_rows.append(row)
        sentence_rows.extend(sentences)
        hit_rows.extend(hits)
        texts[item.doc_id] = item.text

    import pandas as pd

    documents = pd.DataFrame(doc_rows)
    if documents.empty:
        documents = pd.DataFrame(columns=DOCUMENT_COLUMNS)
    run = run_record(setup, options={"lexicons": [str(p) for p in lexicons], "targets": targets,
                                     "columns": columns or {}, "metadata": str(metadata) if metadata else None},
                     started=started, n_documents=len(doc_rows), n_errors=len(error_rows))
    return Analysis(documents=documents,
                    sentences=pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS),
                    hits=pd.DataFrame(hit_rows, columns=HIT_COLUMNS),
                    errors=pd.DataFrame(error_rows, columns=ERROR_COLUMNS),
                    run=run, texts=texts)


def _versions() -> dict:
    names = ("framing", "pandas", "nltk", "vaderSentiment", "trafilatura", "scikit-learn", "matplotlib",
             "papermill")
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            found[name] = None
    return found


def run_record(setup: Setup, *, options: dict, started: float, n_documents: int, n_errors: int,
               arguments: list[str] | None = None) -> dict:
    return {
        "framing_version": framing.__version__,
        "arguments": arguments if arguments is not None else sys.argv[1:],
        "options": options,
        "started": datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 3),
        "versions": _versions(),
        "sentiment": sentiment.vader_provenance(),
        "lexicons": lex.lexicon_checksums(setup.lexicons),
        "targets": {t.name: list(t.aliases) for t in setup.targets},
        "categories": [list(pair) for pair in setup.categories],
        "n_documents": n_documents,
        "n_errors": n_errors,
    }
