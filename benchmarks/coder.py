"""A coder trained on people's coding against sentences it never saw: BABE's sentence-level bias labels.

    .venv/bin/python benchmarks/coder.py --babe PATH [--cross-fit K]

``PATH`` is BABE's ``babe_dev.csv`` (or a folder holding it): news sentences with expert labels
(``label_bias``: Biased / Non-biased; Spinde et al. 2021). The sentences are split as benchmarks/validity.py
splits them (``hashlib.md5(text).hexdigest()[0] in '01234567'``): the coder is trained on the **tune** half with
``framing.coder.train`` (everything ``framing train`` does: C chosen by 5-fold cross-validation, the model card)
and scored once on the **holdout** half. Printed beside it, on the same holdout sentences:

- the published figure: macro-F1 0.804 (a fine-tuned BERT, Spinde et al. 2021);
- framing's lexicon rule (benchmarks/validity.py): biased when the sentence has a loaded hit in the author's own
  voice;
- the same logistic regression over word n-grams only (no framing features), trained on the same half: what
  framing's features add.

Where the optional ``wordllama`` package is installed (``make`` installs it), the script also trains the coder that
``framing train --embedding`` makes (a pretrained sentence embedding averaged with the words-and-framing model) and
scores it beside the plain one, the same ways, with a paired bootstrap interval of the difference;
``--no-embedding`` leaves it out.

``--cross-fit K`` also estimates what the issue's aim is about, a coder trained on ALL the shared sentences: the
holdout half is cut into K stratified folds (seed 0); for each fold a coder is trained, exactly as above, on the
tune half plus the other K-1 folds, and codes that fold. Every holdout sentence is then coded by a coder trained
on about (1 + (K-1)/K) halves that never saw it, and the pooled codes are scored like the others. The holdout
half stays the only text scored, so the lexicons' review on the tune half flatters none of it.

Macro-F1 has a 95% percentile bootstrap interval over the holdout sentences (1,000 resamples, seed 0). Nothing of
the data set is written anywhere: the coder stays in memory (``--out DIR`` saves it, for reading its card).
"""

from __future__ import annotations

import argparse
import importlib.util
import csv
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing import coder  # noqa: E402
from framing.measure import HIT_COLUMNS, analyze_document, make_setup  # noqa: E402
from framing.model import Document  # noqa: E402

PUBLISHED = 0.804  # Spinde et al. 2021, BABE, fine-tuned BERT, sentence-level macro-F1
AIM = 0.75


def load_babe(path: Path) -> dict[str, list[dict]]:
    path = path / "babe_dev.csv" if path.is_dir() else path
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["label_bias"] in ("Biased", "Non-biased")]
    halves = {"tune": [], "holdout": []}
    for row in rows:
        halves["tune" if hashlib.md5(row["text"].encode()).hexdigest()[0] in "01234567" else "holdout"].append(row)
    return halves


def macro_f1(truth, predicted, *, n_boot: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    from sklearn.metrics import f1_score

    truth, predicted = np.asarray(truth), np.asarray(predicted)
    value = f1_score(truth, predicted, average="macro")
    rng = np.random.default_rng(seed)
    boot = [f1_score(truth[p], predicted[p], average="macro")
            for p in (rng.integers(0, len(truth), len(truth)) for _ in range(n_boot))]
    low, high = np.percentile(boot, [2.5, 97.5])
    return float(value), float(low), float(high)


def lexicon_rule(texts: list[str]) -> list[str]:
    setup = make_setup()
    out = []
    for index, text in enumerate(texts):
        _, _, rows, _ = analyze_document(Document(doc_id=f"b{index}", text=text, source="babe", format="txt"), setup)
        hits = [dict(zip(HIT_COLUMNS, row)) for row in rows]
        biased = any(h["lexicon"] == "loaded" and h["voice"] in ("author", "scare_quote") for h in hits)
        out.append("Biased" if biased else "Non-biased")
    return out


def ngrams_only(train_texts, train_labels, test_texts, c: float) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                          LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=5000))
    return list(model.fit(train_texts, train_labels).predict(test_texts))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--babe", required=True, type=Path, metavar="PATH", help="BABE's babe_dev.csv, or its folder")
    parser.add_argument("--cross-fit", type=int, default=0, metavar="K",
                        help="also code the holdout half fold by fold, training on the tune half and the other folds")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="save the trained coder here")
    parser.add_argument("--no-embedding", dest="embedding", action="store_false",
                        help="do not score the coder with the sentence embedding (framing train --embedding)")
    args = parser.parse_args(argv)
    if args.embedding and importlib.util.find_spec("wordllama") is None:
        print("    (the optional wordllama package is not installed: the coder with the sentence embedding is left out)")
        args.embedding = False
    halves = load_babe(args.babe)
    train_rows, test_rows = halves["tune"], halves["holdout"]
    train_texts = [r["text"] for r in train_rows]
    test_texts = [r["text"] for r in test_rows]
    truth = [r["label_bias"] for r in test_rows]
    started = time.time()
    trained = coder.train(_frame(train_texts, [r["label_bias"] for r in train_rows]), code="label_bias",
                          name="babe_bias")
    trained_seconds = time.time() - started
    started = time.time()
    predicted, _ = coder.predict(trained, test_texts)
    coded_seconds = time.time() - started
    cv = trained.card["cross_validation"]
    print(f"framing coder on BABE (label_bias): trained on the tune half ({len(train_rows)} sentences), "
          f"scored on the holdout half ({len(test_rows)} sentences, never seen)")
    print(f"    training: {trained_seconds:.0f} s (C {cv['C']} chosen of {list(cv['C_tried'])}; cross-validated "
          f"macro-F1 on the tune half {cv['macro_f1']:.3f} [{cv['low']:.3f}, {cv['high']:.3f}]); coding the "
          f"holdout: {coded_seconds:.1f} s")
    print(f"    {'method':<52} {'macro-F1':>8}  95% interval")
    print(f"    {'published: fine-tuned BERT (Spinde et al. 2021)':<52} {PUBLISHED:8.3f}")
    rows = [("framing coder (n-grams + framing features)", predicted),
            ("n-grams only, same model and half", ngrams_only(train_texts, [r["label_bias"] for r in train_rows],
                                                              test_texts, cv["C"])),
            ("framing lexicon rule (loaded hit, author's voice)", lexicon_rule(test_texts))]
    if args.embedding:
        with_embedding = coder.train(_frame(train_texts, [r["label_bias"] for r in train_rows]), code="label_bias",
                                     name="babe_bias", learning_curve=False, embedding=True)
        rows.insert(1, ("framing coder with the sentence embedding", coder.predict(with_embedding, test_texts)[0]))
    figures = {name: macro_f1(truth, labels) for name, labels in rows}
    for name, (value, low, high) in figures.items():
        print(f"    {name:<52} {value:8.3f}  [{low:.3f}, {high:.3f}]")
    for name, _ in rows[:2 if args.embedding else 1]:
        value = figures[name][0]
        print(f"    aim: {name} >= {AIM}: {'met' if value >= AIM else 'not met'}; ratio to published "
              f"{value / PUBLISHED:.2f}")
    if args.embedding:
        print_difference(truth, rows[1][1], rows[0][1])
    curve = ", ".join(f"{p['n_sentences']}: {p['macro_f1']:.3f}" for p in trained.card["learning_curve"])
    print(f"    learning curve (training sentences: cross-validated macro-F1): {curve}")
    if args.cross_fit:
        cross_fit(train_rows, test_rows, args.cross_fit, embedding=args.embedding)
    if args.out:
        coder.save_coder(trained, args.out)
        print(f"    coder saved in {args.out}")
    return 0


def print_difference(truth, better, base, *, n_boot: int = 1000, seed: int = 0) -> None:
    """The macro-F1 of ``better`` minus that of ``base`` on the same sentences, with a paired bootstrap interval."""
    from sklearn.metrics import f1_score

    truth, better, base = np.asarray(truth), np.asarray(better), np.asarray(base)
    rng = np.random.default_rng(seed)
    boot = []
    for _ in range(n_boot):
        p = rng.integers(0, len(truth), len(truth))
        boot.append(f1_score(truth[p], better[p], average="macro") - f1_score(truth[p], base[p], average="macro"))
    low, high = np.percentile(boot, [2.5, 97.5])
    value = f1_score(truth, better, average="macro") - f1_score(truth, base, average="macro")
    print(f"    with the embedding minus without: {value:+.3f}  paired 95% interval [{low:+.3f}, {high:+.3f}]; "
          f"they disagree on {int((better != base).sum())} of {len(truth)} sentences")


def cross_fit(train_rows, test_rows, folds: int, *, embedding: bool = False) -> None:
    """Each holdout fold coded by a coder trained on the tune half and the other folds (see the docstring)."""
    from sklearn.model_selection import StratifiedKFold

    truth = [r["label_bias"] for r in test_rows]
    kinds = [False, True] if embedding else [False]
    predicted = {kind: [""] * len(test_rows) for kind in kinds}
    started, sizes = time.time(), []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for rest, fold in splitter.split(np.zeros(len(truth)), truth):
        rows = train_rows + [test_rows[i] for i in rest]
        sizes.append(len(rows))
        for kind in kinds:
            trained = coder.train(_frame([r["text"] for r in rows], [r["label_bias"] for r in rows]),
                                  code="label_bias", name="babe_bias", learning_curve=False, n_boot=10,
                                  embedding=kind)
            labels, _ = coder.predict(trained, [test_rows[i]["text"] for i in fold])
            for i, label in zip(fold, labels):
                predicted[kind][i] = label
    print(f"    cross-fitted, {folds} folds of the holdout: each sentence coded by a coder trained on "
          f"{min(sizes)}-{max(sizes)} sentences (the tune half and the other folds) that never saw it "
          f"({time.time() - started:.0f} s)")
    for kind in kinds:
        value, low, high = macro_f1(truth, predicted[kind])
        name = "framing coder" + (" with the embedding" if kind else "") + ", trained on ~all"
        print(f"    {name:<52} {value:8.3f}  [{low:.3f}, {high:.3f}]   aim >= {AIM}: "
              f"{'met' if value >= AIM else 'not met'}")
    if embedding:
        print_difference(truth, predicted[True], predicted[False])


def _frame(texts, labels):
    import pandas as pd

    return pd.DataFrame({"text": texts, "label_bias": labels})


if __name__ == "__main__":
    sys.exit(main())
