"""The audit sequence: every audited write numbers its entry in its own statement, numbers are
unique and gap-free even under concurrent writers, and "what was written after N" names what
each write touched (both back ends)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from store_support import Factory

from domain.errors import DomainError
from domain.model import NodeKind
from graph import statements as st
from graph import transfer as gt
from graph.sequence import written_since
from graph.store import GraphStore


def _numbers(store: GraphStore) -> list[int]:
    rows = store.read(f"MATCH (a:{st.AUDIT_LABEL}) RETURN a.seq AS seq", {})
    return sorted(int(row["seq"]) for row in rows)


def test_every_write_numbers_its_entry_once_in_order(store: GraphStore) -> None:
    make = Factory(store)
    customer = make.customer()["id"]
    person = make.person(customer)["id"]
    store.update(NodeKind.KEY_PERSON, person, {"notes": "met at the fair"})
    written = written_since(store, 0)
    assert written.now == 3
    assert written.epoch != ""
    assert written.bulk == 0
    assert written.complete
    assert [w.seq for w in written.writes] == [1, 2, 3]
    assert person in written.writes[2].subjects
    assert {customer, person} <= written.writes[1].subjects  # a person names their customer
    assert written_since(store, 2).writes == written.writes[2:]
    assert written_since(store, 3).writes == ()
    assert [w.seq for w in written_since(store, 0, limit=2).writes] == [1, 2]
    assert not written_since(store, 0, limit=2).complete


def test_a_refused_write_takes_no_number(store: GraphStore) -> None:
    make = Factory(store)
    customer = make.customer()["id"]
    with pytest.raises(DomainError):
        store.update(NodeKind.CUSTOMER, customer, {"name": "New"}, expected_version=7)
    assert written_since(store, 0).now == 1 == len(_numbers(store))


def test_concurrent_writers_get_distinct_consecutive_numbers(store: GraphStore) -> None:
    make = Factory(store)
    customer = make.customer()["id"]
    people = [make.person(customer)["id"] for _ in range(8)]
    before = written_since(store, 0).now

    def write(i: int) -> None:
        for n in range(5):
            store.update(NodeKind.KEY_PERSON, people[i], {"notes": f"note {n}"})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(8)))
    numbers = _numbers(store)
    assert numbers == list(range(1, before + 41))
    assert written_since(store, 0, limit=1000).now == before + 40


def test_an_activity_entry_reaches_its_deal_and_people(store: GraphStore) -> None:
    make = Factory(store)
    customer = make.customer()["id"]
    person = make.person(customer)["id"]
    deal = make.opportunity(customer)["id"]
    activity = make.activity(person_ids=[person], opportunity_id=deal)["id"]
    now = written_since(store, 0).now
    store.update(NodeKind.ACTIVITY, activity, {"summary": "moved"})
    (edit,) = written_since(store, now).writes
    assert {activity, deal, person} <= edit.subjects


def test_an_import_marks_a_bulk_change_and_an_emptied_store_a_new_sequence(
    store: GraphStore,
) -> None:
    make = Factory(store)
    make.customer()
    first = written_since(store, 0)
    gt.mark_bulk_change(store)
    after = written_since(store, first.now)
    assert after.bulk == after.now == first.now + 1
    assert after.writes == ()
    assert after.epoch == first.epoch
    store.write("MATCH (n) DETACH DELETE n", {})
    make.customer()
    again = written_since(store, 0)
    assert again.now == 1
    assert again.epoch != first.epoch


def test_the_sequence_is_not_exported() -> None:
    assert all(label.value != st.AUDIT_SEQUENCE_LABEL for label in gt.LABELS)
