"""The map page's routes: the document under /app (no token needed, the data needs one), its
scripts and styles, exactly the vendored npm files, and a strict Content-Security-Policy."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealgraph import web
from dealgraph.app import create_app
from dealgraph.settings import Settings
from dealgraph.web import NODE_MODULES, VENDOR
from graph.backends.embedded import EmbeddedExecutor
from graph.store import GraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def client(embedded_executor: EmbeddedExecutor) -> Iterator[TestClient]:
    settings = Settings(data_dir=Path(tempfile.gettempdir()), auth_required=True, warm_deals=0)
    app = create_app(settings, store=GraphStore(embedded_executor))
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as http:
        yield http


@pytest.mark.parametrize(
    "path",
    ["/app", "/app/", "/app/work", "/app/activity", "/app/opportunities/T3Bwb3J0dW5pdHk6eA=="],
)
def test_every_page_address_serves_the_document(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/app/static/js/main.js">' in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "connect-src 'self'" in policy


def test_the_modules_and_styles_are_served(client: TestClient) -> None:
    for name in (
        "js/main.js",
        "js/api.js",
        "js/map.js",
        "js/opportunity.js",
        "js/changes.js",
        "js/newdeal.js",
        "app.css",
    ):
        assert client.get(f"/app/static/{name}").status_code == 200, name


def test_only_the_named_vendor_files_are_served(client: TestClient) -> None:
    assert client.get("/app/vendor/package.json").status_code == 404
    assert client.get("/app/vendor/..%2Fpackage.json").status_code == 404
    for name, relative in VENDOR.items():
        assert (NODE_MODULES / relative).is_file(), "make test installs the map's library"
        response = client.get(f"/app/vendor/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "the map's graph library is not installed: run `make run`"),
        ("zh-CN,zh;q=0.9", "地图的图形库尚未安装：请运行 `make run`"),
    ],
)
def test_a_library_not_installed_is_a_503_saying_how_in_the_request_language(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    language: str,
    expected: str,
) -> None:
    monkeypatch.setattr(web, "NODE_MODULES", tmp_path)
    response = client.get("/app/vendor/cytoscape.min.js", headers={"Accept-Language": language})
    assert response.status_code == 503
    assert response.text.startswith(expected)


def test_the_data_still_needs_a_token(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ me { name } }"})
    assert response.status_code == 401
