"""framing: show, with evidence, how news outlets frame a story."""

__version__ = "0.1.0"

from framing.corpus import Corpus, Document, FramingError, IngestError, load_corpus  # noqa: E402

__all__ = ["Corpus", "Document", "FramingError", "IngestError", "load_corpus", "__version__"]
from framing.analysis import Analysis, analyze, write_tables  # noqa: E402

__all__ += ["Analysis", "analyze", "write_tables"]
