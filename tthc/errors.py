"""Input problems the tool reports in one line with a distinct exit code (never a traceback)."""

from __future__ import annotations


class InputError(Exception):
    """A problem with one input file; ``code`` is the process exit code for a single-file run."""

    code = 10
    kind = "input_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAPdf(InputError):
    code, kind = 11, "not_a_pdf"


class EmptyFile(InputError):
    code, kind = 12, "empty_file"


class CorruptPdf(InputError):
    code, kind = 13, "corrupt_pdf"


class EncryptedPdf(InputError):
    code, kind = 14, "encrypted_pdf"


class NoTaskTableFound(InputError):
    code, kind = 15, "no_task_table"


class ImageOnlyPdf(InputError):
    code, kind = 16, "image_only"


class UnmappableHeader(InputError):
    code, kind = 17, "unmappable_header"


class TooLarge(InputError):
    code, kind = 18, "too_large"


#: Exit code of a batch in which some files failed (single-file runs exit with the file's own code).
SOME_FAILED = 3


class ReviewMismatch(InputError):
    """``tthc extract --review``: the review was made for another PDF (its sha256 differs)."""

    code, kind = 19, "review_mismatch"


class BadReview(InputError):
    """``tthc extract --review``: the review file cannot be read or is not a ``tthc-review/1`` file."""

    code, kind = 20, "bad_review"
