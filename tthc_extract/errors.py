"""Problems the tool reports in one line with a distinct exit code (never a traceback).

Every exit code of ``tthc`` (the README's table lists the same):

====  ==========================================================================================
0     every input done or skipped
1     internal error (a bug: ``--debug`` shows the traceback); ``tthc evaluate --min`` not reached
2     usage error, refused by click before any work (unknown option, ``--workers 0``, ``--cross-check``
      naming the engine, ``--db`` not a sqlite:/// or postgresql:// URL, ``-o`` naming an existing file)
3     a batch of several inputs in which some failed (each failure listed, with its own code in run.json)
4     no input failed, but some are suspect: text read in the table is in no output value (or in two); the
      outputs are written, their ``text_not_assigned`` / ``text_assigned_twice`` errors say where
10    the input cannot be read as asked (``--engine ocr`` without Tesseract)
11-18 one input: not a PDF, empty, truncated or corrupted, encrypted, no task table, image-only scan without
      OCR, unknown table header, beyond the limits
19    an input file or folder does not exist or cannot be read, or no PDF was found in the inputs
20    two inputs would write the same output (refused before any work)
21    the output folder or file cannot be written (read-only, permission denied, a path below a file)
22    the disk (or quota) is full
23    the database: unsupported or missing driver, cannot connect or create the tables, or a document
      could not be stored
24    ``--review``: the review was made for another PDF (its sha256 differs)
25    ``--review``: the file is not a ``tthc-review/1`` review
130   stopped by SIGINT (Ctrl-C); 143 stopped by SIGTERM (run.json lists what was done and interrupted)
====  ==========================================================================================
"""

from __future__ import annotations

import errno
import signal
from pathlib import Path


class ToolError(Exception):
    """A problem reported in one line; ``code`` is the process exit code, ``kind`` its name in run.json."""

    code = 1
    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ToolError):
    """A problem with one input file; ``code`` is the process exit code for a single-file run."""

    code = 10
    kind = "input_error"


class NotAPdf(InputError):
    code, kind = 11, "not_a_pdf"


class EmptyFile(InputError):
    code, kind = 12, "empty_file"


class CorruptPdf(InputError):
    code, kind = 13, "corrupt_pdf"


class EncryptedPdf(InputError):
    code, kind = 14, "encrypted_pdf"


class NoTableFound(InputError):
    """The PDF has no ruled table at all (or no text): nothing to look for a task table in. (A PDF whose tables
    are not task tables is ``UnmappableHeader``; the normalizer's own exception is ``normalize.NoTaskTable``.)"""

    code, kind = 15, "no_task_table"


class ImageOnlyPdf(InputError):
    code, kind = 16, "image_only"


class UnmappableHeader(InputError):
    """The PDF has ruled tables, but no header names the task columns."""

    code, kind = 17, "unmappable_header"


class TooLarge(InputError):
    code, kind = 18, "too_large"


class MissingInput(InputError):
    code, kind = 19, "missing_input"


class OutputCollision(ToolError):
    code, kind = 20, "output_collision"


class OutputNotWritable(ToolError):
    code, kind = 21, "output_not_writable"


class DiskFull(ToolError):
    code, kind = 22, "disk_full"


class DatabaseError(ToolError):
    code, kind = 23, "database"


class InternalError(ToolError):
    """A bug in tthc-extract (not a problem of the input): reported in one line with a "please report" hint."""

    code, kind = 1, "internal"

    @classmethod
    def of(cls, e: BaseException) -> InternalError:
        return cls(f"internal error: {type(e).__name__}: {e} — a bug in tthc-extract, please report it with the "
                   "PDF (--debug shows the traceback)")


#: Exit code of a batch in which some files failed (single-file runs exit with the file's own code).
SOME_FAILED = 3
#: Exit code of a run in which no file failed but some are suspect: text of the PDF is in no output value (or in
#: two) — the outputs are written, and their ``text_not_assigned`` / ``text_assigned_twice`` errors say where.
SOME_SUSPECT = 4


class ReviewMismatch(InputError):
    """``tthc extract --review``: the review was made for another PDF (its sha256 differs)."""

    code, kind = 24, "review_mismatch"


class BadReview(InputError):
    """``tthc extract --review``: the review file cannot be read or is not a ``tthc-review/1`` file."""

    code, kind = 25, "bad_review"


#: Exit codes of a run stopped by a signal (the shell's 128 + signal number).
INTERRUPTED: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}

_FULL = {errno.ENOSPC, errno.EDQUOT}


def write_error(e: OSError, target: Path | str) -> ToolError:
    """The one-line error for an OSError raised while writing ``target``: disk full (22) or not writable (21)."""
    where = e.filename or target
    reason = e.strerror or type(e).__name__
    if e.errno in _FULL:
        return DiskFull(f"cannot write {where}: the disk is full ({reason})")
    return OutputNotWritable(f"cannot write {where}: {reason}")


def read_error(e: OSError, source: Path | str) -> MissingInput:
    """The one-line error for an input that does not exist or cannot be read (19)."""
    if isinstance(e, FileNotFoundError):
        return MissingInput("no such file")
    return MissingInput(f"cannot read {source}: {e.strerror or type(e).__name__}")
