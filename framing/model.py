"""The records framing passes between its parts: documents read from a corpus, inputs that could not be read,
and an analysis (its tables as pandas DataFrames). Plain dataclasses; no behaviour beyond what they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Document:
    doc_id: str
    text: str
    source: str
    format: str
    outlet: str = ""
    title: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    removed: list[str] = field(default_factory=list)  # furniture lines cleaning dropped, kept for audit
    warnings: list[str] = field(default_factory=list)

    @property
    def n_words(self) -> int:
        """White-space separated words, as documents.csv counts them (the sum over its sentences)."""
        return len(self.text.split())


@dataclass(frozen=True)
class IngestError:
    """An input (a file, or a line or record of one) that could not be read, and why."""
    source: str
    reason: str


@dataclass
class Corpus:
    documents: list[Document]
    errors: list[IngestError]

    def __iter__(self):  # lets callers write ``documents, errors = load_corpus(...)``
        return iter((self.documents, self.errors))


@dataclass
class Analysis:
    """The tables of one analysis (see ``framing.tables`` for their columns) and the record of the run."""
    documents: pd.DataFrame
    sentences: pd.DataFrame
    hits: pd.DataFrame
    errors: pd.DataFrame
    run: dict
    texts: dict[str, str] = field(default_factory=dict)  # cleaned text per doc_id: offsets point into it
    quotes: pd.DataFrame | None = None  # reported speech, one row per quote or statement (framing.voice)

    def __iter__(self):
        return iter((self.documents, self.sentences, self.hits, self.errors))
