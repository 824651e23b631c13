"""How much text documents share: TF-IDF cosine similarity and near-duplicates (re-posts, wire copy)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.compare.words import TOKEN_PATTERN, _preprocess
from framing.errors import CompareError
from framing.model import Analysis


def _document_texts(analysis: Analysis) -> pd.Series:
    ids = analysis.documents["doc_id"].astype(str).tolist()
    joined = analysis.sentences.assign(doc_id=analysis.sentences["doc_id"].astype(str)).groupby("doc_id")["text"] \
        .apply(lambda s: " ".join(s.fillna("").astype(str)))
    return pd.Series([analysis.texts.get(i) if analysis.texts.get(i) is not None else joined.get(i, "")
                      for i in ids], index=ids)


def similarity(analysis: Analysis, *, threshold: float = 0.8) -> pd.DataFrame:
    """TF-IDF cosine similarity of every pair of documents (a square DataFrame, doc_id by doc_id, 1 on the
    diagonal). TF-IDF: scikit-learn's ``TfidfVectorizer`` over lower-cased unigrams of the cleaned texts,
    English stop words removed, sublinear tf (1 + log count), smoothed idf, rows L2-normalised, so the
    cosine is a dot product. Without stop-word removal unrelated articles on one topic reach 0.5-0.75 on the
    seeds; with it they stay under 0.35 while a copy with 15% cut and a sentence added scores 0.93.
    ``threshold`` is kept with the table for ``near_duplicates``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    texts = _document_texts(analysis)
    if texts.empty:
        raise CompareError("the analysis holds no documents")
    try:
        vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=_preprocess, sublinear_tf=True,
                                     stop_words=sorted(ENGLISH_STOP_WORDS))
        matrix = vectorizer.fit_transform(texts.tolist())
        values = (matrix @ matrix.T).toarray()
    except ValueError:  # every document empty
        values = np.zeros((len(texts), len(texts)))
    np.fill_diagonal(values, 1.0)
    table = pd.DataFrame(np.clip(values, 0.0, 1.0), index=texts.index, columns=texts.index)
    table.index.name = table.columns.name = "doc_id"
    table.attrs["threshold"] = threshold
    table.attrs["outlets"] = dict(zip(analysis.documents["doc_id"].astype(str),
                                      analysis.documents["outlet"].fillna("").astype(str)))
    return table


def near_duplicates(source, *, threshold: float | None = None) -> pd.DataFrame:
    """Pairs of documents at or above ``threshold`` TF-IDF cosine (default: the similarity table's, 0.8):
    doc_a, doc_b, outlet_a, outlet_b, similarity, flag. ``source`` is an ``Analysis`` or a ``similarity``
    table. High similarity means shared text (a re-post, syndicated wire copy, or a lightly edited copy),
    not agreement in framing."""
    table = similarity(source) if isinstance(source, Analysis) else source
    threshold = table.attrs.get("threshold", 0.8) if threshold is None else threshold
    outlets = table.attrs.get("outlets", {})
    values = table.to_numpy()
    ids = list(table.index)
    rows = []
    for i, j in zip(*np.triu_indices(len(ids), k=1)):
        if values[i, j] >= threshold:
            rows.append({"doc_a": ids[i], "doc_b": ids[j], "outlet_a": outlets.get(ids[i], ""),
                         "outlet_b": outlets.get(ids[j], ""), "similarity": float(values[i, j]),
                         "flag": "near-duplicate: re-post or shared copy"})
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", "outlet_a", "outlet_b", "similarity", "flag"]) \
        .sort_values("similarity", ascending=False, ignore_index=True)


