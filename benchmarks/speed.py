"""How fast is the analysis, measured against VADER alone on the same sentences, in one run.

    .venv/bin/python benchmarks/speed.py [--copies 60]

The corpus is the seeds, cleaned once and repeated ``--copies`` times. The figures that matter are ratios
taken in the same run (the machines are shared and noisy: differences under ~20% are noise).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from framing import lexicons as lex
from framing import segment, sentiment
from framing.measure import analyze_document, make_setup
from framing.model import Document
from framing.read import load_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def best_of(repeats: int, function) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=60, help="how many times the seed corpus is repeated")
    parser.add_argument("--repeats", type=int, default=3, help="timings are the best of this many runs")
    args = parser.parse_args(argv)

    seeds = load_corpus(SEEDS).documents
    documents = [Document(doc_id=f"{d.doc_id}-{i}", text=d.text, source=d.source, format=d.format)
                 for i in range(args.copies) for d in seeds]
    setup = make_setup()
    sentences = [d.text[s.start:s.end] for d in documents for s in segment.split_sentences(d.text)]
    megabytes = sum(len(d.text.encode()) for d in documents) / 1e6
    analyser = sentiment.analyzer()

    whole = best_of(args.repeats, lambda: [analyze_document(d, setup) for d in documents])
    vader = best_of(args.repeats, lambda: [analyser.polarity_scores(s) for s in sentences])
    port = best_of(args.repeats, lambda: [sentiment.compound(s) for s in sentences])

    def structure():
        for d in documents:
            segment.split_sentences(d.text)
            segment.find_quotes(d.text)
            lex.find_hits(setup.matcher, d.text)

    structural = best_of(args.repeats, structure)
    split = best_of(args.repeats, lambda: [segment.split_sentences(d.text) for d in documents])
    quotes = best_of(args.repeats, lambda: [segment.find_quotes(d.text) for d in documents])
    match = best_of(args.repeats, lambda: [lex.find_hits(setup.matcher, d.text) for d in documents])
    # the same entries with their sense conditions left out: what checking the conditions costs, in this run
    bare = lex.build_matcher([lex.Lexicon(lx.name, [replace(e, check=()) for e in lx.entries], lx.path, lx.sha256)
                              for lx in setup.lexicons])
    unchecked = best_of(args.repeats, lambda: [lex.find_hits(bare, d.text) for d in documents])
    checked = sum(1 for lx in setup.lexicons for e in lx.entries if e.check)

    n = len(sentences)
    print(f"corpus: {len(documents)} documents, {n} sentences, {megabytes:.2f} MB (seeds x {args.copies}); "
          f"best of {args.repeats}; {sum(len(lx.entries) for lx in setup.lexicons)} lexicon entries")
    print(f"  whole analysis (split, quotes, matching, VADER, tables): {n / whole:8.0f} sentences/s")
    print(f"  VADER alone on the same sentences:                       {n / vader:8.0f} sentences/s")
    print(f"  framing.sentiment.compound alone (the same scores):      {n / port:8.0f} sentences/s")
    print(f"  ratio whole / VADER-alone speed:                         {vader / whole:8.2f}")
    print(f"  splitting + quotes + matching together:                  {n / structural:8.0f} sentences/s "
          f"= {structural / vader:.2f} of VADER's time (goal: under 0.5)")
    print(f"    of which splitting {split / vader:.2f}, quotes {quotes / vader:.2f}, matching {match / vader:.2f} "
          "of VADER's time")
    print(f"  matching with the sense conditions of {checked} entries / without them:  {match / unchecked:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
