"""GraphiQL served by the app itself, so the page works on a machine without internet.

GraphiQL 4 is the last release with a standalone (UMD) build; it and React 18's UMD files are
installed from npm by ``make setup`` into ``tools/http-audit/node_modules`` (pinned by its
lock file) and served from ``/graphiql/<file>``. Only these four files are served.
"""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from dealgraph.negotiation import not_found

VENDOR_DIR = Path(__file__).resolve().parents[1] / "tools" / "http-audit" / "node_modules"
"""Where ``npm ci`` in ``tools/http-audit`` puts GraphiQL and React."""

ASSETS: dict[str, str] = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
}
ASSET_PREFIX = "/graphiql/"

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>dealgraph GraphiQL</title>
  <link rel="stylesheet" href="{prefix}graphiql.min.css">
  <style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
  <script src="{prefix}react.production.min.js"></script>
  <script src="{prefix}react-dom.production.min.js"></script>
  <script src="{prefix}graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script>
    const url = window.location.href.split("?")[0];
    const example = `# dealgraph: every request needs a bearer token.
# Put it in the Headers tab below:
#   {{"Authorization": "Bearer <token>"}}
# \\`dealgraph demo\\` prints a development token;
# \\`dealgraph user token NAME\\` issues real ones.
{{
  me {{ name roles }}
  opportunities(first: 5) {{ nodes {{ name stage amount }} }}
}}
`;
    const fetcher = GraphiQL.createFetcher({{ url }});
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {{
        fetcher,
        defaultQuery: example,
        defaultHeaders: '{{"Authorization": "Bearer <token>"}}',
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: "headers",
      }}),
    );
  </script>
</body>
</html>
"""

MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dealgraph GraphiQL</title></head>
<body><h1>GraphiQL is not installed</h1>
<p>The server serves GraphiQL from its own files, and they are missing: {missing}.
Run <code>make setup</code> (or <code>npm ci</code> in <code>tools/http-audit</code>) and
reload. The API itself works: POST queries to this URL.</p></body></html>
"""


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """The GraphiQL files that are not installed."""
    return [name for name, path in ASSETS.items() if not (vendor_dir / path).is_file()]


def ide_page(vendor_dir: Path = VENDOR_DIR) -> HTMLResponse:
    """The GraphiQL page, or a page saying how to install its files."""
    missing = missing_assets(vendor_dir)
    if missing:
        return HTMLResponse(MISSING.format(missing=html.escape(", ".join(missing))))
    return HTMLResponse(PAGE.format(prefix=ASSET_PREFIX))


async def ide_asset(request: Request) -> Response:
    """One of the four GraphiQL files; nothing else under the vendor folder is reachable."""
    relative = ASSETS.get(request.path_params["asset"])
    if relative is None or not (VENDOR_DIR / relative).is_file():
        return not_found(request)
    return FileResponse(VENDOR_DIR / relative, headers={"Cache-Control": "public, max-age=86400"})
