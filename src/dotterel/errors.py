"""Stable error codes.

Every problem Dotterel reports carries a code that never changes meaning between
releases, in the style of spaCy's ``errors.py``: documents keep them in their
``errors`` list, the CLI prints them, the web API returns them in JSON.

Codes ``E0xx`` are setup problems (they stop the run), ``E1xx`` are problems with
one input document (the batch goes on), ``E2xx`` are problems with stored data or
queries, ``W1xx`` are warnings attached to a document that was still coded.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """Process exit status of ``dotterel code`` (and the other batch commands)."""

    OK = 0  #: every document was coded
    DOCUMENTS_FAILED = 1  #: the run finished, but at least one document has errors
    USAGE = 2  #: bad arguments or setup (missing input, unknown model, unreachable store): nothing was coded
    INTERNAL = 3  #: an unexpected internal error stopped the run (a bug: please report it)


class ErrorCode(StrEnum):
    # setup
    MODEL_NOT_FOUND = "E001"
    RESOURCE_INVALID = "E002"
    BAD_SETTING = "E003"
    STORE_UNAVAILABLE = "E004"
    INPUT_NOT_FOUND = "E005"
    # per document
    EMPTY = "E101"
    BINARY = "E102"
    TOO_LARGE = "E103"
    BAD_ENCODING = "E104"
    NO_ARTICLE = "E105"
    NOT_ENGLISH = "E106"
    BAD_JSON = "E107"
    MISSING_FIELD = "E108"
    BAD_DATE = "E109"  # no longer given to documents: an unreadable date is the warning W103
    PROCESSING_FAILED = "E110"
    TIMED_OUT = "E111"
    DUPLICATE_ID = "E112"
    WRONG_TYPE = "E113"
    # store / query
    NOT_FOUND = "E201"
    BAD_QUERY = "E202"
    WRITE_DISABLED = "E203"
    PAYLOAD_TOO_LARGE = "E204"
    RATE_LIMITED = "E205"
    STORE_LOST = "E206"
    # warnings
    NO_PUBLICATION_DATE = "W101"
    DEBRIS_REMOVED = "W102"
    UNREADABLE_DATE = "W103"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.MODEL_NOT_FOUND: "no spaCy pipeline could be loaded from {name!r}: {reason}",
    ErrorCode.RESOURCE_INVALID: "resource file {path} is invalid at line {line}: {reason}",
    ErrorCode.BAD_SETTING: "invalid setting {name}: {reason}",
    ErrorCode.STORE_UNAVAILABLE: "cannot open the store {url!r}: {reason}",
    ErrorCode.INPUT_NOT_FOUND: "input not found: {path}",
    ErrorCode.EMPTY: "the document has no text",
    ErrorCode.BINARY: "the document looks like binary data, not text",
    ErrorCode.TOO_LARGE: "the document has {size} characters, more than the limit of {limit}",
    ErrorCode.BAD_ENCODING: "the document is not valid UTF-8 (byte {position})",
    ErrorCode.NO_ARTICLE: "no article text could be extracted from the HTML page",
    ErrorCode.NOT_ENGLISH: "the document does not look like English (language identified: {language})",
    ErrorCode.BAD_JSON: "line {line} is not valid JSON: {reason}",
    ErrorCode.MISSING_FIELD: "line {line} has no {field!r} field",
    ErrorCode.BAD_DATE: "cannot read the date {value!r}; expected YYYY-MM-DD",
    ErrorCode.PROCESSING_FAILED: "coding failed: {reason}",
    ErrorCode.TIMED_OUT: "coding took longer than the time budget of {budget:g} s (stage: {stage})",
    ErrorCode.DUPLICATE_ID: "the document id {id!r} was already used in this run (by {first}); not stored",
    ErrorCode.WRONG_TYPE: "line {line}: field {field!r} must be {expected}, not {actual}",
    ErrorCode.NOT_FOUND: "{what} {key!r} not found",
    ErrorCode.BAD_QUERY: "bad query parameter {name}: {reason}",
    ErrorCode.WRITE_DISABLED: "writing is disabled on this server (start it with a write token)",
    ErrorCode.PAYLOAD_TOO_LARGE: "the request body is larger than {limit} bytes",
    ErrorCode.RATE_LIMITED: "too many requests; try again in {seconds} s",
    ErrorCode.STORE_LOST: "lost the store {url!r} mid-run: {reason}; finished shards are kept, run again to resume",
    ErrorCode.NO_PUBLICATION_DATE: "no publication date given or found; relative dates are unresolved",
    ErrorCode.DEBRIS_REMOVED: "scraped debris was excluded from coding: {what}",
    ErrorCode.UNREADABLE_DATE: "cannot read the date {value!r} (expected YYYY-MM-DD); coded without a publication date",
}


def message(code: ErrorCode, **kwargs: object) -> str:
    """The message for ``code`` with its fields filled in."""
    return MESSAGES[code].format(**kwargs)


class DotterelError(Exception):
    """An error that stops an operation, with a stable code."""

    def __init__(self, code: ErrorCode, **kwargs: object) -> None:
        self.code = code
        self.fields = kwargs
        super().__init__(f"[{code.value}] {message(code, **kwargs)}")
