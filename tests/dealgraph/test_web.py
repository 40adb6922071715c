"""The map page's routes: the document under /app (no token needed, the data needs one), its
scripts and styles, exactly the vendored npm files, and a strict Content-Security-Policy."""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    settings = Settings(data_dir=Path(tempfile.gettempdir()), auth_required=True)
    app = create_app(settings, store=GraphStore(embedded_executor))
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as http:
        yield http


@pytest.mark.parametrize("path", ["/app", "/app/", "/app/opportunities/T3Bwb3J0dW5pdHk6eA=="])
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
        "app.css",
    ):
        assert client.get(f"/app/static/{name}").status_code == 200, name


def test_only_the_named_vendor_files_are_served(client: TestClient) -> None:
    assert client.get("/app/vendor/package.json").status_code == 404
    assert client.get("/app/vendor/..%2Fpackage.json").status_code == 404
    for name, relative in VENDOR.items():
        response = client.get(f"/app/vendor/{name}")
        if (NODE_MODULES / relative).is_file():
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/javascript")
        else:
            assert response.status_code == 503
            assert "make run" in response.text


def test_the_data_still_needs_a_token(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ me { name } }"})
    assert response.status_code == 401
