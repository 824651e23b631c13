"""Wall time of `framing report` on the seeds against one bare papermill run of an empty notebook.

    .venv/bin/python benchmarks/report_speed.py [--jobs N]

Prints, in one run: the time of one bare papermill execution of an empty notebook (the floor every
notebook pays for a kernel), the whole batch's wall time, and the batch's time per notebook as a ratio
to that floor. A second, cached run is timed too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from framing.report import build_report

ROOT = Path(__file__).resolve().parent.parent


def bare_papermill_seconds(folder: Path, repeats: int = 3) -> float:
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    book.cells[0].metadata["tags"] = ["parameters"]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "empty.ipynb"
    nbformat.write(book, path)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        papermill.execute_notebook(str(path), str(folder / "empty_out.ipynb"), parameters={"x": 2},
                                   kernel_name="python3", progress_bar=False)
        timings.append(time.perf_counter() - started)
    return min(timings)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor = bare_papermill_seconds(tmp)
        started = time.perf_counter()
        result = build_report([ROOT / "seeds"], tmp / "report", jobs=args.jobs, progress=False)
        batch = time.perf_counter() - started
        started = time.perf_counter()
        build_report([ROOT / "seeds"], tmp / "report", jobs=args.jobs, progress=False)
        cached = time.perf_counter() - started
    n = len(result.jobs)
    print(f"bare papermill, empty notebook (best of 3):       {floor:6.2f} s")
    print(f"framing report on seeds/, {n} notebooks, {args.jobs} jobs:  {batch:6.2f} s wall "
          f"({batch / n:.2f} s per notebook, {batch / n / floor:.2f} x the bare run)")
    print(f"second run, nothing changed:                      {cached:6.2f} s")
    print(f"failed reports: {len(result.failures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
