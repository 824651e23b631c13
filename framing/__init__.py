"""framing: show, with evidence, how news outlets frame a story."""

__version__ = "0.1.0"

from framing.errors import FramingError  # noqa: E402
from framing.model import Analysis, Corpus, Document, IngestError  # noqa: E402
from framing.read import load_corpus  # noqa: E402

__all__ = ["Corpus", "Document", "FramingError", "IngestError", "load_corpus", "__version__"]
__all__ += ["Analysis", "analyze", "write_tables"]


def __getattr__(name: str):
    # framing.analysis is loaded on first use: it brings pandas, which worker processes never need
    if name in ("analyze", "write_tables"):
        from framing import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")
