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

Beside them framing keeps ``.framing-owned`` (what in the folder is framing's: only that is ever replaced or
removed, and input walks skip it), ``.framing-lock`` while a run writes there, and ``.framing-work/`` (the new
tables until the run has finished; an interrupted run's, for ``--resume``). See docs/guarantees.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import stat
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from framing import measure
from framing.errors import (OutputLockedError, OutputNotOwnedError, RunError, StaleLockWarning,
                            TablesNotFoundError)
from framing.model import Analysis
from framing.read import OWNER_MARKER, read_marker

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
                      "target_<name>_sentiment, target_<name>_share, and per coder applied (--coder) "
                      "share_coder_<name>__<label>",
        "n_removed_lines": "lines of site furniture that cleaning removed",
        "warnings": "what reading the document warned about, joined by ' | '",
    },
    "sentences": {
        "doc_id": "the document", "sentence_no": "1, 2, ... within the document",
        "start": "offset of its first character in the cleaned text", "end": "offset after its last character",
        "text": "the sentence", "sentiment": "VADER compound (-1 to +1)", "n_words": "white-space separated words",
        "in_quote": "True when most of it lies inside quotation marks given to someone",
        "<coders>": "after the columns above, per coder applied with `framing analyze --coder` (framing.coder): "
                    "coder_<name>_label (the label it gives the sentence) and coder_<name>_prob (the coder's "
                    "probability of that label, 0 to 1)",
    },
    "hits": {
        "doc_id": "the document", "sentence_no": "the sentence it is in",
        "start": "offset in the cleaned text", "end": "offset after it", "matched": "the words as written",
        "lexicon": "loaded, evaluative, hedges, boosters, attribution or a user lexicon", "category": "the entry's category",
        "entry": "the lexicon pattern that matched",
        "voice": "author (the writer's words), quote (inside a quotation given to someone, or unattributed), partial "
                 "(inside a few quoted words of a reported statement), indirect (inside reported speech without "
                 "quotation marks) or scare_quote (inside quotation marks the writer puts around words without a "
                 "speaker)",
        "quote_kind": "the kind of reported speech it is in (direct, partial, indirect, unattributed, scare) or empty",
        "explanation": "why the lexicon lists it: what this word does in a news sentence",
        "not_when": "the neutral sense of the word a reader should not count (empty if it has none)",
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
_HIT_TAIL = HIT_COLUMNS.index("lexicon")  # where a hit's columns of its lexicon entry and voice begin
QUOTE_COLUMNS = list(measure.QUOTE_COLUMNS)
ERROR_COLUMNS = list(SCHEMAS["errors"])
COLUMNS = {"sentences": SENTENCE_COLUMNS, "hits": HIT_COLUMNS, "quotes": QUOTE_COLUMNS, "errors": ERROR_COLUMNS}
# columns read back as text, "" for missing (an all-empty column would otherwise read as floats)
TEXT_COLUMNS = {
    "documents": ("doc_id", "outlet", "title", "author", "date", "url", "source", "format", "warnings",
                  "most_negative_sentence", "most_negative_sentence_nos"),
    "sentences": ("doc_id", "text"),
    "hits": ("doc_id", "matched", "lexicon", "category", "entry", "voice", "quote_kind", "explanation",
             "not_when"),
    "quotes": ("doc_id", "text", "kind", "speaker", "speaker_name", "speaker_role", "cue", "cue_kind"),
    "errors": ("source", "reason"),
}


# ---- spreadsheet formulas ---------------------------------------------------------------------------------

# A cell that starts with one of these is run as a formula by Excel, LibreOffice or Google Sheets (OWASP, "CSV
# Injection"): a title "=HYPERLINK(...)" in a scraped corpus would run when a journalist opens documents.csv.
FORMULA_STARTS = frozenset("=+-@\t\r")
_RISKY_STARTS = FORMULA_STARTS | {"'"}
_NEUTRALIZED = re.compile(r"'+[=+\-@\t\r]")  # what neutralize_formula leaves: quotes, then a formula start


def neutralize_formula(value):
    """A text cell as the CSV tables hold it by default: text a spreadsheet would run as a formula gets a leading
    ``'`` (what OWASP advises; spreadsheets then show it as text). Text that already starts with quotes before
    such a character gets one more quote, so that ``restore_formula`` always gives back the exact text. Numbers are not
    text and are never touched (``-0.45`` stays a number)."""
    if isinstance(value, str) and value[:1] in _RISKY_STARTS and (value[0] != "'" or _NEUTRALIZED.match(value)):
        return "'" + value
    return value


def restore_formula(value):
    """The exact text of a cell ``neutralize_formula`` wrote."""
    return value[1:] if isinstance(value, str) and _NEUTRALIZED.match(value) else value


def _neutral_row(row):
    """``row`` with every text cell that looks like a formula neutralised; ``row`` itself when none does."""
    # this runs once per sentence and hit: most rows hold no risky text, so test before building a new row, with
    # a plain loop (any() over a generator doubled the cost, to 3% of the analysis)
    for value in row:
        if isinstance(value, str) and value[:1] in _RISKY_STARTS:
            return [neutralize_formula(value) for value in row]
    return row


def _neutralized(rows):
    return map(_neutral_row, rows)


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


_TEXT_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False) builds one per call


def text_record(doc_id: str, text: str) -> str:
    return _TEXT_ENCODER.encode({"doc_id": doc_id, "text": text}) + "\n"


class UnitRows:
    """The rows of one unit of work, encoded as the tables hold them (CSV rows, texts as JSON lines), with the
    (start, end) of each document's rows in each table, so that a document whose id changes can be rewritten
    alone. Formatting CSV in the workers leaves the client only writing bytes (it was half the client's work)."""

    def __init__(self, *, neutralize: bool = False):
        self.neutralize = neutralize  # text cells that look like formulas get a leading ' (see neutralize_formula)
        self.sinks = {table: _Sink() for table in ("documents", "sentences", "hits", "quotes", "texts")}
        self.writers = {table: csv.writer(self.sinks[table]) for table in ("documents", "sentences", "quotes")}
        # a hit's columns from `lexicon` on are one of few combinations (an entry of a lexicon, in a voice): each is
        # encoded once per unit, not at every hit (its explanation, a sentence, was scanned for quoting and formula
        # starts every time: about half the time of writing hits)
        self._hit_tails: dict[tuple, str] = {}
        self._hits_text = io.StringIO()
        self._hits_writer = csv.writer(self._hits_text)
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
            if table == "hits":
                if rows:
                    self.sinks[table].write(self._hits_csv(rows))
            else:
                self.writers[table].writerows(_neutralized(rows) if self.neutralize else rows)
            spans[table] = (start, self.sinks[table].size)
        start = self.sinks["texts"].size
        self.sinks["texts"].write(text_record(row["doc_id"], text))
        spans["texts"] = (start, self.sinks["texts"].size)
        self.hints.append(row["doc_id"])
        self.spans.append(spans)

    def _hits_csv(self, rows: list[tuple]) -> str:
        """The CSV rows of a document's hits: what csv.writer writes for each row, its tail (the columns from
        `lexicon` on) encoded once per unit. csv.writer quotes each field on its own, so a row is its head's cells,
        a comma and its tail's cells."""
        text, writer, tails, neutralize = self._hits_text, self._hits_writer, self._hit_tails, self.neutralize
        for row in rows:
            tail = row[_HIT_TAIL:]
            if tail.__class__ is not tuple:
                tail = tuple(tail)  # a key
            encoded = tails.get(tail)
            if encoded is None:
                tails[tail] = encoded = csv_bytes([_neutral_row(tail) if neutralize else tail]).decode("utf-8")
            writer.writerow(_neutral_row(row[:_HIT_TAIL]) if neutralize else row[:_HIT_TAIL])
            text.seek(text.tell() - 2)  # back over the row end ("\r\n") it wrote: the tail follows
            text.write(",")
            text.write(encoded)
        encoded = text.getvalue()
        text.seek(0)
        text.truncate()
        return encoded

    def add_error(self, source: str, reason: str) -> None:
        self.errors.append((source, reason))

    def encoded(self) -> dict[str, bytes]:
        tables = {table: sink.data() for table, sink in self.sinks.items()}
        tables["errors"] = csv_bytes(_neutralized(self.errors) if self.neutralize else self.errors)
        return tables


def rename_documents(tables: dict[str, bytes], hints: list[str], spans: list[dict], ids: list[str], *,
                     neutralize: bool = False) -> dict[str, bytes]:
    """A unit's encoded tables with the final ids: as they are, unless an id had to change (two inputs with one
    name): then that document's rows, and only those, are parsed and written again (``neutralize``: as the
    unit's rows were encoded)."""
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
                chunk = _renamed(chunk, doc_id, jsonl=table == "texts", neutralize=neutralize)
            pieces.append(chunk)
            cursor = end
        pieces.append(data[cursor:])
        out[table] = b"".join(pieces)
    return out


def _renamed(chunk: bytes, doc_id: str, *, jsonl: bool, neutralize: bool) -> bytes:
    text = chunk.decode("utf-8")
    sink = _Sink()
    if jsonl:
        for line in text.split("\n")[:-1]:  # not splitlines: a raw U+2028 inside a JSON string is no line end
            sink.write(json.dumps({**json.loads(line), "doc_id": doc_id}, ensure_ascii=False) + "\n")
    else:
        # the other cells are read back as written (already neutralized where they had to be)
        new_id = neutralize_formula(doc_id) if neutralize else doc_id
        csv.writer(sink).writerows([new_id, *row[1:]] for row in csv.reader(io.StringIO(text, newline="")))
    return sink.data()


# ---- the output folder: what framing owns there, the lock of a run, the work folder ------------------------

LOCK_FILE = ".framing-lock"      # while a run writes into the folder: who (pid, host, since when, command)
WORK_FOLDER = ".framing-work"    # the run's new tables until it has finished; an interrupted run's, for --resume
TABLE_FOLDERS = (*ROW_TABLES, "texts")  # the tables as folders of parts (--format parquet)
_MARKER_NOTE = ("framing wrote this: the whole folder (whole_folder) or the files listed. framing replaces or "
                "removes only what a marker says is its own, and does not read it as input. Delete this file and "
                "framing will treat all of it as yours.")


def replace_text(path: Path, text: str) -> None:
    """Write a small file aside, then rename it over: an interruption leaves the old file whole, not half of one.
    The file aside has a hidden name of framing's own (``x.tmp`` could be a user's file)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.framing-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_run(out: Path, run: dict) -> None:
    replace_text(Path(out) / RUN_FILE, json.dumps(run, indent=2, default=str) + "\n")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run_identity(command=None) -> dict:
    """Who is running: written in the lock and in the markers framing leaves."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": _now(),
            "command": [str(part) for part in (sys.argv if command is None else command)]}


def write_marker(folder: Path, *, whole_folder: bool, files=(), run: dict | None = None) -> None:
    record = {"owner": "framing", "note": _MARKER_NOTE, "whole_folder": whole_folder, "files": sorted(set(files)),
              "run": run}
    replace_text(Path(folder) / OWNER_MARKER, json.dumps(record, indent=2) + "\n")


def owns_folder(path: Path) -> bool:
    """Whether framing made the folder ``path`` (it holds framing's marker saying so)."""
    if path.is_symlink() or not path.is_dir():
        return False
    marker = read_marker(path)
    return bool(marker and marker.get("whole_folder") and not marker.get("unreadable"))


def make_owned_folder(path: Path, run: dict | None = None) -> Path:
    """A new folder, marked as framing's (it must not exist: framing never takes over a folder it did not make)."""
    path.mkdir()
    write_marker(path, whole_folder=True, run=run)
    return path


def owned_output_folder(path) -> Path:
    """A folder to write a result into (a coder, a validation): made and marked when it does not exist, else it
    must be one framing made (its files are then replaced whole); never a folder framing did not make."""
    path = Path(path)
    if not path.exists():
        return make_owned_folder(path)
    if not owns_folder(path):
        raise OutputNotOwnedError(f"{path} exists and framing did not make it (it holds no {OWNER_MARKER}): "
                                  f"choose another --out")
    return path


def remove_owned_folder(path: Path) -> None:
    """Remove a folder framing made; refuse one it did not make. The marker goes last, so that a removal cut
    short leaves a folder still known as framing's."""
    if not os.path.lexists(path):
        return
    if not owns_folder(path):
        raise OutputNotOwnedError(f"{path} exists and framing did not make it (it holds no {OWNER_MARKER}): "
                                  f"framing never removes a folder it did not create; move it away, or choose "
                                  f"another --out")
    for child in path.iterdir():
        if child.name == OWNER_MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (path / OWNER_MARKER).unlink()
    path.rmdir()


def _alive(pid: int) -> bool | None:
    """Whether the process ``pid`` of this host runs; None where that cannot be told (Windows: os.kill would
    end it)."""
    if os.name == "nt":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return None
    return True


def _read_lock(path: Path) -> dict | None:
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def acquire_lock(out: Path, identity: dict) -> Path:
    """Lock ``out`` for one run: ``.framing-lock`` created exclusively (O_EXCL), holding who runs. A lock left by
    a run that died on this host (its process is gone) is taken over with a warning; any other lock stops this
    run at once, naming its holder."""
    path = Path(out) / LOCK_FILE
    for _ in range(5):  # a few rounds: a lock can vanish or be taken over between two looks
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _read_lock(path)
            if holder is None:
                continue  # released meanwhile
            if not _stale(holder):
                raise OutputLockedError(_locked_message(out, path, holder)) from None
            if _take_over(path, holder):
                warnings.warn(f"{out}: took over the lock of framing run {holder.get('pid')} on "
                              f"{holder.get('host')} (since {holder.get('started')}), which is no longer running; "
                              f"its unfinished tables stay in {Path(out) / WORK_FOLDER} for --resume",
                              StaleLockWarning, stacklevel=3)
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(identity) + "\n")
        return path
    holder = _read_lock(path) or {}
    raise OutputLockedError(_locked_message(out, path, holder))


def _stale(holder: dict) -> bool:
    return (bool(holder) and holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int)
            and _alive(holder["pid"]) is False)


def _take_over(path: Path, holder: dict) -> bool:
    """Move the dead run's lock aside, and check it was that one (not a lock a live run made meanwhile)."""
    aside = path.with_name(f"{LOCK_FILE}.{os.getpid()}.stale")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return False
    if _read_lock(aside) != holder:  # another run took it over and locked first: give its lock back
        os.replace(aside, path)
        return False
    aside.unlink()
    return True


def _locked_message(out, path: Path, holder: dict) -> str:
    if not holder:
        who = "a run that did not say who it is (the lock file is empty or unreadable)"
    else:
        command = holder.get("command")
        who = (f"framing run {holder.get('pid')} on {holder.get('host')}, since {holder.get('started')}"
               + (f" ({' '.join(map(str, command))})" if command else ""))
    return (f"{out} is in use by {who}; two runs into one folder would mix their tables. Wait for it to finish "
            f"or choose another --out; if that run is no longer running, delete {path}")


def release_lock(path: Path, identity: dict) -> None:
    if _read_lock(path) == identity:  # only our own lock (never one a later run took over)
        path.unlink(missing_ok=True)


def _read_only(path: Path) -> bool:
    # the write bits, not only os.access: for root os.access says yes to every file
    return not os.access(path, os.W_OK) or not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


class OutputFolder:
    """The output folder of one run, used as a context manager: made (and marked as framing's) or claimed,
    locked for the length of the run, with a work folder where the new tables are written. ``publish`` renames
    them over the old ones once the run has finished, run.json last; until then the previous tables stay as
    they were.

    Claiming checks every name this run will write: one that exists and that framing did not write (or that
    is read-only) stops the run before anything is written, naming it."""

    def __init__(self, out: str | os.PathLike, *, fmt: str = "csv", command=None):
        self.out = Path(out)
        self.fmt = fmt
        self.work = self.out / WORK_FOLDER
        self.identity = run_identity(command)
        self.lock: Path | None = None

    def names(self) -> list[str]:
        """What a finished run puts in the folder, run.json last."""
        return [*(FILES.values() if self.fmt == "csv" else TABLE_FOLDERS), RUN_FILE]

    def __enter__(self) -> OutputFolder:
        created = False
        try:
            self.out.mkdir(parents=True)
            created = True
        except FileExistsError:
            if not self.out.is_dir():
                raise OutputNotOwnedError(f"{self.out} is a file, not a folder: choose another --out") from None
        if created:
            write_marker(self.out, whole_folder=True, run=self.identity)
        self.lock = acquire_lock(self.out, self.identity)
        try:
            self._claim()
        except BaseException:
            release_lock(self.lock, self.identity)
            raise
        return self

    def __exit__(self, *exc) -> None:
        release_lock(self.lock, self.identity)

    def _marker(self) -> dict:
        marker = read_marker(self.out)
        return marker if marker and not marker.get("unreadable") else {}

    def _claim(self) -> None:
        marker = self._marker()
        listed = set(marker.get("files", ()))
        for name in self.names():
            path = self.out / name
            if not os.path.lexists(path):
                continue
            if self.fmt == "parquet" and name in TABLE_FOLDERS:
                if not owns_folder(path):
                    raise OutputNotOwnedError(
                        f"{path} exists and framing did not make it (it holds no {OWNER_MARKER}): framing writes "
                        f"the {name} table there and never replaces a folder it did not create; move it away, "
                        f"or choose another --out")
                continue
            if name not in listed or path.is_symlink() or not path.is_file():
                raise OutputNotOwnedError(
                    f"{path} exists and framing did not write it ({OWNER_MARKER} does not list it): framing "
                    f"replaces only files it wrote; move it away, or choose another --out")
            if _read_only(path):
                raise OutputNotOwnedError(f"{path} is read-only: framing will not replace it; make it writable, "
                                          f"or choose another --out")
        if os.path.lexists(self.work) and not owns_folder(self.work):
            raise OutputNotOwnedError(f"{self.work} exists and framing did not make it: move it away, or choose "
                                      f"another --out")

    def start_work(self, *, keep: bool) -> Path:
        """The work folder: kept (an interrupted run, resumed), or made afresh."""
        if not (keep and owns_folder(self.work)):
            remove_owned_folder(self.work)
            make_owned_folder(self.work, self.identity)
        if self.fmt == "parquet":
            for table in TABLE_FOLDERS:
                table_folder(self.work, table)
        return self.work

    def publish(self, run: dict) -> None:
        """Rename the new tables over the old ones, run.json last; then tables of the other format that framing
        wrote here before (they would be read instead of the new ones); then remove the work folder. If a
        rename fails, those done are undone: the previous tables stay, the new ones stay in the work folder."""
        write_run(self.work, run)
        aside = self.work / ".replaced"
        aside.mkdir(exist_ok=True)
        done: list[tuple[Path, Path]] = []
        other = TABLE_FOLDERS if self.fmt == "csv" else tuple(FILES.values())
        marker = self._marker()
        listed = set(marker.get("files", ()))
        # listed only now, when they are about to be there: a failed run must not make a name framing's
        write_marker(self.out, whole_folder=bool(marker.get("whole_folder")), files=listed | set(self.names()),
                     run=self.identity)
        try:
            for name in self.names():
                target = self.out / name
                if os.path.lexists(target):
                    # the old file kept aside by a second link, so that the new one replaces it in one rename (the
                    # name is never missing); a folder, or a file system without links, is moved aside first
                    try:
                        if target.is_symlink() or not target.is_file():
                            raise OSError
                        os.link(target, aside / name)
                    except OSError:
                        os.replace(target, aside / name)
                    done.append((target, aside / name))
                os.replace(self.work / name, target)
                done.append((self.work / name, target))
            for name in other:
                target = self.out / name
                if (owns_folder(target) if name in TABLE_FOLDERS else name in listed and target.is_file()):
                    os.replace(target, aside / f"{name}.other")
                    done.append((target, aside / f"{name}.other"))
        except OSError as exc:
            undone = True
            for source, moved in reversed(done):
                try:
                    os.replace(moved, source)
                except OSError:
                    undone = False
            state = (f"the previous tables in {self.out} are as they were" if undone else
                     f"some of the previous tables could not be put back: they are in {aside}")
            raise RunError(f"could not put {exc.filename or exc.filename2} in place ({exc.strerror or exc}); "
                           f"{state}, and the new ones are in {self.work}: run the same command with --resume "
                           f"to try again") from exc
        remove_owned_folder(self.work)


def table_folder(base: Path, table: str) -> Path:
    """The folder of a table's parts, made (and marked) if new."""
    folder = Path(base) / table
    if not folder.is_dir():
        make_owned_folder(folder)
    return folder


class CsvTables:
    """The CSV tables of a run, each unit appended in order as it comes (no parts joined at the end: that was a
    serial copy of every table, 3 s of a 55 s run). ``sizes()`` after each unit goes to the run's manifest; a
    resumed run cuts off whatever an interruption left half-written after them. ``folder`` is the run's work
    folder (``OutputFolder.work``): the tables get their final place when the run has finished."""

    def __init__(self, folder: Path, sizes: dict[str, int] | None, *, neutralize: bool = False):
        self.neutralize = neutralize
        self.handles = {}
        for table, name in FILES.items():
            if sizes is None:
                handle = open(folder / name, "wb")
            else:
                handle = open(folder / name, "r+b")
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
        self.handles["errors"].write(csv_bytes(_neutralized(errors) if self.neutralize else errors))

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
        folder = table_folder(out, table)
        header = document_columns if table == "documents" else COLUMNS[table]
        if tables[table] and header:  # an empty part has no column types and would break reading the folder
            frame = read_csv_table(table, io.BytesIO(csv_bytes([header]) + tables[table]))
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    (table_folder(out, "texts") / f"{name}.jsonl").write_bytes(tables["texts"])


def write_parquet_errors(out: Path, errors: list[tuple[str, str]]) -> None:
    """The planner's errors, as their own part."""
    if errors:
        folder = table_folder(out, "errors")
        read_csv_table("errors", io.BytesIO(csv_bytes([ERROR_COLUMNS, *errors]))).to_parquet(
            folder / "part-planning.parquet", index=False)


def written_doc_ids(out: Path, *, parquet_units: int | None = None, neutralized: bool = False):
    """The ids already in the tables of an interrupted run, read in chunks (a resumed run replays them):
    from documents.csv (``neutralized``: as written with formulas neutralized), or from the first
    ``parquet_units`` Parquet parts."""
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
        ids = chunk["doc_id"].tolist()
        yield from (map(restore_formula, ids) if neutralized else ids)


def count_parquet(out: Path, n_units: int) -> tuple[int, int]:
    """Documents and errors in the Parquet parts of a finished run."""
    import pyarrow.parquet as pq

    counts = {"documents": 0, "errors": 0}
    for table in counts:
        for name in [part_name(index) for index in range(n_units)] + ["part-planning"]:
            path = out / table / f"{name}.parquet"
            counts[table] += pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
    return counts["documents"], counts["errors"]


def write_tables(analysis: Analysis, out: str | os.PathLike, *, neutralize_formulas: bool = True) -> Path:
    """An in-memory ``Analysis`` as CSV tables, texts.jsonl and run.json in ``out`` (the bytes a run writes),
    with the same care as a run: the folder locked, the old tables replaced only once the new ones are whole.
    ``neutralize_formulas``: text cells a spreadsheet would run as formulas get a leading ``'`` (run.json says
    so, and ``load_analysis`` gives back the exact text)."""
    import pandas as pd

    quotes = analysis.quotes if analysis.quotes is not None else pd.DataFrame(columns=QUOTE_COLUMNS)
    frames = {"documents": analysis.documents, "sentences": analysis.sentences, "hits": analysis.hits,
              "quotes": quotes, "errors": analysis.errors}
    with OutputFolder(out, fmt="csv") as output:
        work = output.start_work(keep=False)
        for table, frame in frames.items():
            header = list(frame.columns) if table == "documents" and len(frame.columns) else \
                DOCUMENT_COLUMNS if table == "documents" else COLUMNS[table]
            if table == "sentences":  # coders' columns (SCHEMAS["sentences"]["<coders>"]) after the fixed ones
                header = header + [c for c in frame.columns if c.startswith("coder_") and c not in header]
            rows = ([cell(value) for value in row] for row in frame[header].itertuples(index=False, name=None)) \
                if len(frame) else ()
            with open(work / FILES[table], "wb") as handle:
                handle.write(csv_bytes([header]))
                handle.write(csv_bytes(_neutralized(rows) if neutralize_formulas else rows))
        with open(work / FILES["texts"], "w", encoding="utf-8") as handle:
            for doc_id, text in analysis.texts.items():
                handle.write(text_record(doc_id, text))
        output.publish({**analysis.run, "neutralized_formulas": neutralize_formulas})
    return Path(out)


# ---- reading back ---------------------------------------------------------------------------------------

def read_csv_table(table: str, source, *, neutralized: bool = False) -> pd.DataFrame:
    """One table from CSV (a path or a binary stream): ids stay strings ("001"), text columns hold "" for
    missing values, numbers and True/False as written. ``neutralized``: the table was written with formulas
    neutralized (run.json says so): text cells get back their exact text."""
    import pandas as pd

    frame = pd.read_csv(source, keep_default_na=False, na_values=[""], dtype={"doc_id": str})
    return _read_back(table, frame, neutralized=neutralized)


def read_csv_chunks(table: str, source, *, neutralized: bool = False, rows: int = 50_000):
    """``read_csv_table`` ``rows`` rows at a time (an iterator of DataFrames), for reading a table of any size
    in bounded memory."""
    import pandas as pd

    with pd.read_csv(source, keep_default_na=False, na_values=[""], dtype={"doc_id": str},
                     chunksize=rows) as reader:
        for frame in reader:
            yield _read_back(table, frame, neutralized=neutralized)


def _read_back(table: str, frame: pd.DataFrame, *, neutralized: bool) -> pd.DataFrame:
    import pandas as pd

    for column in TEXT_COLUMNS[table]:
        if column in frame:
            frame[column] = _as_text(frame[column])
    if neutralized:
        for column in frame.columns:
            values = frame[column]
            # text (object, or pandas' str dtype): every str cell was written through neutralize_formula
            if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
                quoted = values.str.match(_NEUTRALIZED.pattern, na=False)
                if quoted.any():
                    frame[column] = values.where(~quoted, values.str[1:])
    return frame


def _as_text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str)


def load_analysis(folder: str | os.PathLike, *, group_by: str | None = None, group: str | None = None) -> Analysis:
    """Read back the tables ``framing analyze`` wrote (CSV files or Parquet folders), so a notebook need not
    re-read the corpus. With ``group_by`` and ``group``, only the documents of that group (``group_by`` a
    metadata column, as the comparisons group; a missing value is the group ``"(unknown COLUMN)"``) and their
    rows: the other tables are read a chunk at a time and filtered, so one outlet of a large corpus is read
    in the memory of that outlet."""
    import pandas as pd

    folder = Path(folder)
    if not (folder / FILES["documents"]).is_file() and not (folder / "documents").is_dir():
        raise TablesNotFoundError(f"{folder}: no {FILES['documents']} here; run `framing analyze ... --out {folder}` "
                                  f"first")
    if (group_by is None) != (group is None):
        raise TypeError("load_analysis: give both group_by and group, or neither")

    run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    neutralized = bool(run.get("neutralized_formulas"))
    keep = None  # the doc_ids to keep; None: every one

    def only_kept(frame: pd.DataFrame) -> pd.DataFrame:
        if keep is None or "doc_id" not in frame:
            return frame
        return frame[frame["doc_id"].astype(str).isin(keep)].reset_index(drop=True)

    def read(table: str) -> pd.DataFrame:
        path = folder / FILES[table]
        if path.is_file():
            # (tables written before quotes.csv existed read as no quotes)
            if keep is None or table in ("documents", "errors"):
                return read_csv_table(table, path, neutralized=neutralized)
            parts = [only_kept(chunk) for chunk in read_csv_chunks(table, path, neutralized=neutralized)]
            return pd.concat(parts, ignore_index=True) if parts else read_csv_table(table, path,
                                                                                     neutralized=neutralized)
        parts = sorted((folder / table).glob("*.parquet"))
        if not parts:
            return pd.DataFrame(columns=DOCUMENT_COLUMNS if table == "documents" else COLUMNS[table])
        frames = [pd.read_parquet(p) for p in parts]
        frame = pd.concat([only_kept(f.astype({"doc_id": str}) if "doc_id" in f else f) for f in frames],
                          ignore_index=True)
        return frame.astype({"doc_id": str}) if "doc_id" in frame else frame

    documents = read("documents")
    if group_by is not None:
        in_group = measure.group_column(Analysis(documents, None, None, None, run), group_by) == str(group)
        documents = documents[in_group.to_numpy()].reset_index(drop=True)
        keep = set(documents["doc_id"].astype(str))
    texts = {}
    text_files = [folder / FILES["texts"]] if (folder / FILES["texts"]).is_file() else sorted(
        (folder / "texts").glob("*.jsonl"))
    for path in text_files:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if keep is None or str(record["doc_id"]) in keep:
                    texts[record["doc_id"]] = record["text"]
    return Analysis(documents=documents, sentences=read("sentences"), hits=read("hits"),
                    errors=read("errors"), run=run, texts=texts, quotes=read("quotes"))


def load_documents(folder: str | os.PathLike) -> pd.DataFrame:
    """The documents table alone (one row per document, every document measure), read back from the tables
    ``framing analyze`` wrote: what the corpus looks like document by document, without its sentences."""
    import pandas as pd

    folder = Path(folder)
    path = folder / FILES["documents"]
    if path.is_file():
        run = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
        return read_csv_table("documents", path, neutralized=bool(run.get("neutralized_formulas")))
    parts = sorted((folder / "documents").glob("*.parquet"))
    if not parts:
        raise TablesNotFoundError(f"{folder}: no {FILES['documents']} here; run `framing analyze ... --out {folder}` "
                                  f"first")
    frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return frame.astype({"doc_id": str})
