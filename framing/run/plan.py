"""The plan of a run: the corpus cut into units of bounded size, in input order.

A unit is a group of small files, a byte range of a big JSONL file, or a range of records of a gzip, CSV or
Parquet file (those cannot be entered in the middle: a big one is read once and split into plain chunks, see
``SplitJob``). The plan is written to a file as it is made, so the client never holds the plan of a million
files; ``--resume`` compares its digest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from framing import read
from framing.model import Document, IngestError

# Input bytes per unit: bounds memory per worker and the size of each output part. 2 MB: a 20 MB corpus is 12
# units rather than 5, so several workers stay busy to its end, and peak memory is lower (a 1-job run on 10 MB:
# 198 MiB with 4 MB units, 122 MiB with 160 KB units); CPU time per corpus did not change measurably from
# 512 KB to 4 MB. It must not depend on the corpus size, or memory would grow with the corpus.
UNIT_BYTES = 2 << 20
UNIT_FILES = 2000           # files per unit, for corpora of many tiny files


@dataclass(frozen=True, slots=True)  # one per input file in the plan: 256 -> 208 bytes
class Piece:
    path: str
    start: int = 0                              # a byte range, for plain JSONL
    end: int | None = None
    size: int = 0                               # (estimated) input bytes, for unit sizes and progress
    records: tuple[int, int | None] = (0, None)  # a range of records, for files that cannot be entered midway
    chunk: str = ""                             # where split_records puts that range as a plain file
    newlines_before: int | None = None          # for a byte range: newlines before it (for line numbers)


@dataclass(frozen=True)
class Unit:
    index: int
    items: tuple  # Piece or IngestError, in input order (or Document, for a corpus already in memory)

    @property
    def size(self) -> int:
        return sum(item.size if isinstance(item, Piece) else len(item.text) if isinstance(item, Document) else 0
                   for item in self.items)


@dataclass(frozen=True)
class SplitJob:
    """Read a big gzip or CSV file once and write each unit's range of records as a plain chunk."""
    path: str
    folder: str
    ranges: tuple[tuple[int, int | None], ...]


def plan_units(paths, *, unit_bytes: int = UNIT_BYTES, unit_files: int = UNIT_FILES,
               split_folder: str | os.PathLike | None = None) -> list[Unit]:
    """The units of ``iter_units`` as a list."""
    return list(iter_units(paths, unit_bytes=unit_bytes, unit_files=unit_files, split_folder=split_folder))


def iter_units(paths, *, unit_bytes: int = UNIT_BYTES, unit_files: int = UNIT_FILES,
               split_folder: str | os.PathLike | None = None) -> Iterator[Unit]:
    """Cut the inputs into units, in input order, by file size (the client reads no input but the newlines of
    big plain JSONL files, to number their lines). Record ranges of gzip and CSV files that span several
    units get a chunk in ``split_folder`` (see ``split_jobs``); without one, each range is read by skipping
    the records before it. Units come one at a time: a million small files are never all in memory."""
    n_units = 0
    current: list = []
    current_bytes = 0

    def close():
        nonlocal current, current_bytes, n_units
        if current:
            yield Unit(n_units, tuple(current))
            n_units += 1
        current, current_bytes = [], 0

    def single(piece):
        nonlocal n_units
        unit = Unit(n_units, (piece,))
        n_units += 1
        return unit

    for item in read.expand_paths(paths):
        if isinstance(item, IngestError):
            current.append(item)
            continue
        try:
            size = item.stat().st_size
        except OSError:
            size = 0
        kind = read.stream_kind(item)
        if kind == "jsonl" and item.suffix.lower() != ".gz" and size > unit_bytes:
            yield from close()
            starts = list(range(0, size, unit_bytes))
            for start, newlines in zip(starts, read.count_newlines(item, [max(0, s - 1) for s in starts])):
                end = min(size, start + unit_bytes)
                yield single(Piece(str(item), start, end, end - start, newlines_before=newlines if start else None))
            continue
        estimate = _estimate(item, kind, size) if kind else None
        if estimate and estimate[0] > unit_bytes and estimate[1] > 1:
            # gzip, CSV and Parquet cannot be entered in the middle: cut them by record ranges instead
            yield from close()
            total_bytes, total_records = estimate
            n_chunks = math.ceil(total_bytes / unit_bytes)
            per_unit = max(1, math.ceil(total_records / n_chunks))
            folder = None
            if split_folder is not None and kind != "parquet":  # Parquet is entered by row group instead
                folder = Path(split_folder) / hashlib.sha256(str(item.resolve()).encode()).hexdigest()[:16]
            for k in range(n_chunks):
                last = None if k == n_chunks - 1 else (k + 1) * per_unit
                chunk = str(folder / read.chunk_name(k, kind)) if folder else ""
                yield single(Piece(str(item), size=total_bytes // n_chunks, records=(k * per_unit, last),
                                   chunk=chunk))
            continue
        current.append(Piece(str(item), size=size))
        current_bytes += size
        if current_bytes >= unit_bytes or len(current) >= unit_files:
            yield from close()
    yield from close()


@dataclass
class Plan:
    """A run's units written to a file, one JSON line each, as the planner makes them: the client holds the
    plan of a million files as a few numbers per unit, and --resume compares its digest (of the units, and of
    each file's size and modification time)."""
    path: Path
    sizes: list[int]  # input bytes per unit, for progress
    digest: str
    splits: dict[str, SplitJob]

    def units(self, start: int = 0) -> Iterator[Unit]:
        with open(self.path, encoding="utf-8") as handle:
            for line in itertools.islice(handle, start, None):
                yield _unit_from_json(line)


def write_plan(paths, plan_path: Path, *, unit_bytes: int = UNIT_BYTES,
               split_folder: str | os.PathLike | None = None) -> Plan:
    digest = hashlib.sha256()
    sizes: list[int] = []
    chunked: list[Unit] = []  # the few units cut from big gzip/CSV files: their splits
    last = None
    with open(plan_path, "w", encoding="utf-8") as handle:
        for unit in iter_units(paths, unit_bytes=unit_bytes, split_folder=split_folder):
            line = _unit_to_json(unit) + "\n"
            digest.update(line.encode("utf-8"))
            for item in unit.items:
                if isinstance(item, Piece) and item.path != last:  # a file cut into several units: once
                    last = item.path
                    digest.update(_stamp(item.path))
            handle.write(line)
            sizes.append(unit.size)
            if any(isinstance(item, Piece) and item.chunk for item in unit.items):
                chunked.append(unit)
    return Plan(Path(plan_path), sizes, digest.hexdigest(), split_jobs(chunked))


def _stamp(path: str) -> bytes:
    """What the digest knows of a file besides its name: its size and when it was last changed (ns). The size
    alone missed a file edited in place at the same size: --resume kept its old rows."""
    try:
        status = os.stat(path)
    except OSError:
        return b"-\n"
    return f"{status.st_size} {status.st_mtime_ns}\n".encode()


def _unit_to_json(unit: Unit) -> str:
    items = [{"error": [item.source, item.reason]} if isinstance(item, IngestError)
             else {"piece": [item.path, item.start, item.end, item.size, list(item.records), item.chunk,
                             item.newlines_before]} for item in unit.items]
    return json.dumps({"index": unit.index, "items": items}, ensure_ascii=False)


def _unit_from_json(line: str) -> Unit:
    record = json.loads(line)
    items = []
    for item in record["items"]:
        if "error" in item:
            items.append(IngestError(*item["error"]))
        else:
            path, start, end, size, records, chunk, newlines_before = item["piece"]
            items.append(Piece(path, start, end, size, tuple(records), chunk, newlines_before))
    return Unit(record["index"], tuple(items))


def split_jobs(units: Iterable[Unit]) -> dict[str, SplitJob]:
    """The split each chunked file needs, by chunk folder (from the whole plan, also when resuming)."""
    found: dict[str, tuple[str, list]] = {}
    for unit in units:
        for item in unit.items:
            if isinstance(item, Piece) and item.chunk:
                found.setdefault(str(Path(item.chunk).parent), (item.path, []))[1].append(item.records)
    return {folder: SplitJob(path, folder, tuple(ranges)) for folder, (path, ranges) in found.items()}


def _estimate(path: Path, kind: str, size: int) -> tuple[int, int] | None:
    """(uncompressed bytes, records) of a record file, estimated from its size and a 256 KB sample."""
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(path).metadata
            return sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)), meta.num_rows
        total = size
        if path.suffix.lower() == ".gz":
            with open(path, "rb") as handle:  # the gzip trailer holds the uncompressed size (mod 4 GiB)
                handle.seek(-4, os.SEEK_END)
                trailer = int.from_bytes(handle.read(4), "little")
            # a truncated file ends in compressed bytes, not a trailer: trust only a plausible ratio
            total = trailer if size <= trailer <= 50 * size else 4 * size
        sample = read.stream_head(path, 256 << 10)  # also what a truncated gzip gives before its cut
        if kind == "jsonl":
            records = sample.count(b"\n")
        else:
            rows = list(csv.reader(io.StringIO(sample.decode("utf-8", errors="replace"), newline="")))
            records = max(0, len(rows) - 2)  # without the header and a row the sample may have cut
        if not records or not sample:
            return None
        return total, max(1, round(total * records / len(sample)))
    except Exception:  # a file too broken to estimate is read whole; its reader will report the problem
        return None
