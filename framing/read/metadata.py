"""Metadata: the columns that hold it, what a document carries in its first lines (byline, dateline, heading),
dates, and the metadata.csv sidecar that fills gaps and overrides."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

from framing import clean
from framing.errors import IngestFailure
from framing.model import IngestError
from framing.read.decode import decode_bytes

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

_BYLINE = re.compile(r"^(?i:by)\s+(?P<author>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin)){0,4})\s*$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATELINE = re.compile(
    rf"^(?P<outlet>[A-Z][\w .&'’-]{{1,50}}?),\s+(?P<date>(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}})\s*$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_FIRST_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.M)


# ---- columns ----------------------------------------------------------------------------------------------

def pick(record: dict, role: str, columns: dict[str, str], lowered: dict | None = None) -> str | None:
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


def text_columns_wanted(columns: dict[str, str]) -> str:
    """The text column(s) looked for, for the error when none is found."""
    return columns.get("text") or ", ".join(COLUMN_CANDIDATES["text"])


# ---- metadata a document carries in its text ------------------------------------------------------------

def normalize_date(value: str) -> str:
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
            found["date"] = normalize_date(dateline.group("date"))
        else:
            continue
        removed.append(stripped)
        lines[index] = ""
    return "\n".join(lines), found, removed


def first_heading(markdown: str) -> str:
    match = _FIRST_HEADING.search(markdown)
    return clean.markdown_to_text(match.group(1)).strip() if match else ""


# ---- sidecars -------------------------------------------------------------------------------------------

def read_sidecar(path: Path) -> dict[str, dict]:
    """metadata.csv: one row per file (column ``file``), filling gaps and overriding what a file carries."""
    data = path.read_bytes()  # a small file; Excel saves it in Windows-1252
    text = decode_bytes(data)[0] if data.strip() else ""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
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
        folder = path if _is(path, "dir") else path.parent if _is(path, "file") else None
        if folder is not None and folder not in folders:
            folders.append(folder)
    for folder in folders:
        if _is(folder / SIDECAR_NAME, "file"):
            _read_sidecar_into(sidecar, folder / SIDECAR_NAME, errors)
    if metadata is not None:
        if _is(Path(metadata), "file"):
            _read_sidecar_into(sidecar, Path(metadata), errors)
        else:
            errors.append(IngestError(str(metadata), "metadata sidecar: no such file"))
    return sidecar, errors


def _is(path: Path, kind: str) -> bool:
    """Path.is_dir / is_file, False where the system will not say (a path under an unreadable folder: its
    reader reports that)."""
    try:
        return path.is_dir() if kind == "dir" else path.is_file()
    except OSError:
        return False


def _read_sidecar_into(sidecar: dict, path: Path, errors: list[IngestError]) -> None:
    try:
        sidecar.update(read_sidecar(path))
    except PermissionError:
        errors.append(IngestError(str(path), "metadata sidecar: permission denied"))
    except (OSError, csv.Error, IngestFailure) as exc:
        errors.append(IngestError(str(path), f"metadata sidecar: cannot read ({exc})"))
