"""Running the analysis: the one engine, streaming, whatever the caller wants.

The corpus is cut into *units* of bounded size (``framing.run.plan``). A worker (this process, a local worker
process, or a Dask worker reading the files itself) reads and analyses one unit (``framing.run.engines``). The
client takes results in input order, gives each document its final id (unique in the run, the same whatever the
number of workers) and appends the unit's rows to the tables (``framing.tables``). Memory holds a few units at a
time, never the corpus, nor its plan (written to a file as it is made), nor the ids given (hashes, 8 bytes each).

- ``analyze_to_tables(paths, out)``: the tables as files (``framing analyze``, ``framing report``); resumable.
- ``analyze(corpus)``: the same run into a temporary folder, read back as DataFrames (notebooks, the Python API).
"""

from __future__ import annotations

import hashlib
import json
import numbers
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path

from framing import _version, coder, lexicons, read, sentiment, tables
from framing.errors import CoderError, InputNotFoundError, RunError
from framing.measure import Setup
from framing.model import Analysis, Corpus, Document, IngestError
from framing.run.engines import ENGINES, Options, run_units, setup_for
from framing.run.plan import UNIT_BYTES, Unit, write_plan
from framing.run.progress import Progress

__all__ = ["ENGINES", "FORMATS", "RunSummary", "analyze", "analyze_to_tables", "run_record"]

FORMATS = ("csv", "parquet")
# in the run's work folder (tables.WORK_FOLDER), which goes when the run has finished
MANIFEST = ".framing-run.json"  # how far the run got, for --resume
SPLIT_FOLDER = "split"  # plain chunks of big gzip/CSV inputs
PLAN_FILE = "plan.jsonl"  # the run's units, one per line


@dataclass
class RunSummary:
    out: Path
    n_documents: int
    n_errors: int
    n_units: int
    resumed_units: int
    run: dict


def _options(lexicon_files, targets, columns, sidecar, *, neutralize: bool, max_document_mb=None) -> Options:
    return Options(tuple(str(p) for p in lexicon_files), targets or None,
                   tuple(sorted((k, v) for k, v in (columns or {}).items() if v)), json.dumps(sidecar, sort_keys=True),
                   max_document_mb, neutralize)


def _option_record(lexicon_files, targets, columns, metadata, jobs, engine, **more) -> dict:
    return {"lexicons": [str(p) for p in lexicon_files], "targets": targets, "columns": columns or {},
            "metadata": str(metadata) if metadata else None, "jobs": jobs, "engine": engine, **more}


def _versions() -> dict:
    names = ("framing", "pandas", "nltk", "vaderSentiment", "trafilatura", "scikit-learn", "matplotlib",
             "papermill")
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            found[name] = None
    return found


def run_record(setup: Setup, *, options: dict, started: float, n_documents: int, n_errors: int,
               arguments: list[str] | None = None) -> dict:
    """What a run was made with (run.json): versions, options, lexicon checksums, the measures' categories."""
    return {
        "framing_version": _version.__version__,
        "arguments": arguments if arguments is not None else sys.argv[1:],
        "options": options,
        "started": datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 3),
        "versions": _versions(),
        "sentiment": sentiment.vader_provenance(),
        "lexicons": lexicons.lexicon_checksums(setup.lexicons),
        "targets": {t.name: list(t.aliases) for t in setup.targets},
        "categories": [list(pair) for pair in setup.categories],
        "n_documents": n_documents,
        "n_errors": n_errors,
    }


def analyze_to_tables(paths, out, *, lexicons=(), targets=None, columns=None, metadata=None, jobs: int = 1,
                      engine: str = "local", scheduler: str | None = None, fmt: str = "csv", resume: bool = False,
                      progress: bool = True, unit_bytes: int = UNIT_BYTES, neutralize_formulas: bool = True,
                      arguments=None, max_document_mb: float | None = None, coders=()) -> RunSummary:
    """Stream the corpus through the analysis and write the tables unit by unit (memory stays flat).

    ``fmt="csv"`` writes documents.csv, sentences.csv, hits.csv, errors.csv and texts.jsonl, appending each
    unit's rows in input order; ``"parquet"`` writes a folder per table of Parquet parts, one per unit. The new
    tables are written in ``out/.framing-work`` and renamed over the old ones when the run has finished (run.json
    last): a run that fails leaves the previous tables whole. An interrupted run keeps every unit it finished
    there; ``resume=True`` analyses only the rest. The folder is locked for the length of the run.

    ``neutralize_formulas``: CSV text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return) get a leading ``'``; Parquet tables always hold the exact text.

    ``coders``: coder folders (``framing train``) or ``framing.coder.Coder`` records, applied once the tables are
    written (``framing.coder.code_tables``: each sentence's label and probability, each document's shares).
    """
    if fmt not in FORMATS:
        raise RunError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1:
        raise RunError(f"jobs must be a whole number of worker processes, 1 or more (got {jobs!r})")
    started = time.time()
    out = Path(out)
    paths = [str(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    for path in paths:  # a typo must not give an empty analysis (a pattern that matches nothing is listed in errors)
        if not any(ch in path for ch in "*?[") and not os.path.exists(path):
            raise InputNotFoundError(f"{path}: no such file or directory")
    sidecar, plan_errors = read.read_sidecars(paths, metadata)
    options = _options(lexicons, targets, columns, sidecar, neutralize=neutralize_formulas and fmt == "csv",
                       max_document_mb=max_document_mb)
    setup = setup_for(options)  # a bad lexicon stops here, before any work; in-process units reuse it
    loaded = _load_coders(coders, fmt)  # and so does a malformed coder
    with tables.OutputFolder(out, fmt=fmt, command=arguments) as output:
        work = output.start_work(keep=resume and (output.work / MANIFEST).is_file())
        plan = write_plan(paths, work / PLAN_FILE, unit_bytes=unit_bytes, split_folder=work / SPLIT_FOLDER)
        run_key = hashlib.sha256(json.dumps([paths, options.lexicons, _lexicon_checksums(setup), options.targets,
                                             options.columns, options.sidecar, options.neutralize,
                                             options.max_document_mb, fmt, unit_bytes,
                                             plan.digest]).encode()).hexdigest()
        summary = _write_units(plan.units, plan.sizes, plan.splits, work, options, setup, fmt=fmt, resume=resume,
                               run_key=run_key, planner_errors=plan_errors, jobs=jobs, engine=engine,
                               scheduler=scheduler, progress=progress)
        summary.out = out
        summary = _finish(summary, output, setup, started, arguments, options.neutralize,
                          _option_record(lexicons, targets, columns, metadata, jobs, engine, format=fmt, resume=resume,
                                         scheduler=scheduler, neutralize_formulas=neutralize_formulas,
                                         max_document_mb=max_document_mb))
    if loaded:
        summary.run = coder.code_tables(out, loaded).run
    return summary


def _load_coders(coders, fmt: str) -> list:
    loaded = [c if isinstance(c, coder.Coder) else coder.load_coder(c) for c in coders or ()]
    if loaded and fmt != "csv":
        raise CoderError("coders are applied to CSV tables only: drop --format parquet, or apply the coder to the "
                         "tables read back (framing.coder.apply_coders)")
    return loaded


def _lexicon_checksums(setup: Setup) -> dict:
    # a lexicon edited between an interrupted run and --resume would give rows of two lexicons
    return lexicons.lexicon_checksums(setup.lexicons)


def _write_units(units, sizes, splits, work: Path, options: Options, setup: Setup, *, fmt: str, resume: bool,
                 run_key: str, planner_errors: list[IngestError], jobs: int, engine: str, scheduler: str | None,
                 progress: bool) -> RunSummary:
    """Run the units and write their rows, in order, as they come, into the work folder; keep a manifest there
    for --resume."""
    n_units = len(sizes)
    manifest_path = work / MANIFEST
    done = n_documents = n_errors = 0
    allocate = read.IdAllocator()
    table_sizes = None
    if resume and manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("key") != run_key:
            raise RunError(f"{work.parent}: the interrupted run had other inputs or options (a file added, removed "
                           f"or edited since, another lexicon, option or format); run without --resume")
        done, n_documents, n_errors = manifest["done"], manifest["documents"], manifest["errors"]
        table_sizes = manifest.get("sizes")
        missing = [name for name in tables.FILES.values() if table_sizes and not (work / name).is_file()]
        if missing:
            raise RunError(f"{work}: {', '.join(missing)} of the interrupted run are gone; run without --resume")
        # writes lost after a power cut (the manifest got to disk, rows before it did not): truncating would pad
        # the table with zero bytes
        shorter = [name for table, name in tables.FILES.items()
                   if table_sizes and (work / name).stat().st_size < table_sizes[table]]
        if shorter:
            raise RunError(f"{work}: {', '.join(shorter)} of the interrupted run are shorter than what was recorded "
                           f"as finished (writes lost?); run without --resume")
    resumed_from = done
    csv_tables = tables.CsvTables(work, table_sizes, neutralize=options.neutralize) if fmt == "csv" else None
    # replay the ids already given, so new ones stay unique and the same
    if done:  # replay the ids an interrupted run gave (only then: reading them back loads pandas, +65 MiB)
        for doc_id in tables.written_doc_ids(work, parquet_units=None if csv_tables else done,
                                             neutralized=options.neutralize):
            allocate(doc_id)

    meter = Progress(sum(sizes[done:]), enabled=progress)
    planner_rows = [(e.source, e.reason) for e in planner_errors]
    interrupted = None
    try:
        for result in run_units(units(done), options, jobs=jobs, engine=engine, scheduler=scheduler, splits=splits):
            ids = [allocate(hint) for hint in result.hints]
            encoded = tables.rename_documents(result.tables, result.hints, result.spans, ids,
                                              neutralize=options.neutralize)
            if csv_tables:
                csv_tables.write_unit(encoded, result.document_columns)
            else:
                tables.write_parquet_unit(work, result.index, encoded, result.document_columns)
            done = result.index + 1
            n_documents += len(ids)
            n_errors += result.n_errors
            tables.replace_text(manifest_path, json.dumps({"key": run_key, "done": done, "units": n_units,
                                                           "documents": n_documents, "errors": n_errors,
                                                           "sizes": csv_tables.sizes() if csv_tables else None}))
            meter.update(sizes[result.index], len(ids))
            del result, encoded  # else they live on while the next unit is analysed (two units' rows at once)
        if csv_tables:
            csv_tables.finish(planner_rows)
        else:
            tables.write_parquet_errors(work, planner_rows)
        n_errors += len(planner_rows)
    except KeyboardInterrupt:
        interrupted = "interrupted"
    except RunError:
        raise
    except Exception as exc:  # a killed worker (BrokenProcessPool), a lost cluster: keep what is written
        interrupted = f"{type(exc).__name__}: {exc}"
    finally:
        meter.close()
        if csv_tables:
            csv_tables.close()
    if interrupted:
        raise RunError(f"run stopped ({interrupted}) after {done} of {n_units} units; the tables of an earlier run "
                       f"in {work.parent} are as they were, and what was finished is kept in {work}: run the same "
                       f"command with --resume to analyse only the rest")
    if not csv_tables:
        n_documents, n_errors = tables.count_parquet(work, n_units)
    return RunSummary(work.parent, n_documents, n_errors, n_units, resumed_from, {})


def _finish(summary: RunSummary, output: tables.OutputFolder, setup: Setup, started: float, arguments,
            neutralized: bool, options: dict) -> RunSummary:
    """run.json, then the new tables in place of the old ones (the run has finished)."""
    run = run_record(setup, options=options, started=started, n_documents=summary.n_documents,
                     n_errors=summary.n_errors, arguments=arguments)
    run["units"] = summary.n_units
    run["neutralized_formulas"] = neutralized  # load_analysis gives back the exact text of neutralized cells
    output.publish(run)
    summary.run = run
    return summary


def analyze(corpus, *, lexicons=(), targets=None, columns: dict | None = None, metadata=None,
            progress: bool = False, jobs: int = 1, engine: str = "local", scheduler: str | None = None,
            coders=()) -> Analysis:
    """Analyse a corpus: paths (files, directories, globs), a ``Corpus``, or a list of ``Document`` (and
    ``IngestError``) records. Returns an ``Analysis`` of pandas DataFrames (documents, sentences, hits, errors),
    the run record and the cleaned texts.

    ``lexicons`` are extra lexicon files (TSV/CSV/YAML/.dic); ``targets`` is a spec such as
    ``"Albania=Albania|Albanian|Albanians; NATO"``. ``jobs`` worker processes (or ``engine="dask"``) analyse
    paths in parallel; the rows are the same, in the same order, whatever the number of jobs. The run is the
    one ``framing analyze`` makes, into a temporary folder, read back (with a remote Dask cluster, whose
    workers cannot see this machine's temporary folder, use ``analyze_to_tables`` and ``load_analysis``).
    ``coders``: coder folders or ``framing.coder.Coder`` records to apply (``framing.coder.apply_coders``).
    """
    loaded = _load_coders(coders, "csv")
    with tempfile.TemporaryDirectory(prefix="framing-analysis-") as folder:
        if isinstance(corpus, Corpus) or (isinstance(corpus, list) and corpus
                                          and all(isinstance(d, (Document, IngestError)) for d in corpus)):
            _analyze_records(corpus, Path(folder), lexicons=lexicons, targets=targets)
        else:
            # formulas kept: the API gives the exact text (neutralizing is for spreadsheets opening the CSV)
            analyze_to_tables(corpus, folder, lexicons=lexicons, targets=targets, columns=columns,
                              metadata=metadata, jobs=jobs, engine=engine, scheduler=scheduler, progress=progress,
                              neutralize_formulas=False)
        return coder.apply_coders(tables.load_analysis(folder), loaded)


def _analyze_records(corpus, out: Path, *, lexicons=(), targets=None) -> RunSummary:
    """Documents already in memory: one unit, analysed in this process, written by the same code."""
    started = time.time()
    items = [*corpus.documents, *corpus.errors] if isinstance(corpus, Corpus) else list(corpus)
    options = _options(lexicons, targets, None, {}, neutralize=False)
    setup = setup_for(options)
    unit = Unit(0, tuple(items))
    with tables.OutputFolder(out, fmt="csv", command=[]) as output:
        work = output.start_work(keep=False)
        summary = _write_units(lambda start: iter([unit][start:]), [unit.size], {}, work, options, setup,
                               fmt="csv", resume=False, run_key="", planner_errors=[], jobs=1, engine="local",
                               scheduler=None, progress=False)
        summary.out = out
        return _finish(summary, output, setup, started, None, False,
                       _option_record(lexicons, targets, None, None, 1, "local", documents_given=True))
