"""Naming and framing: which name each group picks for the same people (``lexicons/labels.tsv``) and which
Policy Frames Codebook dimensions its sentences touch (``lexicons/frames.tsv``), from an extra lexicon matched
against the sentences."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing import lexicons as lex
from framing.measure import AUTHOR_VOICES, group_column, sentence_groups, sentence_hits
from framing.model import Analysis

FRAME_DIMENSIONS = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_jurisprudence", "policy_prescription_and_evaluation", "crime_and_punishment",
    "security_and_defense", "health_and_safety", "quality_of_life", "cultural_identity", "public_opinion",
    "political", "external_regulation_and_reputation", "other")
NO_FRAME = "none"


def _lexicon(lexicon) -> lex.Lexicon:
    if isinstance(lexicon, lex.Lexicon):
        return lexicon
    if isinstance(lexicon, Path) or (isinstance(lexicon, str) and ("/" in lexicon or "." in lexicon)):
        return lex.read_lexicon_file(lexicon)
    return lex.packaged_lexicon(str(lexicon))


def match_lexicon(analysis: Analysis, lexicon) -> pd.DataFrame:
    """Every hit of ``lexicon`` (a ``Lexicon``, a packaged name such as ``"labels"``, or a file) in every
    sentence: doc_id, sentence_no, matched, category, entry, voice (author / quote / scare_quote), explanation."""
    matcher = lex.build_matcher([_lexicon(lexicon)])
    rows = [{"doc_id": str(sentence.doc_id), "sentence_no": int(sentence.sentence_no), "matched": hit.matched,
             "category": hit.category, "entry": hit.entry, "voice": voice, "explanation": hit.explanation}
            for sentence, hit, voice in sentence_hits(analysis, matcher)]
    return pd.DataFrame(rows, columns=["doc_id", "sentence_no", "matched", "category", "entry", "voice",
                                       "explanation"])


def label_choice(analysis: Analysis, group_by: str = "outlet", *, lexicon_file=None) -> pd.DataFrame:
    """For each label group (the thing being named, e.g. ``migrants``), which name each group uses, how often.

    Names come from ``lexicons/labels.tsv`` (or ``lexicon_file``, same columns: the category is the label
    group). Columns: group, label_group, name (the lexicon entry), count, share (of that group's names for
    that label group), author_voice (how many were in the writer's own voice, scare quotes included),
    examples (the forms met), explanation (what choosing the name conveys). Groups that never name a label
    group have no rows for it.
    """
    lexicon = _lexicon(lexicon_file if lexicon_file is not None else "labels")
    hits = match_lexicon(analysis, lexicon)
    columns = ["group", "label_group", "name", "count", "share", "author_voice", "examples", "explanation"]
    if hits.empty:
        return pd.DataFrame(columns=columns)
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    hits = hits.assign(group=hits["doc_id"].map(mapping), author=hits["voice"].isin(AUTHOR_VOICES))
    table = (hits.groupby(["group", "category", "entry"])
             .agg(count=("matched", "size"), author_voice=("author", "sum"),
                  examples=("matched", lambda m: ", ".join(sorted(set(m.str.lower()))[:5])),
                  explanation=("explanation", "first"))
             .reset_index().rename(columns={"category": "label_group", "entry": "name"}))
    table["share"] = table["count"] / table.groupby(["group", "label_group"])["count"].transform("sum")
    table["author_voice"] = table["author_voice"].astype(int)
    table = table.sort_values(["label_group", "group", "count", "name"], ascending=[True, True, False, True])
    return table[columns].reset_index(drop=True)


def frame_mix(analysis: Analysis, group_by: str = "document", *, lexicon_file=None) -> pd.DataFrame:
    """Each group's share of sentences per Policy Frames Codebook dimension (Boydstun et al. 2014).

    Per sentence the cue words of ``lexicons/frames.tsv`` are counted per dimension; the dimension with the
    most cues wins the sentence, ties share it equally (two dimensions with 2 cues each get half a sentence
    each); a sentence without cues counts as ``none``. Columns: group, dimension, sentences (weighted count),
    share (of the group's sentences; the shares of a group, ``none`` included, add up to 1), n_sentences.
    """
    lexicon = _lexicon(lexicon_file if lexicon_file is not None else "frames")
    hits = match_lexicon(analysis, lexicon)
    sentences = analysis.sentences.assign(group=sentence_groups(analysis, group_by).to_numpy(),
                                          doc_id=analysis.sentences["doc_id"].astype(str))
    dimensions = [d for d in FRAME_DIMENSIONS if d in {e.category for e in lexicon.entries}]
    dimensions += sorted({e.category for e in lexicon.entries} - set(dimensions)) + [NO_FRAME]
    n_total = sentences.groupby("group").size()
    weights = pd.DataFrame(columns=["group", "dimension", "sentences"])
    if not hits.empty:
        per = hits.groupby(["doc_id", "sentence_no", "category"]).size().rename("cues").reset_index()
        per["top"] = per.groupby(["doc_id", "sentence_no"])["cues"].transform("max")
        winners = per[per["cues"] == per["top"]].copy()
        winners["weight"] = 1.0 / winners.groupby(["doc_id", "sentence_no"])["category"].transform("size")
        winners = winners.merge(sentences[["doc_id", "sentence_no", "group"]], on=["doc_id", "sentence_no"])
        weights = (winners.groupby(["group", "category"])["weight"].sum().reset_index()
                   .rename(columns={"category": "dimension", "weight": "sentences"}))
    full = pd.MultiIndex.from_product([sorted(n_total.index), dimensions], names=["group", "dimension"])
    table = weights.set_index(["group", "dimension"])["sentences"].astype(float).reindex(full, fill_value=0.0)
    table = table.reset_index()
    framed = table.groupby("group")["sentences"].transform("sum")
    table["n_sentences"] = table["group"].map(n_total).astype(int)
    none = table["dimension"] == NO_FRAME
    table.loc[none, "sentences"] = (table["n_sentences"] - framed)[none]
    table["share"] = table["sentences"] / table["n_sentences"]
    return table[["group", "dimension", "sentences", "share", "n_sentences"]]


