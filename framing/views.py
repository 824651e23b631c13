"""Views: the tables the notebooks show, computed from an ``Analysis``. Notebooks only call these and display.

Every function takes an ``Analysis`` and returns pandas DataFrames (or a small record of them), so a
notebook cell is one call and one display.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from framing import lexicons as lex
from framing.compare.words import DISTINCTIVE_MIN_COUNT  # noqa: F401 (the methods say it)
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
    """One line per document for an index: who, what, tone, and the main framing device (the loaded-term
    category it uses most, the first found on a tie). Counted once, not filtered per document: the filter
    per document made an index of 10,000 documents quadratic. ``analysis.hits`` may hold only the loaded
    terms' doc_id, lexicon and category (a report reads just those)."""
    from collections import Counter

    documents = analysis.documents
    hits = analysis.hits
    own = hits[hits["lexicon"] == "loaded"]
    # counted in plain Python: a groupby costs more than the counting on a page's few hits, and stays linear on
    # a corpus's (most common first, the first found on a tie: Counter keeps the order it first saw them in)
    counts: dict[str, Counter] = {}
    for doc_id, category in zip(own["doc_id"].astype(str), own["category"]):
        counts.setdefault(doc_id, Counter())[category] += 1
    top = {}
    for doc_id, counted in counts.items():
        category, n = counted.most_common(1)[0]
        top[doc_id] = f"{category.replace('_', ' ')} ({n})"
    rate = documents["rate_loaded"] if "rate_loaded" in documents else pd.Series(float("nan"), index=documents.index)
    ids = documents["doc_id"].astype(str)
    return pd.DataFrame({"doc_id": documents["doc_id"], "outlet": documents["outlet"], "title": documents["title"],
                         "n_words": documents["n_words"], "sentiment_mean": documents["sentiment_mean"],
                         "rate_loaded": rate, "main_device": [top.get(d, "no loaded terms") for d in ids]},
                        columns=["doc_id", "outlet", "title", "n_words", "sentiment_mean", "rate_loaded",
                                 "main_device"]).reset_index(drop=True)


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


def top_terms(analysis: Analysis, *, lexicons=("loaded",), n: int = 20) -> pd.DataFrame:
    """The words of ``lexicons`` found most often (as written, lower-cased): how many hits, in how many
    documents, how many in the author's own voice, and the entry's explanation; most frequent first."""
    columns = ["term", "lexicon", "category", "count", "documents", "author_voice", "explanation"]
    hits = analysis.hits
    hits = hits[hits["lexicon"].isin(list(lexicons))] if hits is not None and len(hits) else pd.DataFrame()
    if hits.empty:
        return pd.DataFrame(columns=columns)
    hits = hits.assign(term=hits["matched"].astype(str).str.lower(), author=hits["voice"].isin(AUTHOR_VOICES))
    grouped = hits.groupby(["term", "lexicon", "category"], sort=False)
    table = grouped.agg(count=("doc_id", "size"), documents=("doc_id", "nunique"), author_voice=("author", "sum"),
                        explanation=("explanation", "first")).reset_index()
    table = table.sort_values(["count", "documents", "term"], ascending=[False, False, True], kind="stable")
    return table.head(n)[columns].reset_index(drop=True)


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


# ---- a document among its group (document pages rendered without a kernel, and the document profile) -------

def document_measure_names(documents: pd.DataFrame) -> list[str]:
    """The measures a document page sets beside its group and the corpus: tone, the four lexicons' rates,
    attribution, certainty, sourcing, and the tone toward each target, as far as the documents table holds them."""
    wanted = ["sentiment_mean", "share_negative", *[f"rate_{name}" for name in LEXICON_ORDER],
              "rate_loaded_author", "share_attributed", "hedge_booster_balance", "share_text_quoted",
              "share_anonymous"]
    wanted += sorted(c for c in documents.columns if c.startswith("target_") and c.endswith("_sentiment"))
    wanted += coder_measure_names(documents)
    return [name for name in wanted if name in documents.columns]


def coder_measure_names(documents: pd.DataFrame) -> list[str]:
    """The shares of the coders applied with ``--coder`` (``share_coder_<name>__<label>``), as the documents
    table holds them, in its order."""
    return [c for c in documents.columns if str(c).startswith("share_coder_")]


def measure_medians(analysis: Analysis, group_by: str = "outlet") -> pd.DataFrame:
    """The median document of each group and of the whole corpus (row ``""``), for every measure of
    ``document_measure_names``: what a document page sets a document against. One pass over the documents
    table (it holds one row per document, so this is cheap whatever the corpus)."""
    documents = analysis.documents
    names = document_measure_names(documents)
    values = documents[names].apply(pd.to_numeric, errors="coerce")
    groups = group_column(analysis, group_by) if group_by not in ("document", "doc_id", "") else None
    table = values.groupby(groups.to_numpy()).median() if groups is not None else pd.DataFrame(columns=names)
    table.index = table.index.astype(str)
    corpus = values.median().to_frame().T
    corpus.index = [""]
    return pd.concat([table, corpus])


def document_measures(analysis: Analysis, doc_id: str, *, group_by: str = "outlet",
                      medians: pd.DataFrame | None = None) -> pd.DataFrame:
    """measure, this_document, group, group_median, corpus_median: the document's measures beside the median
    document of its group (``group_by``) and of the corpus. ``medians`` is ``measure_medians(analysis,
    group_by)`` when the caller has it already (a report renders thousands of pages against the same one)."""
    doc_id = pick_document(analysis, doc_id)
    medians = measure_medians(analysis, group_by) if medians is None else medians
    documents = analysis.documents
    row = documents[documents["doc_id"].astype(str) == doc_id].iloc[0]
    group = ""
    if group_by not in ("document", "doc_id", ""):
        group = str(group_column(analysis, group_by)[documents["doc_id"].astype(str) == doc_id].iloc[0])
    rows = []
    for measure in document_measure_names(documents):
        this = pd.to_numeric(pd.Series([row[measure]]), errors="coerce").iloc[0]
        rows.append({"measure": measure, "this_document": float(this), "group": group,
                     "group_median": float(medians.at[group, measure]) if group in medians.index else float("nan"),
                     "corpus_median": float(medians.at["", measure])})
    return pd.DataFrame(rows, columns=["measure", "this_document", "group", "group_median", "corpus_median"])


def document_target_tone(analysis: Analysis, doc_id: str) -> pd.DataFrame:
    """target, mentions, tone: the tone toward each target in one document (``framing.measure.target_tone``,
    as the documents table holds it). No row when no targets were given."""
    documents = analysis.documents
    row = documents[documents["doc_id"].astype(str) == pick_document(analysis, doc_id)].iloc[0]
    names = sorted(c.removeprefix("target_").removesuffix("_sentiment") for c in documents.columns
                   if c.startswith("target_") and c.endswith("_sentiment"))
    return pd.DataFrame([{"target": name, "mentions": int(row.get(f"target_{name}_n", 0) or 0),
                          "tone": float(row[f"target_{name}_sentiment"])} for name in names],
                        columns=["target", "mentions", "tone"])


def headline_by_group(documents: pd.DataFrame, group_by: str = "outlet", *, n_boot: int = 1000) -> pd.DataFrame:
    """The index's headline: the key measures of each group with 95% intervals (documents resampled within
    each group, ``framing.compare.document_intervals``), from the documents table alone, and the shares of
    any coder applied with ``--coder``. Columns: group, measure, value, low, high, n_documents."""
    from framing.compare.headline import HEADLINE, document_intervals

    return document_intervals(documents, group_by, n_boot=n_boot,
                              measures=(*HEADLINE, *coder_measure_names(documents)))


# ---- for reading: the glossary, numbers rounded, tables and figures with their take-away files ------------

GLOSSARY_FILE = "glossary.tsv"  # in the package: column name -> label, unit, format, meaning
MISSING = "\u2013"               # an en dash where there is no value (a rate of a group without words)


@dataclass(frozen=True)
class Term:
    """What a column means, for a reader: its label, unit, how its numbers are written, and one line."""
    name: str
    label: str
    unit: str
    format: str   # text, id, count, rate, share, score, ratio, z, p, offset
    meaning: str

    @property
    def heading(self) -> str:
        """The label with its unit, as a column heading or an axis label: "Loaded terms (per 1,000 words)"."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


_GLOSSARY: dict[str, Term] | None = None


def glossary() -> dict[str, Term]:
    """Every entry of framing/glossary.tsv by name (names with {placeholders} cover families of measures)."""
    global _GLOSSARY
    if _GLOSSARY is None:
        from importlib import resources

        text = (resources.files("framing") / GLOSSARY_FILE).read_text(encoding="utf-8")
        rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
        header, rows = rows[0], rows[1:]
        assert header == ["name", "label", "unit", "format", "meaning"], header
        _GLOSSARY = {row[0]: Term(*row) for row in rows}
    return _GLOSSARY


@lru_cache(maxsize=None)
def _template_pattern(name: str):
    parts = re.split(r"\{(\w+)\}", name)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^\\W_][^\\W]*?)"
                    for i, part in enumerate(parts))
    return re.compile(regex + r"\Z")


def _fill(text: str, values: dict) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def term(name: str) -> Term:
    """The glossary's entry for a column (a family's entry filled in: ``rate_loaded_war_metaphor_author`` is
    "Loaded terms: war metaphor, author's voice"); a column the glossary does not know gets its own name, no
    unit, and an empty meaning (``known`` tells them apart)."""
    return _term(str(name))


@lru_cache(maxsize=4096)
def _term(name: str) -> Term:
    # every table of every page asks for each of its columns: 450 lookups a page, each matching the name
    # against every family of the glossary (5% of a page's time before it was kept)
    entries = glossary()
    if name in entries:
        return entries[name]
    candidates = []
    for pattern_name, entry in entries.items():
        if "{" not in pattern_name:
            continue
        found = _template_pattern(pattern_name).match(name)
        if found:
            values = found.groupdict()
            # a lexicon framing knows before one it does not; then the most specific family (most literal text)
            rank = (f"lexicon.{values['lexicon']}" in entries if "lexicon" in values else True,
                    len(re.sub(r"\{\w+\}", "", pattern_name)))
            candidates.append((rank, pattern_name, values, entry))
    if candidates:
        _, _, values, entry = max(candidates, key=lambda c: c[0])
        if "lexicon" in values:
            lexicon_entry = entries.get(f"lexicon.{values['lexicon']}")
            values["lexicon_label"] = lexicon_entry.label if lexicon_entry else values["lexicon"].replace("_", " ")
            values["lexicon_meaning"] = (lexicon_entry.meaning if lexicon_entry
                                         else f"hits of the {values['lexicon']} lexicon")
        for key in ("category", "role"):
            if key in values:
                values[f"{key}_label"] = values[key].replace("_", " ")
        return Term(name, _fill(entry.label, values), entry.unit, entry.format, _fill(entry.meaning, values))
    return Term(name, name.replace("_", " "), "", "text", "")


def known(name: str) -> bool:
    """Whether the glossary has an entry (or a family) for this column."""
    return bool(term(name).meaning)


def label(name: str, *, unit: bool = True) -> str:
    """A column's label for a reader, with its unit unless ``unit`` is False."""
    found = term(name)
    return found.heading if unit else found.label


def _is_missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_value(value, kind: str) -> str:
    """One value written for reading: rates to one decimal, shares as percentages, p-values as "< 0.001"."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, (bool,)) or (hasattr(value, "dtype") and str(getattr(value, "dtype", "")) == "bool"):
        return "yes" if value else "no"
    if kind == "name":
        return str(value).replace("_", " ")
    if kind == "lexicon":
        entry = glossary().get(f"lexicon.{value}")
        return entry.label if entry else str(value).replace("_", " ")
    if kind in ("text", "id", "offset") or isinstance(value, str):
        if kind == "offset" and isinstance(value, (int, float)):
            return f"{int(value)}"
        return str(value)
    value = float(value)
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "rate":
        return f"{value:,.1f}"
    if kind == "share":
        return f"{value * 100:.1f}%"
    if kind == "score":
        return f"{value:+.2f}"
    if kind == "ratio":
        return f"{value:.2f}\u00d7"
    if kind == "z":
        return f"{value:+.1f}"
    if kind == "p":
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"


# columns whose values are of the measure named in the same row (against_corpus, differences, profiles)
_VALUE_OF_MEASURE = ("value", "this_document", "group_median", "corpus_median", "low", "high", "value_a", "value_b", "difference")


def _frame(table) -> pd.DataFrame:
    """A table with its index as a column when the index means something, and without it when it is row numbers."""
    if isinstance(table, pd.Series):
        table = table.to_frame()
    if isinstance(table.columns, pd.MultiIndex):
        table = table.copy()
        table.columns = [" ".join(str(p) for p in column if str(p)) for column in table.columns]
    named = any(n is not None for n in table.index.names)
    if named or not isinstance(table.index, pd.RangeIndex):
        return table.reset_index() if named else table.reset_index(drop=True)
    return table


def readable(table, *, values: str = "") -> pd.DataFrame:
    """A table for reading: each column headed by its label and unit from the glossary, numbers rounded as
    the glossary says (``values``: the format of columns it does not know, e.g. "rate" for a matrix of rates),
    values of a row's ``measure`` in that measure's format, measure names as labels, no index column. Returns
    strings; the table itself (``table``) is what the CSV download holds."""
    table = _frame(table)
    out = {}
    row_kinds = [term(m).format for m in table["measure"]] if "measure" in table else None
    for column in table.columns:
        found = term(column)
        kind = found.format if known(str(column)) or not values else values
        if column == "measure":
            cells = [term(m).heading for m in table[column]]
        elif row_kinds is not None and column in _VALUE_OF_MEASURE:
            kinds = ["rate" if k == "rate" else k for k in row_kinds]
            cells = [format_value(v, k) for v, k in zip(table[column], kinds)]
        elif column == "field" and "value" in table:
            cells = [term(f).label for f in table[column]]
        elif column == "value" and "field" in table:
            cells = [format_value(v, term(f).format) for v, f in zip(table[column], table["field"])]
        else:
            cells = [format_value(v, kind) for v in table[column]]
        out[found.heading if known(str(column)) else str(column)] = cells
    return pd.DataFrame(out)


@dataclass
class HTML:
    """HTML a notebook displays as it is (``_repr_html_``) and a page can embed (``html``)."""
    html: str
    text: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or "(HTML)"

    def __str__(self) -> str:
        return self.html


@lru_cache(maxsize=None)
def page_templates():
    """The jinja2 environment over framing's page templates (framing/pages/templates), autoescaping on. One per
    process: an environment compiles each template once and keeps it, and a new one per table compiled the
    templates again every time (0.96 s of a document page's 1.76 s under the profiler, 720 compilations for
    60 pages)."""
    import jinja2
    from importlib import resources

    folder = resources.files("framing") / "pages" / "templates"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def _data_uri(data: bytes, mime: str) -> str:
    import base64

    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def file_name(name: str) -> str:
    """A name made safe for a downloaded file."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(name)).strip("-") or "table"


TABLE_ROWS = 100  # rows shown on a page; the CSV beside the table holds them all


def show_table(table, *, name: str, caption: str = "", empty: str = "Nothing to show.", values: str = "",
               rows: int = TABLE_ROWS, download: bool = True) -> HTML:
    """A table as a reader sees it (``readable``), with a CSV of the whole table beside it (all rows, every
    digit, the tables' column names) and what each column means. ``empty`` is the one sentence shown instead
    of an empty table (say why, and what to do: "No targets were given: add --targets.")."""
    frame = _frame(table)
    if frame.empty:
        return HTML(page_templates().get_template("empty.html.j2").render(sentence=empty), empty)
    shown = readable(frame.head(rows), values=values)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               and term(c).format not in ("text", "id") for c in frame.columns]
    columns = [{"heading": term(c).label if known(str(c)) else str(c),
                "unit": term(c).unit if known(str(c)) else "", "meaning": term(c).meaning, "numeric": n}
               for c, n in zip(frame.columns, numeric)]
    csv = frame.to_csv(index=False).encode("utf-8")
    html = page_templates().get_template("table.html.j2").render(
        caption=caption, columns=columns, rows=shown.values.tolist(), total=len(frame), shown=len(shown),
        csv_name=f"{file_name(name)}.csv", csv_href=_data_uri(csv, "text/csv;charset=utf-8") if download else "")
    return HTML(html, f"{caption or name}: {len(frame)} rows")


def show_figure(fig, *, name: str, alt: str = "", caption: str = "", download: bool = True) -> HTML:
    """A matplotlib figure as an image (the smaller of its SVG and PNG) with its alt text (``alt``, else one made
    from its titles, axis labels and tick labels: ``figure_alt``), and SVG and PNG files of it beside it. Saved
    with a tight bounding box, so no label or tick is cut; the figure is closed (a notebook shows it once)."""
    import io

    import matplotlib.pyplot as plt

    alt = alt or figure_alt(fig)
    png, svg = io.BytesIO(), io.BytesIO()
    # No date in the SVG (the same figure gives the same file); its text kept as text, searchable and editable.
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(svg, format="svg", bbox_inches="tight", pad_inches=0.15, facecolor="white",
                    metadata={"Date": None})
    fig.savefig(png, format="png", dpi=100, bbox_inches="tight", pad_inches=0.15, facecolor="white")
    plt.close(fig)
    png = _palette_png(png.getvalue())
    svg_uri, png_uri = _data_uri(svg.getvalue(), "image/svg+xml"), _data_uri(png, "image/png")
    # the page shows the smaller of the two, as each is also a download and so embedded twice: the SVG of a
    # simple chart (sharp at any zoom), the PNG where the SVG is heavy (the frame mix's hatched bars: 301 KB of
    # SVG against 68 KB of PNG)
    src = svg_uri if len(svg_uri) <= len(png_uri) else png_uri
    stem = file_name(name)
    html = page_templates().get_template("figure.html.j2").render(
        src=src, alt=alt, caption=caption,
        downloads=[{"name": f"{stem}.svg", "href": svg_uri, "kind": "SVG"},
                   {"name": f"{stem}.png", "href": png_uri, "kind": "PNG"}] if download else [])
    return HTML(html, alt)


def _palette_png(data: bytes) -> bytes:
    """A chart's PNG in 256 colours: a third of the bytes (the distinctive-words chart 129 KB -> 48 KB, the
    heatmap 67 KB -> 23 KB) with no difference a reader sees; charts have few colours besides anti-aliasing."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def figure_alt(fig) -> str:
    """What a figure shows, in words, from its titles, axis labels and the labels along its axes."""
    parts = []
    title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    if title:
        parts.append(f"{title}.")
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        bits = []
        if ax.get_title():
            bits.append(f"Panel \u201c{ax.get_title()}\u201d")
        x, y = ax.get_xlabel(), ax.get_ylabel()
        if x:
            bits.append(f"across: {x}")
        if y:
            bits.append(f"up: {y}")
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        if ticks and not all(_looks_numeric(t) for t in ticks):
            bits.append("rows: " + ", ".join(ticks[:12]) + (" and more" if len(ticks) > 12 else ""))
        ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        if ticks and not all(_looks_numeric(t) for t in ticks):
            bits.append("columns: " + ", ".join(ticks[:12]) + (" and more" if len(ticks) > 12 else ""))
        if bits:
            parts.append("; ".join(bits) + ".")
    # what the figure's maker says it shows (framing.plots: the values a reader would look for)
    if getattr(fig, "framing_alt", ""):
        parts.append(fig.framing_alt)
    return " ".join(parts) or "A figure."


def _looks_numeric(text: str) -> bool:
    return text.replace("\u2212", "-").replace(".", "", 1).replace("-", "", 1).replace(",", "").strip().isdigit()


def profile_table(profile, measures: list[str]) -> pd.DataFrame:
    """Groups as rows and measures as columns, each cell its value and 95% interval written for reading
    ("12.3 (8.1 to 17.0)"), the columns headed by the measures' labels; from ``compare.profiles``'s Profile."""
    table = profile.table[profile.table["measure"].isin(measures)]
    order = [m for m in measures if m in set(table["measure"])]
    cells = {}
    for row in table.itertuples():
        kind = term(row.measure).format
        value = format_value(row.value, kind)
        if not _is_missing(row.value) and not _is_missing(row.low) and not _is_missing(row.high):
            value += f" ({format_value(row.low, kind)} to {format_value(row.high, kind)})"
        cells.setdefault(row.group, {})[label(row.measure)] = value
    wide = pd.DataFrame.from_dict(cells, orient="index")[[label(m) for m in order]] if cells else pd.DataFrame()
    wide.index.name = "group"
    return wide


def against_rest_table(table: pd.DataFrame) -> pd.DataFrame:
    """``compare.against_rest`` for reading: a row per measure (its label and unit), the group's value, the
    rest's, and the difference with its 95% interval, each written as the glossary writes that measure."""
    rows = []
    for row in table.itertuples():
        kind = term(row.measure).format
        gap = format_value(row.difference, kind)
        if not _is_missing(row.low) and not _is_missing(row.high):
            gap += f" ({format_value(row.low, kind)} to {format_value(row.high, kind)})"
        rows.append({"measure": label(row.measure), "value_a": format_value(row.value_a, kind),
                     "value_b": format_value(row.value_b, kind), "difference": gap, "verdict": row.verdict})
    frame = pd.DataFrame(rows, columns=["measure", "value_a", "value_b", "difference", "verdict"])
    if len(table):
        frame = frame.rename(columns={"value_a": str(table["group_a"].iloc[0]),
                                      "value_b": str(table["group_b"].iloc[0])})
    return frame


def show_profile(profile, measures: list[str], *, name: str, caption: str = "",
                 empty: str = "Nothing to show.") -> HTML:
    """``profile_table`` on the page, with a CSV of its rows as numbers (group, measure, value, low, high)."""
    wanted = [m for m in measures if m in set(profile.table["measure"])]
    if not wanted:
        return HTML(page_templates().get_template("empty.html.j2").render(sentence=empty), empty)
    raw = profile.table[profile.table["measure"].isin(wanted)][["group", "measure", "value", "low", "high"]]
    wide = profile_table(profile, wanted).reset_index()
    columns = [{"heading": term("group").label, "unit": "", "meaning": term("group").meaning, "numeric": False}]
    columns += [{"heading": term(m).label, "unit": term(m).unit + ", 95% interval" if term(m).unit else
                 "95% interval", "meaning": term(m).meaning, "numeric": True} for m in wanted]
    csv = raw.to_csv(index=False).encode("utf-8")
    html = page_templates().get_template("table.html.j2").render(
        caption=caption, columns=columns, rows=wide.values.tolist(), total=len(wide), shown=len(wide),
        csv_name=f"{file_name(name)}.csv", csv_href=_data_uri(csv, "text/csv;charset=utf-8"))
    return HTML(html, f"{caption or name}: {len(wide)} groups")


def distinctive_words(analysis: Analysis, group_by: str = "outlet", *, top: int = 15) -> pd.DataFrame:
    """``framing.compare.distinctive_words``: the words that set each group apart, without stop words, numbers
    and words seen fewer than ``DISTINCTIVE_MIN_COUNT`` times."""
    from framing.compare import distinctive_words as words

    return words(analysis, group_by, top=top)
