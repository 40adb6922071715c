"""Every mutation's ``userErrors.field`` is a path of its real input, and a problem is reported
once: generated from the schema by introspection, each mutation is sent inputs that provoke
errors (IDs of another type, IDs of nothing, stale versions, values out of every limit) on a
real store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, gid, open_api
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
)
from people import add_person

from domain.model import NodeKind
from graph.executor import Executor
from graph.statements import TOKEN_LABEL, USER_LABEL
from graph.store import GraphStore

VARIANTS = ("wrong_type", "missing", "stale", "out_of_limits")

# The node kind an ID argument or input field names, by its name.
ID_KINDS = {
    "customerId": "Customer",
    "parentId": "Customer",
    "opportunityId": "Opportunity",
    "targetId": "Opportunity",
    "competitorId": "Competitor",
    "lostToCompetitorId": "Competitor",
    "memberId": "TeamMember",
    "memberIds": "TeamMember",
    "teamMemberId": "TeamMember",
    "ownerId": "TeamMember",
    "successorId": "TeamMember",
    "actingMemberId": "TeamMember",
}
# The kind of a mutation's own ``id`` argument, by the mutation's name.
PREFIX_KINDS = (
    ("customer", "Customer"),
    ("keyPerson", "KeyPerson"),
    ("competitor", "Competitor"),
    ("opportunity", "Opportunity"),
    ("teamMember", "TeamMember"),
    ("activity", "Activity"),
    ("approval", "Approval"),
    ("workPlanItem", "WorkPlanItem"),
    ("violation", "Violation"),
)
EXISTING = {
    "Customer": "c1",
    "KeyPerson": "p1",
    "Competitor": "x1",
    "Opportunity": "o1",
    "TeamMember": "m1",
}


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


@pytest.fixture(scope="module")
def schema(api: Api) -> GraphQLSchema:
    return build_client_schema(api.data(get_introspection_query()))  # type: ignore[arg-type]


def seed(store: GraphStore) -> None:
    """An empty graph with one node of each main kind (ids of ``EXISTING``); the signed-in
    administrator's user and token stay."""
    store.executor.write(
        f"MATCH (n) WHERE NOT n:{USER_LABEL} AND NOT n:{TOKEN_LABEL} DETACH DELETE n", {}
    )
    store.create(NodeKind.CUSTOMER, {"name": "Bank"}, node_id="c1")
    store.create_key_person("c1", {"name": "Zhou"}, node_id="p1")
    store.create(NodeKind.COMPETITOR, {"name": "Rival"}, node_id="x1")
    store.create_opportunity("c1", {"name": "Deal"}, node_id="o1")
    store.create(NodeKind.TEAM_MEMBER, {"name": "Li"}, node_id="m1")


def id_kind(mutation: str, name: str) -> str:
    if name == "successorId" and mutation.startswith("keyPerson"):
        return "KeyPerson"  # who holds a key person's job now (ours takes over otherwise)
    if name in ID_KINDS:
        return ID_KINDS[name]
    if name == "managerId" and mutation.startswith("teamMember"):
        return "TeamMember"  # who manages one of our people (a key person's manager otherwise)
    if name == "id":
        return next((kind for prefix, kind in PREFIX_KINDS if mutation.startswith(prefix)), "X")
    return "KeyPerson"  # personId, managerId, fromPersonId, targetPersonId …


def value(mutation: str, name: str, kind: GraphQLInputType, variant: str) -> Any:
    """A value of the type that coerces but provokes an error in ``variant``."""
    if isinstance(kind, GraphQLNonNull):
        return value(mutation, name, kind.of_type, variant)
    if isinstance(kind, GraphQLList):
        return [value(mutation, name, kind.of_type, variant)]
    if isinstance(kind, GraphQLInputObjectType):
        return {
            field: value(mutation, field, spec.type, variant) for field, spec in kind.fields.items()
        }
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    bad = variant == "out_of_limits"
    scalar = kind.name
    if scalar == "ID":
        node_kind = id_kind(mutation, name)
        if variant == "wrong_type":
            return gid("Nothing", "x")
        if variant == "missing":
            return gid(node_kind, "missing")
        return gid(node_kind, EXISTING.get(node_kind, "missing"))
    if variant == "stale" and scalar == "Int":
        return 99  # versions that were never read
    return {
        "String": "x" * 5000 if bad else "text",
        "Int": -1 if bad else 1,
        "Long": -1 if bad else 1,
        "Float": -1.0 if bad else 1.0,
        "Boolean": True,
        "DateTime": "3999-01-01T00:00:00+00:00" if bad else "2025-01-01T00:00:00+00:00",
        "JSON": {"unknown_field": "x" * 5000} if bad else {},
    }[scalar]


def type_ref(kind: GraphQLInputType) -> str:
    if isinstance(kind, GraphQLNonNull):
        return f"{type_ref(kind.of_type)}!"
    if isinstance(kind, GraphQLList):
        return f"[{type_ref(kind.of_type)}]"
    return kind.name


def is_input_path(field: GraphQLField, path: list[str]) -> bool:
    """True when ``path`` names an argument and input fields (or list items) inside it; inside
    a JSON value, any keys and positions."""
    if not path:
        return True  # the whole input
    if path[0] not in field.args:
        return False
    current: GraphQLInputType = field.args[path[0]].type
    for name in path[1:]:
        while isinstance(current, GraphQLNonNull):
            current = current.of_type
        if get_named_type(current).name == "JSON":
            return True
        if isinstance(current, GraphQLList) and name.isdigit():
            current = current.of_type
            continue
        named = get_named_type(current)
        if not isinstance(named, GraphQLInputObjectType) or name not in named.fields:
            return False
        current = named.fields[name].type
    return True


def mutations(schema: GraphQLSchema) -> list[tuple[str, GraphQLField]]:
    root = schema.mutation_type
    assert root is not None
    found = []
    for name, field in root.fields.items():
        payload = get_named_type(field.type)
        if isinstance(payload, GraphQLObjectType) and "userErrors" in payload.fields:
            found.append((name, field))
    return found


def provoking(name: str, field: GraphQLField, variant: str) -> tuple[str, dict[str, Any]]:
    """The mutation ``name`` asking for its userErrors, with arguments of ``variant``."""
    args = {arg: value(name, arg, spec.type, variant) for arg, spec in field.args.items()}
    params = ", ".join(f"${a}: {type_ref(s.type)}" for a, s in field.args.items())
    passed = ", ".join(f"{a}: ${a}" for a in field.args)
    query = (
        f"mutation{f'({params})' if params else ''} {{ {name}"
        f"{f'({passed})' if passed else ''} {{ userErrors {{ field message code }} }} }}"
    )
    return query, args


def test_every_mutation_reports_problems_on_its_real_input_once(
    api: Api, schema: GraphQLSchema
) -> None:
    wrong: list[str] = []
    repeated: list[str] = []
    provoked: set[str] = set()
    checked = mutations(schema)
    assert len(checked) > 30
    for name, field in checked:
        seed(api.store)
        for variant in VARIANTS:
            query, args = provoking(name, field, variant)
            body = api.body(query, args)
            assert "errors" not in body, (name, variant, body)
            errors = body["data"][name]["userErrors"]
            provoked.update([name] if errors else [])
            wrong += [
                f"{name} ({variant}): {e}" for e in errors if not is_input_path(field, e["field"])
            ]
            seen = [(tuple(e["field"]), e["message"]) for e in errors]
            if len(seen) != len(set(seen)):
                repeated.append(f"{name} ({variant}): {errors}")
    assert wrong == [], "\n".join(wrong)
    assert repeated == [], "\n".join(repeated)
    assert len(provoked) >= len(checked) - 2, sorted({n for n, _ in checked} - provoked)


def test_an_unknown_process_is_reported_on_the_process_field(api: Api) -> None:
    seed(api.store)
    query = """mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) {
        userErrors { field message code } } }"""
    variables = {
        "i": {
            "opportunityId": gid(NodeKind.OPPORTUNITY, "o1"),
            "process": "9-9",
        }
    }
    li = api.as_(add_person(api.store, "li-process", "admin", "m1"))
    errors = li.data(query, variables)["approvalRequest"]["userErrors"]
    assert [e["field"] for e in errors] == [["input", "process"]], errors
    zh = li.body(query, variables, headers={"Accept-Language": "zh-CN"})
    assert zh["data"]["approvalRequest"]["userErrors"][0]["message"] == "未定义的流程 TAS+9-9"


def test_a_refused_role_is_reported_on_the_whole_input_of_every_mutation(
    api: Api, schema: GraphQLSchema
) -> None:
    """A viewer may change nothing: each mutation refuses it with FORBIDDEN on the whole
    input (an empty path), never on an argument the mutation does not have."""
    seed(api.store)
    viewer = api.as_(add_person(api.store, "viewer-paths", "viewer"))
    wrong: list[str] = []
    refused: set[str] = set()
    for name, field in mutations(schema):
        query, args = provoking(name, field, "stale")
        errors = viewer.data(query, args)[name]["userErrors"]
        forbidden = [e for e in errors if e["code"] == "FORBIDDEN"]
        refused.update([name] if forbidden else [])
        wrong += [f"{name}: {e}" for e in forbidden if e["field"] != []]
    assert wrong == [], "\n".join(wrong)
    assert refused == {n for n, _ in mutations(schema)}, sorted(
        {n for n, _ in mutations(schema)} - refused
    )


def test_every_refusal_of_every_mutation_speaks_chinese_when_asked(
    api: Api, schema: GraphQLSchema
) -> None:
    """A user who reads zh-CN gets every userError in Chinese: each message the provoking
    inputs bring out (wrong IDs, missing nodes, stale versions, values out of every limit)
    holds Chinese text, whatever mutation and input it comes from."""
    english: list[str] = []
    for name, field in mutations(schema):
        seed(api.store)
        for variant in VARIANTS:
            query, args = provoking(name, field, variant)
            body = api.body(query, args, headers={"Accept-Language": "zh-CN"})
            errors = body["data"][name]["userErrors"]
            english += [
                f"{name} ({variant}): {e['field']} {e['message']}"
                for e in errors
                if not any("\u4e00" <= c <= "\u9fff" for c in e["message"])
            ]
    assert english == [], "\n".join(sorted(set(english)))
