"""Bytes to text: decoding, opening (gzip) streams, their head, and the one error for a compressed file that
ends early or is corrupt."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from framing.errors import IngestFailure
from framing.model import IngestError

STREAM_BLOCK = 1 << 20

# What reading a gzip stream raises where the file was cut short or is corrupt. BadGzipFile is an OSError and is
# named here so that it is told from the other OSErrors ("cannot read").
COMPRESSED_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def os_error_reason(exc: OSError) -> str:
    """The reason shown for an input the system would not let framing read."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc}"


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
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


def read_bytes(path: Path) -> bytes:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


def open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def stream_head(path: Path, size: int) -> bytes:
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


def stream_encoding(path: Path) -> tuple[str, list[str]]:
    """A CSV stream's encoding, judged on its first 64 KB: UTF-8, else Windows-1252 with a warning (what
    Excel on Windows saves), as whole files are decoded."""
    head = stream_head(path, 1 << 16)
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not only a character cut at the end of the sample
            return "cp1252", [f"not UTF-8 (byte {exc.start}); decoded as Windows-1252"]
    return "utf-8-sig", []


def check_stream_head(path: Path) -> None:
    head = stream_head(path, 8192)
    if not head.strip():
        raise IngestFailure("empty file" if not head else "empty file (only whitespace)")
    if b"\x00" in head:
        raise IngestFailure("binary file (contains NUL bytes), not text")


def truncated_error(source: str, lines_read: int, exc: Exception) -> IngestError:
    """The one error for a compressed stream that ends early or is corrupt (one of ``COMPRESSED_ERRORS``) after
    ``lines_read`` lines: those lines are kept, the rest of the file is lost."""
    return IngestError(source, f"truncated or corrupt compressed file after line {lines_read}: the rest of this "
                               f"file is lost ({exc})")


def count_newlines(path: Path, offsets: list[int]) -> list[int]:
    """Newlines in the bytes before each offset (ascending), in one pass over the file (uncompressed: the byte
    ranges of plain JSONL files are numbered by it)."""
    counts, seen, position = [], 0, 0
    with open(path, "rb") as handle:
        for offset in offsets:
            while position < offset:
                block = handle.read(min(STREAM_BLOCK, offset - position))
                if not block:
                    break
                seen += block.count(b"\n")
                position += len(block)
            counts.append(seen)
    return counts
