"""The team's everyday writes and the violations they mend or break, as deployed: an account
manager logs in as themselves, a deal has gone idle and its required actions are overdue (the
store clock is backdated), the sweep raised them; the visit, the work plan result, the decision
maker named resolve theirs in the same request, with the audit entry and the webhook event the
sweep would have written; a contact deleted raises the idle violation again at once. A failing
check never fails the write: the next sweep catches up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from api_helpers import DAY_MS, Api, gid, raw, serve
from people import Person, add_person, add_team, manage

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore
from graph.workplans import accept_suggestion
from resolvers import violations

AM, DIRECTOR = "m-am", "m-director"
LOGINS = {AM: ("li.am", "account_manager"), DIRECTOR: ("zhou.director", "sales_director")}
ERR = "userErrors { field message code }"

SWEEP = "mutation { violationsSweep { created { rule subject } resolved { rule } } }"
OPEN = """query($f: ViolationFilter) { violations(filter: $f, first: 20) {
  nodes { id key rule subject resolvedAt } } }"""
OPEN_WORDED = """query($f: ViolationFilter) { violations(filter: $f, first: 20) {
  nodes { id message evidence } } }"""
LOG = f"""mutation($i: ActivityLogInput!) {{
  activityLog(input: $i) {{ activity {{ id version }} {ERR} }} }}"""
DELETE = f"mutation($id: ID!) {{ activityDelete(id: $id) {{ deletedId {ERR} }} }}"
RECORD = f"""mutation($id: ID!, $i: WorkPlanResultInput!) {{
  workPlanItemResultRecord(id: $id, input: $i) {{ workPlanItem {{ status }} {ERR} }} }}"""
CHAIN = f"""mutation($i: DecisionChainMemberInput!) {{
  decisionChainMemberSet(input: $i) {{ opportunity {{ id }} {ERR} }} }}"""
UNCHAIN = f"""mutation($i: DecisionChainMemberInput!) {{
  decisionChainMemberRemove(input: $i) {{ opportunity {{ id }} {ERR} }} }}"""


@dataclass(frozen=True)
class World:
    store: GraphStore
    api: Api
    people: dict[str, Person]

    def run(self, query: str, variables: dict[str, Any] | None = None, *, by: str) -> Any:
        """A document sent with ``by``'s own token; GraphQL errors fail the test."""
        result = self.api.as_(self.people[by]).body(query, variables)
        assert "errors" not in result, result
        return result["data"]


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """Deal o1 of a hospital, its account manager and the director over them, each with their
    own login; entered its stage 40 days ago and nobody has met the customer since."""
    store.create(NodeKind.TEAM_MEMBER, {"name": "Li Na"}, node_id=AM)
    store.create(
        NodeKind.TEAM_MEMBER, {"name": "Zhou Wei", "role": "SALES_DIRECTOR"}, node_id=DIRECTOR
    )
    store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    store.create_opportunity("c1", {"name": "Smart hospital"}, node_id="o1")
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, AM),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "ACCOUNT_MANAGER"},
    )
    store.create_key_person("c1", {"name": "Director Zhao"}, node_id="p1")
    people = add_team(store, LOGINS)
    manage(store, DIRECTOR, [AM])
    with serve(store) as api:
        yield World(store, api, people)


def backdate(world: World, stage: str | None = None) -> None:
    """The deal entered its stage (``stage`` when given) 40 days ago, with the people on its
    chain by then; the sweep finds it idle and its stage's required actions overdue."""
    if stage is not None:
        world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": stage})
    at = world.store.clock() - 40 * DAY_MS
    world.store.executor.write(
        "MATCH (o:Opportunity {id: 'o1'}) SET o.stage_entered_at = $at", {"at": at}
    )
    world.store.executor.write(
        "MATCH (:KeyPerson)-[m:IN_DECISION_CHAIN]->(:Opportunity {id: 'o1'})"
        " SET m.created_at = $at",
        {"at": at},
    )
    world.run(SWEEP, by=DIRECTOR)


def listed(world: World, **f: Any) -> dict[str, dict[str, Any]]:
    """The deal's violations as its account manager sees them, by key."""
    nodes = world.run(OPEN, {"f": {"opportunityId": gid("Opportunity", "o1"), **f}}, by=AM)
    return {v["key"]: v for v in nodes["violations"]["nodes"]}


def now_iso(world: World) -> str:
    return datetime.fromtimestamp(world.store.clock() / 1000, UTC).isoformat()


def log_visit(world: World, kind: str = "VISIT") -> dict[str, Any]:
    data = world.run(
        LOG,
        {
            "i": {
                "type": kind,
                "occurredAt": now_iso(world),
                "summary": "Walked the wards with the director",
                "personIds": [gid("KeyPerson", "p1")],
                "opportunityId": gid("Opportunity", "o1"),
            }
        },
        by=AM,
    )["activityLog"]
    assert data["userErrors"] == []
    activity: dict[str, Any] = data["activity"]
    return activity


def detections(world: World) -> list[dict[str, Any]]:
    """The audit entries of the checks after a write, oldest first."""
    entries = world.store.audit_log("o1", limit=50).items
    found = [e for e in entries if e["operation"] == "violations_detect"]
    return sorted(found, key=lambda e: int(e["at"]))


def resolved_events(world: World) -> set[str]:
    """The keys of the violations the webhook outbox says were resolved (its events name
    each violation by id)."""
    rows = world.store.executor.read(
        "MATCH (e:WebhookEvent {type: 'violation.resolved'}) RETURN e.payload AS payload", {}
    )
    ids = {str(json.loads(str(r["payload"]))["data"]["id"]) for r in rows}
    return {key for key, v in listed(world, resolved=True).items() if raw(v["id"]) in ids}


IDLE = "OPPORTUNITY_IDLE:o1:idle"


def test_a_visit_logged_resolves_the_idle_violation_at_once(world: World) -> None:
    backdate(world)
    assert set(listed(world, open=True)) == {IDLE, "ACTION_OVERDUE:o1:decision_maker_identified"}

    activity = log_visit(world)

    still = listed(world, open=True)
    assert set(still) == {"ACTION_OVERDUE:o1:decision_maker_identified"}  # no one was named
    idle = listed(world, resolved=True)[IDLE]
    assert idle["resolvedAt"] is not None
    [entry] = detections(world)
    assert json.loads(entry["changes"])["resolved"] == [IDLE]
    assert entry["actor_name"] == "li.am"
    assert resolved_events(world) == {IDLE}

    # The only contact deleted: the deal is idle again, raised by the delete itself.
    deleted = world.run(DELETE, {"id": activity["id"]}, by=AM)["activityDelete"]
    assert deleted["userErrors"] == []
    again = listed(world, open=True)
    assert IDLE in again
    assert again[IDLE]["id"] != idle["id"]
    assert json.loads(detections(world)[-1]["changes"])["new"] == [IDLE]


def test_the_account_manager_reads_how_long_the_deal_has_been_idle_now(world: World) -> None:
    """Raised on day 40, read on day 55: the same violation, saying 55 days (in each
    language), not the 40 it said when the sweep first found it."""
    backdate(world)
    first = world.run(OPEN_WORDED, {"f": {"open": True, "rule": "OPPORTUNITY_IDLE"}}, by=AM)
    (idle,) = first["violations"]["nodes"]
    assert idle["message"] == "No customer activity for 40 days (limit 30)"
    world.store.executor.write(
        "MATCH (o:Opportunity {id: 'o1'}) SET o.stage_entered_at = $at",
        {"at": world.store.clock() - 55 * DAY_MS},
    )
    world.run(SWEEP, by=DIRECTOR)
    now = world.run(OPEN_WORDED, {"f": {"open": True, "rule": "OPPORTUNITY_IDLE"}}, by=AM)
    assert [(v["id"], v["message"]) for v in now["violations"]["nodes"]] == [
        (idle["id"], "No customer activity for 55 days (limit 30)")
    ]
    assert now["violations"]["nodes"][0]["evidence"]["idle_days"] == 55
    zh = world.api.as_(world.people[AM]).body(
        OPEN_WORDED,
        {"f": {"open": True, "rule": "OPPORTUNITY_IDLE"}},
        headers={"Accept-Language": "zh-CN"},
    )
    assert (
        zh["data"]["violations"]["nodes"][0]["message"]
        == "商机已 55 天没有任何客户活动（上限 30 天）"
    )


def test_a_work_plan_result_resolves_the_overdue_action_it_did(world: World) -> None:
    backdate(world, "REQUIREMENTS")
    exchange = "ACTION_OVERDUE:o1:technical_exchange_held"
    assert {IDLE, exchange} <= set(listed(world, open=True))
    item = accept_suggestion(
        world.store,
        opportunity_id="o1",
        person_id="p1",
        owner_id=AM,
        props={"title": "Technical exchange with Director Zhao", "due_date": "2025-10-01"},
    )
    assert item is not None

    data = world.run(
        RECORD,
        {
            "id": gid("WorkPlanItem", item["id"]),
            "i": {
                "version": item["version"],
                "type": "TECHNICAL_EXCHANGE",
                "summary": "Walked the IT team through the architecture",
                "outcome": "POSITIVE",
            },
        },
        by=AM,
    )["workPlanItemResultRecord"]
    assert data["userErrors"] == []
    assert data["workPlanItem"]["status"] == "DONE"

    still = listed(world, open=True)
    assert IDLE not in still
    assert exchange not in still
    assert "ACTION_OVERDUE:o1:decision_maker_met" in still  # nobody is decision maker yet
    done = listed(world, resolved=True)
    assert done[exchange]["resolvedAt"]
    assert done[IDLE]["resolvedAt"]
    assert sorted(json.loads(detections(world)[-1]["changes"])["resolved"]) == [exchange, IDLE]
    assert resolved_events(world) == {IDLE, exchange}


def test_the_decision_maker_named_resolves_the_overdue_action(world: World) -> None:
    backdate(world)
    identified = "ACTION_OVERDUE:o1:decision_maker_identified"
    chain = {
        "personId": gid("KeyPerson", "p1"),
        "opportunityId": gid("Opportunity", "o1"),
        "role": "DECISION_MAKER",
    }
    data = world.run(CHAIN, {"i": chain}, by=AM)["decisionChainMemberSet"]
    assert data["userErrors"] == []
    assert set(listed(world, open=True)) == {IDLE}  # a tie is no contact
    assert listed(world, resolved=True)[identified]["resolvedAt"]
    assert resolved_events(world) == {identified}


def test_a_failing_check_leaves_the_write_standing(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The check follows the write: when it fails, the visit is kept and answered without an
    error, the failure is logged, and the next sweep resolves what the check could not."""
    backdate(world)

    def broken(*_: object, **__: object) -> tuple[str, ...]:
        raise RuntimeError("store unavailable")

    monkeypatch.setattr(violations, "detect_on_writes", broken)
    activity = log_visit(world)
    assert world.store.get(NodeKind.ACTIVITY, raw(activity["id"]))["summary"]
    assert IDLE in listed(world, open=True)
    assert "violation check after a write" in caplog.text

    monkeypatch.undo()
    resolved = world.run(SWEEP, by=DIRECTOR)["violationsSweep"]["resolved"]
    assert [v["rule"] for v in resolved] == ["OPPORTUNITY_IDLE"]


PERSON_DELETE = f"mutation($id: ID!) {{ keyPersonDelete(id: $id) {{ deletedId {ERR} }} }}"
RIVAL_DELETE = f"mutation($id: ID!) {{ competitorDelete(id: $id) {{ deletedId {ERR} }} }}"
NAMED = "ACTION_OVERDUE:o1:decision_maker_identified"


def in_chain(world: World, role: str) -> None:
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": role},
    )


def log_contact_about_no_deal(world: World) -> str:
    """A call with Director Zhao about nothing in particular: no deal named."""
    visit = {
        "type": "CALL",
        "occurredAt": now_iso(world),
        "summary": "Caught up with the director",
        "personIds": [gid("KeyPerson", "p1")],
    }
    data = world.run(LOG, {"i": visit}, by=AM)["activityLog"]
    assert data["userErrors"] == []
    return str(data["activity"]["id"])


def test_a_contact_about_no_deal_counts_for_the_deals_of_its_people_at_once(
    world: World,
) -> None:
    """The director sits in the deal's chain: a call with them about nothing in particular is
    a contact of the deal (its chain reads it so), and resolves its idle violation at once."""
    in_chain(world, "USER")
    backdate(world)
    assert IDLE in listed(world, open=True)

    activity = log_contact_about_no_deal(world)

    assert IDLE not in listed(world, open=True)
    assert listed(world, resolved=True)[IDLE]["resolvedAt"]
    [entry] = detections(world)
    assert json.loads(entry["changes"])["resolved"] == [IDLE]
    assert entry["actor_name"] == "li.am"

    deleted = world.run(DELETE, {"id": activity}, by=AM)["activityDelete"]
    assert deleted["userErrors"] == []
    assert IDLE in listed(world, open=True)
    assert json.loads(detections(world)[-1]["changes"])["new"] == [IDLE]


def test_deleting_a_person_checks_the_deals_they_sat_in(world: World) -> None:
    """The decision maker deleted: the deal has none again, and the call with them, about no
    deal, no longer counts for it; both violations are raised by the delete itself."""
    in_chain(world, "DECISION_MAKER")
    backdate(world)
    assert set(listed(world, open=True)) == {IDLE}
    log_contact_about_no_deal(world)
    assert listed(world, open=True) == {}

    deleted = world.run(PERSON_DELETE, {"id": gid("KeyPerson", "p1")}, by=AM)["keyPersonDelete"]

    assert deleted["userErrors"] == []
    assert set(listed(world, open=True)) == {IDLE, NAMED}
    assert sorted(json.loads(detections(world)[-1]["changes"])["new"]) == [NAMED, IDLE]


def test_deleting_a_competitor_checks_the_deals_it_competed_for(world: World) -> None:
    """The only competitor known deleted by an administrator: "competitors identified" is
    overdue on the deal at once."""
    identified = "ACTION_OVERDUE:o1:competitors_identified"
    world.store.create(NodeKind.COMPETITOR, {"name": "Incumbent Systems"}, node_id="x1")
    world.store.set_edge(
        EdgeKind.COMPETES_FOR, (NodeKind.COMPETITOR, "x1"), (NodeKind.OPPORTUNITY, "o1"), {}
    )
    backdate(world, "REQUIREMENTS")
    assert identified not in listed(world, open=True)
    admin = add_person(world.store, "wang.admin", "admin")

    deleted = world.api.as_(admin).data(RIVAL_DELETE, {"id": gid("Competitor", "x1")})

    assert deleted["competitorDelete"]["userErrors"] == []
    assert identified in listed(world, open=True)
    assert json.loads(detections(world)[-1]["changes"])["new"] == [identified]


CUSTOMER_DELETE = f"""mutation($id: ID!) {{
  customerDelete(id: $id, cascade: true) {{ deletedId {ERR} }} }}"""
ERASE = f"mutation($id: ID!) {{ keyPersonErase(id: $id) {{ {ERR} }} }}"


def test_deleting_a_customer_checks_the_deals_its_people_sat_in_elsewhere(
    world: World,
) -> None:
    """A consulting firm's partner decides the hospital's deal from outside (an external
    member of its chain) and was called about nothing in particular: the firm deleted with its
    own deal by an administrator, the hospital's deal has no decision maker and no contact
    again, raised by the delete itself."""
    world.store.create(NodeKind.CUSTOMER, {"name": "Qian Consulting"}, node_id="c2")
    world.store.create_opportunity("c2", {"name": "Advisory retainer"}, node_id="o2")
    world.store.create_key_person("c2", {"name": "Partner Qian"}, node_id="p2")
    for deal, external in (("o1", {"external_kind": "CONSULTANT"}), ("o2", {})):
        world.store.set_edge(
            EdgeKind.IN_DECISION_CHAIN,
            (NodeKind.KEY_PERSON, "p2"),
            (NodeKind.OPPORTUNITY, deal),
            {"role": "DECISION_MAKER", **external},
        )
    backdate(world)
    assert set(listed(world, open=True)) == {IDLE}
    visit = {
        "type": "CALL",
        "occurredAt": now_iso(world),
        "summary": "Caught up with the partner",
        "personIds": [gid("KeyPerson", "p2")],
    }
    admin = add_person(world.store, "wang.admin", "admin")  # sees the firm, as the AM does not
    assert world.api.as_(admin).data(LOG, {"i": visit})["activityLog"]["userErrors"] == []
    assert listed(world, open=True) == {}

    deleted = world.api.as_(admin).data(CUSTOMER_DELETE, {"id": gid("Customer", "c2")})

    assert deleted["customerDelete"]["userErrors"] == []
    assert set(listed(world, open=True)) == {IDLE, NAMED}
    [*_, entry] = detections(world)
    assert sorted(json.loads(entry["changes"])["new"]) == [NAMED, IDLE]
    assert entry["actor_name"] == "wang.admin"


def test_erasing_a_person_checks_the_deals_whose_needs_they_stated(world: World) -> None:
    """The decision maker's stated needs are personal data: erased by an administrator, the
    deal in value presentation no longer has every member's needs recorded, raised by the
    erasure itself; the rest of the deal is as it was."""
    needs = "ACTION_OVERDUE:o1:needs_recorded"
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "DECISION_MAKER", "needs": "Shorter waits at admission"},
    )
    backdate(world, "VALUE_PRESENTATION")
    before = set(listed(world, open=True))
    assert needs not in before
    admin = add_person(world.store, "wang.admin", "admin")

    erased = world.api.as_(admin).data(ERASE, {"id": gid("KeyPerson", "p1")})

    assert erased["keyPersonErase"]["userErrors"] == []
    assert set(listed(world, open=True)) == before | {needs}
    [*_, entry] = detections(world)
    assert json.loads(entry["changes"])["new"] == [needs]
    assert entry["actor_name"] == "wang.admin"


NEEDS = "ACTION_OVERDUE:o1:needs_recorded"


DUE = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  stageActionsDue { action label dueAt overdue people { person { name } dueAt } } } } }"""


def test_someone_found_late_in_the_stage_has_a_week_before_her_needs_are_a_violation(
    world: World,
) -> None:
    """A sales VP's rule: the account manager who finds a new evaluator on day 40 of a 14-day
    value presentation has mapped the chain, not broken the process. Putting her on it raises
    nothing; her needs still unrecorded a week later do, naming her."""

    def put(person: str, role: str, **more: Any) -> None:
        place = {
            "personId": gid("KeyPerson", person),
            "opportunityId": gid("Opportunity", "o1"),
            "role": role,
            **more,
        }
        assert world.run(CHAIN, {"i": place}, by=AM)["decisionChainMemberSet"]["userErrors"] == []

    world.store.create_key_person("c1", {"name": "Dr. Li"}, node_id="p2")
    put("p1", "DECISION_MAKER", needs="One record across the campuses")
    log_visit(world, "DEMO")
    backdate(world, "VALUE_PRESENTATION")
    assert not any(k.startswith("ACTION_OVERDUE") for k in listed(world, open=True))

    put("p2", "TECHNICAL_EVALUATOR")
    assert NEEDS not in listed(world, open=True)
    world.run(SWEEP, by=DIRECTOR)
    assert NEEDS not in listed(world, open=True)
    # the account manager sees her day coming, on the deal, before any violation
    due = world.run(DUE, {"id": gid("Opportunity", "o1")}, by=AM)["node"]["stageActionsDue"]
    (needs_due,) = [d for d in due if d["action"] == "needs_recorded"]
    assert needs_due["overdue"] is False
    (li,) = needs_due["people"]
    assert li["person"]["name"] == "Dr. Li"
    her_day = datetime.fromisoformat(li["dueAt"]).timestamp() * 1000
    assert abs(her_day - (world.store.clock() + 7 * DAY_MS)) < 60_000
    assert needs_due["dueAt"] == li["dueAt"]

    world.store.executor.write(
        "MATCH (a:AuditEntry {target_id: 'p2->o1'}) SET a.at = $at",
        {"at": world.store.clock() - 7 * DAY_MS - 60_000},
    )
    world.store.executor.write(
        "MATCH (:KeyPerson {id: 'p2'})-[m:IN_DECISION_CHAIN]->() SET m.created_at = $at",
        {"at": world.store.clock() - 7 * DAY_MS - 60_000},
    )
    world.run(SWEEP, by=DIRECTOR)
    found = world.run(OPEN_WORDED, {"f": {"open": True, "rule": "ACTION_OVERDUE"}}, by=AM)
    (needs,) = found["violations"]["nodes"]
    assert needs["message"] == (
        "40 days in Value presentation (limit 14) and still not done: Record the needs of every"
        " key person in the chain (still missing: Dr. Li)"
    )
    assert [m["person_id"] for m in needs["evidence"]["missing"]] == ["p2"]

    # taken off the chain and put back, she is no newcomer again: her week stays over
    place = {
        "personId": gid("KeyPerson", "p2"),
        "opportunityId": gid("Opportunity", "o1"),
        "role": "TECHNICAL_EVALUATOR",
    }
    assert world.run(UNCHAIN, {"i": place}, by=AM)["decisionChainMemberRemove"]["userErrors"] == []
    assert NEEDS not in listed(world, open=True)  # nobody's needs are missing now
    put("p2", "TECHNICAL_EVALUATOR")
    assert NEEDS in listed(world, open=True)
