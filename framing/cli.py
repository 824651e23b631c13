"""The ``framing`` command: parses arguments and calls the library; nothing else lives here.

Exit status (../shared/DESIGN.md): 0 every input was read; 1 some inputs were skipped (listed in
errors.csv, everything else written); 2 a usage error, or nothing could be read, or (report) a report failed.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2


def _add_corpus_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="an extra lexicon (TSV/CSV/YAML or LIWC .dic); repeatable")
    parser.add_argument("--targets", default=None, metavar="SPEC",
                        help='targets for directed sentiment, e.g. "Albania=Albania|Albanian|Albanians; NATO"')
    parser.add_argument("--metadata", default=None, metavar="CSV",
                        help="a metadata sidecar (file, outlet, title, author, date, url) that fills gaps")
    for role in ("text", "title", "outlet", "author", "date", "url", "id"):
        parser.add_argument(f"--{role}-column", default=None, metavar="NAME",
                            help=f"CSV/JSON column holding the {role} (default: found by common names)")
    parser.add_argument("--keep-formulas", action="store_true", help="write CSV text cells starting with = + - @ as they are (default: a leading ' so spreadsheets show them as text, not run them)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description="Show, with evidence, how news outlets frame a story.")
    parser.add_argument("--version", action="version", version=f"framing {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser("analyze", help="measure a corpus and write its tables")
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or glob patterns")
    analyze.add_argument("--out", required=True, metavar="DIR", help="directory for the tables and run.json")
    analyze.add_argument("--no-progress", action="store_true", help="no progress bar or progress log")
    analyze.add_argument("--jobs", type=int, default=None, metavar="N",
                         help="worker processes (default: the number of cores)")
    analyze.add_argument("--engine", choices=("local", "dask"), default="local",
                         help="local worker processes, or dask.distributed (a local cluster or --scheduler)")
    analyze.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask)")
    analyze.add_argument("--format", choices=("csv", "parquet"), default="csv",
                         help="table format: csv (default) or parquet (a folder of parts per table)")
    analyze.add_argument("--resume", action="store_true",
                         help="after an interrupted run, analyse only what is missing")
    _add_corpus_options(analyze)

    highlight = commands.add_parser("highlight", help="the annotated teaching view of one document, or two side by side")
    highlight.add_argument("paths", nargs="+", metavar="FILE", help="one file, or two to set side by side")
    highlight.add_argument("--out", required=True, metavar="PAGE.html", help="the page to write (or a folder)")
    highlight.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                           help="an extra lexicon (TSV/CSV/YAML or LIWC .dic); repeatable")
    highlight.add_argument("--targets", default=None, metavar="SPEC", help="targets for directed sentiment")
    highlight.add_argument("--metadata", default=None, metavar="CSV", help="a metadata sidecar")

    report = commands.add_parser("report", help="analyse a corpus and write HTML framing reports")
    report.add_argument("paths", nargs="*", metavar="PATH", default=None,
                        help="files, directories or glob patterns (default: seeds/)")
    report.add_argument("--out", default=None, metavar="DIR", help="output directory (default: reports/<name>)")
    report.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="notebooks run at once in worker processes (default: the number of cores)")
    report.add_argument("--group-by", default="outlet", metavar="COLUMN",
                        help="grouping for the corpus comparison: document, outlet or any metadata column")
    report.add_argument("--force", action="store_true", help="re-run every report, even unchanged ones")
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="an extra notebook parameter (VALUE read as YAML: 3, true, [a, b]); repeatable")
    report.add_argument("--notebooks", default=None, metavar="DIR",
                        help="a folder with your own document_profile.ipynb and corpus_comparison.ipynb")
    report.add_argument("--no-progress", action="store_true", help="no progress bar")
    report.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="an extra lexicon (TSV/CSV/YAML or LIWC .dic); repeatable")
    report.add_argument("--targets", default=None, metavar="SPEC",
                        help='targets for directed sentiment, e.g. "Albania=Albania|Albanian|Albanians; NATO"')
    return parser


def _version() -> str:
    from framing import __version__
    return __version__


def _columns(args) -> dict:
    return {role: getattr(args, f"{role}_column") for role in ("text", "title", "outlet", "author", "date", "url", "id")
            if getattr(args, f"{role}_column")}


def run_analyze(args) -> int:
    import os

    from framing.errors import FramingError
    from framing.run import analyze_to_tables

    engine = "dask" if args.scheduler else args.engine
    try:
        summary = analyze_to_tables(args.paths, args.out, lexicons=args.lexicon, targets=args.targets,
                                    columns=_columns(args), metadata=args.metadata, jobs=args.jobs or os.cpu_count() or 1,
                                    engine=engine, scheduler=args.scheduler, fmt=args.format, resume=args.resume,
                                    progress=not args.no_progress, neutralize_formulas=not args.keep_formulas,
                                    arguments=sys.argv[1:] if args.argv is None else args.argv)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    errors_path = summary.out / "errors.csv"
    if args.format == "csv" and summary.n_errors:
        import csv

        with open(errors_path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                print(f"framing: skipped {row['source']}: {row['reason']}", file=sys.stderr)
    print(f"framing: {summary.n_documents} documents analysed, {summary.n_errors} inputs skipped; "
          f"tables in {summary.out}", file=sys.stderr)
    if summary.n_documents == 0:
        return EXIT_FAILED
    return EXIT_SKIPPED if summary.n_errors else EXIT_OK


def run_report(args) -> int:
    from pathlib import Path

    import yaml

    from framing.batch import build_report
    from framing.errors import FramingError

    paths = args.paths or ["seeds"]
    out = args.out or str(Path("reports") / (Path(paths[0].rstrip("/")).name.split(".")[0] or "corpus"))
    extra = {name: yaml.safe_load(value) for name, value in args.parameter}
    try:
        result = build_report(paths, out, lexicons=args.lexicon, targets=args.targets, group_by=args.group_by,
                              jobs=args.jobs, force=args.force, progress=not args.no_progress,
                              extra_parameters=extra, notebooks=args.notebooks)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    counts = {status: sum(job.status == status for job in result.jobs) for status in ("ok", "cached", "failed")}
    for error in result.analysis.errors.itertuples():
        print(f"framing: skipped {error.source}: {error.reason}", file=sys.stderr)
    for job in result.failures:
        print(f"framing: report failed: {job.name}: {job.error}", file=sys.stderr)
    print(f"framing: {counts['ok']} reports run, {counts['cached']} unchanged, {counts['failed']} failed; "
          f"open {result.index}", file=sys.stderr)
    if result.failures:
        return EXIT_FAILED
    return EXIT_SKIPPED if len(result.analysis.errors) else EXIT_OK


def run_highlight(args) -> int:
    from framing.errors import FramingError
    from framing.highlight import write_highlight

    try:
        page = write_highlight(args.paths, args.out, lexicons=args.lexicon, targets=args.targets,
                               metadata=args.metadata)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"framing: wrote {page}", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on a usage error, 0 on --help
        return int(exc.code or 0)
    args.argv = argv
    commands = {"analyze": run_analyze, "report": run_report, "highlight": run_highlight}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # exit 1 means "inputs skipped": an unexpected failure must not look like that
        print(f"framing: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
