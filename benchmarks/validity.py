"""Do framing's measures agree with people? Prints the figures, good or bad.

    .venv/bin/python benchmarks/validity.py [--shared ../shared]

(a) sentiment on ../shared/benchmarks/vader_nyt (5,190 NYT editorial snippets, mean of ~20 human ratings);
(b) loaded terms on ../shared/benchmarks/babe_dev (BABE sentences, expert bias labels and biased words);
(c) hedges and boosters on benchmarks/hedge_booster_gold.tsv (hand-labelled, committed here).
The benchmarks are read from the path given; nothing here is bundled into the package.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import re
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score

from framing import lexicons as lex
from framing import sentiment
from framing.measure import HIT_COLUMNS, analyze_document, make_setup
from framing.model import Document

HERE = Path(__file__).resolve().parent
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
HUMAN_BAND = 0.5   # a human mean of at least +0.5 (of -4..+4) is positive, at most -0.5 negative
SYSTEM_BAND = 0.05  # VADER's own rule on the compound score


def three_class(values, band):
    values = np.asarray(values)
    return np.where(values >= band, 1, np.where(values <= -band, -1, 0))


def sentiment_benchmark(shared: Path) -> None:
    path = shared / "benchmarks" / "vader_nyt" / "nytEditorialSnippets_GroundTruth.txt"
    rows = [line.rstrip("\r\n").split("\t") for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip()]
    human = np.array([float(r[1]) for r in rows])
    texts = [r[2] for r in rows]

    import nltk
    from importlib import resources
    from nltk.sentiment.vader import SentimentIntensityAnalyzer as NltkVader
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as ReferenceVader

    nltk.data.path.append(str(resources.files("vaderSentiment")))  # the lexicon from the wheel, not a download
    class FramingVader:  # framing.sentiment.compound: the reference's scores, computed faster
        @staticmethod
        def polarity_scores(text):
            return {"compound": sentiment.compound(text)}

    analysers = {"vaderSentiment 3.3.2": ReferenceVader(),
                 "framing.sentiment (used)": FramingVader(),
                 "nltk VADER": NltkVader(lexicon_file="vader_lexicon.txt")}
    print(f"(a) Sentiment: {len(texts)} NYT editorial snippets; human mean rating -4..+4.")
    print(f"    Class rule: human mean >= +{HUMAN_BAND} positive, <= -{HUMAN_BAND} negative, else neutral; "
          f"system compound >= +{SYSTEM_BAND} / <= -{SYSTEM_BAND}. F1 is macro-averaged over the 3 classes.")
    print("    Published (Hutto & Gilbert 2014, Table 4): VADER r = 0.492, F1 = 0.55; individual humans r = 0.745, F1 = 0.65")
    print(f"    {'analyser':<30} {'r':>6} {'P':>6} {'R':>6} {'F1':>6} {'F1 band 0.2':>12} {'sent/s':>8}")
    for name, analyser in analysers.items():
        started = time.perf_counter()
        scores = np.array([analyser.polarity_scores(t)["compound"] for t in texts])
        rate = len(texts) / (time.perf_counter() - started)
        r = np.corrcoef(human, scores)[0, 1]
        truth, predicted = three_class(human, HUMAN_BAND), three_class(scores, SYSTEM_BAND)
        p = precision_score(truth, predicted, average="macro")
        rc = recall_score(truth, predicted, average="macro")
        f1 = f1_score(truth, predicted, average="macro")
        f1_narrow = f1_score(three_class(human, 0.2), predicted, average="macro")
        print(f"    {name:<30} {r:6.3f} {p:6.3f} {rc:6.3f} {f1:6.3f} {f1_narrow:12.3f} {rate:8.0f}")
    print(f"    framing.sentiment differs from vaderSentiment on {_disagreements(texts)} of {len(texts)} snippets")
    print()


def _disagreements(texts) -> int:
    return sum(sentiment.compound(t) != sentiment.reference_compound(t) for t in texts)


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def babe_benchmark(shared: Path, setup) -> None:
    path = shared / "benchmarks" / "babe_dev" / "babe_dev.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    halves = {"tune": [], "holdout": []}
    for row in rows:
        half = "tune" if hashlib.md5(row["text"].encode()).hexdigest()[0] in "01234567" else "holdout"
        halves[half].append(row)
    print(f"(b) Loaded terms: {len(rows)} BABE sentences (expert labels). Sentence: biased iff a loaded hit in the")
    print("    author's own voice (not inside an attributed or unattributed quote; scare quotes count). Word: a loaded")
    print("    hit is right if one of its words is an annotated biased word (P); an annotated word is found if a hit")
    print("    covers it (R); scare quotes are left out at word level. 'tune' is the half the lexicon was checked on,")
    print("    'holdout' the half nobody looked at (split by md5 of the text).")
    print("    Published: sentence macro-F1 0.804 (fine-tuned BERT); word-level F1 0.43 (P 0.29, R 0.77; MBIC, XGBoost)")
    print(f"    {'half':<8} {'n':>5} {'sent macro-F1':>14} {'word P':>7} {'word R':>7} {'word F1':>8}")
    for half, subset in [("tune", halves["tune"]), ("holdout", halves["holdout"]), ("all", rows)]:
        truth, predicted = [], []
        tp = n_hit = n_gold = n_found = 0
        for index, row in enumerate(subset):
            document = Document(doc_id=f"b{index}", text=row["text"], source="babe", format="txt")
            _, _, rows, _ = analyze_document(document, setup)
            hits = [dict(zip(HIT_COLUMNS, row)) for row in rows]
            loaded = [h for h in hits if h["lexicon"] == "loaded"]
            predicted.append(any(h["voice"] in ("author", "scare_quote") for h in loaded))
            truth.append(row["label_bias"] == "Biased")
            gold = {t for word in ast.literal_eval(row["biased_words"] or "[]") for t in _tokens(word)}
            words = [h for h in loaded if h["category"] != "scare_quote"]  # a scare quote marks a phrase
            tp += sum(bool(set(_tokens(h["matched"])) & gold) for h in words)
            n_hit += len(words)
            covered = {t for h in words for t in _tokens(h["matched"])}
            n_found += len(gold & covered)
            n_gold += len(gold)
        p = tp / n_hit if n_hit else 0.0
        r = n_found / n_gold if n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"    {half:<8} {len(subset):5d} {f1_score(truth, predicted, average='macro'):14.3f} "
              f"{p:7.3f} {r:7.3f} {f1:8.3f}")
    print()


def _gold_spans(text: str, items: str) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for item in [i.strip() for i in items.split(" | ") if i.strip()]:
        found = text.find(item, cursor)
        if found == -1:
            found = text.find(item)
        if found == -1:
            raise ValueError(f"gold item {item!r} not in {text!r}")
        spans.append((found, found + len(item)))
        cursor = found + len(item)
    return spans


def hedge_benchmark(setup) -> None:
    path = HERE / "hedge_booster_gold.tsv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    print(f"(c) Hedges and boosters: {len(rows)} hand-labelled sentences ({path.name}; guidelines in "
          "hedge_booster_gold.md).")
    print("    A hit is correct if it overlaps a gold item of the same kind; each gold item is found at most once.")
    print(f"    {'lexicon':<9} {'subset':<8} {'gold':>5} {'hits':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for lexicon, column in (("hedges", "hedges"), ("boosters", "boosters")):
        for subset_name, keep in (("seeds", lambda r: r["source"].startswith("seed")),
                                  ("written", lambda r: r["source"] == "written"), ("all", lambda r: True)):
            n_gold = n_hits = hits_ok = gold_found = 0
            for row in filter(keep, rows):
                gold = _gold_spans(row["text"], row[column] or "")
                hits = [h for h in lex.find_hits(setup.matcher, row["text"]) if h.lexicon == lexicon]
                n_gold += len(gold)
                n_hits += len(hits)
                hits_ok += sum(any(h.start < e and s < h.end for s, e in gold) for h in hits)
                gold_found += sum(any(h.start < e and s < h.end for h in hits) for s, e in gold)
            p = hits_ok / n_hits if n_hits else 0.0
            r = gold_found / n_gold if n_gold else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"    {lexicon:<9} {subset_name:<8} {n_gold:5d} {n_hits:5d} {p:6.3f} {r:6.3f} {f1:6.3f}")
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(HERE.parent.parent / "shared"),
                        help="folder holding benchmarks/vader_nyt and benchmarks/babe_dev (default ../shared)")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "benchmarks").is_dir():
        print(f"no benchmarks under {shared}; pass --shared PATH", file=sys.stderr)
        return 2
    setup = make_setup()
    print("framing validity benchmark; lexicons: "
          + ", ".join(f"{lx.name} ({len(lx.entries)} entries)" for lx in setup.lexicons) + "\n")
    sentiment_benchmark(shared)
    babe_benchmark(shared, setup)
    with open(shared / "benchmarks" / "babe_dev" / "babe_dev.csv", newline="", encoding="utf-8") as handle:
        babe_texts = [row["text"] for row in csv.DictReader(handle)]
    print(f"    framing.sentiment differs from vaderSentiment on {_disagreements(babe_texts)} of {len(babe_texts)} "
          "BABE sentences\n")
    hedge_benchmark(setup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
