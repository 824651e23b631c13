"""Wall time and peak memory of `framing report` on generated corpora of 100, 1,000 and 10,000 news articles in
8 outlets, and the time of one bare papermill run of an empty notebook (the floor every notebook kernel pays).

    .venv/bin/python benchmarks/report_speed.py [--sizes 100 1000 10000] [--jobs N] [--workdir DIR] [--keep]

Each size is one fresh `framing report` in a child process (its peak memory is the child's and its own
children's maximum resident set, from the operating system), then a second run with nothing changed. The
articles are generated: a headline, four to seven paragraphs of 3-5 sentences, direct and reported quotes with
named and anonymous speakers, hedges, boosters and loaded words drawn at outlet-specific rates, so the outlets
differ as real ones do; about 350 words each (real articles in seeds/ run 300-1,500).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

OUTLETS = ["Daily Courier", "The Ledger", "Morning Post", "Evening Star", "Wire Service", "The Observer Online",
           "Metro Herald", "National Tribune"]
# how often each outlet reaches for a loaded word, a hedge and a booster (per sentence)
STYLE = {outlet: (0.05 + 0.06 * i, 0.25 - 0.02 * i, 0.05 + 0.03 * (i % 4)) for i, outlet in enumerate(OUTLETS)}

SUBJECTS = ["The council", "Police", "The minister", "Local residents", "The opposition", "Officers", "The mayor",
            "Campaigners", "The government", "Prosecutors", "The company", "Health officials", "Teachers",
            "The committee", "Border officials", "Union leaders"]
VERBS = ["announced a review of", "approved new funding for", "rejected the plan for", "opened an inquiry into",
         "published figures on", "postponed the vote on", "defended the decision on", "raised concerns about",
         "met to discuss", "called for changes to", "outlined proposals for", "cut the budget for"]
OBJECTS = ["housing in the city centre", "the new bus routes", "school meals", "the harbour project",
           "night-time policing", "the regional hospital", "flood defences", "migrant support services",
           "the water supply", "small business grants", "the library network", "road repairs", "youth clubs",
           "the recycling scheme", "border checks", "energy prices"]
DETAILS = ["on Monday", "last week", "after months of talks", "in a statement", "at a public meeting",
           "ahead of the election", "following complaints", "despite objections", "for the third time this year",
           "with cross-party support"]
FIGURES = ["about 40 per cent", "nearly 2,000 people", "roughly £3m", "more than 150 households", "around 12 staff",
           "almost half of the residents", "some 300 jobs", "an estimated 5,000 visits"]
HEDGES = ["may", "could", "appears to", "is likely to", "might", "seems to", "reportedly", "allegedly"]
BOOSTERS = ["clearly", "undoubtedly", "certainly", "obviously", "in fact", "without doubt"]
LOADED = ["a shocking", "a disastrous", "a reckless", "a ruthless", "a so-called", "a scandalous", "an outrageous",
          "a catastrophic", "a savage", "a chaotic"]
LOADED_NOUNS = ["invasion", "crisis", "flood of arrivals", "cover-up", "fiasco", "crackdown", "power grab",
                "witch hunt", "shambles", "betrayal"]
SPEAKERS = [("Maria Lopez", "a council spokeswoman"), ("James Carter", "the chief constable"),
            ("Amira Haddad", "a local shop owner"), ("Tom Reilly", "an opposition MP"),
            ("Helen Brooks", "a university economist"), ("David Okafor", "a union representative"),
            ("Sara Lind", "the health minister"), ("Piotr Nowak", "a resident")]
CUES = ["said", "told reporters", "claimed", "insisted", "admitted", "warned", "added", "explained"]
ANONYMOUS = ["a source close to the talks said", "officials who asked not to be named said",
             "one insider claimed", "sources said"]
QUOTES = ["We have done everything we can, and we will keep working on it",
          "This is not what people were promised",
          "The figures speak for themselves",
          "Nobody wants to see this happen again",
          "We are listening, and we will act",
          "It is a mess, and the public deserves better",
          "The plan is fair and it is affordable",
          "There are serious questions to answer"]


def _sentence(rng: random.Random, outlet: str) -> str:
    loaded, hedge, booster = STYLE[outlet]
    subject, verb, obj = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    kind = rng.random()
    if kind < 0.25:
        name, role = rng.choice(SPEAKERS)
        text = f'"{rng.choice(QUOTES)}," {name}, {role}, {rng.choice(CUES)}.'
    elif kind < 0.35:
        text = f"{rng.choice(QUOTES)}, {rng.choice(ANONYMOUS)}."
    elif kind < 0.5:
        modal = rng.choice(HEDGES) if rng.random() < hedge * 2 else "will"
        text = f"The change {modal} affect {rng.choice(FIGURES)}, according to the report."
    else:
        text = f"{subject} {verb} {obj} {rng.choice(DETAILS)}."
    if rng.random() < hedge:
        text = f"{subject} {rng.choice(HEDGES)} reconsider {obj}, it is understood."
    if rng.random() < booster:
        text = f"{rng.choice(BOOSTERS).capitalize()}, {text[0].lower()}{text[1:]}"
    if rng.random() < loaded:
        text += f" Critics called it {rng.choice(LOADED)} {rng.choice(LOADED_NOUNS)}."
    return text


def article(rng: random.Random, outlet: str) -> tuple[str, str]:
    """A headline and a news article of four to seven paragraphs."""
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    paragraphs = [" ".join(_sentence(rng, outlet) for _ in range(rng.randint(3, 5)))
                  for _ in range(rng.randint(4, 7))]
    return title, "\n\n".join(paragraphs)


def write_corpus(folder: Path, n: int, *, seed: int = 0) -> Path:
    """``n`` articles spread over the 8 outlets, with a metadata.csv (outlet, title, date)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(["file", "outlet", "title", "date"])
        for i in range(n):
            outlet = OUTLETS[i % len(OUTLETS)]
            title, text = article(rng, outlet)
            name = f"a{i:05d}.txt"
            (folder / name).write_text(text + "\n", encoding="utf-8")
            rows.writerow([name, outlet, title, f"2026-0{1 + i % 9}-{1 + i % 28:02d}"])
    return folder


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


def timed_report(corpus: Path, out: Path, jobs: int) -> tuple[float, float, int, float]:
    """One `framing report` in a child process: wall seconds, peak resident MiB (the largest process of the
    run: framing, a worker or a notebook kernel), exit code, and CPU seconds of the run and every process it
    waited for (user + system). On a shared machine the wall time grows with others' load; the CPU time
    divided by the cores is the wall time the run needs on an idle one, if it keeps them all busy."""
    command = [sys.executable, "-c", "import sys, resource; from framing.cli import main; code = main(sys.argv[1:]); "
               "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print('peak', me.ru_maxrss, kids.ru_maxrss, file=sys.stderr); "
               "print('cpu', me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, file=sys.stderr); "
               "sys.exit(code)",
               "report", str(corpus), "--out", str(out), "--jobs", str(jobs), "--no-progress"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = cpu = 0.0
    for line in done.stderr.splitlines():
        if line.startswith("peak "):
            peak = max(int(x) for x in line.split()[1:]) / 1024
        if line.startswith("cpu "):
            cpu = float(line.split()[1])
    if done.returncode not in (0, 1):
        print(done.stderr[-3000:], file=sys.stderr)
    return seconds, peak, done.returncode, cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", default=None, help="where to write the corpora and reports (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and reports")
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="framing-report-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        floor = bare_papermill_seconds(work)
        print(f"bare papermill, empty notebook (best of 3): {floor:.2f} s", flush=True)
        for n in args.sizes:
            corpus = write_corpus(work / f"corpus_{n}", n)
            out = work / f"report_{n}"
            load = os.getloadavg()[0]
            seconds, peak, code, cpu = timed_report(corpus, out, args.jobs)
            pages = len(list(out.glob("document_*.html")))
            outlets = len(list(out.glob("outlet_*.html")))
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
            again, _, _, _ = timed_report(corpus, out, args.jobs)
            print(f"{n:6d} documents, 8 outlets, {args.jobs} jobs: {seconds:7.1f} s wall "
                  f"({n / seconds:6.1f} docs/s; load average {load:.1f} before), CPU {cpu:.0f} s = {cpu / args.jobs:.0f} s "
                  f"per core, peak memory {peak:6.0f} MiB, {pages} document pages, {outlets} outlet pages, "
                  f"{size:.0f} MiB written, exit {code}; unchanged re-run {again:.1f} s", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
