"""The demo deal: promised size and shape, idempotent loading, a loadable decision chain, and
a story whose weaknesses really are in the graph."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

from dealgraph.demo import (
    DAY_MS,
    DEMO_CUSTOMER_ID,
    DEMO_OPPORTUNITY_ID,
    DemoSummary,
    demo_data,
    demo_story,
    load_demo,
)
from domain.model import EdgeKind, NodeKind
from domain.vocabulary import (
    Attitude,
    DecisionRole,
    InfluenceLevel,
    LifecyclePhase,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
)
from graph.backends.embedded import EmbeddedExecutor
from graph.chains import LoadedChain, load_decision_chain, load_org_chart
from graph.history import load_chain_history
from graph.store import GraphStore

NOW = 1_767_225_600_000  # 2026-01-01T00:00:00Z
CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
ASCII_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9 ,.&'()/-]*")
TIE_ORDER = list(TieStrength)


@pytest.fixture(scope="module")
def demo_executor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedExecutor]:
    """One embedded server for this module: starting and stopping one takes seconds."""
    executor = EmbeddedExecutor(tmp_path_factory.mktemp("demo"), fsync="no")
    yield executor
    executor.close()


@pytest.fixture
def demo_store(demo_executor: EmbeddedExecutor) -> GraphStore:
    """A store over an empty embedded graph whose clock stands still at NOW."""
    demo_executor.write("MATCH (n) DETACH DELETE n", {})
    store = GraphStore(demo_executor, clock=lambda: NOW)
    store.ensure_schema()
    return store


def edge_triples(store: GraphStore) -> list[tuple[str, str, str]]:
    rows = store.read("MATCH (a)-[r]->(b) RETURN type(r) AS kind, a.id AS src, b.id AS dst", {})
    return [(str(r["kind"]), str(r["src"]), str(r["dst"])) for r in rows]


def node_counts(store: GraphStore) -> dict[NodeKind, int]:
    return {kind: store.count(kind) for kind in NodeKind}


def chain_of(store: GraphStore) -> LoadedChain:
    loaded = load_decision_chain(store, DEMO_OPPORTUNITY_ID, with_connectors=True)
    assert loaded is not None
    return loaded


def tie_levels(
    store: GraphStore, edge: EdgeKind, source: NodeKind, people: list[str]
) -> dict[str, dict[str, TieStrength]]:
    """For each key person, the level of each incoming tie by the id of who holds it."""
    found = store.neighbours(edge, source, NodeKind.KEY_PERSON, people, incoming=True)
    return {
        pid: {n.node["id"]: TieStrength(n.edge["level"]) for n in ties}
        for pid, ties in found.items()
    }


def test_loading_gives_the_promised_deal(demo_store: GraphStore) -> None:
    summary = load_demo(demo_store)

    assert demo_store.count(NodeKind.CUSTOMER) == 1
    assert demo_store.count(NodeKind.KEY_PERSON) >= 20
    assert demo_store.count(NodeKind.ACTIVITY) >= 30
    assert demo_store.count(NodeKind.COMPETITOR) == 2
    opportunity = demo_store.get(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
    assert opportunity["stage"] in (Stage.REQUIREMENTS, Stage.VALUE_PRESENTATION)
    assert opportunity["grade"] in ("A", "B")
    assert opportunity["currency"] == "CNY"
    for money in ("amount", "budget", "quote_amount"):
        assert isinstance(opportunity[money], int)
        assert opportunity[money] > 1_000_000_00  # more than a million yuan, in fen
    assert opportunity["compelling_event"]
    assert opportunity["expected_close_date"] > "2026-01-01"
    assert opportunity["stage_entered_at"] < NOW

    assert isinstance(summary, DemoSummary)
    assert not summary.already_loaded
    assert summary.nodes_kept == 0
    assert summary.edges_kept == 0
    assert summary.key_persons == demo_store.count(NodeKind.KEY_PERSON)
    assert summary.activities == demo_store.count(NodeKind.ACTIVITY)
    assert len(summary.competitors) == 2
    text = str(summary)
    assert "demo loaded" in text
    assert "江州省人民医院集团" in text
    assert "4 价值呈现" in text
    assert "CNY 38,600,000.00" in text
    assert len(text.splitlines()) > 8


@pytest.mark.parametrize("days", range(7))
def test_the_demo_plan_falls_due_on_working_days(
    demo_executor: EmbeddedExecutor, days: int
) -> None:
    """A sales director: the demo's open steps fell due on Sundays. Loaded on any day of the
    week, they fall due as the plan sets due days: Monday to Friday."""
    demo_executor.write("MATCH (n) DETACH DELETE n", {})
    store = GraphStore(demo_executor, clock=lambda: NOW + days * DAY_MS)
    store.ensure_schema()
    load_demo(store)
    items = [store.get(NodeKind.WORK_PLAN_ITEM, str(i["id"])) for i in demo_data()["work_plan"]]
    due = [date.fromisoformat(str(item["due_date"])) for item in items]
    assert due
    assert all(day.weekday() < 5 for day in due), due


def test_iron_triangle_of_the_deal_phase_and_more(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    team = chain_of(demo_store).snapshot.team

    deal_roles = {t.role for t in team if t.phase is LifecyclePhase.DEAL}
    assert {
        TeamRole.ACCOUNT_MANAGER,
        TeamRole.SOLUTION_MANAGER,
        TeamRole.DELIVERY_MANAGER,
    } <= deal_roles
    roles = {(t.role, t.phase) for t in team}
    assert (TeamRole.LEAD_EXPERT, LifecyclePhase.ACQUISITION) in roles
    # the service manager serves the account (our LIS there), not this one deal
    on_account = demo_store.neighbours(
        EdgeKind.ON_TEAM,
        NodeKind.TEAM_MEMBER,
        NodeKind.CUSTOMER,
        [DEMO_CUSTOMER_ID],
        incoming=True,
    )[DEMO_CUSTOMER_ID]
    assert [(n.node["id"], n.edge["role"], n.edge["phase"]) for n in on_account] == [
        ("demo-tm-service", TeamRole.SERVICE_MANAGER, LifecyclePhase.DELIVERY)
    ]


def test_loading_twice_changes_nothing(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    counts = node_counts(demo_store)
    edges = edge_triples(demo_store)
    audit = demo_store.audit_log(None, limit=1).total

    again = load_demo(demo_store)

    assert again.already_loaded
    assert "already loaded" in str(again)
    assert again.nodes_kept == sum(counts.values())
    assert node_counts(demo_store) == counts
    assert Counter(edge_triples(demo_store)) == Counter(edges)
    assert demo_store.audit_log(None, limit=1).total == audit  # not even a no-op write


def test_no_duplicate_edges(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    load_demo(demo_store)
    doubled = [t for t, n in Counter(edge_triples(demo_store)).items() if n > 1]
    assert doubled == []


def test_a_partial_load_is_completed(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    counts = node_counts(demo_store)
    edges = Counter(edge_triples(demo_store))
    demo_store.delete(NodeKind.ACTIVITY, "demo-act-05")
    demo_store.remove_edge(
        EdgeKind.KNOWS,
        (NodeKind.TEAM_MEMBER, "demo-tm-account"),
        (NodeKind.KEY_PERSON, "demo-kp-cio"),
    )

    repaired = load_demo(demo_store)

    assert repaired.nodes_created == {"Activity": 1}
    assert repaired.edges_created == 1
    assert node_counts(demo_store) == counts
    assert Counter(edge_triples(demo_store)) == edges


def test_a_changed_reporting_line_is_not_reverted(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    demo_store.set_edge(
        EdgeKind.REPORTS_TO,
        (NodeKind.KEY_PERSON, "demo-kp-procurement"),
        (NodeKind.KEY_PERSON, "demo-kp-exec-vp"),
    )

    assert load_demo(demo_store).already_loaded
    chart = load_org_chart(demo_store, DEMO_CUSTOMER_ID)
    assert chart is not None
    managers = {t.from_id: t.to_id for t in chart.reports_to}
    assert managers["demo-kp-procurement"] == "demo-kp-exec-vp"


def test_decision_chain_loads(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    loaded = chain_of(demo_store)
    snap = loaded.snapshot

    assert 10 <= len(snap.members) <= 15
    roles = Counter(m.role for m in snap.members)
    assert roles[DecisionRole.DECISION_MAKER] == 1
    for role in DecisionRole:
        assert roles[role] >= 1, role
    assert {m.attitude for m in snap.members} == set(Attitude)
    assert all(m.needs for m in snap.members)
    assert {c.id for c in snap.competitors} == {"demo-comp-incumbent", "demo-comp-cloud"}
    assert {t.role for t in snap.team} >= {
        TeamRole.ACCOUNT_MANAGER,
        TeamRole.SOLUTION_MANAGER,
        TeamRole.DELIVERY_MANAGER,
    }
    assert {a.id for a in snap.activities} == {a["id"] for a in demo_data()["activities"]}
    assert snap.reports_to
    assert "demo-kp-president-office" in loaded.connector_ids
    assert len(snap.persons) == len(demo_data()["key_persons"])


def test_decision_chain_ties_and_activity_links(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    snap = chain_of(demo_store).snapshot
    data = demo_data()

    assert len(snap.influences) == len(data["influences"])
    assert len(snap.person_knows) == len(data["person_knows"])
    assert len(snap.team_knows) == sum(len(m["knows"]) for m in data["team"])
    assert {(t.competitor_id, t.person_id) for t in snap.competitor_ties} == {
        (c["id"], t["person"]) for c in data["competitors"] for t in c["close_to"]
    }
    links = {a["id"]: (set(a["persons"]), set(a["members"])) for a in data["activities"]}
    for activity in snap.activities:
        assert (set(activity.person_ids), set(activity.member_ids)) == links[activity.id]
        assert activity.opportunity_id == DEMO_OPPORTUNITY_ID


def test_activities_are_recent_and_fully_linked(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    data = demo_data()
    ids = [a["id"] for a in data["activities"]]
    stored = demo_store.get_many(NodeKind.ACTIVITY, ids)

    def linked(edge: EdgeKind, kind: NodeKind) -> dict[str, set[str]]:
        found = demo_store.neighbours(edge, NodeKind.ACTIVITY, kind, ids)
        return {i: {n.node["id"] for n in found[i]} for i in ids}

    people = linked(EdgeKind.WITH, NodeKind.KEY_PERSON)
    about = linked(EdgeKind.ABOUT, NodeKind.OPPORTUNITY)
    done_by = demo_store.neighbours(
        EdgeKind.DID, NodeKind.TEAM_MEMBER, NodeKind.ACTIVITY, ids, incoming=True
    )
    for activity in data["activities"]:
        node = stored[activity["id"]]
        assert NOW - 200 * DAY_MS < node["occurred_at"] < NOW
        assert people[activity["id"]] == set(activity["persons"])
        assert {n.node["id"] for n in done_by[activity["id"]]} == set(activity["members"])
        assert about[activity["id"]] == {DEMO_OPPORTUNITY_ID}
    oldest = min(node["occurred_at"] for node in stored.values())
    assert NOW - oldest > 150 * DAY_MS  # spread over about six months
    assert any(node.get("solution_reaction") for node in stored.values())
    assert any(node.get("price_reaction") for node in stored.values())


def test_names_are_chinese_with_english_titles(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    chart = load_org_chart(demo_store, DEMO_CUSTOMER_ID)
    assert chart is not None

    assert len(chart.persons) >= 20
    for person in chart.persons:
        assert CJK_NAME.fullmatch(person["name"]), person["name"]
        assert ASCII_TEXT.fullmatch(person["name_en"]), person["name_en"]
        works = chart.works_at[person["id"]]
        assert ASCII_TEXT.fullmatch(works["title"]), works["title"]
        assert ASCII_TEXT.fullmatch(works["department"]), works["department"]
    departments = {chart.works_at[p["id"]]["department"] for p in chart.persons}
    assert len(departments) >= 10
    roots = {p["id"] for p in chart.persons} - {t.from_id for t in chart.reports_to}
    assert roots == {"demo-kp-president", "demo-kp-party-secretary"}


def test_story_ids_exist(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    story = demo_story()
    assert story["zh"]
    assert story["en"]
    assert len(story["weaknesses"]) >= 5
    kinds = {
        "demo-kp-": NodeKind.KEY_PERSON,
        "demo-tm-": NodeKind.TEAM_MEMBER,
        "demo-comp-": NodeKind.COMPETITOR,
        "demo-opp-": NodeKind.OPPORTUNITY,
    }
    for weakness in story["weaknesses"]:
        assert weakness["zh"]
        assert weakness["en"]
        for node_id in weakness["ids"]:
            kind = next(k for prefix, k in kinds.items() if node_id.startswith(prefix))
            assert demo_store.get(kind, node_id)["id"] == node_id


def test_story_weaknesses_are_in_the_graph(demo_store: GraphStore) -> None:
    load_demo(demo_store)
    people = [p["id"] for p in demo_data()["key_persons"]]
    chain = {
        n.node["id"]: n.edge
        for n in demo_store.neighbours(
            EdgeKind.IN_DECISION_CHAIN,
            NodeKind.KEY_PERSON,
            NodeKind.OPPORTUNITY,
            [DEMO_OPPORTUNITY_ID],
            incoming=True,
        )[DEMO_OPPORTUNITY_ID]
    }
    managers = {
        pid: [n.node["id"] for n in found]
        for pid, found in demo_store.neighbours(
            EdgeKind.REPORTS_TO, NodeKind.KEY_PERSON, NodeKind.KEY_PERSON, people
        ).items()
    }
    our_ties = tie_levels(demo_store, EdgeKind.KNOWS, NodeKind.TEAM_MEMBER, people)
    allies = tie_levels(demo_store, EdgeKind.CLOSE_TO, NodeKind.COMPETITOR, people)
    met = demo_store.neighbours(
        EdgeKind.WITH, NodeKind.ACTIVITY, NodeKind.KEY_PERSON, people, incoming=True
    )
    strong = TIE_ORDER.index(TieStrength.STRONG)

    # the decision maker has never been met
    president = [pid for pid, e in chain.items() if e["role"] == DecisionRole.DECISION_MAKER]
    assert president == ["demo-kp-president"]
    assert chain["demo-kp-president"]["influence"] == InfluenceLevel.DECISIVE
    assert met["demo-kp-president"] == []
    assert our_ties["demo-kp-president"] == {}

    # a high-influence finance opponent close to a competitor
    finance = chain["demo-kp-chief-accountant"]
    assert finance["role"] == DecisionRole.FINANCE
    assert finance["attitude"] == Attitude.OPPONENT
    assert finance["influence"] == InfluenceLevel.HIGH
    level = allies["demo-kp-chief-accountant"]["demo-comp-cloud"]
    assert TIE_ORDER.index(level) >= strong

    # a competitor ally between our champion and the decision maker
    assert chain["demo-kp-cio"]["attitude"] == Attitude.CHAMPION
    assert managers["demo-kp-cio"] == ["demo-kp-exec-vp"]
    assert managers["demo-kp-exec-vp"] == ["demo-kp-president"]
    assert allies["demo-kp-exec-vp"]["demo-comp-incumbent"] is TieStrength.VERY_STRONG
    assert all(TIE_ORDER.index(t) < strong for t in our_ties["demo-kp-exec-vp"].values())

    # the delivery manager has not reviewed the draft quote, which is over budget
    opportunity = demo_store.get(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
    assert opportunity["quote_status"] == QuoteStatus.DRAFT
    assert opportunity["delivery_reviewed"] is False
    assert opportunity["quote_amount"] > opportunity["budget"]
    assert demo_store.get(NodeKind.TEAM_MEMBER, "demo-tm-delivery")["role"] == (
        TeamRole.DELIVERY_MANAGER
    )

    # no strong tie to procurement
    procurement = [pid for pid, e in chain.items() if e["role"] == DecisionRole.PROCUREMENT]
    assert procurement == ["demo-kp-procurement"]
    assert our_ties["demo-kp-procurement"]
    assert all(TIE_ORDER.index(t) < strong for t in our_ties["demo-kp-procurement"].values())


def test_data_file_is_consistent() -> None:
    data = demo_data()
    people = [p["id"] for p in data["key_persons"]]
    team = [m["id"] for m in data["team"]]
    assert len(set(people)) == len(people)
    assert len({p["name"] for p in data["key_persons"]}) == len(people)
    referenced = {p["reports_to"] for p in data["key_persons"] if p["reports_to"]}
    for activity in data["activities"]:
        referenced.update(activity["persons"])
        assert set(activity["members"]) <= set(team)
    for member in data["team"]:
        referenced.update(t["person"] for t in member["knows"])
    assert referenced <= set(people)
    assert all(node_id.startswith("demo-") for node_id in people + team)


def test_the_demo_history_tells_its_story_over_months(demo_store: GraphStore) -> None:
    """Loaded on one day, the demo still has a past: the chain as it stood before the first
    contact, each contact at its time, and the attitudes people took up along the way (the CIO
    a supporter after the first technical exchange, a champion after the reference visit; the
    chief accountant a skeptic after our first visit, an opponent after the pricing talk)."""
    load_demo(demo_store)
    history = load_chain_history(demo_store, DEMO_OPPORTUNITY_ID)
    assert history is not None
    first = min(e.at for e in history.entries)
    assert NOW - first > 180 * DAY_MS  # the day before the first contact, 181 days ago

    def attitudes(days_ago: int) -> dict[str, Attitude]:
        chain = history.chain_at(NOW - days_ago * DAY_MS)
        assert chain is not None
        return {m.person_id: m.attitude for m in chain.snapshot.members}

    cio, accountant = "demo-kp-cio", "demo-kp-chief-accountant"
    assert (attitudes(182)[cio], attitudes(182)[accountant]) == (Attitude.NEUTRAL,) * 2
    assert (attitudes(150)[cio], attitudes(150)[accountant]) == (
        Attitude.SUPPORTER,
        Attitude.NEUTRAL,
    )
    assert (attitudes(60)[cio], attitudes(60)[accountant]) == (Attitude.CHAMPION, Attitude.SKEPTIC)
    today = attitudes(0)
    assert (today[cio], today[accountant]) == (Attitude.CHAMPION, Attitude.OPPONENT)
    assert today == {m.person_id: m.attitude for m in chain_of(demo_store).snapshot.members}
    contacts = sorted(
        e.at
        for e in history.entries
        if e.operation == "create" and e.target.startswith("demo-act-")
    )
    assert len(contacts) == 34
    assert contacts[0] < NOW - 180 * DAY_MS


def test_every_attitude_story_ends_with_the_chains_attitude() -> None:
    for person in demo_data()["key_persons"]:
        story = person.get("attitudes")
        if story:
            assert person["chain"] is not None
            assert story[-1][0] == person["chain"]["attitude"], person["name"]
            activities = {a["id"] for a in demo_data()["activities"]}
            assert story[0][1] is None
            assert all(after in activities for _, after in story[1:])
