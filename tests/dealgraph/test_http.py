"""HTTP for browser frontends, under authentication as deployed: CORS, the GraphQL-over-HTTP
media type and status codes, 405 for a mutation over GET, root fields that fail alone, and
GraphiQL served from the app's own files."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_helpers import assert_error_shape, assert_no_leak, empty_graph, gid, snapshot

from dealgraph import ide
from dealgraph.app import create_app
from dealgraph.negotiation import GRAPHQL_RESPONSE, response_media_type
from dealgraph.settings import Settings
from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.security_store import SecurityStore
from graph.store import GraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FRONTEND = "https://app.example.com"
STRANGER = "https://evil.example.net"
ME_AND_AUDIT = "{ me { name roles } auditLog(first: 5) { totalCount } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
BY_GET = 'mutation { customerCreate(input: {name: "By GET"}) { customer { id } } }'


@dataclass(frozen=True)
class Served:
    """The app under authentication with CORS for one frontend, and two users' tokens."""

    http: TestClient
    store: GraphStore
    admin: str
    manager: str

    def headers(self, token: str | None = None, **extra: str) -> dict[str, str]:
        found = {"Authorization": f"Bearer {token or self.admin}"}
        return found | {k.replace("_", "-"): v for k, v in extra.items()}


def settings(**changes: Any) -> Settings:
    """Authentication on (the default), CORS for ``FRONTEND``."""
    base = Settings(data_dir=Path("/tmp"), cors_origins=(FRONTEND,), warm_deals=0)
    return replace(base, **changes)


@pytest.fixture(scope="module")
def served(embedded_executor: EmbeddedExecutor) -> Iterator[Served]:
    empty_graph(embedded_executor)
    store = GraphStore(embedded_executor)
    store.create(NodeKind.CUSTOMER, {"name": "Alpha Bank"}, node_id="c1")
    store.create(NodeKind.CUSTOMER, {"name": "Hidden Hospital"}, node_id="c-hidden")
    store.create(NodeKind.TEAM_MEMBER, {"name": "Li Lei"}, node_id="m-li")
    security = SecurityStore(store)
    security.add_user("root", "admin")
    security.add_user("li", "account_manager", "m-li")
    admin = security.issue_token("root").token
    manager = security.issue_token("li").token
    app = create_app(settings(), store=store)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as http:
        yield Served(http, store, admin, manager)


def post(served: Served, query: str, token: str | None = None, **headers: str) -> httpx.Response:
    response: httpx.Response = served.http.post(
        "/graphql", json={"query": query}, headers=served.headers(token, **headers)
    )
    assert_no_leak(response.text)
    return response


# --- CORS -----------------------------------------------------------------------------------------


def preflight(served: Served, headers: str) -> httpx.Response:
    """The frontend's browser asking first whether it may POST with ``headers``."""
    response: httpx.Response = served.http.options(
        "/graphql",
        headers={
            "Origin": FRONTEND,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )
    assert response.status_code == 204, response.text
    return response


def test_a_preflight_from_an_allowed_origin_is_answered_without_credentials(
    served: Served,
) -> None:
    response = preflight(served, "authorization, content-type")
    assert response.headers["access-control-allow-origin"] == FRONTEND
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed
    assert "content-type" in allowed
    assert "access-control-allow-credentials" not in response.headers
    assert "Origin" in response.headers["vary"]


def test_a_preflight_for_a_client_librarys_own_headers_is_allowed(served: Served) -> None:
    """Apollo adds its client's name and version to every request: a browser sends nothing a
    preflight does not allow."""
    response = preflight(served, "apollographql-client-name, authorization")
    allowed = [h.strip() for h in response.headers["access-control-allow-headers"].split(",")]
    assert "*" in allowed
    assert "Authorization" in allowed  # a wildcard never covers Authorization


def test_a_preflight_from_another_origin_gets_no_cors_headers(served: Served) -> None:
    response = served.http.options(
        "/graphql",
        headers={"Origin": STRANGER, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 403
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]
    assert response.text == "this origin may not call the API (DEALGRAPH_CORS_ORIGINS)"


def test_a_refused_preflight_and_an_unknown_path_answer_in_the_requests_language(
    served: Served,
) -> None:
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    preflight = served.http.options(
        "/graphql",
        headers={"Origin": STRANGER, "Access-Control-Request-Method": "POST", **chinese},
    )
    assert preflight.status_code == 403
    assert preflight.text == "此来源不能调用该 API（DEALGRAPH_CORS_ORIGINS）"
    app = create_app(settings(mode="production"), store=served.store)
    with TestClient(app, raise_server_exceptions=False) as http:
        for language, text in (("zh-CN,zh;q=0.9", "未找到"), ("en", "Not Found")):
            page = http.get("/graphql", headers=served.headers(Accept_Language=language, **BROWSER))
            assert page.status_code == 404
            assert page.text == text
            for path in ("/nowhere", "/app/vendor/nothing.js", "/app/static/nothing.css"):
                unserved = http.get(path, headers={"Accept-Language": language})
                assert (unserved.status_code, unserved.text) == (404, text), path


def test_answers_to_an_allowed_origin_carry_cors_headers_even_when_refused(
    served: Served,
) -> None:
    ok = post(served, "{ customers { totalCount } }", Origin=FRONTEND)
    assert ok.status_code == 200
    assert ok.json()["data"]["customers"]["totalCount"] == 2
    assert ok.headers["access-control-allow-origin"] == FRONTEND
    assert "X-Request-Id" in ok.headers["access-control-expose-headers"]
    # a browser page must be able to read a 401 to send its user to the login
    refused = served.http.post(
        "/graphql", json={"query": "{ me { name } }"}, headers={"Origin": FRONTEND}
    )
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == FRONTEND


def test_answers_to_another_origin_carry_no_cors_headers(served: Served) -> None:
    response = post(served, "{ customers { totalCount } }", Origin=STRANGER)
    assert response.status_code == 200  # the browser, not the server, keeps it from the page
    assert "access-control-allow-origin" not in response.headers


def test_no_origin_is_allowed_unless_configured(served: Served) -> None:
    app = create_app(settings(cors_origins=()), store=served.store)
    with TestClient(app, raise_server_exceptions=False) as http:
        preflight = http.options(
            "/graphql", headers={"Origin": FRONTEND, "Access-Control-Request-Method": "POST"}
        )
        assert preflight.status_code == 403
        assert "access-control-allow-origin" not in preflight.headers
        answer = http.post(
            "/graphql",
            json={"query": "{ customers { totalCount } }"},
            headers=served.headers(Origin=FRONTEND),
        )
        assert answer.status_code == 200
        assert "access-control-allow-origin" not in answer.headers


# --- root fields fail alone -----------------------------------------------------------------------


def test_a_forbidden_root_field_is_null_beside_the_others(served: Served) -> None:
    body = post(served, ME_AND_AUDIT, served.manager).json()
    assert body["data"]["me"]["roles"] == ["account_manager"]
    assert body["data"]["auditLog"] is None
    assert_error_shape(body)
    (error,) = body["errors"]
    assert error["path"] == ["auditLog"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    admin = post(served, ME_AND_AUDIT).json()
    assert "errors" not in admin, admin
    assert admin["data"]["auditLog"]["totalCount"] >= 0


def test_nodes_answer_every_usable_id_and_null_for_the_rest(served: Served) -> None:
    wanted = [
        gid(NodeKind.CUSTOMER, "c1"),
        "not a global id!",
        gid(NodeKind.CUSTOMER, "unknown"),
        gid("PageInfo", "1"),
        gid(NodeKind.TEAM_MEMBER, "m-li"),
    ]
    before = snapshot(served.store)
    response = served.http.post(
        "/graphql",
        json={
            "query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } customers { totalCount } }",
            "variables": {"ids": wanted},
        },
        headers=served.headers(),
    )
    body = response.json()
    assert response.status_code == 200
    assert body["data"]["nodes"] == [{"id": wanted[0]}, None, None, None, {"id": wanted[4]}]
    assert body["data"]["customers"] == {"totalCount": 2}
    assert_error_shape(body)
    assert sorted(tuple(e["path"]) for e in body["errors"]) == [("nodes", 1), ("nodes", 3)]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    assert snapshot(served.store) == before


def test_an_unusable_id_is_explained_in_the_requests_language(served: Served) -> None:
    body = served.http.post(
        "/graphql",
        json={"query": NODES, "variables": {"ids": ["nonsense"]}},
        headers=served.headers(Accept_Language="zh-CN"),
    ).json()
    assert body["data"]["nodes"] == [None]
    assert "不是本 API 中对象的 ID" in body["errors"][0]["message"]


def test_nodes_give_null_for_what_the_caller_may_not_see(served: Served) -> None:
    wanted = [gid(NodeKind.CUSTOMER, "c-hidden"), gid(NodeKind.TEAM_MEMBER, "m-li")]
    body = served.http.post(
        "/graphql",
        json={"query": NODES, "variables": {"ids": wanted}},
        headers=served.headers(served.manager),
    ).json()
    assert "errors" not in body, body
    assert body["data"]["nodes"][0] is None
    admin = served.http.post(
        "/graphql",
        json={"query": NODES, "variables": {"ids": wanted}},
        headers=served.headers(),
    ).json()
    assert admin["data"]["nodes"][0] == {"id": wanted[0]}


# --- GraphQL over HTTP ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=oops", "application/json"),
    ],
)
def test_the_response_media_type_follows_the_accept_header(
    accept: str | None, expected: str
) -> None:
    assert response_media_type(accept) == expected


def test_an_answer_says_its_language_and_that_it_varies_by_the_one_asked(served: Served) -> None:
    """An answer's texts follow Accept-Language: a cache (GET queries may be cached) must keep
    one per language, and a client reads which one it got."""
    chinese = post(served, "{ customers { totalCount } }", Accept_Language="zh-CN,zh;q=0.9")
    assert chinese.headers["content-language"] == "zh-CN"
    assert "accept-language" in chinese.headers["vary"].lower()
    english = post(served, "{ customers { totalCount } }")
    assert english.headers["content-language"] == "en"
    assert "accept-language" in english.headers["vary"].lower()


def test_a_successful_operation_answers_in_the_accepted_media_type(served: Served) -> None:
    response = post(served, "{ customers { totalCount } }", Accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json() == {"data": {"customers": {"totalCount": 2}}}
    plain = post(served, "{ customers { totalCount } }", Accept="application/json")
    assert plain.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ customers { totalCount }", None),
        ("{ customers { colour } }", None),
        ("query($first: Int!) { customers(first: $first) { totalCount } }", {"first": "ten"}),
    ],
    ids=["parse", "validation", "variables"],
)
def test_an_operation_that_never_ran_is_400_without_data_under_the_spec_media_type(
    served: Served, query: str, variables: dict[str, Any] | None
) -> None:
    body = {"query": query, "variables": variables}
    spec = served.http.post("/graphql", json=body, headers=served.headers(Accept=GRAPHQL_RESPONSE))
    assert spec.status_code == 400, spec.text
    assert spec.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in spec.json()
    assert_error_shape(spec.json())
    legacy = served.http.post(
        "/graphql", json=body, headers=served.headers(Accept="application/json")
    )
    assert legacy.status_code == 200
    assert legacy.json()["data"] is None
    assert_error_shape(legacy.json())


def test_several_operations_without_an_operation_name_run_none(served: Served) -> None:
    """Running the first of several operations would be a guess, and could be a mutation the
    client did not mean to send."""
    document = 'mutation Create { customerCreate(input: {name: "Ghost"}) { customer { id } } }'
    document += " query Read { customers { totalCount } }"
    before = served.store.count(NodeKind.CUSTOMER)
    for locale, words in (("en", "name the one to run in operationName"), ("zh-CN", "请用")):
        response = served.http.post(
            "/graphql",
            json={"query": document},
            headers=served.headers(Accept=GRAPHQL_RESPONSE, Accept_Language=locale),
        )
        assert response.status_code == 400, response.text
        (error,) = response.json()["errors"]
        assert words in error["message"]
        assert "Create, Read" in error["message"]
        assert_error_shape(response.json())
    assert served.store.count(NodeKind.CUSTOMER) == before
    named = served.http.post(
        "/graphql",
        json={"query": document, "operationName": "Read"},
        headers=served.headers(Accept=GRAPHQL_RESPONSE),
    )
    assert named.json()["data"] == {"customers": {"totalCount": before}}


def test_a_field_error_stays_200_with_data_under_the_spec_media_type(served: Served) -> None:
    response = post(served, ME_AND_AUDIT, served.manager, Accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.json()["data"]["me"]["roles"] == ["account_manager"]


def test_transport_refusals_use_the_accepted_media_type(served: Served) -> None:
    response = served.http.post(
        "/graphql",
        content=b"{bad json",
        headers=served.headers(Accept=GRAPHQL_RESPONSE, content_type="application/json"),
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in response.json()
    assert_error_shape(response.json())


def test_a_mutation_over_get_is_405_with_allow_post(served: Served) -> None:
    before = snapshot(served.store)
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        response = served.http.get(
            "/graphql",
            params={"query": BY_GET},
            headers=served.headers(Accept=accept),
        )
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "POST"
        assert_error_shape(response.json())
        assert "GET" in response.json()["errors"][0]["message"]
    assert snapshot(served.store) == before


def test_other_methods_are_405_with_allow(served: Served) -> None:
    response = served.http.put(
        "/graphql", json={"query": "{ customers { totalCount } }"}, headers=served.headers()
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


# --- GraphiQL without internet --------------------------------------------------------------------


BROWSER = {"Accept": "text/html"}


def test_graphiql_loads_only_from_the_app_itself(served: Served) -> None:
    if ide.missing_assets():
        pytest.skip(f"GraphiQL files not installed: run `make http-deps` ({ide.missing_assets()})")
    page = served.http.get("/graphql", headers=BROWSER)
    assert page.status_code == 200
    assert "unpkg" not in page.text
    assert "cdn" not in page.text.lower()
    assert "https://" not in page.text
    for name in ide.ASSETS:
        assert f"{ide.ASSET_PREFIX}{name}" in page.text
        asset = served.http.get(f"{ide.ASSET_PREFIX}{name}")
        assert asset.status_code == 200, name
        kind = "text/css" if name.endswith(".css") else "javascript"
        assert kind in asset.headers["content-type"]
        assert len(asset.content) > 10_000


@pytest.mark.parametrize(
    "name", ["package.json", "..%2Fpackage.json", "graphiql.js", "react%2Fpackage.json"]
)
def test_nothing_but_the_graphiql_files_is_served(served: Served, name: str) -> None:
    assert served.http.get(f"{ide.ASSET_PREFIX}{name}").status_code == 404


def test_without_its_files_the_page_says_how_to_install_them(tmp_path: Path) -> None:
    page = ide.ide_page(tmp_path)
    assert b"make setup" in page.body
    assert b"<script" not in page.body


def test_graphiql_and_its_files_are_not_served_in_production(served: Served) -> None:
    app = create_app(settings(mode="production"), store=served.store)
    with TestClient(app, raise_server_exceptions=False) as http:
        assert http.get("/graphql", headers=served.headers(**BROWSER)).status_code == 404
        assert http.get(f"{ide.ASSET_PREFIX}graphiql.min.js").status_code == 404
