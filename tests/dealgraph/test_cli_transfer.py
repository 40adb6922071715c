"""``dealgraph export`` / ``dealgraph import``: the JSON Lines file, its checks and round trips."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from api_helpers import SECRET_KEYS
from servers import store_env

from dealgraph.cli import main
from dealgraph.demo import load_demo
from dealgraph.transfer import (
    MAX_PROBLEMS,
    TransferError,
    check_file,
    export_graph,
    import_graph,
)
from domain.model import EdgeKind, NodeKind, RecordKind, all_labels, all_rel_types
from domain.vocabulary import ApprovalState, Stage, TeamRole
from graph import process_store as ps
from graph import statements as st
from graph import transfer as gt
from graph import workplans
from graph.backends.embedded import EmbeddedExecutor
from graph.executor import Executor
from graph.security_store import SecurityStore
from graph.store import GraphStore
from graph.webhook_store import WebhookStore
from resolvers import process_records as pr
from resolvers.calibration import run_calibration
from resolvers.violations import sweep
from strategy.config import default_config
from strategy.tas import ApprovalRecord, DeliveryReview, Transition, load_process
from webhooks import signing
from webhooks.retry import RetryPolicy
from webhooks.sealing import SecretBox, new_key

HEADER = {"format": "dealgraph", "version": 1, "exported_at": 1}
DEMO_DEAL = "demo-opp-smart-hospital"
AM, DM, DIRECTOR = "demo-tm-account", "demo-tm-delivery", "demo-tm-solution"


def _graph(store: GraphStore) -> dict[str, Any]:
    """Everything in a store, comparable: nodes by label (system records included), audit
    entries, edges by group. The audit sequence is left out: it numbers each store's own
    entries and is never exported."""
    nodes = {
        kind.value: [n for page in gt.export_nodes(store, kind) for n in page]
        for kind in all_labels()
        if kind not in (RecordKind.AUDIT_ENTRY, RecordKind.AUDIT_SEQUENCE)
    }
    audit = [e for page in gt.export_audit(store) for e in page if e.get("operation") != "import"]
    edges = {
        key: [(e.from_id, e.to_id, e.props) for page in gt.export_edges(store, key) for e in page]
        for key in gt.EDGE_KEYS
    }
    return {"nodes": nodes, "audit": audit, "edges": {k: v for k, v in edges.items() if v}}


@pytest.fixture(scope="module")
def cli_xfer_executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedExecutor]:
    """One embedded server shared by the file-level tests (starting one takes seconds)."""
    executor = EmbeddedExecutor(tmp_path_factory.mktemp("cli-xfer"), fsync="no")
    executor.ensure_schema()
    yield executor
    executor.close()


@pytest.fixture
def cli_xfer_store(cli_xfer_executor: EmbeddedExecutor) -> GraphStore:
    """An empty store on the shared server."""
    cli_xfer_executor.write("MATCH (n) DETACH DELETE n", {})
    return GraphStore(cli_xfer_executor)


@pytest.fixture
def cli_xfer_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings for the CLI: embedded store, data folders under tmp_path, no .env file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_FSYNC", "everysec")
    monkeypatch.setenv("DEALGRAPH_SECRET_KEY", ",".join(SECRET_KEYS))
    return tmp_path


def _write(path: Path, *records: object, header: object = HEADER) -> Path:
    lines = [json.dumps(header), *(r if isinstance(r, str) else json.dumps(r) for r in records)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _node(label: str, node_id: str, **props: Any) -> dict[str, Any]:
    system = {"id": node_id, "version": 1, "created_at": 1, "updated_at": 1}
    return {"type": "node", "label": label, "props": system | props}


def _edge(rel: str, from_label: str, from_id: str, to_label: str, to_id: str, **props: Any) -> Any:
    return {
        "type": "edge",
        "rel": rel,
        "from_label": from_label,
        "from_id": from_id,
        "to_label": to_label,
        "to_id": to_id,
        "props": props,
    }


def _customer(node_id: str = "c1") -> dict[str, Any]:
    return _node("Customer", node_id, name="Hospital")


def _person(node_id: str) -> dict[str, Any]:
    return _node("KeyPerson", node_id, name=f"Person {node_id}")


def _reports(from_id: str, to_id: str) -> Any:
    return _edge("REPORTS_TO", "KeyPerson", from_id, "KeyPerson", to_id)


def _everything_the_app_writes(store: GraphStore) -> None:
    """After the demo: a stage move, a decided approval, a delivery review, a violation sweep
    with an acknowledgement, a finished work plan item, an erased key person, users acting as
    team members, tokens (one revoked), a director's team, the customer's group company, and a
    webhook endpoint with the deliveries of those changes."""
    hooks = WebhookStore(store)
    sealed = SecretBox(SECRET_KEYS).seal(signing.new_secret())
    hooks.create_endpoint("https://crm.example.com/hooks", ["*"], "CRM", sealed)
    deal = ps.advance_stage(
        store,
        opportunity=store.get(NodeKind.OPPORTUNITY, DEMO_DEAL),
        to_stage=Stage.PROPOSAL,
        reason="value presented to the steering group",
        lost_to_competitor_id=None,
        member_id=AM,
    )
    pending = Transition(None, ApprovalState.PENDING, AM, (TeamRole.ACCOUNT_MANAGER,), 1, "go")
    request = ApprovalRecord(
        "demo-approval", "1-1", DEMO_DEAL, AM, ApprovalState.PENDING, {"x": 1}, (pending,)
    )
    approval = ps.request_approval(store, pr.approval_fields(request))
    assert approval is not None
    decided = Transition(
        ApprovalState.PENDING, ApprovalState.APPROVED, DIRECTOR, (TeamRole.SALES_DIRECTOR,), 2
    )
    ps.decide_approval(
        store,
        approval,
        state=ApprovalState.APPROVED,
        history=pr.history_json((pending, decided)),
        comment=decided.comment,
        decider_id=DIRECTOR,
        decider_roles=[TeamRole.SALES_DIRECTOR.value],
    )
    review = DeliveryReview(DM, store.clock(), True, 120.5, 4_280_000_000, "feasible")
    ps.record_delivery_review(store, deal, pr.review_fields(review), reviewed=True)
    sweep(store, load_process())
    violations = ps.list_violations(store).items
    assert violations, "the demo deal breaks at least one rule"
    ps.acknowledge_violation(store, violations[0], note="on it", member_id=AM)
    items = store.list_page(NodeKind.WORK_PLAN_ITEM, limit=100).items
    item = next(n for n in items if n["status"] == "OPEN")
    workplans.record_result(
        store,
        item_id=item["id"],
        version=item["version"],
        activity={"type": "VISIT", "occurred_at": store.clock(), "summary": "done"},
        result="agreed",
    )
    security = SecurityStore(store)
    security.add_user("ops", "admin")
    security.add_user("ann", "account_manager", AM)
    security.issue_token("ann", "laptop")
    security.revoke_token(security.issue_token("ops").token_id)
    security.set_manages(DIRECTOR, AM)
    security.erase_key_person("demo-kp-president")
    group = store.create(NodeKind.CUSTOMER, {"name": "Demo Group"}, node_id="demo-group")
    (customer,) = store.neighbours(
        EdgeKind.FOR, NodeKind.OPPORTUNITY, NodeKind.CUSTOMER, [DEMO_DEAL]
    )[DEMO_DEAL]
    store.update(NodeKind.CUSTOMER, customer.node["id"], {}, parent=(group["id"],))
    assert hooks.fan_out(store.clock(), RetryPolicy().window_ms)[1] > 0
    run_calibration(store, default_config())  # a WinModel record (too few deals: the prior)


# --- the command line --------------------------------------------------------------------------


def test_cli_round_trip_gives_the_same_graph_and_importing_again_only_merges_when_asked(
    cli_xfer_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source_dir, target_dir = cli_xfer_env / "source", cli_xfer_env / "target"
    source = GraphStore(EmbeddedExecutor(source_dir, fsync="everysec"))
    source.ensure_schema()
    load_demo(source)
    _everything_the_app_writes(source)
    expected = _graph(source)
    source.close()
    assert all(expected["nodes"].values()), "every label is in the graph"
    assert {rel for rel, _, _ in expected["edges"]} == set(all_rel_types())
    assert expected["audit"]
    approval = expected["nodes"]["Approval"][0]
    assert {"history", "requester_id", "opportunity_id"} <= set(approval)
    assert any("erased_at" in p for p in expected["nodes"]["KeyPerson"])
    file = cli_xfer_env / "graph.jsonl"

    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(source_dir))
    assert main(["export", str(file)]) == 0
    records = len(file.read_text(encoding="utf-8").splitlines()) - 2  # the header, the end
    assert f"exported {records} records to {file}" in capsys.readouterr().out
    # token hashes and personal data: readable by its owner only, whatever the umask
    assert file.stat().st_mode & 0o777 == 0o600

    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(target_dir))
    assert main(["import", str(file)]) == 0
    assert f"imported {records} records from {file}" in capsys.readouterr().out
    # a second restore into a store that holds data would put back what changed since the
    # export (a revoked token signs in again): refused unless a merge is asked for
    assert main(["import", str(file)]) == 1
    refused = capsys.readouterr().err
    assert refused.startswith("dealgraph: import refused, nothing was written: the store already")
    assert "--merge" in refused
    assert main(["import", "--merge", str(file)]) == 0
    assert f"imported {records} records from {file}" in capsys.readouterr().out

    target = GraphStore(EmbeddedExecutor(target_dir, fsync="everysec"))
    try:
        assert _graph(target) == expected
        imports = [e for p in gt.export_audit(target) for e in p if e["operation"] == "import"]
        assert [e["target_id"] for e in imports] == ["graph.jsonl", "graph.jsonl"]
    finally:
        target.close()


def test_cli_export_seals_plain_secrets_and_rekey_seals_them_with_the_first_key(
    cli_xfer_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = cli_xfer_env / "data"
    store = GraphStore(EmbeddedExecutor(data, fsync="everysec"))
    store.ensure_schema()
    plain = signing.new_secret()  # as stored before secrets were sealed
    WebhookStore(store).create_endpoint("https://crm.example.com/hooks", ["*"], "CRM", plain)
    store.close()
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(data))
    file = cli_xfer_env / "graph.jsonl"

    assert main(["export", str(file)]) == 0
    backup = file.read_text(encoding="utf-8")
    assert plain.removeprefix("whsec_") not in backup
    assert '"secret":"fernet:' in backup

    first = new_key()
    monkeypatch.setenv("DEALGRAPH_SECRET_KEY", f"{first},{SECRET_KEYS[0]}")
    capsys.readouterr()
    assert main(["webhooks", "rekey"]) == 0
    assert "1 endpoints sealed with the first secret key, 0 already were" in capsys.readouterr().out
    assert main(["webhooks", "rekey"]) == 0
    assert "0 endpoints sealed with the first secret key, 1 already were" in capsys.readouterr().out
    store = GraphStore(EmbeddedExecutor(data, fsync="everysec"))
    try:
        (row,) = WebhookStore(store).stored_secrets()
        assert SecretBox((first,)).open(row["secret"]) == plain  # the new key alone opens it
    finally:
        store.close()

    monkeypatch.setenv("DEALGRAPH_SECRET_KEY", new_key())  # a key that opens nothing here
    assert main(["webhooks", "rekey"]) == 1
    assert "https://crm.example.com/hooks" in capsys.readouterr().err


@pytest.mark.neo4j
def test_cli_moves_a_graph_from_embedded_to_neo4j_and_back(
    cli_xfer_env: Path,
    neo4j_uri: str,
    neo4j_executor: Executor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_dir, target_dir = cli_xfer_env / "source", cli_xfer_env / "target"
    source = GraphStore(EmbeddedExecutor(source_dir, fsync="everysec"))
    source.ensure_schema()
    load_demo(source)
    _everything_the_app_writes(source)
    expected = _graph(source)
    source.close()
    neo4j_executor.write("MATCH (n) DETACH DELETE n", {})
    to_neo4j, from_neo4j = cli_xfer_env / "to-neo4j.jsonl", cli_xfer_env / "from-neo4j.jsonl"

    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(source_dir))
    assert main(["export", str(to_neo4j)]) == 0
    for name, value in store_env("neo4j", None, neo4j_uri).items():  # its login too
        monkeypatch.setenv(name, value)
    assert main(["import", str(to_neo4j)]) == 0
    assert _graph(GraphStore(neo4j_executor)) == expected
    assert main(["export", str(from_neo4j)]) == 0
    records = len(to_neo4j.read_text(encoding="utf-8").splitlines()) - 2  # the header, the end
    assert f"exported {records + 1} records to {from_neo4j}" in capsys.readouterr().out

    monkeypatch.setenv("DEALGRAPH_STORE", "embedded")
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(target_dir))
    assert main(["import", str(from_neo4j)]) == 0
    target = GraphStore(EmbeddedExecutor(target_dir, fsync="everysec"))
    try:
        assert _graph(target) == expected
        imports = [e for p in gt.export_audit(target) for e in p if e["operation"] == "import"]
        assert sorted(e["target_id"] for e in imports) == ["from-neo4j.jsonl", "to-neo4j.jsonl"]
    finally:
        target.close()


def test_cli_refuses_an_invalid_file_naming_the_line_and_writes_nothing(
    cli_xfer_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(cli_xfer_env / "data"))
    file = _write(cli_xfer_env / "bad.jsonl", _customer(), _person("p1"), "{not json")
    assert main(["import", str(file)]) == 1
    refused = capsys.readouterr().err
    assert "dealgraph: import failed:" in refused
    assert "nothing was written" in refused
    assert "line 4: malformed JSON" in refused
    store = GraphStore(EmbeddedExecutor(cli_xfer_env / "data", fsync="everysec"))
    try:
        assert store.count(NodeKind.CUSTOMER) == 0
        assert store.count(NodeKind.KEY_PERSON) == 0
    finally:
        store.close()


# --- the file format -----------------------------------------------------------------------------


def test_export_writes_a_header_then_nodes_audit_and_grouped_edges(
    cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    load_demo(cli_xfer_store)
    file = tmp_path / "out.jsonl"
    count = export_graph(cli_xfer_store, file, batch_size=7, stream=io.StringIO())
    lines = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    assert set(lines[0]) == {"format", "version", "exported_at"}
    assert lines[0]["format"] == "dealgraph"
    assert lines[0]["version"] == 2
    assert count == len(lines) - 2
    assert lines[-1] == {"type": "end", "records": count}
    kinds = [r["type"] for r in lines[1:-1]]
    assert kinds == sorted(kinds, key=["node", "audit", "edge"].index)
    edges = [(r["rel"], r["from_label"], r["to_label"]) for r in lines if r.get("type") == "edge"]
    groups = list(dict.fromkeys(edges))
    assert edges == sorted(edges, key=groups.index)
    assert not list(tmp_path.glob("*.part"))


class _WritesDuringExport(GraphStore):
    """A store that gains a key person (and its WORKS_AT edge) once node pages are read."""

    late_done = False

    def read(self, statement: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        if statement in st.EXPORT_EDGES.values() and not self.late_done:
            self.late_done = True
            self.create_key_person("c1", {"name": "Late"}, {"title": "CFO"}, node_id="late")
        return super().read(statement, params)


def test_an_export_during_writes_leaves_out_edges_to_nodes_it_did_not_write(
    cli_xfer_executor: EmbeddedExecutor, cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    cli_xfer_store.create(NodeKind.CUSTOMER, {"name": "Hospital"}, node_id="c1")
    cli_xfer_store.create_key_person("c1", {"name": "Early"}, node_id="early")
    live = _WritesDuringExport(cli_xfer_executor)
    file, messages = tmp_path / "live.jsonl", io.StringIO()
    export_graph(live, file, stream=messages)
    text = file.read_text(encoding="utf-8")
    assert '"early"' in text
    assert '"late"' not in text
    assert "left out 1 edges to nodes created while the export ran" in messages.getvalue()
    cli_xfer_executor.write("MATCH (n) DETACH DELETE n", {})
    assert import_graph(cli_xfer_store, file, stream=io.StringIO(), record_audit=False) > 2


def test_import_of_an_unordered_file_writes_nodes_before_edges(
    cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    file = _write(
        tmp_path / "unordered.jsonl",
        _reports("p1", "p2"),
        _person("p1"),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c1", title="CIO"),
        _customer(),
        _person("p2"),
    )
    assert import_graph(cli_xfer_store, file, batch_size=1, stream=io.StringIO()) == 5
    chart = gt.count_edges(cli_xfer_store)
    assert chart[(EdgeKind.REPORTS_TO, NodeKind.KEY_PERSON, NodeKind.KEY_PERSON)] == 1
    assert chart[(EdgeKind.WORKS_AT, NodeKind.KEY_PERSON, NodeKind.CUSTOMER)] == 1


def test_edges_may_point_at_nodes_already_in_the_store(
    cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    import_graph(cli_xfer_store, _write(tmp_path / "a.jsonl", _customer()), stream=io.StringIO())
    file = _write(
        tmp_path / "b.jsonl",
        _person("p1"),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c1"),
    )
    assert import_graph(cli_xfer_store, file, stream=io.StringIO(), record_audit=False) == 2


def test_progress_is_drawn_as_a_bar_on_a_terminal(
    cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    file = _write(tmp_path / "p.jsonl", _customer(), *(_person(f"p{i}") for i in range(5)))
    terminal = Terminal()
    import_graph(cli_xfer_store, file, stream=terminal)
    shown = terminal.getvalue()
    assert "\rimporting p.jsonl [" in shown
    assert "6/6" in shown
    assert "importing p.jsonl: 6 items in" in shown


# --- checks before anything is written ------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"format": "other", "version": 1}, r"line 1: not a dealgraph export"),
        ({"format": "dealgraph", "version": 3}, r"line 1: unsupported format version 3"),
        ("[1, 2]", r"line 1: not a dealgraph export"),
    ],
)
def test_unknown_format_or_version_is_refused(
    cli_xfer_store: GraphStore, tmp_path: Path, header: object, message: str
) -> None:
    file = tmp_path / "h.jsonl"
    text = header if isinstance(header, str) else json.dumps(header)
    file.write_text(text + "\n" + json.dumps(_customer()) + "\n", encoding="utf-8")
    with pytest.raises(TransferError, match=message):
        import_graph(cli_xfer_store, file, stream=io.StringIO())
    assert cli_xfer_store.count(NodeKind.CUSTOMER) == 0


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ('{"type": "node", "label": "Customer", "props": {', r"line 3: malformed JSON"),
        ("[1]", r"line 3: a record must be a JSON object"),
        ({"type": "vertex"}, r"line 3: unknown record type 'vertex'"),
        (_node("Lead", "l1", name="x"), r"line 3: unknown node label 'Lead'"),
        (
            _edge("LIKES", "KeyPerson", "p1", "KeyPerson", "p1"),
            r"line 3: unknown edge 'LIKES' from 'KeyPerson' to 'KeyPerson'",
        ),
        (
            _edge("WORKS_AT", "Customer", "c1", "KeyPerson", "p1"),
            r"line 3: unknown edge 'WORKS_AT' from 'Customer' to 'KeyPerson'",
        ),
        (_node("Customer", "c2", name="x", employees=-5), r"line 3: node employees: must be at"),
        (_node("Customer", "c2"), r"line 3: node name: is required"),
        (_node("Customer", "c 2", name="x"), r"line 3: node id: must be 1-100"),
        (_node("Customer", "c2", name="x", owner="me"), r"line 3: node owner: is not a field"),
        (
            {"type": "node", "label": "Customer", "props": {"id": "c2", "name": "x"}},
            r"line 3: node version: is required",
        ),
        (
            _edge("INFLUENCES", "KeyPerson", "p1", "KeyPerson", "p2", strength="HUGE"),
            r"line 3: edge strength: must be one of",
        ),
        ({"type": "audit", "props": {"id": "a1"}}, r"line 3: audit at: is required"),
        (_reports("p1", "p1"), r"line 3: REPORTS_TO cannot join 'p1' to itself"),
        (
            _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c9"),
            r"line 3: edge end Customer 'c9' is neither in the file nor in the store",
        ),
        (_node("KeyPerson", "p1", name="again"), r"line 3: duplicate KeyPerson id 'p1'"),
        (
            {"type": "node", "label": "AuditEntry", "props": {"id": "a1"}},
            r"line 3: unknown node label 'AuditEntry'",
        ),
        (
            {"type": "node", "label": "Violation", "props": {"id": "v1", "rule": "R"}},
            r"line 3: node key: is required",
        ),
        (
            _edge("ACTS_AS", "User", "u1", "Customer", "c1"),
            r"line 3: unknown edge 'ACTS_AS' from 'User' to 'Customer'",
        ),
        (
            _edge("MANAGES", "TeamMember", "m1", "TeamMember", "m1"),
            r"line 3: MANAGES cannot join 'm1' to itself",
        ),
        (
            _edge("AUTHENTICATES", "ApiToken", "t1", "User", "p1"),
            r"line 3: edge end ApiToken 't1' is neither in the file nor in the store",
        ),
    ],
)
def test_an_invalid_line_is_named_and_nothing_is_written(
    cli_xfer_store: GraphStore, tmp_path: Path, record: object, message: str
) -> None:
    file = _write(
        tmp_path / "bad.jsonl",
        _person("p1"),
        record,
        _customer(),
        _person("p2"),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c1"),
    )
    with pytest.raises(TransferError, match=message) as caught:
        import_graph(cli_xfer_store, file, batch_size=1, stream=io.StringIO())
    assert "nothing was written" in str(caught.value)
    assert caught.value.problems[0][0] == 3
    assert cli_xfer_store.count(NodeKind.KEY_PERSON) == 0
    assert cli_xfer_store.count(NodeKind.CUSTOMER) == 0


def test_a_second_single_edge_and_a_reporting_cycle_are_refused(
    cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    file = _write(
        tmp_path / "chart.jsonl",
        _customer("c1"),
        _customer("c2"),
        *(_person(f"p{i}") for i in range(1, 5)),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c1"),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c2"),
        _reports("p2", "p3"),
        _reports("p3", "p4"),
        _reports("p4", "p2"),
    )
    with pytest.raises(TransferError) as caught:
        check_file(cli_xfer_store, file, stream=io.StringIO())
    lines = [line for line, _ in caught.value.problems]
    assert lines[0] == 9
    assert "p1' has a second WORKS_AT edge (first on line 8)" in caught.value.problems[0][1]
    assert "REPORTS_TO edges form a cycle" in caught.value.problems[1][1]
    assert len(lines) == 2


def test_every_problem_is_listed_up_to_a_limit(cli_xfer_store: GraphStore, tmp_path: Path) -> None:
    file = _write(tmp_path / "many.jsonl", *(["{oops"] * (MAX_PROBLEMS + 5)))
    with pytest.raises(TransferError) as caught:
        check_file(cli_xfer_store, file, stream=io.StringIO())
    assert [line for line, _ in caught.value.problems] == list(range(2, MAX_PROBLEMS + 2))
    assert "first problems only" in str(caught.value)


def test_a_missing_file_is_a_transfer_error(cli_xfer_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(TransferError, match=r"cannot read the file \(No such file"):
        import_graph(cli_xfer_store, tmp_path / "nope.jsonl", stream=io.StringIO())


def test_a_copy_cut_short_at_a_line_end_is_refused_and_nothing_is_written_one_with_a_bom_is_read(
    cli_xfer_executor: EmbeddedExecutor, cli_xfer_store: GraphStore, tmp_path: Path
) -> None:
    """The edges come last: a copy of an export cut short at a line's end (an interrupted
    transfer, a full disk) would restore every login without its tokens and every contact
    without its people. The closing line counts the records; without it, or with a count the
    file does not hold, the import refuses and writes nothing."""
    load_demo(cli_xfer_store)
    whole = tmp_path / "whole.jsonl"
    export_graph(cli_xfer_store, whole, stream=io.StringIO())
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    cli_xfer_executor.write("MATCH (n) DETACH DELETE n", {})
    target = cli_xfer_store
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[: len(lines) * 3 // 4]), encoding="utf-8")
    with pytest.raises(TransferError, match="ends without the export's closing line"):
        import_graph(target, cut, stream=io.StringIO())
    gap = tmp_path / "gap.jsonl"
    gap.write_text("".join(lines[:5] + lines[6:]), encoding="utf-8")
    with pytest.raises(TransferError, match=r"counts \d+ records but the file holds"):
        import_graph(target, gap, stream=io.StringIO())
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(lines + lines[1:2]), encoding="utf-8")
    with pytest.raises(TransferError, match="a record after the closing line"):
        import_graph(target, extra, stream=io.StringIO())
    assert sum(gt.count_all(target).values()) == 0
    # saved again by an editor that puts a byte-order mark first, it is the same file
    marked = tmp_path / "marked.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + whole.read_bytes())
    assert import_graph(target, marked, stream=io.StringIO()) == len(lines) - 2


def test_a_file_the_command_cannot_write_or_read_is_said_in_its_own_words(
    cli_xfer_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export into a folder that does not exist was a Python trace; an import of a file that
    does not exist into a store that holds data was refused as a restore into a full store,
    and the operator ran it again with --merge only to learn the file was missing."""
    data_dir = cli_xfer_env / "data"
    store = GraphStore(EmbeddedExecutor(data_dir, fsync="everysec"))
    store.ensure_schema()
    store.create(NodeKind.CUSTOMER, {"name": "Alpha"})
    store.close()
    monkeypatch.setenv("DEALGRAPH_DATA_DIR", str(data_dir))
    nowhere = cli_xfer_env / "no such folder" / "graph.jsonl"

    assert main(["export", str(nowhere)]) == 1
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err == (
        f"dealgraph: export failed, no file written: cannot write {nowhere} "
        "(No such file or directory)\n"
    )
    assert not nowhere.parent.exists()

    for command in (["import", str(nowhere)], ["import", "--merge", str(nowhere)]):
        assert main(command) == 1
        assert capsys.readouterr().err == (
            f"dealgraph: import failed: {nowhere}: invalid import file, nothing was written\n"
            "  cannot read the file (No such file or directory)\n"
        )
