"""Train a coder on people's coding, and apply it to an analysis: a code no lexicon captures, learned from examples.

``train(coded, code="frame")`` fits a transparent scikit-learn model on sentences people coded (a CSV or a
DataFrame with a ``text`` column, or ``doc_id`` + ``sentence_no`` and the analysis they come from): a logistic
regression over

- word unigrams and bigrams of the sentence (TF-IDF, sublinear, seen in at least 2 sentences; character 2- to
  5-grams scored no better in cross-validation on BABE's tune half, 0.774 against 0.775, and made training about
  15 times slower);
- framing's own reading of the sentence alone (``framing_features``; the model reads ``model_feature_columns``):
  lexicon hits per lexicon (loaded terms, evaluative words, hedges, boosters, attribution), reported speech per
  kind (direct, partial, indirect, unattributed quotations, scare quotes), the VADER compound and its class, and
  the sentence's length. Hits per category are computed too (``feature_columns``) but left out of the model.

The regularisation C is chosen from a few values by stratified cross-validation (macro-F1); classes are weighted
by their inverse frequency. Every label, feature name and weight can be read in the model card.

``train(..., embedding=True)`` (``framing train --embedding``; needs the optional ``wordllama`` package, framing's
``[embeddings]`` extra) adds a second logistic regression over a pretrained sentence embedding (the mean of the
sentence's token vectors in WordLlama's bundled 256-dimension model, unit length) and averages the two models'
probabilities. On BABE's held-out sentences it lifted macro-F1 from 0.734 to 0.773 (docs/benchmarks.md), at a
cost: half of each decision comes from 256 dimensions no one can read (the card's top features are the words-and-
framing half's), and WordLlama's vectors were trained from the token embeddings of Llama 2 and Phi-3 (the package
is MIT; whether Meta's Llama 2 licence reaches the vectors is for the user to judge).

``save_coder`` writes a folder: ``model.skops`` (skops, never pickle: loading builds only the types listed in
``TRUSTED``), ``card.json`` and ``card.md`` (label counts, the sha256 of the training data, the cross-validated
macro-F1 with a 95% bootstrap interval, a learning curve, the most telling features per class, versions).
``load_coder`` reads it back: a coder made with other versions of framing or scikit-learn warns
(``CoderVersionWarning``); a folder that is not a whole coder is a ``CoderError``.

``apply_coders(analysis, coders)`` adds ``coder_<name>_label`` and ``coder_<name>_prob`` (the probability of that
label) to every sentence and one ``share_coder_<name>__<label>`` measure per label (``framing.measure``) to the
documents; groups and comparisons get the same measures through ``framing.measure``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from framing import _version, sentiment, voice
from framing import lexicons as lex
from framing import measure
from framing.errors import CoderError, CoderVersionWarning, CodingError
from framing.model import Analysis
from framing.tables import owned_output_folder, replace_text

if TYPE_CHECKING:
    import pandas as pd

MODEL_FILE, CARD_JSON, CARD_MD = "model.skops", "card.json", "card.md"
SPEECH_KINDS = ("direct", "partial", "indirect", "unattributed", "scare")
# chosen by cross-validation on BABE's tune half (docs/benchmarks.md): with hits per lexicon, macro-F1 0.774, 0.772,
# 0.775 (0.761 at C 10)
C_VALUES = (0.3, 1.0, 3.0)
LEARNING_CURVE = (0.2, 0.4, 0.6, 0.8, 1.0)
TOP_FEATURES = 15
LEVEL = 0.95
# what model.skops may hold: the loader builds these and nothing else (skops.io.get_untrusted_types lists any
# other type a file asks for, and load_coder refuses such a file)
TRUSTED = [
    "sklearn.pipeline.Pipeline",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.ensemble._voting.VotingClassifier",  # with the sentence embedding
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.utils._bunch.Bunch",
    "builtins.slice",
    "numpy.float64",
    "numpy.int64",
]
_SPACE = re.compile(r"\s+")
# the sentence embedding (train(..., embedding=True)): WordLlama's model bundled in its wheel, 256 dimensions; the
# embedding half of the model at C 1, averaged with the words-and-framing half at equal weights (chosen by
# cross-validation on BABE's tune half among 40 variants: docs/benchmarks.md)
EMBEDDING_CONFIG = "l2_supercat"
EMBEDDING_DIMENSIONS = 256
EMBEDDING_MODEL = f"wordllama {EMBEDDING_CONFIG}_{EMBEDDING_DIMENSIONS} (mean of token vectors, unit length)"
EMBEDDING_COLUMNS = [f"embedding_{i:03d}" for i in range(EMBEDDING_DIMENSIONS)]
EMBEDDING_C = 1.0


def slug(name) -> str:
    """A name as a column part: lower case, runs of other characters as one ``_``."""
    return measure.coder_slug(name)


def normalise_text(text: str) -> str:
    return _SPACE.sub(" ", str(text)).strip()


# ---- people's coding ---------------------------------------------------------------------------------------

def read_coding(coded) -> pd.DataFrame:
    """Coded sentences as a DataFrame of text cells ("" where empty), from a CSV path or a DataFrame."""
    import pandas as pd

    if isinstance(coded, pd.DataFrame):
        frame = coded.copy()
    else:
        path = Path(coded)
        if not path.is_file():
            raise CodingError(f"{path}: no such file (the coded sentences, a CSV)")
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise CodingError(f"{path}: not a readable CSV: {exc}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    if not ({"doc_id", "sentence_no"} <= set(frame.columns) or "text" in frame.columns):
        raise CodingError("the coded sentences need doc_id and sentence_no columns, or a text column, to be found "
                          f"in the analysis (columns: {', '.join(frame.columns)})")
    return frame


def training_table(coded, *, code: str, analysis: Analysis | None = None) -> tuple[pd.DataFrame, int]:
    """One row per sentence (text, label): the most common label of its coders; sentences whose coders tie are
    left out (their number is returned too). Text comes from the ``text`` column, else from ``analysis`` by
    ``doc_id`` + ``sentence_no``."""
    import pandas as pd

    coding = read_coding(coded)
    if code not in coding.columns:
        raise CodingError(f"no column {code!r} in the coded sentences (columns: {', '.join(coding.columns)})")
    texts = coding["text"] if "text" in coding else pd.Series("", index=coding.index)
    if analysis is not None and {"doc_id", "sentence_no"} <= set(coding.columns):
        found = dict(zip(zip(analysis.sentences["doc_id"].astype(str), analysis.sentences["sentence_no"].astype(str)),
                         analysis.sentences["text"].astype(str)))
        looked_up = [found.get((d, _number_text(n)), "") for d, n in zip(coding["doc_id"], coding["sentence_no"])]
        texts = texts.where(texts.str.strip() != "", pd.Series(looked_up, index=coding.index))
    table = pd.DataFrame({"text": texts.map(normalise_text), "label": coding[code].str.strip(),
                          "coder": coding["coder"] if "coder" in coding else ""})
    if (table["text"] == "").any():
        missing = int((table["text"] == "").sum())
        raise CodingError(f"{missing} coded rows have no text: give a text column, or doc_id and sentence_no with "
                          f"the tables they come from (--tables)")
    table = table[table["label"] != ""].drop_duplicates(["text", "coder"])
    rows, ties = [], 0
    for text, group in table.groupby("text", sort=False):
        counts = group["label"].value_counts()
        if (counts == counts.max()).sum() > 1:
            ties += 1
            continue
        rows.append((text, counts.index[0]))
    return pd.DataFrame(rows, columns=["text", "label"]), ties


def _number_text(value: str) -> str:
    """"3", "3.0" and " 3 " as "3" (a spreadsheet may write whole numbers as floats)."""
    try:
        return str(int(float(value)))
    except ValueError:
        return str(value).strip()


# ---- framing's reading of a sentence ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _lexicons() -> tuple:
    lexicons = lex.load_lexicons()
    categories = sorted({(lx.name, e.category) for lx in lexicons for e in lx.entries} | {measure.SCARE_QUOTE})
    return lex.build_matcher(lexicons), categories


def feature_columns() -> list[str]:
    """The columns of ``framing_features``, in order."""
    _, categories = _lexicons()
    lexicon_names = sorted({lexicon for lexicon, _ in categories})
    return ([f"hits_{name}" for name in lexicon_names] + [f"hits_{a}_{slug(b)}" for a, b in categories]
            + [f"speech_{kind}" for kind in SPEECH_KINDS] + ["tone", "tone_negative", "tone_positive", "n_words"])


def model_feature_columns() -> list[str]:
    """The columns of ``framing_features`` the model reads: hits per lexicon, not per category. With the 33
    per-category columns too, cross-validation on BABE's tune half gave macro-F1 0.764 against 0.775 without them
    (10 folds, docs/benchmarks.md): a few hundred coded sentences do not fit 47 framing weights well."""
    return [c for c in feature_columns() if not (c.startswith("hits_") and c.count("_") >= 2)]


def framing_features(texts) -> pd.DataFrame:
    """framing's reading of each sentence on its own: lexicon hits per lexicon and category, reported speech per
    kind, VADER's compound and class, the number of words (columns: ``feature_columns()``)."""
    import pandas as pd

    matcher, _ = _lexicons()
    columns = feature_columns()
    rows = []
    for text in texts:
        text = str(text)
        row = dict.fromkeys(columns, 0.0)
        for hit in lex.find_hits(matcher, text):
            row[f"hits_{hit.lexicon}"] += 1
            row[f"hits_{hit.lexicon}_{slug(hit.category)}"] += 1
        for speech in voice.find_speech(text):
            row[f"speech_{speech.kind}"] += 1
            if speech.kind == "scare":
                row[f"hits_{measure.SCARE_QUOTE[0]}"] += 1
                row[f"hits_{measure.SCARE_QUOTE[0]}_{measure.SCARE_QUOTE[1]}"] += 1
        score = sentiment.compound(text)
        row["tone"] = score
        row["tone_negative"] = float(score <= sentiment.NEGATIVE_THRESHOLD)
        row["tone_positive"] = float(score >= sentiment.POSITIVE_THRESHOLD)
        row["n_words"] = float(len(text.split()))
        rows.append(row)
    return pd.DataFrame(rows, columns=columns, dtype=float)


_INSTALL_EMBEDDING = "pip install 'wordllama>=0.4,<0.5' (framing's optional [embeddings] extra)"


@lru_cache(maxsize=1)
def _wordllama():
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        raise CoderError(f"the sentence embedding needs the optional wordllama package: {_INSTALL_EMBEDDING}") from None
    try:
        # WordLlama.load() looks for its tokenizer in wordllama/tokenizer/, but the wheel ships it in
        # wordllama/tokenizers/: pointed at the package folder it finds both bundled files and never downloads.
        # The model and its size are named, not left to the package's defaults.
        model = WordLlama.load(config=EMBEDDING_CONFIG, dim=EMBEDDING_DIMENSIONS,
                               cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except Exception as exc:  # a wheel without its bundled model, or one laid out otherwise
        raise CoderError(f"the sentence embedding could not be loaded from the installed wordllama package "
                         f"({type(exc).__name__}: {exc})") from None
    if model.embedding.shape[1] != EMBEDDING_DIMENSIONS:
        raise CoderError(f"the installed wordllama model has {model.embedding.shape[1]} dimensions, not "
                         f"{EMBEDDING_DIMENSIONS}")
    # the bundled tokenizer pads every sentence of a batch to the longest one: one 5,000-word sentence among 20,000
    # took 9.3 GB; without padding each sentence keeps its own tokens
    model.tokenizer.no_padding()
    return model


def _embedding_sha256() -> str:
    """The sha256 of the installed model's weights: a coder records it, and warns when it reads other vectors."""
    import wordllama

    weights = Path(wordllama.__file__).parent / "weights" / f"{EMBEDDING_CONFIG}_{EMBEDDING_DIMENSIONS}.safetensors"
    return hashlib.sha256(weights.read_bytes()).hexdigest() if weights.is_file() else "missing"


def _embedding_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wordllama")
    except PackageNotFoundError:
        return "not installed"


def sentence_embeddings(texts):
    """Each sentence as the mean of its token vectors in WordLlama's bundled model, scaled to length 1 (an array,
    a row per sentence; a sentence with no token is all zeros)."""
    import numpy as np

    model = _wordllama()
    table = model.embedding
    rows = np.zeros((len(texts), table.shape[1]), dtype=np.float64)
    for i, encoded in enumerate(model.tokenizer.encode_batch([str(t) for t in texts], add_special_tokens=False)):
        ids = np.asarray(encoded.ids, dtype=np.int64)[np.asarray(encoded.attention_mask, dtype=bool)]
        ids = ids[ids < table.shape[0]]
        if len(ids):
            mean = table[ids].astype(np.float64).mean(axis=0)
            norm = np.linalg.norm(mean)
            rows[i] = mean / norm if norm else mean
    return rows


def model_input(texts, *, embedding: bool = False) -> pd.DataFrame:
    """What the model reads: the text and framing's features of each sentence (and its embedding)."""
    import pandas as pd

    texts = [str(t) for t in texts]
    frame = framing_features(texts)
    frame.insert(0, "text", texts)
    if embedding:
        vectors = pd.DataFrame(sentence_embeddings(texts), columns=EMBEDDING_COLUMNS, index=frame.index)
        frame = pd.concat([frame, vectors], axis=1)
    return frame


def uses_embedding(pipeline) -> bool:
    """Whether a fitted or unfitted coder model reads the sentence embedding."""
    return hasattr(pipeline, "estimators") and any(name == "embedding" for name, _ in pipeline.estimators)


def make_pipeline(*, c: float = 1.0, seed: int = 0, n_classes: int = 2, embedding: bool = False):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import VotingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    features = ColumnTransformer([
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), "text"),
        ("framing", StandardScaler(), model_feature_columns()),
    ])
    # liblinear for two labels: the same weights as lbfgs within its tolerance, and 7x faster on BABE (0.85 s
    # against 6.3 s a fit on a busy machine); lbfgs for more (liblinear would fit one label against the rest)
    solver = "liblinear" if n_classes == 2 else "lbfgs"
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=seed, solver=solver)
    text_model = Pipeline([("features", features), ("model", model)])
    if not embedding:
        return text_model
    embedding_model = Pipeline([
        ("features", ColumnTransformer([("embedding", "passthrough", EMBEDDING_COLUMNS)])),
        ("model", LogisticRegression(C=EMBEDDING_C, max_iter=5000, class_weight="balanced", random_state=seed,
                                     solver=solver)),
    ])
    # the two models' probabilities averaged (soft voting at equal weights): on BABE's tune half 0.785 against
    # 0.780 at best with the embedding as 256 more columns of one model (docs/benchmarks.md)
    return VotingClassifier([("text", text_model), ("embedding", embedding_model)], voting="soft")


def _text_model(pipeline):
    """The words-and-framing logistic regression of a coder model (the whole model, or its first half)."""
    return pipeline.named_estimators_["text"] if uses_embedding(pipeline) else pipeline


# ---- training -----------------------------------------------------------------------------------------------

@dataclass
class Coder:
    """A trained coder: its name, the fitted scikit-learn pipeline and its model card."""
    name: str
    pipeline: object
    card: dict = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]


def _bootstrap_f1(truth, predicted, *, n_boot: int, seed: int) -> tuple[float, float]:
    import numpy as np
    from sklearn.metrics import f1_score

    truth, predicted = np.asarray(truth), np.asarray(predicted)
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(truth), len(truth))
        scores.append(f1_score(truth[pick], predicted[pick], average="macro", zero_division=0))
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(scores, [tail, 100 - tail])
    return float(low), float(high)


def _versions() -> dict:
    import numpy
    import sklearn
    import skops

    return {"framing": _version.__version__, "scikit-learn": sklearn.__version__, "skops": skops.__version__,
            "numpy": numpy.__version__, "python": platform.python_version()}


def _sha256(coded, table) -> str:
    if not hasattr(coded, "columns"):
        return hashlib.sha256(Path(coded).read_bytes()).hexdigest()
    return hashlib.sha256(table.to_csv(index=False).encode("utf-8")).hexdigest()


def train(coded, *, code: str, name: str | None = None, analysis: Analysis | None = None, folds: int = 5,
          seed: int = 0, c_values=C_VALUES, n_boot: int = 1000, learning_curve: bool = True,
          embedding: bool = False) -> Coder:
    """A coder for ``code`` trained on people's coding (see the module's docstring), with its model card."""
    import numpy as np
    from sklearn.exceptions import FitFailedWarning
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.model_selection import learning_curve as sklearn_learning_curve

    table, ties = training_table(coded, code=code, analysis=analysis)
    counts = table["label"].value_counts()
    if len(counts) < 2:
        raise CoderError(f"code {code!r}: a coder needs at least two labels to tell apart (found: "
                         f"{', '.join(counts.index) or 'none'})")
    if counts.min() < folds:
        raise CoderError(f"code {code!r}: label {counts.idxmin()!r} has {counts.min()} sentences; each label needs "
                         f"at least {folds} (one per cross-validation fold)")
    name = slug(name or code)
    if not name:
        raise CoderError(f"a coder's name needs a letter or a digit (got {name!r})")
    if embedding:
        _wordllama()  # before framing reads every sentence: a missing package is an error at once
    x = model_input(table["text"], embedding=embedding)
    y = table["label"].to_numpy()
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    tried = {}
    for c in c_values:
        predicted = cross_val_predict(make_pipeline(c=c, seed=seed, n_classes=len(counts), embedding=embedding), x,
                                      y, cv=cv)
        tried[c] = (f1_score(y, predicted, average="macro"), predicted)
    best = max(c_values, key=lambda c: (tried[c][0], -abs(np.log(c))))
    macro_f1, predicted = tried[best]
    low, high = _bootstrap_f1(y, predicted, n_boot=n_boot, seed=seed) if n_boot else (float("nan"),) * 2
    curve = []
    if learning_curve:
        with warnings.catch_warnings():  # folds left out below, on purpose
            warnings.simplefilter("ignore", FitFailedWarning)
            warnings.simplefilter("ignore", UserWarning)
            sizes, _, scores = sklearn_learning_curve(make_pipeline(c=best, seed=seed, n_classes=len(counts),
                                                                    embedding=embedding), x, y,
                                                      cv=cv, train_sizes=list(LEARNING_CURVE), scoring="f1_macro",
                                                      shuffle=True, random_state=seed, error_score=np.nan)
        # a small share of a small coding can hold one label only: that fold cannot be fitted and is left out
        curve = [{"n_sentences": int(n), "macro_f1": round(float(np.nanmean(s)), 4) if np.isfinite(s).any() else None,
                  "sd": round(float(np.nanstd(s)), 4) if np.isfinite(s).any() else None}
                 for n, s in zip(sizes, scores)]
    pipeline = make_pipeline(c=best, seed=seed, n_classes=len(counts), embedding=embedding).fit(x, y)
    card = {
        "name": name, "code": code, "framing_coder": 1,
        "trained": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "training_data": {"file": Path(coded).name if not hasattr(coded, "columns") else "(a DataFrame)",
                          "sha256": _sha256(coded, table), "n_sentences": len(table), "n_ties_left_out": ties,
                          "labels": {str(k): int(v) for k, v in counts.sort_index().items()}},
        "model": "logistic regression (class weights balanced) over word 1-2-grams (TF-IDF) and framing's "
                 "features of the sentence (lexicon hits per lexicon, reported speech per kind, VADER tone, length)"
                 + (f", its probabilities averaged with a logistic regression (C {EMBEDDING_C}) over a pretrained "
                    f"sentence embedding, {EMBEDDING_MODEL}; the top features below are the first model's"
                    if embedding else ""),
        "embedding": {"package": "wordllama", "model": EMBEDDING_MODEL, "weights_sha256": _embedding_sha256()}
        if embedding else None,
        "cross_validation": {"folds": folds, "seed": seed, "macro_f1": round(float(macro_f1), 4),
                             "low": round(low, 4), "high": round(high, 4), "C": best,
                             "C_tried": {str(c): round(float(tried[c][0]), 4) for c in c_values},
                             "interval": f"{LEVEL:.0%} percentile bootstrap over the sentences' out-of-fold "
                                         f"predictions, {n_boot} resamples; C chosen on the same folds, so the "
                                         f"figure is slightly optimistic"},
        "learning_curve": curve,
        "top_features": top_features(pipeline),
        "versions": {**_versions(), **({"wordllama": _embedding_version()} if embedding else {})},
    }
    return Coder(name, pipeline, card)


def top_features(pipeline, n: int = TOP_FEATURES) -> dict[str, list]:
    """The features that push hardest toward each label: [feature, weight] pairs, strongest first. With two
    labels the model has one row of weights: positive toward the second label, negative toward the first."""
    import numpy as np

    classes = [str(c) for c in pipeline.classes_]  # a voting model's halves learnt the labels as 0, 1, ...
    pipeline = _text_model(pipeline)
    names = pipeline.named_steps["features"].get_feature_names_out()
    model = pipeline.named_steps["model"]
    rows = [(-model.coef_[0], classes[0]), (model.coef_[0], classes[1])] if len(classes) == 2 else \
        list(zip(model.coef_, classes))
    out = {}
    for weights, label in rows:
        order = np.argsort(-weights)[:n]
        out[label] = [[str(names[i]).replace("__", ": ", 1), round(float(weights[i]), 4)] for i in order
                      if weights[i] > 0]
    return out


# ---- the coder folder ------------------------------------------------------------------------------------------

def card_markdown(card: dict) -> str:
    cv, data = card["cross_validation"], card["training_data"]
    lines = [f"# Coder `{card['name']}` (code `{card['code']}`)", "",
             f"Trained {card['trained']} on `{data['file']}` (sha256 `{data['sha256']}`): {data['n_sentences']} "
             f"sentences ({data['n_ties_left_out']} left out where coders tied).", "",
             "| label | sentences |", "|---|---|"]
    lines += [f"| {label} | {n} |" for label, n in data["labels"].items()]
    lines += ["", f"Model: {card['model']}.", "",
              f"Cross-validated macro-F1 ({cv['folds']} folds): **{cv['macro_f1']:.3f}** "
              f"[{cv['low']:.3f}, {cv['high']:.3f}] (C = {cv['C']}; {cv['interval']}).", ""]
    if card.get("learning_curve"):
        lines += ["## Learning curve (would more coding help?)", "", "| training sentences | macro-F1 | sd |",
                  "|---|---|---|"]
        lines += [f"| {p['n_sentences']} | {_number(p['macro_f1'])} | {_number(p['sd'])} |"
                  for p in card["learning_curve"]]
        lines.append("")
    lines += ["## Most telling features", ""]
    for label, features in card["top_features"].items():
        lines.append(f"- **{label}**: " + ", ".join(f"{name} ({weight:+.2f})" for name, weight in features))
    lines += ["", "## Versions", ""] + [f"- {k}: {v}" for k, v in card["versions"].items()]
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return "n/a (one label only)" if value is None else f"{value:.3f}"


def save_coder(coder: Coder, out) -> Path:
    """The coder as a folder: model.skops, card.json, card.md. ``out`` is a new folder, or one framing made (its
    files are replaced whole, each written aside and renamed); never a folder framing did not make."""
    import skops.io

    out = owned_output_folder(out)
    # compressed: the vocabularies are stored as text, 23.7 MB for the BABE coder; 0.67 MB deflated
    data = skops.io.dumps(coder.pipeline, compression=zipfile.ZIP_DEFLATED)
    untrusted = set(skops.io.get_untrusted_types(data=data)) - set(TRUSTED)
    if untrusted:  # a scikit-learn release that builds the pipeline from other types: never write what we refuse
        raise CoderError(f"the model holds types framing does not load: {', '.join(sorted(untrusted))}")
    temporary = out / f".{MODEL_FILE}.{os.getpid()}.framing-tmp"
    temporary.write_bytes(data)
    os.replace(temporary, out / MODEL_FILE)
    replace_text(out / CARD_JSON, json.dumps(coder.card, indent=2, ensure_ascii=False) + "\n")
    replace_text(out / CARD_MD, card_markdown(coder.card))
    return out


def load_coder(folder) -> Coder:
    """A coder folder written by ``save_coder`` (``framing train``). Only the types in ``TRUSTED`` are built."""
    import skops.io

    folder = Path(folder)
    if not folder.is_dir():
        raise CoderError(f"{folder}: no such coder folder (make one with `framing train CODED.csv --code NAME "
                         f"--out {folder}`)")
    missing = [name for name in (MODEL_FILE, CARD_JSON) if not (folder / name).is_file()]
    if missing:
        raise CoderError(f"{folder}: not a coder folder: {' and '.join(missing)} missing")
    try:
        card = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
        name, labels, versions = card["name"], card["training_data"]["labels"], card["versions"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CoderError(f"{folder / CARD_JSON}: not a coder's card ({type(exc).__name__}: {exc})") from None
    data = (folder / MODEL_FILE).read_bytes()
    try:
        untrusted = set(skops.io.get_untrusted_types(data=data)) - set(TRUSTED)
        if untrusted:
            raise CoderError(f"{folder / MODEL_FILE}: holds types framing does not load: {', '.join(sorted(untrusted))}")
        pipeline = skops.io.loads(data, trusted=TRUSTED)
    except CoderError:
        raise
    except Exception as exc:  # a truncated or foreign file: zipfile, json, skops and sklearn errors alike
        raise CoderError(f"{folder / MODEL_FILE}: not a readable coder model ({type(exc).__name__}: {exc})") from None
    classes = [str(c) for c in getattr(pipeline, "classes_", [])]
    if sorted(classes) != sorted(str(k) for k in labels):
        raise CoderError(f"{folder}: the model's labels {classes} are not the card's {sorted(labels)}")
    now = _versions()
    checked = ("framing", "scikit-learn")
    if uses_embedding(pipeline):
        if _embedding_version() == "not installed":
            raise CoderError(f"{folder}: coder {name!r} reads a sentence embedding, which needs the optional wordllama "
                             f"package: {_INSTALL_EMBEDDING}")
        now, checked = {**now, "wordllama": _embedding_version()}, (*checked, "wordllama")
        recorded = (card.get("embedding") or {}).get("weights_sha256")
        if recorded and recorded != _embedding_sha256():
            warnings.warn(f"coder {name!r} ({folder}) was trained on other sentence vectors than the installed "
                          f"wordllama model's: its labels may differ; retrain it with `framing train --embedding`",
                          CoderVersionWarning, stacklevel=2)
    differ = [f"{k} {versions.get(k)} (running {now[k]})" for k in checked if versions.get(k) != now[k]]
    if differ:
        warnings.warn(f"coder {name!r} ({folder}) was trained with {', '.join(differ)}: its labels may differ from "
                      f"what it gave when trained; retrain it with `framing train`", CoderVersionWarning,
                      stacklevel=2)
    return Coder(str(name), pipeline, card)


# ---- applying ----------------------------------------------------------------------------------------------------

def predict(coder: Coder, texts) -> tuple[list[str], list[float]]:
    """Each sentence's label and the model's probability of that label."""
    texts = [str(t) for t in texts]
    if not texts:
        return [], []
    probabilities = coder.pipeline.predict_proba(model_input(texts, embedding=uses_embedding(coder.pipeline)))
    labels = coder.labels
    best = probabilities.argmax(axis=1)
    return [labels[i] for i in best], [float(p[i]) for p, i in zip(probabilities, best)]


def coder_record(coder: Coder) -> dict:
    """What run.json keeps of a coder applied to the tables."""
    card = coder.card
    return {"labels": coder.labels, "code": card.get("code"), "training_sha256": card.get("training_data", {})
            .get("sha256"), "macro_f1": card.get("cross_validation", {}).get("macro_f1"),
            "versions": card.get("versions")}


def apply_coders(analysis: Analysis, coders: list[Coder]) -> Analysis:
    """The analysis with every coder's label and probability per sentence, its share of sentences per label per
    document (``share_coder_<name>__<label>``, defined in ``framing.measure``), and the coders in ``run``."""
    import pandas as pd

    if not coders:
        return analysis
    names = [c.name for c in coders]
    if len(set(names)) != len(names):
        raise CoderError(f"two coders are named the same ({', '.join(names)}): retrain one with --name")
    sentences = analysis.sentences.copy()
    run = {**analysis.run, "coders": {**(analysis.run.get("coders") or {})}}
    for coder in coders:
        labels, probabilities = predict(coder, sentences["text"].astype(str))
        sentences[f"coder_{coder.name}_label"] = pd.Series(labels, index=sentences.index, dtype=object)
        sentences[f"coder_{coder.name}_prob"] = pd.Series(probabilities, index=sentences.index, dtype=float).round(4)
        run["coders"][coder.name] = coder_record(coder)
    coded = Analysis(documents=analysis.documents, sentences=sentences, hits=analysis.hits, errors=analysis.errors,
                     run=run, texts=analysis.texts, quotes=analysis.quotes)
    recipe = [m for m in measure.analysis_measures(coded) if m.kind == "coder"]
    documents = analysis.documents.drop(columns=[m.name for m in recipe if m.name in analysis.documents])
    if len(documents):
        values = measure.group_values(coded, "document", recipe=recipe)
        documents = documents.reset_index(drop=True)
        documents = pd.concat([documents, values.reindex(documents["doc_id"].astype(str)).reset_index(drop=True)],
                              axis=1)
    else:
        documents = documents.reindex(columns=[*documents.columns, *(m.name for m in recipe)])
    coded.documents = documents
    return coded


def code_tables(out, coders: list[Coder]) -> Analysis:
    """Apply coders to the tables in ``out`` (CSV) and write them back whole (``framing analyze --coder``)."""
    from framing.tables import load_analysis, write_tables

    analysis = apply_coders(load_analysis(out), coders)
    write_tables(analysis, out, neutralize_formulas=bool(analysis.run.get("neutralized_formulas")))
    return analysis
