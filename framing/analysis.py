"""The analysis: every document and sentence measured, as tidy tables.

``analyze(...)`` is the one entry point notebooks and the command line use. It returns an ``Analysis`` of
pandas DataFrames (documents, sentences, hits, errors) plus the run record that makes results reproducible.
"""

from __future__ import annotations

import bisect
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING

import framing
from framing import lexicons as lex
from framing import segment, sentiment
from framing.model import Analysis, Corpus, Document, IngestError

if TYPE_CHECKING:
    import pandas as pd
# pandas is imported where tables are built, not with the module: worker processes import this module for
# analyze_document and never build a table, and pandas is 90 MiB of each worker's memory

DOCUMENT_COLUMNS = ["doc_id", "source", "format", "outlet", "title", "author", "date", "url", "n_words",
                    "n_sentences"]
SENTENCE_COLUMNS = ["doc_id", "sentence_no", "start", "end", "text", "sentiment", "n_words", "in_quote"]
HIT_COLUMNS = ["doc_id", "sentence_no", "start", "end", "matched", "lexicon", "category", "entry", "voice",
               "quote_kind", "explanation"]
ERROR_COLUMNS = ["source", "reason"]
VOICES = ("author", "quote", "scare_quote")
SCARE_QUOTE = ("loaded", "scare_quote")  # scare quotes count as loaded language, in their own category
MOST_NEGATIVE_N = 3
_SENTENCE_NO, _TEXT, _SENTIMENT = (SENTENCE_COLUMNS.index(c) for c in ("sentence_no", "text", "sentiment"))
_START, _LEXICON, _CATEGORY, _VOICE = (HIT_COLUMNS.index(c) for c in ("start", "lexicon", "category", "voice"))


def _hit_order(row: tuple) -> tuple:
    return row[_START], row[_LEXICON]


@dataclass
class Setup:
    """Everything built once per process and reused for every document."""
    lexicons: list[lex.Lexicon]
    matcher: lex.Matcher
    targets: list[sentiment.Target]
    categories: list[tuple[str, str]]  # (lexicon, category) pairs, in a stable order, for rate columns


def make_setup(*, lexicon_files=(), targets=None) -> Setup:
    lexicons = lex.load_lexicons(list(lexicon_files))
    categories = sorted({(lx.name, e.category) for lx in lexicons for e in lx.entries} | {SCARE_QUOTE})
    return Setup(lexicons, lex.build_matcher(lexicons), sentiment.parse_targets(targets), categories)


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

    row = {
        "doc_id": document.doc_id, "source": document.source, "format": document.format,
        "outlet": document.outlet, "title": document.title, "author": document.author, "date": document.date,
        "url": document.url, "n_words": n_words, "n_sentences": len(spans),
        "n_quotes": sum(1 for q in quotes if q.kind != "scare"),
        "share_quoted": _share(n_in_quote, len(sentence_rows)),
        "sentiment_mean": statistics.fmean(scores) if scores else float("nan"),
        "share_negative": _share(sum(1 for s in scores if s <= sentiment.NEGATIVE_THRESHOLD), len(scores)),
        "share_positive": _share(sum(1 for s in scores if s >= sentiment.POSITIVE_THRESHOLD), len(scores)),
    }
    negative = sorted((r for r in sentence_rows if r[_SENTIMENT] <= sentiment.NEGATIVE_THRESHOLD),
                      key=lambda r: (r[_SENTIMENT], r[_SENTENCE_NO]))[:MOST_NEGATIVE_N]
    row["most_negative_sentence_nos"] = ";".join(str(r[_SENTENCE_NO]) for r in negative)
    row["most_negative_sentence"] = negative[0][_TEXT] if negative else ""

    per_1000 = 1000.0 / n_words if n_words else float("nan")
    counts: dict[tuple, int] = {}
    for hit in hit_rows:  # a voice and a category may share a name (scare_quote): keep their keys apart
        lexicon = hit[_LEXICON]
        for key in (("all", lexicon), ("category", lexicon, hit[_CATEGORY]), ("voice", lexicon, hit[_VOICE])):
            counts[key] = counts.get(key, 0) + 1
    for name in sorted({lexicon for lexicon, _ in setup.categories}):
        row[f"rate_{name}"] = counts.get(("all", name), 0) * per_1000
        for voice in VOICES:
            row[f"rate_{name}_voice_{voice}"] = counts.get(("voice", name, voice), 0) * per_1000
    for name, category in setup.categories:
        row[f"rate_{name}_{category}"] = counts.get(("category", name, category), 0) * per_1000

    for target in setup.targets:
        mentioned = [r[_SENTIMENT] for r in sentence_rows if target.pattern.search(r[_TEXT])]
        row[f"target_{target.name}_n"] = len(mentioned)
        row[f"target_{target.name}_sentiment"] = statistics.fmean(mentioned) if mentioned else float("nan")

    row["n_removed_lines"] = len(document.removed)
    row["warnings"] = " | ".join(document.warnings)
    return row, sentence_rows, hit_rows


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def analyze(corpus, *, lexicons=(), targets=None, columns: dict | None = None, metadata=None,
            progress: bool = False, jobs: int = 1, engine: str = "local", scheduler: str | None = None) -> Analysis:
    """Analyse a corpus: paths (files, directories, globs), a ``Corpus``, or a list of ``Document``.

    ``lexicons`` are extra lexicon files (TSV/CSV/YAML/.dic); ``targets`` is a spec such as
    ``"Albania=Albania|Albanian|Albanians; NATO"``. ``jobs`` worker processes (or ``engine="dask"``) analyse
    paths in parallel; the rows are the same, in the same order, whatever the number of jobs.
    """
    if not (isinstance(corpus, Corpus) or (isinstance(corpus, list) and corpus
                                           and all(isinstance(d, (Document, IngestError)) for d in corpus))):
        from framing.pipeline import analyze_paths

        return analyze_paths(corpus, lexicons=lexicons, targets=targets, columns=columns, metadata=metadata,
                             jobs=jobs, engine=engine, scheduler=scheduler, progress=progress)
    started = time.time()
    setup = make_setup(lexicon_files=lexicons, targets=targets)
    items = [*corpus.documents, *corpus.errors] if isinstance(corpus, Corpus) else corpus
    doc_rows, sentence_rows, hit_rows, error_rows, texts = [], [], [], [], {}
    for item in items:
        if isinstance(item, IngestError):
            error_rows.append({"source": item.source, "reason": item.reason})
            continue
        row, sentences, hits = analyze_document(item, setup)
        doc_rows.append(row)
        sentence_rows.extend(sentences)
        hit_rows.extend(hits)
        texts[item.doc_id] = item.text

    import pandas as pd

    documents = pd.DataFrame(doc_rows)
    if documents.empty:
        documents = pd.DataFrame(columns=DOCUMENT_COLUMNS)
    run = run_record(setup, options={"lexicons": [str(p) for p in lexicons], "targets": targets,
                                     "columns": columns or {}, "metadata": str(metadata) if metadata else None},
                     started=started, n_documents=len(doc_rows), n_errors=len(error_rows))
    return Analysis(documents=documents,
                    sentences=pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS),
                    hits=pd.DataFrame(hit_rows, columns=HIT_COLUMNS),
                    errors=pd.DataFrame(error_rows, columns=ERROR_COLUMNS),
                    run=run, texts=texts)


def _versions() -> dict:
    names = ("framing", "pandas", "nltk", "vaderSentiment", "trafilatura", "scikit-learn", "matplotlib",
             "papermill")
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            found[name] = None
    return found


def run_record(setup: Setup, *, options: dict, started: float, n_documents: int, n_errors: int,
               arguments: list[str] | None = None) -> dict:
    return {
        "framing_version": framing.__version__,
        "arguments": arguments if arguments is not None else sys.argv[1:],
        "options": options,
        "started": datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds"),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 3),
        "versions": _versions(),
        "sentiment": sentiment.vader_provenance(),
        "lexicons": lex.lexicon_checksums(setup.lexicons),
        "targets": {t.name: list(t.aliases) for t in setup.targets},
        "n_documents": n_documents,
        "n_errors": n_errors,
    }


def write_tables(analysis: Analysis, out: str | os.PathLike) -> Path:
    """documents.csv, sentences.csv, hits.csv, errors.csv, texts.jsonl and run.json in ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    analysis.documents.to_csv(out / "documents.csv", index=False)
    analysis.sentences.to_csv(out / "sentences.csv", index=False)
    analysis.hits.to_csv(out / "hits.csv", index=False)
    analysis.errors.to_csv(out / "errors.csv", index=False)
    with open(out / "texts.jsonl", "w", encoding="utf-8") as handle:  # cleaned texts: offsets point into them
        for doc_id, text in analysis.texts.items():
            handle.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    (out / "run.json").write_text(json.dumps(analysis.run, indent=2, default=str) + "\n", encoding="utf-8")
    return out
