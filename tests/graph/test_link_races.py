"""Two opposite links made at the same instant (a manages b while b manages a; a company put
under another while that one is put under it): one wins, the other is refused, and no cycle is
ever stored, on both back ends. Neo4j reads committed data only, so a cycle check must run
under a lock that the opposite write takes too."""

from __future__ import annotations

import threading
from collections.abc import Callable

from domain.errors import DomainError
from domain.model import NodeKind
from graph.security_store import SecurityStore
from graph.store import GraphStore

ROUNDS = 12
LINKS = "MATCH (x)-[:{rel}]->(y) WHERE x.id IN $ids AND y.id IN $ids RETURN count(*) AS n"


def _at_once(link: Callable[[str, str], object], a: str, b: str) -> list[str]:
    """Run link(a, b) and link(b, a) together; how each ended ('ok' or the refusal's code)."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(x: str, y: str) -> None:
        barrier.wait()
        try:
            link(x, y)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code.value)

    threads = [threading.Thread(target=run, args=pair) for pair in ((a, b), (b, a))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _race(store: GraphStore, kind: NodeKind, rel: str, link: Callable[[str, str], object]) -> None:
    pairs = [(f"{rel}-a{i}", f"{rel}-b{i}") for i in range(ROUNDS)]
    for pair in pairs:
        for node_id in pair:
            store.create(kind, {"name": node_id}, node_id=node_id)
    for a, b in pairs:
        outcomes = _at_once(link, a, b)
        stored = store.executor.read(LINKS.format(rel=rel), {"ids": [a, b]})[0]["n"]
        assert (stored, sorted(outcomes)[-1]) == (1, "ok"), outcomes


def test_opposite_manages_links_at_once_never_make_a_cycle(store: GraphStore) -> None:
    security = SecurityStore(store)
    _race(store, NodeKind.TEAM_MEMBER, "MANAGES", security.set_manages)


def test_opposite_group_moves_at_once_never_make_a_cycle(store: GraphStore) -> None:
    def move(child: str, parent: str) -> object:
        return store.update(NodeKind.CUSTOMER, child, {}, parent=(parent,))

    _race(store, NodeKind.CUSTOMER, "PART_OF", move)
