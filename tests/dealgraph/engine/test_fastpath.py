"""dealgraph.engine.fastpath: the direct resolvers give exactly what strawberry's own
resolvers give."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import strawberry
from api_helpers import gid
from graphql import GraphQLObjectType
from sample_graph import seed

from dealgraph.engine.served import schema
from domain.model import NodeKind
from graph.store import GraphStore
from resolvers.context import RequestContext

K = NodeKind

# Every node type's id, key persons' jobs with and without the job at hand (decision chain and
# org chart against a person looked up alone or through a relationship), lists, enums, times.
QUERY = """query($o: ID!, $c: ID!, $p: ID!) {
  chain: node(id: $o) { id ... on Opportunity { name stage amount
    decisionChain(withConnectors: true) {
      opportunity { id name } customer { id name }
      members { person { id name title department } role influence attitude needs needsFit
        teamTies { member { id name role } level since }
        competitorTies { competitor { id name } level } lastContactAt }
      connectors { id name title department }
      reportsTo { fromPerson { id } toPerson { id } strength }
      influences { fromPerson { id title } toPerson { id } strength }
      knows { fromPerson { id } toPerson { id } strength }
      competitors { competitor { id name } position pricePosition }
      team { member { id name } role phase }
      activities { id type occurredAt outcome createdAt version }
    } } }
  chart: node(id: $c) { ... on Customer { id name orgChart { customer { id }
    people { id name title department } reportsTo { fromPerson { id } toPerson { id } } } } }
  person: node(id: $p) { ... on KeyPerson { id name title department
    customer { id name } reportsTo { id title } directReports { id department } } }
  customers(first: 10) { nodes { id name keyPersons(first: 10) { nodes { id title } } } }
}"""


def run(target: strawberry.Schema, store: GraphStore) -> dict[str, Any]:
    variables = {
        "o": gid(K.OPPORTUNITY, "o1"),
        "c": gid(K.CUSTOMER, "c1"),
        "p": gid(K.KEY_PERSON, "p3"),
    }
    result = asyncio.run(
        target.execute(QUERY, variable_values=variables, context_value=RequestContext(store))
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def test_direct_resolvers_answer_like_strawberrys_own(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    fast = run(schema, store)
    assert fast["chain"]["decisionChain"]["members"]
    assert fast["person"]["title"] == "Engineer"  # loaded on demand, not at hand
    replaced = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in graphql_type.fields.values():
            original = getattr(field.resolve, "__wrapped__", None)
            if original is not None:
                monkeypatch.setattr(field, "resolve", original)
                replaced += 1
    # plain attributes of every type, every node type's id and a key person's job fields
    assert replaced > 300
    assert run(schema, store) == fast
