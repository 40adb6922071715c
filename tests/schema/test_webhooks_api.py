"""Webhook endpoint administration through the API, on both back ends, as deployed: an
administrator registers, lists, disables, enables, rotates and deletes endpoints; bad input
is refused field by field in the request's language and writes nothing; other roles may not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import Api, open_api
from people import add_person

from domain.webhook_events import EVENT_TYPES
from graph.executor import Executor
from graph.webhook_store import WebhookStore

CREATE = """
mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) {
    endpoint { id url events description enabled disabledReason createdAt }
    secret
    userErrors { field message code }
  }
}"""
LIST = "{ webhookEndpoints { id url events description enabled disabledReason } }"
ROTATE = """mutation($id: ID!) { webhookEndpointRotateSecret(id: $id) {
  endpoint { id } secret userErrors { field message code } } }"""
DISABLE = """mutation($id: ID!) { webhookEndpointDisable(id: $id) {
  endpoint { id enabled disabledReason } userErrors { field message code } } }"""
ENABLE = """mutation($id: ID!) { webhookEndpointEnable(id: $id) {
  endpoint { id enabled disabledReason } userErrors { field message code } } }"""
DELETE = """mutation($id: ID!) { webhookEndpointDelete(id: $id) {
  deletedId userErrors { field message code } } }"""
RETRY = """mutation($id: ID!) { webhookDeliveryRetry(id: $id) {
  delivery { id } userErrors { field message code } } }"""
GOOD = {"url": "https://93.184.215.14/hooks", "events": ["opportunity.stage_changed"]}
"""A public address (no name to resolve, so no DNS in the tests)."""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    # No dispatcher: these endpoints are public addresses that must never be called.
    with open_api(api_executor) as served:
        yield served


def test_create_shows_the_secret_once_and_lists_never_do(api: Api) -> None:
    payload = api.mutate(CREATE, {"input": {**GOOD, "description": "CRM of record"}})
    endpoint, secret = payload["endpoint"], payload["secret"]
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    assert endpoint["url"] == GOOD["url"]
    assert endpoint["events"] == ["opportunity.stage_changed"]
    assert endpoint["enabled"] is True
    assert endpoint["createdAt"].endswith("Z")
    listed = api.data(LIST)["webhookEndpoints"]
    assert {k: v for k, v in endpoint.items() if k != "createdAt"} in listed
    assert secret not in str(listed)
    assert all("secret" not in row for row in WebhookStore(api.store).endpoints())


def test_rotate_gives_a_new_secret_and_disable_enable_delete(api: Api) -> None:
    created = api.mutate(CREATE, {"input": GOOD})
    endpoint_id, first = created["endpoint"]["id"], created["secret"]
    rotated = api.mutate(ROTATE, {"id": endpoint_id})
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != first
    off = api.mutate(DISABLE, {"id": endpoint_id})["endpoint"]
    assert off == {
        "id": endpoint_id,
        "enabled": False,
        "disabledReason": "disabled by an administrator",
    }
    # Why it is off reads in the reader's language, whoever turned it off.
    listed = api.body(LIST, headers={"Accept-Language": "zh-CN"})["data"]["webhookEndpoints"]
    assert [e["disabledReason"] for e in listed if e["id"] == endpoint_id] == ["已被管理员停用"]
    on = api.mutate(ENABLE, {"id": endpoint_id})["endpoint"]
    assert on == {"id": endpoint_id, "enabled": True, "disabledReason": None}
    assert api.mutate(DELETE, {"id": endpoint_id})["deletedId"] == endpoint_id
    assert endpoint_id not in [e["id"] for e in api.data(LIST)["webhookEndpoints"]]


@pytest.mark.parametrize(
    ("given", "field", "english", "chinese"),
    [
        ({"url": "ftp://x.example.com/"}, ["input", "url"], "must start with https://", "https"),
        ({"url": "not a url"}, ["input", "url"], "must start with https://", "须以"),
        ({"url": "http://93.184.215.14/h"}, ["input", "url"], "must start with https://", "须以"),
        ({"url": "https://127.0.0.1/h"}, ["input", "url"], "127.0.0.1, a private", "私有"),
        ({"url": "https://10.1.2.3:8443/h"}, ["input", "url"], "10.1.2.3, a private", "私有"),
        ({"url": "https://[::1]/h"}, ["input", "url"], "::1, a private", "私有"),
        ({"url": "https://169.254.169.254/latest"}, ["input", "url"], "169.254.169.254", "私有"),
        ({"url": "https://localhost/h"}, ["input", "url"], "localhost resolves to", "解析为"),
        ({"events": []}, ["input", "events"], "at least one event type", "至少"),
        (
            {"events": ["opportunity.created", "deal.won"]},
            ["input", "events", "1"],
            "'deal.won' is not an event type",
            "不是事件类型",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field_in_both_languages(
    api: Api, given: dict[str, object], field: list[str], english: str, chinese: str
) -> None:
    variables = {"input": {**GOOD, **given}}
    (error,) = api.refused(CREATE, variables, "BAD_USER_INPUT", field)
    assert english in error["message"]
    body = api.body(CREATE, variables, headers={"Accept-Language": "zh-CN"})
    assert chinese in body["data"]["webhookEndpointCreate"]["userErrors"][0]["message"]


def test_unknown_ids_are_not_found(api: Api) -> None:
    for mutation in (ROTATE, DISABLE, ENABLE, DELETE, RETRY):
        for unknown in ("ep_nothing", "ep\x00"):  # a NUL names nothing either
            api.refused(mutation, {"id": unknown}, "NOT_FOUND", ["id"])
    body = api.body(DISABLE, {"id": "ep_nothing"}, headers={"Accept-Language": "zh-CN"})
    (error,) = body["data"]["webhookEndpointDisable"]["userErrors"]
    assert error["message"] == "该 Webhook 端点不存在，或您无权查看"  # spaced as 该 ID


def test_only_administrators_manage_webhooks(api: Api) -> None:
    manager = api.as_(add_person(api.store, "webhook-am", "account_manager"))
    manager.refused(CREATE, {"input": GOOD}, "FORBIDDEN")
    error = manager.top_error(LIST, None, "FORBIDDEN")
    assert "admin" in error["message"]


def test_the_event_catalogue_is_listed(api: Api) -> None:
    listed = api.data("{ webhookEventTypes { name description } }")["webhookEventTypes"]
    assert [t["name"] for t in listed] == list(EVENT_TYPES)
    assert {"opportunity.stage_changed", "decision_chain.member_changed"} <= set(EVENT_TYPES)
    assert {"approval.decided", "violation.raised", "opportunity.created"} <= set(EVENT_TYPES)


@pytest.mark.parametrize(
    ("arguments", "code", "english", "chinese"),
    [
        (
            'status: "FAILED"',
            "BAD_USER_INPUT",
            "status: must be one of pending, succeeded, failed",
            "status：须为 pending、succeeded、failed 之一",
        ),
        (
            "first: -1",
            "BAD_USER_INPUT",
            "first: must be between 0 and 500",
            "first：须在 0 到 500 之间",
        ),
        (
            "first: 501",
            "BAD_USER_INPUT",
            "first: must be between 0 and 500",
            "first：须在 0 到 500 之间",
        ),
        (
            'endpointId: "ep_nothing"',
            "NOT_FOUND",
            "endpointId: No webhook endpoint with this id exists, or you may not see it",
            "endpointId：该 Webhook 端点不存在，或您无权查看",
        ),
    ],
)
def test_a_delivery_filter_that_cannot_match_is_refused_not_answered_empty(
    api: Api, arguments: str, code: str, english: str, chinese: str
) -> None:
    """An administrator looking for failed deliveries to replay must not read "none" because
    of how the status was spelled."""
    query = f"{{ webhookDeliveries({arguments}) {{ id }} }}"
    assert api.top_error(query, None, code)["message"] == english
    body = api.body(query, headers={"Accept-Language": "zh-CN"})
    assert body["errors"][0]["message"] == chinese
