"""CORS for browser frontends on other origins, outside authentication.

A browser asks first (``OPTIONS`` preflight, never with credentials), so the preflight is
answered here before the request reaches the token check. Only configured origins get
``Access-Control-*`` headers; any other origin gets none and the browser keeps the answer from
its page. Bearer tokens travel in a header, not in cookies, so credentials are not allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.request_errors import ORIGIN_REFUSED

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, Accept, Accept-Language, X-Request-Id, *"
"""The headers the API reads, and any other a client library adds (Apollo's client name and
version): without credentials a browser takes ``*`` for every header but Authorization, which
is named."""
EXPOSED_HEADERS = "X-Request-Id, WWW-Authenticate"
PREFLIGHT_MAX_AGE = "600"
"""How long (seconds) a browser may reuse a preflight answer."""


class Cors:
    """ASGI middleware: answer preflights, mark answers to allowed origins."""

    def __init__(
        self, app: ASGIApp, origins: Iterable[str], locale: Callable[[str | None], str]
    ) -> None:
        """``locale`` picks the language of a refusal from the Accept-Language header."""
        self.app = app
        self.locale = locale
        self.origins = frozenset(origins)
        self.any_origin = "*" in self.origins

    def allowed(self, origin: str) -> bool:
        """Whether a page served from ``origin`` may read the API's answers."""
        return self.any_origin or origin.rstrip("/") in self.origins

    def _allow_origin(self, origin: str) -> str:
        return "*" if self.any_origin else origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            language = self.locale(headers.get("accept-language"))
            await self._preflight(origin, language)(scope, receive, send)
            return
        if not self.allowed(origin):
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = self._allow_origin(origin)
                out["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
                out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, origin: str, language: str) -> Response:
        if not self.allowed(origin):
            return PlainTextResponse(
                ORIGIN_REFUSED.in_(language),
                status_code=403,
                headers={"Vary": "Origin"},
            )
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": self._allow_origin(origin),
                "Access-Control-Allow-Methods": ALLOWED_METHODS,
                "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
                "Vary": "Origin",
            },
        )
