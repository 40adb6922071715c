"""dealgraph.engine.execution: completion plans give exactly graphql-core's results and
errors, faster."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
from typing import Any

import pytest
import strawberry
from api_helpers import gid
from graphql import Undefined
from sample_graph import seed
from strawberry.extensions import ParserCache
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from test_fastpath import QUERY as WIDE_QUERY
from test_fastpath import run as run_wide

from dealgraph.engine import fastpath
from dealgraph.engine.execution import PlannedExecutionContext
from dealgraph.engine.served import schema
from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore
from resolvers.context import RequestContext

K = NodeKind


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


@strawberry.type
class Part:
    name: str
    colour: Colour | None
    sizes: list[int]


@strawberry.type
class Item:
    name: str
    label: str | None
    parts: list[Part]

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times


@strawberry.type
class Query:
    @strawberry.field
    def items(self, bad: str = "") -> list[Item]:
        good = [
            Item(name="a", label=None, parts=[Part(name="p", colour=Colour.RED, sizes=[1, 2])]),
            Item(name="b", label="B", parts=[]),
        ]
        if bad == "null-name":
            good.append(Item(name=None, label="x", parts=[]))  # type: ignore[arg-type]
        if bad == "bad-enum":
            good.append(Item(name="c", label=None, parts=[Part(name="q", colour="blue", sizes=[])]))  # type: ignore[arg-type]
        if bad == "bad-int":
            good.append(
                Item(name="d", label=None, parts=[Part(name="r", colour=None, sizes=[2**40])])
            )
        if bad == "no-attribute":
            good.append(Item.__new__(Item))  # its getters raise AttributeError
        if bad == "not-a-list":
            good.append(Item(name="e", label=None, parts=None))  # type: ignore[arg-type]
        return good


def build_pair(query: type, **options: Any) -> tuple[strawberry.Schema, strawberry.Schema]:
    built = []
    for context_class in (PlannedExecutionContext, StrawberryGraphQLCoreExecutionContext):
        target = strawberry.Schema(
            query=query, execution_context_class=context_class, config=StrawberryConfig(**options)
        )
        fastpath.install(target)
        built.append(target)
    return built[0], built[1]


PLANNED, PLAIN = build_pair(Query)

SMALL = """query($bad: String!, $skip: Boolean!) { items(bad: $bad) {
  __typename name alias: label ...bits parts { name colour sizes __typename
    ... on Part { again: name } } } }
fragment bits on Item { parts @skip(if: $skip) { colour } }"""


def answer(target: strawberry.Schema, query: str, **variables: Any) -> tuple[Any, Any]:
    result = target.execute_sync(query, variable_values=variables)
    errors = [(e.message, e.path) for e in result.errors or []]
    return result.data, errors


@pytest.mark.parametrize(
    "bad", ["", "null-name", "bad-enum", "bad-int", "no-attribute", "not-a-list"]
)
@pytest.mark.parametrize("skip", [True, False])
def test_plans_answer_like_graphql_core_including_errors(bad: str, skip: bool) -> None:
    planned = answer(PLANNED, SMALL, bad=bad, skip=skip)
    assert planned == answer(PLAIN, SMALL, bad=bad, skip=skip)
    if bad:
        assert planned[1], "each bad value is an error in graphql-core"
    else:
        assert planned[1] == []
        assert planned[0]["items"][0]["parts"][0] == {
            "name": "p", "colour": "RED", "sizes": [1, 2], "__typename": "Part", "again": "p"
        } | ({} if skip else {"colour": "RED"})  # fmt: skip


def test_a_field_with_arguments_is_resolved_by_graphql_core() -> None:
    query = "{ items { name shout(times: 2) parts { name } } }"
    assert answer(PLANNED, query) == answer(PLAIN, query)
    assert answer(PLANNED, query)[0]["items"][0]["shout"] == "AA"


def count_fields(monkeypatch: pytest.MonkeyPatch, context_class: type[Any]) -> list[int]:
    calls = [0]
    original = context_class.execute_field

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(context_class, "execute_field", counting)
    return calls


def test_the_wide_query_answers_the_same_with_and_without_plans(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    calls = count_fields(monkeypatch, StrawberryGraphQLCoreExecutionContext)
    planned = run_wide(schema, store)
    planned_fields = calls[0]
    monkeypatch.setattr(schema, "execution_context_class", StrawberryGraphQLCoreExecutionContext)
    calls[0] = 0
    assert run_wide(schema, store) == planned
    assert planned_fields < calls[0] / 3, "plans complete most of the wide query"
    assert WIDE_QUERY  # the same query as tests/dealgraph/engine/test_fastpath.py


def test_a_decision_chain_is_completed_by_plans(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forty members cost graphql-core a handful of fields, not one per member and field."""
    store.create(K.CUSTOMER, {"name": "Hospital"}, node_id="c")
    store.create_opportunity("c", {"name": "HIS"}, node_id="o")
    for n in range(40):
        store.create_key_person("c", {"name": f"P{n}"}, {"title": "Head"}, node_id=f"p{n}")
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, f"p{n}"), (K.OPPORTUNITY, "o"),
            {"role": "USER", "attitude": "NEUTRAL"},
        )  # fmt: skip
    query = """query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain {
        members { person { id name title } role attitude } } } } }"""
    calls = count_fields(monkeypatch, StrawberryGraphQLCoreExecutionContext)
    result = asyncio.run(
        schema.execute(query, variable_values={"id": gid(K.OPPORTUNITY, "o")},
                       context_value=RequestContext(store))
    )  # fmt: skip
    assert result.errors is None
    assert result.data is not None
    members = result.data["node"]["decisionChain"]["members"]
    assert len(members) == 40
    assert {m["attitude"] for m in members} == {"NEUTRAL"}
    assert calls[0] <= 5  # node, decisionChain, members: the rest is planned


# --- what plans leave to graphql-core ---------------------------------------------------------


@dataclasses.dataclass
class Spec:  # compares by value and is not hashable
    code: int


@strawberry.enum
class Tier(enum.Enum):
    LOW = Spec(1)
    HIGH = Spec(2)


async def later(value: Any) -> Any:
    return value


@strawberry.type
class Odd:
    name: str
    tier: Tier | None
    payload: JSON | None
    child: Part | None


@strawberry.type
class OddQuery:
    @strawberry.field
    def odd(self, awaiting: bool = False) -> list[Odd]:
        payloads: list[Any] = [{"k": 1}, [1, 2]]
        if awaiting:
            payloads = [later(payload) for payload in payloads]
        return [
            Odd(name="a", tier=Tier.HIGH, payload=payloads[0], child=Undefined),  # type: ignore[arg-type]
            Odd(name="b", tier=None, payload=payloads[1], child=None),
        ]


async def answer_async(target: strawberry.Schema, query: str, **variables: Any) -> Any:
    result: Any = await target.execute(query, variable_values=variables or None)
    if hasattr(result, "initial_result"):  # incremental delivery
        parts = [result.initial_result.formatted]
        parts += [part.formatted async for part in result.subsequent_results]
        return parts
    return result.data, [(e.message, e.path) for e in result.errors or []]


@pytest.mark.parametrize(
    "query",
    [
        "{ odd { name tier } }",  # enum values a plan cannot index: no plan, no error
        "{ odd(awaiting: true) { name payload } }",  # awaitables: graphql-core awaits them
        "{ odd { name child { name } } }",  # graphql-core's Undefined reads as null
        "{ odd { child { __typename } } }",
    ],
)
def test_values_a_plan_cannot_take_are_completed_by_graphql_core(query: str) -> None:
    planned, plain = build_pair(OddQuery)
    expected = asyncio.run(answer_async(plain, query))
    assert asyncio.run(answer_async(planned, query)) == expected
    assert expected[1] == []


@pytest.mark.parametrize(
    "query",
    [
        "{ items { name parts @stream(initialCount: 1) { name } } }",
        "{ items { name parts @stream(initialCount: -1) { name } } }",
        "{ items @stream(initialCount: 1) { name } }",
        "{ items { name parts { name } ... @defer { parts { colour } } } }",
        "{ items { ... @defer { name } parts { name } } }",
    ],
)
def test_deferred_and_streamed_fields_are_delivered_by_graphql_core(query: str) -> None:
    planned, plain = build_pair(Query, enable_experimental_incremental_execution=True)
    assert asyncio.run(answer_async(planned, query)) == asyncio.run(answer_async(plain, query))


def build_cached_pair(**options: Any) -> tuple[strawberry.Schema, strawberry.Schema]:
    """The pair with the served schema's parse cache: a query text is one parsed document."""
    built = []
    for context_class in (PlannedExecutionContext, StrawberryGraphQLCoreExecutionContext):
        target = strawberry.Schema(
            query=Query,
            execution_context_class=context_class,
            config=StrawberryConfig(**options),
            extensions=[lambda: ParserCache(maxsize=8)],
        )
        fastpath.install(target)
        built.append(target)
    return built[0], built[1]


def compiled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the plans compiled from now on."""
    calls: list[int] = []
    compile_plan = PlannedExecutionContext._compile

    def counting(self: PlannedExecutionContext, *args: Any) -> Any:
        calls.append(1)
        return compile_plan(self, *args)

    monkeypatch.setattr(PlannedExecutionContext, "_compile", counting)
    return calls


def test_requests_of_the_same_query_text_share_their_plans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    planned, plain = build_cached_pair()
    query = "{ items { name label parts { name colour sizes } } }"
    calls = compiled(monkeypatch)
    first = answer(planned, query)
    after_first = len(calls)
    assert after_first > 0
    assert answer(planned, query) == first == answer(plain, query)
    assert len(calls) == after_first  # the second request compiled nothing


@pytest.mark.parametrize("order", [(True, False, True), (False, True, False)])
def test_a_condition_taken_from_variables_selects_afresh_on_every_request(
    order: tuple[bool, ...],
) -> None:
    planned, plain = build_cached_pair()
    query = """query($skip: Boolean!) { items { name parts @skip(if: $skip) { colour } } }"""
    for skip in order:
        assert answer(planned, query, skip=skip) == answer(plain, query, skip=skip)


@pytest.mark.parametrize("order", [(True, False, True), (False, True, False)])
def test_a_deferral_taken_from_variables_is_decided_on_every_request(
    order: tuple[bool, ...],
) -> None:
    planned, plain = build_cached_pair(enable_experimental_incremental_execution=True)
    query = """query($later: Boolean!) { items { name ... @defer(if: $later) { label } } }"""
    for later in order:
        expected = asyncio.run(answer_async(plain, query, later=later))
        assert asyncio.run(answer_async(planned, query, later=later)) == expected
