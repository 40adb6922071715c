"""The Neo4j back end's rows: the same plain values the driver's ``Record.data()`` gives (a
node as its properties, lists and maps walked, other values as they are), made by a walk of
its own that looks at each value's exact type first (``graph.backends.neo4j._plain``)."""

from __future__ import annotations

from collections.abc import Iterator

import neo4j
import pytest

from graph.backends.neo4j import Neo4jExecutor
from graph.executor import Executor

ROWS = """
MATCH (o:Opportunity {id: 'o1'})<-[r:ON_TEAM]-(m:TeamMember)
RETURN o AS node, properties(o) AS props, [o, [m, 1, 'x', null]] AS nested,
  {deal: o, at: [1.5, true], none: null} AS map, r AS tie, date('2025-10-09') AS day,
  duration({days: 2}) AS span, [] AS empty, o.id AS id
"""


@pytest.fixture
def neo4j_graph(neo4j_executor: Executor) -> Iterator[Executor]:
    neo4j_executor.write("MATCH (n) DETACH DELETE n", {})
    neo4j_executor.write(
        """CREATE (:TeamMember {id: 'm1', name: 'Li Na'})-[:ON_TEAM {role: 'ACCOUNT_MANAGER'}]->
          (:Opportunity {id: 'o1', name: 'Deal', amount: 10, tags: ['a', 'b'], won: false})""",
        {},
    )
    yield neo4j_executor
    neo4j_executor.write("MATCH (n) DETACH DELETE n", {})


@pytest.mark.neo4j
def test_rows_are_what_the_driver_s_own_export_gives(neo4j_graph: Executor) -> None:
    assert isinstance(neo4j_graph, Neo4jExecutor)
    (row,) = neo4j_graph.read(ROWS, {})
    deal = {"id": "o1", "name": "Deal", "amount": 10, "tags": ["a", "b"], "won": False}
    assert row["node"] == row["props"] == deal
    assert row["nested"] == [deal, [{"id": "m1", "name": "Li Na"}, 1, "x", None]]
    assert row["map"] == {"deal": deal, "at": [1.5, True], "none": None}
    assert type(row["node"]) is dict
    assert type(row["nested"][1][0]) is dict
    exported = neo4j_graph._driver.execute_query(  # the driver's own, as a reference
        ROWS, {}, database_=neo4j_graph._database, result_transformer_=neo4j.Result.data
    )
    assert [row] == exported
    assert row["day"] == neo4j.time.Date(2025, 10, 9)
    assert row["empty"] == []
