"""Every statement dealgraph sends is checked by Neo4j's own parser and semantic analysis
(@neo4j-cypher/language-support, run by tools/cypher-lint/lint.mjs), against the model's labels,
relationship types and property keys (domain kinds and system records, all from
``domain.model``) and Neo4j's function list.

FalkorDB-only DDL is listed and excluded. Results are cached by a hash of the exact input and
the package version, so an unchanged statement set is linted once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest

from domain.model import (
    RECORD_SPECS,
    RecordKind,
    all_labels,
    all_property_keys,
    all_rel_types,
)
from graph.dialect import (
    UNIQUE_ID_LABELS,
    falkordb_index_statements,
    mentioned_vocabulary,
    neo4j_schema_statements,
)
from graph.executor import Executor
from graph.scope import SYSTEM, Actor
from graph.statements import all_statements
from graph.store import GraphStore
from graph.transfer import EDGE_KEYS

LINT_DIR = Path(__file__).resolve().parents[2] / "tools" / "cypher-lint"
SCRIPT = LINT_DIR / "lint.mjs"
PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"

# Keys of parameter maps and of maps built inside statements, never stored: bulk import reads
# ``row.from_id``, ``row.to_id`` and ``row.props`` from its UNWIND rows, lists read
# ``row.node``; observing play effects reads ``row.item_id`` and the deltas; a webhook delivery's
# outcome reads ``row.attempt``, ``row.next``, ``row.http_status`` and ``row.error``; sealing
# endpoints' secrets again reads ``row.sealed`` and ``row.sealed_previous``; a saved what-if
# reads its changes' ``person_id``, ``member_id``, ``member_ids``, ``competitor_id`` and the
# ``defaults`` of a new tie. The linter takes them for property keys.
PARAMETER_MAP_KEYS = frozenset(
    {
        "from_id",
        "to_id",
        "props",
        "node",
        "item_id",
        "closeness_delta",
        "attitude_delta",
        "attempt",
        "next",
        "http_status",
        "error",
        "sealed",
        "sealed_previous",
        "person_id",
        "member_id",
        "member_ids",
        "competitor_id",
        "defaults",
    }
)


def lint_schema() -> dict[str, Any]:
    """The linter's schema: everything ``domain.model`` declares, nothing listed by hand."""
    return {
        "labels": sorted(label.value for label in all_labels()),
        "relationshipTypes": sorted(rel.value for rel in all_rel_types()),
        "propertyKeys": sorted(all_property_keys() | PARAMETER_MAP_KEYS),
        "graphSchema": [
            {"from": source.value, "to": target.value, "relType": rel.value}
            for rel, source, target in EDGE_KEYS
        ],
    }


def test_statements_mention_only_what_the_model_declares() -> None:
    """Labels, relationship types and keys in statement text are all declared in the model, so
    the store's vocabulary (``graph.dialect``), export and import cover every one of them."""
    labels, types, keys = mentioned_vocabulary()
    assert labels <= {label.value for label in all_labels()}
    assert types <= {rel.value for rel in all_rel_types()}
    assert keys <= all_property_keys() | PARAMETER_MAP_KEYS
    assert set(UNIQUE_ID_LABELS) == {label.value for label in all_labels()}


def test_the_model_declares_the_audit_entry_as_the_stores_write_it() -> None:
    # `seq` is numbered by the write statement itself, from the audit sequence.
    declared = {"id"} | {f.name for f in RECORD_SPECS[RecordKind.AUDIT_ENTRY].fields} - {"seq"}
    store = GraphStore(cast(Executor, None))
    as_member = Actor("li.ming", "Li Ming", "tm-li")
    assert set(store.audit_entry(as_member, "create", "Customer", "c1", {}, 0)) == declared
    # one acting as nobody (the system, an administrator) records no member
    nobody = store.audit_entry(SYSTEM, "create", "Customer", "c1", {}, 0)
    assert set(nobody) == declared - {"actor_member_id"}


def neo4j_statements() -> dict[str, str]:
    """What runs on Neo4j: the shared statements and the Neo4j DDL."""
    statements = dict(all_statements())
    for number, ddl in enumerate(neo4j_schema_statements()):
        statements[f"NEO4J_DDL[{number}]"] = ddl
    return statements


def falkordb_only() -> list[str]:
    """FalkorDB's own index DDL: never sent to Neo4j, so not linted against it."""
    return falkordb_index_statements()


def _require_linter() -> str:
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "node is not on PATH"
    elif not PACKAGE.exists():
        problem = "@neo4j-cypher/language-support is missing: run `make cypher-lint-deps`"
    if problem is None:
        assert node is not None
        return node
    if os.environ.get("CI"):
        pytest.fail(f"Cypher lint cannot run in CI: {problem}")
    pytest.skip(f"Cypher lint unavailable: {problem}")


def run_lint(statements: dict[str, str], request: pytest.FixtureRequest) -> dict[str, Any]:
    node = _require_linter()
    payload = json.dumps({"statements": statements, "schema": lint_schema()}, sort_keys=True)
    version = json.loads(PACKAGE.read_text())["version"]
    digest = hashlib.sha256((payload + version + SCRIPT.read_text()).encode()).hexdigest()
    key = f"dealgraph/cypher-lint/{digest}"
    cached = request.config.cache.get(key, None)
    if cached is not None:
        return cast(dict[str, Any], cached)
    done = subprocess.run(
        [node, os.fspath(SCRIPT)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode in (0, 1), f"lint.mjs failed ({done.returncode}): {done.stderr}"
    report = cast(dict[str, Any], json.loads(done.stdout))
    assert report["checked"] == len(statements)
    assert (done.returncode == 0) == (not report["diagnostics"])
    request.config.cache.set(key, report)
    return report


def describe(diagnostics: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{d['statement']} {d['line']}:{d['column']} {d['severity']}: {d['message']} [{d['text']}]"
        for d in diagnostics
    )


def test_falkordb_only_ddl_is_kept_apart() -> None:
    shared = set(neo4j_statements().values())
    only = falkordb_only()
    assert only, "FalkorDB index DDL is expected"
    assert not shared & set(only)
    assert all(statement.startswith("CREATE INDEX FOR") for statement in only)


def test_every_statement_passes_neo4j_parser(request: pytest.FixtureRequest) -> None:
    statements = neo4j_statements()
    assert len(statements) > 100
    report = run_lint(statements, request)
    assert report["version"] == "2.0.0-next.38"
    assert report["diagnostics"] == [], "\n" + describe(report["diagnostics"])


MISTAKES: dict[str, tuple[str, str]] = {
    "function": ("MATCH (n:Customer) RETURN toLowr(n.name) AS x", "toLowr"),
    "label": ("MATCH (n:Custmer) RETURN n.name AS x", "Custmer"),
    "relationship": ("MATCH (n:Customer)-[:WORKS_FOR]->(m) RETURN m.id AS x", "WORKS_FOR"),
    "property": ("MATCH (n:Customer) RETURN n.nmae AS x", "nmae"),
    "syntax": ("MATCH (n:Customer RETURN n", "Invalid input"),
    "inf-is-a-float": ("MATCH (n:Customer)-[inf:FOR]-(o) RETURN inf.id AS x", "Type mismatch"),
}
CLEAN = "MATCH (n:Customer {id: $id})<-[:FOR]-(o:Opportunity) RETURN toLower(n.name) AS name"


@pytest.fixture(scope="module")
def mistakes_report(request: pytest.FixtureRequest) -> dict[str, Any]:
    """One linter run over all the deliberate mistakes and one clean statement."""
    return run_lint(
        {**{name: text for name, (text, _) in MISTAKES.items()}, "CLEAN": CLEAN}, request
    )


def test_linter_passes_a_clean_statement(mistakes_report: dict[str, Any]) -> None:
    assert [d for d in mistakes_report["diagnostics"] if d["statement"] == "CLEAN"] == []


@pytest.mark.parametrize("name", list(MISTAKES))
def test_linter_catches_mistakes(mistakes_report: dict[str, Any], name: str) -> None:
    finding = MISTAKES[name][1]
    found = [d for d in mistakes_report["diagnostics"] if d["statement"] == name]
    assert found, f"no diagnostic for {MISTAKES[name][0]!r}"
    assert any(finding in d["message"] + d["text"] for d in found), describe(found)
