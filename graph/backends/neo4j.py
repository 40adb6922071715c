"""The production back end: Neo4j through the official driver.

One driver per process; ``execute_query`` gives managed transactions with retries on transient
errors and routes reads to readers, so ``neo4j://`` clusters and ``neo4j+s://`` Aura work as is.
The database name is always passed, which saves a round trip per query. Within a request each
statement's transaction gets what is left of the request's deadline as its timeout
(``graph.deadline``): Neo4j ends one that waits on a lock at the deadline, so the thread that
sent it comes back instead of waiting for the lock to go.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, cast

import neo4j
from neo4j.exceptions import ConstraintError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node

from graph.deadline import CURRENT_DEADLINE, Deadline, DeadlinePassedError
from graph.dialect import neo4j_schema_statements
from graph.executor import Row, StoreConflictError, StoreError
from graph.outage import Outage, address

SCHEMA_RULE_EXISTS = frozenset(
    {
        "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
        "Neo.ClientError.Schema.ConstraintAlreadyExists",
        "Neo.ClientError.Schema.IndexAlreadyExists",
    }
)
"""What Neo4j answers to a schema rule another transaction has just created."""

ENDED: Final = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
        "Neo.ClientError.Transaction.LockClientStopped",
        "Neo.ClientError.Transaction.Terminated",
    }
)
"""What Neo4j answers to a transaction it ended: timed out, or stopped while it waited on a lock
(at its timeout, or by an operator). None of them is retried by the driver."""

UNREACHABLE: Final = frozenset({"Neo.TransientError.General.DatabaseUnavailable"})
"""What a server answers while its database is stopped or starting: an outage, like a server
that does not answer at all."""


LOGIN_REFUSED: Final = frozenset(
    {
        "Neo.ClientError.Security.Unauthorized",
        "Neo.ClientError.Security.CredentialsExpired",
        "Neo.ClientError.Security.AuthenticationRateLimit",
        "Neo.ClientError.Security.TokenExpired",
    }
)
"""A login the server refuses once it runs (its password changed, the user dropped): to the
people using it, an outage like a server that does not answer, and said once per outage."""


_RECORD: Final = cast(Callable[[dict[str, Any]], neo4j.Record], neo4j.Record)
"""The driver's record (its constructor is not typed), to export the values of other types."""


def _plain(value: Any) -> Any:
    """A value as ``Record.data()`` gives it (a node: its properties), found by the value's
    exact type first: the driver's own walk asks every number and string of a row whether it
    is a node, a relationship, a path, a sequence or a mapping (the last two through abstract
    classes), which cost more than decoding it (a director's 1,000 deals' approvals: 0.5 s of
    the 1.3 s their statement took)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is list:
        return [_plain(item) for item in value]
    if kind is dict or isinstance(value, Node):
        return {key: _plain(item) for key, item in value.items()}
    # relationships, paths, temporal and spatial values: as the driver's walk gives them
    return _RECORD({"value": value}).data()["value"]


def _rows(result: neo4j.Result) -> list[Row]:
    """Every row of the statement as plain values (``_plain``)."""
    return [
        {key: _plain(value) for key, value in zip(record.keys(), record, strict=True)}
        for record in result
    ]


def _rows_in_time(deadline: Deadline, result: neo4j.Result) -> list[Row]:
    """The statement's rows, unless the deadline has passed before they came: then its
    transaction is rolled back, not committed (the error is not the driver's, so it is not
    retried either). Neo4j looks for transactions past their timeout only every so often (two
    seconds by default), so one waiting on a lock that goes just after the deadline could
    still take it and commit: the person was told at the deadline the change may be saved, and
    an earlier statement of the same change may have been, but this one is not. A retry of the
    driver's that starts after the deadline ends here too."""
    if deadline.left() <= 0:
        raise DeadlinePassedError(deadline)
    rows = _rows(result)
    if deadline.left() <= 0:
        raise DeadlinePassedError(deadline)
    return rows


def _unrouted(error: BaseException) -> bool:
    """Whether the driver found no routing table, which alone does not say why."""
    return "routing information" in str(error)


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
        login_refused: Callable[[str], str | None] | None = None,
    ) -> None:
        """``password`` None: a server without authentication (an operator's choice).

        ``login_refused``: what is wrong with a login Neo4j refuses while the server runs (a
        password changed under it), in the deployment's words, from the driver's; None (or its
        None) leaves the driver's.

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
        self._uri = uri
        self._auth: tuple[str, str] | None = None if password is None else (user, password)
        self._wait_seconds = wait_seconds
        self._login_refused = login_refused
        self.outage = Outage(f"neo4j at {address(uri)}")
        """Whether the database answers, and since when it has not (for the log)."""

    def _run(
        self, statement: str, params: Mapping[str, Any], routing: neo4j.RoutingControl
    ) -> list[Row]:
        deadline = CURRENT_DEADLINE.get()
        query: str | neo4j.Query = statement
        rows_of: Callable[[neo4j.Result], list[Row]] = _rows
        if deadline is not None:  # a request's: the CLI and background work set no timeout
            query = neo4j.Query(statement, timeout=deadline.statement_seconds())
            rows_of = functools.partial(_rows_in_time, deadline)
        try:
            rows: list[Row] = self._driver.execute_query(
                query,
                dict(params),
                database_=self._database,
                routing_=routing,
                result_transformer_=rows_of,
            )
        except ConstraintError as error:
            raise StoreConflictError(str(error)) from error
        except Neo4jError as error:
            if deadline is not None and error.code in ENDED and deadline.left() <= 0:
                raise DeadlinePassedError(deadline) from error  # ended at the deadline we gave
            if error.code in UNREACHABLE:
                raise self.outage.failed(error) from error
            if error.code in LOGIN_REFUSED:  # every request fails alike until someone fixes it
                raise self.outage.failed(error, self._why_refused(error)) from error
            raise StoreError(str(error)) from error
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            why = functools.partial(self._unrouted, error) if _unrouted(error) else None
            raise self.outage.failed(error, why) from error
        self.outage.answered()
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
            raise StoreError(self._unrouted(error) or str(error)) from error
        for statement in neo4j_schema_statements():
            self._ensure(statement)

    def _why_refused(self, error: Neo4jError) -> Callable[[], str | None] | None:
        explain = self._login_refused
        if explain is None:
            return None
        return functools.partial(explain, " ".join(str(error).split()))

    def _unrouted(self, error: Exception) -> str | None:
        """Why a ``neo4j://`` address gave no routing table, when one server at that address
        tells more: the driver says only "Unable to retrieve routing information" whether
        nothing listens there, the server speaks no TLS, or the certificate is refused. Asked
        of the same host and port over ``bolt`` with the same security: at start, and once per
        outage (``Outage.failed``)."""
        scheme, _, rest = self._uri.partition("://")
        if not scheme.startswith("neo4j") or not _unrouted(error):
            return None
        probe = neo4j.GraphDatabase.driver(
            f"bolt{scheme.removeprefix('neo4j')}://{rest}",
            auth=self._auth,
            connection_timeout=self._wait_seconds,
        )
        try:
            probe.verify_connectivity()
        except Exception as direct:
            return f"{error}: {direct}"
        finally:
            probe.close()
        return None

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

    def close(self, *, hung: bool = False) -> None:
        self._driver.close()  # waits on nothing: hung or not
