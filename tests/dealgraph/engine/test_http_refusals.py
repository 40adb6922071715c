"""Requests strawberry refuses before any operation runs, answered in the request's language
through the app as deployed on both back ends: the status, code and Allow header of English,
with the zh-CN text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_helpers import ZH, Api, Json, assert_error_shape, assert_no_leak, open_api, snapshot
from cross_web import HTTPException

from dealgraph.engine.http_refusals import refusal_text
from graph.executor import Executor

EN = {"Accept-Language": "en-GB"}


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def refused(response: httpx.Response, status: int) -> Json:
    """The only error of a refused request, in the promised shape."""
    assert response.status_code == status, response.text
    assert_no_leak(response.text)
    body = response.json()
    assert_error_shape(body)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    found: Json = error
    return found


def post(api: Api, content: bytes, content_type: str, language: dict[str, str]) -> httpx.Response:
    response: httpx.Response = api.client.post(
        "/graphql", content=content, headers={"content-type": content_type, **language}
    )
    return response


@pytest.mark.parametrize(
    ("content", "content_type", "english", "chinese"),
    [
        (
            b"{bad json",
            "application/json",
            "Unable to parse request body as JSON",
            "无法把请求体解析为 JSON",
        ),
        (b"{}", "application/json", "No GraphQL query found in the request", "请求中没有 GraphQL"),
        (b"[1, 2]", "application/json", "Batching is not enabled", "不支持批量请求"),
        (
            b'{"query": "{ customers { totalCount } }", "variables": "x"}',
            "application/json",
            "The GraphQL operation's `variables` must be an object or null, if provided.",
            "`variables` 如果提供，必须是对象或 null",
        ),
        (
            b'{"query": 3}',
            "application/json",
            "The GraphQL operation's `query` must be a string or null, if provided.",
            "`query` 如果提供，必须是字符串或 null",
        ),
        (
            b"query { customers { totalCount } }",
            "text/plain",
            "Unsupported content type",
            "不支持的内容类型",
        ),
        (
            b'{"query": "query A { customers { totalCount } }", "operationName": "B"}',
            "application/json",
            'Unknown operation named "B".',
            '请求中没有名为 "B" 的操作。',
        ),
    ],
    ids=["malformed", "no-query", "array", "variables", "query-not-text", "content-type", "name"],
)
def test_malformed_requests_are_refused_in_the_requests_language(
    api: Api, content: bytes, content_type: str, english: str, chinese: str
) -> None:
    assert refused(post(api, content, content_type, EN), 400)["message"] == english
    assert chinese in refused(post(api, content, content_type, ZH), 400)["message"]


def test_a_mutation_over_get_is_refused_in_the_requests_language(api: Api) -> None:
    before = snapshot(api.store)
    params = {"query": 'mutation { customerCreate(input: {name: "By GET"}) { customer { id } } }'}
    answers: dict[str, Any] = {}
    for name, language in (("en", EN), ("zh", ZH)):
        response = api.client.get("/graphql", params=params, headers=language)
        answers[name] = refused(response, 405)["message"]
        assert response.headers["allow"] == "POST"
    assert answers == {
        "en": "mutations are not allowed when using GET",
        "zh": "使用 GET 请求时不允许执行变更",
    }
    assert snapshot(api.store) == before


def test_other_methods_are_refused_in_the_requests_language(api: Api) -> None:
    body = {"query": "{ customers { totalCount } }"}
    english = api.client.put("/graphql", json=body, headers=EN)
    chinese = api.client.put("/graphql", json=body, headers=ZH)
    assert refused(english, 405)["message"] == "GraphQL only supports GET and POST requests."
    assert refused(chinese, 405)["message"] == "GraphQL 只支持 GET 和 POST 请求。"
    assert chinese.headers["allow"] == "GET, POST"


def test_a_reason_without_a_text_of_ours_stays_as_strawberry_wrote_it() -> None:
    text = refusal_text(HTTPException(400, "Too many operations"), "POST")
    assert text.in_("zh-CN") == "Too many operations"
    assert text.in_("en") == "Too many operations"
