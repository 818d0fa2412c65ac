"""The review file ``tthc-review/1``: an auditor's verdicts on the values of one extracted appendix.

Written by the audit report (``<stem>.review.json``, the "Export review" button) and applied by
``tthc extract PDF --review FILE``. Each item addresses one value by ``<id>/<field>`` (normalize/ids.py) and
says ``checked`` (the value is right) or ``wrong`` (with the corrected ``text``). ``original`` is the text the
value had when it was reviewed, so a value that changed since (a new extractor version) is detected, not
silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

REVIEW_FORMAT: Final = "tthc-review/1"

#: ``s3/title``, ``s3.t2/description``, ``s3.t2.a1/lead``, ``s3.t2.a1/extra:<header>``.
ADDRESS = re.compile(r"^s\d+(?:\.t\d+(?:\.a\d+)?)?/(?:number|title|description|result|lead|partner|timeframe"
                     r"|extra:.+)$", re.S)


class ReviewItem(BaseModel):
    """A reviewer's verdict on one value."""

    model_config = ConfigDict(extra="forbid")

    value: str = Field(description="the value's address, <id>/<field>, e.g. 's3.t2.a1/lead'",
                       pattern=ADDRESS.pattern)
    verdict: Literal["checked", "wrong"]
    text: str | None = Field(None, description="the corrected text; required when the verdict is 'wrong'")
    original: str | None = Field(None, description="the value's text when it was reviewed (to detect a stale item)")
    note: str | None = Field(None, description="the reviewer's note")
    at: dt.datetime | None = Field(None, description="when the verdict was given (ISO 8601)")

    @model_validator(mode="after")
    def _wrong_has_text(self) -> ReviewItem:
        if self.verdict == "wrong" and self.text is None:
            raise ValueError(f"{self.value}: a 'wrong' verdict needs the corrected text")
        return self


class Review(BaseModel):
    """An auditor's review of one extracted PDF (identified by its sha256)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["tthc-review/1"] = REVIEW_FORMAT
    document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the reviewed PDF")
    reviewer: str | None = Field(None, description="who reviewed")
    file_name: str | None = Field(None, description="the reviewed PDF's file name, for people")
    items: list[ReviewItem] = Field(default_factory=list)


def review_json_schema() -> dict:
    """The JSON Schema of the review file (``tthc schema --review``)."""
    s = Review.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["$id"] = REVIEW_FORMAT
    s["title"] = f"tthc-extract review {REVIEW_FORMAT}"
    return s


__all__ = ["ADDRESS", "REVIEW_FORMAT", "Review", "ReviewItem", "review_json_schema"]
