from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from strategy.dominators import immediate_dominators

edges = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(edges, st.integers(0, 12))
def test_same_dominators_as_networkx(pairs: list[tuple[int, int]], start: int) -> None:
    successors: dict[int, list[int]] = {}
    for u, v in pairs:
        successors.setdefault(u, []).append(v)  # repeated edges and self-loops included
    graph = nx.DiGraph(pairs)
    graph.add_node(start)
    assert immediate_dominators(successors, start) == nx.immediate_dominators(graph, start)


def test_a_node_on_every_route_dominates() -> None:
    # s -> a -> m -> t and s -> b -> m: m is on every route to t, a and b are not.
    successors = {"s": ["a", "b"], "a": ["m"], "b": ["m"], "m": ["t"], "x": ["t"]}
    assert immediate_dominators(successors, "s") == {"a": "s", "b": "s", "m": "s", "t": "m"}


def test_start_without_edges_dominates_nothing() -> None:
    assert immediate_dominators({"a": ["b"]}, "z") == {}
