"""The files to read: paths, folders walked recursively, globs expanded, in a stable order.

What cannot be read is one error naming the path and the reason (a folder or file without permission, a broken
symbolic link, a FIFO or device), and the rest goes on. Hidden files, linked folders inside a walked folder,
READMEs and metadata sidecars are left out on purpose, without an error.
"""

from __future__ import annotations

import errno
import glob
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from framing.model import IngestError
from framing.read.decode import os_error_reason
from framing.read.metadata import SIDECAR_NAME

_NOT_REGULAR = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                (stat.S_ISBLK, "block device"))


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path | IngestError]:
    """Files to read, in a stable order: directories recursively, globs expanded; what cannot be read as
    errors."""
    for entry in paths:
        entry = str(entry)
        if any(ch in entry for ch in "*?["):
            matches = sorted(glob.glob(entry, recursive=True))
            if not matches:
                yield IngestError(entry, "no file matches this pattern")
            for match in matches:
                kind = path_kind(Path(match))
                if kind == "file" and Path(match).name != SIDECAR_NAME:
                    yield Path(match)
                elif kind not in ("file", "dir"):
                    yield IngestError(match, kind)
            continue
        path = Path(entry)
        kind = path_kind(path)
        if kind == "dir":
            for child in _files_under(path):
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


def _files_under(folder: Path) -> Iterator[Path | IngestError]:
    """Files under ``folder`` in sorted order, hidden ones left out, one folder's names in memory at a time (a
    sorted rglob held every path of the tree: 200 bytes a file); a folder or entry that cannot be read is an
    error. Like rglob, it does not enter linked folders."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield IngestError(str(folder), os_error_reason(exc))
        return
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        kind = path_kind(path)
        if kind == "dir":
            if not path.is_symlink():
                yield from _files_under(path)
        elif kind == "file":
            yield path
        else:
            yield IngestError(str(path), kind)
