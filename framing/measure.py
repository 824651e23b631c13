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
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from framing import lexicons as lex
from framing import segment, sentiment, tone, voice
from framing.errors import GroupingError
from framing.model import Document

if TYPE_CHECKING:
    import pandas as pd

    from framing.model import Analysis

SENTENCE_COLUMNS = ("doc_id", "sentence_no", "start", "end", "text", "sentiment", "n_words", "in_quote")
QUOTE_COLUMNS = ("doc_id", "quote_no", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end",
                 "speaker_name", "speaker_role", "cue", "cue_start", "cue_end", "cue_kind", "sentence_no")
HIT_COLUMNS = ("doc_id", "sentence_no", "start", "end", "matched", "lexicon", "category", "entry", "voice",
               "quote_kind", "explanation", "not_when")
SCARE_QUOTE = ("loaded", "scare_quote")  # scare quotes count as loaded language, in their own category
MOST_NEGATIVE_N = 3
# what a lexicon's rates are called in labels: the two tiers of judging words named so they are not confused
LEXICON_NAMES = {"loaded": "loaded terms",
                 "evaluative": "evaluative words (praise, disapproval, intensifiers, comment adverbs)"}

# ---- voice ----------------------------------------------------------------------------------------------

# The voice of a hit in hits.csv, from the document's reported speech (framing.voice): author (the writer's
# own words), quote (inside a quotation: direct, or unattributed), partial (a few quoted words inside a
# statement given to someone), indirect (reported speech without quotation marks: the writer's wording of
# someone's statement), scare_quote (inside quotation marks the writer puts around words without a speaker).
HIT_VOICES = ("author", "quote", "partial", "indirect", "scare_quote")
# What a reader means by "the author's voice": the writer's own words. That includes scare quotes (the
# distancing is the writer's) and indirect speech (the words are the writer's, only the claim is someone
# else's); quotation marks given to someone (direct, partial, unattributed quotes) are the quoted side.
AUTHOR_VOICES = ("author", "scare_quote", "indirect")
MEASURE_VOICES = ("author", "quoted")  # the two sides of every voice-split measure
QUOTED_KINDS = frozenset({"direct", "partial", "unattributed"})  # speech inside quotation marks
_VOICE_OF_KIND = {"direct": "quote", "unattributed": "quote", "partial": "partial", "scare": "scare_quote",
                  "indirect": "indirect"}


def speech_at(speech: list[voice.Speech], start: int, end: int) -> voice.Speech | None:
    """The piece of reported speech a text span [start, end) stands in: the quotation around it (marks
    included), else the indirect statement whose content holds it (speech is few per document: a scan)."""
    found = None
    for row in speech:
        if row.mark_start <= start and end <= row.mark_end:
            if row.kind != "indirect":
                return row
            found = found or row
    return found


def voice_of_span(speech: list[voice.Speech], start: int, end: int) -> str:
    """The voice of the text span [start, end) of a document, given the document's reported speech."""
    row = speech_at(speech, start, end) if speech else None
    return _VOICE_OF_KIND[row.kind] if row else "author"


def voice_class(voice_name: str) -> str:
    """A hit's voice to the side it counts on: ``author`` (the writer's words) or ``quoted``."""
    return "author" if voice_name in AUTHOR_VOICES else "quoted"


def sentence_hits(analysis: Analysis, matcher: lex.Matcher):
    """Every hit of ``matcher`` in every sentence of an analysis, as (sentence row, hit, voice).

    Hit offsets are into the sentence. The voice comes from the document's reported speech (found once per
    document) when ``analysis.texts`` has its cleaned text, else from the sentence's ``in_quote`` flag."""
    # the reported speech of a document is found once per analysis, not once per call: label_choice and
    # frame_mix each spent 90 s finding it again in 10,000 documents
    speech: dict[str, list] = analysis.__dict__.setdefault("_framing_memo", {}).setdefault("speech", {})
    for sentence in analysis.sentences.itertuples(index=False):
        found = lex.find_hits(matcher, str(sentence.text))
        if not found:
            continue
        doc_id = str(sentence.doc_id)
        text = analysis.texts.get(doc_id)
        for hit in found:
            if text is None:
                voice_name = "quote" if bool(sentence.in_quote) else "author"
            else:
                if doc_id not in speech:
                    speech[doc_id] = voice.find_speech(text)
                start = int(sentence.start)
                voice_name = voice_of_span(speech[doc_id], start + hit.start, start + hit.end)
            yield sentence, hit, voice_name


# ---- counts: what each sentence adds --------------------------------------------------------------------------

@lru_cache(maxsize=4096)  # few (lexicon, category, voice) triples, met at every hit: four f-strings each
def hit_counters(lexicon: str, category: str, voice_name: str) -> tuple[str, ...]:
    """The count columns one hit adds 1 to: its lexicon and its category, each in all voices and on its side."""
    side = voice_class(voice_name)
    return (f"hits_{lexicon}", f"hits_{lexicon}_{side}", f"hits_{lexicon}_{category}",
            f"hits_{lexicon}_{category}_{side}")


@lru_cache(maxsize=4096)
def speech_counters(kind: str, role: str, cue_kind: str) -> tuple[str, ...]:
    """The count columns one row of reported speech adds 1 to (its words inside quotation marks are counted
    apart, in ``quoted_words``)."""
    counters = ["speech"]
    if kind != "scare" and role:
        counters += ["speech_attributed", f"speech_role_{role}"]
        if role == "anonymous":
            counters.append("speech_anonymous")
    if cue_kind:
        counters.append("cues")
        if cue_kind == "loaded":
            counters.append("cues_loaded")
    return tuple(counters)


def quoted_words(kind: str, text: str) -> int:
    return len(text.split()) if kind in QUOTED_KINDS else 0


def mentions(target: sentiment.Target, sentence_text: str) -> bool:
    """Whether a sentence mentions a target."""
    return target.pattern.search(sentence_text) is not None


def target_tone(target: sentiment.Target, sentence_text: str) -> float | None:
    """A sentence's tone toward a target: the mean of ``tone.target_tone`` over the target's mentions in it (what
    the sentence says about the target, not the sentence's own tone); None when it does not mention the target.

    On NewsMTSC sentences its recipe's 80% model never saw (people's judgements of the tone toward a named person), the old
    rule, the sentence's own VADER compound, scored macro-F1 0.505; this one scores 0.664 (docs/benchmarks.md)."""
    spans = tone.find_mentions(target, sentence_text)
    if not spans:
        return None
    return math.fsum(tone.target_tone(sentence_text, start, end)[0] for start, end in spans) / len(spans)


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


def measures(categories: list[tuple[str, str]], target_names: list[str] = (),
             coders: list[tuple[str, list[str]]] = ()) -> list[Measure]:
    """Every measure, for the given (lexicon, category) pairs, targets and coders ((name, labels) of coders
    applied with ``framing analyze --coder``), in the order of the tables."""
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
        named = LEXICON_NAMES.get(lexicon, lexicon)
        out.append(Measure(f"rate_{lexicon}", f"hits_{lexicon}", "words", 1000.0, "rate", lexicon, "", "all",
                           f"{named} per 1,000 words"))
        for side in MEASURE_VOICES:
            out.append(Measure(f"rate_{lexicon}_{side}", f"hits_{lexicon}_{side}", "words", 1000.0, "rate", lexicon,
                               "", side, f"{named} per 1,000 words, {_side_words(side)}"))
    for lexicon, lexicon_categories in by_lexicon.items():
        for category in lexicon_categories:
            stem, what = f"{lexicon}_{category}", f"{LEXICON_NAMES.get(lexicon, lexicon)}: {category.replace('_', ' ')}"
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
    out += [
        Measure("share_text_quoted", "quoted_words", "words", 1.0, "sources",
                label="share of the words inside quotation marks given to someone"),
        Measure("share_anonymous", "speech_anonymous", "speech_attributed", 1.0, "sources",
                label="share of reported speech given to an anonymous source"),
        Measure("share_loaded_cues", "cues_loaded", "cues", 1.0, "sources",
                label="share of reporting words that judge the speaker or the claim (claimed, admitted, ...)"),
    ]
    for role in speaker_roles():
        out.append(Measure(f"share_role_{role}", f"speech_role_{role}", "speech_attributed", 1.0, "sources",
                           label=f"share of reported speech given to: {role.replace('_', ' ')}", in_documents=False))
    for name in target_names:
        out.append(Measure(f"target_{name}_sentiment", f"target_{name}_sentiment_sum", f"target_{name}_mentions",
                           1.0, "target", label=f"mean tone toward {name} of the sentences mentioning it"))
        out.append(Measure(f"target_{name}_share", f"target_{name}_mentions", "sentences", 1.0, "target",
                           label=f"share of sentences mentioning {name}"))
    for name, labels in coders:
        for label in labels:
            out.append(Measure(coder_share(name, label), coder_count(name, label), "sentences", 1.0,
                               "coder", label=f"share of sentences the coder {name} labels {label}"))
    return out


def coder_slug(label) -> str:
    """A coder's label as part of a column name: lower case, runs of other characters as one ``_``."""
    return re.sub(r"[^0-9a-z]+", "_", str(label).strip().lower()).strip("_")


# a coder's name and its label are joined by two underscores: both are slugs (no "__" inside), so a reader
# (views.term) can tell the coder "frame_x" labelling "yes" from a coder "frame" labelling "x_yes"
def coder_share(name: str, label) -> str:
    """The measure of the share of sentences a coder gave a label: ``share_coder_<name>__<label>``."""
    return f"share_coder_{name}__{coder_slug(label)}"


def coder_count(name: str, label) -> str:
    """The count column of the sentences a coder gave a label (the sentences' ``coder_<name>_label``)."""
    return f"coder_{name}__{coder_slug(label)}"


def speaker_roles() -> list[str]:
    """The roles of lexicons/roles.tsv, in the order they first appear."""
    return list(dict.fromkeys(e.category for e in lex.packaged_lexicon("roles").entries))


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


def analyze_document(document: Document, setup: Setup) -> tuple[dict, list[tuple], list[tuple], list[tuple]]:
    """One document to its row of ``documents`` and its rows of ``sentences``, ``hits`` and ``quotes``.

    Rows are tuples in the order of SENTENCE_COLUMNS, HIT_COLUMNS and QUOTE_COLUMNS: at a million documents,
    building a dict per row cost as much as splitting the text into sentences.
    """
    text = document.text
    doc_id = document.doc_id
    spans = segment.split_sentences(text)
    speech = voice.find_speech(text, spans)
    starts = [span.start for span in spans]
    bisect_right = bisect.bisect_right

    def sentence_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1) + 1

    # quotation marks given to someone, in text order: one sweep over the sentences, not S x Q
    quoted = [row for row in speech if row.kind in QUOTED_KINDS]
    score = sentiment.compound
    sentence_rows = []
    n_words = n_in_quote = 0
    first_open = 0
    for number, (start, end) in enumerate(spans, start=1):
        sentence_text = text[start:end]
        while first_open < len(quoted) and quoted[first_open].mark_end <= start:
            first_open += 1
        inside = 0
        index = first_open
        while index < len(quoted) and quoted[index].mark_start < end:
            inside += max(0, min(quoted[index].mark_end, end) - max(quoted[index].mark_start, start))
            index += 1
        compound = score(sentence_text)
        words = len(sentence_text.split())  # segment.count_words, inlined: it runs once per sentence
        in_quote = inside * 2 > (end - start)
        sentence_rows.append((doc_id, number, start, end, sentence_text, compound, words, in_quote))
        n_words += words
        n_in_quote += in_quote

    hit_rows = []
    for hit in lex.find_hits(setup.matcher, text):
        row = speech_at(speech, hit.start, hit.end) if speech else None
        hit_rows.append((doc_id, sentence_of(hit.start), hit.start, hit.end, hit.matched, hit.lexicon, hit.category,
                         hit.entry, _VOICE_OF_KIND[row.kind] if row else "author", row.kind if row else "",
                         hit.explanation, hit.not_when))
    for row in speech:
        if row.kind == "scare":
            hit_rows.append((doc_id, sentence_of(row.mark_start), row.mark_start, row.mark_end,
                             text[row.mark_start:row.mark_end], SCARE_QUOTE[0], SCARE_QUOTE[1], "scare quote",
                             "author", "scare", segment.SCARE_QUOTE_EXPLANATION, ""))
    hit_rows.sort(key=_hit_order)
    quote_rows = [(doc_id, number, row.start, row.end, text[row.start:row.end], row.kind, row.speaker,
                   row.speaker_start, row.speaker_end, row.speaker_name, row.speaker_role, row.cue, row.cue_start,
                   row.cue_end, row.cue_kind, sentence_of(row.start))
                  for number, row in enumerate(speech, start=1)]

    counts = document_counts(sentence_rows, hit_rows, quote_rows, setup.targets, n_words=n_words,
                             n_in_quote=n_in_quote)
    row = {
        "doc_id": document.doc_id, "source": document.source, "format": document.format,
        "outlet": document.outlet, "title": document.title, "author": document.author, "date": document.date,
        "url": document.url, "n_words": n_words, "n_sentences": len(spans),
        "n_quotes": len(quoted),
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
    return row, sentence_rows, hit_rows, quote_rows


def document_counts(sentence_rows: list[tuple], hit_rows: list[tuple], quote_rows: list[tuple],
                    targets: list[sentiment.Target], *, n_words: int, n_in_quote: int) -> dict:
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
    counts["quoted_words"] = 0
    for row in quote_rows:  # kind, speaker_role, cue_kind at 5, 10, 14 (QUOTE_COLUMNS)
        for key in speech_counters(row[5], row[10], row[14]):
            counts[key] = counts.get(key, 0) + 1
        counts["quoted_words"] += quoted_words(row[5], row[4])
    for target in targets:
        tones = [t for r in sentence_rows if (t := target_tone(target, r[4])) is not None]
        counts[f"target_{target.name}_mentions"] = len(tones)
        counts[f"target_{target.name}_sentiment_sum"] = math.fsum(tones)
    return add_derived(counts)


# ---- many sentences: counts per sentence, values per group ------------------------------------------------

def sentence_counts(sentences: pd.DataFrame, hits: pd.DataFrame, targets: list[sentiment.Target],
                    quotes: pd.DataFrame | None = None) -> pd.DataFrame:
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
    for (lexicon, category, voice_name), found in triples:
        tally = np.bincount(found.to_numpy(dtype=np.int64), minlength=n).astype(float)
        for counter in hit_counters(str(lexicon), str(category), str(voice_name)):
            columns[counter] = columns[counter] + tally if counter in columns else tally
    attributed = hits.loc[hits["lexicon"] == "attribution", "row"].to_numpy(dtype=np.int64)
    columns["attributed_sentences"] = (np.bincount(attributed, minlength=n) > 0).astype(float)
    if quotes is not None and len(quotes):
        rows = key.get_indexer(pd.MultiIndex.from_arrays([quotes["doc_id"].astype(str),
                                                          quotes["sentence_no"].astype(int)]))
        quotes = quotes.assign(row=rows)[rows >= 0]
        for (kind, role, cue), found in quotes.groupby(["kind", "speaker_role", "cue_kind"])["row"]:
            tally = np.bincount(found.to_numpy(dtype=np.int64), minlength=n).astype(float)
            for counter in speech_counters(str(kind), str(role), str(cue)):
                columns[counter] = columns[counter] + tally if counter in columns else tally
        words = [quoted_words(k, t) for k, t in zip(quotes["kind"].astype(str), quotes["text"].astype(str))]
        columns["quoted_words"] = np.bincount(quotes["row"].to_numpy(dtype=np.int64), weights=words, minlength=n)
    texts = sentences["text"].astype(str)
    for target in targets:
        tones = np.array([math.nan if (t := target_tone(target, text)) is None else t for text in texts], dtype=float)
        mentioned = ~np.isnan(tones)
        columns[f"target_{target.name}_mentions"] = mentioned.astype(float)
        columns[f"target_{target.name}_sentiment_sum"] = np.where(mentioned, tones, 0.0)
    for column in sentences.columns:  # coders applied with framing analyze --coder: a count per label
        if column.startswith("coder_") and column.endswith("_label"):
            name = column[len("coder_"):-len("_label")]
            labels = sentences[column].astype(str).to_numpy()
            for label in sorted(set(labels)):
                columns[coder_count(name, label)] = (labels == label).astype(float)
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


def analysis_coders(analysis: Analysis) -> list[tuple[str, list[str]]]:
    """The coders applied to an analysis (run.json's ``coders``), as (name, labels)."""
    return [(str(name), [str(label) for label in record.get("labels", [])])
            for name, record in (analysis.run.get("coders") or {}).items()]


def analysis_measures(analysis: Analysis) -> list[Measure]:
    return measures(analysis_categories(analysis), [t.name for t in analysis_targets(analysis)],
                    analysis_coders(analysis))


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


def select_group(analysis: Analysis, group_by: str, group: str) -> Analysis:
    """The documents of one group (``group_column``'s names) and their rows of every table."""
    from dataclasses import replace

    documents = analysis.documents[(group_column(analysis, group_by) == str(group)).to_numpy()]
    keep = set(documents["doc_id"].astype(str))

    def rows(frame):
        if frame is None or "doc_id" not in frame:
            return frame
        return frame[frame["doc_id"].astype(str).isin(keep)].reset_index(drop=True)

    return replace(analysis, documents=documents.reset_index(drop=True), sentences=rows(analysis.sentences),
                   hits=rows(analysis.hits), quotes=rows(analysis.quotes),
                   texts={k: v for k, v in (analysis.texts or {}).items() if str(k) in keep})


def sentence_groups(analysis: Analysis, group_by: str) -> pd.Series:
    """The group of every row of ``analysis.sentences`` (same index)."""
    mapping = dict(zip(analysis.documents["doc_id"].astype(str), group_column(analysis, group_by)))
    return analysis.sentences["doc_id"].astype(str).map(mapping).fillna("(unknown document)")


def group_values(analysis: Analysis, group_by: str = "outlet", *, recipe: list[Measure] | None = None
                 ) -> pd.DataFrame:
    """Every measure per group (rows: groups, sorted; columns: measures), each the ratio of the group's sums."""
    import pandas as pd

    recipe = analysis_measures(analysis) if recipe is None else recipe
    counts = counts_for(sentence_counts(analysis.sentences, analysis.hits, analysis_targets(analysis),
                                        analysis.quotes), recipe)
    sums = counts.groupby(sentence_groups(analysis, group_by).reset_index(drop=True).to_numpy()).sum()
    return pd.DataFrame({m.name: ratio(sums[m.numerator].to_numpy(), sums[m.denominator].to_numpy(), m.scale)
                         for m in recipe}, index=sums.index.astype(str))
