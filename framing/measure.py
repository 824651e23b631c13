"""Measuring: one document to its rows, and the one definition of every measure.

Every measure framing reports is a ratio of two counts, ``numerator / denominator (* scale)``, over a set of
sentences: the sentences of one document (``documents.csv``), of a group (``views.group_profile``), or a
bootstrap resample of a group (``compare.profiles``). The counts and the recipe of every measure are defined
here once, so a number called ``rate_loaded_author`` means the same wherever a reader meets it.

Whose voice a hit stands in is decided here too: the author's (the writer's own words, and the words the writer
puts in scare quotes: that distancing is the writer's) or quoted (inside someone else's quotation).

Worker processes import this module for ``analyze_document``: it must not import pandas at module level
(pandas is 90 MiB of each worker's memory); ``sentence_counts`` and ``group_values`` import it where they run.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from framing import lexicons as lex
from framing import segment, sentiment
from framing.errors import GroupingError
from framing.model import Document

if TYPE_CHECKING:
    import pandas as pd

    from framing.model import Analysis

SENTENCE_COLUMNS = ("doc_id", "sentence_no", "start", "end", "text", "sentiment", "n_words", "in_quote")
HIT_COLUMNS = ("doc_id", "sentence_no", "start", "end", "matched", "lexicon", "category", "entry", "voice",
               "quote_kind", "explanation")
SCARE_QUOTE = ("loaded", "scare_quote")  # scare quotes count as loaded language, in their own category
MOST_NEGATIVE_N = 3

# ---- voice --------------------------------------------------------------------------------------------------

# The voice of a hit in hits.csv: author (the writer's own words), quote (inside a quotation given to someone),
# scare_quote (inside quotation marks the writer puts around words without a speaker).
HIT_VOICES = ("author", "quote", "scare_quote")
# What a reader means by "the author's voice": the writer's own words, scare quotes included, since the
# distancing is the writer's. Every author-voice measure, page and view uses this rule.
AUTHOR_VOICES = ("author", "scare_quote")
MEASURE_VOICES = ("author", "quoted")  # the two sides of every voice-split measure


def voice_of_span(quotes: list[segment.Quote], start: int, end: int) -> str:
    """The voice of the text span [start, end) of a document, given the document's quotes."""
    return segment.voice_of(segment.quote_at(quotes, start, end) if quotes else None)


def voice_class(voice: str) -> str:
    """A hit's voice (author / quote / scare_quote) to the side it counts on: ``author`` or ``quoted``."""
    return "author" if voice in AUTHOR_VOICES else "quoted"


def is_authors_voice(voice: str) -> bool:
    return voice in AUTHOR_VOICES


def sentence_hits(analysis: Analysis, matcher: lex.Matcher):
    """Every hit of ``matcher`` in every sentence of an analysis, as (sentence row, hit, voice).

    Hit offsets are into the sentence. The voice comes from the quotes of the document's cleaned text (found
    once per document) when ``analysis.texts`` has it, else from the sentence's ``in_quote`` flag."""
    quotes: dict[str, list] = {}
    for sentence in analysis.sentences.itertuples(index=False):
        found = lex.find_hits(matcher, str(sentence.text))
        if not found:
            continue
        doc_id = str(sentence.doc_id)
        text = analysis.texts.get(doc_id)
        for hit in found:
            if text is None:
                voice = "quote" if bool(sentence.in_quote) else "author"
            else:
                if doc_id not in quotes:
                    quotes[doc_id] = segment.find_quotes(text)
                start = int(sentence.start)
                voice = voice_of_span(quotes[doc_id], start + hit.start, start + hit.end)
            yield sentence, hit, voice


# ---- counts: what each sentence adds --------------------------------------------------------------------------

def hit_counters(lexicon: str, category: str, voice: str) -> tuple[str, ...]:
    """The count columns one hit adds 1 to: its lexicon and its category, each in all voices and on its side."""
    side = voice_class(voice)
    return (f"hits_{lexicon}", f"hits_{lexicon}_{side}", f"hits_{lexicon}_{category}",
            f"hits_{lexicon}_{category}_{side}")


def mentions(target: sentiment.Target, sentence_text: str) -> bool:
    """Whether a sentence mentions a target (its tone toward the target is the sentence's tone)."""
    return target.pattern.search(sentence_text) is not None


def add_derived(counts: dict) -> dict:
    """Counts computed from other counts (works on numbers and on numpy arrays alike; a count nobody had is 0)."""
    for suffix in ("", "_author"):
        hedges, boosters = counts.get(f"hits_hedges{suffix}", 0), counts.get(f"hits_boosters{suffix}", 0)
        counts[f"hedges_minus_boosters{suffix}"] = hedges - boosters
        counts[f"hedges_plus_boosters{suffix}"] = hedges + boosters
    return counts


# ---- the recipe of every measure --------------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    name: str
    numerator: str
    denominator: str
    scale: float
    kind: str           # rate, sentiment, voice, attribution, certainty, target
    lexicon: str = ""
    category: str = ""
    voice: str = ""     # all, author or quoted
    label: str = ""
    in_documents: bool = True  # also a column of documents.csv (per-category voice splits are profiles only)


def measures(categories: list[tuple[str, str]], target_names: list[str] = ()) -> list[Measure]:
    """Every measure, for the given (lexicon, category) pairs and targets, in the order of the tables."""
    out = [
        Measure("share_quoted", "quoted_sentences", "sentences", 1.0, "voice",
                label="share of sentences mostly inside quotes"),
        Measure("sentiment_mean", "sentiment_sum", "sentences", 1.0, "sentiment",
                label="mean sentence sentiment (VADER compound)"),
        Measure("share_negative", "negative_sentences", "sentences", 1.0, "sentiment",
                label="share of negative sentences"),
        Measure("share_positive", "positive_sentences", "sentences", 1.0, "sentiment",
                label="share of positive sentences"),
    ]
    by_lexicon: dict[str, list[str]] = {}
    for lexicon, category in sorted(set(categories)):
        by_lexicon.setdefault(lexicon, []).append(category)
    for lexicon in by_lexicon:
        out.append(Measure(f"rate_{lexicon}", f"hits_{lexicon}", "words", 1000.0, "rate", lexicon, "", "all",
                           f"{lexicon} per 1,000 words"))
        for side in MEASURE_VOICES:
            out.append(Measure(f"rate_{lexicon}_{side}", f"hits_{lexicon}_{side}", "words", 1000.0, "rate", lexicon,
                               "", side, f"{lexicon} per 1,000 words, {_side_words(side)}"))
    for lexicon, lexicon_categories in by_lexicon.items():
        for category in lexicon_categories:
            stem, what = f"{lexicon}_{category}", f"{lexicon}: {category.replace('_', ' ')}"
            out.append(Measure(f"rate_{stem}", f"hits_{stem}", "words", 1000.0, "rate", lexicon, category, "all",
                               f"{what} per 1,000 words"))
            for side in MEASURE_VOICES:
                out.append(Measure(f"rate_{stem}_{side}", f"hits_{stem}_{side}", "words", 1000.0, "rate", lexicon,
                                   category, side, f"{what} per 1,000 words, {_side_words(side)}",
                                   in_documents=False))
    if "attribution" in by_lexicon:
        out.append(Measure("share_attributed", "attributed_sentences", "sentences", 1.0, "attribution",
                           label="share of sentences with an attribution (said, according to, ...)"))
    if "hedges" in by_lexicon and "boosters" in by_lexicon:
        for suffix, side in (("", "all"), ("_author", "author")):
            out.append(Measure(f"hedge_booster_balance{suffix}", f"hedges_minus_boosters{suffix}",
                               f"hedges_plus_boosters{suffix}", 1.0, "certainty", voice=side,
                               label="(hedges - boosters) / (hedges + boosters): +1 only hedges, -1 only boosters"
                                     + (", author's voice" if suffix else "")))
    for name in target_names:
        out.append(Measure(f"target_{name}_sentiment", f"target_{name}_sentiment_sum", f"target_{name}_mentions",
                           1.0, "target", label=f"mean sentiment of sentences mentioning {name}"))
        out.append(Measure(f"target_{name}_share", f"target_{name}_mentions", "sentences", 1.0, "target",
                           label=f"share of sentences mentioning {name}"))
    return out


def _side_words(side: str) -> str:
    return "the author's own words (scare quotes included)" if side == "author" else "inside quotations"


def ratio(numerator, denominator, scale: float):
    """One measure's value from its counts: a number, or NaN where the denominator is 0.

    ``numerator * (scale / denominator)`` for rates, as documents.csv has always computed them (so its floats
    are unchanged); works on numbers and, elementwise, on numpy arrays."""
    if isinstance(denominator, (int, float)):
        if not denominator:
            return math.nan
        return numerator / denominator if scale == 1.0 else numerator * (scale / denominator)
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(denominator != 0, denominator, 1)
        values = numerator / safe if scale == 1.0 else numerator * (scale / safe)
        return np.where(denominator != 0, values, np.nan)


# ---- one document --------------------------------------------------------------------------------------------

@dataclass
class Setup:
    """Everything built once per process and reused for every document."""
    lexicons: list[lex.Lexicon]
    matcher: lex.Matcher
    targets: list[sentiment.Target]
    categories: list[tuple[str, str]]  # (lexicon, category) pairs, in a stable order, for rate columns
    measures: list[Measure]


def make_setup(*, lexicon_files=(), targets=None) -> Setup:
    lexicons = lex.load_lexicons(list(lexicon_files))
    categories = sorted({(lx.name, e.category) for lx in lexicons for e in lx.entries} | {SCARE_QUOTE})
    parsed = sentiment.parse_targets(targets)
    return Setup(lexicons, lex.build_matcher(lexicons), parsed, categories,
                 [m for m in measures(categories, [t.name for t in parsed]) if m.in_documents])


def _hit_order(row: tuple) -> tuple:
    return row[2], row[5]  # start, lexicon


def analyze_document(document: Document, setup: Setup) -> tuple[dict, list[tuple], list[tuple]]:
    """One document to its row of ``documents`` and its rows of ``sentences`` and ``hits``.

    Sentence and hit rows are tuples in the order of SENTENCE_COLUMNS and HIT_COLUMNS: at a million
    documents, building a dict per row cost as much as splitting the text into sentences.
    """
    text = document.text
    doc_id = document.doc_id
    spans = segment.split_sentences(text)
    quotes = segment.find_quotes(text)
    starts = [span.start for span in spans]
    bisect_right = bisect.bisect_right

    def sentence_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1) + 1

    speech = [q for q in quotes if q.kind != "scare"]  # both lists are in text order: one sweep, not S x Q
    score = sentiment.compound
    sentence_rows = []
    scores = []
    n_words = n_in_quote = 0
    first_open = 0
    for number, (start, end) in enumerate(spans, start=1):
        sentence_text = text[start:end]
        while first_open < len(speech) and speech[first_open].end <= start:
            first_open += 1
        quoted = 0
        index = first_open
        while index < len(speech) and speech[index].start < end:
            quoted += min(speech[index].end, end) - max(speech[index].start, start)
            index += 1
        compound = score(sentence_text)
        words = len(sentence_text.split())  # segment.count_words, inlined: it runs once per sentence
        in_quote = quoted * 2 > (end - start)
        sentence_rows.append((doc_id, number, start, end, sentence_text, compound, words, in_quote))
        scores.append(compound)
        n_words += words
        n_in_quote += in_quote

    hit_rows = []
    for hit in lex.find_hits(setup.matcher, text):
        quote = segment.quote_at(quotes, hit.start, hit.end) if quotes else None
        hit_rows.append((doc_id, sentence_of(hit.start), hit.start, hit.end, hit.matched, hit.lexicon, hit.category,
                         hit.entry, segment.voice_of(quote), quote.kind if quote else "", hit.explanation))
    for quote in quotes:
        if quote.kind == "scare":
            hit_rows.append((doc_id, sentence_of(quote.start), quote.start, quote.end, text[quote.start:quote.end],
                             SCARE_QUOTE[0], SCARE_QUOTE[1], "scare quote", "author", "scare",
                             segment.SCARE_QUOTE_EXPLANATION))
    hit_rows.sort(key=_hit_order)

    counts = document_counts(sentence_rows, hit_rows, setup.targets, n_words=n_words, n_in_quote=n_in_quote)
    row = {
        "doc_id": document.doc_id, "source": document.source, "format": document.format,
        "outlet": document.outlet, "title": document.title, "author": document.author, "date": document.date,
        "url": document.url, "n_words": n_words, "n_sentences": len(spans),
        "n_quotes": sum(1 for q in quotes if q.kind != "scare"),
    }
    values = {m.name: ratio(counts.get(m.numerator, 0), counts.get(m.denominator, 0), m.scale)
              for m in setup.measures}
    for name in ("share_quoted", "sentiment_mean", "share_negative", "share_positive"):
        row[name] = values[name]
    negative = sorted((r for r in sentence_rows if r[5] <= sentiment.NEGATIVE_THRESHOLD),
                      key=lambda r: (r[5], r[1]))[:MOST_NEGATIVE_N]
    row["most_negative_sentence_nos"] = ";".join(str(r[1]) for r in negative)
    row["most_negative_sentence"] = negative[0][4] if negative else ""
    for measure in setup.measures:
        if measure.name in row:
            continue
        if measure.kind == "target" and measure.numerator.endswith("_sentiment_sum"):
            # the number of sentences behind a target's tone, beside it
            row[f"{measure.name.removesuffix('_sentiment')}_n"] = counts[measure.denominator]
        row[measure.name] = values[measure.name]
    row["n_removed_lines"] = len(document.removed)
    row["warnings"] = " | ".join(document.warnings)
    return row, sentence_rows, hit_rows


def document_counts(sentence_rows: list[tuple], hit_rows: list[tuple], targets: list[sentiment.Target], *,
                    n_words: int, n_in_quote: int) -> dict:
    """The counts of one document: the sums over its sentences of what ``sentence_counts`` counts per sentence."""
    scores = [r[5] for r in sentence_rows]
    counts: dict = {
        "sentences": len(sentence_rows), "words": n_words, "quoted_sentences": n_in_quote,
        "sentiment_sum": math.fsum(scores),  # fsum: the same float as statistics.fmean's sum
        "negative_sentences": sum(1 for s in scores if s <= sentiment.NEGATIVE_THRESHOLD),
        "positive_sentences": sum(1 for s in scores if s >= sentiment.POSITIVE_THRESHOLD),
    }
    attributed = set()
    for hit in hit_rows:
        for key in hit_counters(hit[5], hit[6], hit[8]):
            counts[key] = counts.get(key, 0) + 1
        if hit[5] == "attribution":
            attributed.add(hit[1])
    counts["attributed_sentences"] = len(attributed)
    for target in targets:
        mentioned = [r[5] for r in sentence_rows if mentions(target, r[4])]
        counts[f"target_{target.name}_mentions"] = len(mentioned)
        counts[f"target_{target.name}_sentiment_sum"] = math.fsum(mentioned)
    return add_derived(counts)


# ---- many sentences: counts per sentence, values per group ------------------------------------------------

def sentence_counts(sentences: pd.DataFrame, hits: pd.DataFrame, targets: list[sentiment.Target]) -> pd.DataFrame:
    """One row per sentence (same order as ``sentences``), one column per count: what each sentence adds to
    every numerator and denominator. A group's measure is a ratio of column sums; so is each bootstrap replicate.
    """
    import numpy as np
    import pandas as pd

    sentences = sentences.reset_index(drop=True)
    n = len(sentences)
    scores = sentences["sentiment"].to_numpy(dtype=float)
    columns: dict = {
        "sentences": np.ones(n), "words": sentences["n_words"].to_numpy(dtype=float),
        "quoted_sentences": sentences["in_quote"].astype(bool).to_numpy(dtype=float),
        "sentiment_sum": scores,
        "negative_sentences": (scores <= sentiment.NEGATIVE_THRESHOLD).astype(float),
        "positive_sentences": (scores >= sentiment.POSITIVE_THRESHOLD).astype(float),
    }
    key = pd.MultiIndex.from_arrays([sentences["doc_id"].astype(str), sentences["sentence_no"].astype(int)])
    rows = key.get_indexer(pd.MultiIndex.from_arrays([hits["doc_id"].astype(str), hits["sentence_no"].astype(int)]))
    hits = hits.assign(row=rows)[rows >= 0]
    triples = hits.groupby(["lexicon", "category", "voice"])["row"]
    for (lexicon, category, voice), found in triples:
        tally = np.bincount(found.to_numpy(dtype=np.int64), minlength=n).astype(float)
        for counter in hit_counters(str(lexicon), str(category), str(voice)):
            columns[counter] = columns[counter] + tally if counter in columns else tally
    attributed = hits.loc[hits["lexicon"] == "attribution", "row"].to_numpy(dtype=np.int64)
    columns["attributed_sentences"] = (np.bincount(attributed, minlength=n) > 0).astype(float)
    texts = sentences["text"].astype(str)
    for target in targets:
        mentioned = texts.map(lambda t: mentions(target, t)).to_numpy(dtype=float)
        columns[f"target_{target.name}_mentions"] = mentioned
        columns[f"target_{target.name}_sentiment_sum"] = mentioned * scores
    return pd.DataFrame(add_derived(columns))


def counts_for(counts: pd.DataFrame, recipe: list[Measure]) -> pd.DataFrame:
    """``counts`` with a zero column for every count the recipe names and no sentence had."""
    missing = {c for m in recipe for c in (m.numerator, m.denominator)} - set(counts.columns)
    if not missing:
        return counts
    import pandas as pd

    zeros = pd.DataFrame(0.0, index=counts.index, columns=sorted(missing))
    return pd.concat([counts, zeros], axis=1)  # at once: one column at a time fragments the frame


def analysis_categories(analysis: Analysis) -> list[tuple[str, str]]:
    """The (lexicon, category) pairs an analysis was measured with: as recorded in its run, else those of the
    packaged lexicons it used and those its hits show (tables written before the run recorded them)."""
    recorded = analysis.run.get("categories")
    if recorded:
        return sorted({(str(lexicon), str(category)) for lexicon, category in recorded})
    found = {SCARE_QUOTE}
    for name in (analysis.run.get("lexicons") or {}):
        if name in lex.PACKAGED:
            found.update((name, e.category) for e in lex.packaged_lexicon(name).entries)
    found.update((str(a), str(b)) for a, b in analysis.hits[["lexicon", "category"]].drop_duplicates().itertuples(
        index=False))
    return sorted(found)


def analysis_targets(analysis: Analysis) -> list[sentiment.Target]:
    spec = analysis.run.get("targets") or {}
    items = [f"{name}={'|'.join(aliases)}" for name, aliases in spec.items() if aliases]
    return sentiment.parse_targets(items) if items else []


def analysis_measures(analysis: Analysis) -> list[Measure]:
    return measures(analysis_categories(analysis), [t.name for t in analysis_targets(analysis)])


# ---- groups --------------------------------------------------------------------------------------------------

def group_column(analysis: Analysis, group_by: str) -> pd.Series:
    """The grouping of documents: 'document' (each on its own) or a metadata column (missing values named)."""
    documents = analysis.documents
    if group_by in ("document", "doc_id", ""):
        return documents["doc_id"].astype(str)
    if group_by not in documents:
        raise GroupingError(f"cannot group by {group_by!r}: documents have no such column "
                            f"(try document, outlet, author, date, format)")
    values = documents[group_by].fillna("").astype(str)
    return values.where(values != "", "(unknown " + group_by + ")")


def sentence_groups(analysis: Analysis, group_by: str) -> pd.Series:
    """The group of every row of ``analysis.sentences`` (same index)."""
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    return analysis.sentences["doc_id"].astype(str).map(mapping).fillna("(unknown document)")


def group_values(analysis: Analysis, group_by: str = "outlet", *, recipe: list[Measure] | None = None
                 ) -> pd.DataFrame:
    """Every measure per group (rows: groups, sorted; columns: measures), each the ratio of the group's sums."""
    import pandas as pd

    recipe = analysis_measures(analysis) if recipe is None else recipe
    counts = counts_for(sentence_counts(analysis.sentences, analysis.hits, analysis_targets(analysis)), recipe)
    sums = counts.groupby(sentence_groups(analysis, group_by).reset_index(drop=True).to_numpy()).sum()
    return pd.DataFrame({m.name: ratio(sums[m.numerator].to_numpy(), sums[m.denominator].to_numpy(), m.scale)
                         for m in recipe}, index=sums.index.astype(str))
