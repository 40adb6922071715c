"""An ID that is no ID of this API, sent as a top-level argument or inside a what-if change,
as a deployed user meets it: a mutation with a payload answers a userError on that argument;
a query answers one top-level BAD_USER_INPUT error that names the argument, in the request's
language, without quoting the value or an internal type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, snapshot
from people import add_person

from domain.model import NodeKind
from graph.executor import Executor

LANGUAGES = {"en": {"Accept-Language": "en"}, "zh": {"Accept-Language": "zh-CN,zh;q=0.9"}}
GARBAGE = "not-an-id"


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        store = client.store
        store.create(NodeKind.TEAM_MEMBER, {"name": "Li Wei"}, node_id="m1")
        store.create(NodeKind.CUSTOMER, {"name": "Bank"}, node_id="c1")
        store.create_opportunity("c1", {"name": "Core banking"}, node_id="o1")
        yield client


@pytest.fixture(scope="module")
def manager(api: Api) -> Api:
    return api.as_(add_person(api.store, "li.wei", "account_manager", "m1"))


MUTATIONS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "delete",
        "mutation($id: ID!) { opportunityDelete(id: $id) { deletedId "
        "userErrors { field message code } } }",
        {"id": GARBAGE},
    ),
    (
        "update",
        'mutation($id: ID!) { opportunityUpdate(id: $id, input: {version: 1, name: "X"}) '
        "{ opportunity { id } userErrors { field message code } } }",
        {"id": GARBAGE},
    ),
    (
        "advance",
        "mutation($id: ID!) { opportunityAdvance(id: $id, input: {toStage: REQUIREMENTS}) "
        "{ opportunity { id } userErrors { field message code } } }",
        {"id": GARBAGE},
    ),
    (
        "a NUL inside",  # names nothing, and the embedded store cannot take it as a parameter
        'mutation($id: ID!) { opportunityUpdate(id: $id, input: {version: 1, name: "X"}) '
        "{ opportunity { id } userErrors { field message code } } }",
        {"id": gid(NodeKind.OPPORTUNITY, "o1\x00")},
    ),
]


@pytest.mark.parametrize(("case", "query", "variables"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_mutation_answers_a_malformed_id_on_its_argument(
    manager: Api, case: str, query: str, variables: dict[str, Any]
) -> None:
    messages = {}
    for language, headers in LANGUAGES.items():
        before = snapshot(manager.store)
        body = manager.body(query, variables, headers=headers)
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        (error,) = payload["userErrors"]
        assert (error["field"], error["code"]) == (["id"], "BAD_USER_INPUT"), error
        assert snapshot(manager.store) == before
        messages[language] = error["message"]
    assert messages["en"] == "must be the ID of an opportunity; this is no ID of this API"
    assert messages["zh"] == "须为商机的 ID，这不是本 API 的 ID"


QUERIES: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "what-if deal",
        "query($id: ID!) { opportunityWhatIf(id: $id, changes: "
        '[{kind: PERSON_LEAVES, personId: "x"}]) { deltaWinLikelihood } }',
        {"id": GARBAGE},
        "id: must be the ID of an opportunity; this is no ID of this API",
        "id：须为商机的 ID，这不是本 API 的 ID",
    ),
    (
        "what-if change",
        "query($id: ID!, $p: ID!) { opportunityWhatIf(id: $id, changes: "
        "[{kind: PERSON_LEAVES, personId: $p}]) { deltaWinLikelihood } }",
        {"id": gid(NodeKind.OPPORTUNITY, "o1"), "p": GARBAGE},
        "changes.0.personId: must be the ID of a key person; this is no ID of this API",
        "changes.0.personId：须为关键人的 ID，这不是本 API 的 ID",
    ),
    (
        "warm paths",
        "query($id: ID!) { warmPaths(to: $id) { cost } }",
        {"id": GARBAGE},
        "to: must be the ID of a key person; this is no ID of this API",
        "to：须为关键人的 ID，这不是本 API 的 ID",
    ),
    (
        "node",
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": GARBAGE},
        "id: is not the ID of an object of this API",
        "id：不是本 API 中对象的 ID",
    ),
    *(
        (
            f"{listing} filter {field}",
            f"query($id: ID!) {{ {listing}(filter: {{{field}: $id}}) {{ edges {{ cursor }} }} }}",
            {"id": GARBAGE},
            f"filter.{field}: must be the ID of {en}; this is no ID of this API",
            f"filter.{field}：须为{zh}的 ID，这不是本 API 的 ID",
        )
        for listing, field, en, zh in (
            ("keyPersons", "customerId", "a customer", "客户"),
            ("keyPersons", "opportunityId", "an opportunity", "商机"),
            ("opportunities", "customerId", "a customer", "客户"),
            ("opportunities", "teamMemberId", "a team member", "团队成员"),
            ("activities", "personId", "a key person", "关键人"),
            ("activities", "opportunityId", "an opportunity", "商机"),
            ("activities", "teamMemberId", "a team member", "团队成员"),
        )
    ),
]


@pytest.mark.parametrize(
    ("case", "query", "variables", "en", "zh"), QUERIES, ids=[q[0] for q in QUERIES]
)
def test_a_query_names_the_argument_of_a_malformed_id(
    manager: Api, case: str, query: str, variables: dict[str, Any], en: str, zh: str
) -> None:
    for language, expected in (("en", en), ("zh", zh)):
        body = manager.body(query, variables, headers=LANGUAGES[language])
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["message"] == expected
        assert GARBAGE not in error["message"]
