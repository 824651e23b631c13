"""The ``framing`` command: parses arguments and calls the library; nothing else lives here.

Options that several commands take are declared once, in parent parsers (``corpus_options``,
``run_options``), so they are spelled, typed and explained the same everywhere and reach the library under
the same keywords (``corpus_arguments``).

Exit status: 0 every input was read; 1 some inputs were skipped (listed in errors.csv, everything else
written; validate: some coded sentences could not be found in the tables, listed); 2 a usage error, or nothing
could be read, or (report) a report failed, or (validate, train) the coding or the coder cannot be used.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2
COLUMN_ROLES = ("text", "title", "outlet", "author", "date", "url", "id")


def corpus_options() -> argparse.ArgumentParser:
    """How a corpus is read and measured: every command that analyses one takes these."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("reading and measuring the corpus")
    group.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                       help="an extra lexicon (TSV/CSV/YAML or LIWC .dic); repeatable")
    group.add_argument("--targets", default=None, metavar="SPEC",
                       help='targets for directed sentiment, e.g. "Albania=Albania|Albanian|Albanians; NATO"')
    group.add_argument("--metadata", default=None, metavar="CSV",
                       help="a metadata sidecar (file, outlet, title, author, date, url) that fills gaps")
    group.add_argument("--max-document-mb", type=float, default=None, metavar="MB",
                       help="what one document may take (a compressed file unpacked, one JSONL or CSV line); a "
                            "bigger one is an error row (default: 64)")
    for role in COLUMN_ROLES:
        group.add_argument(f"--{role}-column", default=None, metavar="NAME",
                           help=f"CSV/JSON column holding the {role} (default: found by common names)")
    return parent


def run_options() -> argparse.ArgumentParser:
    """How a run goes: worker processes and progress."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("running")
    group.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: the number of cores)")
    group.add_argument("--no-progress", action="store_true", help="no progress bar or progress log")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framing", description="Show, with evidence, how news outlets frame a story.")
    parser.add_argument("--version", action="version", version=f"framing {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    corpus, run = corpus_options(), run_options()

    analyze = commands.add_parser("analyze", parents=[corpus, run], help="measure a corpus and write its tables")
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or glob patterns")
    analyze.add_argument("--out", required=True, metavar="DIR", help="directory for the tables and run.json")
    analyze.add_argument("--engine", choices=("local", "dask"), default="local",
                         help="local worker processes, or dask.distributed (a local cluster or --scheduler)")
    analyze.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask)")
    analyze.add_argument("--format", choices=("csv", "parquet"), default="csv",
                         help="table format: csv (default) or parquet (a folder of parts per table)")
    analyze.add_argument("--keep-formulas", action="store_true",
                         help="write CSV text cells starting with = + - @ as they are (default: a leading ' so "
                              "spreadsheets show them as text instead of running them)")
    analyze.add_argument("--resume", action="store_true",
                         help="after an interrupted run, analyse only what is missing")
    analyze.add_argument("--coder", action="append", default=[], metavar="DIR",
                         help="a coder made by `framing train`: adds its label and probability to every sentence and "
                              "its shares to the documents (CSV tables); repeatable")

    highlight = commands.add_parser("highlight", parents=[corpus],
                                    help="the annotated teaching view of one document, or two side by side")
    highlight.add_argument("paths", nargs="+", metavar="FILE", help="one file, or two to set side by side")
    highlight.add_argument("--out", required=True, metavar="PAGE.html", help="the page to write (or a folder)")
    highlight.add_argument("--evaluative", action="store_true",
                           help="also mark evaluative words (praise, intensifiers, comment adverbs; off by default)")

    report = commands.add_parser("report", parents=[corpus, run], help="analyse a corpus and write HTML framing reports",
                                 epilog="example: framing report seeds/ --out reports/seeds")
    report.add_argument("paths", nargs="+", metavar="PATH",
                        help="the corpus to report on: files, directories or glob patterns")
    report.add_argument("--out", required=True, metavar="DIR",
                        help="directory for index.html, the reports, the notebooks and the tables")
    report.add_argument("--group-by", default="outlet", metavar="COLUMN",
                        help="grouping for the corpus comparison and the group pages (one per group, against the "
                             "rest): document, outlet or any metadata column")
    report.add_argument("--force", action="store_true", help="re-run every report, even unchanged ones")
    report.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a notebook parameter (VALUE read as YAML: 3, true, [a, b]), given to the notebooks that "
                             "declare it; repeatable")
    report.add_argument("--notebooks", default=None, metavar="DIR",
                        help="a folder with your own document_profile.ipynb and corpus_comparison.ipynb (and "
                             "group_profile.ipynb, else framing's is used)")
    report.add_argument("--document-notebooks", default="none", metavar="N|IDS|all",
                        help="run the document-profile notebook (a kernel each) for the first N documents, for the "
                             "documents with these ids (separated by commas) or for all; every other document's "
                             "page is rendered without a kernel, from the same views (default: none)")
    report.add_argument("--coder", action="append", default=[], metavar="DIR",
                        help="a coder made by `framing train`: applied as `framing analyze --coder` applies it, its "
                             "shares shown beside the other measures; repeatable")

    validate = commands.add_parser("validate", help="check framing against sentences people coded",
                                   epilog="example: framing validate coded.csv --tables reports/seeds/tables "
                                          "--out validation/")
    validate.add_argument("coded", metavar="CODED.csv",
                          help="sentences coded by people: doc_id + sentence_no or text, an optional coder column, "
                               "one column per code (loaded, hedge, tone, frame, ...)")
    validate.add_argument("--tables", required=True, metavar="DIR", help="the tables `framing analyze` wrote")
    validate.add_argument("--code", action="append", default=[], metavar="NAME",
                          help="a code column to check (default: every column but the ids); repeatable")
    validate.add_argument("--out", default=None, metavar="DIR",
                          help="write agreement.csv, per_class.csv, confusion.csv, disagreements.csv and "
                               "unmatched.csv in this folder (a new one, or one framing made)")
    validate.add_argument("--n-boot", type=int, default=1000, metavar="N", help="bootstrap resamples (default: 1000)")
    validate.add_argument("--seed", type=int, default=0, metavar="N", help="the bootstrap's seed (default: 0)")

    train = commands.add_parser("train", help="train a coder on sentences people coded",
                                epilog="example: framing train coded.csv --code frame --out coders/frame/")
    train.add_argument("coded", metavar="CODED.csv",
                       help="sentences coded by people: a text column (or doc_id + sentence_no with --tables), an "
                            "optional coder column, the code's column")
    train.add_argument("--code", required=True, metavar="NAME", help="the column to learn")
    train.add_argument("--out", required=True, metavar="DIR",
                       help="the coder's folder: model.skops, card.json, card.md (a new one, or one framing made)")
    train.add_argument("--name", default=None, metavar="NAME",
                       help="the coder's name in the tables' columns (default: the code's)")
    train.add_argument("--tables", default=None, metavar="DIR",
                       help="the tables the coded sentences come from, to find their text by doc_id + sentence_no")
    train.add_argument("--folds", type=int, default=5, metavar="N", help="cross-validation folds (default: 5)")
    train.add_argument("--seed", type=int, default=0, metavar="N", help="the seed of the folds and the bootstrap")
    train.add_argument("--embedding", action="store_true",
                       help="also learn from a pretrained sentence embedding (needs the optional wordllama "
                            "package): more accurate on unseen sentences, less readable")
    return parser


def _version() -> str:
    from framing._version import __version__
    return __version__


def corpus_arguments(args) -> dict:
    """The corpus options as the library's keywords: the same for analyze_to_tables, build_report and
    write_highlight."""
    columns = {role: getattr(args, f"{role}_column") for role in COLUMN_ROLES if getattr(args, f"{role}_column")}
    return {"lexicons": args.lexicon, "targets": args.targets, "columns": columns, "metadata": args.metadata}


def _arguments(args) -> list[str]:
    return sys.argv[1:] if args.argv is None else args.argv


def _error(exc: Exception) -> int:
    print(f"framing: error: {exc}", file=sys.stderr)
    return EXIT_FAILED


def run_analyze(args) -> int:
    import os

    from framing.errors import FramingError
    from framing.run import analyze_to_tables
    from framing.tables import FILES

    engine = "dask" if args.scheduler else args.engine
    try:
        summary = analyze_to_tables(args.paths, args.out, **corpus_arguments(args), jobs=(os.cpu_count() or 1) if args.jobs is None else args.jobs,
                                    engine=engine, scheduler=args.scheduler, fmt=args.format, resume=args.resume,
                                    progress=not args.no_progress, max_document_mb=args.max_document_mb,
                                    neutralize_formulas=not args.keep_formulas, arguments=_arguments(args),
                                    coders=args.coder)
    except FramingError as exc:
        return _error(exc)
    errors_path = summary.out / FILES["errors"]
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
    from framing.errors import FramingError
    from framing.report import build_report, document_notebook_choice, parse_parameter_values

    try:
        extra = parse_parameter_values(args.parameter)
        result = build_report(args.paths, args.out, **corpus_arguments(args), group_by=args.group_by, jobs=args.jobs,
                              force=args.force, progress=not args.no_progress, extra_parameters=extra,
                              notebooks=args.notebooks, arguments=_arguments(args),
                              document_notebooks=document_notebook_choice(args.document_notebooks),
                              coders=args.coder)
    except FramingError as exc:
        return _error(exc)
    counts = {status: sum(job.status == status for job in result.jobs) for status in ("ok", "cached", "failed")}
    for error in result.errors.itertuples():
        print(f"framing: skipped {error.source}: {error.reason}", file=sys.stderr)
    if result.note:
        print(f"framing: {result.note}", file=sys.stderr)
    for job in result.failures:
        print(f"framing: report failed: {job.name}: {job.error}", file=sys.stderr)
    print(f"framing: {counts['ok']} reports run, {counts['cached']} unchanged, {counts['failed']} failed; "
          f"open {result.index}", file=sys.stderr)
    if result.failures:
        return EXIT_FAILED
    return EXIT_SKIPPED if len(result.errors) else EXIT_OK


def run_highlight(args) -> int:
    from framing.errors import FramingError
    from framing.report import write_highlight

    try:
        page = write_highlight(args.paths, args.out, evaluative=args.evaluative, **corpus_arguments(args))
    except FramingError as exc:
        return _error(exc)
    print(f"framing: wrote {page}", file=sys.stderr)
    return EXIT_OK


def run_validate(args) -> int:
    from framing.errors import FramingError
    from framing.tables import load_analysis
    from framing.validate import summary_lines, validate, write_validation

    try:
        result = validate(args.coded, load_analysis(args.tables), codes=args.code or None, n_boot=args.n_boot,
                          seed=args.seed)
        out = write_validation(result, args.out) if args.out else None
    except FramingError as exc:
        return _error(exc)
    for line in summary_lines(result):
        print(line)
    for row in result.unmatched.itertuples(index=False):
        where = f"{row.doc_id} {row.sentence_no}".strip() or repr(row.text[:60])
        print(f"framing: not found: row {row.row} ({where}): {row.reason}", file=sys.stderr)
    print(f"framing: {len(result.agreement)} codes checked, {len(result.disagreements)} disagreements, "
          f"{len(result.unmatched)} coded rows not found" + (f"; tables in {out}" if out else ""), file=sys.stderr)
    return EXIT_SKIPPED if len(result.unmatched) else EXIT_OK


def run_train(args) -> int:
    from framing.coder import save_coder, train
    from framing.errors import FramingError
    from framing.tables import load_analysis

    try:
        analysis = load_analysis(args.tables) if args.tables else None
        coder = train(args.coded, code=args.code, name=args.name, analysis=analysis, folds=args.folds,
                      seed=args.seed, embedding=args.embedding)
        out = save_coder(coder, args.out)
    except FramingError as exc:
        return _error(exc)
    cv, data = coder.card["cross_validation"], coder.card["training_data"]
    labels = ", ".join(f"{label} {n}" for label, n in data["labels"].items())
    print(f"framing: coder {coder.name!r} trained on {data['n_sentences']} sentences ({labels}); cross-validated "
          f"macro-F1 {cv['macro_f1']:.3f} [{cv['low']:.3f}, {cv['high']:.3f}]; model card in {out / 'card.md'}",
          file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on a usage error, 0 on --help
        return int(exc.code or 0)
    args.argv = argv
    commands = {"analyze": run_analyze, "report": run_report, "highlight": run_highlight, "validate": run_validate,
                "train": run_train}
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
