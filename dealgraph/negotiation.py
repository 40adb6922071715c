"""Content negotiation: which language and which media type a request's headers prefer.

Its own module because every answer the app gives, the API's and the pages' refusals alike,
speaks the language the request prefers.
"""

from __future__ import annotations

from collections.abc import Iterator

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from domain.request_errors import NOT_FOUND


def weighted(header: str | None) -> Iterator[tuple[str, float]]:
    """The items of an Accept or Accept-Language header with their quality (1 when unstated,
    0 when unreadable)."""
    for part in (header or "").split(","):
        name, *params = part.split(";")
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        yield name.strip(), quality


SPOKEN = ("zh", "en")
"""The languages dealgraph answers in (any region: zh-CN, zh-Hans, en-GB...)."""


def preferred_locale(header: str | None) -> str:
    """The language we speak that an Accept-Language header prefers (highest quality, the
    first of equals; ``*``, refused ones and languages we do not speak left out, so
    "fr-FR, zh-CN;q=0.5" is Chinese); English when none is named."""
    best, chosen = 0.0, "en"
    for language, quality in weighted(header):
        if language.lower().startswith(SPOKEN) and quality > best:
            best, chosen = quality, language
    return chosen


JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
"""The GraphQL-over-HTTP media type: its status codes say whether the request was run."""


def response_media_type(accept: str | None) -> str:
    """``application/graphql-response+json`` when the Accept header prefers it (ties go to
    it, as the GraphQL-over-HTTP spec asks); ``application/json`` otherwise, for the clients
    that predate it."""
    best: dict[str, float] = {}
    for media, quality in weighted(accept):
        name = media.lower()
        best[name] = max(best.get(name, 0.0), quality)
    preferred = best.get(GRAPHQL_RESPONSE, 0.0)
    if preferred > 0 and preferred >= best.get(JSON, 0.0):
        return GRAPHQL_RESPONSE
    return JSON


def not_found(request: Request) -> PlainTextResponse:
    """The plain-text 404 of a path the app does not serve, in the request's language."""
    language = preferred_locale(request.headers.get("accept-language"))
    return PlainTextResponse(NOT_FOUND.in_(language), status_code=404)
