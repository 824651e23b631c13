"""Do framing's measures agree with people? Prints the figures, good or bad.

    .venv/bin/python benchmarks/validity.py [--shared ../shared] [--babe BABE.csv] [--judged-texts DIR] [--only babe ...]

(a) sentiment on ../shared/benchmarks/vader_nyt (5,190 NYT editorial snippets, mean of ~20 human ratings);
(b) loaded terms (and loaded + evaluative words) on the BABE sentences given by --babe (expert bias labels,
    marked biased words, opinion labels): word by word, hit by hit, sentence, and "entirely factual" sentences;
(c) hedges and boosters on benchmarks/hedge_booster_gold.tsv (hand-labelled, committed here);
(d) judged precision per lexicon from benchmarks/data/judged_hits.tsv, when it exists (benchmarks/judge_sample.py);
    with --judged-texts DIR (the articles the judged hits point into) also which judged hits the current lexicons
    still find: a check that a fix made after a round removes its misses and what right hits it costs.
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


def _babe_hits(rows: list[dict], setup) -> list[list[dict]]:
    """Every hit framing finds in each BABE sentence (hits.csv rows as dicts), analysed once."""
    found = []
    for index, row in enumerate(rows):
        document = Document(doc_id=f"b{index}", text=row["text"], source="babe", format="txt")
        _, _, hit_rows, _ = analyze_document(document, setup)
        found.append([dict(zip(HIT_COLUMNS, hit)) for hit in hit_rows])
    return found


def babe_scores(rows: list[dict], hits: list[list[dict]], lexicons: tuple[str, ...]) -> dict:
    """Agreement of the hits of some lexicons with BABE's experts, on a list of sentences.

    Word by word: every word of every hit is a prediction, right if the experts marked that word (P); a marked
    word is found if a hit covers it (R). Hit by hit: a hit is right if one of its words is marked (P); R as
    above. Scare quotes are left out at word and hit level (they mark a phrase, not a word). Sentence: biased
    iff a hit in the author's voice (scare quotes count), macro-F1 against the experts' label. Factual: the share
    of sentences the experts call "Entirely factual" that get a hit (scare quotes left out)."""
    truth, predicted = [], []
    words_right = n_words = hits_right = n_hits = n_gold = n_found = 0
    factual = factual_hit = 0
    for row, found in zip(rows, hits):
        own = [h for h in found if h["lexicon"] in lexicons]
        predicted.append(any(h["voice"] in ("author", "scare_quote") for h in own))
        truth.append(row["label_bias"] == "Biased")
        gold = {t for word in ast.literal_eval(row["biased_words"] or "[]") for t in _tokens(word)}
        words = [h for h in own if h["category"] != "scare_quote"]
        for hit in words:
            tokens = _tokens(hit["matched"])
            n_words += len(tokens)
            words_right += sum(t in gold for t in tokens)
            n_hits += 1
            hits_right += bool(set(tokens) & gold)
        covered = {t for h in words for t in _tokens(h["matched"])}
        n_found += len(gold & covered)
        n_gold += len(gold)
        if row.get("label_opinion") == "Entirely factual":
            factual += 1
            factual_hit += bool(words)

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    word_p = words_right / n_words if n_words else 0.0
    hit_p = hits_right / n_hits if n_hits else 0.0
    recall = n_found / n_gold if n_gold else 0.0
    return {"n": len(rows), "sentence_f1": f1_score(truth, predicted, average="macro") if rows else 0.0,
            "word_p": word_p, "word_r": recall, "word_f1": f1(word_p, recall), "n_word_hits": n_words,
            "hit_p": hit_p, "hit_r": recall, "hit_f1": f1(hit_p, recall), "n_hits": n_hits,
            "factual": factual, "factual_share": factual_hit / factual if factual else 0.0}


def babe_benchmark(path: Path, setup) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    halves = {"tune": [], "holdout": []}
    for index, row in enumerate(rows):
        half = "tune" if hashlib.md5(row["text"].encode()).hexdigest()[0] in "01234567" else "holdout"
        halves[half].append(index)
    hits = _babe_hits(rows, setup)
    print(f"(b) Loaded terms: {len(rows)} BABE sentences (expert labels and marked words).")
    print("    word P/R/F1: every word of a hit against the experts' marked words (scare quotes left out);")
    print("    hit P: a hit is right if one of its words is marked; R (both): marked words a hit covers.")
    print("    sent F1: sentence biased iff a hit in the author's voice, macro-F1. factual: share of the sentences the")
    print("    experts call 'Entirely factual' with a hit. 'tune' is the half the lexicon was once checked on,")
    print("    'holdout' the other half (split by md5 of the text). Aims (issue 15): word P >= 0.65 with word F1")
    print("    >= 0.44; factual sentences with a loaded hit <= 10%.")
    print("    Published: sentence macro-F1 0.804 (fine-tuned BERT); word-level F1 0.43 (P 0.29, R 0.77; MBIC, XGBoost)")
    print(f"    {'lexicons':<19} {'half':<8} {'n':>5} {'sent F1':>8} {'word P':>7} {'word R':>7} {'word F1':>8} "
          f"{'hit P':>6} {'hit F1':>7} {'hits':>5} {'factual':>8}")
    tiers = [("loaded", ("loaded",))]
    if any(lx.name == "evaluative" for lx in setup.lexicons):
        tiers.append(("loaded+evaluative", ("loaded", "evaluative")))
    for label, lexicons in tiers:
        for half, indices in [("tune", halves["tune"]), ("holdout", halves["holdout"]), ("all", range(len(rows)))]:
            score = babe_scores([rows[i] for i in indices], [hits[i] for i in indices], lexicons)
            print(f"    {label:<19} {half:<8} {score['n']:5d} {score['sentence_f1']:8.3f} {score['word_p']:7.3f} "
                  f"{score['word_r']:7.3f} {score['word_f1']:8.3f} {score['hit_p']:6.3f} {score['hit_f1']:7.3f} "
                  f"{score['n_hits']:5d} {score['factual_share']:8.3f}")
    print()


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default)."""
    if not n:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def judged_benchmark(path: Path) -> None:
    """Judged precision per lexicon from a committed file of blind judgements (benchmarks/judge_sample.py)."""
    print(f"(d) Judged precision: {path.relative_to(HERE.parent) if path.is_relative_to(HERE.parent) else path}")
    if not path.exists():
        print("    no judgements committed yet (benchmarks/judge_sample.py writes the sample to judge)\n")
        return
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))
    tally: dict[str, list[int]] = {}
    for number, row in enumerate(rows, start=2):
        value = (row.get("judged") or "").strip()
        if value not in ("0", "1"):
            print(f"    {path.name}:{number}: judged is {value!r}, not 1 or 0; left out")
            continue
        tally.setdefault((row.get("round") or "-", row.get("lexicon", "?")), []).append(int(value))
    print("    A judge who had not seen the lexicons read each hit in its sentence: 1 = the word is what the lexicon")
    print("    says (loaded / a hedge / a booster) in that sentence. Aims: loaded >= 0.85, hedges >= 0.92.")
    print("    Each round is its own sample; a round's misses may have led to changes that only a later round measures.")
    print(f"    {'round':<6} {'lexicon':<12} {'judged':>6} {'right':>6} {'precision':>9} {'95% Wilson':>16}")
    for (round_, lexicon), values in sorted(tally.items()):
        low, high = wilson(sum(values), len(values))
        print(f"    {round_:<6} {lexicon:<12} {len(values):6d} {sum(values):6d} {sum(values) / len(values):9.3f} "
              f"{f'{low:.3f}-{high:.3f}':>16}")
    print()


def judged_recheck(path: Path, texts: Path, setup) -> None:
    """The judged hits the current lexicons still find, per round and lexicon (the articles read from ``texts``)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
                if (row.get("judged") or "").strip() in ("0", "1")]
    found: dict[str, set] = {}
    tally: dict[tuple, list[int]] = {}
    for row in rows:
        doc_id = row["doc_id"]
        if doc_id not in found:
            article = texts / doc_id
            if not article.is_file():
                print(f"    {doc_id}: not under {texts}; left out")
                found[doc_id] = set()
                continue
            # read as judge_sample.py reads articles, so the offsets agree
            text = article.read_text(encoding="utf-8", errors="replace")
            found[doc_id] = {(hit.lexicon, hit.start) for hit in lex.find_hits(setup.matcher, text)}
        counts = tally.setdefault((row["round"], row["lexicon"]), [0, 0, 0, 0])
        kept = (row["lexicon"], int(row["start"])) in found[doc_id]
        right = row["judged"].strip() == "1"
        counts[0] += 1
        counts[1] += kept
        counts[2] += kept and right
        counts[3] += right and not kept
    print("    Re-check with the current lexicons (--judged-texts): the judged hits they still find. Not a new sample:")
    print("    the misses were read to write the fixes, so this shows what a fix removes and costs, not precision on")
    print("    unseen text (only a new round measures that).")
    print(f"    {'round':<6} {'lexicon':<12} {'judged':>6} {'found':>6} {'right':>6} {'precision':>9} {'right lost':>10}")
    for (round_, lexicon), (judged, kept, right, lost) in sorted(tally.items()):
        print(f"    {round_:<6} {lexicon:<12} {judged:6d} {kept:6d} {right:6d} "
              f"{(right / kept if kept else 0.0):9.3f} {lost:10d}")
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
    parser.add_argument("--babe", default=None, metavar="CSV",
                        help="the BABE sentences (babe_dev.csv; default: benchmarks/babe_dev/babe_dev.csv under --shared)")
    parser.add_argument("--judged", default=str(HERE / "data" / "judged_hits.tsv"), metavar="TSV",
                        help="blind judgements of sampled hits (columns lexicon, judged 1/0); default "
                             "benchmarks/data/judged_hits.tsv")
    parser.add_argument("--judged-texts", default=None, metavar="DIR",
                        help="the plain-text articles the judged hits point into (doc_id is a path under DIR): "
                             "also re-check which judged hits the current lexicons still find")
    parser.add_argument("--only", choices=("sentiment", "babe", "hedges", "judged"), action="append",
                        help="run only these parts (repeatable; default: all)")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    babe = Path(args.babe) if args.babe else shared / "benchmarks" / "babe_dev" / "babe_dev.csv"
    parts = set(args.only or ("sentiment", "babe", "hedges", "judged"))
    if "sentiment" in parts and not (shared / "benchmarks").is_dir():
        print(f"no benchmarks under {shared}; pass --shared PATH", file=sys.stderr)
        return 2
    if "babe" in parts and not babe.is_file():
        print(f"no BABE file at {babe}; pass --babe PATH", file=sys.stderr)
        return 2
    setup = make_setup()
    print("framing validity benchmark; lexicons: "
          + ", ".join(f"{lx.name} ({len(lx.entries)} entries)" for lx in setup.lexicons) + "\n")
    if "sentiment" in parts:
        sentiment_benchmark(shared)
    if "babe" in parts:
        babe_benchmark(babe, setup)
        if "sentiment" in parts:
            with open(babe, newline="", encoding="utf-8") as handle:
                babe_texts = [row["text"] for row in csv.DictReader(handle)]
            print(f"    framing.sentiment differs from vaderSentiment on {_disagreements(babe_texts)} of "
                  f"{len(babe_texts)} BABE sentences\n")
    if "hedges" in parts:
        hedge_benchmark(setup)
    if "judged" in parts:
        judged_benchmark(Path(args.judged))
        if args.judged_texts and Path(args.judged).exists():
            judged_recheck(Path(args.judged), Path(args.judged_texts), setup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
