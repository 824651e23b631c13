"""Big gzip and CSV files, split once into plain chunks for the parallel units of ``framing.run``.

A gzip stream cannot be entered in the middle, and neither can a CSV file (a quoted field may hold newlines).
Reading a range of records by skipping the ones before it costs the whole prefix for every range: quadratic
in the size of the file. So such a file is read once, by one worker, and each range of its records is written
to a plain chunk file; the worker of a range then reads only its chunk. Line and row numbers in errors stay
those of the original file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterator

from framing.errors import IngestFailure
from framing.model import IngestError
from framing.read import decode
from framing.read.formats import (CSV_STREAM_ERRORS, Raw, check_csv_header, csv_records, csv_stream_error,
                                  file_stem, jsonl_records, line_notes, line_too_long)
from framing.read.sniff import csv_delimiter, stream_kind

CHUNK_DONE = "DONE"


def chunk_name(index: int, kind: str) -> str:
    return f"{index:06d}.{'jsonl' if kind == 'jsonl' else 'csv'}"


def _chunk_error_path(chunk: Path) -> Path:
    return chunk.with_name(chunk.stem + ".error.json")


def _chunk_notes_path(chunk: Path) -> Path:
    return chunk.with_name(chunk.stem + ".notes.jsonl")


def split_records(path: Path, ranges: list[tuple[int, int | None]], folder: Path, columns: dict[str, str],
                  max_document_mb: float | None = None) -> None:
    """Write records ``ranges[k]`` of ``path`` (JSONL lines or CSV rows, as ``records`` counts them) to
    ``folder/chunk_name(k)``; a problem that ends the file early goes to the chunk's ``.error.json``. What the
    chunk cannot show goes to its ``.notes.jsonl``, by record number: a line longer than ``max_document_mb``
    (an error; the chunk holds an empty line in its place) and CSV rows decoded as Windows-1252 (a warning).
    Idempotent: a folder marked done is left as it is (a resumed run)."""
    if (folder / CHUNK_DONE).exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    kind = stream_kind(path)
    source = str(path)
    limit = decode.max_bytes(max_document_mb)

    def error(index: int, problem: IngestError) -> None:
        target = _chunk_error_path(folder / chunk_name(index, kind))
        target.write_text(json.dumps({"source": problem.source, "reason": problem.reason}), encoding="utf-8")

    try:
        decode.check_stream_head(path, kind)
        if kind == "jsonl":
            _split_jsonl(path, ranges, folder, error, limit)
        else:
            _split_csv(path, ranges, folder, columns, error, limit)
    except IngestFailure as exc:
        error(0, IngestError(source, str(exc)))
    except (OSError, *decode.COMPRESSED_ERRORS) as exc:
        error(0, IngestError(source, decode.os_error_reason(exc)))
    (folder / CHUNK_DONE).write_text("", encoding="utf-8")


def _range_index(ranges, number: int, index: int = 0) -> int:
    """The index of the range holding record ``number`` (1-based), searching from ``index``."""
    while index < len(ranges) - 1 and ranges[index][1] is not None and number > ranges[index][1]:
        index += 1
    return index


class _Chunks:
    """The chunk files of one split, opened in turn as the records pass from one range into the next.
    ``open_chunk(path)`` returns (file, what records are written to)."""

    def __init__(self, folder: Path, ranges, kind: str, open_chunk):
        self.folder, self.ranges, self.kind, self.open_chunk = folder, ranges, kind, open_chunk
        self.index, self.handle, self.sink, self.notes = 0, None, None, None

    def for_record(self, number: int):
        found = _range_index(self.ranges, number, self.index)
        if self.handle is None or found != self.index:
            self.close()
            self.index = found
            self.handle, self.sink = self.open_chunk(self.folder / chunk_name(found, self.kind))
        return self.sink

    def note(self, number: int, errors: list[IngestError], warnings: list[str]) -> None:
        """Note the errors before record ``number`` and the warnings on it, in its chunk's notes."""
        if not errors and not warnings:
            return
        self.for_record(number)
        if self.notes is None:
            self.notes = open(_chunk_notes_path(self.folder / chunk_name(self.index, self.kind)), "w",
                              encoding="utf-8")
        entry = {"at": number, "errors": [[e.source, e.reason] for e in errors], "warnings": warnings}
        self.notes.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = self.sink = None
        if self.notes is not None:
            self.notes.close()
            self.notes = None


def _split_jsonl(path, ranges, folder, error, limit: int) -> None:
    def open_chunk(chunk: Path):
        handle = open(chunk, "wb")
        return handle, handle

    chunks = _Chunks(folder, ranges, "jsonl", open_chunk)
    line_no = 0
    try:
        with decode.open_binary(path) as handle:
            while True:
                line = handle.readline(limit + 1)
                if not line:
                    break
                line_no += 1
                if len(line) > limit and not line.endswith(b"\n"):  # read past it in bounded pieces
                    while line and not line.endswith(b"\n"):
                        line = handle.readline(decode.STREAM_BLOCK)
                    chunks.note(line_no, [IngestError(f"{path}:{line_no}", line_too_long(line_no, limit))], [])
                    line = b"\n"  # the chunk keeps the line's place
                chunks.for_record(line_no).write(line)
    except decode.COMPRESSED_ERRORS as exc:
        error(_range_index(ranges, line_no + 1, chunks.index), decode.truncated_error(f"{path}:{line_no + 1}",
                                                                                       line_no, exc))
    finally:
        chunks.close()


def _split_csv(path, ranges, folder, columns, error, limit: int) -> None:
    csv.field_size_limit(min(limit, 2**31 - 1))  # a C long on every platform
    delimiter = csv_delimiter(path)
    source = str(path)
    header: list[str] = []

    def open_chunk(chunk: Path):
        handle = open(chunk, "w", encoding="utf-8", newline="")
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        return handle, writer

    chunks = _Chunks(folder, ranges, "csv", open_chunk)
    row_no = 0
    with decode.open_binary(path) as binary:
        lines = decode.LineReader(binary, limit, encoding=decode.stream_utf16(path))
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader, None)
            check_csv_header(header, columns)
            for row in reader:
                if not row:  # DictReader skips blank rows without counting them: so must this
                    continue
                row_no += 1
                chunks.note(row_no, *line_notes(lines, source, limit))
                chunks.for_record(row_no).writerow(row)
            chunks.note(row_no + 1, line_notes(lines, source, limit)[0], [])
        except CSV_STREAM_ERRORS as exc:
            error(chunks.index, csv_stream_error(source, reader.line_num, exc, limit))
        finally:
            chunks.close()


def read_chunk(path: Path, kind: str, columns, chunk: Path, offset: int,
               limit: int | None = None) -> Iterator[Raw | IngestError]:
    """The records of ``chunk``, the plain file ``split_records`` wrote for a range of ``path`` starting after
    record ``offset``, read under the original file's name and numbers, with what the split noted; then the
    problem that ended the split there, if any."""
    source = str(path)
    stem = file_stem(path)
    try:
        if chunk.exists():
            notes = _read_notes(chunk)
            if kind == "jsonl":
                yield from jsonl_records(chunk, source, stem, columns, line_offset=offset, limit=limit, notes=notes)
            else:
                yield from csv_records(chunk, source, stem, columns, delimiter=csv_delimiter(path),
                                       row_offset=offset, encoding="utf-8",  # chunks are written in UTF-8
                                       limit=limit, notes=notes)
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
    except OSError as exc:
        yield IngestError(source, decode.os_error_reason(exc))
    problem = _chunk_error_path(chunk)
    if problem.exists():
        yield IngestError(**json.loads(problem.read_text(encoding="utf-8")))


def _read_notes(chunk: Path) -> dict[int, dict]:
    path = _chunk_notes_path(chunk)
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as handle:
        return {entry["at"]: entry for entry in map(json.loads, handle)}
