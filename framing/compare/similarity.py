"""How much text documents share: TF-IDF cosine similarity and near-duplicates (re-posts, wire copy).

The document-by-document table grows with the square of the corpus (800 MB of floats at 10,000 documents), so
only ``similarity`` builds it, and only up to ``MAX_DOCUMENTS``; ``near_duplicates`` goes through the corpus a
block of rows at a time, and ``group_similarity`` (the mean cosine between the documents of two groups) needs
one summed vector per group. ``similarity_overview`` picks what a figure can show: documents up to
``FIGURE_DOCUMENTS``, groups above.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.compare.words import TOKEN_PATTERN, _preprocess
from framing.errors import CompareError
from framing.measure import group_column
from framing.model import Analysis

MAX_DOCUMENTS = 2000      # the largest document-by-document table ``similarity`` builds (32 MB of floats)
FIGURE_DOCUMENTS = 40     # above this, a similarity figure shows groups: 40 x 40 labelled cells stay readable
BLOCK_ROWS = 500          # rows of the corpus compared with all others at once: 500 x n floats (40 MB at 10,000)


def _document_texts(analysis: Analysis) -> pd.Series:
    ids = analysis.documents["doc_id"].astype(str).tolist()
    missing = [i for i in ids if analysis.texts.get(i) is None]
    joined = {}
    if missing:  # tables without cleaned texts: the sentences joined
        sentences = analysis.sentences[analysis.sentences["doc_id"].astype(str).isin(missing)]
        joined = sentences.assign(doc_id=sentences["doc_id"].astype(str)).groupby("doc_id")["text"] \
            .apply(lambda s: " ".join(s.fillna("").astype(str))).to_dict()
    return pd.Series([analysis.texts.get(i) if analysis.texts.get(i) is not None else joined.get(i, "")
                      for i in ids], index=ids, dtype=object)


def tfidf(analysis: Analysis):
    """(doc ids, sparse TF-IDF matrix with L2-normalised rows) of the cleaned texts: scikit-learn's
    ``TfidfVectorizer`` over lower-cased unigrams, English stop words removed, sublinear tf (1 + log count),
    smoothed idf; so the cosine of two documents is the dot product of their rows. Without stop-word removal
    unrelated articles on one topic reach 0.5-0.75 on the seeds; with it they stay under 0.35 while a copy
    with 15% cut and a sentence added scores 0.93. Every document empty: a matrix with no columns."""
    from scipy import sparse
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    texts = _document_texts(analysis)
    if texts.empty:
        raise CompareError("the analysis holds no documents")
    try:
        vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=_preprocess, sublinear_tf=True,
                                     stop_words=sorted(ENGLISH_STOP_WORDS))
        matrix = vectorizer.fit_transform(texts.tolist()).tocsr()
    except ValueError:  # every document empty
        matrix = sparse.csr_matrix((len(texts), 0))
    return list(texts.index), matrix


def _outlets(analysis: Analysis) -> dict:
    return dict(zip(analysis.documents["doc_id"].astype(str), analysis.documents["outlet"].fillna("").astype(str)))


def similarity(analysis: Analysis, *, threshold: float = 0.8) -> pd.DataFrame:
    """TF-IDF cosine similarity of every pair of documents (a square DataFrame, doc_id by doc_id, 1 on the
    diagonal; TF-IDF as ``tfidf``). ``threshold`` is kept with the table for ``near_duplicates``. More than
    ``MAX_DOCUMENTS`` documents is a ``CompareError``: the table grows with the square of the corpus (300
    documents took 13.6 GB in a report once, with its figure); use ``near_duplicates`` and
    ``group_similarity``, which do not build it."""
    if len(analysis.documents) > MAX_DOCUMENTS:
        raise CompareError(f"{len(analysis.documents)} documents: a document-by-document similarity table stops at "
                           f"{MAX_DOCUMENTS} (it grows with the square of the corpus); use near_duplicates(analysis) "
                           f"or group_similarity(analysis, group_by)")
    ids, matrix = tfidf(analysis)
    values = (matrix @ matrix.T).toarray() if matrix.shape[1] else np.zeros((len(ids), len(ids)))
    np.fill_diagonal(values, 1.0)
    table = pd.DataFrame(np.clip(values, 0.0, 1.0), index=ids, columns=ids)
    table.index.name = table.columns.name = "doc_id"
    table.attrs["threshold"] = threshold
    table.attrs["outlets"] = _outlets(analysis)
    table.attrs["level"] = "document"
    return table


def group_similarity(analysis: Analysis, group_by: str = "outlet") -> pd.DataFrame:
    """The mean TF-IDF cosine between the documents of two groups (a square DataFrame, group by group); on
    the diagonal, between two different documents of the same group (NaN for a group of one document).
    Computed from one summed vector per group (the mean of dot products is the dot product of the sums over
    the number of pairs), so memory does not grow with the square of the corpus."""
    ids, matrix = tfidf(analysis)
    groups = group_column(analysis, group_by).astype(str).to_numpy()
    names = sorted(set(groups))
    sums = np.vstack([np.asarray(matrix[groups == g].sum(axis=0)).ravel() if matrix.shape[1] else np.zeros(0)
                      for g in names]) if matrix.shape[1] else np.zeros((len(names), 0))
    self_dots = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()  # 1 for a document with words, else 0
    counts = np.array([(groups == g).sum() for g in names], dtype=float)
    own = np.array([self_dots[groups == g].sum() for g in names])
    dots = sums @ sums.T
    with np.errstate(invalid="ignore", divide="ignore"):
        values = dots / np.outer(counts, counts)
        within = (np.diag(dots) - own) / (counts * (counts - 1))
    values[np.diag_indices(len(names))] = within
    table = pd.DataFrame(np.clip(values, 0.0, 1.0), index=names, columns=names)
    table.index.name = table.columns.name = group_by
    table.attrs["level"] = "group"
    table.attrs["sizes"] = dict(zip(names, counts.astype(int).tolist()))
    return table


def similarity_overview(analysis: Analysis, group_by: str = "outlet", *,
                        max_documents: int = FIGURE_DOCUMENTS) -> pd.DataFrame:
    """What a similarity figure can show: every pair of documents up to ``max_documents`` documents
    (``similarity``), above that the groups (``group_similarity``), so a figure never holds more than
    ``max(max_documents, groups)`` rows. ``attrs["level"]`` says which."""
    if len(analysis.documents) <= max_documents:
        return similarity(analysis)
    return group_similarity(analysis, group_by)


def _pairs_at_or_above(matrix, threshold: float):
    """(i, j, cosine) of every pair i < j at or above ``threshold``, ``BLOCK_ROWS`` rows at a time."""
    n = matrix.shape[0]
    found_i, found_j, found_v = [], [], []
    if not matrix.shape[1]:
        return found_i, found_j, found_v
    for start in range(0, n, BLOCK_ROWS):
        block = (matrix[start:start + BLOCK_ROWS] @ matrix.T).toarray()
        rows, cols = np.nonzero(block >= threshold)
        keep = cols > rows + start
        found_i.extend((rows[keep] + start).tolist())
        found_j.extend(cols[keep].tolist())
        found_v.extend(np.minimum(block[rows[keep], cols[keep]], 1.0).tolist())
    return found_i, found_j, found_v


def near_duplicates(source, *, threshold: float | None = None) -> pd.DataFrame:
    """Pairs of documents at or above ``threshold`` TF-IDF cosine (default: the similarity table's, else
    0.8): doc_a, doc_b, outlet_a, outlet_b, similarity, flag. ``source`` is an ``Analysis`` (compared a block
    of rows at a time, whatever the corpus size) or a ``similarity`` table. High similarity means shared text
    (a re-post, syndicated wire copy, or a lightly edited copy), not agreement in framing."""
    columns = ["doc_a", "doc_b", "outlet_a", "outlet_b", "similarity", "flag"]
    if isinstance(source, Analysis):
        threshold = 0.8 if threshold is None else threshold
        ids, matrix = tfidf(source)
        outlets = _outlets(source)
        pairs = zip(*_pairs_at_or_above(matrix, threshold))
    else:
        threshold = source.attrs.get("threshold", 0.8) if threshold is None else threshold
        outlets = source.attrs.get("outlets", {})
        values = source.to_numpy()
        ids = list(source.index)
        pairs = ((i, j, float(values[i, j])) for i, j in zip(*np.triu_indices(len(ids), k=1))
                 if values[i, j] >= threshold)
    rows = [{"doc_a": ids[i], "doc_b": ids[j], "outlet_a": outlets.get(ids[i], ""), "outlet_b": outlets.get(ids[j], ""),
             "similarity": float(value), "flag": "near-duplicate: re-post or shared copy"} for i, j, value in pairs]
    return pd.DataFrame(rows, columns=columns).sort_values("similarity", ascending=False, ignore_index=True)
