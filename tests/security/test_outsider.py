"""A user outside a team gets nothing of it, on every query and mutation of the schema.

The cases are generated from the schema itself: for each root field, every argument and
input field is filled with a valid value, every ID with the ID of something Alice may not see
(a customer, opportunity, key person, activity, work plan item or approval of Bob's team) or,
for kinds everyone sees (competitors, our people), with a visible one. The selection asks
for every field of the result three levels deep. Then, for each case:

- nothing of Bob's world appears in the answer (its text carries the marker ``SECRET``);
- nothing of Bob's world changed (its nodes and their edges are compared before and after);
- a mutation naming something hidden is refused with NOT_FOUND, FORBIDDEN or BAD_USER_INPUT;
- and no answer is a server error.

A new root field is covered without touching this file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_helpers import gid
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
)
from security_helpers import HIDDEN, MARK, VISIBLE, Client, World, codes, open_app, secure_settings
from security_helpers import seed as seed_world
from starlette.testclient import TestClient

from dealgraph.engine.served import schema as app_schema
from domain.model import NodeKind
from graph.executor import Executor
from graph.security_store import SecurityStore
from graph.store import GraphStore

GRAPH = app_schema._schema
REFUSALS = {"NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"}
SCALARS: dict[str, Any] = {
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "DateTime": "2025-06-01T00:00:00+00:00",
    "Long": 1,
    "JSON": {},
}
# Which node kind an ID argument names, by the words in its name (first match wins).
ID_WORDS: tuple[tuple[str, NodeKind], ...] = (
    ("customer", NodeKind.CUSTOMER),
    ("opportunit", NodeKind.OPPORTUNITY),
    ("activity", NodeKind.ACTIVITY),
    ("approval", NodeKind.APPROVAL),
    ("workplan", NodeKind.WORK_PLAN_ITEM),
    ("item", NodeKind.WORK_PLAN_ITEM),
    ("competitor", NodeKind.COMPETITOR),
    ("member", NodeKind.TEAM_MEMBER),
    ("acting", NodeKind.TEAM_MEMBER),
    ("owner", NodeKind.TEAM_MEMBER),
    ("manager", NodeKind.KEY_PERSON),
    ("person", NodeKind.KEY_PERSON),
    ("to", NodeKind.KEY_PERSON),
)

ROOT_PREFIXES: tuple[tuple[str, NodeKind], ...] = (
    ("customer", NodeKind.CUSTOMER),
    ("keyPerson", NodeKind.KEY_PERSON),
    ("opportunit", NodeKind.OPPORTUNITY),
    ("activit", NodeKind.ACTIVITY),
    ("approval", NodeKind.APPROVAL),
    ("workPlan", NodeKind.WORK_PLAN_ITEM),
    ("competitor", NodeKind.COMPETITOR),
    ("teamMember", NodeKind.TEAM_MEMBER),
)


def kind_of(name: str, root: str) -> NodeKind:
    """The node kind an ID named ``name`` on root field ``root`` most likely refers to."""
    lowered = name.lower()
    if lowered not in ("id", "ids", "targetid"):
        for word, kind in ID_WORDS:
            if word in lowered:
                return kind
    for prefix, kind in ROOT_PREFIXES:
        if root.startswith(prefix):
            return kind
    return NodeKind.OPPORTUNITY


@dataclass
class Case:
    root: str
    operation: str
    query: str
    variables: dict[str, Any]
    hidden_ids: list[str] = field(default_factory=list)


class Builder:
    def __init__(self, root: str, visible_first: bool = False) -> None:
        self.root = root
        self.hidden: list[str] = []
        self.visible_first = visible_first

    def identifier(self, name: str) -> str:
        kind = kind_of(name, self.root)
        if self.visible_first and kind in VISIBLE:
            self.visible_first = False
            return gid(kind, VISIBLE[kind])
        if kind in HIDDEN:
            self.hidden.append(HIDDEN[kind])
            return gid(kind, HIDDEN[kind])
        return gid(kind, VISIBLE[kind])

    def value(self, name: str, type_: GraphQLInputType, depth: int = 0) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self.value(name, type_.of_type, depth)
        if isinstance(type_, GraphQLList):
            return [self.value(name, type_.of_type, depth)]
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            out: dict[str, Any] = {}
            for field_name, input_field in type_.fields.items():
                named = get_named_type(input_field.type)
                wanted = (
                    isinstance(input_field.type, GraphQLNonNull)
                    and input_field.default_value is Undefined
                ) or named.name == "ID"
                if wanted and depth < 4:
                    out[field_name] = self.value(field_name, input_field.type, depth + 1)
            if "version" in type_.fields:
                out["version"] = 1
            return out
        assert isinstance(type_, GraphQLScalarType)
        if type_.name == "ID":
            return self.identifier(name)
        return SCALARS.get(type_.name, "x")


def selection(type_: GraphQLNamedType, depth: int) -> str:
    """Every argument-free field of a type, ``depth`` levels deep."""
    if isinstance(type_, GraphQLUnionType):
        parts = [f"... on {member.name} {selection(member, depth)}" for member in type_.types]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
    parts = ["__typename"]
    for name, definition in type_.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in definition.args.values()):
            continue
        named = get_named_type(definition.type)
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            parts.append(name)
        elif depth > 0:
            parts.append(f"{name} {selection(named, depth - 1)}")
    return "{ " + " ".join(parts) + " }"


def _type_string(type_: GraphQLInputType) -> str:
    return str(type_)


def build_case(
    operation: str, root: str, definition: GraphQLField, visible_first: bool = False
) -> Case:
    builder = Builder(root, visible_first)
    declared: list[str] = []
    arguments: list[str] = []
    variables: dict[str, Any] = {}
    for name, argument in definition.args.items():
        named = get_named_type(argument.type)
        required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        takes_ids = named.name == "ID" or (
            isinstance(named, GraphQLInputObjectType) and name == "filter"
        )
        if not (required or takes_ids):
            continue
        variables[name] = builder.value(name, argument.type)
        declared.append(f"${name}: {_type_string(argument.type)}")
        arguments.append(f"{name}: ${name}")
    head = f"{operation} Probe" + (f"({', '.join(declared)})" if declared else "")
    call = root + (f"({', '.join(arguments)})" if arguments else "")
    named_result = get_named_type(definition.type)
    picked = (
        ""
        if isinstance(named_result, GraphQLScalarType | GraphQLEnumType)
        else selection(named_result, 3)
    )
    label = f"{root}/mixed" if visible_first else root
    return Case(label, operation, f"{head} {{ {call} {picked} }}", variables, builder.hidden)


def all_cases() -> list[Case]:
    cases = []
    for operation, root_type in (("query", GRAPH.query_type), ("mutation", GRAPH.mutation_type)):
        assert root_type is not None
        for root, definition in root_type.fields.items():
            case = build_case(operation, root, definition)
            cases.append(case)
            if len(case.hidden_ids) >= 2:
                # One end visible, the other hidden: still refused, still nothing changed.
                cases.append(build_case(operation, root, definition, visible_first=True))
    return cases


CASES = all_cases()


def hidden_state(world: World) -> str:
    """Bob's world: its nodes and every edge touching them, as comparable text."""
    rows = world.store.executor.read(
        "UNWIND $ids AS wanted MATCH (n {id: wanted}) "
        "OPTIONAL MATCH (n)-[r]-(m) "
        "WITH n, collect([type(r), m.id, properties(r)]) AS edges "
        "RETURN n.id AS id, properties(n) AS props, edges ORDER BY id",
        {"ids": sorted(HIDDEN.values())},
    )
    for row in rows:
        row["edges"] = sorted(json.dumps(e, sort_keys=True) for e in row["edges"])
    return json.dumps(rows, sort_keys=True)


@pytest.fixture(scope="module")
def setup(api_executor: Executor) -> Iterator[tuple[Executor, TestClient]]:
    world = seed_world(api_executor)
    # Generated selections are wide: the limits are raised here and tested on their own.
    settings = secure_settings(max_cost=10**9, max_tokens=10**6, max_aliases=1000)
    with open_app(world.store, settings) as http:
        yield api_executor, http


def test_every_root_field_has_a_case() -> None:
    roots = {c.root for c in CASES}
    assert {"node", "customers", "opportunities", "keyPersonErase"} <= roots
    with_hidden = [c.root for c in CASES if c.operation == "mutation" and c.hidden_ids]
    assert len(with_hidden) >= 20, with_hidden


@pytest.mark.parametrize("user", ["alice", "dan"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.operation}:{c.root}")
def test_an_outsider_gets_nothing(
    setup: tuple[Executor, TestClient], case: Case, user: str
) -> None:
    executor, http = setup
    world = seed_world(executor) if case.operation == "mutation" else World(_store(executor))
    if case.operation == "mutation":
        world.tokens = {}
    token = _token(executor, user)
    before = hidden_state(world)
    response = Client(http, token).post(case.query, case.variables)
    assert response.status_code < 500, response.text
    body = response.json()
    found = codes(body)
    assert "INTERNAL_SERVER_ERROR" not in found, response.text
    assert MARK not in response.text, f"{case.root} revealed hidden data: {response.text[:2000]}"
    assert hidden_state(world) == before, f"{case.root} changed what Alice cannot see"
    if case.operation == "mutation" and case.hidden_ids:
        assert REFUSALS & set(found), f"{case.root} accepted a hidden id: {response.text[:1000]}"


def _store(executor: Executor) -> GraphStore:
    return GraphStore(executor)


def _token(executor: Executor, user: str) -> str:
    """A fresh token for a seeded user (seeding again replaces the users)."""
    return SecurityStore(_store(executor)).issue_token(user).token


@pytest.mark.parametrize("kind", sorted(HIDDEN, key=str))
def test_node_lookup_of_anything_hidden_is_null(
    setup: tuple[Executor, TestClient], kind: NodeKind
) -> None:
    executor, http = setup
    client = Client(http, _token(executor, "alice"))
    hidden = gid(kind, HIDDEN[kind])
    body = client.gql(
        "query($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }",
        {"id": hidden, "ids": [hidden]},
    )
    assert body["data"] == {"node": None, "nodes": [None]}, body
    admin = Client(http, _token(executor, "ada")).gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": hidden}
    )
    assert admin["data"]["node"] == {"id": hidden}


@pytest.mark.parametrize(
    "root", ["customers", "opportunities", "keyPersons", "activities", "competitors"]
)
def test_the_same_probe_reveals_the_data_to_its_team(
    setup: tuple[Executor, TestClient], root: str
) -> None:
    """Control: the probes do select the hidden data, for those entitled to see it."""
    executor, http = setup
    assert GRAPH.query_type is not None
    returned = get_named_type(GRAPH.query_type.fields[root].type)
    query = f"{{ {root} {selection(returned, 3)} }}"
    for user in ("ada", "bob", "dora"):
        response = Client(http, _token(executor, user)).post(query)
        assert MARK in response.text, (user, response.text[:500])


def test_decision_chain_connectors_never_reveal_other_customers_people(
    setup: tuple[Executor, TestClient],
) -> None:
    """Li (Alice's customer) influences and knows Wang (Bob's customer): Alice's decision chain
    with connectors must not bring Wang in, nor any tie to him."""
    executor, http = setup
    query = """query($id: ID!) { node(id: $id) { ... on Opportunity {
      decisionChain(withConnectors: true) {
        members { person { name } } connectors { name }
        influences { fromPerson { name } toPerson { name } }
        knows { fromPerson { name } toPerson { name } }
        reportsTo { fromPerson { name } toPerson { name } }
        activities { summary } } } } }"""
    ours = gid(NodeKind.OPPORTUNITY, "o-ours")
    alice = Client(http, _token(executor, "alice")).gql(query, {"id": ours})
    chain = alice["data"]["node"]["decisionChain"]
    assert [m["person"]["name"] for m in chain["members"]] == ["Li Ours"]
    assert MARK not in json.dumps(alice), alice
    admin = Client(http, _token(executor, "ada")).gql(query, {"id": ours})
    assert MARK in json.dumps(admin), "an administrator sees the connector"
