"""Which grouping a comparison can use: the one asked for, or documents one by one when every document falls in
one group (three plain text files have one outlet, "unknown"), with one sentence saying so."""

from __future__ import annotations

from dataclasses import dataclass

from framing.errors import CompareError, GroupingError
from framing.measure import group_column
from framing.model import Analysis

DOCUMENT = "document"


@dataclass(frozen=True)
class Grouping:
    group_by: str    # the grouping to compare by
    requested: str   # the grouping asked for
    n_groups: int    # groups under ``group_by``
    note: str = ""   # one sentence when the grouping was changed or nothing can be compared; "" otherwise

    @property
    def comparable(self) -> bool:
        return self.n_groups >= 2

    def require(self) -> "Grouping":
        """This grouping, or a ``CompareError`` saying (in its note) why nothing can be compared."""
        if not self.comparable:
            raise CompareError(self.note)
        return self


def choose_grouping(analysis: Analysis, group_by: str = "outlet") -> Grouping:
    """``group_by`` when it makes two groups or more; when every document falls in one group, the documents
    one by one (``"document"``), with a note saying why; with fewer than two documents, nothing to compare
    (``comparable`` is false) and a note saying so. An unknown column is a ``GroupingError``, as everywhere."""
    groups = group_column(analysis, group_by)
    n_documents, n_groups = len(groups), int(groups.nunique())
    if n_groups >= 2:
        return Grouping(group_by, group_by, n_groups)
    if n_documents >= 2:
        value = str(groups.iloc[0])
        shown = value[1:-1] if value.startswith("(") and value.endswith(")") else value  # "(unknown outlet)"
        note = (f"All {n_documents} documents have the same {group_by} ({shown}), so the comparison is between the "
                f"documents themselves (grouped by {DOCUMENT}).")
        return Grouping(DOCUMENT, group_by, n_documents, note)
    count = "no document" if n_documents == 0 else "one document only"
    return Grouping(group_by, group_by, n_groups,
                    f"There is no comparison: the corpus holds {count}, and a comparison needs two or more.")


def pick_group(documents, group_by: str, group: str = "") -> str:
    """The group ``group`` of ``group_by`` as the comparisons name it, or the first (alphabetically) when
    ``group`` is empty; a group no document is in is a ``GroupingError`` naming the closest ones."""
    import difflib

    names = sorted(set(group_column(Analysis(documents, None, None, None, {}), group_by).astype(str)))
    if not names:
        raise GroupingError("there are no documents, so no group to show")
    if not group:
        return names[0]
    if str(group) in names:
        return str(group)
    close = difflib.get_close_matches(str(group), names, n=3, cutoff=0.5) or names[:5]
    raise GroupingError(f"no document has {group_by} {group!r}; did you mean {', '.join(map(repr, close))}?")
