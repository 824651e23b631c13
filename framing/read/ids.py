"""Document ids: safe as file names, unique within a run, the same on every run for the same inputs."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

# Letters, marks and digits of any script are safe in file names; everything else (separators, control and
# format characters, spaces, Windows' <>:"/\\|?*) becomes one "_". ASCII names keep the plain rule's fast path.
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
_DOTS = re.compile(r"\.{2,}")
MAX_ID_BYTES = 120  # file names are limited in bytes (255 on most file systems), and pages add a suffix


def _unicode_safe(hint: str) -> str:
    out: list[str] = []
    unsafe_before = False
    for ch in unicodedata.normalize("NFC", hint):
        safe = ch in "._-" or unicodedata.category(ch)[0] in "LMN"
        if safe or not unsafe_before:
            out.append(ch if safe else "_")
        unsafe_before = not safe
    return "".join(out)


def safe_id(hint: str) -> str:
    """A document id usable as a file name on every system: letters and digits of any script, '.', '_' and '-';
    no separators, control characters or characters Windows forbids, no '..', at most 120 bytes, not empty."""
    cleaned = _UNSAFE_ASCII.sub("_", hint) if hint.isascii() else _unicode_safe(hint)
    cleaned = _DOTS.sub(".", cleaned.strip("._-"))
    if len(cleaned) > MAX_ID_BYTES:
        cleaned = cleaned.encode("utf-8")[:MAX_ID_BYTES].decode("utf-8", "ignore")
    return cleaned or "doc"


class IdAllocator:
    """Unique ids within a run, the same on every run for the same inputs in the same order.

    Unique as file names are on macOS and Windows: ids that differ only by case or Unicode normalisation
    (``Report`` and ``report``) are the same name there, so the later one gets the ``-2`` suffix too.

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
    """The hash of an id as a case-insensitive file system sees it."""
    if not doc_id.isascii():
        doc_id = unicodedata.normalize("NFC", unicodedata.normalize("NFC", doc_id).casefold())
    digest = hashlib.blake2b(doc_id.lower().encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1  # 63 bits: a signed int64 holds it exactly
