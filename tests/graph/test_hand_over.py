"""The hand-over statement on both back ends: it writes only while it finds what its plan read,
so its audit entry is true, and a leaver is handed over once."""

from __future__ import annotations

import threading

import pytest

from domain.errors import DomainError, ErrorCode
from domain.model import EdgeKind, NodeKind
from graph import hand_over as ho
from graph.store import GraphStore

K, E = NodeKind, EdgeKind


@pytest.fixture
def team(store: GraphStore) -> GraphStore:
    store.create(K.TEAM_MEMBER, {"name": "Li Na"}, node_id="li")
    store.create(K.TEAM_MEMBER, {"name": "Wu Lei"}, node_id="wu")
    store.create(K.CUSTOMER, {"name": "Hospital"}, node_id="c1")
    for oid in ("o1", "o2"):
        store.create_opportunity("c1", {"name": oid}, node_id=oid)
    store.set_edge(
        E.ON_TEAM, (K.TEAM_MEMBER, "li"), (K.OPPORTUNITY, "o1"), {"role": "ACCOUNT_MANAGER"}
    )
    return store


def _conflict(store: GraphStore, plan: ho.HandOverPlan) -> None:
    audits = store.audit_log(None, limit=1).total
    with pytest.raises(DomainError) as refused:
        ho.hand_over(store, plan, version=int(plan.member["version"]))
    assert refused.value.problems[0].code is ErrorCode.CONFLICT
    assert store.get(K.TEAM_MEMBER, "li").get("left_at") is None
    assert store.audit_log(None, limit=1).total == audits


def test_a_place_taken_meanwhile_makes_the_hand_over_conflict(team: GraphStore) -> None:
    plan = ho.hand_over_plan(team, "li", "wu")
    assert plan is not None
    assert [t.target_id for t in plan.teams] == ["o1"]
    team.set_edge(
        E.ON_TEAM, (K.TEAM_MEMBER, "li"), (K.OPPORTUNITY, "o2"), {"role": "ACCOUNT_MANAGER"}
    )
    _conflict(team, plan)


def test_a_tie_made_meanwhile_makes_the_hand_over_conflict(team: GraphStore) -> None:
    team.create_key_person("c1", {"name": "王总"}, node_id="p1")
    plan = ho.hand_over_plan(team, "li", "wu")
    assert plan is not None
    team.set_edge(E.KNOWS, (K.TEAM_MEMBER, "li"), (K.KEY_PERSON, "p1"), {"level": "STRONG"})
    _conflict(team, plan)


def test_a_leaver_is_handed_over_once(team: GraphStore) -> None:
    plan = ho.hand_over_plan(team, "li", "wu")
    assert plan is not None
    left = ho.hand_over(team, plan, version=int(plan.member["version"]))
    assert left["left_at"] is not None
    again = ho.hand_over_plan(team, "li", "wu")
    assert again is not None
    assert again.teams == ()
    with pytest.raises(DomainError):
        ho.hand_over(team, again, version=int(left["version"]))
    assert [
        n.node["id"] for n in team.neighbours(E.ON_TEAM, K.TEAM_MEMBER, K.OPPORTUNITY, ["wu"])["wu"]
    ] == ["o1"]


def test_a_role_changed_meanwhile_makes_the_hand_over_conflict(team: GraphStore) -> None:
    """The audit entry says which role the successor took; a role changed since the plan was
    read would make it untrue."""
    plan = ho.hand_over_plan(team, "li", "wu")
    assert plan is not None
    team.set_edge(
        E.ON_TEAM, (K.TEAM_MEMBER, "li"), (K.OPPORTUNITY, "o1"), {"role": "SOLUTION_MANAGER"}
    )
    _conflict(team, plan)


def _together(store: GraphStore, plans: list[ho.HandOverPlan | None]) -> list[str]:
    """Write the plans' hand-overs at the same instant; how each ended."""
    barrier = threading.Barrier(len(plans))
    outcomes: list[str] = []

    def run(plan: ho.HandOverPlan | None) -> None:
        assert plan is not None
        barrier.wait()
        try:
            ho.hand_over(store, plan, version=int(plan.member["version"]))
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code.value)

    threads = [threading.Thread(target=run, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_people_handed_over_to_each_other_at_once_leave_nobody_s_deals_with_a_leaver(
    store: GraphStore,
) -> None:
    """A to B while B to A, written together (the plans read first): one wins, the other
    conflicts, on both back ends; no open deal is left with someone who left."""
    for n in range(8):
        a, b = f"a{n}", f"b{n}"
        store.create(K.CUSTOMER, {"name": f"c{n}"}, node_id=f"c{n}")
        for member in (a, b):
            store.create(K.TEAM_MEMBER, {"name": member}, node_id=member)
            store.create_opportunity(f"c{n}", {"name": f"o{member}"}, node_id=f"o{member}")
            team = {"role": "ACCOUNT_MANAGER"}
            store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, member), (K.OPPORTUNITY, f"o{member}"), team)
        outcomes = _together(
            store, [ho.hand_over_plan(store, a, b), ho.hand_over_plan(store, b, a)]
        )
        assert sorted(outcomes) == ["CONFLICT", "ok"], outcomes
        deals = store.neighbours(E.ON_TEAM, K.TEAM_MEMBER, K.OPPORTUNITY, [a, b])
        for member in (a, b):
            left = store.get(K.TEAM_MEMBER, member).get("left_at") is not None
            assert len(deals[member]) == (0 if left else 2), (member, left, deals)
