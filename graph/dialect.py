"""The only place where the two back ends speak different Cypher: schema DDL.

Neo4j takes named constraints with ``IF NOT EXISTS``; FalkorDB takes an exact-match index
followed by ``GRAPH.CONSTRAINT CREATE`` (a command, not Cypher). Everything else the app issues
is the shared subset in ``graph.statements``.
"""

from __future__ import annotations

import re
from typing import Final

from domain.model import all_labels, all_property_keys, all_rel_types
from graph.statements import (
    AUDIT_LABEL,
    VIOLATION_LABEL,
    WEBHOOK_DELIVERY_LABEL,
    WEBHOOK_EVENT_LABEL,
    all_statements,
)

UNIQUE_ID_LABELS: Final = tuple(kind.value for kind in all_labels())
"""Every label the store writes (domain nodes and system records): each has a unique id (the
audit sequence's MERGE relies on it to stay one node)."""

# Lookup indexes besides the unique ids: the properties that lists filter and sort on.
LOOKUP_INDEXES: Final[tuple[tuple[str, str], ...]] = (
    ("Customer", "name"),
    ("KeyPerson", "name"),
    ("Opportunity", "stage"),
    ("Activity", "occurred_at"),
    (AUDIT_LABEL, "target_id"),
    (AUDIT_LABEL, "at"),
    (AUDIT_LABEL, "seq"),
    (WEBHOOK_EVENT_LABEL, "fanned_out"),
    (WEBHOOK_EVENT_LABEL, "at"),
    (WEBHOOK_DELIVERY_LABEL, "event_id"),
    (WEBHOOK_DELIVERY_LABEL, "next_attempt_at"),
    (WEBHOOK_DELIVERY_LABEL, "endpoint_id"),
    # A deal's open violations (after every process and everyday write, on the Process card)
    # and a finding's open violation (each upsert) are found by these; "open" is a missing
    # resolved_at, which neither back end indexes, so it filters the few rows these find.
    (VIOLATION_LABEL, "opportunity_id"),
    (VIOLATION_LABEL, "key"),
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


def mentioned_vocabulary() -> tuple[set[str], set[str], set[str]]:
    """The labels, relationship types and property keys the app's statements mention, scanned
    from their text (``graph.statements.all_statements``)."""
    labels: set[str] = set()
    types: set[str] = set()
    keys: set[str] = set()
    for text in all_statements().values():
        labels.update(re.findall(r"\(\s*\w*\s*:\s*([A-Z][A-Za-z0-9_]*)", text))
        for group in re.findall(r"\[\s*\w*\s*:\s*([A-Z][A-Z0-9_|]*)", text):
            types.update(t for t in group.split("|") if t)
        keys.update(re.findall(r"\b[a-z]\w*\.([a-z_][a-z0-9_]*)\b", text))
    return labels, types, keys


def _vocabulary() -> tuple[list[str], list[str], list[str]]:
    """Every label, relationship type and property key the app writes or its statements mention.

    The model declares what the store writes (``tests/graph/test_cypher_lint.py`` checks that
    the statements mention nothing else); the scan adds the keys of parameter rows
    (``row.from_id``…), which are never stored.
    """
    labels, types, keys = mentioned_vocabulary()
    labels.update(label.value for label in all_labels())
    types.update(rel.value for rel in all_rel_types())
    keys.update(all_property_keys())
    return sorted(labels), sorted(types), sorted(keys)


VOCABULARY_PROBE_ID: Final = "#vocabulary-probe"
"""The id of the node the vocabulary statement creates and deletes: no id a caller may supply
or the server generates starts with ``#``, so it never meets a real node's unique id."""


def falkordb_vocabulary_statement() -> str:
    """Register every label, type and key before the first query (FalkorDB only).

    FalkorDB caches a statement's plan, resolved against the labels, types and property keys
    the graph knew when it was first run; names that appear later read as missing in that
    cached plan (empty patterns, null properties). Creating and deleting one node and
    self-loops that use all of them at start-up makes every plan see the whole vocabulary
    (node and relationship properties share one key table).

    The probe's ``id`` is the string ``$probe`` (``VOCABULARY_PROBE_ID``), like every real id:
    FalkorDB crashes when a number is written to a uniquely constrained key of a graph it
    loaded from a rewritten append-only file (``tests/graph/test_durability.py`` reopens one).
    """
    labels, types, keys = _vocabulary()
    props = ", ".join(f"{key}: $probe" if key == "id" else f"{key}: 0" for key in keys)
    loops = "\n".join(f"CREATE (v)-[:{t}]->(v)" for t in types)
    return f"CREATE (v:{':'.join(labels)} {{{props}}})\n{loops}\nWITH v\nDETACH DELETE v"
