"""The output files of an analysis: their names, their columns, writing them and reading them back.

This module is the one owner of the files framing writes in an output folder. A run appends each unit's rows as
they come (``CsvTables``), or writes one Parquet part per unit; ``write_tables`` writes an in-memory
``Analysis`` with the same encoder (the same bytes); ``load_analysis`` reads either back.

Workers import this module to encode their rows: it must not import pandas at module level.

Files (CSV format; with ``--format parquet`` each table is a folder of parts instead, ``documents/part-000000.parquet``):

- ``documents.csv``: one row per document (``SCHEMAS["documents"]``, then one column per measure of
  ``framing.measure.measures``: rates per 1,000 words, shares, balances, target tones)
- ``sentences.csv``: one row per sentence (``SCHEMAS["sentences"]``)
- ``hits.csv``: one row per lexicon hit and scare quote (``SCHEMAS["hits"]``)
- ``quotes.csv``: one row per piece of reported speech: quotations, partial quotes, indirect speech, scare quotes
  (``SCHEMAS["quotes"]``)
- ``errors.csv``: one row per input, line or record that could not be read (``SCHEMAS["errors"]``)
- ``texts.jsonl``: the cleaned text of each document (``{"doc_id": ..., "text": ...}``): offsets point into it
- ``run.json``: what the run was made with (versions, options, lexicon checksums, counts)
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from framing import measure
from framing.errors import TablesNotFoundError
from framing.model import Analysis

if TYPE_CHECKING:
    import pandas as pd

FILES = {"documents": "documents.csv", "sentences": "sentences.csv", "hits": "hits.csv", "quotes": "quotes.csv",
         "errors": "errors.csv", "texts": "texts.jsonl"}
RUN_FILE = "run.json"
ROW_TABLES = ("documents", "sentences", "hits", "quotes", "errors")

# Every column, with its meaning: the one place they are documented (the README points here; a test checks
# that what a run writes is what is listed).
SCHEMAS = {
    "documents": {
        "doc_id": "the document's id: from the input (file name, id column) made safe and unique",
        "source": "where it came from: a path, with #row=N, #N or :LINE for records of a file",
        "format": "the format it was read as (txt, md, html, wordpress, ...)",
        "outlet": "the outlet (column, sidecar metadata.csv, site name or URL host)",
        "title": "the title", "author": "the author", "date": "the date (ISO 8601 where it could be read)",
        "url": "the address",
        "n_words": "words in the cleaned text (white-space separated; the sum over its sentences)",
        "n_sentences": "sentences",
        "n_quotes": "quotations (scare quotes not counted)",
        "share_quoted": "share of sentences mostly inside quotes",
        "sentiment_mean": "mean VADER compound of the sentences (-1 to +1)",
        "share_negative": "share of sentences with compound <= -0.05",
        "share_positive": "share of sentences with compound >= 0.05",
        "most_negative_sentence_nos": "the numbers of the (up to 3) most negative sentences, most negative first",
        "most_negative_sentence": "the text of the most negative sentence",
        "<measures>": "one column per measure of framing.measure.measures: rate_<lexicon>, rate_<lexicon>_author "
                      "(the writer's own words, scare quotes included), rate_<lexicon>_quoted, "
                      "rate_<lexicon>_<category> (hits per 1,000 words), share_attributed, "
                      "hedge_booster_balance[_author], and per target target_<name>_n (sentences mentioning it), "
                      "target_<name>_sentiment, target_<name>_share",
        "n_removed_lines": "lines of site furniture that cleaning removed",
        "warnings": "what reading the document warned about, joined by ' | '",
    },
    "sentences": {
        "doc_id": "the document", "sentence_no": "1, 2, ... within the document",
        "start": "offset of its first character in the cleaned text", "end": "offset after its last character",
        "text": "the sentence", "sentiment": "VADER compound (-1 to +1)", "n_words": "white-space separated words",
        "in_quote": "True when most of it lies inside quotation marks given to someone",
    },
    "hits": {
        "doc_id": "the document", "sentence_no": "the sentence it is in",
        "start": "offset in the cleaned text", "end": "offset after it", "matched": "the words as written",
        "lexicon": "loaded, hedges, boosters, attribution or a user lexicon", "category": "the entry's category",
        "entry": "the lexicon pattern that matched",
        "voice": "author (the writer's words), quote (inside a quotation given to someone, or unattributed), partial "
                 "(inside a few quoted words of a reported statement), indirect (inside reported speech without "
                 "quotation marks) or scare_quote (inside quotation marks the writer puts around words without a "
                 "speaker)",
        "quote_kind": "the kind of reported speech it is in (direct, partial, indirect, unattributed, scare) or empty",
        "explanation": "why the lexicon lists it",
    },
    "quotes": {
        "doc_id": "the document", "quote_no": "1, 2, ... within the document, in text order",
        "start": "offset of the content in the cleaned text: inside the quotation marks, or the reported clause",
        "end": "offset after it", "text": "the content",
        "kind": "direct (a quotation given to a speaker), partial (a few quoted words inside a reported statement), "
                "indirect (reported speech without quotation marks), unattributed (a quotation with no speaker "
                "given), scare (quoted words the writer holds at a distance: no speaker, no reporting statement)",
        "speaker": "the words naming the speaker, as written", "speaker_start": "their offset (-1 if none)",
        "speaker_end": "offset after them (-1 if none)",
        "speaker_name": "whom they refer to, resolved through the document ('he' -> the last person who spoke); "
                        "empty where the text does not make it clear",
        "speaker_role": "police, government, politician, courts, expert, ngo, accused, victim_witness, public, media, "
                        "business or anonymous (lexicons/roles.tsv); empty if none",
        "cue": "the reporting words (said, told reporters, according to, claimed)", "cue_start": "their offset",
        "cue_end": "offset after them", "cue_kind": "neutral, loaded or anonymous (lexicons/attribution.tsv)",
        "sentence_no": "the sentence the content starts in",
    },
    "errors": {"source": "the input, with :LINE or #row=N where it is one record", "reason": "why it was skipped"},
}
DOCUMENT_COLUMNS = [c for c in SCHEMAS["documents"] if c != "<measures>"]  # the header of a run without documents
SENTENCE_COLUMNS = list(measure.SENTENCE_COLUMNS)
HIT_COLUMNS = list(measure.HIT_COLUMNS)
QUOTE_COLUMNS = list(measure.QUOTE_COLUMNS)
ERROR_COLUMNS = list(SCHEMAS["errors"])
COLUMNS = {"sentences": SENTENCE_COLUMNS, "hits": HIT_COLUMNS, "quotes": QUOTE_COLUMNS, "errors": ERROR_COLUMNS}
# columns read back as text, "" for missing (an all-empty column would otherwise read as floats)
TEXT_COLUMNS = {
    "documents": ("doc_id", "outlet", "title", "author", "date", "url", "source", "format", "warnings",
                  "most_negative_sentence", "most_negative_sentence_nos"),
    "sentences": ("doc_id", "text"),
    "hits": ("doc_id", "matched", "lexicon", "category", "entry", "voice", "quote_kind", "explanation"),
    "quotes": ("doc_id", "text", "kind", "speaker", "speaker_name", "speaker_role", "cue", "cue_kind"),
    "errors": ("source", "reason"),
}


# ---- encoding rows (workers) -----------------------------------------------------------------------------

class _Sink:
    """A write() target for csv.writer that keeps the rows as UTF-8 and their length in bytes (offsets of each
    document's rows). Bytes rather than str: the tables are written as UTF-8 anyway, and one curly quote in a
    unit makes a joined str take two bytes a character (a unit's 7 MB of rows held as 14 MB, then encoded)."""

    def __init__(self):
        # one growing buffer, not a list of row strings joined at the end: that held a unit's rows twice, plus
        # an object per row (a unit's passing memory is what the 200 MB / 20 MB peak ratio measures)
        self.buffer = io.BytesIO()

    @property
    def size(self) -> int:
        return self.buffer.tell()

    def write(self, text: str) -> None:
        self.buffer.write(text.encode("utf-8"))

    def data(self) -> bytes:
        return self.buffer.getvalue()


def cell(value):
    """A value as the CSV tables hold it: missing (None, NaN) as an empty cell, as pandas writes NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value


def csv_bytes(rows) -> bytes:
    sink = _Sink()
    csv.writer(sink).writerows(rows)
    return sink.data()


def text_record(doc_id: str, text: str) -> str:
    return json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n"


class UnitRows:
    """The rows of one unit of work, encoded as the tables hold them (CSV rows, texts as JSON lines), with the
    (start, end) of each document's rows in each table, so that a document whose id changes can be rewritten
    alone. Formatting CSV in the workers leaves the client only writing bytes (it was half the client's work)."""

    def __init__(self):
        self.sinks = {table: _Sink() for table in ("documents", "sentences", "hits", "quotes", "texts")}
        self.writers = {table: csv.writer(self.sinks[table]) for table in ("documents", "sentences", "hits", "quotes")}
        self.hints: list[str] = []  # each document's id as the worker gave it (the client may change it)
        self.spans: list[dict[str, tuple[int, int]]] = []
        self.document_columns: list[str] = []
        self.errors: list[tuple[str, str]] = []

    def add_document(self, row: dict, sentences: list[tuple], hits: list[tuple], quotes: list[tuple],
                     text: str) -> None:
        if not self.document_columns:
            self.document_columns = list(row)
        spans = {}
        for table, rows in (("documents", [[cell(value) for value in row.values()]]),
                            ("sentences", sentences), ("hits", hits), ("quotes", quotes)):
            start = self.sinks[table].size
            self.writers[table].writerows(rows)
            spans[table] = (start, self.sinks[table].size)
        start = self.sinks["texts"].size
        self.sinks["texts"].write(text_record(row["doc_id"], text))
        spans["texts"] = (start, self.sinks["texts"].size)
        self.hints.append(row["doc_id"])
        self.spans.append(spans)

    def add_error(self, source: str, reason: str) -> None:
        self.errors.append((source, reason))

    def encoded(self) -> dict[str, bytes]:
        tables = {table: sink.data() for table, sink in self.sinks.items()}
        tables["errors"] = csv_bytes(self.errors)
        return tables


def rename_documents(tables: dict[str, bytes], hints: list[str], spans: list[dict], ids: list[str]
                     ) -> dict[str, bytes]:
    """A unit's encoded tables with the final ids: as they are, unless an id had to change (two inputs with one
    name): then that document's rows, and only those, are parsed and written again."""
    if ids == hints:
        return tables
    out = {"errors": tables["errors"]}
    for table in ("documents", "sentences", "hits", "quotes", "texts"):
        data = tables[table]
        pieces, cursor = [], 0
        for doc_id, hint, span in zip(ids, hints, spans):
            start, end = span[table]
            pieces.append(data[cursor:start])
            chunk = data[start:end]
            if doc_id != hint:
                chunk = _renamed(chunk, doc_id, jsonl=table == "texts")
            pieces.append(chunk)
            cursor = end
        pieces.append(data[cursor:])
        out[table] = b"".join(pieces)
    return out


def _renamed(chunk: bytes, doc_id: str, *, jsonl: bool) -> bytes:
    text = chunk.decode("utf-8")
    sink = _Sink()
    if jsonl:
        for line in text.split("\n")[:-1]:  # not splitlines: a raw U+2028 inside a JSON string is no line end
            sink.write(json.dumps({**json.loads(line), "doc_id": doc_id}, ensure_ascii=False) + "\n")
    else:
        csv.writer(sink).writerows([doc_id, *row[1:]] for row in csv.reader(io.StringIO(text, newline="")))
    return sink.data()


# ---- writing a run's files (the client) -------------------------------------------------------------------

def replace_text(path: Path, text: str) -> None:
    """Write a small file aside, then rename it over: an interruption leaves the old file whole, not half of one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_run(out: Path, run: dict) -> None:
    replace_text(Path(out) / RUN_FILE, json.dumps(run, indent=2, default=str) + "\n")


class CsvTables:
    """The CSV tables of a run, each unit appended in order as it comes (no parts joined at the end: that was a
    serial copy of every table, 3 s of a 55 s run). ``sizes()`` after each unit goes to the run's manifest; a
    resumed run cuts off whatever an interruption left half-written after them."""

    def __init__(self, out: Path, sizes: dict[str, int] | None):
        self.handles = {}
        for table, name in FILES.items():
            if sizes is None:
                handle = open(out / name, "wb")
            else:
                handle = open(out / name, "r+b")
                handle.truncate(sizes[table])
                handle.seek(sizes[table])
            self.handles[table] = handle
        if sizes is None:
            for table, header in COLUMNS.items():
                self.handles[table].write(csv_bytes([header]))

    def write_unit(self, tables: dict[str, bytes], document_columns: list[str]) -> None:
        if document_columns and self.handles["documents"].tell() == 0:
            # the first unit with documents gives the header: the rate columns depend on the lexicons
            self.handles["documents"].write(csv_bytes([document_columns]))
        for table in ("documents", "sentences", "hits", "quotes", "texts", "errors"):
            self.handles[table].write(tables[table])

    def sizes(self) -> dict[str, int]:
        for handle in self.handles.values():
            handle.flush()
        return {table: handle.tell() for table, handle in self.handles.items()}

    def finish(self, errors: list[tuple[str, str]]) -> None:
        """The planner's errors last, and a header for a run without documents."""
        if self.handles["documents"].tell() == 0:
            self.handles["documents"].write(csv_bytes([DOCUMENT_COLUMNS]))
        self.handles["errors"].write(csv_bytes(errors))

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def part_name(index: int) -> str:
    return f"part-{index:06d}"


def write_parquet_unit(out: Path, index: int, tables: dict[str, bytes], document_columns: list[str]) -> None:
    """One unit's rows as one Parquet part per table (read from the same encoded rows as the CSV tables, so the
    two formats hold the same values and types)."""
    name = part_name(index)
    for table in ROW_TABLES:
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        header = document_columns if table == "documents" else COLUMNS[table]
        if tables[table] and header:  # an empty part has no column types and would break reading the folder
            frame = read_csv_table(table, io.BytesIO(csv_bytes([header]) + tables[table]))
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    folder = out / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.jsonl").write_bytes(tables["texts"])


def write_parquet_errors(out: Path, errors: list[tuple[str, str]]) -> None:
    """The planner's errors, as their own part."""
    if errors:
        folder = out / "errors"
        folder.mkdir(parents=True, exist_ok=True)
        read_csv_table("errors", io.BytesIO(csv_bytes([ERROR_COLUMNS, *errors]))).to_parquet(
            folder / "part-planning.parquet", index=False)


def written_doc_ids(out: Path, *, parquet_units: int | None = None):
    """The ids already in the tables of an interrupted run, read in chunks (a resumed run replays them):
    from documents.csv, or from the first ``parquet_units`` Parquet parts."""
    import pandas as pd

    if parquet_units is not None:
        for index in range(parquet_units):
            path = out / "documents" / f"{part_name(index)}.parquet"
            if path.exists():
                yield from pd.read_parquet(path, columns=["doc_id"])["doc_id"].astype(str).tolist()
        return
    path = out / FILES["documents"]
    if path.stat().st_size == 0:
        return
    for chunk in pd.read_csv(path, usecols=["doc_id"], dtype=str, keep_default_na=False, chunksize=100_000):
        yield from chunk["doc_id"].tolist()


def count_parquet(out: Path, n_units: int) -> tuple[int, int]:
    """Documents and errors in the Parquet parts of a finished run."""
    import pyarrow.parquet as pq

    counts = {"documents": 0, "errors": 0}
    for table in counts:
        for name in [part_name(index) for index in range(n_units)] + ["part-planning"]:
            path = out / table / f"{name}.parquet"
            counts[table] += pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
    return counts["documents"], counts["errors"]


def write_tables(analysis: Analysis, out: str | os.PathLike) -> Path:
    """An in-memory ``Analysis`` as CSV tables, texts.jsonl and run.json in ``out`` (the bytes a run writes)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    quotes = analysis.quotes if analysis.quotes is not None else pd.DataFrame(columns=QUOTE_COLUMNS)
    frames = {"documents": analysis.documents, "sentences": analysis.sentences, "hits": analysis.hits,
              "quotes": quotes, "errors": analysis.errors}
    for table, frame in frames.items():
        header = list(frame.columns) if table == "documents" and len(frame.columns) else \
            DOCUMENT_COLUMNS if table == "documents" else COLUMNS[table]
        rows = ([cell(value) for value in row] for row in frame[header].itertuples(index=False, name=None)) \
            if len(frame) else ()
        with open(out / FILES[table], "wb") as handle:
            handle.write(csv_bytes([header]))
            handle.write(csv_bytes(rows))
    with open(out / FILES["texts"], "w", encoding="utf-8") as handle:
        for doc_id, text in analysis.texts.items():
            handle.write(text_record(doc_id, text))
    write_run(out, analysis.run)
    return out


# ---- reading back ---------------------------------------------------------------------------------------

def read_csv_table(table: str, source) -> pd.DataFrame:
    """One table from CSV (a path or a binary stream): ids stay strings ("001"), text columns hold "" for
    missing values, numbers and True/False as written."""
    import pandas as pd

    frame = pd.read_csv(source, keep_default_na=False, na_values=[""], dtype={"doc_id": str})
    for column in TEXT_COLUMNS[table]:
        if column in frame:
            frame[column] = _as_text(frame[column])
    return frame


def _as_text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str)


def load_analysis(folder: str | os.PathLike) -> Analysis:
    """Read back the tables ``framing analyze`` wrote (CSV files or Parquet folders), so a notebook need not
    re-read the corpus."""
    import pandas as pd

    folder = Path(folder)
    if not (folder / FILES["documents"]).is_file() and not (folder / "documents").is_dir():
        raise TablesNotFoundError(f"{folder}: no {FILES['documents']} here; run `framing analyze ... --out {folder}` "
                                  f"first")

    def read(table: str) -> pd.DataFrame:
        path = folder / FILES[table]
        if path.is_file():
            return read_csv_table(table, path)  # (tables written before quotes.csv existed read as no quotes)
        parts = sorted((folder / table).glob("*.parquet"))
        if not parts:
            return pd.DataFrame(columns=DOCUMENT_COLUMNS if table == "documents" else COLUMNS[table])
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        return frame.astype({"doc_id": str}) if "doc_id" in frame else frame

    texts = {}
    text_files = [folder / FILES["texts"]] if (folder / FILES["texts"]).is_file() else sorted(
        (folder / "texts").glob("*.jsonl"))
    for path in text_files:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                texts[record["doc_id"]] = record["text"]
    return Analysis(documents=read("documents"), sentences=read("sentences"), hits=read("hits"),
                    errors=read("errors"), run=json.loads((folder / RUN_FILE).read_text(encoding="utf-8")),
                    texts=texts, quotes=read("quotes"))
