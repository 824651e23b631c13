"""One reader per format, each giving raw records (text + metadata, not yet cleaned) or errors.

Files read whole: plain text, Markdown, saved HTML pages, WordPress REST JSON, JSON records. Streams, read
record by record from an open file (never whole into memory): JSONL, CSV/TSV, Parquet. A record that cannot
be read costs only itself; a stream that breaks off costs the rest of its file, as one error.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from framing import clean
from framing.errors import IngestFailure
from framing.model import IngestError
from framing.read import decode
from framing.read.jsonfix import explain_json_error, parse_json_lenient
from framing.read.metadata import METADATA_FIELDS, first_heading, normalize_date, pick, text_columns_wanted
from framing.read.sniff import csv_delimiter, is_wordpress_record, sniff_format_and_parse

_HTML_TAGS = re.compile(r"</?(p|div|br|span|a|em|strong|h[1-6]|ul|li|figure|img)\b[^>]*>", re.I)
_URL_HOST = re.compile(r"^https?://(?:www\.)?([^/]+).*")

# What ends a CSV stream early: reading it and splitting it into chunks report the same error for each
CSV_STREAM_ERRORS = (csv.Error, UnicodeDecodeError, *decode.COMPRESSED_ERRORS)


@dataclass
class Raw:
    text: str
    fmt: str  # cleaning pipeline to use
    source: str
    id_hint: str
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    file_name: str = ""


def file_stem(path: Path) -> str:
    """A file's name before its first dot: the id hint of its documents."""
    return path.name.split(".")[0] or path.name


# ---- records: a JSON object, a JSONL line, a CSV or Parquet row ------------------------------------------

def _rendered(value) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", value.get("raw", ""))
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _wordpress_raw(post: dict, source: str, id_hint: str) -> Raw:
    if "content" not in post:
        raise IngestFailure("WordPress post without a 'content' field")
    title = clean.decode_html_entities(clean.html_fragment_to_text(_rendered(post.get("title")))).strip()
    body = _rendered(post.get("content"))
    if title:  # the headline is part of the framing, so it is analysed with the body
        body = f"<h1>{html.escape(title)}</h1>\n{body}"
    meta = {"title": title, "date": normalize_date(str(post.get("date") or "")), "url": str(post.get("link") or "")}
    author = post.get("author_name") or (post.get("yoast_head_json") or {}).get("author") or ""
    if isinstance(author, str) and author:
        meta["author"] = author
    site = (post.get("yoast_head_json") or {}).get("og_site_name")
    if site:
        meta["outlet"] = site
    elif meta["url"]:
        meta["outlet"] = _URL_HOST.sub(r"\1", meta["url"])
    wp_id = post.get("id")
    return Raw(body, "wordpress", source, str(wp_id) if wp_id is not None else id_hint, meta)


def _record_raw(record: dict, source: str, id_hint: str, columns: dict[str, str]) -> Raw:
    if is_wordpress_record(record):
        return _wordpress_raw(record, source, id_hint)
    lowered = {str(k).lower(): k for k in record}
    text_key = pick(record, "text", columns, lowered)
    if text_key is None:
        raise IngestFailure(f"no text column (looked for: {text_columns_wanted(columns)}); "
                            "name one with --text-column")
    text = _rendered(record.get(text_key))
    meta = {}
    for role in METADATA_FIELDS:
        key = pick(record, role, columns, lowered)
        if key is not None and record.get(key) not in (None, ""):
            meta[role] = _rendered(record[key]).strip()
    meta["date"] = normalize_date(meta.get("date", ""))
    key = pick(record, "id", columns, lowered)
    doc_hint = str(record[key]) if key is not None and record.get(key) not in (None, "") else id_hint
    fmt = "html-fragment" if _HTML_TAGS.search(text[:5000]) else "txt"
    return Raw(text, fmt, source, doc_hint, meta)


# ---- files read whole -----------------------------------------------------------------------------------

def read_whole_file(path: Path, columns: dict[str, str], limit: int | None = None) -> Iterator[Raw | IngestError]:
    """A file that is not a stream: decoded whole, its format sniffed, then read by that format's reader. A
    compressed one may decompress to ``limit`` bytes at most."""
    source = str(path)
    try:
        text, warnings = decode.decode_bytes(decode.read_bytes(path, limit))
    except (OSError, *decode.COMPRESSED_ERRORS) as exc:
        yield IngestError(source, decode.os_error_reason(exc))
        return
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
        return
    fmt, parsed = sniff_format_and_parse(path, text)
    stem = file_stem(path)
    try:
        if fmt in ("txt", "md"):
            meta = {"title": first_heading(text)} if fmt == "md" else {}
            yield Raw(text, fmt, source, stem, {k: v for k, v in meta.items() if v}, warnings)
        elif fmt == "html":
            yield _html_page_raw(text, source, stem, warnings)
        elif fmt in ("wordpress", "json"):
            value, json_warnings = parsed or parse_json_lenient(text)
            yield from _json_records(value, source, stem, columns, warnings + json_warnings)
    except IngestFailure as exc:
        yield IngestError(source, str(exc))


def _html_page_raw(text: str, source: str, stem: str, warnings: list[str]) -> Raw:
    import trafilatura  # heavy import, only when a page is read

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    if extracted is None:
        raise IngestFailure("HTML page with no main text found")
    found = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = found.get("text") or ""
    meta = {"title": found.get("title") or "", "author": found.get("author") or "",
            "date": normalize_date(found.get("date") or ""), "url": found.get("url") or "",
            "outlet": found.get("sitename") or ""}
    title = meta["title"]
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"
    return Raw(body, "html", source, stem, {k: v for k, v in meta.items() if v}, list(warnings))


def _json_records(value, source, stem, columns, warnings) -> Iterator[Raw | IngestError]:
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


# ---- streams --------------------------------------------------------------------------------------------

def read_stream(path: Path, kind: str, columns: dict[str, str], start: int, end: int | None,
                records: tuple[int, int | None] = (0, None), newlines_before: int | None = None,
                limit: int | None = None) -> Iterator[Raw | IngestError]:
    """A JSONL, CSV or Parquet file (``kind``, from ``stream_kind``), or a byte or record range of it; ``limit``:
    the bytes one line may hold."""
    source = str(path)
    stem = file_stem(path)
    try:
        if kind == "parquet":
            yield from _parquet_records(path, source, stem, columns, records)
            return
        if start == 0 and records[0] == 0:
            decode.check_stream_head(path, kind)
        if kind == "jsonl":
            yield from jsonl_records(path, source, stem, columns, start, end, records,
                                     newlines_before=newlines_before, limit=limit)
        else:
            yield from csv_records(path, source, stem, columns, records, limit=limit)
    except IngestFailure as exc:
        yield IngestError(source, str(exc))
    except OSError as exc:
        yield IngestError(source, decode.os_error_reason(exc))


def jsonl_records(path, source, stem, columns, start=0, end=None, records=(0, None), *, line_offset: int = 0,
                  newlines_before: int | None = None, limit: int | None = None,
                  notes: dict | None = None) -> Iterator[Raw | IngestError]:
    """One JSON object per line. With a byte range, the lines that start inside [start, end); with a record
    range, lines first+1 to last (read and skipped up to the range: split_records avoids that for big files).
    ``line_offset``: lines before this file's first line (a chunk of a bigger file), for line numbers.
    ``newlines_before``: newlines in the bytes before ``start - 1``, when the planner counted them.
    A line longer than ``limit`` bytes is read past in bounded pieces and is one error; a line that is not
    UTF-8 is decoded as Windows-1252 with a warning. ``notes``: what ``split_records`` noted, by line number."""
    first, last = records[0] + line_offset, (None if records[1] is None else records[1] + line_offset)
    limit = decode.max_bytes(None) if limit is None else limit
    line_no = line_offset
    with decode.open_binary(path) as handle:
        if start:
            # lines ended before this range: the newlines before its last byte, plus the line it finishes
            # (the planner counts them in one pass over the file; counting here would re-read the prefix)
            if newlines_before is None:
                newlines_before = decode.count_newlines(path, [start - 1])[0]
            line_no = newlines_before + 1
            handle.seek(start - 1)
            if handle.read(1) != b"\n":
                handle.readline()  # the line that started before this range belongs to the previous one
        position = handle.tell()
        while end is None or position < end:
            try:
                line = handle.readline(limit + 1)
                skipped = _skip_rest_of_line(handle) if len(line) > limit and not line.endswith(b"\n") else 0
            except decode.COMPRESSED_ERRORS as exc:
                yield decode.truncated_error(f"{source}:{line_no + 1}", line_no, exc)
                return
            if not line:
                break
            position += len(line) + skipped
            line_no += 1
            if line_no <= first:
                continue
            if last is not None and line_no > last:
                return
            row_source = f"{source}:{line_no}"
            note_errors, note_warnings = take_notes(notes, line_no)
            yield from note_errors
            if len(line) > limit and not line.endswith(b"\n"):
                yield IngestError(row_source, line_too_long(line_no, limit))
                continue
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8-sig" if line_no == line_offset + 1 else "utf-8")
                line_warnings = []
            except UnicodeDecodeError:
                text = decode.utf8_with_cp1252_fallback(line)[0].removeprefix("\ufeff")
                line_warnings = [decode.cp1252_warning([line_no], "line")]
            try:
                record, json_warnings = _json_line(text)
            except json.JSONDecodeError as exc:
                yield IngestError(row_source, f"line {line_no} is cut off or not JSON: {explain_json_error(text, exc)}")
                continue
            if not isinstance(record, dict):
                yield IngestError(row_source, f"line {line_no} is not a JSON object")
                continue
            try:
                raw = _record_raw(record, row_source, f"{stem}-{line_no}", columns)
            except IngestFailure as exc:
                yield IngestError(row_source, str(exc))
                continue
            raw.warnings.extend(line_warnings + json_warnings + note_warnings)
            yield raw
    if last is None:
        yield from leftover_notes(notes)


def _skip_rest_of_line(handle) -> int:
    """Read past the rest of a line in bounded pieces; the bytes skipped."""
    skipped = 0
    while True:
        piece = handle.readline(decode.STREAM_BLOCK)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped


def line_too_long(line_no: int, limit: int) -> str:
    return decode.too_big(f"line {line_no} holds", limit) + "; the line is skipped"


# ---- notes: what split_records saw in a record that its chunk no longer shows (see framing.read.units) --------

def take_notes(notes: dict | None, number: int) -> tuple[list[IngestError], list[str]]:
    """The errors that come before record ``number`` and the warnings on it, from a chunk's notes."""
    if not notes or number not in notes:
        return [], []
    note = notes.pop(number)
    return [IngestError(*error) for error in note.get("errors", ())], list(note.get("warnings", ()))


def leftover_notes(notes: dict | None) -> Iterator[IngestError]:
    """Errors noted after the last record of a chunk (a too-long line at the end of the file)."""
    for number in sorted(notes or ()):
        yield from take_notes(notes, number)[0]


def _json_line(text: str) -> tuple[object, list[str]]:
    """One JSONL line; raw control characters (a tab) inside its strings are accepted with a warning, as in
    JSON files."""
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        if exc.msg != "Invalid control character at":
            raise
    return json.loads(text, strict=False), ["JSON had raw control characters inside strings"]


def check_csv_header(header, columns) -> None:
    if not header:
        raise IngestFailure("CSV without a header row")
    if pick(dict.fromkeys(header), "text", columns) is None:
        raise IngestFailure(f"CSV has no text column (header: {', '.join(header)}; looked for: "
                            f"{text_columns_wanted(columns)}); name one with --text-column")


def csv_stream_error(source: str, line: int, exc: Exception, limit: int | None = None) -> IngestError:
    """The error for one of ``CSV_STREAM_ERRORS`` at ``line`` of a CSV file: the rest of the file is lost."""
    where = f"{source}#line={line}"
    if isinstance(exc, csv.Error) and "field larger than field limit" in str(exc):
        return IngestError(where, decode.too_big(f"a field ending at line {line} holds",
                                                 limit or decode.max_bytes(None)) + "; the rest of this file is lost")
    if isinstance(exc, csv.Error):
        return IngestError(where, f"malformed CSV at line {line}: {exc}; the rest of this file is lost")
    if isinstance(exc, UnicodeDecodeError):
        return IngestError(where, f"not {exc.encoding.upper()} after line {line} ({exc.reason}); the rest of this "
                                  "file is lost")
    return decode.truncated_error(where, line, exc)


def line_notes(lines: decode.LineReader, source: str, limit: int) -> tuple[list[IngestError], list[str]]:
    """What a CSV reader's ``LineReader`` noted since the last row: an error for each line skipped as too long,
    and the warning for lines decoded as Windows-1252."""
    cp1252_lines, long_lines = lines.take()
    errors = [IngestError(f"{source}#line={n}", line_too_long(n, limit)) for n in long_lines]
    return errors, [decode.cp1252_warning(cp1252_lines, "line")] if cp1252_lines else []


def _row_shape_warning(row: dict, row_no: int, n_header: int) -> str:
    """A warning for a CSV row with more fields than its header (csv.DictReader keeps the extra ones under the
    key None: they are dropped here) or fewer (the missing ones are None), else ""."""
    extra = row.pop(None, None)
    if extra:
        shown = ", ".join(value if len(value) <= 30 else value[:29] + "…" for value in extra[:3])
        more = ", …" if len(extra) > 3 else ""
        return (f"row {row_no} has {n_header + len(extra)} fields but the header has {n_header}: "
                + (f"the last one ({shown}) is ignored" if len(extra) == 1 else
                   f"the last {len(extra)} ({shown}{more}) are ignored"))
    missing = [str(key) for key, value in row.items() if value is None]
    if missing:
        n_fields = n_header - len(missing)
        return (f"row {row_no} has {n_fields} field{'' if n_fields == 1 else 's'} but the header has {n_header}: "
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} left empty")
    return ""


def csv_records(path, source, stem, columns, records=(0, None), *, delimiter: str | None = None,
                row_offset: int = 0, encoding: str | None = None, limit: int | None = None,
                notes: dict | None = None) -> Iterator[Raw | IngestError]:
    """The rows of a CSV or TSV file (or rows first+1 to last of it, ``records``). Lines are decoded one by one
    (``decode.LineReader``): a row on a line that is not UTF-8 is decoded as Windows-1252 with a warning, a line
    longer than ``limit`` bytes is one error and skipped, UTF-16 files are decoded as such. ``encoding="utf-8"``
    for chunks, which ``split_records`` wrote in UTF-8, with its ``notes`` by row number; ``row_offset``: rows
    before the chunk's first row."""
    first, last = records
    limit = decode.max_bytes(None) if limit is None else limit
    csv.field_size_limit(min(limit, 2**31 - 1))  # a C long on every platform
    delimiter = delimiter or csv_delimiter(path)
    utf16 = decode.stream_utf16(path) if encoding is None else None
    with decode.open_binary(path) as binary:
        lines = decode.LineReader(binary, limit, encoding=utf16)
        reader = csv.DictReader(lines, delimiter=delimiter)
        row_no = row_offset
        first, last = first + row_offset, (None if last is None else last + row_offset)

        def notes_on(number: int) -> tuple[list[IngestError], list[str]]:
            return take_notes(notes, number) if notes is not None else line_notes(lines, source, limit)

        try:
            check_csv_header(reader.fieldnames or [], columns)
            while row_no < first:  # rows before this range: parsed (quoted newlines) but not made into dicts
                skipped = next(reader.reader, None)
                if skipped is None:
                    break
                if skipped:  # DictReader skips blank rows without counting them: so must this
                    row_no += 1
                    notes_on(row_no)  # an earlier unit reports them
            else:
                for row in reader:
                    row_no += 1
                    if last is not None and row_no > last:
                        return
                    row_source = f"{source}#row={row_no}"
                    errors, warnings = notes_on(row_no)
                    yield from errors
                    shape = _row_shape_warning(row, row_no, len(reader.fieldnames))
                    try:
                        raw = _record_raw(row, row_source, f"{stem}-{row_no}", columns)
                    except IngestFailure as exc:
                        yield IngestError(row_source, str(exc))
                        continue
                    raw.warnings.extend(warnings + ([shape] if shape else []))
                    yield raw
        except CSV_STREAM_ERRORS as exc:
            yield csv_stream_error(source, reader.line_num, exc, limit)
            return
        if last is None:  # what was noted after the last row: the unit of the last range reports it
            yield from leftover_notes(notes) if notes is not None else notes_on(row_no + 1)[0]


def _parquet_records(path, source, stem, columns, records=(0, None)) -> Iterator[Raw | IngestError]:
    first, last = records
    try:
        import pyarrow.parquet as pq

        table = pq.ParquetFile(path)
    except Exception as exc:
        raise IngestFailure(f"not a readable Parquet file: {exc}") from None
    names = table.schema_arrow.names
    if pick(dict.fromkeys(names), "text", columns) is None:
        raise IngestFailure(f"Parquet file has no text column (columns: {', '.join(names)}; "
                            f"looked for: {text_columns_wanted(columns)})")
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
