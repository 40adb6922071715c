"""The only place where the two back ends speak different Cypher: schema DDL.

Neo4j takes named constraints with ``IF NOT EXISTS``; FalkorDB takes an exact-match index
followed by ``GRAPH.CONSTRAINT CREATE`` (a command, not Cypher). Everything else the app issues
is the shared subset in ``graph.statements``.
"""

from __future__ import annotations

from typing import Final

from domain.model import NodeKind
from graph.statements import AUDIT_LABEL

UNIQUE_ID_LABELS: Final = (*(kind.value for kind in NodeKind), AUDIT_LABEL)

# Lookup indexes besides the unique ids: the properties that lists filter and sort on.
LOOKUP_INDEXES: Final[tuple[tuple[str, str], ...]] = (
    ("Customer", "name"),
    ("KeyPerson", "name"),
    ("Opportunity", "stage"),
    ("Activity", "occurred_at"),
    (AUDIT_LABEL, "target_id"),
    (AUDIT_LABEL, "at"),
)


def neo4j_schema_statements() -> list[str]:
    """Idempotent Neo4j DDL: one uniqueness constraint per label, then the lookup indexes."""
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in UNIQUE_ID_LABELS
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        for label, prop in LOOKUP_INDEXES
    ]
    return statements


def falkordb_index_statements() -> list[str]:
    """FalkorDB index DDL (FalkorDB only). Re-running it fails with 'already indexed',
    which the back end treats as success."""
    return [
        f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"
        for label, prop in ((label, "id") for label in UNIQUE_ID_LABELS)
    ] + [f"CREATE INDEX FOR (n:{label}) ON (n.{prop})" for label, prop in LOOKUP_INDEXES]


def falkordb_constraint_commands(graph_name: str) -> list[tuple[str, ...]]:
    """``GRAPH.CONSTRAINT CREATE`` commands making each label's id unique (FalkorDB only)."""
    return [
        ("GRAPH.CONSTRAINT", "CREATE", graph_name, "UNIQUE", "NODE", label, "PROPERTIES", "1", "id")
        for label in UNIQUE_ID_LABELS
    ]
