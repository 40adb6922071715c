"""Fuzzing: thousands of generated queries, mutations, variables, bodies and headers, as an
authenticated user and anonymously. No answer may be a server error or carry a stack trace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import hypothesis_graphql as hg
import pytest
from api_helpers import LEAKS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from security_helpers import World, open_app, secure_settings, seed
from starlette.testclient import TestClient

from dealgraph.sdl import export_sdl
from graph.executor import Executor

pytestmark = pytest.mark.slow

SDL = export_sdl()
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "DateTime": st.sampled_from(
        ["2025-01-01T00:00:00Z", "2025-06-01T12:00:00+08:00", "not a date", "", "9999-99-99"]
    ).map(nodes.String),
    "Long": st.integers(min_value=-(2**63), max_value=2**63).map(nodes.Int),
    "JSON": st.text(max_size=20).map(nodes.String),
}
FUZZ = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)


@pytest.fixture(scope="module")
def world(embedded_executor: Executor) -> World:
    return seed(embedded_executor)


@pytest.fixture(scope="module")
def http(world: World) -> Iterator[TestClient]:
    with open_app(world.store, secure_settings()) as client:
        yield client


def check(response: Any) -> None:
    assert response.status_code < 500, response.text[:500]
    text = response.text
    assert "INTERNAL_SERVER_ERROR" not in text, text[:1000]
    for leak in LEAKS:
        assert leak not in text, (leak, text[:1000])
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert isinstance(body, dict)
        for error in body.get("errors") or []:
            assert error["extensions"]["code"] in {
                "BAD_USER_INPUT",
                "NOT_FOUND",
                "CONFLICT",
                "UNAUTHENTICATED",
                "FORBIDDEN",
            }, error


def headers_for(world: World, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"} if who != "anonymous" else {}


WHO = st.sampled_from(["alice", "ada", "vic", "anonymous"])


@FUZZ
@given(query=hg.queries(SDL, custom_scalars=SCALARS), who=WHO)
def test_generated_queries(http: TestClient, world: World, query: str, who: str) -> None:
    check(http.post("/graphql", json={"query": query}, headers=headers_for(world, who)))


@FUZZ
@given(query=hg.mutations(SDL, custom_scalars=SCALARS), who=WHO)
def test_generated_mutations(http: TestClient, world: World, query: str, who: str) -> None:
    check(http.post("/graphql", json={"query": query}, headers=headers_for(world, who)))


@FUZZ
@given(
    query=hg.from_schema(SDL, custom_scalars=SCALARS, mode=hg.Mode.NEGATIVE),
    who=WHO,
)
def test_generated_invalid_operations(http: TestClient, world: World, query: str, who: str) -> None:
    check(http.post("/graphql", json={"query": query}, headers=headers_for(world, who)))


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(
    query=st.one_of(
        st.text(max_size=200),
        st.sampled_from(["{ me { userId } }", "query($x: Int) { me { userId } }"]),
    ),
    variables=JSONISH,
    operation=st.one_of(st.none(), st.text(max_size=10), st.integers()),
    who=WHO,
)
def test_random_variables_and_operation_names(
    http: TestClient, world: World, query: str, variables: Any, operation: Any, who: str
) -> None:
    body = {"query": query, "variables": variables, "operationName": operation}
    check(http.post("/graphql", json=body, headers=headers_for(world, who)))


HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=300), JSONISH.map(lambda v: json.dumps(v).encode())),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/graphql",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "",
        ]
    ),
    authorization=st.one_of(
        st.none(),
        HEADER_TEXT,
        HEADER_TEXT.map(lambda t: f"Bearer {t}"),
        st.sampled_from(["Bearer dg_", "Bearer a.b.c", "Bearer dg_x_" + "y" * 40]),
    ),
    method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "PATCH"]),
    extra=st.dictionaries(
        st.sampled_from(["accept", "accept-language", "x-request-id", "content-encoding"]),
        HEADER_TEXT,
        max_size=3,
    ),
)
def test_random_bodies_and_headers(
    http: TestClient,
    body: bytes,
    content_type: str,
    authorization: str | None,
    method: str,
    extra: dict[str, str],
) -> None:
    headers = dict(extra)
    if content_type:
        headers["content-type"] = content_type
    if authorization is not None:
        headers["authorization"] = authorization
    content = body if method not in ("GET",) else None
    check(http.request(method, "/graphql", content=content, headers=headers))
