"""The Starlette app over HTTP: health and readiness, GraphiQL by mode, transport-level refusals
with their codes, and masked internal errors that carry a request id and leak nothing."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_helpers import (
    Api,
    assert_error_shape,
    assert_no_leak,
    gid,
    open_api,
    serve,
    snapshot,
)
from people import add_person

from dealgraph.app import MAX_BODY_BYTES, DealgraphGraphQL, asks_for_change
from dealgraph.negotiation import preferred_locale
from domain.model import NodeKind
from graph.backends.embedded import EmbeddedExecutor
from graph.executor import Executor, StoreError
from graph.store import GraphStore

CREATE = """mutation($i: CustomerCreateInput!) { customerCreate(input: $i) {
    customer { id } userErrors { code } } }"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        client.store.create(NodeKind.CUSTOMER, {"name": "Alpha"}, node_id="c1")
        yield client


def refused_over_http(api: Api, response: Any, status: int, contains: str = "") -> None:
    assert response.status_code == status, response.text
    assert_no_leak(response.text)
    body = response.json()
    assert_error_shape(body)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert contains in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]


# --- health ---------------------------------------------------------------------------------------


def test_healthz_and_readyz_answer_when_the_store_does(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


def test_readyz_is_503_when_the_store_does_not_answer(tmp_path: Path) -> None:
    executor = EmbeddedExecutor(tmp_path / "db", fsync="no")
    with open_api(executor) as api:
        assert api.client.get("/readyz").status_code == 200
        executor.close()
        ready = api.client.get("/readyz")
        assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})
        assert api.client.get("/healthz").status_code == 200  # the process is still alive


def test_the_api_answers_again_after_the_embedded_server_died(tmp_path: Path) -> None:
    executor = EmbeddedExecutor(tmp_path / "db", fsync="always")
    try:
        with open_api(executor) as api:
            api.store.ensure_schema()
            api.store.create(NodeKind.CUSTOMER, {"name": "Alpha"}, node_id="c1")
            os.kill(executor.server_pid, signal.SIGKILL)
            response = api.post(f'{{ node(id: "{gid(NodeKind.CUSTOMER, "c1")}") {{ id }} }}')
            assert response.status_code == 200
            assert response.json()["data"]["node"] == {"id": gid(NodeKind.CUSTOMER, "c1")}
            assert api.client.get("/readyz").status_code == 200
    finally:
        executor.close()


# --- GraphiQL -------------------------------------------------------------------------------------

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_graphiql_is_served_to_browsers_in_development(api: Api) -> None:
    page = api.client.get("/graphql", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "GraphiQL" in page.text


def test_graphiql_is_not_served_in_production(api: Api) -> None:
    with open_api(api.store.executor, mode="production", empty=False) as production:
        page = production.client.get("/graphql", headers=BROWSER)
        assert page.status_code == 404
        assert "GraphiQL" not in page.text
        answer = production.data("{ customers { totalCount } }")
        assert answer["customers"]["totalCount"] == 1


# --- transport-level refusals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "contains"),
    [
        (b"{bad json", "application/json", "JSON"),
        (b"[1, 2]", "application/json", "Batching"),
        (b"{}", "application/json", "No GraphQL query"),
        (b'{"query": "{ customers { totalCount } }", "variables": "x"}', "application/json", ""),
        (b"query { customers { totalCount } }", "text/plain", "content type"),
    ],
    ids=["malformed", "array", "no-query", "variables-not-object", "wrong-content-type"],
)
def test_malformed_requests_are_refused_with_bad_user_input(
    api: Api, content: bytes, content_type: str, contains: str
) -> None:
    response = api.client.post("/graphql", content=content, headers={"content-type": content_type})
    refused_over_http(api, response, 400, contains)


def test_a_mutation_sent_by_get_is_refused_and_writes_nothing(api: Api) -> None:
    before = snapshot(api.store)
    response = api.client.get(
        "/graphql",
        params={
            "query": 'mutation { customerCreate(input: {name: "By GET"}) { customer { id } } }'
        },
    )
    refused_over_http(api, response, 405, "GET")
    assert response.headers["allow"] == "POST"
    assert snapshot(api.store) == before


def test_graphql_answers_at_its_own_path_without_a_redirect(api: Api) -> None:
    response = api.post("{ customers { totalCount } }")
    assert response.status_code == 200
    assert "location" not in response.headers
    assert response.json() == {"data": {"customers": {"totalCount": 1}}}


def test_responses_are_utf8_json_and_what_orjson_refuses_is_still_written() -> None:
    view = DealgraphGraphQL.__new__(DealgraphGraphQL)  # encode_json needs no state
    assert view.encode_json({"name": "王主任"}) == '{"name":"王主任"}'.encode()
    huge = {"amount": 2**70}
    assert json.loads(view.encode_json(huge)) == huge


def test_a_query_may_be_sent_by_get(api: Api) -> None:
    response = api.client.get("/graphql", params={"query": "{ customers { totalCount } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"customers": {"totalCount": 1}}}


def test_an_oversize_body_is_refused_before_parsing(api: Api) -> None:
    before = snapshot(api.store)
    huge = {"query": CREATE, "variables": {"i": {"name": "x" * (MAX_BODY_BYTES + 10)}}}
    response = api.client.post("/graphql", json=huge)
    refused_over_http(api, response, 413, "larger")
    assert snapshot(api.store) == before


def test_other_methods_are_refused(api: Api) -> None:
    response = api.client.put("/graphql", json={"query": "{ customers { totalCount } }"})
    refused_over_http(api, response, 405)


def test_queries_beyond_the_protective_limits_are_refused(api: Api) -> None:
    deep = "{ keyPersons { nodes { " + "reportsTo { " * 11 + "name" + " }" * 11 + " } } }"
    api.top_error(deep, None, "BAD_USER_INPUT", contains="depth")
    aliases = " ".join(f"a{n}: customers {{ totalCount }}" for n in range(20))
    api.top_error("{ " + aliases + " }", None, "BAD_USER_INPUT", contains="aliases")


def test_every_response_names_its_request_id(api: Api) -> None:
    chosen = api.post("{ customers { totalCount } }", headers={"x-request-id": "req-123"})
    assert chosen.headers["x-request-id"] == "req-123"
    made_up = api.post("{ nope }")
    request_id = made_up.headers["x-request-id"]
    assert len(request_id) >= 16
    assert made_up.json()["errors"][0]["extensions"]["requestId"] == request_id


# --- masked internal errors -----------------------------------------------------------------------

LEAKY = "MATCH (n:Customer) RETURN n -- redis.exceptions.ConnectionError at /var/lib/falkordb"


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(LEAKY)


def test_a_failing_read_is_masked_with_a_request_id_and_logged(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(api.store, "list_page", _explode)
    with caplog.at_level(logging.ERROR, logger="dealgraph.api"):
        response = api.post("{ customers { totalCount } }")
    assert response.status_code == 200
    assert_no_leak(response.text)
    assert "ConnectionError" not in response.text
    body = response.json()
    assert_error_shape(body)
    (error,) = body["errors"]
    request_id = error["extensions"]["requestId"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert request_id in error["message"]
    assert response.headers["x-request-id"] == request_id
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged, "the failure was not logged with its request id"
    assert logged[0].exc_info is not None


def test_a_failing_nested_field_is_masked_and_the_rest_answers(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.store, "neighbours", _explode)
    body = api.body("{ customers { nodes { name keyPersons { totalCount } } } }")
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert body["errors"][0]["path"][:3] == ["customers", "nodes", 0]


def test_a_failing_write_is_masked_and_changes_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(api.store)
    monkeypatch.setattr(GraphStore, "write", _explode)
    body = api.body(CREATE, {"i": {"name": "Never stored"}})
    monkeypatch.undo()
    assert body["data"] == {"customerCreate": None}  # root fields are nullable: fails alone
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert body["errors"][0]["path"] == ["customerCreate"]
    assert snapshot(api.store) == before


def test_a_failing_node_lookup_is_masked(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.store, "get_many", _explode)
    body = api.body(
        "query($id: ID!) { node(id: $id) { id } }", {"id": gid(NodeKind.CUSTOMER, "c1")}
    )
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


# --- top-level errors in the request's language ---------------------------------------------------

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_an_oversize_body_is_refused_in_the_requests_language(api: Api) -> None:
    huge = {"query": CREATE, "variables": {"i": {"name": "x" * (MAX_BODY_BYTES + 10)}}}
    english = api.client.post("/graphql", json=huge)
    chinese = api.client.post("/graphql", json=huge, headers=ZH)
    refused_over_http(api, english, 413, f"larger than {MAX_BODY_BYTES} bytes")
    refused_over_http(api, chinese, 413, f"请求体超过 {MAX_BODY_BYTES} 字节")
    assert "maxBodyBytes" in chinese.json()["errors"][0]["message"]


def test_a_masked_internal_error_is_explained_in_the_requests_language(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.store, "list_page", _explode)
    response = api.post("{ customers { totalCount } }", headers=ZH)
    assert_no_leak(response.text)
    assert "ConnectionError" not in response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["message"] == f"服务器内部错误（请求编号 {error['extensions']['requestId']}）"


def test_a_store_that_fails_under_a_request_is_said_to_be_unavailable(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Down between the sign-in and the read: the person is told to wait, not that the server
    broke, and nothing of the driver's message reaches them."""

    def down(*args: object, **kwargs: object) -> None:
        raise StoreError("Couldn't connect to 10.0.0.7:7687")

    monkeypatch.setattr(api.store, "list_page", down)
    for headers, said in (
        ({}, "The store is unavailable; try again shortly (request id {})"),
        (ZH, "数据存储暂时不可用，请稍后重试（请求编号 {}）"),
    ):
        response = api.post("{ customers { totalCount } }", headers=headers)
        assert "10.0.0.7" not in response.text
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert error["message"] == said.format(error["extensions"]["requestId"])


def test_an_error_carries_its_message_in_both_languages(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the request's language, a page that switches language meanwhile says the error
    again in the new one (``messageEn``, ``messageZh``): a query of a field that does not exist,
    and a store down under a read."""
    for headers in ({}, ZH):
        (typo,) = api.post("{ customerz { totalCount } }", headers=headers).json()["errors"]
        said = typo["extensions"]
        assert "customerz" in said["messageEn"]
        assert said["messageEn"].isascii()
        assert "customerz" in said["messageZh"]
        assert not said["messageZh"].isascii()
        assert typo["message"] == (said["messageZh"] if headers else said["messageEn"])

    def down(*args: object, **kwargs: object) -> None:
        raise StoreError("Couldn't connect to 10.0.0.7:7687")

    monkeypatch.setattr(api.store, "list_page", down)
    (error,) = api.post("{ customers { totalCount } }").json()["errors"]
    request_id = error["extensions"]["requestId"]
    assert error["extensions"]["messageEn"] == error["message"]
    down_zh = f"数据存储暂时不可用，请稍后重试（请求编号 {request_id}）"
    assert error["extensions"]["messageZh"] == down_zh


def _slow(seconds: float) -> Any:
    def answer(*args: object, **kwargs: object) -> None:
        time.sleep(seconds)
        raise StoreError("answered too late to matter")

    return answer


def test_a_store_that_does_not_answer_by_the_deadline_is_said_so_and_a_change_may_still_land(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the sign-in, a read that hangs is answered at the deadline; a change that hangs is
    answered too, warning that it may still be saved (its statement was sent)."""
    with serve(api.store, settings={"request_timeout_seconds": 1}) as quick:
        monkeypatch.setattr(api.store, "list_page", _slow(2.5))
        monkeypatch.setattr(api.store, "create", _slow(2.5))
        create = {"i": {"name": "Gamma"}}
        for headers, read_said, change_said in (
            (
                {},
                "The store did not answer within 1 s; try again shortly (request id {})",
                "The store did not answer within 1 s; your change may still be saved, so look "
                "before you send it again (request id {})",
            ),
            (
                ZH,
                "数据存储在 1 秒内没有应答，请稍后重试（请求编号 {}）",
                "数据存储在 1 秒内没有应答；您的修改可能仍会保存，请先查看，再决定是否重新提交"
                "（请求编号 {}）",
            ),
        ):
            for query, variables, said in (
                ("{ customers { totalCount } }", None, read_said),
                (CREATE, create, change_said),
            ):
                started = time.monotonic()
                response = quick.post(query, variables, headers=headers)
                assert time.monotonic() - started < 2.0
                (error,) = response.json()["errors"]
                assert error["extensions"]["code"] == "UNAVAILABLE"
                assert error["message"] == said.format(error["extensions"]["requestId"])
                assert "too late" not in response.text


def test_a_refused_root_field_is_explained_in_the_requests_language(api: Api) -> None:
    manager = api.as_(add_person(api.store, "li-zh", "account_manager"))
    query = "{ webhookEndpoints { url } }"
    english = manager.body(query)["errors"][0]
    chinese = manager.body(query, headers=ZH)["errors"][0]
    assert english["extensions"]["code"] == chinese["extensions"]["code"] == "FORBIDDEN"
    assert english["message"].startswith("Your role may not")
    assert chinese["message"].startswith("您的角色不能")
    assert chinese["path"] == english["path"] == ["webhookEndpoints"]


def test_an_id_of_no_object_is_explained_in_the_requests_language(api: Api) -> None:
    query = '{ node(id: "Rm9vOjE=") { id } }'  # "Foo:1": well formed, no such type
    english = api.body(query)["errors"][0]
    chinese = api.body(query, headers=ZH)["errors"][0]
    assert english["message"] == "id: is not the ID of an object of this API"
    assert chinese["message"] == "id：不是本 API 中对象的 ID"
    assert english["extensions"]["code"] == chinese["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en"),
        ("", "en"),
        ("zh-CN", "zh-CN"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en;q=0.5, zh-CN", "zh-CN"),
        ("en-US, zh-CN", "en-US"),
        ("*, zh;q=0.4", "zh"),
        ("zh-CN;q=0, en;q=0.1", "en"),
        ("zh;q=oops, de", "en"),
        ("fr-FR, zh-CN;q=0.5", "zh-CN"),
        ("de-DE, en;q=0.3", "en"),
    ],
)
def test_the_language_is_the_one_the_header_prefers(header: str | None, locale: str) -> None:
    assert preferred_locale(header) == locale


def test_a_request_preferring_chinese_by_quality_gets_chinese(api: Api) -> None:
    body = api.body("{ customerz { totalCount } }", headers={"Accept-Language": "en;q=0.3, zh"})
    assert body["errors"][0]["message"].startswith("类型 'Query' 上没有可查询的字段")


@pytest.mark.parametrize(
    ("body", "change"),
    [
        (b'{"query": "mutation { violationsSweep { userErrors { message } } }"}', True),
        (b'{"query": "{ me { name } }"}', False),
        (b'{"query": "query A { me { name } } mutation B { x }", "operationName": "B"}', True),
        (b'{"query": "query A { me { name } } mutation B { x }", "operationName": "A"}', False),
        (b'{"query": "mutation {"}', False),
        (b"not json", False),
        (b"[]", False),
    ],
)
def test_a_request_the_store_could_not_check_is_told_apart_as_a_change(
    body: bytes, change: bool
) -> None:
    """Only when the store cannot check who sent a request is its body read for what it asked:
    a change is told it was not saved, anything else that the credentials cannot be checked."""
    assert asks_for_change(body) is change
