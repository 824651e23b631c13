"""framing: show, with evidence, how news outlets frame a story.

The public API: ``load_corpus`` (read documents), ``analyze`` (measure them: an ``Analysis`` of DataFrames),
``analyze_to_tables`` (the same, streamed to files), ``load_analysis`` (read tables back), ``write_tables``,
and the records and errors they use. Comparisons, views, plots and pages are in ``framing.compare``,
``framing.views``, ``framing.plots`` and ``framing.pages``; checking framing against people's coding in
``framing.validate``, coders trained on it in ``framing.coder``.
"""

from framing._version import __version__
from framing.errors import FramingError
from framing.model import Analysis, Corpus, Document, IngestError
from framing.read import load_corpus

__all__ = ["Analysis", "Corpus", "Document", "FramingError", "IngestError", "__version__", "analyze",
           "analyze_to_tables", "load_analysis", "load_corpus", "load_documents", "write_tables"]


def __getattr__(name: str):
    # the engine and the tables are loaded on first use: reading them back brings pandas, which worker
    # processes (that import framing) never need
    if name in ("analyze", "analyze_to_tables"):
        from framing import run

        return getattr(run, name)
    if name in ("load_analysis", "load_documents", "write_tables"):
        from framing import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")
