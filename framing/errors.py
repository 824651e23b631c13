"""Every error framing raises on purpose, in one place (as papermill keeps its exceptions).

Callers catch ``FramingError`` for all of them; the message is written for the user and names the file, the
option or the parameter at fault.
"""


class FramingError(Exception):
    """Base class of the errors framing raises on purpose."""


# ---- reading the corpus -----------------------------------------------------------------------------------

class IngestFailure(FramingError):
    """An input cannot be read; the message is the reason shown to the user."""


class NothingReadError(FramingError):
    """Not one document of the corpus could be read."""


class InputNotFoundError(FramingError):
    """A path given to analyse does not exist (a typo must not give an empty analysis)."""


# ---- measuring --------------------------------------------------------------------------------------------

class LexiconError(FramingError):
    """A lexicon file cannot be used; the message names the file and, where it can, the line."""


class TargetError(FramingError):
    """A --targets specification cannot be parsed."""


# ---- running and the tables -------------------------------------------------------------------------------

class RunError(FramingError):
    """A run that cannot start or cannot go on (an interrupted run can be resumed)."""


class TablesNotFoundError(FramingError):
    """A folder that holds no tables written by ``framing analyze``."""


class OutputNotOwnedError(RunError):
    """The output folder holds a file or folder under a name framing writes, which framing did not write (or
    which is read-only): framing replaces only what it wrote itself."""


class OutputLockedError(RunError):
    """Another run is writing into the same output folder; the message names it (pid, host, since when)."""


class StaleLockWarning(UserWarning):
    """The lock of a run that died (same host, process gone) was taken over."""


# ---- comparing and viewing --------------------------------------------------------------------------------

class UnknownDocumentError(FramingError):
    """A document id that is not in the analysis."""


class GroupingError(FramingError):
    """A grouping column that the documents do not have."""


class CompareError(FramingError):
    """A comparison that cannot be made (unknown group, unknown measure, nothing to compare)."""


class HighlightError(FramingError):
    """The highlight view cannot be made from the given input."""


# ---- validating and coders -------------------------------------------------------------------------------

class CodingError(FramingError):
    """A file of people's coding that cannot be used (no id columns, a code column missing, a label that is not
    one of the code's values); the message names the column and the value."""


class CoderError(FramingError):
    """A trained coder that cannot be trained, read or applied (a malformed coder folder, too few labels)."""


class CoderVersionWarning(UserWarning):
    """A coder trained with other versions of framing, scikit-learn or skops than the ones running."""


# ---- reports ----------------------------------------------------------------------------------------------

class NotebookNotFoundError(FramingError):
    """A notebook that framing does not ship and that no given folder holds."""


class TemplateNotFoundError(FramingError):
    """A page template that framing ships but that is not on the file system (a broken install)."""


class ParameterError(FramingError):
    """A notebook parameter that the notebook does not declare, or of the wrong type."""


class ReportFolderError(FramingError):
    """A report would replace or delete a file framing did not write (or one changed since it wrote it), or
    write an executed notebook over a notebook it runs; nothing is written."""
