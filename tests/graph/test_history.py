"""Decision chains and org charts as of an instant (graph/history.py): what was read at each
step of a scripted deal is what the history gives back for that instant, on both back ends."""

from __future__ import annotations

from collections.abc import Callable

from domain.chain import AskedElsewhere, Departure
from domain.model import EdgeKind, NodeKind
from domain.vocabulary import DepartureKind, DropReason, Stage, WorkPlanStatus
from graph import process_store as ps
from graph.chains import LoadedChain, OrgChart, load_decision_chain, load_org_chart
from graph.departures import departure_plan, record_departure, set_successor, undo_departure
from graph.history import load_chain_as_of, load_chain_history, load_org_chart_as_of
from graph.scope import Scope
from graph.security_store import SecurityStore
from graph.store import GraphStore
from graph.workplans import accept_suggestion, change_item

KP, OPP, TM, CX, CU = (
    NodeKind.KEY_PERSON,
    NodeKind.OPPORTUNITY,
    NodeKind.TEAM_MEMBER,
    NodeKind.COMPETITOR,
    NodeKind.CUSTOMER,
)
E = EdgeKind
Step = Callable[[GraphStore], None]


def _chain(store: GraphStore, **kw: object) -> LoadedChain:
    found = load_decision_chain(store, "o1", **kw)  # type: ignore[arg-type]
    assert found is not None
    return found


def _same_chain(then: LoadedChain, replayed: LoadedChain | None) -> None:
    assert replayed is not None
    assert replayed.snapshot == then.snapshot
    assert replayed.opportunity == then.opportunity
    assert replayed.customer == then.customer
    assert replayed.persons == then.persons
    assert replayed.works_at == then.works_at
    assert replayed.connector_ids == then.connector_ids
    assert replayed.team_members == then.team_members
    assert replayed.competitors == then.competitors
    assert replayed.activities == then.activities


def _same_chart(then: OrgChart, replayed: OrgChart | None) -> None:
    assert replayed is not None
    assert replayed.customer == then.customer
    assert replayed.persons == then.persons
    assert replayed.works_at == then.works_at
    assert sorted(replayed.reports_to, key=repr) == sorted(then.reports_to, key=repr)
    assert sorted(replayed.influences, key=repr) == sorted(then.influences, key=repr)


def start(store: GraphStore) -> None:
    store.create(CU, {"name": "Hospital"}, node_id="c1")
    for pid, name, title in (("p1", "Li", "CIO"), ("p2", "Wang", "Dean"), ("p3", "Zhao", None)):
        store.create_key_person("c1", {"name": name}, {"title": title}, node_id=pid)
    store.create_key_person("c1", {"name": "Qian"}, node_id="p4")
    store.create_opportunity("c1", {"name": "HIS", "amount": 1000}, node_id="o1")
    store.create(TM, {"name": "Me"}, node_id="m1")
    store.create(TM, {"name": "Ma"}, node_id="m2")
    store.create(CX, {"name": "Rival"}, node_id="x1")
    store.set_edge(E.ON_TEAM, (TM, "m1"), (OPP, "o1"), {"role": "ACCOUNT_MANAGER"})
    store.set_edge(E.COMPETES_FOR, (CX, "x1"), (OPP, "o1"), {"position": "LEADING"})
    for pid, role in (("p1", "DECISION_MAKER"), ("p2", "TECHNICAL_EVALUATOR")):
        store.set_edge(E.IN_DECISION_CHAIN, (KP, pid), (OPP, "o1"), {"role": role})
    store.set_edge(E.REPORTS_TO, (KP, "p2"), (KP, "p1"))
    store.set_edge(E.REPORTS_TO, (KP, "p4"), (KP, "p1"))
    store.set_edge(E.KNOWS, (TM, "m1"), (KP, "p1"), {"level": "WEAK"})


def turn(store: GraphStore) -> None:
    store.set_edge(
        E.IN_DECISION_CHAIN,
        (KP, "p2"),
        (OPP, "o1"),
        {"role": "TECHNICAL_EVALUATOR", "attitude": "SUPPORTER"},
    )
    store.set_edge(
        E.IN_DECISION_CHAIN, (KP, "p3"), (OPP, "o1"), {"role": "USER", "needs": "uptime"}
    )
    store.set_edge(E.INFLUENCES, (KP, "p3"), (KP, "p1"), {"strength": "STRONG"})
    store.set_edge(E.CLOSE_TO, (CX, "x1"), (KP, "p3"), {"level": "STRONG"})
    store.set_edge(E.KNOWS, (TM, "m2"), (KP, "p3"), {"level": "MODERATE"})
    store.log_activity(
        {"type": "VISIT", "occurred_at": store.clock(), "outcome": "POSITIVE", "summary": "tea"},
        person_ids=["p1", "p3"],
        member_ids=["m1"],
        opportunity_id="o1",
    )
    store.update(KP, "p1", {"name": "Li Wei"})
    store.update(OPP, "o1", {"amount": 2000})


def churn(store: GraphStore) -> None:
    store.remove_edge(E.IN_DECISION_CHAIN, (KP, "p2"), (OPP, "o1"))
    store.set_edge(E.REPORTS_TO, (KP, "p4"), (KP, "p3"))  # re-points p4's manager
    store.set_edge(E.KNOWS, (TM, "m1"), (KP, "p1"), {"level": "STRONG"})
    store.remove_edge(E.INFLUENCES, (KP, "p3"), (KP, "p1"))
    store.delete(TM, "m2")
    store.set_edge(E.IN_DECISION_CHAIN, (KP, "p4"), (OPP, "o1"), {"role": "APPROVER"})
    store.update(OPP, "o1", {"quote_amount": 800})
    ps.submit_quote(store, store.get(OPP, "o1"))
    ps.update_resetting_quote(store, store.get(OPP, "o1"), {"quote_amount": 900})
    ps.advance_stage(
        store,
        opportunity=store.get(OPP, "o1"),
        to_stage=Stage.INITIATE,
        reason=None,
        lost_to_competitor_id=None,
        member_id="m1",
    )


def rejoin(store: GraphStore) -> None:
    """p2 put back on the chain: their place keeps the day it was first made, now and as of
    any instant."""
    store.set_edge(E.IN_DECISION_CHAIN, (KP, "p2"), (OPP, "o1"), {"role": "USER"})
    loaded = load_decision_chain(store, "o1")
    assert loaded is not None
    (p2,) = [m for m in loaded.snapshot.members if m.person_id == "p2"]
    first = min(
        int(e["at"])
        for e in store.audit_log("p2->o1", limit=10).items
        if e["operation"] == "set_edge"
    )
    assert p2.joined_at == first


def end(store: GraphStore) -> None:
    ps.advance_stage(  # moved back: the stage it left stays on record as the furthest reached
        store,
        opportunity=store.get(OPP, "o1"),
        to_stage=Stage.VALIDATE,
        reason="scope changed",
        lost_to_competitor_id=None,
        member_id="m1",
    )
    store.delete(KP, "p2")
    store.set_edge(
        E.IN_DECISION_CHAIN, (KP, "p3"), (OPP, "o1"), {"role": "USER", "attitude": "CHAMPION"}
    )
    visit = accept_suggestion(
        store,
        opportunity_id="o1",
        person_id="p1",
        owner_id="m1",
        props={"title": "Visit Li Wei", "action": "visit_decision_maker"},
    )
    demo = accept_suggestion(
        store,
        opportunity_id="o1",
        person_id="p3",
        owner_id="m1",
        props={"title": "Demo for Zhao", "action": "demo"},
    )
    assert visit is not None
    assert demo is not None
    store.create(TM, {"name": "Mo"}, node_id="m3")
    # the plan revised: the visit given to another and moved, the demo dropped
    change_item(
        store,
        item_id=visit["id"],
        version=visit["version"],
        props={"due_date": "2031-05-04"},
        owner_id="m3",
        about={"opportunity_id": "o1", "person_id": "p1"},
    )
    change_item(
        store,
        item_id=demo["id"],
        version=demo["version"],
        props={"status": "CANCELLED"},
        about={"opportunity_id": "o1", "person_id": "p3"},
        why=DropReason.TIMING,
        resume_on="2031-06-01",
    )


def lose(store: GraphStore) -> None:
    """The deal lost: the close cancels the play planned with it."""
    (planned,) = ps.open_plan_items(store, "o1")
    ps.advance_stage(
        store,
        opportunity=store.get(OPP, "o1"),
        to_stage=Stage.LOST,
        reason="lost on price",
        lost_to_competitor_id=None,
        member_id="m1",
    )
    assert store.get(NodeKind.WORK_PLAN_ITEM, planned)["status"] == "CANCELLED"


STEPS: tuple[Step, ...] = (start, turn, churn, rejoin, end, lose)


def test_every_step_of_a_scripted_deal_is_given_back_as_it_was_read(store: GraphStore) -> None:
    recorded: list[tuple[int, LoadedChain, LoadedChain, OrgChart]] = []
    for step in STEPS:
        step(store)
        instant = store.clock()
        chart = load_org_chart(store, "c1")
        assert chart is not None
        recorded.append((instant, _chain(store), _chain(store, with_connectors=True), chart))
    history = load_chain_history(store, "o1")
    connected = load_chain_history(store, "o1", with_connectors=True)
    assert history is not None
    assert connected is not None
    for instant, chain, with_connectors, chart in recorded:
        _same_chain(chain, history.chain_at(instant))
        _same_chain(with_connectors, connected.chain_at(instant))
        _same_chart(chart, load_org_chart_as_of(store, "c1", instant))
    assert load_chain_as_of(store, "o1", recorded[0][0] - 10_000) is None


def test_the_history_is_read_in_a_few_statements(store: GraphStore) -> None:
    for step in STEPS:
        step(store)
    store.round_trips = 0
    assert load_chain_history(store, "o1") is not None
    assert store.round_trips <= 4


def test_an_opportunity_the_caller_may_not_see_today_has_no_history(store: GraphStore) -> None:
    start(store)
    instant = store.clock()
    elsewhere = Scope(everything=False, customer_ids=frozenset({"c9"}))
    assert load_chain_as_of(store, "o1", instant, scope=elsewhere) is None
    assert load_org_chart_as_of(store, "c1", instant, scope=elsewhere) is None
    assert load_org_chart_as_of(store, "c1", 0).persons == []  # type: ignore[union-attr]
    own = Scope(everything=False, customer_ids=frozenset({"c1"}), opportunity_ids=frozenset({"o1"}))
    assert load_chain_as_of(store, "o1", instant, scope=own) is not None


def test_an_erased_person_is_gone_from_every_past_chain(store: GraphStore) -> None:
    start(store)
    turn(store)
    instant = store.clock()
    SecurityStore(store).erase_key_person("p3")
    then = load_chain_as_of(store, "o1", instant)
    assert then is not None
    assert "p3" not in then.persons
    assert {m.person_id for m in then.snapshot.members} == {"p1", "p2"}
    assert all("p3" not in a.person_ids for a in then.snapshot.activities)
    chart = load_org_chart_as_of(store, "c1", instant)
    assert chart is not None
    assert "p3" not in {p["id"] for p in chart.persons}


def test_a_revised_plan_is_given_back_as_it_was_revised(store: GraphStore) -> None:
    """The plan is no part of a chain's scores but is of its history: a step given to another
    is theirs from then on, a dropped one cancelled, each as the store has it."""
    for step in (start, turn, churn, end):
        step(store)
    history = load_chain_history(store, "o1")
    assert history is not None
    ((_, state),) = history.states([store.clock()])
    items = [i for i, _ in state.sources("PLANNED_FOR", "o1")]
    replayed = {
        state.nodes[i]["title"]: (
            state.nodes[i]["status"],
            state.nodes[i].get("due_date"),
            [m for m, _ in state.targets("ASSIGNED_TO", i)],
            state.nodes[i].get("drop_reason"),
            state.nodes[i].get("resume_on"),
        )
        for i in items
    }
    assert replayed == {
        "Visit Li Wei": ("OPEN", "2031-05-04", ["m3"], None, None),
        "Demo for Zhao": ("CANCELLED", None, ["m1"], "TIMING", "2031-06-01"),
    }
    # the chain as of now waits for the day the drop set, as the store's chain does
    now = load_chain_as_of(store, "o1", store.clock())
    assert now is not None
    (dropped,) = now.snapshot.dropped
    assert (dropped.reason, dropped.resume_on) == (DropReason.TIMING, "2031-06-01")
    # put off once (when, until which day), given up never
    assert (dropped.given_up, dropped.put_off) == (0, ((dropped.at, "2031-06-01"),))
    kept = load_decision_chain(store, "o1")
    assert kept is not None
    assert kept.snapshot.dropped == (dropped,)
    for i in items:
        stored = store.get(NodeKind.WORK_PLAN_ITEM, i)
        assert (stored["status"], stored["version"]) == (
            state.nodes[i]["status"],
            state.nodes[i]["version"],
        )


def test_a_departure_and_its_undo_are_given_back_as_they_were_recorded(store: GraphStore) -> None:
    """A key person who left the customer, and the mistaken record undone: each instant's chain
    as the store read it then, the step with them dropped for it and opened again."""
    for step in (start, turn, churn, end):
        step(store)
    recorded = [(store.clock(), _chain(store))]
    plan = departure_plan(store, "p1")
    assert plan is not None
    assert len(plan.item_ids) == 1  # the visit of Li Wei, still open
    record_departure(store, plan, left_on="2030-01-02", how=DepartureKind.ROTATED, to="HQ")
    recorded.append((store.clock(), _chain(store)))
    left = recorded[-1][1].snapshot
    (person,) = [p for p in left.persons if p.id == "p1"]
    at = store.get(NodeKind.KEY_PERSON, "p1")["left_recorded_at"]
    assert person.left == Departure("2030-01-02", DepartureKind.ROTATED, "HQ", at)
    assert store.get(NodeKind.WORK_PLAN_ITEM, plan.item_ids[0])["drop_reason"] == "PERSON_LEFT"
    # nobody gave up on the step: its person left
    assert [d.person_id for d in left.dropped] == ["p3"]  # the demo put off before
    # who holds the job now, named: given back as it was at each instant too
    set_successor(store, store.get(NodeKind.KEY_PERSON, "p1"), "p4")
    recorded.append((store.clock(), _chain(store)))
    (named,) = [p for p in recorded[-1][1].snapshot.persons if p.id == "p1"]
    assert named.left is not None
    assert named.left.successor_id == "p4"
    undo = departure_plan(store, "p1", undo=True)
    assert undo is not None
    assert undo.item_ids == plan.item_ids
    undo_departure(store, undo)
    recorded.append((store.clock(), _chain(store)))
    assert recorded[-1][1].snapshot == recorded[0][1].snapshot
    history = load_chain_history(store, "o1")
    assert history is not None
    for instant, chain in recorded:
        _same_chain(chain, history.chain_at(instant))


def _leaves(store: GraphStore, pid: str, on: str) -> None:
    plan = departure_plan(store, pid)
    assert plan is not None
    record_departure(store, plan, left_on=on, how=DepartureKind.MOVED, to=None)


def test_who_holds_a_job_is_followed_past_people_off_the_chain(store: GraphStore) -> None:
    """Li Wei (decision maker) left and Sun, off the chain, took his job; Sun left in turn and
    Qian, on the chain, holds it now: the chain carries Sun as the line between them (the
    job is Qian's, no seat is left), today and as it stood at each instant."""
    for step in (start, turn, churn, end):
        step(store)
    store.create_key_person("c1", {"name": "Sun"}, node_id="p5")
    _leaves(store, "p1", "2030-01-02")
    set_successor(store, store.get(NodeKind.KEY_PERSON, "p1"), "p5")
    recorded = [(store.clock(), _chain(store))]
    named = recorded[-1][1].snapshot
    assert [(p.id, p.name, p.left) for p in named.successors] == [("p5", "Sun", None)]
    assert named.holder_of("p1") == named.successors[0]
    (seat,) = named.present().seats
    assert (seat.left_by, seat.named) == ("p1", True)  # named, not on the chain

    _leaves(store, "p5", "2030-02-03")
    recorded.append((store.clock(), _chain(store)))
    gone = recorded[-1][1].snapshot
    assert gone.holder_of("p1") is None  # Sun left, nobody named for him yet
    (seat,) = gone.present().seats
    assert (seat.left_by, seat.named) == ("p1", False)

    set_successor(store, store.get(NodeKind.KEY_PERSON, "p5"), "p4")
    recorded.append((store.clock(), _chain(store)))
    held = recorded[-1][1].snapshot
    (sun,) = held.successors
    assert sun.left is not None
    assert sun.left.successor_id == "p4"
    holder = held.holder_of("p1")
    assert holder is not None
    assert holder.name == "Qian"
    assert held.present().seats == ()  # one job, Qian's: counted once
    # whoever sees the deal reads the same line (a kept chain is shared between them)
    deal_only = Scope(everything=False, opportunity_ids=frozenset({"o1"}))
    assert _chain(store, scope=deal_only).snapshot.successors == held.successors
    history = load_chain_history(store, "o1")
    assert history is not None
    for instant, chain in recorded:
        _same_chain(chain, history.chain_at(instant))


def test_the_steps_of_other_deals_with_one_who_left_are_read_with_the_chain(
    store: GraphStore,
) -> None:
    """Li Wei, who left, sits on a second deal too, which asks him for his successor: the
    first deal's chain reads that step (one ask for both deals), open and then dropped as
    refused, today and as it stood at each instant."""
    for step in (start, turn, churn, end):
        step(store)
    store.create_opportunity("c1", {"name": "PACS"}, node_id="o2")
    store.set_edge(E.IN_DECISION_CHAIN, (KP, "p1"), (OPP, "o2"), {"role": "DECISION_MAKER"})
    _leaves(store, "p1", "2030-01-02")
    recorded = [(store.clock(), _chain(store))]
    assert recorded[0][1].snapshot.asked_elsewhere == ()
    ask = accept_suggestion(
        store,
        opportunity_id="o2",
        person_id="p1",
        owner_id="m1",
        props={"title": "Ask Li Wei for his successor", "action": "successor_introduction"},
    )
    assert ask is not None
    recorded.append((store.clock(), _chain(store)))
    assert recorded[-1][1].snapshot.asked_elsewhere == (
        AskedElsewhere("p1", ask["id"], "o2", WorkPlanStatus.OPEN, None, ask["created_at"]),
    )
    change_item(
        store,
        item_id=ask["id"],
        version=ask["version"],
        props={"status": "CANCELLED"},
        why=DropReason.REFUSED,
        about={"opportunity_id": "o2", "person_id": "p1"},
    )
    recorded.append((store.clock(), _chain(store)))
    (refused,) = recorded[-1][1].snapshot.asked_elsewhere
    assert (refused.status, refused.drop_reason) == (WorkPlanStatus.CANCELLED, DropReason.REFUSED)
    # the second deal's chain holds its own step as its plan, and the first deal's visit
    # (dropped as he left) is no ask for his successor
    other = load_decision_chain(store, "o2")
    assert other is not None
    assert other.snapshot.asked_elsewhere == ()
    # asked again on the second deal, which is then lost: the step closes with it
    again = accept_suggestion(
        store,
        opportunity_id="o2",
        person_id="p1",
        owner_id="m1",
        props={"title": "Ask Li Wei again", "action": "successor_introduction"},
    )
    assert again is not None
    recorded.append((store.clock(), _chain(store)))
    ps.advance_stage(
        store,
        opportunity=store.get(OPP, "o2"),
        to_stage=Stage.LOST,
        reason="no budget",
        lost_to_competitor_id=None,
        member_id="m1",
    )
    recorded.append((store.clock(), _chain(store)))
    assert [a.status for a in recorded[-1][1].snapshot.asked_elsewhere] == [
        WorkPlanStatus.CANCELLED,
        WorkPlanStatus.CANCELLED,
    ]
    history = load_chain_history(store, "o1")
    assert history is not None
    for instant, chain in recorded:
        _same_chain(chain, history.chain_at(instant))
