"""Big gzip and CSV files, split once into plain chunks for the parallel units of ``framing.run``.

A gzip stream cannot be entered in the middle, and neither can a CSV file (a quoted field may hold newlines).
Reading a range of records by skipping the ones before it costs the whole prefix for every range: quadratic
in the size of the file. So such a file is read once, by one worker, and each range of its records is written
to a plain chunk file; the worker of a range then reads only its chunk. Line and row numbers in errors stay
those of the original file.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Iterator

from framing.errors import IngestFailure
from framing.model import IngestError
from framing.read import decode
from framing.read.formats import (CSV_STREAM_ERRORS, Raw, check_csv_header, csv_records, csv_stream_error,
                                  file_stem, jsonl_records)
from framing.read.sniff import csv_delimiter, stream_kind

CHUNK_DONE = "DONE"


def chunk_name(index: int, kind: str) -> str:
    return f"{index:06d}.{'jsonl' if kind == 'jsonl' else 'csv'}"


def _chunk_error_path(chunk: Path) -> Path:
    return chunk.with_name(chunk.stem + ".error.json")


def split_records(path: Path, ranges: list[tuple[int, int | None]], folder: Path, columns: dict[str, str]) -> None:
    """Write records ``ranges[k]`` of ``path`` (JSONL lines or CSV rows, as ``records`` counts them) to
    ``folder/chunk_name(k)``; a problem that ends the file early goes to the chunk's ``.error.json``.
    Idempotent: a folder marked done is left as it is (a resumed run)."""
    if (folder / CHUNK_DONE).exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    kind = stream_kind(path)
    source = str(path)

    def error(index: int, problem: IngestError) -> None:
        target = _chunk_error_path(folder / chunk_name(index, kind))
        target.write_text(json.dumps({"source": problem.source, "reason": problem.reason}), encoding="utf-8")

    try:
        decode.check_stream_head(path)
        if kind == "jsonl":
            _split_jsonl(path, ranges, folder, error)
        else:
            _split_csv(path, ranges, folder, columns, error)
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
        self.index, self.handle, self.sink = 0, None, None

    def for_record(self, number: int):
        found = _range_index(self.ranges, number, self.index)
        if self.handle is None or found != self.index:
            self.close()
            self.index = found
            self.handle, self.sink = self.open_chunk(self.folder / chunk_name(found, self.kind))
        return self.sink

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = self.sink = None


def _split_jsonl(path, ranges, folder, error) -> None:
    def open_chunk(chunk: Path):
        handle = open(chunk, "wb")
        return handle, handle

    chunks = _Chunks(folder, ranges, "jsonl", open_chunk)
    line_no = 0
    try:
        with decode.open_binary(path) as handle:
            for line in handle:
                line_no += 1
                chunks.for_record(line_no).write(line)
    except decode.COMPRESSED_ERRORS as exc:
        error(_range_index(ranges, line_no + 1, chunks.index), decode.truncated_error(f"{path}:{line_no + 1}",
                                                                                       line_no, exc))
    finally:
        chunks.close()


def _split_csv(path, ranges, folder, columns, error) -> None:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = csv_delimiter(path)
    encoding, _ = decode.stream_encoding(path)
    header: list[str] = []

    def open_chunk(chunk: Path):
        handle = open(chunk, "w", encoding="utf-8", newline="")
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        return handle, writer

    chunks = _Chunks(folder, ranges, "csv", open_chunk)
    row_no = 0
    with decode.open_binary(path) as binary:
        handle = io.TextIOWrapper(binary, encoding=encoding, newline="")
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader, None)
            check_csv_header(header, columns)
            for row in reader:
                if not row:  # DictReader skips blank rows without counting them: so must this
                    continue
                row_no += 1
                chunks.for_record(row_no).writerow(row)
        except CSV_STREAM_ERRORS as exc:
            error(chunks.index, csv_stream_error(str(path), reader.line_num, exc))
        finally:
            chunks.close()


def read_chunk(path: Path, kind: str, columns, chunk: Path, offset: int) -> Iterator[Raw | IngestError]:
    """The records of ``chunk``, the plain file ``split_records`` wrote for a range of ``path`` starting after
    record ``offset``, read under the original file's name and numbers; then the problem that ended the split
    there, if any."""
    source = str(path)
    stem = file_stem(path)
    try:
        if chunk.exists():
            if kind == "jsonl":
                yield from jsonl_records(chunk, source, stem, columns, line_offset=offset)
            else:
                yield from csv_records(chunk, source, stem, columns, delimiter=csv_delimiter(path),
                                       row_offset=offset, encoding="utf-8",  # chunks are written in UTF-8
                                       warnings=decode.stream_encoding(path)[1])
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
    except OSError as exc:
        yield IngestError(source, decode.os_error_reason(exc))
    problem = _chunk_error_path(chunk)
    if problem.exists():
        yield IngestError(**json.loads(problem.read_text(encoding="utf-8")))
