"""Views: the tables the notebooks show, computed from an ``Analysis``. Notebooks only call these and display.

Every function takes an ``Analysis`` and returns pandas DataFrames (or a small record of them), so a
notebook cell is one call and one display.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from framing import lexicons as lex
from framing.errors import UnknownDocumentError
from framing.measure import AUTHOR_VOICES, analysis_measures, group_column, group_values, sentence_hits
from framing.model import Analysis

LEXICON_ORDER = ("loaded", "evaluative", "hedges", "boosters", "attribution")


# ---- one document ---------------------------------------------------------------------------------------

@dataclass
class DocumentProfile:
    doc_id: str
    metadata: pd.DataFrame      # field, value
    sentences: pd.DataFrame     # sentence_no, sentiment, text, in_quote
    hits: pd.DataFrame          # every hit with its sentence
    categories: pd.DataFrame    # lexicon, category, count, per 1,000 words, in the author's voice
    quotes: pd.DataFrame        # who speaks: kind, speaker, role, cue, quote
    against_corpus: pd.DataFrame  # measure, this document, corpus median, ratio


def pick_document(analysis: Analysis, doc_id: str = "") -> str:
    ids = analysis.documents["doc_id"].astype(str).tolist()
    if not ids:
        raise UnknownDocumentError("the analysis holds no documents")
    if not doc_id:
        return ids[0]
    if doc_id not in ids:
        close = [i for i in ids if doc_id in i]
        hint = f"; did you mean {close[0]!r}?" if close else f"; known ids start {ids[:5]}"
        raise UnknownDocumentError(f"no document with id {doc_id!r}{hint}")
    return doc_id


def document_profile(analysis: Analysis, doc_id: str = "") -> DocumentProfile:
    doc_id = pick_document(analysis, doc_id)
    row = analysis.documents.set_index("doc_id").loc[doc_id]
    fields = ["outlet", "title", "author", "date", "url", "source", "format", "n_words", "n_sentences",
              "sentiment_mean", "share_negative", "share_positive", "share_quoted", "warnings"]
    metadata = pd.DataFrame({"field": [f for f in fields if f in row.index],
                             "value": [row[f] for f in fields if f in row.index]})
    sentences = analysis.sentences[analysis.sentences.doc_id == doc_id][
        ["sentence_no", "sentiment", "in_quote", "text"]].reset_index(drop=True)
    hits = analysis.hits[analysis.hits.doc_id == doc_id].merge(
        sentences[["sentence_no", "text"]].rename(columns={"text": "sentence"}), on="sentence_no", how="left")
    shown = ["lexicon", "category", "matched", "voice", "quote_kind", "sentence_no", "explanation", "not_when", "sentence"]
    hits = hits[[c for c in shown if c in hits]]  # (tables written before not_when have no such column)
    return DocumentProfile(doc_id, metadata, sentences, hits.reset_index(drop=True),
                           category_counts(hits, int(row["n_words"])),
                           quoted_speech(analysis, doc_id), against_corpus(analysis, doc_id))


def category_counts(hits: pd.DataFrame, n_words: int) -> pd.DataFrame:
    if hits.empty:
        return pd.DataFrame(columns=["lexicon", "category", "count", "per_1000_words", "in_author_voice"])
    table = (hits.assign(author=hits.voice.isin(AUTHOR_VOICES))
             .groupby(["lexicon", "category"])
             .agg(count=("matched", "size"), in_author_voice=("author", "sum"))
             .reset_index())
    table["per_1000_words"] = table["count"] * 1000.0 / max(n_words, 1)
    order = {name: i for i, name in enumerate(LEXICON_ORDER)}
    table = table.sort_values(["lexicon", "count"], key=lambda s: s.map(order).fillna(99) if s.name == "lexicon"
                              else -s, kind="stable")
    return table[["lexicon", "category", "count", "per_1000_words", "in_author_voice"]].reset_index(drop=True)


def quoted_speech(analysis: Analysis, doc_id: str) -> pd.DataFrame:
    """Who speaks in a document, and how: every piece of reported speech (quotes table) with its kind, its
    speaker as the text makes clear, the speaker's role and the reporting words. Scare quotes are left out."""
    columns = ["kind", "speaker", "role", "cue", "quote"]
    quotes = analysis.quotes
    if quotes is None:  # tables written before the quotes table: the sentences flagged as quoted
        rows = analysis.sentences[(analysis.sentences.doc_id == doc_id) & analysis.sentences.in_quote]
        return pd.DataFrame({"kind": "quoted", "speaker": "", "role": "", "cue": "", "quote": rows["text"]},
                            columns=columns).reset_index(drop=True)
    own = quotes[(quotes["doc_id"].astype(str) == doc_id) & (quotes["kind"] != "scare")]
    speaker = own["speaker_name"].where(own["speaker_name"].astype(str) != "", own["speaker"])
    return pd.DataFrame({"kind": own["kind"], "speaker": speaker, "role": own["speaker_role"], "cue": own["cue"],
                         "quote": own["text"]}, columns=columns).reset_index(drop=True)


def against_corpus(analysis: Analysis, doc_id: str) -> pd.DataFrame:
    """The document's headline measures beside the corpus median."""
    documents = analysis.documents.set_index("doc_id")
    measures = ["sentiment_mean", "share_negative"] + [f"rate_{name}" for name in LEXICON_ORDER
                                                        if f"rate_{name}" in documents]
    rows = []
    for measure in measures:
        value = float(documents.loc[doc_id, measure])
        median = float(documents[measure].median())
        ratio = value / median if median else float("nan")
        rows.append({"measure": measure, "this_document": value, "corpus_median": median, "ratio_to_median": ratio})
    return pd.DataFrame(rows)


# ---- the corpus -------------------------------------------------------------------------------------------

def group_profile(analysis: Analysis, group_by: str = "outlet") -> pd.DataFrame:
    """Every measure per group, without intervals (``compare.profiles`` adds them): documents, words,
    sentences, then the measures of ``framing.measure`` with the same names and meaning as in documents.csv
    (a group's value is what one document holding all its sentences would get)."""
    groups = group_column(analysis, group_by)
    documents = analysis.documents.assign(group=groups.to_numpy())
    sizes = pd.DataFrame({"documents": documents.groupby("group").size(),
                          "words": documents.groupby("group")["n_words"].sum(),
                          "sentences": documents.groupby("group")["n_sentences"].sum()})
    sizes.index = sizes.index.astype(str)
    values = group_values(analysis, group_by)
    target_counts = {}
    for name in [c for c in values if c.startswith("target_") and c.endswith("_sentiment")]:
        column = name.removesuffix("_sentiment") + "_n"
        if column in documents:
            target_counts[column] = documents.groupby("group")[column].sum()
    table = sizes.join(pd.DataFrame(target_counts)).join(values)
    table.index.name = "group"
    return table.reset_index()


def category_matrix(analysis: Analysis, group_by: str = "outlet", *, lexicon: str = "loaded") -> pd.DataFrame:
    """Rates per 1,000 words of each category of one lexicon (rows) by group (columns), all voices."""
    recipe = [m for m in analysis_measures(analysis) if m.lexicon == lexicon and m.category and m.voice == "all"]
    values = group_values(analysis, group_by, recipe=recipe)
    matrix = values[[m.name for m in recipe]].T
    matrix.index = [m.category for m in recipe]
    matrix.index.name = "category"
    matrix.columns.name = None
    return matrix


def document_summaries(analysis: Analysis) -> pd.DataFrame:
    """One line per document for an index: who, what, tone, and the main framing device."""
    documents = analysis.documents
    rows = []
    hits = analysis.hits
    for doc in documents.itertuples():
        own = hits[(hits.doc_id == doc.doc_id) & (hits.lexicon == "loaded")]
        top = own.category.value_counts()
        device = f"{top.index[0].replace('_', ' ')} ({top.iloc[0]})" if len(top) else "no loaded terms"
        rows.append({"doc_id": doc.doc_id, "outlet": doc.outlet, "title": doc.title, "n_words": doc.n_words,
                     "sentiment_mean": doc.sentiment_mean, "rate_loaded": getattr(doc, "rate_loaded", float("nan")),
                     "main_device": device})
    return pd.DataFrame(rows)


def concordance(analysis: Analysis, terms: list[str] | str, *, window: int = 8) -> pd.DataFrame:
    """Keyword in context: every occurrence of the terms (lexicon pattern syntax: globs, hyphen variants),
    with ``window`` words either side, its document and outlet, its voice and the sentence's sentiment."""
    if isinstance(terms, str):
        terms = [t.strip() for t in terms.split(",") if t.strip()]
    entries = [lex.Entry(" ".join(t.lower().split()), "term", f"search term {t!r}", "user") for t in terms]
    matcher = lex.build_matcher([lex.Lexicon("terms", entries, "(search)", "")])
    outlets = analysis.documents.set_index("doc_id")["outlet"].to_dict()
    rows = []
    for sentence, hit, voice in sentence_hits(analysis, matcher):
        left_words = sentence.text[:hit.start].split()[-window:]
        right_words = sentence.text[hit.end:].split()[:window]
        rows.append({"doc_id": sentence.doc_id, "outlet": outlets.get(sentence.doc_id, ""), "term": hit.entry,
                     "left": " ".join(left_words), "match": hit.matched, "right": " ".join(right_words),
                     "voice": voice, "sentence_sentiment": sentence.sentiment, "sentence_no": sentence.sentence_no})
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "term", "left", "match", "right", "voice",
                                       "sentence_sentiment", "sentence_no"])


def most_negative(profile: DocumentProfile, *, n: int = 5) -> pd.DataFrame:
    """The document's ``n`` most negative sentences."""
    return profile.sentences.sort_values(["sentiment", "sentence_no"]).head(n)


def hits_of(profile: DocumentProfile, *lexicons: str) -> pd.DataFrame:
    """The document's hits of some lexicons, with the sentences they come from."""
    return profile.hits[profile.hits.lexicon.isin(lexicons)].reset_index(drop=True)


def term_usage(kwic: pd.DataFrame) -> pd.DataFrame:
    """Who uses the terms, and in whose voice: occurrences per outlet and document, by voice."""
    if kwic.empty:
        return pd.DataFrame(columns=["outlet", "doc_id"])
    return kwic.pivot_table(index=["outlet", "doc_id"], columns="voice", values="match", aggfunc="count",
                            fill_value=0)


def term_tone(kwic: pd.DataFrame) -> pd.DataFrame:
    """The tone of the sentences around each term: count, mean, spread of their VADER compound."""
    return kwic.groupby("term")["sentence_sentiment"].describe()


def provenance(analysis: Analysis, **parameters) -> pd.DataFrame:
    """What a report was made with: corpus and parameters, versions, and every lexicon's checksum."""
    run = analysis.run
    rows = [("parameter", key, json.dumps(value) if not isinstance(value, str) else value)
            for key, value in parameters.items()]
    rows += [("version", name, str(version)) for name, version in run.get("versions", {}).items()]
    vader = run.get("sentiment", {})
    rows.append(("sentiment", vader.get("package", ""), f"{vader.get('version', '')} "
                                                        f"lexicon sha256 {vader.get('lexicon_sha256', '')}"))
    rows += [("lexicon", name, f"{info['entries']} entries, sha256 {info['sha256']}")
             for name, info in run.get("lexicons", {}).items()]
    rows.append(("run", "analysed at", run.get("finished", "")))
    return pd.DataFrame(rows, columns=["kind", "name", "value"])
