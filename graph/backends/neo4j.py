"""The production back end: Neo4j through the official driver.

One driver per process; ``execute_query`` gives managed transactions with retries on transient
errors and routes reads to readers, so ``neo4j://`` clusters and ``neo4j+s://`` Aura work as is.
The database name is always passed, which saves a round trip per query.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import neo4j
from neo4j.exceptions import ConstraintError, Neo4jError, ServiceUnavailable

from graph.dialect import neo4j_schema_statements
from graph.executor import Row, StoreConflictError, StoreError

SCHEMA_RULE_EXISTS = frozenset(
    {
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        "Neo.ClientError.Schema.ConstraintAlreadyExists",
        "Neo.ClientError.Schema.IndexAlreadyExists",
    }
)
"""What Neo4j answers to a schema rule another transaction has just created."""


class Neo4jExecutor:
    """Executor over a Neo4j database (single instance, cluster or Aura)."""

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str | None,
        database: str = "neo4j",
        *,
        wait_seconds: float = 5.0,
    ) -> None:
        """``password`` None: a server without authentication (``make neo4j``).

        ``wait_seconds``: how long one statement waits for a pooled connection or a new one,
        and retries a transaction that failed on a passing fault (a cluster electing its leader
        takes a few seconds). The driver's own half minute would hold a request, and a server's
        stop, that long while the database is down, and the person waiting learns nothing more
        by it. A server that accepts connections but never answers is not bounded by it: an
        open connection waits for the server's own receive-timeout hint."""
        # The statements read optional properties that a graph may never have set (a chain
        # without needs notes, say); Neo4j answers each with an "unrecognized property"
        # notification the driver would log, kilobytes per load. They are expected, not news.
        self._driver = neo4j.GraphDatabase.driver(
            uri,
            auth=None if password is None else (user, password),
            notifications_disabled_classifications=[
                neo4j.NotificationDisabledClassification.UNRECOGNIZED
            ],
            connection_timeout=wait_seconds,
            max_transaction_retry_time=wait_seconds,
            connection_acquisition_timeout=wait_seconds,
        )
        self._database = database

    def _run(
        self, statement: str, params: Mapping[str, Any], routing: neo4j.RoutingControl
    ) -> list[Row]:
        try:
            rows: list[Row] = self._driver.execute_query(
                statement,
                dict(params),
                database_=self._database,
                routing_=routing,
                result_transformer_=neo4j.Result.data,
            )
        except ConstraintError as error:
            raise StoreConflictError(str(error)) from error
        except (Neo4jError, ServiceUnavailable, OSError) as error:
            raise StoreError(str(error)) from error
        return rows

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, neo4j.RoutingControl.READ)

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, neo4j.RoutingControl.WRITE)

    def ensure_schema(self) -> None:
        """The schema's rules in place, after a quick check that the server answers at all: a
        server that is down or a host that does not resolve is said at once, not after the
        driver's half minute of retried transactions."""
        try:
            self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError) as error:
            raise StoreError(str(error)) from error
        for statement in neo4j_schema_statements():
            self._ensure(statement)

    def _ensure(self, statement: str, attempts: int = 6) -> None:
        """One schema rule in place. Every worker of a server ensures the schema as it starts,
        at the same moment: two creations of one rule can both pass ``IF NOT EXISTS`` (the later
        one is then refused as an equivalent rule that exists: it is in place) or deadlock on the
        schema's locks (tried again)."""
        for attempt in range(attempts):
            try:
                self._driver.execute_query(
                    statement, database_=self._database, routing_=neo4j.RoutingControl.WRITE
                )
                return
            except Neo4jError as error:
                if error.code in SCHEMA_RULE_EXISTS:
                    return
                again = error.is_retryable() or "deadlock" in str(error).lower()
                if not again or attempt == attempts - 1:
                    raise StoreError(str(error)) from error
            except (ServiceUnavailable, OSError) as error:
                raise StoreError(str(error)) from error
            time.sleep(0.05 * (attempt + 1))

    def ping(self) -> bool:
        try:
            self._driver.verify_connectivity()
        except Exception:
            return False
        return True

    def close(self) -> None:
        self._driver.close()
