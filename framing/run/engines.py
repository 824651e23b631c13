"""The work of one unit (it runs in a worker) and the engines that run units: in this process, in local
worker processes, or on a Dask cluster; results come back in unit order whatever the engine.

A worker reads its unit's input itself (a Dask worker too: the client sends only paths and offsets), builds
the lexicons and the sentiment analyser once per process, and hands back the unit's rows already encoded as
the tables hold them (``tables.UnitRows``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from framing import read, tables
from framing.errors import RunError
from framing.measure import Setup, analyze_document, make_setup
from framing.model import Document, IngestError
from framing.run.plan import Piece, SplitJob, Unit, split_jobs

# pandas is never imported here: workers import this module for process_unit and a worker without pandas is
# 90 MiB smaller
ENGINES = ("local", "dask")


@dataclass(frozen=True)
class Options:
    lexicons: tuple[str, ...] = ()
    targets: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    sidecar: str = "{}"  # JSON, so that Options stays hashable and cheap to ship to workers
    max_document_mb: float | None = None  # None: read.MAX_DOCUMENT_MB
    neutralize: bool = False  # CSV text cells that look like spreadsheet formulas get a leading ' (tables.py)


@dataclass
class UnitResult:
    """One unit's rows, encoded as the tables hold them, with what the client needs to give final ids."""
    index: int
    tables: dict[str, bytes]        # documents, sentences, hits, errors (CSV rows), texts (JSON lines)
    hints: list[str]                # each document's id as the worker gave it
    spans: list[dict[str, tuple[int, int]]]  # where each document's rows are in each table
    document_columns: list[str]     # the header of documents.csv (the rate columns depend on the lexicons)
    n_errors: int


_SETUPS: dict = {}


def setup_for(options: Options) -> Setup:
    # a lexicon file edited between two runs in one process (a notebook kernel) must not be served stale
    stamps = tuple((p, os.stat(p).st_mtime_ns, os.stat(p).st_size) if os.path.exists(p) else (p,)
                   for p in options.lexicons)
    key = (stamps, options.targets)
    if key not in _SETUPS:  # built once per worker process, reused for every unit it gets
        _SETUPS[key] = make_setup(lexicon_files=options.lexicons, targets=options.targets)
    return _SETUPS[key]


def split_file(job: SplitJob, options: Options) -> str:
    read.split_records(Path(job.path), list(job.ranges), Path(job.folder), dict(options.columns),
                       max_document_mb=options.max_document_mb)
    return job.folder


def _documents(unit: Unit, options: Options) -> Iterator[Document | IngestError]:
    columns = dict(options.columns)
    sidecar = json.loads(options.sidecar)
    for item in unit.items:
        if not isinstance(item, Piece):  # an error of the planner, or a document already in memory
            yield item
            continue
        yield from read.read_documents(Path(item.path), columns=columns, sidecar=sidecar, start=item.start,
                                       end=item.end, records=item.records,
                                       chunk=Path(item.chunk) if item.chunk else None,
                                       newlines_before=item.newlines_before, max_document_mb=options.max_document_mb)


def process_unit(unit: Unit, options: Options, *after) -> UnitResult:
    """Read and analyse one unit. ``after``: the splits this unit's chunks come from (engines pass them so
    that Dask runs the unit after them)."""
    setup = setup_for(options)
    rows = tables.UnitRows(neutralize=options.neutralize)
    for document in _documents(unit, options):
        if isinstance(document, IngestError):
            rows.add_error(document.source, document.reason)
            continue
        row, sentences, hits, quotes = analyze_document(document, setup)
        rows.add_document(row, sentences, hits, quotes, document.text)
    return UnitResult(unit.index, rows.encoded(), rows.hints, rows.spans, rows.document_columns, len(rows.errors))


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
