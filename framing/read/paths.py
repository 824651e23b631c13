"""The files to read: paths, folders walked recursively, globs expanded, in a stable order.

framing's own output is never read back as input: a folder framing made holds a ``.framing-owned`` marker
and is skipped, and in a folder where framing wrote its tables beside other files the marker lists those
tables, which are skipped (an output folder inside the corpus folder was read as 10 times the corpus).
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Iterable, Iterator

from framing.model import IngestError
from framing.read.metadata import SIDECAR_NAME

ALL = None  # what _Owned.names gives for a folder framing made: everything in it is framing's


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path | IngestError]:
    """Files to read, in a stable order: directories recursively, globs expanded; missing paths as errors.
    framing's own output folders and tables are left out (a file named explicitly is read whatever it is)."""
    owned = _Owned()
    for entry in paths:
        entry = str(entry)
        if any(ch in entry for ch in "*?["):
            matches = sorted(glob.glob(entry, recursive=True))
            if not matches:
                yield IngestError(entry, "no file matches this pattern")
            for match in matches:
                if Path(match).is_file() and Path(match).name != SIDECAR_NAME and not owned.covers(Path(match)):
                    yield Path(match)
            continue
        path = Path(entry)
        if path.is_dir():
            if owned.covers(path):
                yield IngestError(entry, f"framing's own output (framing made this folder: it holds "
                                         f"{owned.marker_name}), not read as input")
                continue
            for child in _files_under(path, owned):
                if child.name != SIDECAR_NAME and child.name.lower() != "readme.md":
                    yield child
        elif path.is_file():
            yield path
        else:
            yield IngestError(entry, "no such file or directory")


class _Owned:
    """What framing's markers say is framing's, folder by folder (each marker read once per walk)."""

    def __init__(self):
        from framing import tables  # the owner of the marker's name and format

        self.read_marker = tables.read_marker
        self.marker_name = tables.OWNER_MARKER
        self.cache: dict[Path, frozenset | None] = {}

    def names(self, folder: Path) -> frozenset | None:
        """ALL for a folder framing made, else the names framing wrote in it (empty without a marker)."""
        if folder not in self.cache:
            marker = self.read_marker(folder)
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


def _files_under(folder: Path, owned: _Owned) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, hidden ones and framing's output left out, one folder's names in
    memory at a time (a sorted rglob held every path of the tree: 200 bytes a file). Like rglob, it does not
    enter linked folders."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    framing_names = owned.names(folder)
    if framing_names is ALL:
        return
    for name in names:
        if name.startswith(".") or name in framing_names:
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            yield from _files_under(path, owned)
        elif path.is_file():
            yield path
