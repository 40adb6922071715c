"""A read that is refused says why in the reader's language: each top-level error of a query
field (a bad argument, a list cursor or page size out of range, a role that may not read)
carries a message in Chinese for a zh-CN reader and in English otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, open_api
from people import add_person

from domain.model import NodeKind
from graph.executor import Executor

REFUSED: list[tuple[str, str, dict[str, Any]]] = [
    ("unknown enum", '{ label(enum: "Nope", value: "X") }', {}),
    ("unknown value", '{ label(enum: "Stage", value: "NOPE") }', {}),
    ("page too large", "{ customers(first: 1000) { totalCount } }", {}),
    ("not a cursor", '{ customers(after: "garbage") { totalCount } }', {}),
    ("both directions", "{ customers(first: 1, last: 1) { totalCount } }", {}),
    (
        "warm paths limit",
        "query($id: ID!) { warmPaths(to: $id, limit: 0) { cost } }",
        {"id": gid(NodeKind.KEY_PERSON, "p1")},
    ),
    (
        "warm paths to a deal",
        "query($id: ID!) { warmPaths(to: $id) { cost } }",
        {"id": gid(NodeKind.OPPORTUNITY, "o1")},
    ),
    (
        "what-if without changes",
        "query($id: ID!) { opportunityWhatIf(id: $id, changes: []) { deltaWinLikelihood } }",
        {"id": gid(NodeKind.OPPORTUNITY, "o1")},
    ),
    (
        "suggestions limit",
        "query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 0) "
        "{ title } } } }",
        {"id": gid(NodeKind.OPPORTUNITY, "o1")},
    ),
    (
        "changes backwards",
        "query($id: ID!) { node(id: $id) { ... on Opportunity { changes("
        'from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { winLikelihoodAfter } } } }',
        {"id": gid(NodeKind.OPPORTUNITY, "o1")},
    ),
    (
        "scores of a wrong id",
        "query($id: ID!, $o: ID!) { node(id: $id) { ... on KeyPerson { scores(opportunityId: $o) "
        "{ closeness { value } } } } }",
        {"id": gid(NodeKind.KEY_PERSON, "p1"), "o": gid(NodeKind.KEY_PERSON, "p1")},
    ),
    ("violations page", "{ violations(first: -1) { totalCount } }", {}),
    ("not an id", '{ nodes(ids: ["garbage"]) { id } }', {}),
]


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        store = client.store
        store.create(NodeKind.CUSTOMER, {"name": "Bank"}, node_id="c1")
        store.create_key_person("c1", {"name": "Zhou Bin"}, node_id="p1")
        store.create_opportunity("c1", {"name": "Core banking"}, node_id="o1")
        yield client


def _messages(api: Api, query: str, variables: dict[str, Any], zh: bool) -> list[str]:
    body = api.body(query, variables, headers=ZH if zh else None)
    errors = body.get("errors") or []
    assert errors, body
    assert all(e.get("path") for e in errors), errors  # refused as it ran, not a malformed query
    return [str(e["message"]) for e in errors]


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize(("case", "query", "variables"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_read_answers_in_the_readers_language(
    api: Api, case: str, query: str, variables: dict[str, Any]
) -> None:
    assert all(_chinese(m) for m in _messages(api, query, variables, zh=True)), case
    assert not any(_chinese(m) for m in _messages(api, query, variables, zh=False)), case


def test_reads_a_role_may_not_make_answer_in_the_readers_language(api: Api) -> None:
    manager = api.as_(add_person(api.store, "li.na", "account_manager"))
    for query, variables in (
        ("{ auditLog { totalCount } }", {}),
        ("query($id: ID!) { keyPersonExport(id: $id) }", {"id": gid(NodeKind.KEY_PERSON, "p1")}),
        ("{ webhookDeliveries { id } }", {}),
    ):
        assert all(_chinese(m) for m in _messages(manager, query, variables, zh=True)), query
        assert not any(_chinese(m) for m in _messages(manager, query, variables, zh=False))


OUT_OF_RANGE: list[tuple[str, dict[str, Any], str, int, int]] = [
    (
        "query($id: ID!) { warmPaths(to: $id, limit: 11) { cost } }",
        {"id": gid(NodeKind.KEY_PERSON, "p1")},
        "limit",
        1,
        10,
    ),
    (
        "query($id: ID!) { warmPaths(to: $id, maxDepth: 0) { cost } }",
        {"id": gid(NodeKind.KEY_PERSON, "p1")},
        "maxDepth",
        1,
        6,
    ),
    (
        "query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 51) "
        "{ title } } } }",
        {"id": gid(NodeKind.OPPORTUNITY, "o1")},
        "limit",
        1,
        50,
    ),
    (
        "query($id: ID!) { node(id: $id) { ... on Opportunity { changes("
        'from: "2026-01-01T00:00:00Z", closenessThreshold: 101) { winLikelihoodAfter } } } }',
        {"id": gid(NodeKind.OPPORTUNITY, "o1")},
        "closenessThreshold",
        0,
        100,
    ),
    ("{ customers(last: 101) { totalCount } }", {}, "last", 0, 100),
]


@pytest.mark.parametrize(
    ("query", "variables", "argument", "low", "high"),
    OUT_OF_RANGE,
    ids=[f"{r[2]}-{r[4]}" for r in OUT_OF_RANGE],
)
def test_an_argument_out_of_range_names_its_bounds_in_both_languages(
    api: Api, query: str, variables: dict[str, Any], argument: str, low: int, high: int
) -> None:
    body = api.body(query, variables)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert _messages(api, query, variables, zh=False) == [
        f"{argument}: must be between {low} and {high}"
    ]
    assert _messages(api, query, variables, zh=True) == [f"{argument}：须在 {low} 到 {high} 之间"]
