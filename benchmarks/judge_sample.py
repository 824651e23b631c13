"""Draw hits of the current lexicons at random from NewsMTSC sentences, for a blind judge.

    .venv/bin/python benchmarks/judge_sample.py --newsmtsc PATH --seed N --loaded 100 --hedges 60 --out FILE
    .venv/bin/python benchmarks/judge_sample.py --texts DIR [--exclude JUDGED.tsv] --seed N ... --out FILE

PATH is NewsMTSC's ``train.jsonl`` (or the folder holding it); DIR a folder of plain-text articles (the judged
figures in README.md come from the BBC News data set of Greene & Cunningham 2006, whose articles the lexicon
review never read). ``--exclude`` leaves out the articles of earlier judged rounds; with ``--exclude-sentences``
only the sentences judged before are left out, so a sample can be drawn from the whole corpus again.
Every hit of each lexicon in those sentences is found (the sentence alone is the document, so a hit's voice is
what framing sees in that sentence), then ``--loaded``/``--hedges``/``--boosters``/``--evaluative`` of them are
drawn uniformly at random per lexicon with ``--seed``, and the items are shuffled together.

Two files are written:

- ``FILE`` (for the judge): ``item``, ``question`` (what to decide for that item), ``sentence`` with the span
  marked ``[[like this]]``, ``span``, and an empty ``judged`` column to fill with 1 (yes) or 0 (no). It holds no
  category, pattern or explanation, so the judge sees the sentence and the question only.
- ``FILE`` with ``.key.tsv`` in place of its suffix (not for the judge): ``item``, ``lexicon``, ``category``,
  ``entry`` (the pattern), ``doc_id``, ``start``, ``end``, ``span``, ``voice`` and the seed.

After judging, join the two on ``item`` and commit ``benchmarks/data/judged_hits.tsv`` with at least the columns
``lexicon`` and ``judged``; ``benchmarks/validity.py`` prints judged precision per lexicon from it.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

from framing.measure import HIT_COLUMNS, analyze_document, make_setup
from framing.model import Document

QUESTIONS = {
    "loaded": "Is the marked word or phrase loaded in this sentence: a label, metaphor or verb that judges or "
              "frames while it seems to describe (1), or neutral, literal or technical here (0)?",
    "evaluative": "Does the marked word praise, disapprove, intensify or comment in this sentence (1), or is it "
                  "neutral or literal here (0)?",
    "hedges": "Does the marked word or phrase make a claim less certain, second-hand or approximate in this "
              "sentence (1), or not (0)?",
    "boosters": "Does the marked word or phrase make a claim sound more certain or obvious in this sentence (1), "
                "or not (0)?",
}


def read_sentences(path: Path) -> list[tuple[str, str]]:
    if path.is_dir():
        path = path / "train.jsonl"
    sentences = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            sentences.append((str(record.get("primary_gid") or number), record["sentence_normalized"]))
    return sentences


def read_articles(folder: Path) -> list[tuple[str, str]]:
    """Every ``*.txt`` under ``folder`` (sorted), its path relative to the folder as its id."""
    return [(path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8", errors="replace"))
            for path in sorted(folder.rglob("*.txt"))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--newsmtsc", help="NewsMTSC train.jsonl, or its folder")
    source.add_argument("--texts", help="a folder of plain-text news articles (*.txt, read recursively), e.g. the "
                                        "BBC News data set of Greene & Cunningham (2006)")
    parser.add_argument("--exclude", action="append", default=[],
                        help="a judged_hits.tsv whose documents are left out (so a second sample is on text "
                             "nobody has read for the lexicons); may be given more than once")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--loaded", type=int, default=100)
    parser.add_argument("--hedges", type=int, default=60)
    parser.add_argument("--boosters", type=int, default=0)
    parser.add_argument("--evaluative", type=int, default=0)
    parser.add_argument("--exclude-sentences", action="store_true",
                        help="with --exclude: leave out only the sentences judged before (their offsets), not their "
                             "whole articles, so the sample is drawn from the whole corpus")
    parser.add_argument("--out", required=True, help="the judge's file (TSV); the key goes beside it")
    args = parser.parse_args(argv)

    wanted = {name: n for name, n in (("loaded", args.loaded), ("hedges", args.hedges), ("boosters", args.boosters),
                                      ("evaluative", args.evaluative)) if n > 0}
    setup = make_setup()
    judged: dict[str, list[int]] = {}  # article -> offsets of the hits judged before
    for path in args.exclude:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
                judged.setdefault(row["doc_id"], []).append(int(row["start"]))
    sentences = read_sentences(Path(args.newsmtsc)) if args.newsmtsc else read_articles(Path(args.texts))
    if not args.exclude_sentences:
        sentences = [(doc_id, text) for doc_id, text in sentences if doc_id not in judged]
    found: dict[str, list[tuple]] = {name: [] for name in wanted}
    for doc_id, text in sentences:
        document = Document(doc_id=doc_id, text=text, source=doc_id, format="txt")
        _, sentence_rows, hit_rows = analyze_document(document, setup)[:3]
        spans = {row[1]: (int(row[2]), int(row[3])) for row in sentence_rows}
        seen = {number for number, (first, last) in spans.items()
                if any(first <= start < last for start in judged.get(doc_id, ()))}
        for row in hit_rows:
            hit = dict(zip(HIT_COLUMNS, row))
            if hit["lexicon"] in found and hit["category"] != "scare_quote" and hit["sentence_no"] not in seen:
                found[hit["lexicon"]].append((doc_id, text, spans[hit["sentence_no"]], hit))
    rng = random.Random(args.seed)
    items = []
    for name, n in wanted.items():
        pool = found[name]
        if len(pool) < n:
            print(f"only {len(pool)} {name} hits in {len(sentences)} sentences; all are taken", file=sys.stderr)
        items += [(name, *pick) for pick in rng.sample(pool, min(n, len(pool)))]
    rng.shuffle(items)

    out = Path(args.out)
    key = out.with_name(out.stem + ".key.tsv")
    with open(out, "w", newline="", encoding="utf-8") as judge, open(key, "w", newline="", encoding="utf-8") as keys:
        judge_rows = csv.writer(judge, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, quotechar=None,
                                escapechar="\\")
        key_rows = csv.writer(keys, delimiter="\t", lineterminator="\n")
        judge_rows.writerow(["item", "question", "sentence", "span", "judged"])
        key_rows.writerow(["item", "lexicon", "category", "entry", "doc_id", "start", "end", "span", "voice", "seed"])
        for number, (name, doc_id, text, (first, last), hit) in enumerate(items, start=1):
            start, end = int(hit["start"]), int(hit["end"])
            marked = " ".join(f"{text[first:start]}[[{text[start:end]}]]{text[end:last]}".split())
            judge_rows.writerow([number, QUESTIONS[name], marked, text[start:end], ""])
            key_rows.writerow([number, name, hit["category"], hit["entry"], doc_id, start, end, text[start:end],
                               hit["voice"], args.seed])
    counts = ", ".join(f"{name} {sum(1 for i in items if i[0] == name)} of {len(found[name])}" for name in wanted)
    print(f"{len(sentences)} sentences; sampled {counts}; wrote {out} (for the judge) and {key} (the key)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
