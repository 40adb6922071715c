"""strawberry's refusals of an HTTP request (``HTTPException``) as our texts in both languages.

strawberry's view refuses a request it cannot run (malformed JSON, no query, a wrong method or
content type, a mutation over GET) by raising ``HTTPException(status, reason)`` with an English
reason. The app answers with the same status and code, and the text for the reason comes from
here: by the exception that caused it where strawberry keeps one (operation type, operation
name), else by strawberry's exact reason. A reason not listed stays as strawberry wrote it.
"""

from __future__ import annotations

from typing import Final

from cross_web import HTTPException
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from domain.request_errors import (
    CONTENT_TYPE,
    EXTENSIONS_NOT_OBJECT,
    METHOD,
    NO_BATCHING,
    NO_OPERATION,
    NO_QUERY,
    NOT_JSON,
    OPERATION_KINDS,
    OPERATION_NOT_ALLOWED,
    QUERY_NOT_TEXT,
    UNKNOWN_OPERATION,
    VARIABLES_NOT_OBJECT,
)
from domain.text import Text

BY_REASON: Final = {
    text.en: text
    for text in (
        NOT_JSON,
        NO_QUERY,
        QUERY_NOT_TEXT,
        VARIABLES_NOT_OBJECT,
        EXTENSIONS_NOT_OBJECT,
        NO_BATCHING,
        CONTENT_TYPE,
        METHOD,
    )
}
"""Our texts whose English is strawberry's reason word for word."""


def refusal_text(error: HTTPException, method: str) -> Text:
    """Why strawberry refused the request (sent with ``method``), in both languages."""
    cause = error.__cause__
    if isinstance(cause, InvalidOperationTypeError):
        kind = OPERATION_KINDS[cause.operation_type.value]
        return OPERATION_NOT_ALLOWED.format(operations=kind, method=method)
    if isinstance(cause, CannotGetOperationTypeError):
        if cause.operation_name is None:
            return NO_OPERATION
        return UNKNOWN_OPERATION.format(name=cause.operation_name)
    return BY_REASON.get(error.reason) or Text(error.reason, "")
