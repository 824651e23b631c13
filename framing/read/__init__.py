"""Reading a corpus: news documents in the shapes they really come in.

One reader per format (plain text, Markdown, saved HTML pages, WordPress REST JSON, JSON records, JSONL, CSV,
Parquet), chosen by content where the suffix lies. Every input that cannot be read becomes one ``IngestError``
naming the file and the reason; the rest of the corpus is still read.

The modules, each importing only those above it: ``decode`` (bytes to text, streams), ``jsonfix`` (lenient
JSON), ``sniff`` (the format), ``metadata`` (columns, bylines, dates, sidecars), ``ids``, ``paths`` (the files
to read), ``formats`` (one reader per format, giving raw records), ``units`` (big files split into chunks for
``framing.run``), ``document`` (a raw record cleaned into a Document). This module is the public API.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from framing.errors import IngestFailure
from framing.model import Corpus, Document, IngestError
from framing.read.decode import MAX_DOCUMENT_MB, count_newlines, decode_bytes, max_bytes, stream_head
from framing.read.document import clean_body, to_document
from framing.read.formats import Raw, read_stream, read_whole_file
from framing.read.ids import IdAllocator, safe_id
from framing.read.jsonfix import parse_json_lenient
from framing.read.metadata import (COLUMN_CANDIDATES, METADATA_FIELDS, SIDECAR_NAME, extract_header_metadata,
                                   read_sidecar, read_sidecars)
from framing.read.paths import OWNER_MARKER, expand_paths, read_marker
from framing.read.sniff import sniff_format, stream_kind
from framing.read.units import chunk_name, read_chunk, split_records

__all__ = ["COLUMN_CANDIDATES", "MAX_DOCUMENT_MB", "METADATA_FIELDS", "OWNER_MARKER", "SIDECAR_NAME", "IdAllocator",
           "chunk_name", "read_marker",
           "clean_body", "count_newlines", "decode_bytes", "expand_paths", "extract_header_metadata", "iter_corpus",
           "load_corpus", "parse_json_lenient", "read_documents", "read_sidecar", "read_sidecars", "safe_id",
           "sniff_format", "split_records", "stream_head", "stream_kind"]


def iter_corpus(paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                columns: dict[str, str] | None = None,
                metadata: str | os.PathLike | None = None,
                max_document_mb: float | None = None) -> Iterator[Document | IngestError]:
    """Yield each document or error in a stable order, one at a time (memory does not grow with the corpus).

    ``columns`` maps a role (text, title, outlet, author, date, url, id) to a column/key name for CSV, JSONL
    and JSON records. ``metadata`` is a sidecar CSV; a ``metadata.csv`` inside a directory read is used too.
    ``max_document_mb``: what one document may take (a compressed file decompressed, one JSONL or CSV line;
    None: ``MAX_DOCUMENT_MB``, 64); a bigger one is an error, and the rest is read.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    columns = {k: v for k, v in (columns or {}).items() if v}
    sidecar, sidecar_errors = read_sidecars(paths, metadata)
    yield from sidecar_errors
    allocate = IdAllocator()
    for item in expand_paths(paths):
        if isinstance(item, IngestError):
            yield item
            continue
        for document in read_documents(item, columns=columns, sidecar=sidecar, max_document_mb=max_document_mb):
            if isinstance(document, Document):
                document.doc_id = allocate(document.doc_id)  # only documents that survive cleaning take an id
            yield document


def read_documents(path: Path, *, columns: dict[str, str], sidecar: dict, start: int = 0, end: int | None = None,
                   records: tuple[int, int | None] = (0, None), chunk: Path | None = None,
                   newlines_before: int | None = None,
                   max_document_mb: float | None = None) -> Iterator[Document | IngestError]:
    """The cleaned documents of one file (or of a byte or record range of it), each with its provisional id
    (a safe form of its file name or id column); the caller makes ids unique across the run. The one reading
    path of ``load_corpus`` and of the workers of ``framing.run``."""
    for raw in _read_file(path, columns, start, end, records, chunk, newlines_before, max_bytes(max_document_mb)):
        if isinstance(raw, IngestError):
            yield raw
            continue
        raw.file_name = path.name
        try:
            yield to_document(raw, safe_id(raw.id_hint), sidecar)
        except IngestFailure as exc:
            yield IngestError(raw.source, str(exc))


def load_corpus(paths, *, columns: dict[str, str] | None = None,
                metadata: str | os.PathLike | None = None, max_document_mb: float | None = None) -> Corpus:
    """Read every path; return the documents and one error per input that could not be read."""
    documents: list[Document] = []
    errors: list[IngestError] = []
    for item in iter_corpus(paths, columns=columns, metadata=metadata, max_document_mb=max_document_mb):
        (errors if isinstance(item, IngestError) else documents).append(item)
    return Corpus(documents, errors)


def _read_file(path: Path, columns: dict[str, str], start: int = 0, end: int | None = None,
               records: tuple[int, int | None] = (0, None), chunk: Path | None = None,
               newlines_before: int | None = None, limit: int | None = None) -> Iterator[Raw | IngestError]:
    """Documents (or errors) from one file; for big record files, a byte range or a range of records
    (0-based, end excluded: lines of JSONL, rows of CSV and Parquet). ``chunk`` is the plain file that
    ``split_records`` wrote for that range of records: it is read instead, under the original file's name."""
    kind = stream_kind(path)
    if chunk is not None:
        yield from read_chunk(path, kind, columns, chunk, records[0], limit)
    elif kind is not None:
        yield from read_stream(path, kind, columns, start, end, records, newlines_before, limit)
    else:
        yield from read_whole_file(path, columns, limit)
