"""A raw record becomes a Document: its body cleaned the way its format needs, the metadata found in its first
lines, then what the record carried, then the sidecar's overrides."""

from __future__ import annotations

from framing import clean
from framing.errors import IngestFailure
from framing.model import Document
from framing.read.formats import Raw
from framing.read.metadata import METADATA_FIELDS, extract_header_metadata

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


def to_document(raw: Raw, doc_id: str, sidecar: dict) -> Document:
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
