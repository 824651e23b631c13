"""Running the analysis at scale: bounded units of input, worker processes or a Dask cluster, tables written
part by part in input order, resumable.

The corpus is cut into *units*: groups of small files, or byte ranges of a big JSONL file, each of bounded
size. A worker (a local process, or a Dask worker reading the files itself) reads and analyses one unit with
lexicons and the sentiment analyser it built once. The client takes results in input order, gives each
document its final id (unique in the run, the same whatever the number of workers) and appends the unit's
rows to the tables (or writes them as one Parquet part). Memory holds a few units at a time, never the corpus,
nor its plan (written to a file as it is made), nor the ids given (hashes, 8 bytes each).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import math
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from framing import read
from framing.analysis import (DOCUMENT_COLUMNS, ERROR_COLUMNS, HIT_COLUMNS, SENTENCE_COLUMNS, Analysis,
                              analyze_document, make_setup, run_record)
from framing.errors import FramingError, RunError
from framing.model import IngestError
from framing.read import IdAllocator

# pandas is imported in the functions of the client that need it: workers import this module for process_unit
# and a worker without pandas is 90 MiB smaller (analysis.py says the same)

# Input bytes per unit: bounds memory per worker and the size of each output part. 2 MB: a 20 MB corpus is 12
# units rather than 5, so several workers stay busy to its end, and peak memory is lower (a 1-job run on 10 MB:
# 198 MiB with 4 MB units, 122 MiB with 160 KB units); CPU time per corpus did not change measurably from
# 512 KB to 4 MB. It must not depend on the corpus size, or memory would grow with the corpus.
UNIT_BYTES = 2 << 20
UNIT_FILES = 2000           # files per unit, for corpora of many tiny files
TABLES = ("documents", "sentences", "hits", "errors")
MANIFEST = ".framing-run.json"
SPLIT_FOLDER = ".framing-split"  # plain chunks of big gzip/CSV inputs, under the output folder, until the run ends
PLAN_FILE = ".framing-plan.jsonl"  # the run's units, one per line, until the run ends
ENGINES = ("local", "dask")
FORMATS = ("csv", "parquet")



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
    items: tuple  # Piece or IngestError, in input order

    @property
    def size(self) -> int:
        return sum(item.size for item in self.items if isinstance(item, Piece))


@dataclass(frozen=True)
class Options:
    lexicons: tuple[str, ...] = ()
    targets: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    sidecar: str = "{}"  # JSON, so that Options stays hashable and cheap to ship to workers
    serialize: bool = False  # workers hand back CSV text (the CSV sink), not rows: the client only writes it


@dataclass
class Bundle:
    """One document's rows, before it has its final id."""
    hint: str
    document: dict
    sentences: list[tuple]  # in SENTENCE_COLUMNS order
    hits: list[tuple]  # in HIT_COLUMNS order
    text: str


@dataclass
class UnitResult:
    index: int
    bundles: list[Bundle] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    # with Options.serialize: each table's rows as CSV text (texts as JSON lines), and per bundle the
    # (start, end) of its rows in each, so that a document whose id changes can be rewritten alone
    serialized: dict[str, bytes] = field(default_factory=dict)
    spans: list[dict[str, tuple[int, int]]] = field(default_factory=list)
    document_columns: list[str] = field(default_factory=list)


class _Sink:
    """A write() target for csv.writer that keeps the rows as UTF-8 and their length in bytes (offsets of each
    document's rows). Bytes rather than str: the tables are written as UTF-8 anyway, and one curly quote in a
    unit makes a joined str take two bytes a character (a unit's 7 MB of rows held as 14 MB, then encoded)."""

    def __init__(self):
        # one growing buffer, not a list of row strings joined at the end: that held a unit's rows twice, plus
        # an object per row (a unit's passing memory is what the 200 MB / 20 MB peak ratio measures)
        self.buffer = io.BytesIO()

    @property
    def size(self) -> int:
        return self.buffer.tell()

    def write(self, text: str) -> None:
        self.buffer.write(text.encode("utf-8"))

    def data(self) -> bytes:
        return self.buffer.getvalue()


# ---- planning ---------------------------------------------------------------------------------------------

read_sidecars = read.read_sidecars


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
    plan of a million files as a few numbers per unit, and --resume compares its digest."""
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
    with open(plan_path, "w", encoding="utf-8") as handle:
        for unit in iter_units(paths, unit_bytes=unit_bytes, split_folder=split_folder):
            line = _unit_to_json(unit) + "\n"
            digest.update(line.encode("utf-8"))
            handle.write(line)
            sizes.append(unit.size)
            if any(isinstance(item, Piece) and item.chunk for item in unit.items):
                chunked.append(unit)
    return Plan(Path(plan_path), sizes, digest.hexdigest(), split_jobs(chunked))


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


# ---- the work of one unit (runs in a worker) ---------------------------------------------------------------

_SETUPS: dict = {}


def _setup(options: Options):
    # a lexicon file edited between two runs in one process (a notebook kernel) must not be served stale
    stamps = tuple((p, os.stat(p).st_mtime_ns, os.stat(p).st_size) if os.path.exists(p) else (p,)
                   for p in options.lexicons)
    key = (stamps, options.targets)
    if key not in _SETUPS:  # built once per worker process, reused for every unit it gets
        _SETUPS[key] = make_setup(lexicon_files=options.lexicons, targets=options.targets)
    return _SETUPS[key]


def split_file(job: SplitJob, options: Options) -> str:
    read.split_records(Path(job.path), list(job.ranges), Path(job.folder), dict(options.columns))
    return job.folder


def process_unit(unit: Unit, options: Options, *after) -> UnitResult:
    """``after``: the splits this unit's chunks come from (engines pass them to order the work)."""
    setup = _setup(options)
    columns = dict(options.columns)
    sidecar = json.loads(options.sidecar)
    result = UnitResult(unit.index)
    sinks = {table: _Sink() for table in ("documents", "sentences", "hits", "texts")}
    writers = {table: csv.writer(sinks[table]) for table in ("documents", "sentences", "hits")}
    for item in unit.items:
        if isinstance(item, IngestError):
            result.errors.append({"source": item.source, "reason": item.reason})
            continue
        for document in read.read_documents(Path(item.path), columns=columns, sidecar=sidecar,
                                            start=item.start, end=item.end, records=item.records,
                                            chunk=Path(item.chunk) if item.chunk else None,
                                            newlines_before=item.newlines_before):
            if isinstance(document, IngestError):
                result.errors.append({"source": document.source, "reason": document.reason})
                continue
            row, sentences, hits = analyze_document(document, setup)
            if not options.serialize:
                result.bundles.append(Bundle(document.doc_id, row, sentences, hits, document.text))
                continue
            # formatting CSV here, in parallel, leaves the client only writing text (it was half the client's work)
            if not result.document_columns:
                result.document_columns = list(row)
            spans = {}
            for table, rows in (("documents", [[_cell(value) for value in row.values()]]),
                                ("sentences", sentences), ("hits", hits)):
                start = sinks[table].size
                writers[table].writerows(rows)
                spans[table] = (start, sinks[table].size)
            start = sinks["texts"].size
            sinks["texts"].write(json.dumps({"doc_id": document.doc_id, "text": document.text}, ensure_ascii=False)
                                 + "\n")
            spans["texts"] = (start, sinks["texts"].size)
            result.bundles.append(Bundle(document.doc_id, {}, [], [], ""))
            result.spans.append(spans)
    if options.serialize:
        result.serialized = {table: sink.data() for table, sink in sinks.items()}
    return result


# ---- engines: results in unit order ------------------------------------------------------------------------

def _splits_of(unit: Unit) -> list[str]:
    return sorted({str(Path(item.chunk).parent) for item in unit.items if isinstance(item, Piece) and item.chunk})


def _run_in_process(units, options, splits):
    done: set = set()
    for unit in units:
        for folder in _splits_of(unit):
            if folder not in done:
                split_file(splits[folder], options)
                done.add(folder)
        yield process_unit(unit, options)


def _in_order(submit, units, window: int):
    """Results in unit order, with at most ``window`` units submitted ahead (memory stays bounded)."""
    pending: deque = deque()
    queue = iter(units)
    for unit in queue:
        pending.append(submit(unit))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().result()
        for unit in queue:
            pending.append(submit(unit))
            break
        yield result


def _with_splits(units, splits, start, lookahead: int) -> Iterator[tuple[Unit, list]]:
    """Each unit with the futures of the splits it reads from. A file's split is started ``lookahead`` units
    before its first unit comes, so that unit rarely waits (and chunks on disk stay near the work in hand)."""
    started: dict = {}
    coming: deque = deque()

    def ready(unit):
        return unit, [started[folder] for folder in _splits_of(unit)]

    for unit in units:
        for folder in _splits_of(unit):
            if folder not in started:
                started[folder] = start(splits[folder])
        coming.append(unit)
        if len(coming) > lookahead:
            yield ready(coming.popleft())
    while coming:
        yield ready(coming.popleft())


def _run_local(units, options, jobs, splits):
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        def submit(unit_and_splits):
            unit, unit_splits = unit_and_splits
            for split in unit_splits:
                split.result()  # usually done already: it was started a few units ahead
            return pool.submit(process_unit, unit, options)

        yield from _in_order(submit, _with_splits(units, splits, lambda job: pool.submit(split_file, job, options),
                                                  4 * jobs), 2 * jobs)


def _run_dask(units, options, jobs, scheduler, splits):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise RunError("the dask engine needs dask.distributed (pip install 'dask[distributed]')") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})) or jobs)

        def submit(unit_and_splits):
            # a unit holds only paths and offsets: the worker reads the input itself; a chunked unit depends
            # on its split's future, so Dask runs it after the split, on any worker
            unit, unit_splits = unit_and_splits
            return client.submit(process_unit, unit, options, *unit_splits, pure=False)

        split = lambda job: client.submit(split_file, job, options, pure=False)  # noqa: E731
        yield from _in_order(submit, _with_splits(units, splits, split, 2 * window), window)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_units(units, options, *, jobs: int = 1, engine: str = "local", scheduler: str | None = None,
              splits: dict[str, SplitJob] | None = None):
    """Results of ``units`` (any iterable, read as the work goes) in their order. ``splits``: the split jobs
    of the whole plan (a resumed run needs those of units it skips); found from ``units`` if not given."""
    if splits is None:
        units = list(units)
        splits = split_jobs(units)
    if engine not in ENGINES:
        raise RunError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if engine == "dask":
        return _run_dask(units, options, jobs, scheduler, splits)
    if jobs <= 1:
        return _run_in_process(units, options, splits)
    return _run_local(units, options, jobs, splits)


# ---- sinks: where results in order go ----------------------------------------------------------------------

def finalize_serialized(result: UnitResult, allocate: IdAllocator) -> dict[str, bytes]:
    """Final ids for a unit handed back as text: the text as it is, unless an id had to change (two inputs
    with one name): then that document's rows, and only those, are parsed and written again."""
    ids = [allocate(bundle.hint) for bundle in result.bundles]
    if all(doc_id == bundle.hint for doc_id, bundle in zip(ids, result.bundles)):
        return result.serialized
    out = {}
    for table, text in result.serialized.items():
        pieces, cursor = [], 0
        for doc_id, bundle, spans in zip(ids, result.bundles, result.spans):
            start, end = spans[table]
            pieces.append(text[cursor:start])
            chunk = text[start:end]
            if doc_id != bundle.hint:
                chunk = _renamed(chunk, doc_id, jsonl=table == "texts")
            pieces.append(chunk)
            cursor = end
        pieces.append(text[cursor:])
        out[table] = b"".join(pieces)
    return out


def _renamed(chunk: bytes, doc_id: str, *, jsonl: bool) -> bytes:
    text = chunk.decode("utf-8")
    sink = _Sink()
    if jsonl:
        for line in text.split("\n")[:-1]:  # not splitlines: a raw U+2028 inside a JSON string is no line end
            sink.write(json.dumps({**json.loads(line), "doc_id": doc_id}, ensure_ascii=False) + "\n")
    else:
        csv.writer(sink).writerows([doc_id, *row[1:]] for row in csv.reader(io.StringIO(text, newline="")))
    return sink.data()


def finalize_ids(result: UnitResult, allocate: IdAllocator) -> tuple[list, list, list, list, list]:
    documents, sentences, hits, texts = [], [], [], []
    for bundle in result.bundles:
        doc_id = allocate(bundle.hint)
        bundle.document["doc_id"] = doc_id
        if doc_id == bundle.hint:  # the usual case: the rows already carry it
            sentences.extend(bundle.sentences)
            hits.extend(bundle.hits)
        else:
            sentences.extend((doc_id, *row[1:]) for row in bundle.sentences)
            hits.extend((doc_id, *row[1:]) for row in bundle.hits)
        documents.append(bundle.document)
        texts.append((doc_id, bundle.text))
    return documents, sentences, hits, result.errors, texts


def _frames(documents, sentences, hits, errors):
    import pandas as pd

    return {"documents": pd.DataFrame(documents) if documents else pd.DataFrame(columns=DOCUMENT_COLUMNS),
            "sentences": pd.DataFrame(sentences, columns=SENTENCE_COLUMNS),
            "hits": pd.DataFrame(hits, columns=HIT_COLUMNS),
            "errors": pd.DataFrame(errors, columns=ERROR_COLUMNS)}


class Progress:
    """A progress bar on a terminal; a quiet log line every ``every`` seconds otherwise."""

    def __init__(self, total_bytes: int, *, enabled: bool, every: float = 15.0):
        self.total, self.done, self.documents = total_bytes, 0, 0
        self.enabled, self.every = enabled, every
        self.started = self.last = time.time()
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, desc="analyze", file=sys.stderr)

    def update(self, unit_bytes: int, documents: int) -> None:
        self.done += unit_bytes
        self.documents += documents
        if self.bar is not None:
            self.bar.update(unit_bytes)
            self.bar.set_postfix(docs=self.documents)
        elif self.enabled and time.time() - self.last >= self.every:
            self.last = time.time()
            elapsed = self.last - self.started
            share = self.done / self.total if self.total else 1.0
            left = elapsed / share - elapsed if share else float("nan")
            print(f"framing: {self.documents:,} documents ({self.documents / elapsed:,.0f}/s), {share:.0%} of input, "
                  f"about {left / 60:.0f} min left", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _options(lexicons, targets, columns, sidecar, *, serialize: bool = False) -> Options:
    return Options(tuple(str(p) for p in lexicons), targets or None,
                   tuple(sorted((k, v) for k, v in (columns or {}).items() if v)), json.dumps(sidecar, sort_keys=True),
                   serialize)


def analyze_paths(paths, *, lexicons=(), targets=None, columns=None, metadata=None, jobs: int = 1,
                  engine: str = "local", scheduler: str | None = None, progress: bool = False) -> Analysis:
    """The whole analysis in memory (for notebooks and small corpora); same rows as ``analyze_to_tables``."""
    started = time.time()
    paths = [str(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    sidecar, errors = read_sidecars(paths, metadata)
    options = _options(lexicons, targets, columns, sidecar)
    _setup(options)  # fail early on a bad lexicon or target spec; built once, reused by in-process units
    allocate = IdAllocator()
    documents, sentences, hits, error_rows, texts = [], [], [], [], {}
    # chunks of big gzip/CSV files go to a temporary folder (with a remote Dask cluster it must be one the
    # workers see: use analyze_to_tables, whose chunks live under its output folder)
    with tempfile.TemporaryDirectory(prefix="framing-split-") as split_folder:
        units = plan_units(paths, split_folder=split_folder)
        meter = Progress(sum(u.size for u in units), enabled=progress)
        for result in run_units(units, options, jobs=jobs, engine=engine, scheduler=scheduler):
            d, s, h, e, t = finalize_ids(result, allocate)
            documents += d
            sentences += s
            hits += h
            error_rows += e
            texts.update(t)
            meter.update(units[result.index].size, len(d))
        meter.close()
    error_rows += [{"source": e.source, "reason": e.reason} for e in errors]  # as the tables list them: last
    frames = _frames(documents, sentences, hits, error_rows)
    setup = _setup(options)
    run = run_record(setup, options=_option_record(lexicons, targets, columns, metadata, jobs, engine),
                     started=started, n_documents=len(documents), n_errors=len(error_rows))
    return Analysis(run=run, texts=texts, **frames)


def _option_record(lexicons, targets, columns, metadata, jobs, engine, **more) -> dict:
    return {"lexicons": [str(p) for p in lexicons], "targets": targets, "columns": columns or {},
            "metadata": str(metadata) if metadata else None, "jobs": jobs, "engine": engine, **more}


@dataclass
class RunSummary:
    out: Path
    n_documents: int
    n_errors: int
    n_units: int
    resumed_units: int
    run: dict


def analyze_to_tables(paths, out, *, lexicons=(), targets=None, columns=None, metadata=None, jobs: int = 1,
                      engine: str = "local", scheduler: str | None = None, fmt: str = "csv", resume: bool = False,
                      progress: bool = True, unit_bytes: int = UNIT_BYTES, arguments=None) -> RunSummary:
    """Stream the corpus through the analysis and write the tables unit by unit (memory stays flat).

    ``fmt="csv"`` writes documents.csv, sentences.csv, hits.csv, errors.csv and texts.jsonl, appending each
    unit's rows in input order; ``"parquet"`` writes a folder per table of Parquet parts, one per unit. An
    interrupted run keeps every unit it finished; ``resume=True`` analyses only the rest.
    """
    if fmt not in FORMATS:
        raise RunError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    started = time.time()
    out = Path(out)
    paths = [str(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    sidecar, plan_errors = read_sidecars(paths, metadata)
    options = _options(lexicons, targets, columns, sidecar, serialize=fmt == "csv")
    setup = _setup(options)  # a bad lexicon stops here, before any work; in-process units reuse it
    split_folder = out / SPLIT_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    plan = write_plan(paths, out / PLAN_FILE, unit_bytes=unit_bytes, split_folder=split_folder)
    n_units = len(plan.sizes)
    run_key = hashlib.sha256(json.dumps([paths, options.lexicons, options.targets, options.columns, options.sidecar,
                                         fmt, unit_bytes, plan.digest]).encode()).hexdigest()
    manifest_path = out / MANIFEST
    done = n_documents = n_errors = 0
    allocate = IdAllocator()
    table_sizes = None
    if resume and manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("key") != run_key:
            raise RunError(f"{out}: the earlier run had other inputs or options; run without --resume")
        done, n_documents, n_errors = manifest["done"], manifest["documents"], manifest["errors"]
        table_sizes = manifest.get("sizes")
        missing = [name for name in CSV_FILES.values() if table_sizes and not (out / name).is_file()]
        if missing:
            raise RunError(f"{out}: {', '.join(missing)} of the earlier run are gone; run without --resume")
    else:
        for table in (*TABLES, "texts", ".parts"):  # Parquet folders of an earlier run
            shutil.rmtree(out / table, ignore_errors=True)
        shutil.rmtree(split_folder, ignore_errors=True)
    resumed_from = done
    tables = _CsvTables(out, table_sizes) if fmt == "csv" else None
    # replay the ids already given, so new ones stay unique and the same
    for doc_id in (_csv_doc_ids(out) if tables else (i for k in range(done) for i in _parquet_doc_ids(out, k))):
        allocate(doc_id)

    meter = Progress(sum(plan.sizes[done:]), enabled=progress)
    interrupted = None
    try:
        for result in run_units(plan.units(done), options, jobs=jobs, engine=engine, scheduler=scheduler,
                                splits=plan.splits):
            if tables:
                tables.write_unit(result, finalize_serialized(result, allocate))
                n_unit_documents = len(result.bundles)
            else:
                rows = finalize_ids(result, allocate)
                _write_parquet_part(out, result.index, rows)
                n_unit_documents = len(rows[0])
                del rows
            done = result.index + 1
            n_documents += n_unit_documents
            n_errors += len(result.errors)
            _replace_text(manifest_path, json.dumps({"key": run_key, "done": done, "units": n_units,
                                                     "documents": n_documents, "errors": n_errors,
                                                     "sizes": tables.sizes() if tables else None}))
            meter.update(plan.sizes[result.index], n_unit_documents)
            del result  # else it lives on while the next unit is analysed (in process: two units' rows at once)
        plan_rows = [{"source": e.source, "reason": e.reason} for e in plan_errors]
        if tables:
            tables.finish(plan_rows)
            n_errors += len(plan_rows)
    except KeyboardInterrupt:
        interrupted = "interrupted"
    except Exception as exc:  # a killed worker (BrokenProcessPool), a lost cluster: keep what is written
        if isinstance(exc, (RunError,)):
            raise
        interrupted = f"{type(exc).__name__}: {exc}"
    finally:
        meter.close()
        if tables:
            tables.close()
    if interrupted:
        raise RunError(f"run stopped ({interrupted}) after {done} of {n_units} units; what was finished is kept "
                       f"in {out}: run the same command with --resume to analyse only the rest")
    if not tables:
        n_documents, n_errors = _count_parquet(out, n_units, plan_rows)
    shutil.rmtree(split_folder, ignore_errors=True)
    plan.path.unlink(missing_ok=True)
    run = run_record(setup, options=_option_record(lexicons, targets, columns, metadata, jobs, engine, format=fmt,
                                                   resume=resume, scheduler=scheduler),
                     started=started, n_documents=n_documents, n_errors=n_errors, arguments=arguments)
    run["units"] = n_units
    (out / "run.json").write_text(json.dumps(run, indent=2, default=str) + "\n", encoding="utf-8")
    manifest_path.unlink(missing_ok=True)
    return RunSummary(out, n_documents, n_errors, n_units, resumed_from, run)


def _replace_text(path: Path, text: str) -> None:
    # written aside, then renamed over: a Ctrl-C in the middle leaves the old manifest whole, not half of one
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _part_name(index: int) -> str:
    return f"part-{index:06d}"


CSV_FILES = {"documents": "documents.csv", "sentences": "sentences.csv", "hits": "hits.csv", "errors": "errors.csv",
             "texts": "texts.jsonl"}


class _CsvTables:
    """The CSV tables of a run, each unit appended in order as it comes (no parts joined at the end: that was a
    serial copy of every table, 3 s of a 55 s run). The manifest records the tables' sizes after each unit; a
    resumed run cuts off whatever an interruption left half-written after them."""

    def __init__(self, out: Path, sizes: dict[str, int] | None):
        self.handles = {}
        for table, name in CSV_FILES.items():
            if sizes is None:
                handle = open(out / name, "wb")
            else:
                handle = open(out / name, "r+b")
                handle.truncate(sizes[table])
                handle.seek(sizes[table])
            self.handles[table] = handle
        if sizes is None:
            for table, header in (("sentences", SENTENCE_COLUMNS), ("hits", HIT_COLUMNS), ("errors", ERROR_COLUMNS)):
                self._write(table, _csv_bytes([header]))

    def _write(self, table: str, data: bytes) -> None:
        self.handles[table].write(data)

    def write_unit(self, result: UnitResult, serialized: dict[str, bytes]) -> None:
        if result.bundles and self.handles["documents"].tell() == 0:
            # the first unit with documents gives the header: the rate columns depend on the lexicons
            self._write("documents", _csv_bytes([result.document_columns]))
        for table in ("documents", "sentences", "hits", "texts"):
            self._write(table, serialized[table])
        self._write("errors", _csv_bytes([row[column] for column in ERROR_COLUMNS] for row in result.errors))

    def sizes(self) -> dict[str, int]:
        for handle in self.handles.values():
            handle.flush()
        return {table: handle.tell() for table, handle in self.handles.items()}

    def finish(self, plan_rows: list[dict]) -> None:
        """The planner's errors last, and a header for a run without documents."""
        if self.handles["documents"].tell() == 0:
            self._write("documents", _csv_bytes([DOCUMENT_COLUMNS]))
        self._write("errors", _csv_bytes([row[column] for column in ERROR_COLUMNS] for row in plan_rows))

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def _csv_bytes(rows) -> bytes:
    sink = _Sink()
    csv.writer(sink).writerows(rows)
    return sink.data()


def _csv_doc_ids(out: Path):
    """The ids in documents.csv, read in chunks (a resumed run replays them)."""
    path = out / CSV_FILES["documents"]
    if path.stat().st_size == 0:
        return
    import pandas as pd

    for chunk in pd.read_csv(path, usecols=["doc_id"], dtype=str, keep_default_na=False, chunksize=100_000):
        yield from chunk["doc_id"].tolist()


def _write_parquet_part(parts: Path, index: int, rows) -> None:
    """A unit handed back as rows (CSV units come back as text: ``_CsvTables``)."""
    import pandas as pd

    documents, sentences, hits, errors, texts = rows
    name = _part_name(index)
    tables = {"documents": (documents, list(documents[0]) if documents else DOCUMENT_COLUMNS),
              "sentences": (sentences, SENTENCE_COLUMNS), "hits": (hits, HIT_COLUMNS), "errors": (errors, ERROR_COLUMNS)}
    for table, (records, columns) in tables.items():
        folder = parts / table
        folder.mkdir(parents=True, exist_ok=True)
        if records:  # an empty part has no column types and would break reading the folder back
            pd.DataFrame(records, columns=columns).to_parquet(folder / f"{name}.parquet", index=False)
    folder = parts / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as handle:
        for doc_id, text in texts:
            handle.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")


def _cell(value):
    if value is None or (isinstance(value, float) and value != value):
        return ""  # missing, as pandas writes NaN
    return value


def _parquet_doc_ids(out: Path, index: int) -> list[str]:
    import pandas as pd

    path = out / "documents" / f"{_part_name(index)}.parquet"
    if not path.exists():
        return []
    return pd.read_parquet(path, columns=["doc_id"])["doc_id"].astype(str).tolist()


def _count_parquet(out: Path, n_units: int, plan_rows: list[dict]) -> tuple[int, int]:
    """Documents and errors in the Parquet parts (the partitioned output); the planner's errors join them."""
    import pandas as pd
    import pyarrow.parquet as pq

    if plan_rows:
        folder = out / "errors"
        folder.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(plan_rows, columns=ERROR_COLUMNS).to_parquet(folder / "part-planning.parquet", index=False)
    n_documents = n_errors = 0
    for index in range(n_units):
        name = _part_name(index)
        for table in ("documents", "errors"):
            path = out / table / f"{name}.parquet"
            rows = pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
            n_documents += rows if table == "documents" else 0
            n_errors += rows if table == "errors" else 0
    return n_documents, n_errors + len(plan_rows)
