"""Decision chains and org charts (graph/chains.py): their contents, one store round trip per
load whatever the number of opportunities, and scope that hides other customers everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from store_support import Factory, counted, refused

from domain.chain import (
    CompetitorFacts,
    CompetitorTie,
    MemberFacts,
    PersonFacts,
    PersonTie,
    TeamAssignment,
    TeamKnows,
)
from domain.errors import ErrorCode
from domain.model import EdgeKind, NodeKind
from domain.vocabulary import (
    Attitude,
    CompetitivePosition,
    DecisionRole,
    InfluenceLevel,
    LifecyclePhase,
    NeedsFit,
    PricePosition,
    Stage,
    TeamRole,
    TieStrength,
)
from graph import process_store as ps
from graph import transfer as gt
from graph.chains import (
    DAY_MS,
    load_decision_chain,
    load_decision_chains,
    load_org_chart,
    load_sequenced_chains,
)
from graph.executor import Row
from graph.history import load_chain_history
from graph.scope import Scope
from graph.store import GraphStore
from strategy.engine import analyse

KP, OPP, TM, CX = (
    NodeKind.KEY_PERSON,
    NodeKind.OPPORTUNITY,
    NodeKind.TEAM_MEMBER,
    NodeKind.COMPETITOR,
)


def build_deal(store: GraphStore, make: Factory, suffix: str = "") -> None:
    """One customer with a mapped decision chain on one opportunity."""
    s = suffix
    make.customer(f"c1{s}", name=f"Hospital{s}")
    store.create_key_person(
        f"c1{s}", {"name": "Li"}, {"title": "CIO", "department": "IT"}, node_id=f"p1{s}"
    )
    store.create_key_person(f"c1{s}", {"name": "Wang"}, {"title": "Dean"}, node_id=f"p2{s}")
    store.create_key_person(f"c1{s}", {"name": "Zhao"}, node_id=f"p3{s}")
    store.create_key_person(f"c1{s}", {"name": "Qian"}, node_id=f"p4{s}")
    make.opportunity(f"c1{s}", f"o1{s}", name=f"HIS{s}", stage="BIDDING", amount=1000)
    store.create(TM, {"name": f"Me{s}"}, node_id=f"m1{s}")
    store.create(CX, {"name": f"Rival{s}"}, node_id=f"x1{s}")
    o = (OPP, f"o1{s}")
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (KP, f"p1{s}"),
        o,
        {"role": "TECHNICAL_EVALUATOR", "attitude": "SUPPORTER", "needs": "uptime"},
    )
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (KP, f"p2{s}"),
        o,
        {"role": "DECISION_MAKER", "influence": "DECISIVE"},
    )
    store.set_edge(EdgeKind.REPORTS_TO, (KP, f"p1{s}"), (KP, f"p2{s}"))
    store.set_edge(EdgeKind.REPORTS_TO, (KP, f"p3{s}"), (KP, f"p1{s}"))  # p3: a connector
    store.set_edge(EdgeKind.INFLUENCES, (KP, f"p1{s}"), (KP, f"p2{s}"), {"strength": "STRONG"})
    store.set_edge(EdgeKind.KNOWS, (KP, f"p2{s}"), (KP, f"p1{s}"), {"level": "WEAK"})
    store.set_edge(EdgeKind.ON_TEAM, (TM, f"m1{s}"), o, {"role": "ACCOUNT_MANAGER"})
    store.set_edge(
        EdgeKind.KNOWS, (TM, f"m1{s}"), (KP, f"p1{s}"), {"level": "STRONG", "since": "2024-01-01"}
    )
    store.set_edge(EdgeKind.COMPETES_FOR, (CX, f"x1{s}"), o, {"position": "LEADING"})
    store.set_edge(EdgeKind.CLOSE_TO, (CX, f"x1{s}"), (KP, f"p2{s}"), {"level": "VERY_STRONG"})
    now = store.clock()
    make.activity(
        [f"p1{s}", f"p2{s}"],
        f"a1{s}",
        member_ids=(f"m1{s}",),
        opportunity_id=f"o1{s}",
        occurred_at=now,
    )
    make.activity([f"p2{s}"], f"a0{s}", occurred_at=now - 800 * DAY_MS)  # outside the window


@pytest.fixture
def make(store: GraphStore) -> Factory:
    return Factory(store)


@pytest.fixture
def deal(store: GraphStore, make: Factory) -> GraphStore:
    build_deal(store, make)
    return store


@pytest.fixture
def two_deals(store: GraphStore, make: Factory) -> GraphStore:
    """The same deal twice, at two customers: each load must see only its own."""
    build_deal(store, make)
    build_deal(store, make, "b")
    return store


def check_deal(store: GraphStore, s: str = "") -> None:
    loaded = load_decision_chain(store, f"o1{s}", with_connectors=True)
    assert loaded is not None
    snap = loaded.snapshot
    assert snap.opportunity.id == f"o1{s}"
    assert snap.opportunity.customer_id == f"c1{s}"
    assert snap.opportunity.customer_name == f"Hospital{s}"
    assert snap.opportunity.stage is Stage.BIDDING
    assert snap.opportunity.amount == 1000
    # each member's day on the chain is the day their place was made
    joined = {
        str(r["id"]): r["at"]
        for r in store.executor.read(
            "MATCH (p:KeyPerson)-[m:IN_DECISION_CHAIN]->(:Opportunity {id: $o})"
            " RETURN p.id AS id, m.created_at AS at",
            {"o": f"o1{s}"},
        )
    }
    assert all(isinstance(at, int) for at in joined.values())
    assert sorted(snap.members, key=lambda m: m.person_id) == [
        MemberFacts(
            f"p1{s}",
            DecisionRole.TECHNICAL_EVALUATOR,
            InfluenceLevel.MEDIUM,
            Attitude.SUPPORTER,
            "uptime",
            NeedsFit.UNKNOWN,
            joined_at=joined[f"p1{s}"],
        ),
        MemberFacts(
            f"p2{s}",
            DecisionRole.DECISION_MAKER,
            InfluenceLevel.DECISIVE,
            Attitude.NEUTRAL,
            joined_at=joined[f"p2{s}"],
        ),
    ]
    assert sorted(snap.persons, key=lambda p: p.id) == [
        PersonFacts(f"p1{s}", "Li", "CIO", "IT"),
        PersonFacts(f"p2{s}", "Wang", "Dean", None),
        PersonFacts(f"p3{s}", "Zhao", None, None),
    ]
    assert loaded.connector_ids == (f"p3{s}",)
    assert sorted(snap.reports_to, key=lambda t: t.from_id) == [
        PersonTie(f"p1{s}", f"p2{s}"),
        PersonTie(f"p3{s}", f"p1{s}"),
    ]
    assert snap.influences == (PersonTie(f"p1{s}", f"p2{s}", TieStrength.STRONG),)
    assert snap.person_knows == (PersonTie(f"p2{s}", f"p1{s}", TieStrength.WEAK),)
    assert snap.team == (
        TeamAssignment(f"m1{s}", f"Me{s}", TeamRole.ACCOUNT_MANAGER, LifecyclePhase.DEAL),
    )
    assert snap.team_knows == (TeamKnows(f"m1{s}", f"p1{s}", TieStrength.STRONG, "2024-01-01"),)
    assert snap.competitors == (
        CompetitorFacts(f"x1{s}", f"Rival{s}", CompetitivePosition.LEADING, PricePosition.UNKNOWN),
    )
    assert snap.competitor_ties == (CompetitorTie(f"x1{s}", f"p2{s}", TieStrength.VERY_STRONG),)
    [activity] = snap.activities
    assert activity.id == f"a1{s}"
    assert activity.person_ids == (f"p1{s}", f"p2{s}")
    assert activity.member_ids == (f"m1{s}",)
    assert activity.opportunity_id == f"o1{s}"


def test_decision_chain_alone_in_the_graph(deal: GraphStore) -> None:
    check_deal(deal)


def test_decision_chain_among_other_deals(two_deals: GraphStore) -> None:
    check_deal(two_deals)
    check_deal(two_deals, "b")


def test_decision_chain_members_and_opportunity(deal: GraphStore) -> None:
    """The parts of the chain that hold on every back end today."""
    loaded = load_decision_chain(deal, "o1")
    assert loaded is not None
    snap = loaded.snapshot
    assert snap.opportunity.name == "HIS"
    assert {m.person_id: m.role for m in snap.members} == {
        "p1": DecisionRole.TECHNICAL_EVALUATOR,
        "p2": DecisionRole.DECISION_MAKER,
    }
    assert loaded.connector_ids == ()
    assert {p.id for p in snap.persons} == {"p1", "p2"}
    assert [c.id for c in snap.competitors] == ["x1"]
    assert [t.member_id for t in snap.team] == ["m1"]
    assert [a.id for a in snap.activities] == ["a1"]
    assert loaded.opportunity["id"] == "o1"
    assert loaded.customer["id"] == "c1"


def test_a_deal_imported_without_its_stage_date_entered_its_stage_when_created(
    store: GraphStore,
) -> None:
    """The tender's start (a dinner with an evaluator after it is a breach) and the idle count
    need the day the deal entered its stage; an import may not carry it."""
    stamp = {"version": 1, "created_at": 1_700_000_000_000, "updated_at": 1_700_000_000_000}
    gt.import_nodes(store, NodeKind.CUSTOMER, [{"id": "c1", "name": "Hospital", **stamp}])
    deal = {"id": "o1", "name": "HIS", "stage": "BIDDING", "currency": "CNY", **stamp}
    gt.import_nodes(store, NodeKind.OPPORTUNITY, [deal])
    link = {"from_id": "o1", "to_id": "c1", "props": {"created_at": stamp["created_at"]}}
    gt.import_edges(store, (EdgeKind.FOR, NodeKind.OPPORTUNITY, NodeKind.CUSTOMER), [link])
    loaded = load_decision_chain(store, "o1")
    assert loaded is not None
    assert loaded.snapshot.opportunity.stage_entered_at == 1_700_000_000_000


def test_unknown_opportunity_has_no_chain(deal: GraphStore) -> None:
    assert load_decision_chain(deal, "nope") is None
    assert load_decision_chains(deal, []) == {}


@pytest.mark.parametrize("count", [1, 12])
def test_decision_chains_load_in_one_round_trip(
    store: GraphStore, make: Factory, count: int
) -> None:
    make.customer("c1")
    for i in range(count):
        make.opportunity("c1", f"o{i}")
        make.person("c1", f"p{i}")
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, (KP, f"p{i}"), (OPP, f"o{i}"), {"role": "USER"})
    wanted = [f"o{i}" for i in range(count)]
    chains, trips = counted(
        store, lambda: load_decision_chains(store, [*wanted, "nope"], with_connectors=True)
    )
    assert trips == 1
    assert sorted(chains) == sorted(wanted)
    for i in range(count):
        assert [m.person_id for m in chains[f"o{i}"].snapshot.members] == [f"p{i}"]


def test_activities_shared_by_chains_come_once(
    store: GraphStore, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A customer's people sit in many of its deals' chains: each chain holds the recent
    activities about its deal and those with its members about anything else, while the load
    answers with each activity once however many chains hold it."""
    make.customer("c1")
    for deal in ("o1", "o2", "o3"):
        make.opportunity("c1", deal)
    make.person("c1", "shared")
    make.person("c1", "only1")
    make.person("c1", "outside")
    store.create(TM, {"name": "Me"}, node_id="m1")
    for person, deal in (("shared", "o1"), ("shared", "o2"), ("only1", "o1")):
        store.set_edge(EdgeKind.IN_DECISION_CHAIN, (KP, person), (OPP, deal), {"role": "USER"})
    now = store.clock()
    make.activity(["shared", "only1"], "about1", member_ids=("m1",), opportunity_id="o1")
    make.activity(["outside"], "about2", opportunity_id="o2", occurred_at=now - DAY_MS)
    make.activity(["shared"], "about3", opportunity_id="o3", occurred_at=now - 2 * DAY_MS)
    make.activity(["shared"], "no-deal", occurred_at=now - 3 * DAY_MS)
    make.activity(["shared"], "old", opportunity_id="o1", occurred_at=now - 800 * DAY_MS)
    answered: list[Any] = []
    read = store.read

    def recorded(statement: str, params: Mapping[str, Any]) -> list[Row]:
        answered.extend(rows := read(statement, params))
        return rows

    monkeypatch.setattr(store, "read", recorded)
    chains = load_decision_chains(store, ["o1", "o2", "o3"])

    def held(deal: str) -> list[tuple[str, str | None, tuple[str, ...], tuple[str, ...]]]:
        return [
            (a.id, a.opportunity_id, a.person_ids, a.member_ids)
            for a in chains[deal].snapshot.activities
        ]

    assert held("o1") == [
        ("no-deal", None, ("shared",), ()),
        ("about3", "o3", ("shared",), ()),
        ("about1", "o1", ("only1", "shared"), ("m1",)),
    ]
    assert held("o2") == [
        ("no-deal", None, ("shared",), ()),
        ("about3", "o3", ("shared",), ()),
        ("about2", "o2", ("outside",), ()),
        ("about1", "o1", ("only1", "shared"), ("m1",)),
    ]
    assert held("o3") == [("about3", "o3", ("shared",), ())]
    assert sorted(chains["o2"].activities) == ["about1", "about2", "about3", "no-deal"]
    assert _activity_nodes(answered) == ["about1", "about2", "about3", "no-deal"]


def _activity_nodes(value: Any) -> list[str]:
    """The ids of the activity nodes in a statement's answer, as often as they come."""
    if isinstance(value, dict):
        if "occurred_at" in value and "id" in value:
            return [value["id"]]
        return sorted(i for v in value.values() for i in _activity_nodes(v))
    if isinstance(value, list):
        return sorted(i for v in value for i in _activity_nodes(v))
    return []


def test_org_chart(deal: GraphStore) -> None:
    chart, trips = counted(deal, lambda: load_org_chart(deal, "c1"))
    assert trips == 1
    assert chart is not None
    assert chart.customer["id"] == "c1"
    assert [p["name"] for p in chart.persons] == ["Li", "Qian", "Wang", "Zhao"]
    assert chart.works_at["p1"]["title"] == "CIO"
    assert sorted(chart.reports_to, key=lambda t: t.from_id) == [
        PersonTie("p1", "p2"),
        PersonTie("p3", "p1"),
    ]
    assert load_org_chart(deal, "nope") is None


def test_org_chart_influences(deal: GraphStore) -> None:
    chart = load_org_chart(deal, "c1")
    assert chart is not None
    assert chart.influences == (PersonTie("p1", "p2", TieStrength.STRONG),)


def test_org_chart_among_other_customers(two_deals: GraphStore) -> None:
    for s in ("", "b"):
        chart = load_org_chart(two_deals, f"c1{s}")
        assert chart is not None
        assert sorted(chart.reports_to, key=lambda t: t.from_id) == [
            PersonTie(f"p1{s}", f"p2{s}"),
            PersonTie(f"p3{s}", f"p1{s}"),
        ]
        assert chart.influences == (PersonTie(f"p1{s}", f"p2{s}", TieStrength.STRONG),)


# --- scope ---------------------------------------------------------------------------------

ONLY_FIRST = Scope(
    everything=False, customer_ids=frozenset({"c1"}), opportunity_ids=frozenset({"o1"})
)


def test_scope_hides_other_customers_in_reads(two_deals: GraphStore) -> None:
    store = two_deals
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(NodeKind.CUSTOMER, "c1b", scope=ONLY_FIRST)
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(NodeKind.OPPORTUNITY, "o1b", scope=ONLY_FIRST)
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(NodeKind.KEY_PERSON, "p1b", scope=ONLY_FIRST)
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.get(NodeKind.ACTIVITY, "a1b", scope=ONLY_FIRST)
    assert store.get(NodeKind.KEY_PERSON, "p1", scope=ONLY_FIRST)["name"] == "Li"
    visible = store.get_many(NodeKind.KEY_PERSON, ["p1", "p2", "p1b", "p2b"], scope=ONLY_FIRST)
    assert sorted(visible) == ["p1", "p2"]

    def listed(kind: NodeKind) -> list[str]:
        return sorted(n["id"] for n in store.list_page(kind, limit=100, scope=ONLY_FIRST).items)

    assert listed(NodeKind.CUSTOMER) == ["c1"]
    assert listed(NodeKind.OPPORTUNITY) == ["o1"]
    assert listed(NodeKind.KEY_PERSON) == ["p1", "p2", "p3", "p4"]
    assert listed(NodeKind.ACTIVITY) == ["a0", "a1"]
    assert store.list_page(NodeKind.CUSTOMER, scope=ONLY_FIRST).total == 1
    # competitors and our own people are not customer data
    assert listed(NodeKind.COMPETITOR) == ["x1", "x1b"]


def test_scope_hides_other_customers_across_edges(two_deals: GraphStore) -> None:
    store = two_deals
    rivals_deals = store.neighbours(EdgeKind.COMPETES_FOR, CX, OPP, ["x1", "x1b"], scope=ONLY_FIRST)
    assert [n.node["id"] for n in rivals_deals["x1"]] == ["o1"]
    assert rivals_deals["x1b"] == []
    allies = store.neighbours(EdgeKind.CLOSE_TO, CX, KP, ["x1b"], scope=ONLY_FIRST)
    assert allies["x1b"] == []
    staff = store.neighbours(
        EdgeKind.WORKS_AT, KP, NodeKind.CUSTOMER, ["c1", "c1b"], incoming=True, scope=ONLY_FIRST
    )
    assert len(staff["c1"]) == 4
    assert staff["c1b"] == []


def test_scope_hides_other_customers_in_chains_and_charts(two_deals: GraphStore) -> None:
    store = two_deals
    chains = load_decision_chains(store, ["o1", "o1b"], scope=ONLY_FIRST)
    assert sorted(chains) == ["o1"]
    assert load_decision_chain(store, "o1b", scope=ONLY_FIRST) is None
    assert load_org_chart(store, "c1b", scope=ONLY_FIRST) is None
    assert load_org_chart(store, "c1", scope=ONLY_FIRST) is not None


def test_chains_are_read_for_the_deals_a_scope_names_only(two_deals: GraphStore) -> None:
    """The ids are cut to the scope before the chain statement, which carries no check of
    its own (on FalkorDB one after its UNWIND costs per deal as much as the scope is long)."""
    store = two_deals
    sent: list[list[str]] = []
    read = store.read

    def spied(statement: str, params: Any) -> Any:
        sent.append(list(params["ids"]))
        return read(statement, params)

    store.read = spied  # type: ignore[method-assign]
    assert sorted(load_decision_chains(store, ["o1b", "o1", "o1"], scope=ONLY_FIRST)) == ["o1"]
    assert sent == [["o1"]]
    assert load_sequenced_chains(store, ["o1b"], scope=ONLY_FIRST).chains == {}
    assert len(sent) == 1  # nothing visible asked: no round trip
    assert sorted(load_decision_chains(store, ["o1b", "o1"])) == ["o1", "o1b"]


def test_scope_refuses_writes_to_hidden_nodes(two_deals: GraphStore) -> None:
    store = two_deals
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.update(NodeKind.CUSTOMER, "c1b", {"region": "East"}, scope=ONLY_FIRST)
    with refused(store, ErrorCode.NOT_FOUND, "id"):
        store.delete(NodeKind.OPPORTUNITY, "o1b", scope=ONLY_FIRST)


def test_chain_shows_nothing_of_other_customers(two_deals: GraphStore) -> None:
    loaded = load_decision_chain(two_deals, "o1", scope=ONLY_FIRST, with_connectors=True)
    assert loaded is not None
    snap = loaded.snapshot
    mentioned = {p.id for p in snap.persons}
    mentioned |= {t.from_id for t in snap.reports_to + snap.influences + snap.person_knows}
    mentioned |= {t.to_id for t in snap.reports_to + snap.influences + snap.person_knows}
    mentioned |= {t.person_id for t in snap.team_knows} | {
        t.person_id for t in snap.competitor_ties
    }
    mentioned |= {a.id for a in snap.activities}
    assert not {m for m in mentioned if m.endswith("b")}


def test_our_people_and_competitors_off_the_deal_are_named_by_name(deal: GraphStore) -> None:
    """One of our people who is not on the deal's team but knows a member, and a competitor
    not on the deal but close to one (a watch item, not a camp: it is not bidding here), are
    named in the judgements' texts, never by id."""
    deal.create(TM, {"name": "Zhao Outsider"}, node_id="m9")
    deal.set_edge(EdgeKind.KNOWS, (TM, "m9"), (KP, "p2"), {"level": "VERY_STRONG"})
    deal.create(CX, {"name": "Bystander Soft"}, node_id="x9")
    deal.set_edge(EdgeKind.CLOSE_TO, (CX, "x9"), (KP, "p1"), {"level": "STRONG"})
    loaded = load_decision_chain(deal, "o1")
    assert loaded is not None
    names = dict(loaded.snapshot.names)
    assert (names["m9"], names["x9"]) == ("Zhao Outsider", "Bystander Soft")
    full = analyse(loaded.snapshot, deal.clock(), include_plan=False)
    scores = full.scores_of("p2")
    assert scores is not None
    texts = [r.text_en for r in scores.closeness.reasons]
    assert "Strongest team tie: Zhao Outsider (Very strong)" in texts
    assert not [c for c in full.analysis.camps if c.competitor_id == "x9"]
    (watch,) = [f for f in full.analysis.red_flags if f.code == "CLOSE_TO_NON_BIDDER"]
    assert watch.competitor_ids == ("x9",)
    assert "close to Bystander Soft, which is not bidding on this deal" in watch.text_en


def test_the_close_date_s_moves_are_recorded_with_the_stage_they_were_made_at(
    deal: GraphStore,
) -> None:
    """Every change of the close date (set, moved, cleared), with the deal's stage then, comes
    with the chain; a write of the same date is no move, and the change's audit entry holds
    only what the user changed."""
    o = "o1"
    for close in ("2026-03-31", "2026-03-31", "2026-06-30", None, "2026-07-31"):
        version = deal.get(OPP, o)["version"]
        deal.update(OPP, o, {"expected_close_date": close}, expected_version=version)
    chain = load_decision_chain(deal, o)
    assert chain is not None
    moves = chain.snapshot.opportunity.close_date_moves
    assert [(m.before, m.after, m.stage) for m in moves] == [
        (None, "2026-03-31", Stage.BIDDING),
        ("2026-03-31", "2026-06-30", Stage.BIDDING),
        ("2026-06-30", None, Stage.BIDDING),
        (None, "2026-07-31", Stage.BIDDING),
    ]
    entry = deal.audit_log(o, limit=1).items[0]
    assert "close_date_moves" not in entry["changes"]


def test_a_quote_change_that_resets_the_review_records_the_close_date_s_move_too(
    deal: GraphStore,
) -> None:
    o = "o1"
    deal.update(OPP, o, {"expected_close_date": "2026-03-31", "quote_amount": 900})
    current = deal.get(OPP, o)
    reviewed = deal.update(OPP, o, {"delivery_reviewed": True}, expected_version=current["version"])
    ps.update_resetting_quote(
        deal, reviewed, {"quote_amount": 950, "expected_close_date": "2026-04-30"}
    )
    chain = load_decision_chain(deal, o)
    assert chain is not None
    moves = chain.snapshot.opportunity.close_date_moves
    assert [(m.before, m.after) for m in moves] == [
        (None, "2026-03-31"),
        ("2026-03-31", "2026-04-30"),
    ]


def test_the_quote_s_changes_are_recorded_and_replayed_as_of_each_instant(
    deal: GraphStore,
) -> None:
    """Every change of the quote amount comes with the chain, the one that resets a reviewed
    quote too; a write of the same amount is no change, the audit entry holds only what the
    user changed, and the chain replayed as of an instant holds the changes made up to it."""
    o = "o1"
    deal.update(OPP, o, {"quote_amount": 900})
    deal.update(OPP, o, {"quote_amount": 900})
    current = deal.get(OPP, o)
    reviewed = deal.update(OPP, o, {"delivery_reviewed": True}, expected_version=current["version"])
    between = deal.clock()
    ps.update_resetting_quote(deal, reviewed, {"quote_amount": 800})
    chain = load_decision_chain(deal, o)
    assert chain is not None
    moves = chain.snapshot.opportunity.quote_moves
    assert [(m.before, m.after) for m in moves] == [(None, 900), (900, 800)]
    assert moves[0].at <= between < moves[1].at
    assert all("quote_moves" not in e["changes"] for e in deal.audit_log(o, limit=5).items)
    history = load_chain_history(deal, o)
    assert history is not None
    then = history.chain_at(between)
    now = history.chain_at(deal.clock())
    assert then is not None
    assert now is not None
    assert then.snapshot.opportunity.quote_moves == moves[:1]
    assert now.snapshot.opportunity.quote_moves == moves
