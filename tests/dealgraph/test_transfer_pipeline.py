"""``dealgraph import`` as a pipeline: nodes the store lacks are created, those it holds are
merged, an edge line given twice is one edge, a re-pointed single edge replaces the old one,
and a bad line anywhere still means nothing is written; on both back ends."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_cli_transfer import _customer, _edge, _node, _person, _reports, _write

from dealgraph.transfer import TransferError, import_graph
from domain.model import EdgeKind, NodeKind
from graph import transfer as gt
from graph.statements import TransferKey
from graph.store import GraphStore

K, E = NodeKind, EdgeKind
REPORTS = (E.REPORTS_TO, K.KEY_PERSON, K.KEY_PERSON)
WORKS = (E.WORKS_AT, K.KEY_PERSON, K.CUSTOMER)
KNOWS = (E.KNOWS, K.KEY_PERSON, K.KEY_PERSON)


def _knows(from_id: str, to_id: str) -> object:
    return _edge("KNOWS", "KeyPerson", from_id, "KeyPerson", to_id, level="STRONG")


def _people(store: GraphStore) -> dict[str, str]:
    return {n["id"]: n["name"] for page in gt.export_nodes(store, K.KEY_PERSON) for n in page}


def _edges(store: GraphStore, key: TransferKey) -> list[tuple[str, str]]:
    return sorted((e.from_id, e.to_id) for page in gt.export_edges(store, key) for e in page)


def test_new_and_known_nodes_and_edges_in_one_file(store: GraphStore, tmp_path: Path) -> None:
    first = _write(
        tmp_path / "first.jsonl",
        _customer("c1"),
        _customer("c2"),
        _person("p1"),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c1"),
    )
    import_graph(store, first, stream=io.StringIO(), record_audit=False)
    second = _write(
        tmp_path / "second.jsonl",
        _node("KeyPerson", "p1", name="Renamed"),
        _person("p2"),
        _person("p3"),
        _edge("WORKS_AT", "KeyPerson", "p1", "Customer", "c2"),
        _edge("WORKS_AT", "KeyPerson", "p2", "Customer", "c2"),
        _reports("p2", "p1"),
        _reports("p3", "p2"),
        _knows("p3", "p1"),
        _knows("p3", "p1"),
    )
    assert import_graph(store, second, batch_size=2, stream=io.StringIO()) == 9
    assert _people(store) == {"p1": "Renamed", "p2": "Person p2", "p3": "Person p3"}
    assert _edges(store, WORKS) == [("p1", "c2"), ("p2", "c2")]
    assert _edges(store, REPORTS) == [("p2", "p1"), ("p3", "p2")]
    assert _edges(store, KNOWS) == [("p3", "p1")]
    again = import_graph(store, second, stream=io.StringIO(), record_audit=False)
    assert again == 9
    assert _edges(store, REPORTS) == [("p2", "p1"), ("p3", "p2")]
    assert _edges(store, KNOWS) == [("p3", "p1")]


def test_a_bad_last_line_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    rows = [_person(f"p{i}") for i in range(30)]
    file = _write(tmp_path / "bad.jsonl", _customer(), *rows, _reports("p1", "p2"), "{oops")
    with pytest.raises(TransferError) as refused:
        import_graph(store, file, batch_size=4, stream=io.StringIO())
    assert refused.value.problems[0][0] == 34
    assert gt.count_all(store)[K.KEY_PERSON.value] == 0
    assert _edges(store, REPORTS) == []


def test_progress_shows_the_check_and_the_import(store: GraphStore, tmp_path: Path) -> None:
    file = _write(tmp_path / "ok.jsonl", _customer(), _person("p1"))
    shown = io.StringIO()
    import_graph(store, file, stream=shown)
    assert "checking ok.jsonl" in shown.getvalue()
    assert "importing ok.jsonl" in shown.getvalue()
