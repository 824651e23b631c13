"""Bytes to text: decoding, opening (gzip) streams, their head, the lines of a text stream, and the one error for
a compressed file that ends early or is corrupt.

Text is UTF-8; a byte sequence that is not UTF-8 is decoded as Windows-1252 (what Excel on Windows saves), with a
warning on the document that holds it, so that one stray byte costs no row and no character of the rest.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from pathlib import Path

from framing.errors import IngestFailure
from framing.model import IngestError

STREAM_BLOCK = 1 << 20

MAX_DOCUMENT_MB = 64
"""What one document may take, by default: a whole compressed file decompressed (a .txt.gz, .json.gz), one line
of JSONL or CSV. A bigger one is an error row, never a run out of memory (``--max-document-mb``)."""


def max_bytes(max_document_mb: float | None) -> int:
    """The cap in bytes for ``max_document_mb`` (None: the default)."""
    return max(1, int((MAX_DOCUMENT_MB if max_document_mb is None else max_document_mb) * 2**20))


def megabytes(limit: int) -> str:
    return f"{limit / 2**20:g} MB"


def too_big(what: str, limit: int) -> str:
    """The reason for a document over the cap: ``what`` ("decompresses to", "line 7 is longer than") N MB."""
    return f"{what} more than {megabytes(limit)}, the limit of one document (raise it with --max-document-mb)"

# What reading a gzip stream raises where the file was cut short or is corrupt. BadGzipFile is an OSError and is
# named here so that it is told from the other OSErrors ("cannot read").
COMPRESSED_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def os_error_reason(exc: OSError) -> str:
    """The reason shown for an input the system would not let framing read."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc}"


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM or recognised without one (with a warning),
    else Windows-1252 with a warning."""
    if not data.strip():
        raise IngestFailure("empty file" if not data else "empty file (only whitespace)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise IngestFailure(f"undecodable: a UTF-16 file broken at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        utf16 = utf16_without_bom(data[:8192])
        if utf16 is None:
            raise IngestFailure("binary file (contains NUL bytes), not text")
        text = data[:len(data) - len(data) % 2].decode(utf16, errors="replace")
        if _too_many_controls(text) or text.count("\ufffd") > max(2, len(text) // 1000):
            raise IngestFailure("binary file (contains NUL bytes), not text")
        return text, [f"no byte order mark: decoded as {utf16.upper().replace('-LE', ' LE').replace('-BE', ' BE')}"]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    text, fallbacks, undefined = utf8_with_cp1252_fallback(data)
    if undefined:
        raise IngestFailure(f"undecodable: not UTF-8 (at byte {fallbacks[0]}) nor Windows-1252")
    if _too_many_controls(text):
        raise IngestFailure("binary file (control characters), not text")
    return text.removeprefix("\ufeff"), [cp1252_warning(fallbacks, "byte")]


_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


def utf8_with_cp1252_fallback(data: bytes) -> tuple[str, list[int], int]:
    """UTF-8, with each byte sequence that is not UTF-8 decoded as Windows-1252 (the five bytes it leaves undefined
    become U+FFFD). Returns the text, where those sequences start, and how many undefined bytes there were. Call it
    on a line or a file that failed as UTF-8: it decodes line by line, so that its cost stays linear."""
    parts: list[str] = []
    starts: list[int] = []
    undefined = offset = 0
    for line in data.splitlines(keepends=True):  # bytes split at \n, \r\n and \r only
        view, position = memoryview(line), 0
        while True:
            try:
                parts.append(codecs.utf_8_decode(view[position:], "strict", True)[0])
                break
            except UnicodeDecodeError as exc:
                start, end = position + exc.start, position + exc.end
                parts.append(codecs.utf_8_decode(view[position:start], "strict", True)[0])
                bad = line[start:end]
                parts.append(bad.decode("cp1252", errors="replace"))
                undefined += sum(byte in _UNDEFINED_IN_CP1252 for byte in bad)
                starts.append(offset + start)
                position = end
        offset += len(line)
    return "".join(parts), starts, undefined


def cp1252_warning(places: list, unit: str) -> str:
    """The warning for text decoded as Windows-1252 at ``places`` (byte offsets or line numbers)."""
    more = f" and {len(places) - 1} more" if len(places) > 1 else ""
    return f"not UTF-8 ({unit} {places[0]}{more}); decoded as Windows-1252"


def _too_many_controls(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(text) // 100)


def utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when ``sample`` looks like UTF-16 text without a byte order mark, else None.

    The tell: the high byte of every ASCII character (spaces, digits, punctuation, Latin letters) is a NUL, so
    in text of any script many NULs fall on one parity of position (odd for LE, even for BE) and almost none on
    the other; binary data has NULs on both.
    """
    sample = sample[:len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, on, off in (("utf-16-le", nul_odd, nul_even), ("utf-16-be", nul_even, nul_odd)):
        if on >= max(2, pairs // 10) and off <= pairs // 50:
            text = sample.decode(encoding, errors="replace")
            return encoding if " " in text or "\n" in text else None  # words are spaced, or lines end
    return None


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A whole file's bytes; a compressed one decompressed to at most ``limit`` bytes (by default
    ``MAX_DOCUMENT_MB``), never more: a gzip bomb costs the cap, not the memory of the machine."""
    if path.suffix.lower() == ".gz":
        limit = max_bytes(None) if limit is None else limit
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise IngestFailure(too_big("decompresses to", limit))
        return data
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


def stream_utf16(path: Path) -> str | None:
    """The UTF-16 codec of a text stream (by its byte order mark, or recognised without one), or None."""
    head = stream_head(path, 8192)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return utf16_without_bom(head) if b"\x00" in head else None


def check_stream_head(path: Path, kind: str = "jsonl") -> None:
    head = stream_head(path, 8192)
    if not head.strip():
        raise IngestFailure("empty file" if not head else "empty file (only whitespace)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head and utf16_without_bom(head)):
        if kind == "csv":
            return  # read as UTF-16 by LineReader
        raise IngestFailure("UTF-16 text: JSONL is read as UTF-8; save this file as UTF-8")
    if b"\x00" in head:
        raise IngestFailure("binary file (contains NUL bytes), not text")


def _line_end(data: bytes) -> int:
    """Where the first line of ``data`` ends (after its \\n, \\r\\n or \\r), or -1."""
    at = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=-1)
    if at < 0:
        return -1
    return at + (2 if data[at:at + 2] == b"\r\n" else 1)


class LineReader:
    """The lines of a text stream for ``csv.reader``, decoded line by line, each with its line end (as
    ``open(newline="")`` gives them: lines end at \\n, \\r\\n or \\r).

    UTF-8 (a BOM dropped); a line that is not UTF-8 is decoded with ``utf8_with_cp1252_fallback`` and noted in
    ``warnings``; UTF-16 streams (``encoding``) are decoded as such. A line longer than ``limit`` bytes is
    skipped in bounded reads and replaced by an empty line (a blank row, which csv readers pass over), and
    noted in ``too_long``. The reader of the rows takes both lists after each row (``take``): a note belongs to
    the row read since the last one.
    """

    def __init__(self, binary, limit: int, encoding: str | None = None):
        self.binary, self.limit, self.encoding = binary, limit, encoding
        self.line_no = 0                 # lines given so far
        self.warnings: list[int] = []    # lines decoded as Windows-1252, since the last take
        self.too_long: list[int] = []    # lines skipped as too long, since the last take

    def take(self) -> tuple[list[int], list[int]]:
        taken = self.warnings, self.too_long
        self.warnings, self.too_long = [], []
        return taken

    def __iter__(self):
        return self._utf16_lines() if self.encoding else self._lines()

    def _lines(self):
        pending, first, skipping, drop_lf = b"", True, False, False
        block_size = min(STREAM_BLOCK, self.limit)  # a line within one block is never too long
        while True:
            block = self.binary.read(block_size)
            data = pending + block if pending else block
            if drop_lf and data:  # the \n of a \r\n cut between blocks, after a skipped line
                data, drop_lf = data.removeprefix(b"\n"), False
            if skipping:  # the rest of a line that is too long, up to its end
                at = _line_end(data)
                if at < 0:
                    if not block:
                        return
                    pending = b""
                    continue
                skipping, drop_lf = False, at == len(data) and data.endswith(b"\r")
                data = data[at:]
            if first and data.startswith(codecs.BOM_UTF8):
                data = data[3:]
            first = first and len(data) < 3
            if not block:
                if data:
                    yield from self._decoded(data)
                return
            end = len(data) - 1 if data.endswith(b"\r") else len(data)  # a \r\n may be cut between blocks
            cut = max(data.rfind(b"\n", 0, end), data.rfind(b"\r", 0, end)) + 1
            pending = data[cut:]
            if cut and _line_end(data) > self.limit:  # the line left pending by the last block ended too long
                self.line_no += 1
                self.too_long.append(self.line_no)
                yield "\n"
                data = data[_line_end(data):]
                cut = len(data) - len(pending)
            if cut:
                yield from self._decoded(data[:cut])
            if len(pending) > self.limit:
                self.line_no += 1
                self.too_long.append(self.line_no)
                pending, skipping = b"", True
                yield "\n"

    def _decoded(self, data: bytes):
        """The lines of ``data`` (whole lines), decoded; a line decoded as Windows-1252 is noted as it is given,
        so that the note goes to the row that holds it."""
        try:
            lines = io.StringIO(data.decode("utf-8"), newline="").readlines()
        except UnicodeDecodeError:
            for line in data.splitlines(keepends=True):
                self.line_no += 1
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError:
                    text = utf8_with_cp1252_fallback(line)[0]
                    self.warnings.append(self.line_no)
                yield text
            return
        self.line_no += len(lines)
        yield from lines

    def _utf16_lines(self):
        text = io.TextIOWrapper(self.binary, encoding=self.encoding, newline="")
        limit = max(1, self.limit // 2)  # characters of two bytes
        while True:
            line = text.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and not line.endswith(("\n", "\r")):
                self.line_no += 1
                self.too_long.append(self.line_no)
                while line and not line.endswith(("\n", "\r")):
                    line = text.readline(STREAM_BLOCK)
                yield "\n"
                continue
            self.line_no += 1
            yield line.removeprefix("\ufeff") if self.line_no == 1 else line


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
