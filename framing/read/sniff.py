"""Deciding a file's format: by suffix, then by content where the suffix says only 'text' (or lies)."""

from __future__ import annotations

import re
from pathlib import Path

from framing.errors import IngestFailure
from framing.read.jsonfix import parse_json_lenient

_MARKDOWN_SIGNS = re.compile(r"^\s{0,3}#{1,6}\s|\[[^\]]+\]\([^)]*\)|\\[*_]|^\s*[*-]{3,}\s*$", re.M)
_HTML_PAGE = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.I)


def _suffix(path: Path) -> str:
    """The last suffix that is not .gz, lower-cased ("" if none)."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return suffixes[-1] if suffixes else ""


def sniff_format(path: Path, text: str) -> str:
    """Decide the format from the suffix, then from the content where the suffix says only 'text'."""
    return sniff_format_and_parse(path, text)[0]


def sniff_format_and_parse(path: Path, text: str) -> tuple[str, tuple | None]:
    """The format, and for content sniffed as JSON the parse that decided it (value, warnings): made once."""
    suffix = _suffix(path)
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


def is_wordpress_record(record: dict) -> bool:
    """The record-level twin of _looks_like_wordpress (serialising every record to sniff it cost as much as
    cleaning it)."""
    return ("content" in record or "title" in record) and any(
        isinstance(value, dict) and "rendered" in value for value in record.values())


def stream_kind(path: Path) -> str | None:
    """Formats read record by record from an open file (never whole into memory): by suffix."""
    suffix = _suffix(path)
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".parquet":
        return "parquet"
    return None


def csv_delimiter(path: Path) -> str:
    return "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
