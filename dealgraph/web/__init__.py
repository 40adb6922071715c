"""The decision-chain map: a browser page served under ``/app`` next to the API.

Plain HTML, CSS and JavaScript modules (no build step). The graph library comes from npm
(``tools/browser``, installed by ``make run`` / ``make test``) and is served from there, so the
page works without internet. The page holds no data of its own: it signs in with an API token
and talks to ``/graphql`` like any other client, so the pages themselves need no credentials.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from dealgraph.negotiation import not_found, preferred_locale
from domain.request_errors import LIBRARY_MISSING

STATIC = Path(__file__).resolve().parent / "static"
NODE_MODULES = Path(__file__).resolve().parents[2] / "tools" / "browser" / "node_modules"

VENDOR = {
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "cytoscape-dagre.min.js": "cytoscape-dagre/dist/cytoscape-dagre.min.js",
}
"""The only npm files the page loads, by the name it asks for (cytoscape-dagre bundles dagre)."""

# The page may talk only to its own origin; scripts come from /app only.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def page(request: Request) -> Response:
    """The one HTML document; the script routes /app, /app/work, /app/activity, /app/people
    and /app/opportunities/<id> itself."""
    return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)


async def vendor(request: Request) -> Response:
    """A vendored npm file, or a 503 that says how to install it, in the request's language."""
    relative = VENDOR.get(request.path_params["name"])
    if relative is None:
        return not_found(request)
    path = NODE_MODULES / relative
    if not path.is_file():
        language = preferred_locale(request.headers.get("accept-language"))
        return PlainTextResponse(LIBRARY_MISSING.in_(language), status_code=503)
    return FileResponse(path, media_type="text/javascript", headers=SECURITY_HEADERS)


def routes() -> list[BaseRoute]:
    """The routes of the page, to be added to the app."""
    return [
        Route("/app", page),
        Route("/app/", page),
        Route("/app/work", page),
        Route("/app/activity", page),
        Route("/app/people", page),
        Route("/app/opportunities/{opportunity_id}", page),
        Route("/app/vendor/{name}", vendor),
        Mount("/app/static", StaticFiles(directory=STATIC), name="web-static"),
    ]
