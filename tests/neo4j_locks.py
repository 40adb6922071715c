"""A node of the session's Neo4j held by another transaction, as a long-running job or a stuck
client holds it: an explicit transaction that has set a property on it and is neither committed
nor rolled back until the ``with`` block ends (then it is rolled back, and the lock goes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import neo4j
from servers import neo4j_login


@contextmanager
def node_locked(uri: str, label: str, node_id: str) -> Iterator[None]:
    """The ``label`` node with ``node_id`` write-locked by a transaction of another driver."""
    user, password, database = neo4j_login()
    auth = None if password is None else (user, password)
    with (
        neo4j.GraphDatabase.driver(uri, auth=auth) as driver,
        driver.session(database=database) as session,
    ):
        transaction = session.begin_transaction()
        try:
            summary = transaction.run(
                f"MATCH (n:{label} {{id: $id}}) SET n.heldByTest = true", id=node_id
            ).consume()
            assert summary.counters.properties_set == 1, f"no {label} {node_id} to hold"
            yield
        finally:
            transaction.rollback()
