"""The files to read: paths, folders walked recursively, globs expanded, in a stable order.

What cannot be read is one error naming the path and the reason (a folder or file without permission, a broken
symbolic link, a FIFO or device), and the rest goes on. Hidden files, linked folders inside a walked folder,
READMEs and metadata sidecars are left out on purpose, without an error.

framing's own output is never read back as input: a folder framing made holds a ``.framing-owned`` marker
and is skipped, and in a folder where framing wrote its tables beside other files the marker lists those
tables, which are skipped (an output folder inside the corpus folder was read as 10 times the corpus).
The marker's name and how to read it are here, below the tables that write it (``framing.tables``).
"""

from __future__ import annotations

import errno
import json
import glob
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from framing.model import IngestError
from framing.read.decode import os_error_reason
from framing.read.metadata import SIDECAR_NAME

OWNER_MARKER = ".framing-owned"  # in a folder framing made, or beside files it wrote: what is framing's there
ALL = None  # what _Owned.names gives for a folder framing made: everything in it is framing's
_NOT_REGULAR = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                (stat.S_ISBLK, "block device"))


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path | IngestError]:
    """Files to read, in a stable order: directories recursively, globs expanded; what cannot be read as
    errors. framing's own output folders and tables are left out (a file named explicitly is read whatever it
    is)."""
    owned = _Owned()
    for entry in paths:
        entry = str(entry)
        if any(ch in entry for ch in "*?["):
            matches = sorted(glob.glob(entry, recursive=True))
            if not matches:
                yield IngestError(entry, "no file matches this pattern")
            for match in matches:
                kind = path_kind(Path(match))
                if kind == "file" and Path(match).name != SIDECAR_NAME and not owned.covers(Path(match)):
                    yield Path(match)
                elif kind not in ("file", "dir"):
                    yield IngestError(match, kind)
            continue
        path = Path(entry)
        kind = path_kind(path)
        if kind == "dir":
            if owned.covers(path):
                yield IngestError(entry, f"framing's own output (framing made this folder: it holds "
                                         f"{OWNER_MARKER}), not read as input")
                continue
            for child in _files_under(path, owned):
                if isinstance(child, IngestError) or (child.name != SIDECAR_NAME and child.name.lower() != "readme.md"):
                    yield child
        elif kind == "file":
            yield path
        else:
            yield IngestError(entry, kind)


def path_kind(path: Path) -> str:
    """"file" (a regular file, or a link to one), "dir", or why the path cannot be read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and os.path.islink(path):
            return "broken symbolic link"
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if isinstance(exc, FileNotFoundError):
            return "no such file or directory"
        return os_error_reason(exc)
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    name = next((name for test, name in _NOT_REGULAR if test(mode)), "special file")
    return f"not a regular file ({name})"


def read_marker(folder: str | os.PathLike) -> dict | None:
    """framing's marker in ``folder``, or None. A marker that cannot be read is ``{"unreadable": True}``: input
    walks still skip the folder (only framing writes that name), but framing removes nothing on its word."""
    try:
        marker = json.loads((Path(folder) / OWNER_MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"unreadable": True}
    return marker if isinstance(marker, dict) and marker.get("owner") == "framing" else {"unreadable": True}


class _Owned:
    """What framing's markers say is framing's, folder by folder (each marker read once per walk)."""

    def __init__(self):
        self.cache: dict[Path, frozenset | None] = {}

    def names(self, folder: Path) -> frozenset | None:
        """ALL for a folder framing made, else the names framing wrote in it (empty without a marker)."""
        if folder not in self.cache:
            marker = read_marker(folder)
            if marker is None:
                self.cache[folder] = frozenset()
            elif marker.get("unreadable") or marker.get("whole_folder"):
                self.cache[folder] = ALL
            else:
                self.cache[folder] = frozenset(marker.get("files", ()))
        return self.cache[folder]

    def covers(self, path: Path) -> bool:
        """Whether ``path`` is framing's: listed by its folder's marker, or inside a folder framing made."""
        path = Path(os.path.abspath(path))
        names = self.names(path.parent)
        if names is ALL or path.name in names:
            return True
        if path.is_dir() and self.names(path) is ALL:
            return True
        return any(self.names(folder) is ALL for folder in path.parent.parents)


def _files_under(folder: Path, owned: _Owned) -> Iterator[Path | IngestError]:
    """Files under ``folder`` in sorted order, hidden ones and framing's output left out, one folder's names in
    memory at a time (a sorted rglob held every path of the tree: 200 bytes a file); a folder or entry that
    cannot be read is an error. Like rglob, it does not enter linked folders."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield IngestError(str(folder), os_error_reason(exc))
        return
    framing_names = owned.names(folder)
    if framing_names is ALL:
        return
    for name in names:
        if name.startswith(".") or name in framing_names:
            continue
        path = folder / name
        kind = path_kind(path)
        if kind == "dir":
            if not path.is_symlink():
                yield from _files_under(path, owned)
        elif kind == "file":
            yield path
        else:
            yield IngestError(str(path), kind)
