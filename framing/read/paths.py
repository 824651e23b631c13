"""The files to read: paths, folders walked recursively, globs expanded, in a stable order."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Iterable, Iterator

from framing.model import IngestError
from framing.read.metadata import SIDECAR_NAME


def expand_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path | IngestError]:
    """Files to read, in a stable order: directories recursively, globs expanded; missing paths as errors."""
    for entry in paths:
        entry = str(entry)
        if any(ch in entry for ch in "*?["):
            matches = sorted(glob.glob(entry, recursive=True))
            if not matches:
                yield IngestError(entry, "no file matches this pattern")
            for match in matches:
                if Path(match).is_file() and Path(match).name != SIDECAR_NAME:
                    yield Path(match)
            continue
        path = Path(entry)
        if path.is_dir():
            for child in _files_under(path):
                if child.name != SIDECAR_NAME and child.name.lower() != "readme.md":
                    yield child
        elif path.is_file():
            yield path
        else:
            yield IngestError(entry, "no such file or directory")


def _files_under(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, hidden ones left out, one folder's names in memory at a time (a
    sorted rglob held every path of the tree: 200 bytes a file). Like rglob, it does not enter linked folders."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            yield from _files_under(path)
        elif path.is_file():
            yield path
