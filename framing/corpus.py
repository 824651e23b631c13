"""Reading a corpus: news documents in the shapes they really come in.

One reader per format (plain text, Markdown, saved HTML pages, WordPress REST JSON, JSON records, JSONL, CSV),
chosen by content where the suffix lies. Every input that cannot be read becomes one ``IngestError`` naming
the file and the reason; the rest of the corpus is still read.
"""

from __future__ import annotations

import csv
import glob
import gzip
import hashlib
import io
import html
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from framing import clean
from framing.errors import FramingError, IngestFailure, NothingReadError
from framing.model import Corpus, Document, IngestError

SIDECAR_NAME = "metadata.csv"
METADATA_FIELDS = ("outlet", "title", "author", "date", "url")

# Common column / key names, in order of preference; any can be overridden by the caller.
COLUMN_CANDIDATES = {
    "text": ("text", "content", "body", "article", "full_text", "fulltext", "maintext", "story", "article_text"),
    "title": ("title", "headline", "heading"),
    "outlet": ("outlet", "source", "publisher", "site", "site_name", "sitename", "newspaper", "media", "domain"),
    "author": ("author", "authors", "byline", "writer"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "date_published", "datetime", "time"),
    "url": ("url", "link", "news_link", "permalink", "href"),
    "id": ("id", "doc_id", "document_id", "uid", "guid", "article_id"),
}

_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_MARKDOWN_SIGNS = re.compile(r"^\s{0,3}#{1,6}\s|\[[^\]]+\]\([^)]*\)|\\[*_]|^\s*[*-]{3,}\s*$", re.M)
_HTML_PAGE = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.I)
_HTML_TAGS = re.compile(r"</?(p|div|br|span|a|em|strong|h[1-6]|ul|li|figure|img)\b[^>]*>", re.I)
_BYLINE = re.compile(r"^(?i:by)\s+(?P<author>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin)){0,4})\s*$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATELINE = re.compile(
    rf"^(?P<outlet>[A-Z][\w .&'’-]{{1,50}}?),\s+(?P<date>(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}})\s*$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_FIRST_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.M)
_URL_HOST = re.compile(r"^https?://(?:www\.)?([^/]+).*")
_DOTS = re.compile(r"\.{2,}")





# ---- decoding -------------------------------------------------------------------------------------------

def decode_bytes(data: bytes, source: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 with a warning."""
    if not data.strip():
        raise IngestFailure("empty file" if not data else "empty file (only whitespace)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise IngestFailure(f"undecodable: a UTF-16 file broken at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise IngestFailure("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestFailure(
            f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) nor Windows-1252") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise IngestFailure("binary file (control characters), not text")
    return text, [f"not UTF-8 (byte {utf8_error.start}); decoded as Windows-1252"]


def _read_bytes(path: Path) -> bytes:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


# ---- format detection -----------------------------------------------------------------------------------

def sniff_format(path: Path, text: str) -> str:
    """Decide the format from the suffix, then from the content where the suffix says only 'text'."""
    return _sniff_format(path, text)[0]


def _sniff_format(path: Path, text: str) -> tuple[str, tuple | None]:
    """The format, and for content sniffed as JSON the parse that decided it (value, warnings): made once."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    suffix = suffixes[-1] if suffixes else ""
    head = text.lstrip()[:2000]
    json_kind = "wordpress" if _looks_like_wordpress(head) else "json"
    if suffix == ".json":
        return json_kind, None
    if head[:1] in ("{", "["):
        # a ".txt" holding JSON (the WordPress seed) is JSON; "[UPDATED] Police said..." is text
        try:
            return json_kind, parse_json_lenient(text)
        except IngestFailure:
            pass
    if suffix in (".html", ".htm", ".xhtml") or _HTML_PAGE.match(head):
        return "html", None
    if suffix in (".md", ".markdown"):
        return "md", None
    if len(_MARKDOWN_SIGNS.findall(text[:20000])) >= 2:
        return "md", None
    return "txt", None


def _looks_like_wordpress(head: str) -> bool:
    return '"rendered"' in head and ('"content"' in head or '"title"' in head)


def _is_wordpress_record(record: dict) -> bool:
    """The record-level twin of _looks_like_wordpress (serialising every record to sniff it cost as much as
    cleaning it)."""
    return ("content" in record or "title" in record) and any(
        isinstance(value, dict) and "rendered" in value for value in record.values())


# ---- JSON that was cut off ------------------------------------------------------------------------------

def parse_json_lenient(text: str) -> tuple[object, list[str]]:
    """Parse JSON; accept raw newlines inside strings and close a document that was cut off at the end.

    Scraped WordPress exports are often both (the 002 seed is). Anything else malformed is an error.
    """
    try:
        return json.loads(text), []
    except json.JSONDecodeError:
        pass
    try:
        return json.loads(text, strict=False), ["JSON had raw control characters inside strings"]
    except json.JSONDecodeError as exc:
        first_error = exc
    closing = _closing_for_truncated_json(text)
    if closing:
        try:
            value = json.loads(text.rstrip().rstrip(",") + closing, strict=False)
            return value, [f"JSON was cut off; closed it with {closing!r}"]
        except json.JSONDecodeError:
            pass
    raise IngestFailure(f"malformed JSON: {first_error.msg} at line {first_error.lineno} "
                        f"column {first_error.colno}")


def _closing_for_truncated_json(text: str) -> str:
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack or stack.pop() != ch:
                return ""
    if not stack and not in_string:
        return ""
    return ('"' if in_string else "") + "".join(reversed(stack))


# ---- metadata a document carries in its text ------------------------------------------------------------

def _normalize_date(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    match = _ISO_DATE.match(value)
    if match:
        return match.group(1)
    for fmt in ("%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def extract_header_metadata(text: str) -> tuple[str, dict, list[str]]:
    """Find a 'By NAME' byline and an 'Outlet, Month D, YYYY' dateline near the top; remove them from the body."""
    lines = text.split("\n")
    found: dict = {}
    removed: list[str] = []
    content_seen = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        content_seen += 1
        if content_seen > 8:
            break
        byline = _BYLINE.match(stripped)
        dateline = _DATELINE.match(stripped)
        if byline and "author" not in found:
            found["author"] = byline.group("author")
        elif dateline and "date" not in found:
            found["outlet"] = dateline.group("outlet").strip()
            found["date"] = _normalize_date(dateline.group("date"))
        else:
            continue
        removed.append(stripped)
        lines[index] = ""
    return "\n".join(lines), found, removed


def _first_heading(markdown: str) -> str:
    match = _FIRST_HEADING.search(markdown)
    return clean.markdown_to_text(match.group(1)).strip() if match else ""


# ---- cleaning per format --------------------------------------------------------------------------------

_clean_markdown_markup = clean.compose(clean.markdown_to_text, clean.decode_html_entities)
_clean_html_fragment = clean.compose(clean.decode_literal_escapes, clean.html_fragment_to_text)


def clean_body(text: str, fmt: str) -> tuple[str, dict, list[str]]:
    """Cleaned body text, metadata found in it, and the lines removed as furniture."""
    text = clean.normalize(text)
    if fmt == "md":
        text = _clean_markdown_markup(text)
    elif fmt in ("wordpress", "html-fragment"):
        text = _clean_html_fragment(text)
    else:
        text = clean.decode_html_entities(text)
    text = clean.remove_tweet_debris(text)
    text = clean.normalize_whitespace(text)
    text, found, removed = extract_header_metadata(text)
    text, furniture = clean.remove_furniture(text)
    removed += furniture
    text = clean.collapse_blank_lines(text)
    if fmt in ("md", "html", "wordpress", "html-fragment"):
        text = clean.join_broken_paragraphs(text)
    if fmt in ("txt", "wordpress", "html-fragment"):
        # Markdown exports keep captions out of the body; plain-text and CMS bodies mix them in
        text, captions = clean.remove_captions(text)
        removed += captions
        text = clean.collapse_blank_lines(text)
    return text, found, removed


# ---- readers: each yields raw records (text + metadata) -------------------------------------------------

@dataclass
class _Raw:
    text: str
    fmt: str  # cleaning pipeline to use
    source: str
    id_hint: str
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    file_name: str = ""


def _pick(record: dict, role: str, columns: dict[str, str], lowered: dict | None = None) -> str | None:
    """The key of ``record`` that plays ``role`` (text, title, ...), by option or by common name.
    ``lowered`` (lower-cased key -> key) can be passed in when one record is asked for several roles."""
    if columns.get(role):
        return columns[role] if columns[role] in record else None
    if lowered is None:
        lowered = {str(k).lower(): k for k in record}
    for name in COLUMN_CANDIDATES[role]:
        if name in lowered:
            return lowered[name]
    return None


def _rendered(value) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", value.get("raw", ""))
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _wordpress_raw(post: dict, source: str, id_hint: str) -> _Raw:
    if not isinstance(post.get("content"), dict) and "content" not in post:
        raise IngestFailure("WordPress post without a 'content' field")
    title = clean.decode_html_entities(clean.html_fragment_to_text(_rendered(post.get("title")))).strip()
    body = _rendered(post.get("content"))
    if title:  # the headline is part of the framing, so it is analysed with the body
        body = f"<h1>{html.escape(title)}</h1>\n{body}"
    meta = {"title": title, "date": _normalize_date(str(post.get("date") or "")), "url": str(post.get("link") or "")}
    author = post.get("author_name") or (post.get("yoast_head_json") or {}).get("author") or ""
    if isinstance(author, str) and author:
        meta["author"] = author
    site = (post.get("yoast_head_json") or {}).get("og_site_name")
    if site:
        meta["outlet"] = site
    elif meta["url"]:
        meta["outlet"] = _URL_HOST.sub(r"\1", meta["url"])
    wp_id = post.get("id")
    return _Raw(body, "wordpress", source, str(wp_id) if wp_id is not None else id_hint, meta)


def _record_raw(record: dict, source: str, id_hint: str, columns: dict[str, str]) -> _Raw:
    if _is_wordpress_record(record):
        return _wordpress_raw(record, source, id_hint)
    lowered = {str(k).lower(): k for k in record}
    text_key = _pick(record, "text", columns, lowered)
    if text_key is None:
        wanted = columns.get("text") or ", ".join(COLUMN_CANDIDATES["text"])
        raise IngestFailure(f"no text column (looked for: {wanted}); name one with --text-column")
    text = _rendered(record.get(text_key))
    meta = {}
    for role in METADATA_FIELDS:
        key = _pick(record, role, columns, lowered)
        if key is not None and record.get(key) not in (None, ""):
            meta[role] = _rendered(record[key]).strip()
    meta["date"] = _normalize_date(meta.get("date", ""))
    key = _pick(record, "id", columns, lowered)
    doc_hint = str(record[key]) if key is not None and record.get(key) not in (None, "") else id_hint
    fmt = "html-fragment" if _HTML_TAGS.search(text[:5000]) else "txt"
    return _Raw(text, fmt, source, doc_hint, meta)


STREAM_BLOCK = 1 << 20


def stream_kind(path: Path) -> str | None:
    """Formats read record by record from an open file (never whole into memory): by suffix."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".parquet":
        return "parquet"
    return None


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _stream_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a stream, decompressed. A decompressor object gives what it can of a gzip
    cut inside its first block (gzip.open raises, and the lines before the cut would be lost)."""
    gz = path.suffix.lower() == ".gz"
    with open(path, "rb") as handle:
        head = handle.read(size if not gz else max(size, 1 << 16))
    if not gz:
        return head
    try:
        return zlib.decompressobj(wbits=31).decompress(head, size)
    except zlib.error as exc:
        raise IngestFailure(f"not a readable gzip file ({exc})") from None


def _stream_encoding(path: Path) -> tuple[str, list[str]]:
    """A CSV stream's encoding, judged on its first 64 KB: UTF-8, else Windows-1252 with a warning (what
    Excel on Windows saves), as whole files are decoded."""
    head = _stream_head(path, 1 << 16)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not only a character cut at the end of the sample
            return "cp1252", [f"not UTF-8 (byte {exc.start}); decoded as Windows-1252"]
    return "utf-8-sig", []


def _check_stream_head(path: Path) -> None:
    head = _stream_head(path, 8192)
    if not head.strip():
        raise IngestFailure("empty file" if not head else "empty file (only whitespace)")
    if b"\x00" in head:
        raise IngestFailure("binary file (contains NUL bytes), not text")


def _read_file(path: Path, columns: dict[str, str], start: int = 0, end: int | None = None,
               records: tuple[int, int | None] = (0, None), chunk: Path | None = None,
               newlines_before: int | None = None) -> Iterator[_Raw | IngestError]:
    """Documents (or errors) from one file; for big record files, a byte range or a range of records
    (0-based, end excluded: lines of JSONL, rows of CSV and Parquet). ``chunk`` is the plain file that
    ``split_records`` wrote for that range of records: it is read instead, under the original file's name."""
    source = str(path)
    kind = stream_kind(path)
    if chunk is not None:
        yield from _read_chunk(path, kind, columns, chunk, records[0])
        return
    if kind is not None:
        yield from _read_stream(path, kind, columns, start, end, records, newlines_before)
        return
    try:
        text, warnings = decode_bytes(_read_bytes(path), source)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield IngestError(source, f"cannot read: {exc}")
        return
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
        return
    fmt, parsed = _sniff_format(path, text)
    stem = path.name.split(".")[0] or path.name
    try:
        if fmt in ("txt", "md"):
            meta = {"title": _first_heading(text)} if fmt == "md" else {}
            yield _Raw(text, fmt, source, stem, {k: v for k, v in meta.items() if v}, warnings)
        elif fmt == "html":
            yield _html_page_raw(text, source, stem, warnings)
        elif fmt in ("wordpress", "json"):
            value, json_warnings = parsed or parse_json_lenient(text)
            yield from _json_records(value, source, stem, columns, warnings + json_warnings)
    except IngestFailure as exc:
        yield IngestError(source, str(exc))


def _html_page_raw(text: str, source: str, stem: str, warnings: list[str]) -> _Raw:
    import trafilatura  # heavy import, only when a page is read

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    if extracted is None:
        raise IngestFailure("HTML page with no main text found")
    found = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = found.get("text") or ""
    meta = {"title": found.get("title") or "", "author": found.get("author") or "",
            "date": _normalize_date(found.get("date") or ""), "url": found.get("url") or "",
            "outlet": found.get("sitename") or ""}
    title = meta["title"]
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"
    return _Raw(body, "html", source, stem, {k: v for k, v in meta.items() if v}, list(warnings))


def _json_records(value, source, stem, columns, warnings) -> Iterator[_Raw | IngestError]:
    if isinstance(value, dict):
        records = [value]
    elif isinstance(value, list):
        records = value
    else:
        raise IngestFailure("JSON holds neither an object nor a list of objects")
    if not records:
        raise IngestFailure("JSON holds an empty list")
    if not any(isinstance(record, dict) for record in records):
        raise IngestFailure("JSON list whose items are not objects")
    for index, record in enumerate(records):
        row_source = source if len(records) == 1 else f"{source}#{index}"
        hint = stem if len(records) == 1 else f"{stem}-{index}"
        own_id = len(records) > 1
        if not isinstance(record, dict):
            yield IngestError(row_source, "JSON item is not an object")
            continue
        try:
            raw = _record_raw(record, row_source, hint, columns)
            if not own_id:  # a file holding one post is named by its file, like every other file
                raw.id_hint = stem
            raw.warnings = list(warnings)
            yield raw
        except IngestFailure as exc:
            yield IngestError(row_source, str(exc))


def _read_stream(path: Path, kind: str, columns: dict[str, str], start: int, end: int | None,
                 records: tuple[int, int | None] = (0, None), newlines_before: int | None = None
                 ) -> Iterator[_Raw | IngestError]:
    source = str(path)
    stem = path.name.split(".")[0] or path.name
    try:
        if kind == "parquet":
            yield from _parquet_records(path, source, stem, columns, records)
            return
        if start == 0 and records[0] == 0:
            _check_stream_head(path)
        if kind == "jsonl":
            yield from _jsonl_records(path, source, stem, columns, start, end, records,
                                      newlines_before=newlines_before)
        else:
            yield from _csv_records(path, source, stem, columns, records)
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
    except OSError as exc:
        yield IngestError(source, f"cannot read: {exc}")


# ---- big gzip and CSV files, split once into plain chunks ------------------------------------------------
#
# A gzip stream cannot be entered in the middle, and neither can a CSV file (a quoted field may hold newlines).
# Reading a range of records by skipping the ones before it costs the whole prefix for every range: quadratic
# in the size of the file. So such a file is read once, by one worker, and each range of its records is written
# to a plain chunk file; the worker of a range then reads only its chunk. Line and row numbers in errors stay
# those of the original file.

CHUNK_DONE = "DONE"


def chunk_name(index: int, kind: str) -> str:
    return f"{index:06d}.{'jsonl' if kind == 'jsonl' else 'csv'}"


def _chunk_error_path(chunk: Path) -> Path:
    return chunk.with_name(chunk.stem + ".error.json")


def split_records(path: Path, ranges: list[tuple[int, int | None]], folder: Path, columns: dict[str, str]) -> None:
    """Write records ``ranges[k]`` of ``path`` (JSONL lines or CSV rows, as ``records`` counts them) to
    ``folder/chunk_name(k)``; a problem that ends the file early goes to the chunk's ``.error.json``.
    Idempotent: a folder marked done is left as it is (a resumed run)."""
    if (folder / CHUNK_DONE).exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    kind = stream_kind(path)
    source = str(path)

    def error(index: int, where: str, reason: str) -> None:
        target = _chunk_error_path(folder / chunk_name(index, kind))
        target.write_text(json.dumps({"source": where, "reason": reason}), encoding="utf-8")

    try:
        _check_stream_head(path)
        if kind == "jsonl":
            _split_jsonl(path, ranges, folder, error)
        else:
            _split_csv(path, ranges, folder, columns, error)
    except IngestFailure as exc:
        error(0, source, str(exc))
    except (OSError, EOFError, zlib.error) as exc:
        error(0, source, f"cannot read: {exc}")
    (folder / CHUNK_DONE).write_text("", encoding="utf-8")


def _range_index(ranges, number: int, index: int = 0) -> int:
    """The index of the range holding record ``number`` (1-based), searching from ``index``."""
    while index < len(ranges) - 1 and ranges[index][1] is not None and number > ranges[index][1]:
        index += 1
    return index


class _Chunks:
    """The chunk files of one split, opened in turn as the records pass from one range into the next.
    ``open_chunk(path)`` returns (file, what records are written to)."""

    def __init__(self, folder: Path, ranges, kind: str, open_chunk):
        self.folder, self.ranges, self.kind, self.open_chunk = folder, ranges, kind, open_chunk
        self.index, self.handle, self.sink = 0, None, None

    def for_record(self, number: int):
        found = _range_index(self.ranges, number, self.index)
        if self.handle is None or found != self.index:
            self.close()
            self.index = found
            self.handle, self.sink = self.open_chunk(self.folder / chunk_name(found, self.kind))
        return self.sink

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = self.sink = None


def _split_jsonl(path, ranges, folder, error) -> None:
    def open_chunk(chunk: Path):
        handle = open(chunk, "wb")
        return handle, handle

    chunks = _Chunks(folder, ranges, "jsonl", open_chunk)
    line_no = 0
    try:
        with _open_binary(path) as handle:
            for line in handle:
                line_no += 1
                chunks.for_record(line_no).write(line)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        error(_range_index(ranges, line_no + 1, chunks.index), f"{path}:{line_no + 1}",
              f"truncated or corrupt compressed file after line {line_no}: the rest of this file is lost ({exc})")
    finally:
        chunks.close()


def _split_csv(path, ranges, folder, columns, error) -> None:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = _csv_delimiter(path)
    encoding, _ = _stream_encoding(path)
    header: list[str] = []

    def open_chunk(chunk: Path):
        handle = open(chunk, "w", encoding="utf-8", newline="")
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        return handle, writer

    chunks = _Chunks(folder, ranges, "csv", open_chunk)
    row_no = 0
    with _open_binary(path) as binary:
        handle = io.TextIOWrapper(binary, encoding=encoding, newline="")
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader, None)
            _check_csv_header(header, columns)
            for row in reader:
                if not row:  # DictReader skips blank rows without counting them: so must this
                    continue
                row_no += 1
                chunks.for_record(row_no).writerow(row)
        except csv.Error as exc:
            error(chunks.index, f"{path}#line={reader.line_num}",
                  f"malformed CSV at line {reader.line_num}: {exc}; the rest of this file is lost")
        except UnicodeDecodeError as exc:
            error(chunks.index, f"{path}#line={reader.line_num}",
                  f"not UTF-8 after line {reader.line_num} ({exc.reason}); the rest of this file is lost")
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            error(chunks.index, f"{path}#line={reader.line_num}", f"truncated or corrupt compressed file after "
                                                                  f"line {reader.line_num}: the rest of this file "
                                                                  f"is lost ({exc})")
        finally:
            chunks.close()


def _read_chunk(path: Path, kind: str, columns, chunk: Path, offset: int) -> Iterator[_Raw | IngestError]:
    source = str(path)
    stem = path.name.split(".")[0] or path.name
    try:
        if chunk.exists():
            if kind == "jsonl":
                yield from _jsonl_records(chunk, source, stem, columns, line_offset=offset)
            else:
                yield from _csv_records(chunk, source, stem, columns, delimiter=_csv_delimiter(path),
                                        row_offset=offset, encoding="utf-8",  # chunks are written in UTF-8
                                        warnings=_stream_encoding(path)[1])
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
    except OSError as exc:
        yield IngestError(source, f"cannot read: {exc}")
    problem = _chunk_error_path(chunk)
    if problem.exists():
        yield IngestError(**json.loads(problem.read_text(encoding="utf-8")))


def _count_lines_before(path: Path, offset: int) -> int:
    count = 0
    with open(path, "rb") as handle:
        while offset > 0:
            block = handle.read(min(STREAM_BLOCK, offset))
            if not block:
                break
            count += block.count(b"\n")
            offset -= len(block)
    return count


def _jsonl_records(path, source, stem, columns, start=0, end=None, records=(0, None), *, line_offset: int = 0,
                   newlines_before: int | None = None) -> Iterator[_Raw | IngestError]:
    """One JSON object per line. With a byte range, the lines that start inside [start, end); with a record
    range, lines first+1 to last (read and skipped up to the range: split_records avoids that for big files).
    ``line_offset``: lines before this file's first line (a chunk of a bigger file), for line numbers.
    ``newlines_before``: newlines in the bytes before ``start - 1``, when the planner counted them."""
    first, last = records[0] + line_offset, (None if records[1] is None else records[1] + line_offset)
    line_no = line_offset
    with _open_binary(path) as handle:
        if start:
            # lines ended before this range: the newlines before its last byte, plus the line it finishes
            # (the planner counts them in one pass over the file; counting here would re-read the prefix)
            if newlines_before is None:
                newlines_before = _count_lines_before(path, start - 1)
            line_no = newlines_before + 1
            handle.seek(start - 1)
            if handle.read(1) != b"\n":
                handle.readline()  # the line that started before this range belongs to the previous one
        position = handle.tell()
        while end is None or position < end:
            try:
                line = handle.readline()
            except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
                yield IngestError(f"{source}:{line_no + 1}", f"truncated or corrupt compressed file after line "
                                                              f"{line_no}: the rest of this file is lost ({exc})")
                return
            if not line:
                return
            position += len(line)
            line_no += 1
            if line_no <= first:
                continue
            if last is not None and line_no > last:
                return
            if not line.strip():
                continue
            row_source = f"{source}:{line_no}"
            try:
                record = json.loads(line.decode("utf-8-sig" if line_no == line_offset + 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield IngestError(row_source, f"line {line_no} is not UTF-8 (byte {exc.start})")
                continue
            except json.JSONDecodeError as exc:
                yield IngestError(row_source, f"malformed JSON on line {line_no}: {exc.msg}")
                continue
            if not isinstance(record, dict):
                yield IngestError(row_source, f"line {line_no} is not a JSON object")
                continue
            try:
                yield _record_raw(record, row_source, f"{stem}-{line_no}", columns)
            except IngestFailure as exc:
                yield IngestError(row_source, str(exc))


def _csv_delimiter(path: Path) -> str:
    return "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","


def _check_csv_header(header, columns) -> None:
    if not header:
        raise IngestFailure("CSV without a header row")
    if _pick(dict.fromkeys(header), "text", columns) is None:
        wanted = columns.get("text") or ", ".join(COLUMN_CANDIDATES["text"])
        raise IngestFailure(f"CSV has no text column (header: {', '.join(header)}; looked for: {wanted}); "
                            "name one with --text-column")


def _csv_records(path, source, stem, columns, records=(0, None), *, delimiter: str | None = None,
                 row_offset: int = 0, encoding: str | None = None,
                 warnings: list[str] | None = None) -> Iterator[_Raw | IngestError]:
    first, last = records
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = delimiter or _csv_delimiter(path)
    if encoding is None:
        encoding, warnings = _stream_encoding(path)
    with _open_binary(path) as binary:
        handle = io.TextIOWrapper(binary, encoding=encoding, newline="")
        reader = csv.DictReader(handle, delimiter=delimiter)
        row_no = row_offset
        first, last = first + row_offset, (None if last is None else last + row_offset)
        try:
            _check_csv_header(reader.fieldnames or [], columns)
            while row_no < first:  # rows before this range: parsed (quoted newlines) but not made into dicts
                skipped = next(reader.reader, None)
                if skipped is None:
                    return
                if skipped:  # DictReader skips blank rows without counting them: so must this
                    row_no += 1
            for row in reader:
                row_no += 1
                if last is not None and row_no > last:
                    return
                row_source = f"{source}#row={row_no}"
                try:
                    raw = _record_raw(row, row_source, f"{stem}-{row_no}", columns)
                    raw.warnings.extend(warnings or ())
                    yield raw
                except IngestFailure as exc:
                    yield IngestError(row_source, str(exc))
        except csv.Error as exc:
            yield IngestError(f"{source}#line={reader.line_num}", f"malformed CSV at line {reader.line_num}: {exc}; "
                                                                  "the rest of this file is lost")
        except UnicodeDecodeError as exc:
            yield IngestError(f"{source}#line={reader.line_num}", f"not UTF-8 after line {reader.line_num} "
                                                                  f"({exc.reason}); the rest of this file is lost")
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            yield IngestError(f"{source}#line={reader.line_num}", f"truncated or corrupt compressed file after "
                                                                  f"line {reader.line_num}: the rest of this file "
                                                                  f"is lost ({exc})")


def _parquet_records(path, source, stem, columns, records=(0, None)) -> Iterator[_Raw | IngestError]:
    first, last = records
    try:
        import pyarrow.parquet as pq

        table = pq.ParquetFile(path)
    except Exception as exc:
        raise IngestFailure(f"not a readable Parquet file: {exc}") from None
    names = table.schema_arrow.names
    if _pick(dict.fromkeys(names), "text", columns) is None:
        wanted = columns.get("text") or ", ".join(COLUMN_CANDIDATES["text"])
        raise IngestFailure(f"Parquet file has no text column (columns: {', '.join(names)}; looked for: {wanted})")
    # whole row groups before the range are not decoded (Parquet can be entered at a row group)
    groups, row_no, groups_end = [], 0, 0
    for index in range(table.metadata.num_row_groups):
        rows_in_group = table.metadata.row_group(index).num_rows
        if groups_end + rows_in_group <= first:  # wholly before the range
            groups_end += rows_in_group
            row_no = groups_end
            continue
        if last is not None and groups_end >= last:
            break
        groups.append(index)
        groups_end += rows_in_group
    for batch in table.iter_batches(batch_size=2048, row_groups=groups):
        if row_no + batch.num_rows <= first:
            row_no += batch.num_rows
            continue
        for record in batch.to_pylist():
            row_no += 1
            if row_no <= first:
                continue
            if last is not None and row_no > last:
                return
            row_source = f"{source}#row={row_no}"
            try:
                yield _record_raw({k: ("" if v is None else v) for k, v in record.items()}, row_source,
                                  f"{stem}-{row_no}", columns)
            except IngestFailure as exc:
                yield IngestError(row_source, str(exc))


# ---- paths, sidecars, ids -------------------------------------------------------------------------------

def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path | IngestError]:
    """Files to read, in a stable order: directories recursively, globs expanded; missing paths as errors."""
    for entry in paths:
        entry = str(entry)
        if any(ch in entry for ch in "*?["):
            matches = sorted(glob.glob(entry, recursive=True))
            if not matches:
                yield IngestError(entry, "no file matches this pattern")
            for match in matches:
                if Path(match).is_file() and Path(match).name != SIDECAR_NAME:
                    yield Path(match)
            continue
        path = Path(entry)
        if path.is_dir():
            for child in _files_under(path):
                if child.name != SIDECAR_NAME and child.name.lower() != "readme.md":
                    yield child
        elif path.is_file():
            yield path
        else:
            yield IngestError(entry, "no such file or directory")


def _files_under(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, hidden ones left out, one folder's names in memory at a time (a
    sorted rglob held every path of the tree: 200 bytes a file). Like rglob, it does not enter linked folders."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            yield from _files_under(path)
        elif path.is_file():
            yield path


def read_sidecar(path: Path) -> dict[str, dict]:
    """metadata.csv: one row per file (column ``file``), filling gaps and overriding what a file carries."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    table = {}
    for row in rows:
        key = (row.get("file") or row.get("doc_id") or "").strip()
        if key:
            table[key] = {k: v.strip() for k, v in row.items() if k in METADATA_FIELDS and v and v.strip()}
    return table


def read_sidecars(paths, metadata=None) -> tuple[dict, list[IngestError]]:
    """The metadata sidecars that apply: ``metadata.csv`` in each directory read or beside each file given,
    then ``metadata`` (which overrides)."""
    sidecar: dict[str, dict] = {}
    errors = []
    folders = []
    for entry in paths:
        path = Path(entry)
        folder = path if path.is_dir() else path.parent if path.is_file() else None
        if folder is not None and folder not in folders:
            folders.append(folder)
    for folder in folders:
        if (folder / SIDECAR_NAME).is_file():
            sidecar.update(read_sidecar(folder / SIDECAR_NAME))
    if metadata is not None:
        if Path(metadata).is_file():
            sidecar.update(read_sidecar(Path(metadata)))
        else:
            errors.append(IngestError(str(metadata), "metadata sidecar: no such file"))
    return sidecar, errors


def safe_id(hint: str) -> str:
    """A document id usable as a file name: no separators, no '..', not empty."""
    cleaned = _UNSAFE_ID_CHARS.sub("_", hint).strip("._-")
    cleaned = _DOTS.sub(".", cleaned)
    return cleaned[:120] or "doc"


class IdAllocator:
    """Unique ids within a run, the same on every run for the same inputs in the same order.

    It remembers a 63-bit hash of each id given, 8 bytes in a sorted array, rather than the ids: a million
    documents cost 8 MB, not 100, and the client's memory stays flat. Two different ids with the same hash
    (odds about n^2 / 2^64: 1 in 20 million for a million ids) would only give the later one a -2 suffix.
    """

    _BATCH = 4096  # hashes held in a set before they join the sorted array (one O(n) insert per batch)

    def __init__(self) -> None:
        self._recent: set[int] = set()
        self._sorted = np.empty(0, dtype=np.int64)

    def __call__(self, hint: str) -> str:
        base = safe_id(hint)
        candidate, n = base, 1
        while self._used(key := _id_key(candidate)):
            n += 1
            candidate = f"{base}-{n}"
        self._recent.add(key)
        if len(self._recent) >= self._BATCH:
            batch = np.sort(np.fromiter(self._recent, dtype=np.int64, count=len(self._recent)))
            self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, batch), batch)
            self._recent.clear()
        return candidate

    def _used(self, key: int) -> bool:
        if key in self._recent:
            return True
        at = int(self._sorted.searchsorted(np.int64(key)))
        return at < len(self._sorted) and int(self._sorted[at]) == key


def _id_key(doc_id: str) -> int:
    digest = hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1  # 63 bits: a signed int64 holds it exactly


def _to_document(raw: _Raw, doc_id: str, sidecar: dict) -> Document:
    warnings = list(raw.warnings)
    raw_text, raw_meta = raw.text, raw.meta
    if clean.has_lone_surrogates(raw_text) or any(isinstance(v, str) and clean.has_lone_surrogates(v)
                                                  for v in raw_meta.values()):
        # they would stop the run when the tables are written as UTF-8
        raw_text = clean.replace_lone_surrogates(raw_text)
        raw_meta = {k: clean.replace_lone_surrogates(v) if isinstance(v, str) else v for k, v in raw_meta.items()}
        warnings.append("half of a UTF-16 surrogate pair (a lone \\ud800-\\udfff escape) replaced by U+FFFD")
    text, found, removed = clean_body(raw_text, raw.fmt)
    if not clean.has_words(text):
        raise IngestFailure("no words left after cleaning")
    meta = {**found, **{k: v for k, v in raw_meta.items() if v}}
    overrides = sidecar.get(raw.file_name) or sidecar.get(doc_id) or {}
    meta.update(overrides)
    fmt = "html" if raw.fmt == "html-fragment" else raw.fmt
    return Document(doc_id=doc_id, text=text, source=raw.source, format=fmt,
                    **{k: meta.get(k, "") for k in METADATA_FIELDS},
                    removed=removed, warnings=warnings)


def iter_corpus(paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                columns: dict[str, str] | None = None,
                metadata: str | os.PathLike | None = None) -> Iterator[Document | IngestError]:
    """Yield each document or error in a stable order, one at a time (memory does not grow with the corpus).

    ``columns`` maps a role (text, title, outlet, author, date, url, id) to a column/key name for CSV, JSONL
    and JSON records. ``metadata`` is a sidecar CSV; a ``metadata.csv`` inside a directory read is used too.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    columns = {k: v for k, v in (columns or {}).items() if v}
    sidecar, sidecar_errors = read_sidecars(paths, metadata)
    yield from sidecar_errors
    allocate = IdAllocator()
    for item in expand_paths(paths):
        if isinstance(item, IngestError):
            yield item
            continue
        for document in read_documents(item, columns=columns, sidecar=sidecar):
            if isinstance(document, Document):
                document.doc_id = allocate(document.doc_id)  # only documents that survive cleaning take an id
            yield document


def read_documents(path: Path, *, columns: dict[str, str], sidecar: dict, start: int = 0, end: int | None = None,
                   records: tuple[int, int | None] = (0, None), chunk: Path | None = None,
                   newlines_before: int | None = None) -> Iterator[Document | IngestError]:
    """The cleaned documents of one file (or of a byte or record range of it), each with its provisional id
    (a safe form of its file name or id column); the caller makes ids unique across the run. The one reading
    path of ``load_corpus`` and of the workers of ``framing.pipeline``."""
    for raw in _read_file(path, columns, start, end, records, chunk, newlines_before):
        if isinstance(raw, IngestError):
            yield raw
            continue
        raw.file_name = path.name
        try:
            yield _to_document(raw, safe_id(raw.id_hint), sidecar)
        except IngestFailure as exc:
            yield IngestError(raw.source, str(exc))


def load_corpus(paths, *, columns: dict[str, str] | None = None,
                metadata: str | os.PathLike | None = None) -> Corpus:
    """Read every path; return the documents and one error per input that could not be read."""
    documents: list[Document] = []
    errors: list[IngestError] = []
    for item in iter_corpus(paths, columns=columns, metadata=metadata):
        (errors if isinstance(item, IngestError) else documents).append(item)
    return Corpus(documents, errors)
