"""Who holds the job of a key person who left, named in one statement that checks what the use
case checked before it (``graph.departures.set_successor``): whatever happened between the read
and the write, the store never names someone of another customer, someone who left or the
person themselves, nor writes over a departure or a successor it did not read."""

from __future__ import annotations

import pytest

from domain.errors import DomainError
from domain.model import NodeKind
from domain.vocabulary import DepartureKind
from graph.departures import departure_plan, record_departure, set_successor
from graph.store import GraphStore

KP = NodeKind.KEY_PERSON


def _left(store: GraphStore) -> None:
    store.create(NodeKind.CUSTOMER, {"name": "Hospital"}, node_id="c1")
    store.create(NodeKind.CUSTOMER, {"name": "Clinic"}, node_id="c2")
    for pid, customer in (("p1", "c1"), ("p2", "c1"), ("p3", "c1"), ("x1", "c2")):
        store.create_key_person(customer, {"name": pid.upper()}, node_id=pid)
    for pid in ("p1", "p3"):
        plan = departure_plan(store, pid)
        assert plan is not None
        record_departure(store, plan, left_on="2030-01-02", how=DepartureKind.MOVED, to=None)


def test_the_successor_is_one_of_the_customer_s_people_still_there(store: GraphStore) -> None:
    _left(store)
    read = store.get(KP, "p1")
    for wrong in ("x1", "p3", "p1", "nobody"):
        with pytest.raises(DomainError):
            set_successor(store, read, wrong)
    assert store.get(KP, "p1") == read  # nothing written
    named = set_successor(store, read, "p2")
    assert (named["left_successor_id"], named["version"]) == ("p2", read["version"] + 1)
    assert named["left_successor_at"] == named["updated_at"]  # when the team named them
    # written over what it did not read: refused
    with pytest.raises(DomainError):
        set_successor(store, read, None)
    cleared = set_successor(store, named, None)
    assert "left_successor_id" not in cleared
    assert "left_successor_at" not in cleared
