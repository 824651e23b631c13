"""framing: show, with evidence, how news outlets frame a story."""

__version__ = "0.1.0"

from framing.corpus import Corpus, Document, FramingError, IngestError, load_corpus  # noqa: E402

__all__ = ["Corpus", "Document", "FramingError", "IngestError", "load_corpus", "__version__"]
