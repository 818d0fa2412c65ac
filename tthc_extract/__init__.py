"""tthc-extract's application layer: the command line, the per-file runner, batches and writers.

Library use::

    from tthc_extract import extract_document
    doc = extract_document("appendix.pdf")          # a validated schemas.Document
"""

from tthc_extract.runner import extract_document

__all__ = ["extract_document"]
