"""Tone toward a target against people's judgements: NewsMTSC sentences the model never saw.

    .venv/bin/python benchmarks/target_tone.py --newsmtsc DIR [--model PATH]

The packaged model learnt from every sentence of the split, the held-out 20% too: to measure the recipe on
sentences its model never saw, train it on the 80% (``train_target_tone.py --newsmtsc DIR --out PATH``) and pass
that file as ``--model PATH``.

``DIR`` holds NewsMTSC's ``train.jsonl`` (see ``train_target_tone.py``). Measured on the held-out 20% of its
sentences (``train_target_tone.held_out``: a hash of the sentence), every labelled mention one case, 3 classes by
VADER's +/-0.05 rule (``sentiment.polarity_class``):

- sentence VADER: the compound of the whole NewsMTSC sentence;
- bag of words: TF-IDF of the sentence's words and word pairs with the mention replaced by a marker, and a
  logistic regression trained on the same 80% (the plain learned baseline);
- old method (framing before 0.2): the target is the mention's words; framing splits the sentence into its
  sentences and takes the mean compound of those that mention the target;
- new, per mention: ``framing.tone.target_tone`` of the labelled mention;
- new, as documents.csv computes it: the target is the mention's words; the mean of ``target_tone`` over every
  mention of those words in framing's sentences that mention them (``measure.target_tone``).

Prints macro-F1 (the mean of the three classes' F1) and accuracy for each, and the model's size and speed.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_target_tone import load_newsmtsc, split  # noqa: E402

from framing import measure, segment, sentiment, tone  # noqa: E402
from framing.sentiment import Target  # noqa: E402

CLASSES = {"negative": -1, "neutral": 0, "positive": 1}


def scores(gold: list[int], predicted: list[int]) -> tuple[float, float, dict[int, float]]:
    """Macro-F1, accuracy and the F1 of each class."""
    per_class = {}
    for c in (-1, 0, 1):
        tp = sum(1 for g, p in zip(gold, predicted) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, predicted) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, predicted) if g == c and p != c)
        per_class[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    accuracy = sum(1 for g, p in zip(gold, predicted) if g == p) / len(gold)
    return sum(per_class.values()) / 3, accuracy, per_class


def mention_target(text: str) -> Target:
    """A --targets entry whose only alias is the mention as written."""
    alias = text.strip()
    return Target(alias, (alias,), re.compile(rf"(?<!\w)(?:{re.escape(alias)})(?!\w)", re.I))


def framing_sentences(sentence: str) -> list[str]:
    return [sentence[start:end] for start, end in segment.split_sentences(sentence)]


def old_method(sentence: str, text: str) -> float:
    target = mention_target(text)
    found = [sentiment.compound(s) for s in framing_sentences(sentence) if measure.mentions(target, s)]
    return math.fsum(found) / len(found) if found else math.nan


def as_documents(sentence: str, text: str) -> float:
    target = mention_target(text)
    found = [t for s in framing_sentences(sentence) if (t := measure.target_tone(target, s)) is not None]
    return math.fsum(found) / len(found) if found else math.nan


def bag_of_words(train, test) -> list[float]:
    """The plain baseline: TF-IDF of the words and word pairs of the sentence, the mention replaced by a marker,
    and a logistic regression (its class as -1, 0, +1)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def marked(rows):
        return [f"{s[:a]} TARGETMENTION {s[b:]}" for s, a, b, _ in rows]

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=3, max_iter=5000, random_state=0)
    model.fit(vectorizer.fit_transform(marked(train)), [r[3] for r in train])
    return [float(c) for c in model.predict(vectorizer.transform(marked(test)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--newsmtsc", required=True, help="folder holding NewsMTSC's train.jsonl")
    parser.add_argument("--model", help="measure this model file instead of the packaged one (the packaged model "
                                        "learnt from every sentence, the held-out 20%% too: measure the 80%% model "
                                        "of the same recipe, train_target_tone.py --out PATH without --all)")
    args = parser.parse_args(argv)
    if args.model:
        model_bytes = Path(args.model).read_bytes()
        tone._model_bytes = lambda: model_bytes
        tone._weights.cache_clear()

    train, test = split(load_newsmtsc(args.newsmtsc))
    gold = [r[3] for r in test]
    classify = sentiment.polarity_class
    tone.target_tone(test[0][0], test[0][1], test[0][2])  # load the model before timing
    started = time.perf_counter()
    per_mention = [tone.target_tone(s, a, b)[0] for s, a, b, _ in test]
    seconds = time.perf_counter() - started
    methods = {
        "sentence VADER": [sentiment.compound(s) for s, _, _, _ in test],
        "bag of words, mention marked (trained on the same 80%)": bag_of_words(train, test),
        "old method (compound of the sentences mentioning it)": [old_method(s, s[a:b]) for s, a, b, _ in test],
        "new, per mention (tone.target_tone)": per_mention,
        "new, as documents.csv computes it": [as_documents(s, s[a:b]) for s, a, b, _ in test],
    }
    print(f"NewsMTSC, held-out 20%: {len(test)} mentions in {len({r[0] for r in test})} sentences "
          f"(negative {gold.count(-1)}, neutral {gold.count(0)}, positive {gold.count(1)}); "
          + ("the model never saw them" if "80%" in tone.load_model()["about"]["trained_on"] else
             "the model SAW them in training (measure an 80% model with --model)"))
    print(f"{'method':<56} {'macro-F1':>8} {'accuracy':>8}   F1 neg / neu / pos")
    for name, values in methods.items():
        predicted = [CLASSES[classify(v)] for v in values]
        macro, accuracy, per_class = scores(gold, predicted)
        print(f"{name:<56} {macro:8.3f} {accuracy:8.3f}   {per_class[-1]:.3f} / {per_class[0]:.3f} / {per_class[1]:.3f}")
    path = Path(args.model) if args.model else ROOT / "framing" / tone.MODEL_RESOURCE
    about = tone.load_model()["about"]
    print(f"model: {path.name}, {path.stat().st_size / 1e6:.2f} MB, {about['features']} features, "
          f"trained on {about['mentions']} mentions; {len(test) / seconds:.0f} mentions/s on one core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
