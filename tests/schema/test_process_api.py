"""The TAS+ process through GraphQL on the real embedded store: stage gates listing every
missing item at once, approvals (wrong role, own request), the delivery-review rule, violations
(detected on write and by the sweep, acknowledged, never deleted), the pipeline, the audit log,
and a walk over every mutation of the schema checking that each writes exactly one audit entry.

That the default process file matches the table of DOMAIN.md is tested in
``tests/strategy/tas/test_tas_process_file.py``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api, serve, snapshot
from people import Person, add_person, add_team, manage
from strawberry import relay

from dealgraph.engine.served import schema
from domain.model import EdgeKind, NodeKind
from graph import process_store as ps
from graph.statements import AUDIT_LABEL
from graph.store import GraphStore
from graph.webhook_store import WebhookStore
from resolvers.process import definition
from resolvers.violations import sweep
from webhooks.retry import RetryPolicy

AM, SM, DM, DIRECTOR, OUTSIDER = "m-am", "m-sm", "m-dm", "m-director", "m-outsider"
LOGINS: dict[str, tuple[str, str]] = {
    AM: ("li.am", "account_manager"),
    SM: ("sun.sm", "solution_manager"),
    DM: ("du.dm", "delivery_manager"),
    DIRECTOR: ("zhou.director", "sales_director"),
    OUTSIDER: ("wu.outsider", "account_manager"),
}
"""Each team member's own login, made as ``dealgraph user add LOGIN --role ROLE --member ID``."""
ERR = "userErrors { field message code } problems { code path message messageZh messageEn }"


def gid(kind: str, node_id: str) -> str:
    return str(relay.GlobalID(kind, node_id))


@dataclass(frozen=True)
class World:
    """The seeded store, the app over it with authentication on, and everyone's login."""

    store: GraphStore
    api: Api
    people: dict[str, Person]


def run(
    world: World,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    by: str | None = None,
    locale: str = "en",
) -> dict[str, Any]:
    """Execute a document over HTTP as the team member ``by`` with their own token (the
    administrator when None); GraphQL errors fail the test."""
    api = world.api.as_(world.people[by]) if by else world.api
    result = api.body(query, variables, headers={"Accept-Language": locale})
    assert "errors" not in result, result
    data: dict[str, Any] = result["data"]
    assert data is not None
    return data


def count(store: GraphStore, label: str) -> int:
    rows = store.executor.read(f"MATCH (n:{label}) RETURN count(n) AS count", {})
    return int(rows[0]["count"])


def audits(store: GraphStore) -> int:
    return count(store, AUDIT_LABEL)


def detections(store: GraphStore) -> int:
    """Audit entries of violations detected after a write."""
    query = f"MATCH (n:{AUDIT_LABEL}) WHERE n.operation = 'violations_detect' RETURN count(n) AS c"
    return int(store.executor.read(query, {})[0]["c"])


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A customer, a deal at VALIDATE with a quote, our team and a competitor on the deal; each
    team member logs in as themselves, and the director manages the deal team."""
    for member_id, role in (
        (AM, None),
        (SM, None),
        (DM, None),
        (DIRECTOR, "SALES_DIRECTOR"),
        (OUTSIDER, None),
    ):
        props: dict[str, Any] = {"name": member_id}
        if role:
            props["role"] = role
        store.create(NodeKind.TEAM_MEMBER, props, node_id=member_id)
    store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    store.create_opportunity(
        "c1", {"name": "Smart hospital", "quote_amount": 500_000}, node_id="o1"
    )
    for member_id, role in (
        (AM, "ACCOUNT_MANAGER"),
        (SM, "SOLUTION_MANAGER"),
        (DM, "DELIVERY_MANAGER"),
    ):
        store.set_edge(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, member_id),
            (NodeKind.OPPORTUNITY, "o1"),
            {"role": role},
        )
    # The outsider is on the customer's account team: sees the deal, is not on its team.
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, OUTSIDER),
        (NodeKind.CUSTOMER, "c1"),
        {"role": "ACCOUNT_MANAGER"},
    )
    store.create(NodeKind.COMPETITOR, {"name": "Rival Soft"}, node_id="k1")
    store.set_edge(EdgeKind.COMPETES_FOR, (NodeKind.COMPETITOR, "k1"), (NodeKind.OPPORTUNITY, "o1"))
    store.create(NodeKind.COMPETITOR, {"name": "Bystander"}, node_id="k2")
    store.create_key_person("c1", {"name": "Director Zhao"}, node_id="p1")
    store.create_key_person("c1", {"name": "Engineer Qian"}, node_id="p2")
    people = add_team(store, LOGINS)
    manage(store, DIRECTOR, [AM, SM, DM])
    # The walk below plays the dispatcher's part itself (serve runs none).
    with serve(store) as api:
        yield World(store, api, people)


# --- documents ------------------------------------------------------------------------------------

ADVANCE = f"""mutation($id: ID!, $i: OpportunityAdvanceInput!) {{
  opportunityAdvance(id: $id, input: $i) {{
    opportunity {{ id stage version stageEnteredAt }}
    transition {{ fromStage toStage reason member {{ id }} lostToCompetitor {{ name }} }}
    {ERR} }} }}"""
REQUEST = f"""mutation($i: ApprovalRequestInput!) {{ approvalRequest(input: $i) {{
  approval {{ id process state version }} {ERR} }} }}"""
DECIDE = f"""mutation($id: ID!, $i: ApprovalDecideInput!) {{ approvalDecide(id: $id, input: $i) {{
  approval {{ id state version decidedBy {{ id }}
    history {{ fromState toState actorId actor {{ name }} actorRoles comment }} }} {ERR} }} }}"""
REVIEW = f"""mutation($id: ID!, $i: DeliveryReviewInput!) {{
  opportunityDeliveryReviewRecord(id: $id, input: $i) {{
    opportunity {{ deliveryReviewed deliveryReview {{ feasible workloadPersonDays
      reviewedQuoteAmount reviewer {{ id }} }} }} {ERR} }} }}"""
SUBMIT = f"""mutation($id: ID!) {{ opportunityQuoteSubmit(id: $id) {{
  opportunity {{ quoteStatus }} {ERR} }} }}"""


def o1() -> str:
    return gid("Opportunity", "o1")


def member(member_id: str) -> str:
    return gid("TeamMember", member_id)


def advance(
    world: World, to_stage: str, *, by: str, locale: str = "en", **extra: Any
) -> dict[str, Any]:
    data = run(
        world, ADVANCE, {"id": o1(), "i": {"toStage": to_stage, **extra}}, by=by, locale=locale
    )
    result: dict[str, Any] = data["opportunityAdvance"]
    return result


def approve(world: World, code: str, *, by: str = DIRECTOR, requester: str = AM) -> str:
    """Requested by the account manager, decided by an approver, each with their own login."""
    requested = run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": code}},
        by=requester,
    )["approvalRequest"]
    assert requested["userErrors"] == [], requested
    approval_id: str = requested["approval"]["id"]
    decided = run(
        world,
        DECIDE,
        {"id": approval_id, "i": {"decision": "APPROVE"}},
        by=by,
    )["approvalDecide"]
    assert decided["userErrors"] == [], decided
    return approval_id


def paths(payload: dict[str, Any]) -> set[str]:
    return {p["path"] for p in payload["problems"]}


# --- stage gates ----------------------------------------------------------------------------------


def test_gate_refuses_listing_every_missing_field_action_and_approval_at_once(
    world: World,
) -> None:
    before = audits(world.store)
    both = ADVANCE.replace("code }", "code messageZh messageEn }", 1)  # userErrors, both languages
    data = run(
        world,
        both,
        {"id": o1(), "i": {"toStage": "INITIATE"}},
        locale="zh-CN",
        by=AM,
    )["opportunityAdvance"]
    assert data["opportunity"] is None
    assert paths(data) == {
        "fields.amount",
        "fields.expected_close_date",
        "actions.decision_maker_identified",
        "approvals.1-1",
        "approvals.1-2",
    }
    assert {p["code"] for p in data["problems"]} == {
        "MISSING_FIELD",
        "MISSING_ACTION",
        "MISSING_APPROVAL",
    }
    assert len(data["userErrors"]) == 5
    for problem in data["problems"]:
        assert problem["message"] == problem["messageZh"]
        assert problem["messageEn"].isascii()
    assert {e["message"] for e in data["userErrors"]} == {p["messageZh"] for p in data["problems"]}
    # each refusal in both languages too, so a page switching language says it again in the other
    for error in data["userErrors"]:
        assert error["messageZh"] == error["message"]
        assert error["messageEn"] in {p["messageEn"] for p in data["problems"]}
    assert audits(world.store) == before
    assert world.store.get(NodeKind.OPPORTUNITY, "o1")["stage"] == "VALIDATE"


def _fill_fields(world: World) -> None:
    world.store.update(
        NodeKind.OPPORTUNITY, "o1", {"amount": 9_000_000, "expected_close_date": "2026-06-30"}
    )


def _do_actions(world: World) -> None:
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "DECISION_MAKER"},
    )


def _approve_all(world: World) -> None:
    approve(world, "1-1")
    approve(world, "1-2")


NEXT = """query($id: ID!) { node(id: $id) { ... on Opportunity { nextStage
  nextStageProblems { code path message messageZh messageEn } } } }"""


STEPS: dict[str, Callable[[World], None]] = {
    "field": _fill_fields,
    "action": _do_actions,
    "approval": _approve_all,
}


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("field", {"fields.amount", "fields.expected_close_date"}),
        ("action", {"actions.decision_maker_identified"}),
        ("approval", {"approvals.1-1", "approvals.1-2"}),
    ],
)
def test_gate_refusal_for_each_kind_of_missing_item(
    world: World, missing: str, expected: set[str]
) -> None:
    """The Process card lists what the next gate lacks before anyone tries the move: the very
    problems the move is then refused with, and none once the gate is met."""
    for kind, step in STEPS.items():
        if kind != missing:
            step(world)
    card = run(world, NEXT, {"id": o1()}, by=AM)["node"]
    data = advance(world, "INITIATE", by=AM)
    assert paths(data) == expected
    assert card["nextStage"] == "INITIATE"
    assert card["nextStageProblems"] == data["problems"]
    zh = run(world, NEXT, {"id": o1()}, by=AM, locale="zh-CN")["node"]["nextStageProblems"]
    assert [p["message"] for p in zh] == [p["messageZh"] for p in data["problems"]]
    STEPS[missing](world)
    assert run(world, NEXT, {"id": o1()}, by=AM)["node"]["nextStageProblems"] == []
    data = advance(world, "INITIATE", by=AM)
    assert data["userErrors"] == []
    assert data["opportunity"]["stage"] == "INITIATE"
    assert data["transition"]["fromStage"] == "VALIDATE"
    assert data["transition"]["member"]["id"] == member(AM)


MISSING = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  missingApprovals { process processName mayRequest } } } }"""


def test_a_grade_a_deal_below_its_amount_needs_the_upgrade_to_leave_initiation(
    world: World,
) -> None:
    """The walkthrough's grade A at CNY 800,000: initiation commits resources by grade, so the
    deal leaves it only once the sales director approved the opportunity upgrade (2-4), and the
    gate and the Process card say so; the account manager requests it with their own login."""
    world.store.update(
        NodeKind.OPPORTUNITY,
        "o1",
        {
            "stage": "INITIATE",
            "grade": "A",
            "amount": 80_000_000,
            "expected_close_date": "2026-06-30",
            "budget": 90_000_000,
            "compelling_event": "The new campus opens",
        },
    )
    _do_actions(world)
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p2"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "COACH"},
    )
    for code in ("1-1", "1-2", "2-1"):
        approve(world, code)
    refused = advance(world, "REQUIREMENTS", by=AM)
    assert [(p["code"], p["path"]) for p in refused["problems"]] == [
        ("GRADE_CRITERIA_NOT_MET", "approvals.2-4")
    ]
    assert refused["problems"][0]["messageEn"].startswith(
        "Initiate opportunity: the amount is below grade A (Key deal: at least CNY 5m"
    )
    assert world.store.get(NodeKind.OPPORTUNITY, "o1")["stage"] == "INITIATE"
    card = run(world, MISSING, {"id": o1()}, by=AM)["node"]["missingApprovals"]
    assert [(m["process"], m["mayRequest"]) for m in card] == [("2-4", True)]
    approve(world, "2-4")
    passed = advance(world, "REQUIREMENTS", by=AM)
    assert passed["userErrors"] == [], passed
    assert passed["opportunity"]["stage"] == "REQUIREMENTS"


OPTIONAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  optionalApprovals { process state } } } }"""


def test_an_approval_granted_is_not_offered_again_when_asking_again_is_the_same_request(
    world: World,
) -> None:
    """The creation approved stands: nothing to ask again. A process asking no fields (a
    customer information change) approved once is the same request asked again, which the API
    refuses as already approved: it is not offered either."""

    def offered() -> list[str]:
        found = run(world, OPTIONAL, {"id": o1()}, by=AM)["node"]["optionalApprovals"]
        return [m["process"] for m in found]

    assert "1-3" in offered()
    approve(world, "1-1")
    approve(world, "1-3")
    assert not {"1-1", "1-3"} & set(offered())
    again = run(world, REQUEST, {"i": {"opportunityId": o1(), "process": "1-3"}}, by=AM)
    assert [e["code"] for e in again["approvalRequest"]["userErrors"]] == ["CONFLICT"]


def test_a_passed_gate_records_the_transition_in_the_stage_history(world: World) -> None:
    for step in STEPS.values():
        step(world)
    advance(world, "INITIATE", by=AM)
    back = advance(world, "VALIDATE", by=AM)
    assert paths(back) == {"reason"}
    back = advance(world, "VALIDATE", reason="budget frozen", by=SM)
    assert back["userErrors"] == []
    history = run(
        world,
        f"""{{ node(id: "{o1()}") {{ ... on Opportunity {{
          stageHistory {{ fromStage toStage reason actorId member {{ id }} at }} }} }} }}""",
    )["node"]["stageHistory"]
    assert [(h["fromStage"], h["toStage"], h["reason"]) for h in history] == [
        ("VALIDATE", "INITIATE", None),
        ("INITIATE", "VALIDATE", "budget frozen"),
    ]
    assert history[1]["member"]["id"] == member(SM)
    assert history[1]["actorId"] == LOGINS[SM][0]


def test_only_the_account_manager_or_a_director_closes_a_deal(world: World) -> None:
    """Whether a deal was won, and why it was lost, is the account manager's call and the
    director's to check: the solution manager, with his own login, may move the deal back but
    not close it."""
    before = audits(world.store)
    for to_stage in ("LOST", "ABANDONED", "WON"):
        data = advance(world, to_stage, reason="went elsewhere", by=SM, locale="zh-CN")
        assert [(e["field"], e["code"]) for e in data["userErrors"]] == [
            (["input", "toStage"], "FORBIDDEN")
        ], data
        assert data["userErrors"][0]["message"] == (
            "只有本商机的客户经理（m-am）或销售总监可以将商机关闭为赢单、丢单或放弃"
        )
    assert audits(world.store) == before
    closed = advance(world, "ABANDONED", reason="the hospital froze the budget", by=DIRECTOR)
    assert closed["userErrors"] == []
    assert closed["opportunity"]["stage"] == "ABANDONED"


def test_stale_version_conflicts(world: World) -> None:
    data = advance(world, "LOST", reason="no budget", version=99, by=AM)
    assert [e["code"] for e in data["userErrors"]] == ["CONFLICT"]


def test_lost_needs_a_reason_and_which_competitor(world: World) -> None:
    data = advance(world, "LOST", lostToCompetitor=True, by=AM)
    assert {p["code"] for p in data["problems"]} == {"MISSING_REASON", "MISSING_COMPETITOR"}
    data = advance(
        world,
        "LOST",
        reason="price",
        lostToCompetitorId=gid("Competitor", "k2"),
        by=AM,
    )
    assert {p["code"] for p in data["problems"]} == {"UNKNOWN_COMPETITOR"}
    data = advance(
        world,
        "LOST",
        reason="price",
        lostToCompetitorId=gid("Competitor", "k1"),
        by=AM,
    )
    assert data["userErrors"] == []
    assert data["transition"]["lostToCompetitor"]["name"] == "Rival Soft"
    final = advance(world, "VALIDATE", reason="try again", by=AM)
    assert {p["code"] for p in final["problems"]} == {"STAGE_CLOSED"}


def test_won_needs_the_sow_review(world: World) -> None:
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "NEGOTIATION"})  # imported mid-way
    data = advance(world, "WON", by=AM)
    assert "approvals.7-1" in paths(data)
    approve(world, "7-1", by=DM)
    assert "approvals.7-1" not in paths(advance(world, "WON", by=AM))


# --- approvals ------------------------------------------------------------------------------------


COMMENTS = """query($id: ID!) { node(id: $id) { ... on Approval {
  state comment requestComment decisionComment } } }"""


def _asked(world: World, code: str, comment: str | None) -> str:
    given = {"comment": comment} if comment is not None else {}
    i = {"opportunityId": o1(), "process": code, **given}
    asked = run(world, REQUEST, {"i": i}, by=AM)["approvalRequest"]
    assert asked["userErrors"] == [], asked
    approval_id: str = asked["approval"]["id"]
    return approval_id


def _decided(world: World, approval_id: str, comment: str | None) -> dict[str, Any]:
    given = {"comment": comment} if comment is not None else {}
    i = {"decision": "APPROVE", **given}
    decided = run(world, DECIDE, {"id": approval_id, "i": i}, by=DIRECTOR)["approvalDecide"]
    assert decided["userErrors"] == [], decided
    node: dict[str, Any] = run(world, COMMENTS, {"id": approval_id}, by=AM)["node"]
    return node


def test_an_approval_keeps_the_request_and_the_decision_comment_apart(world: World) -> None:
    """No comment is null, stored as no comment; the request's comment survives the decision."""
    silent = _asked(world, "1-1", None)
    stored = world.store.get(NodeKind.APPROVAL, relay.GlobalID.from_id(silent).node_id)
    assert stored.get("comment") is None
    assert run(world, COMMENTS, {"id": silent}, by=AM)["node"] == {
        "state": "PENDING",
        "comment": None,
        "requestComment": None,
        "decisionComment": None,
    }
    assert _decided(world, silent, None)["decisionComment"] is None

    asked = _asked(world, "1-2", "the CIO wants it by Friday")
    assert run(world, COMMENTS, {"id": asked}, by=AM)["node"]["comment"] == (
        "the CIO wants it by Friday"
    )
    assert _decided(world, asked, "fine, budget confirmed") == {
        "state": "APPROVED",
        "comment": "fine, budget confirmed",
        "requestComment": "the CIO wants it by Friday",
        "decisionComment": "fine, budget confirmed",
    }


def test_an_approval_stored_with_empty_comments_shows_them_as_null(world: World) -> None:
    """Approvals stored before comments were left out when empty kept ``''``: the API shows
    none as null, the approval's own comment and each step's in its history alike."""
    asked = _asked(world, "1-1", None)
    _decided(world, asked, None)
    node_id = relay.GlobalID.from_id(asked).node_id
    history = json.loads(str(world.store.get(NodeKind.APPROVAL, node_id)["history"]))
    world.store.executor.write(
        "MATCH (a:Approval {id: $id}) SET a.comment = '', a.history = $history",
        {"id": node_id, "history": json.dumps([{**step, "comment": ""} for step in history])},
    )
    query = """query($id: ID!) { node(id: $id) { ... on Approval {
      comment requestComment decisionComment history { comment } } } }"""
    assert run(world, query, {"id": asked}, by=AM)["node"] == {
        "comment": None,
        "requestComment": None,
        "decisionComment": None,
        "history": [{"comment": None}, {"comment": None}],
    }


def test_a_decision_without_a_comment_keeps_the_request_comment(world: World) -> None:
    asked = _asked(world, "1-1", "urgent")
    assert _decided(world, asked, None) == {
        "state": "APPROVED",
        "comment": None,
        "requestComment": "urgent",
        "decisionComment": None,
    }


def test_a_violation_names_its_process_apart_from_the_chinese_before_it(world: World) -> None:
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})
    run(world, SWEEP, by=DIRECTOR)
    listed = run(
        world, VIOLATIONS, {"f": {"opportunityId": o1(), "open": True}}, by=AM, locale="zh-CN"
    )["violations"]["nodes"]
    assert "商机处于“商机立项”阶段，但 TAS+1-1 创建商机流程未获批准" in {
        v["message"] for v in listed
    }


def test_approvals_by_a_wrong_role_and_on_ones_own_request_are_refused(world: World) -> None:
    wrong_requester = run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": "2-1"}},
        by=SM,
    )["approvalRequest"]
    assert [
        (p["code"], e["code"])
        for p, e in zip(wrong_requester["problems"], wrong_requester["userErrors"], strict=True)
    ] == [("ROLE_NOT_ALLOWED", "FORBIDDEN")]
    outsider = run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": "1-1"}},
        by=OUTSIDER,
    )["approvalRequest"]
    assert {p["code"] for p in outsider["problems"]} == {"NOT_ON_TEAM"}

    requested = run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": "1-1"}},
        by=AM,
    )["approvalRequest"]["approval"]
    assert requested["state"] == "PENDING"
    by_solution_manager = run(
        world,
        DECIDE,
        {"id": requested["id"], "i": {"decision": "APPROVE"}},
        by=SM,
    )["approvalDecide"]
    assert {p["code"] for p in by_solution_manager["problems"]} == {"ROLE_NOT_ALLOWED"}
    assert by_solution_manager["userErrors"][0]["code"] == "FORBIDDEN"
    withdraw_by_other = run(
        world,
        DECIDE,
        {"id": requested["id"], "i": {"decision": "WITHDRAW"}},
        by=DM,
    )["approvalDecide"]
    assert {p["code"] for p in withdraw_by_other["problems"]} == {"NOT_REQUESTER"}

    own = run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": "1-2"}},
        by=DIRECTOR,
    )["approvalRequest"]["approval"]
    self_approval = run(
        world,
        DECIDE,
        {"id": own["id"], "i": {"decision": "APPROVE"}},
        by=DIRECTOR,
    )["approvalDecide"]
    assert {p["code"] for p in self_approval["problems"]} == {"SELF_APPROVAL"}

    approved = run(
        world,
        DECIDE,
        {
            "id": requested["id"],
            "i": {
                "decision": "APPROVE",
                "comment": "real lead",
            },
        },
        by=DIRECTOR,
    )["approvalDecide"]["approval"]
    assert approved["state"] == "APPROVED"
    assert approved["decidedBy"]["id"] == member(DIRECTOR)
    assert [(h["fromState"], h["toState"], h["actorRoles"]) for h in approved["history"]] == [
        (None, "PENDING", ["ACCOUNT_MANAGER"]),
        ("PENDING", "APPROVED", ["SALES_DIRECTOR"]),
    ]
    # who acted, by name (the world's team members are named after their ids)
    assert [h["actor"] for h in approved["history"]] == [{"name": AM}, {"name": DIRECTOR}]
    again = run(
        world,
        DECIDE,
        {"id": requested["id"], "i": {"decision": "REJECT"}},
        by=DIRECTOR,
    )["approvalDecide"]
    assert [e["code"] for e in again["userErrors"]] == ["CONFLICT"]


def test_a_rejection_needs_its_reason(world: World) -> None:
    """The director rejects the account manager's request with their own login: without a word
    of why, nothing is decided and the refusal is on the comment, in the request's language."""
    requested = run(world, REQUEST, {"i": {"opportunityId": o1(), "process": "1-1"}}, by=AM)[
        "approvalRequest"
    ]["approval"]
    before = audits(world.store)
    blank = {"id": requested["id"], "i": {"decision": "REJECT", "comment": "  "}}
    refused = run(world, DECIDE, blank, by=DIRECTOR, locale="zh-CN")["approvalDecide"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["input", "comment"], "BAD_USER_INPUT")
    ]
    assert refused["userErrors"][0]["message"] == "驳回时请写明理由，以便申请人改正"
    assert audits(world.store) == before
    why = {"id": requested["id"], "i": {"decision": "REJECT", "comment": "Amount unconfirmed"}}
    rejected = run(world, DECIDE, why, by=DIRECTOR)["approvalDecide"]
    assert rejected["approval"]["state"] == "REJECTED"
    assert rejected["approval"]["history"][-1]["comment"] == "Amount unconfirmed"


OPP_UPDATE = """mutation($id: ID!, $i: OpportunityUpdateInput!) {
  opportunityUpdate(id: $id, input: $i) { opportunity { amount description version }
  userErrors { field message code } } }"""


def test_what_a_passed_gate_required_is_not_cleared(world: World) -> None:
    """The account manager, with their own login, empties the deal amount of a deal at value
    presentation (with a new description in the same save): refused on the amount, in the
    request's language, and nothing of the save is kept."""
    world.store.create_opportunity(
        "c1",
        {"name": "Wards", "stage": "VALUE_PRESENTATION", "amount": 90_000_000, "budget": 1},
        node_id="o2",
    )
    world.store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, AM),
        (NodeKind.OPPORTUNITY, "o2"),
        {"role": "ACCOUNT_MANAGER"},
    )
    deal = gid("Opportunity", "o2")
    before = audits(world.store)
    cleared = {"id": deal, "i": {"version": 1, "amount": None, "description": "Two wards"}}
    refused = run(world, OPP_UPDATE, cleared, by=AM, locale="zh-CN")["opportunityUpdate"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["input", "amount"], "BAD_USER_INPUT")
    ]
    assert refused["userErrors"][0]["message"] == (
        "“商机金额”自验证商机起为必填，本商机已过此阶段，不能清空"
    )
    assert audits(world.store) == before
    changed = {"id": deal, "i": {"version": 1, "amount": 80_000_000, "description": "Two wards"}}
    saved = run(world, OPP_UPDATE, changed, by=AM)["opportunityUpdate"]
    assert saved["userErrors"] == []
    assert saved["opportunity"]["amount"] == 80_000_000


def test_a_yes_no_field_the_gate_requires_is_asked_to_be_yes_not_to_be_filled(
    world: World,
) -> None:
    """A deal at requirements analysis whose decision process is not known yet: the page shows
    the yes/no field answered "no", so the next gate asks for "yes" (in both languages), not for
    a field to be filled. Past the gate, setting it back to "no" is refused in the same words,
    and nothing of the save is kept."""
    world.store.create_opportunity(
        "c1", {"name": "Wards", "stage": "REQUIREMENTS", "amount": 1, "budget": 1}, node_id="o3"
    )
    world.store.create_opportunity(
        "c1",
        {"name": "Clinics", "stage": "VALUE_PRESENTATION", "amount": 1, "budget": 1}
        | {"decision_process_known": True},
        node_id="o4",
    )
    for deal in ("o3", "o4"):
        world.store.set_edge(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, AM),
            (NodeKind.OPPORTUNITY, deal),
            {"role": "ACCOUNT_MANAGER"},
        )
    card = run(world, NEXT, {"id": gid("Opportunity", "o3")}, by=AM, locale="zh-CN")["node"]
    asked = [p for p in card["nextStageProblems"] if p["path"] == "fields.decision_process_known"]
    assert [(p["code"], p["message"], p["messageEn"]) for p in asked] == [
        (
            "MISSING_FIELD",
            "需求分析：“决策流程已明确”须为“是”（目前为“否”）",
            'Requirements analysis: "Decision process known" has to be "yes" (it is "no")',
        )
    ]
    assert not any("未填写" in p["message"] for p in asked)
    before = audits(world.store)
    back = {"id": gid("Opportunity", "o4"), "i": {"version": 1, "decisionProcessKnown": False}}
    refused = run(world, OPP_UPDATE, back, by=AM, locale="zh-CN")["opportunityUpdate"]
    assert [(e["field"], e["code"], e["message"]) for e in refused["userErrors"]] == [
        (
            ["input", "decisionProcessKnown"],
            "BAD_USER_INPUT",
            "“决策流程已明确”自需求分析起须为“是”，本商机已过此阶段，不能改为“否”",
        )
    ]
    assert audits(world.store) == before


def test_resource_process_fields_are_validated(world: World) -> None:
    approve(world, "2-1")  # presales resources are requested after the initiation
    data = run(
        world,
        REQUEST,
        {
            "i": {
                "opportunityId": o1(),
                "process": "2-3",
                "fields": {"resource_type": "architect", "hours": -4, "period_start": "2026-03-01"},
            }
        },
        by=AM,
    )["approvalRequest"]
    assert {(p["code"], p["path"]) for p in data["problems"]} == {
        ("INVALID_FIELD", "fields.hours"),
        ("MISSING_FIELD", "fields.period_end"),
    }
    # A year typed wrong is asked about at its field: more than a year back, five ahead.
    start, end = days_on(world.store, -400), days_on(world.store, 6 * 366)
    fields = {"resource_type": "architect", "hours": 40, "period_start": start, "period_end": end}
    typo = {"i": {"opportunityId": o1(), "process": "2-3", "fields": fields}}
    mistyped = run(world, REQUEST, typo, by=AM)["approvalRequest"]
    assert [(e["field"], e["message"]) for e in mistyped["userErrors"]] == [
        (
            ["input", "fields", "period_start"],
            f"Period start {start} is more than a year ago: is the year right?",
        ),
        (
            ["input", "fields", "period_end"],
            f"Period end {end} is more than 5 years ahead: is the year right?",
        ),
    ]
    zh = run(world, REQUEST, typo, by=AM, locale="zh-CN")["approvalRequest"]["userErrors"]
    assert zh[0]["message"] == f"开始日期{start}已是一年多以前：年份是否有误？"
    ok = run(
        world,
        REQUEST,
        {
            "i": {
                "opportunityId": o1(),
                "process": "2-3",
                "fields": {
                    "resource_type": "architect",
                    "hours": 40,
                    "period_start": "2026-03-01",
                    "period_end": "2026-03-31",
                },
            }
        },
        by=AM,
    )["approvalRequest"]
    assert ok["userErrors"] == []


def test_each_login_acts_as_its_linked_team_member_and_never_names_another(
    world: World,
) -> None:
    """The acting member comes from the user's member link (``dealgraph user add --member``),
    not from the user's name, and a logged-in user cannot name someone else."""
    as_self = {"i": {"opportunityId": o1(), "process": "1-1"}}
    naming_other = {"i": {**as_self["i"], "actingMemberId": member(SM)}}
    before = audits(world.store)
    refused = run(world, REQUEST, naming_other, by=AM)["approvalRequest"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["input", "actingMemberId"], "FORBIDDEN")
    ]
    assert audits(world.store) == before
    ok = run(world, REQUEST, as_self, by=AM)["approvalRequest"]
    assert ok["userErrors"] == []
    history = run(
        world,
        f"""{{ node(id: "{ok["approval"]["id"]}") {{ ... on Approval {{
          history {{ actorId actorRoles }} }} }} }}""",
    )["node"]["history"]
    assert history == [{"actorId": AM, "actorRoles": ["ACCOUNT_MANAGER"]}]


@pytest.mark.parametrize(
    ("login", "locale", "expected"),
    [
        ("kong", "en", "User kong is not linked to a team member"),
        ("kong", "zh-CN", "用户 kong 未关联团队成员"),
        # A user named like a team member is still not that member without the link.
        (SM, "en", f"User {SM} is not linked to a team member"),
    ],
)
def test_a_user_without_a_member_link_is_forbidden_by_name(
    world: World, login: str, locale: str, expected: str
) -> None:
    world.people[login] = add_person(world.store, login, "account_manager")
    before = audits(world.store)
    as_self = {"i": {"opportunityId": o1(), "process": "1-1"}}
    for document, variables, field in (
        (REQUEST, as_self, "approvalRequest"),
        (ADVANCE, {"id": o1(), "i": {"toStage": "LOST", "reason": "x"}}, "opportunityAdvance"),
        (REVIEW, {"id": o1(), "i": {"feasible": True}}, "opportunityDeliveryReviewRecord"),
    ):
        payload = run(world, document, variables, by=login, locale=locale)[field]
        assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"], payload
        assert payload["userErrors"][0]["message"].startswith(expected), payload
        assert [p["code"] for p in payload["problems"]] == ["NOT_LINKED"]
    assert audits(world.store) == before
    assert world.store.get(NodeKind.OPPORTUNITY, "o1")["stage"] == "VALIDATE"


def test_an_administrator_named_developer_still_acts_as_themselves(world: World) -> None:
    """``dealgraph demo`` makes an administrator whose login is ``developer``; with
    authentication on, that login is a login like any other and cannot act as someone else
    (which would forge who requested or approved)."""
    developer = add_person(world.store, "developer", "admin")
    naming = {"i": {"opportunityId": o1(), "process": "1-1", "actingMemberId": member(AM)}}
    before = audits(world.store)
    refused = world.api.as_(developer).data(REQUEST, naming)["approvalRequest"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["input", "actingMemberId"], "FORBIDDEN")
    ]
    assert audits(world.store) == before


TEAM_ASSIGN = """mutation($i: TeamAssignInput!) { teamAssign(input: $i) {
  userErrors { field message code } } }"""


def test_only_a_lead_makes_someone_the_sales_director_of_a_deal(world: World) -> None:
    """The sales director of a deal approves its gates; a team member who could name a
    colleague (or themselves) its sales director could approve their own deal's gates."""
    assign = {"i": {"memberId": member(SM), "targetId": o1(), "role": "SALES_DIRECTOR"}}
    before = audits(world.store)
    for by in (AM, SM):
        refused = run(world, TEAM_ASSIGN, assign, by=by, locale="zh-CN")["teamAssign"]
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
            (["input", "role"], "FORBIDDEN")
        ], refused
        assert "销售总监" in refused["userErrors"][0]["message"]
    assert audits(world.store) == before
    staffed = {"i": {**assign["i"], "role": "SERVICE_MANAGER"}}
    assert run(world, TEAM_ASSIGN, staffed, by=AM)["teamAssign"]["userErrors"] == []
    assert run(world, TEAM_ASSIGN, assign, by=DIRECTOR)["teamAssign"]["userErrors"] == []


TEAM_UNASSIGN = """mutation($i: TeamAssignInput!) { teamUnassign(input: $i) {
  userErrors { field message code } } }"""


def test_only_a_lead_takes_the_sales_director_off_a_deal_or_changes_their_role(
    world: World,
) -> None:
    """Whoever may not make someone a deal's sales director may not take them off it either,
    nor make them something else: a team without its director has its gates approved by
    whoever is left."""
    director = {"memberId": member(DIRECTOR), "targetId": o1()}
    off = {"i": {**director, "role": "SALES_DIRECTOR"}}
    demoted = {"i": {**director, "role": "SERVICE_MANAGER"}}
    assert run(world, TEAM_ASSIGN, off, by=DIRECTOR)["teamAssign"]["userErrors"] == []
    before = audits(world.store)
    for by in (AM, SM):
        refused = run(world, TEAM_UNASSIGN, off, by=by, locale="zh-CN")["teamUnassign"]
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
            (["input", "memberId"], "FORBIDDEN")
        ], refused
        assert "撤下商机的销售总监" in refused["userErrors"][0]["message"]
        changed = run(world, TEAM_ASSIGN, demoted, by=by)["teamAssign"]["userErrors"]
        assert [(e["field"], e["code"]) for e in changed] == [(["input", "role"], "FORBIDDEN")]
        assert "take them off it" in changed[0]["message"]
    assert audits(world.store) == before
    assert run(world, TEAM_UNASSIGN, off, by=DIRECTOR)["teamUnassign"]["userErrors"] == []
    am_off = {"i": {"memberId": member(SM), "targetId": o1(), "role": "SOLUTION_MANAGER"}}
    assert run(world, TEAM_UNASSIGN, am_off, by=AM)["teamUnassign"]["userErrors"] == []


def test_development_mode_may_name_the_acting_member(world: World) -> None:
    """Without authentication (development only) a tool acts as any member it names; naming
    nobody is refused, naming the developer's own (absent) link."""
    with serve(world.store, auth=False) as dev:
        assert dev.person is None
        naming = {"i": {"opportunityId": o1(), "process": "1-1", "actingMemberId": member(AM)}}
        requested = dev.data(REQUEST, naming)["approvalRequest"]
        assert requested["userErrors"] == []
        assert requested["approval"]["state"] == "PENDING"
        nobody = dev.data(REQUEST, {"i": {"opportunityId": o1(), "process": "1-2"}})
        errors = nobody["approvalRequest"]["userErrors"]
        assert [e["code"] for e in errors] == ["FORBIDDEN"]
        assert "Development administrator" in errors[0]["message"]


# --- iron triangle and the delivery review --------------------------------------------------------


def test_triangle_warns_about_missing_roles(world: World) -> None:
    world.store.remove_edge(
        EdgeKind.ON_TEAM, (NodeKind.TEAM_MEMBER, DM), (NodeKind.OPPORTUNITY, "o1")
    )
    data = run(
        world,
        f"""{{ node(id: "{o1()}") {{ ... on Opportunity {{
          deal: triangle {{ complete present missing warnings {{ messageZh messageEn }} }}
          acquisition: triangle(phase: ACQUISITION) {{ complete missing }} }} }} }}""",
    )["node"]
    assert data["deal"]["complete"] is False
    assert data["deal"]["missing"] == ["DELIVERY_MANAGER"]
    assert data["deal"]["warnings"][0]["messageZh"] == "打单阶段铁三角缺少交付经理"
    assert data["acquisition"]["missing"] == [
        "ACCOUNT_MANAGER",
        "SOLUTION_MANAGER",
        "LEAD_EXPERT",
    ]


def test_a_workload_past_any_estimate_is_a_slip_of_the_keyboard(world: World) -> None:
    """The delivery manager types 999999999999 person-days: refused on the field, in the
    request's language, and no review is recorded."""
    before = audits(world.store)
    typo = {"id": o1(), "i": {"feasible": True, "workloadPersonDays": 999_999_999_999}}
    refused = run(world, REVIEW, typo, by=DM, locale="zh-CN")["opportunityDeliveryReviewRecord"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["input", "workloadPersonDays"], "BAD_USER_INPUT")
    ]
    assert refused["userErrors"][0]["message"] == "工作量评估超过10万人天，请核对"
    assert audits(world.store) == before
    big = {"id": o1(), "i": {"feasible": True, "workloadPersonDays": 100_000}}
    assert run(world, REVIEW, big, by=DM)["opportunityDeliveryReviewRecord"]["userErrors"] == []


def test_a_quote_is_not_submitted_before_the_delivery_managers_review(world: World) -> None:
    refused = run(world, SUBMIT, {"id": o1()}, by=AM)["opportunityQuoteSubmit"]
    assert {p["code"] for p in refused["problems"]} == {"DELIVERY_REVIEW_MISSING"}
    by_account_manager = run(
        world,
        REVIEW,
        {
            "id": o1(),
            "i": {"feasible": True, "workloadPersonDays": 30},
        },
        by=AM,
    )["opportunityDeliveryReviewRecord"]
    assert [(e["code"], e["field"]) for e in by_account_manager["userErrors"]] == [
        ("FORBIDDEN", [])  # the caller's role, not an input they sent
    ]
    # A review of another amount than the quote does not cover the quote.
    other = {"id": o1(), "i": {"feasible": True, "reviewedQuoteAmount": 1_000}}
    elsewhere = run(world, REVIEW, other, by=DM)["opportunityDeliveryReviewRecord"]
    assert elsewhere["userErrors"] == []
    assert elsewhere["opportunity"]["deliveryReviewed"] is False
    reviewed = run(
        world,
        REVIEW,
        {
            "id": o1(),
            "i": {"feasible": True, "workloadPersonDays": 30},
        },
        by=DM,
    )["opportunityDeliveryReviewRecord"]
    assert reviewed["opportunity"]["deliveryReviewed"] is True
    assert reviewed["opportunity"]["deliveryReview"]["reviewedQuoteAmount"] == 500_000
    # The solution manager may not hand the customer the quote: the account manager does.
    others = run(world, SUBMIT, {"id": o1()}, by=SM)["opportunityQuoteSubmit"]
    assert [(e["code"], e["message"]) for e in others["userErrors"]] == [
        (
            "FORBIDDEN",
            "Only the deal's account manager (m-am) or a sales director submits its quote",
        )
    ]
    submitted = run(world, SUBMIT, {"id": o1()}, by=AM)["opportunityQuoteSubmit"]
    assert submitted["opportunity"]["quoteStatus"] == "SUBMITTED"
    # The day it went in is kept: the budget holders' silence is counted from it.
    went = run(world, QUOTE_SUBMITTED_AT, {"id": o1()}, by=AM)["node"]["quoteSubmittedAt"]
    now = datetime.fromtimestamp(world.store.clock() / 1000, UTC)
    assert abs(datetime.fromisoformat(went) - now) < timedelta(minutes=5)
    # Once is enough: a second submission, the director's too, is refused.
    again = run(world, SUBMIT, {"id": o1()}, by=DIRECTOR)["opportunityQuoteSubmit"]
    assert [p["code"] for p in again["problems"]] == ["QUOTE_SUBMITTED"]
    assert again["userErrors"][0]["code"] == "CONFLICT"
    # The account manager raises the quote afterwards: it needs a new review.
    version = world.store.get(NodeKind.OPPORTUNITY, "o1")["version"]
    raised = {"id": o1(), "i": {"quoteAmount": 650_000, "version": version}}
    assert run(world, OPP_UPDATE, raised, by=AM)["opportunityUpdate"]["userErrors"] == []
    stale = run(world, SUBMIT, {"id": o1()}, by=AM)["opportunityQuoteSubmit"]
    assert {p["code"] for p in stale["problems"]} == {"DELIVERY_REVIEW_STALE"}
    # The raised quote is a draft again: it has not gone in.
    assert run(world, QUOTE_SUBMITTED_AT, {"id": o1()}, by=AM)["node"]["quoteSubmittedAt"] is None


def test_quote_status_cannot_be_set_by_create_or_update() -> None:
    for name in ("OpportunityCreateInput", "OpportunityUpdateInput"):
        fields = {f.name for f in schema.get_type_by_name(name).fields}  # type: ignore[union-attr]
        assert "quote_status" not in fields
        assert "delivery_reviewed" not in fields
        assert "quote_submitted_at" not in fields
    update = {f.name for f in schema.get_type_by_name("OpportunityUpdateInput").fields}  # type: ignore[union-attr]
    assert "stage" not in update


# --- violations, pipeline, audit log --------------------------------------------------------------

VIOLATIONS = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  totalCount nodes { id rule subject message messageZh opportunity { id }
    responsible { id } acknowledged acknowledgementNote detectedAt } } }"""


CREATE_AT = """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) {
  opportunity { stage } userErrors { field message code } } }"""


def test_a_team_member_s_new_deal_starts_at_the_first_stage(world: World) -> None:
    """A sales director: an account manager who opens his deal at bidding skips every gate
    before it (the decision maker, the triangle, the reviewed quote) with a click. His new deal
    starts at the first stage; a deal already further along, moved from another system, is
    entered by the director, and the gates it skipped are violations at once."""
    c1 = gid("Customer", "c1")
    late = {"i": {"customerId": c1, "name": "Smart meters", "stage": "BIDDING"}}
    before = audits(world.store)
    refused = run(world, CREATE_AT, late, by=AM)["opportunityCreate"]
    assert refused["opportunity"] is None
    assert refused["userErrors"] == [
        {
            "field": ["input", "stage"],
            "message": "A new deal starts at Validate opportunity and passes each gate from "
            "there; a deal already further along (moved from another system) is entered by a "
            "sales director or an administrator",
            "code": "FORBIDDEN",
        }
    ]
    zh = run(world, CREATE_AT, late, by=AM, locale="zh-CN")["opportunityCreate"]
    assert zh["userErrors"][0]["message"] == (
        "新商机从“验证商机”开始，逐一通过各阶段关口；已在推进中的商机（从其他系统迁入）由销售总监或"
        "管理员录入"
    )
    assert audits(world.store) == before
    first = {"i": {"customerId": c1, "name": "Smart meters", "stage": "VALIDATE"}}
    assert run(world, CREATE_AT, first, by=AM)["opportunityCreate"]["opportunity"] == {
        "stage": "VALIDATE"
    }
    # a viewer is told that his role writes nothing, not where a deal starts
    viewer = world.api.as_(add_person(world.store, "vera", "viewer", AM))
    refused_viewer = viewer.data(CREATE_AT, late)["opportunityCreate"]
    assert refused_viewer["userErrors"] == [
        {"field": [], "message": "your role may not change data", "code": "FORBIDDEN"}
    ]
    moved = {"i": {"customerId": c1, "name": "Old CRM deal", "stage": "BIDDING"}}
    entered = run(world, CREATE_AT, moved, by=DIRECTOR)["opportunityCreate"]
    assert entered == {"opportunity": {"stage": "BIDDING"}, "userErrors": []}


def test_a_new_deal_is_open_unless_an_administrator_enters_one_decided_elsewhere(
    world: World,
) -> None:
    """A sales director: the quarter's win rate and the review of how deals were decided read
    the deals won and lost. One created already won was worked through no gate and would count
    as a win of the day it was typed in, even the director's own. A deal decided in another
    system is history an administrator enters."""
    c1 = gid("Customer", "c1")
    before = audits(world.store)
    for stage in ("WON", "LOST", "ABANDONED"):
        decided = {"i": {"customerId": c1, "name": "Smart meters", "stage": stage}}
        for by in (DIRECTOR, AM):
            refused = run(world, CREATE_AT, decided, by=by)["opportunityCreate"]
            assert refused == {
                "opportunity": None,
                "userErrors": [
                    {
                        "field": ["input", "stage"],
                        "message": "A new deal is open: a deal is won, lost or abandoned by "
                        "moving it there, through its gates; a deal already decided in another "
                        "system is entered by an administrator",
                        "code": "FORBIDDEN",
                    }
                ],
            }, (stage, by)
    won = {"i": {"customerId": c1, "name": "Smart meters", "stage": "WON"}}
    zh = run(world, CREATE_AT, won, by=DIRECTOR, locale="zh-CN")["opportunityCreate"]
    assert zh["userErrors"][0]["message"] == (
        "新商机创建时都是进行中的：赢单、丢单或放弃都要经过各阶段关口推进得出；已在其他系统中有结果的"
        "商机由管理员录入"
    )
    assert audits(world.store) == before
    admin = world.api.as_(add_person(world.store, "ada", "admin", None))
    entered = admin.data(CREATE_AT, won)["opportunityCreate"]
    assert entered == {"opportunity": {"stage": "WON"}, "userErrors": []}


def test_a_deal_created_past_its_gates_is_a_violation_at_once(world: World) -> None:
    created = run(
        world,
        """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) {
          opportunity { id } userErrors { message } } }""",
        {"i": {"customerId": gid("Customer", "c1"), "name": "Imported", "stage": "INITIATE"}},
    )["opportunityCreate"]
    deal = created["opportunity"]["id"]
    listed = run(world, VIOLATIONS, {"f": {"opportunityId": deal}})["violations"]
    assert listed["totalCount"] == 2
    assert {n["rule"] for n in listed["nodes"]} == {"STAGE_WITHOUT_APPROVAL"}
    assert {n["subject"] for n in listed["nodes"]} == {"1-1", "1-2"}

    violation = listed["nodes"][0]["id"]
    ack = run(
        world,
        """mutation($id: ID!, $n: String!) { violationAcknowledge(id: $id, note: $n) {
          violation { acknowledged acknowledgementNote } userErrors { code } } }""",
        {"id": violation, "n": "migrated from the old CRM"},
    )["violationAcknowledge"]
    assert ack["violation"] == {
        "acknowledged": True,
        "acknowledgementNote": "migrated from the old CRM",
    }
    sweep = run(world, "mutation { violationsSweep { checked found created { id } } }")
    assert sweep["violationsSweep"]["created"] == []
    assert run(world, VIOLATIONS, {"f": {"acknowledged": True}})["violations"]["totalCount"] == 1
    assert run(world, VIOLATIONS, {"f": {"rule": "SELF_APPROVAL"}})["violations"]["totalCount"] == 0


SWEEP = """mutation { violationsSweep { checked found
  created { id subject resolvedAt } resolved { id subject resolvedAt } } }"""
OPEN = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  totalCount nodes { id key rule subject acknowledged resolvedAt } } }"""


def _listed(world: World, by: str, **f: Any) -> dict[str, Any]:
    data: dict[str, Any] = run(world, OPEN, {"f": f}, by=by)["violations"]
    return data


def _events(store: GraphStore, kind: str) -> list[dict[str, Any]]:
    rows = store.executor.read(
        "MATCH (e:WebhookEvent {type: $t}) RETURN e.payload AS payload", {"t": kind}
    )
    return [json.loads(str(r["payload"]))["data"] for r in rows]


def test_my_work_lists_only_the_violations_one_answers_for(world: World) -> None:
    """My work asks for the open violations its reader answers for: the deal's account manager
    answers for a deal out of process, nobody else on its team does."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    run(world, SWEEP, by=DIRECTOR)
    mine = _listed(world, AM, open=True, responsibleId=member(AM))
    assert {v["subject"] for v in mine["nodes"]} == {"1-1", "1-2"}
    assert _listed(world, DIRECTOR, open=True, responsibleId=member(DIRECTOR))["totalCount"] == 0


ACKNOWLEDGE = """mutation($id: ID!, $n: String!) { violationAcknowledge(id: $id, note: $n) {
  violation { acknowledged acknowledgementNote } userErrors { field message code } } }"""
RESPOND = """mutation($id: ID!, $n: String!, $by: String) {
  violationRespond(id: $id, note: $n, putRightBy: $by) {
  violation { acknowledged respondedAt responseNote respondedBy { id } }
  userErrors { field message code } } }"""


def days_on(store: GraphStore, days: int) -> str:
    """The date ``days`` after the store's today (UTC), as a response promises it."""
    today = datetime.fromtimestamp(store.clock() / 1000, tz=UTC).date()
    return (today + timedelta(days=days)).isoformat()


MAY = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  nodes { id subject mayRespond mayAcknowledge responseNote responsible { id } } } }"""


def test_a_violation_is_answered_by_who_answers_for_it_and_acknowledged_by_the_director(
    world: World,
) -> None:
    """A sales director's rule for a process with zero tolerance: whoever answers for a
    violation responds with what was done (nobody covers for them: the delivery manager is
    refused on ``id``, naming who may, nothing written); the response takes it off their list,
    still open; their director acknowledges it, and nobody on the team clears their own
    record. ``mayRespond`` and ``mayAcknowledge`` tell each reader which they may do."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    world.store.update(NodeKind.TEAM_MEMBER, AM, {"name": "李明轩"})  # named, not by id
    run(world, SWEEP, by=DIRECTOR)
    deal = {"opportunityId": o1(), "open": True}
    seen = {by: run(world, MAY, {"f": deal}, by=by)["violations"] for by in (AM, DM, DIRECTOR)}
    owed = seen[AM]["nodes"]
    assert {v["subject"] for v in owed} == {"1-1", "1-2"}
    assert all(v["responsible"] == {"id": member(AM)} for v in owed)
    may = {
        by: {(v["mayRespond"], v["mayAcknowledge"]) for v in s["nodes"]} for by, s in seen.items()
    }
    assert may == {AM: {(True, False)}, DM: {(False, False)}, DIRECTOR: {(False, True)}}

    first, second = sorted(owed, key=lambda v: v["subject"])
    as_dm = world.api.as_(world.people[DM])
    errors = as_dm.refused(RESPOND, {"id": first["id"], "n": "asked"}, "FORBIDDEN", ["id"])
    assert errors[0]["message"] == (
        "Only 李明轩, who answers for this violation, responds to it; a sales director "
        "acknowledges it"
    )
    zh = as_dm.body(
        RESPOND, {"id": first["id"], "n": "已申请"}, headers={"Accept-Language": "zh-CN"}
    )
    assert zh["data"]["violationRespond"]["userErrors"][0]["message"] == (
        "只有该违规的责任人李明轩可以答复；由销售总监确认"
    )
    for by in (AM, DM):  # nobody on the team acknowledges, their own or a colleague's
        refused = world.api.as_(world.people[by]).refused(
            ACKNOWLEDGE, {"id": first["id"], "n": "done"}, "FORBIDDEN", ["id"]
        )
        assert refused[0]["message"] == (
            "A sales director acknowledges a violation; whoever answers for it responds with "
            "what was done"
        )

    answered = run(
        world,
        RESPOND,
        {"id": first["id"], "n": "1-1 requested today", "by": days_on(world.store, 7)},
        by=AM,
    )
    assert answered["violationRespond"]["violation"] == {
        "acknowledged": False,
        "respondedAt": answered["violationRespond"]["violation"]["respondedAt"],
        "responseNote": "1-1 requested today",
        "respondedBy": {"id": member(AM)},
    }
    assert answered["violationRespond"]["violation"]["respondedAt"]
    waiting = _listed(world, AM, open=True, responsibleId=member(AM), responded=False)
    assert [v["subject"] for v in waiting["nodes"]] == ["1-2"]
    to_judge = run(world, MAY, {"f": {**deal, "responded": True}}, by=DIRECTOR)["violations"]
    assert [(v["subject"], v["responseNote"]) for v in to_judge["nodes"]] == [
        ("1-1", "1-1 requested today")
    ]
    assert _listed(world, AM, opportunityId=o1(), open=True)["totalCount"] == 2  # still open

    for violation in (first, second):  # with a response or without one
        done = run(world, ACKNOWLEDGE, {"id": violation["id"], "n": "seen"}, by=DIRECTOR)
        assert done["violationAcknowledge"]["violation"]["acknowledged"], done
    assert _listed(world, AM, opportunityId=o1(), open=True)["totalCount"] == 0
    late = world.api.as_(world.people[AM]).refused(
        RESPOND, {"id": second["id"], "n": "late"}, "CONFLICT", ["id"]
    )
    assert late[0]["message"].startswith("this violation is already acknowledged")


SEND_BACK = """mutation($id: ID!, $n: String!) { violationSendBack(id: $id, note: $n) {
  violation { acknowledged respondedAt responseNote sentBackAt sentBackNote sentBackBy { id } }
  userErrors { field message code } } }"""
SEND_BACK_MAY = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  nodes { subject maySendBack } } }"""


def test_a_director_sends_a_response_back_and_it_waits_on_who_answers_for_it_again(
    world: World,
) -> None:
    """A director who does not accept a response sends it back with what it lacks ("a request
    is not an approval"): it leaves the director's list and is the account manager's again,
    still open, their response kept to read beside the director's note; only whoever may
    acknowledge it sends it back, and only a response that waits; the next response goes to
    the director again."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    run(world, SWEEP, by=DIRECTOR)
    deal = {"opportunityId": o1(), "open": True}
    owed = sorted(_listed(world, AM, **deal)["nodes"], key=lambda v: v["subject"])
    first, second = (v["id"] for v in owed)
    run(
        world,
        RESPOND,
        {"id": first, "n": "1-1 requested today", "by": days_on(world.store, 7)},
        by=AM,
    )
    may = {
        by: {
            (v["subject"], v["maySendBack"])
            for v in run(world, SEND_BACK_MAY, {"f": deal}, by=by)["violations"]["nodes"]
        }
        for by in (AM, DM, DIRECTOR)
    }
    assert may == {
        AM: {("1-1", False), ("1-2", False)},
        DM: {("1-1", False), ("1-2", False)},
        DIRECTOR: {("1-1", True), ("1-2", False)},  # nothing waits on 1-2
    }
    for by in (AM, DM):  # nobody on the team judges a response, their own or a colleague's
        refused = world.api.as_(world.people[by]).refused(
            SEND_BACK, {"id": first, "n": "not enough"}, "FORBIDDEN", ["id"]
        )
        assert refused[0]["message"] == (
            "A sales director who does not answer for this violation, or an administrator, "
            "sends its response back"
        )
    as_director = world.api.as_(world.people[DIRECTOR])
    nothing = as_director.refused(SEND_BACK, {"id": second, "n": "why?"}, "CONFLICT", ["id"])
    assert nothing[0]["message"].startswith("this violation has no response waiting")
    blank = as_director.body(SEND_BACK, {"id": first, "n": " "}, headers={"Accept-Language": "zh"})
    assert blank["data"]["violationSendBack"]["userErrors"] == [
        {"field": ["note"], "message": "请说明该答复还缺少什么", "code": "BAD_USER_INPUT"}
    ]
    assert _listed(world, AM, **deal, responded=True)["totalCount"] == 1  # nothing written

    lacks = {"id": first, "n": "a request is not an approval"}
    back = run(world, SEND_BACK, lacks, by=DIRECTOR)["violationSendBack"]
    assert back["userErrors"] == []
    sent = back["violation"]
    assert (sent["acknowledged"], sent["respondedAt"]) == (False, None)
    assert (sent["responseNote"], sent["sentBackNote"]) == (
        "1-1 requested today",
        "a request is not an approval",
    )
    assert sent["sentBackBy"] == {"id": member(DIRECTOR)}
    assert sent["sentBackAt"]
    mine = _listed(world, AM, **deal, responsibleId=member(AM), responded=False)
    assert {v["subject"] for v in mine["nodes"]} == {"1-1", "1-2"}
    assert _listed(world, DIRECTOR, **deal, responded=True)["totalCount"] == 0
    assert _listed(world, AM, **deal)["totalCount"] == 2  # still open
    sent_back = _events(world.store, "violation.sent_back")
    assert [e["id"] for e in sent_back] == [str(relay.GlobalID.from_id(first).node_id)]
    entries = world.store.audit_log(str(relay.GlobalID.from_id(first).node_id), limit=10).items
    assert "violation_send_back" in [e["operation"] for e in entries]

    run(
        world,
        RESPOND,
        {"id": first, "n": "1-1 approved by the VP today", "by": days_on(world.store, 7)},
        by=AM,
    )
    waiting = _listed(world, DIRECTOR, **deal, responded=True)["nodes"]
    assert [v["subject"] for v in waiting] == ["1-1"]
    done = run(world, ACKNOWLEDGE, {"id": first, "n": "good"}, by=DIRECTOR)
    assert done["violationAcknowledge"]["violation"]["acknowledged"]
    late = as_director.refused(SEND_BACK, {"id": first, "n": "again"}, "CONFLICT", ["id"])
    assert late[0]["message"].startswith("this violation is already acknowledged")


AGAIN = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  totalCount nodes { id subject message acknowledged repeat repeatOfId repeatedAt resolvedAt
  responsible { id } } } }"""


def test_an_acknowledged_violation_whose_cause_holds_is_raised_again_at_its_recheck(
    world: World,
) -> None:
    """A sales director's recheck: an acknowledgement is not an approval. A deal still without
    its gate approval two weeks after the director acknowledged it is raised again, as a new
    violation the account manager answers for, saying who acknowledged it and when; the
    acknowledged one stays on record; a sweep the day before raises nothing, and nor does a
    second sweep; acknowledged and still so two weeks later, it comes back a second time; the
    approval, once given, resolves them all."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    world.store.update(NodeKind.TEAM_MEMBER, DIRECTOR, {"name": "周志强"})
    run(world, SWEEP, by=DIRECTOR)
    deal = {"opportunityId": o1()}
    first = next(v for v in _listed(world, AM, **deal)["nodes"] if v["subject"] == "1-1")
    run(world, ACKNOWLEDGE, {"id": first["id"], "n": "fine for now"}, by=DIRECTOR)  # unanswered

    def acknowledged_days_ago(days: int) -> str:
        at = world.store.clock() - days * 86_400_000
        world.store.executor.write(
            "MATCH (v:Violation {key: $key}) WHERE v.acknowledged = true "
            "SET v.acknowledged_at = $at",
            {"key": first["key"], "at": at},
        )
        return datetime.fromtimestamp(at / 1000, tz=UTC).date().isoformat()

    acknowledged_days_ago(13)
    assert run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"] == []
    on = acknowledged_days_ago(15)
    created = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"]
    assert [v["subject"] for v in created] == ["1-1"]
    listed = run(world, AGAIN, {"f": {**deal, "open": True}}, by=AM)["violations"]["nodes"]
    (again,) = [v for v in listed if v["subject"] == "1-1"]
    assert again["id"] == created[0]["id"] != first["id"]
    assert (again["repeat"], again["repeatOfId"], again["responsible"]) == (
        1,
        first["id"],
        {"id": member(AM)},
    )
    assert again["message"] == (
        "The deal is in Initiate opportunity without TAS+1-1 Create opportunity approved — "
        f"raised again (1): acknowledged by 周志强 on {on} UTC, still not put right"
    )
    old = run(
        world,
        "query($id: ID!) { node(id: $id) { ... on Violation { acknowledged "
        "repeatedAt resolvedAt } } }",
        {"id": first["id"]},
        by=DIRECTOR,
    )["node"]
    assert old["acknowledged"]
    assert old["repeatedAt"]
    assert old["resolvedAt"] is None
    mine = _listed(world, AM, **deal, open=True, responsibleId=member(AM), responded=False)
    assert again["id"] in [v["id"] for v in mine["nodes"]]
    raised = [e for e in _events(world.store, "violation.raised") if e.get("repeat_of")]
    assert [(e["repeat_of"], e["repeat"]) for e in raised] == [
        (str(relay.GlobalID.from_id(first["id"]).node_id), 1)
    ]
    assert run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"] == []  # not daily

    run(world, ACKNOWLEDGE, {"id": again["id"], "n": "the VP is away"}, by=DIRECTOR)
    on = acknowledged_days_ago(15)
    third = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"]
    listed = run(world, AGAIN, {"f": {**deal, "open": True}}, by=AM)["violations"]["nodes"]
    (twice,) = [v for v in listed if v["subject"] == "1-1"]
    assert [v["id"] for v in third] == [twice["id"]]
    assert (twice["repeat"], twice["repeatOfId"]) == (2, again["id"])
    assert twice["message"].endswith(
        f"— raised again (2): acknowledged by 周志强 on {on} UTC, still not put right"
    )

    approve(world, "1-1")
    gone = run(world, AGAIN, {"f": {**deal, "resolved": True}}, by=DIRECTOR)["violations"]
    assert {v["id"] for v in gone["nodes"]} == {first["id"], again["id"], twice["id"]}


ACKNOWLEDGE_READ = """mutation($id: ID!, $n: String!, $r: DateTime) {
  violationAcknowledge(id: $id, note: $n, respondedAt: $r) {
  violation { acknowledged } userErrors { field message code } } }"""
PROMISED = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  nodes { id subject message putRightBy recheckDays respondedAt repeat repeatOfId } } }"""


def test_a_response_promises_a_date_and_a_promise_missed_comes_back_the_day_after(
    world: World,
) -> None:
    """A sales director holds people to the deadline they set themselves. A gate still
    unapproved is answered with the date it will be approved by: none, today, a date past the
    process's 90 days or past the deal's expected close, or no date at all is refused at
    ``putRightBy`` (nothing written); a send-back takes the date with the response.
    Acknowledged, the violation comes back the day after the date if the gate is still
    unapproved, saying the commitment was missed, by whom and for when; a date later than the
    usual 14-day recheck is what the director agreed to, so the recheck waits for it. A
    self-approval, judged once, takes no date."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    world.store.update(NodeKind.TEAM_MEMBER, AM, {"name": "李明轩"})
    world.store.update(NodeKind.TEAM_MEMBER, DIRECTOR, {"name": "周志强"})
    world.store.update(
        NodeKind.OPPORTUNITY, "o1", {"expected_close_date": days_on(world.store, 60)}
    )
    run(world, SWEEP, by=DIRECTOR)
    deal = {"opportunityId": o1(), "open": True}
    listed = run(world, PROMISED, {"f": deal}, by=AM)["violations"]["nodes"]
    first, second = sorted(listed, key=lambda v: v["subject"])
    assert (first["recheckDays"], first["putRightBy"]) == (14, None)
    as_am = world.api.as_(world.people[AM])

    def refused(by: str | None, locale: str = "en") -> str:
        variables = {"id": first["id"], "n": "requested", "by": by}
        headers = {"Accept-Language": locale}
        body = as_am.body(RESPOND, variables, headers=headers)["data"]["violationRespond"]
        (error,) = body["userErrors"]
        assert (error["field"], error["code"], body["violation"]) == (
            ["putRightBy"],
            "BAD_USER_INPUT",
            None,
        )
        return str(error["message"])

    assert refused(None) == "say by when it will be put right (a date from tomorrow on)"
    assert refused(None, "zh-CN") == "请说明何时改正（自明天起的日期）"
    assert refused(days_on(world.store, 0)).startswith("a date from tomorrow on")
    assert refused("10/12/2026") == "must be a date as YYYY-MM-DD"
    last = days_on(world.store, 90)
    assert refused(days_on(world.store, 91)) == f"at most 90 days ahead (by {last})"
    close = days_on(world.store, 60)
    assert refused(days_on(world.store, 61)) == (
        f"the deal is expected to close on {close}: put it right by then"
    )
    assert run(world, PROMISED, {"f": deal}, by=AM)["violations"]["nodes"][0]["respondedAt"] is None

    promised = days_on(world.store, 5)
    friday = {"id": first["id"], "n": "the VP signs on Friday", "by": promised}
    read_first = run(world, RESPOND, friday, by=AM)["violationRespond"]["violation"]["respondedAt"]
    shown = {
        v["subject"]: v
        for v in run(world, PROMISED, {"f": deal}, by=DIRECTOR)["violations"]["nodes"]
    }
    assert shown["1-1"]["putRightBy"] == promised
    responded = _events(world.store, "violation.responded")
    assert [e["after"]["put_right_by"] for e in responded] == [promised]
    run(world, SEND_BACK, {"id": first["id"], "n": "too late: before the QBR"}, by=DIRECTOR)
    shown = {
        v["subject"]: v for v in run(world, PROMISED, {"f": deal}, by=AM)["violations"]["nodes"]
    }
    assert shown["1-1"]["putRightBy"] is None  # the date went back with the response
    # A second director's page still shows the response sent back: nothing waits to be
    # acknowledged, and the refusal says so.
    sent_back = {"id": first["id"], "n": "fine", "r": read_first}
    (gone,) = world.api.as_(world.people[DIRECTOR]).refused(
        ACKNOWLEDGE_READ, sent_back, "CONFLICT", ["id"]
    )
    assert gone["message"].startswith("its response was sent back meanwhile: nothing waits")
    said = run(
        world,
        RESPOND,
        {"id": first["id"], "n": "the VP signs Tuesday", "by": days_on(world.store, 3)},
        by=AM,
    )["violationRespond"]["violation"]["respondedAt"]
    newer = {"id": first["id"], "n": "after the VP's trip", "by": days_on(world.store, 40)}
    run(world, RESPOND, newer, by=AM)  # while the director reads the first
    as_director = world.api.as_(world.people[DIRECTOR])
    unread = {"id": first["id"], "n": "Tuesday then", "r": said}
    (stale,) = as_director.refused(ACKNOWLEDGE_READ, unread, "CONFLICT", ["id"])
    assert stale["message"].startswith("a newer response came in meanwhile, read it before")
    shown = {
        v["subject"]: v
        for v in run(world, PROMISED, {"f": deal}, by=DIRECTOR)["violations"]["nodes"]
    }
    assert shown["1-1"]["putRightBy"] == days_on(world.store, 40)
    read = {"id": first["id"], "n": "the trip then", "r": shown["1-1"]["respondedAt"]}
    assert (
        run(world, ACKNOWLEDGE_READ, read, by=DIRECTOR)["violationAcknowledge"]["userErrors"] == []
    )
    later = days_on(world.store, 30)  # beyond the 14-day recheck: the director agrees to it
    run(world, RESPOND, {"id": second["id"], "n": "after the budget round", "by": later}, by=AM)
    run(world, ACKNOWLEDGE, {"id": second["id"], "n": "agreed"}, by=DIRECTOR)

    def promise(subject: str, days: int) -> None:
        """The promise as if made ``days`` from today (the store clock does not move on)."""
        world.store.executor.write(
            "MATCH (v:Violation {subject: $s}) WHERE v.acknowledged = true "
            "SET v.put_right_by = $by, v.acknowledged_at = $at",
            {
                "s": subject,
                "by": days_on(world.store, days),
                "at": world.store.clock() - 20 * 86_400_000,
            },
        )

    promise("1-1", 0)  # due today: not missed yet
    promise("1-2", 1)  # acknowledged 20 days ago, promised for tomorrow
    assert run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"] == []
    promise("1-1", -1)  # the date has passed and the gate is still unapproved
    created = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"]
    assert [v["subject"] for v in created] == ["1-1"]
    again = {
        v["subject"]: v for v in run(world, PROMISED, {"f": deal}, by=AM)["violations"]["nodes"]
    }
    yesterday = days_on(world.store, -1)
    ago = (
        datetime.fromtimestamp((world.store.clock() - 20 * 86_400_000) / 1000, tz=UTC)
        .date()
        .isoformat()
    )
    assert again["1-1"]["message"] == (
        "The deal is in Initiate opportunity without TAS+1-1 Create opportunity approved — "
        f"raised again (1), commitment missed: promised by 李明轩 for {yesterday}, acknowledged "
        f"by 周志强 on {ago} UTC, still not put right"
    )
    assert (again["1-1"]["repeat"], again["1-1"]["repeatOfId"], again["1-1"]["putRightBy"]) == (
        1,
        first["id"],
        None,
    )

    world.store.executor.write(
        "CREATE (v:Violation {id: 'v-self', key: 'SELF_APPROVAL:o1:a9', rule: 'SELF_APPROVAL',"
        " opportunity_id: 'o1', subject: 'a9', responsible_member_id: $am,"
        " message_en: 'Approved own request', message_zh: '审批了自己的申请', evidence: '{}',"
        " detected_at: $now, acknowledged: false})",
        {"am": AM, "now": world.store.clock()},
    )
    self_approved = {"id": gid("Violation", "v-self"), "n": "re-approved by the VP"}
    judged = as_am.body(RESPOND, {**self_approved, "by": days_on(world.store, 5)})
    assert judged["data"]["violationRespond"]["userErrors"][0]["message"] == (
        "a past event is judged once: there is no date to put it right by"
    )
    done = run(world, RESPOND, self_approved, by=AM)["violationRespond"]
    assert done["userErrors"] == []


COMMITMENTS = """query($f: ViolationFilter) { violations(filter: $f, first: 10) {
  totalCount nodes { subject opportunity { name } putRightBy acknowledgedByMember { name }
    respondedBy { name } responsible { name } } } }"""
SEND_BACK_ONE = """mutation($id: ID!, $n: String!) { violationSendBack(id: $id, note: $n) {
  userErrors { message } } }"""
HAND_OVER = """mutation($id: ID!, $i: TeamMemberHandOverInput!) {
  teamMemberHandOver(id: $id, input: $i) { userErrors { message } } }"""
VERSION = """query($id: ID!) { node(id: $id) { ... on TeamMember { version } } }"""


def _commitments(world: World, by: str | None, **f: Any) -> list[tuple[str, ...]]:
    """The running commitments ``by`` sees: deal, subject, date promised, who promised it, who
    answers for it now, who agreed to it."""
    listed = run(world, COMMITMENTS, {"f": {"promised": True, **f}}, by=by)["violations"]
    return sorted(
        (
            v["opportunity"]["name"],
            v["subject"],
            v["putRightBy"],
            v["respondedBy"]["name"],
            v["responsible"]["name"],
            (v["acknowledgedByMember"] or {}).get("name", "-"),
        )
        for v in listed["nodes"]
    )


def _violation_of(world: World, deal: str, subject: str, by: str) -> str:
    """The global ID of a deal's open violation of ``subject``."""
    listed = run(world, PROMISED, {"f": {"opportunityId": gid("Opportunity", deal)}}, by=by)
    (found,) = [v["id"] for v in listed["violations"]["nodes"] if v["subject"] == subject]
    return str(found)


def test_a_commitment_stays_in_sight_until_it_is_kept_or_comes_back(world: World) -> None:
    """Once a director acknowledges a response that promised a date, the violation leaves the
    open lists; the promise must not leave everyone's sight with it. ``promised`` lists the
    commitments still running on the open deals one sees, each with the date, who promised it,
    who answers for it now and who agreed to it, until the cause is put right, or the date
    passes and the violation comes back as a commitment missed. A response still waiting, or a
    violation acknowledged without a date, is no commitment; a deal closed makes its promise
    moot; a hand-over gives the successor the promise their predecessor made."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    for member, name in ((AM, "李明轩"), (SM, "孙丽"), (DIRECTOR, "周志强"), (OUTSIDER, "吴超")):
        world.store.update(NodeKind.TEAM_MEMBER, member, {"name": name})
    # the outsider's own deal, which neither the account manager nor the director sees
    world.store.create(NodeKind.CUSTOMER, {"name": "County Clinic"}, node_id="c2")
    world.store.create_opportunity("c2", {"name": "Clinic PACS", "stage": "INITIATE"}, node_id="o2")
    world.store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, OUTSIDER),
        (NodeKind.OPPORTUNITY, "o2"),
        {"role": "ACCOUNT_MANAGER"},
    )
    run(world, SWEEP)  # the administrator's, over every open deal
    first, second = (_violation_of(world, "o1", s, AM) for s in ("1-1", "1-2"))
    soon, later = days_on(world.store, 5), days_on(world.store, 20)
    run(world, RESPOND, {"id": first, "n": "the VP signs on Friday", "by": soon}, by=AM)
    run(world, RESPOND, {"id": second, "n": "after the budget round", "by": later}, by=AM)
    assert _commitments(world, AM) == []  # nobody agreed to a date yet
    run(world, ACKNOWLEDGE, {"id": first, "n": "Friday then"}, by=DIRECTOR)

    running = [("Smart hospital", "1-1", soon, "李明轩", "李明轩", "周志强")]
    assert _commitments(world, AM, responsibleId=gid("TeamMember", AM)) == running
    assert _commitments(world, DIRECTOR, opportunityId=o1()) == running
    deal = {"opportunityId": o1(), "open": True}
    assert [v["subject"] for v in _listed(world, AM, **deal)["nodes"]] == ["1-2"]
    assert _listed(world, AM, opportunityId=o1(), promised=False)["totalCount"] == 1

    theirs, bare = (_violation_of(world, "o2", s, OUTSIDER) for s in ("1-1", "1-2"))
    run(world, RESPOND, {"id": theirs, "n": "signed next week", "by": soon}, by=OUTSIDER)
    run(world, ACKNOWLEDGE, {"id": theirs, "n": "fine"})  # the administrator, no team member
    run(world, RESPOND, {"id": bare, "n": "asked for it", "by": later}, by=OUTSIDER)
    run(world, SEND_BACK_ONE, {"id": bare, "n": "asking is not approving"})  # the date goes
    run(world, ACKNOWLEDGE, {"id": bare, "n": "judged as it stands"})  # acknowledged, no date
    clinic = [("Clinic PACS", "1-1", soon, "吴超", "吴超", "-")]
    assert _commitments(world, OUTSIDER, opportunityId=gid("Opportunity", "o2")) == clinic
    assert _commitments(world, DIRECTOR) == running  # not the deals they do not see
    assert _commitments(world, AM) == running
    # closed by an import, which checks no rule: its violations stay as they were
    world.store.update(NodeKind.OPPORTUNITY, "o2", {"stage": "LOST"})
    assert _commitments(world, None) == running  # a closed deal's promise is moot

    run(world, ACKNOWLEDGE, {"id": second, "n": "agreed"}, by=DIRECTOR)
    assert [c[1] for c in _commitments(world, AM, opportunityId=o1())] == ["1-1", "1-2"]
    approve(world, "1-2")  # kept: the gate is approved, its violation resolved
    assert _commitments(world, AM, opportunityId=o1()) == running

    version = run(world, VERSION, {"id": gid("TeamMember", AM)})["node"]["version"]
    to_sun = {
        "id": gid("TeamMember", AM),
        "i": {"successorId": gid("TeamMember", SM), "version": version},
    }
    assert run(world, HAND_OVER, to_sun)["teamMemberHandOver"]["userErrors"] == []
    handed = [("Smart hospital", "1-1", soon, "李明轩", "孙丽", "周志强")]
    assert _commitments(world, SM, responsibleId=gid("TeamMember", SM)) == handed

    world.store.executor.write(  # agreed 20 days ago for yesterday (the clock stands still)
        "MATCH (v:Violation {subject: '1-1', opportunity_id: 'o1'}) WHERE v.acknowledged "
        "SET v.put_right_by = $by, v.acknowledged_at = $at",
        {"by": days_on(world.store, -1), "at": world.store.clock() - 20 * 86_400_000},
    )
    assert [c[1] for c in _commitments(world, DIRECTOR)] == ["1-1"]  # until the next check
    created = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["created"]
    assert [v["subject"] for v in created] == ["1-1"]
    assert _commitments(world, DIRECTOR) == []  # missed: open again, to answer
    assert [v["subject"] for v in _listed(world, DIRECTOR, **deal)["nodes"]] == ["1-1"]


def test_a_sales_director_does_not_acknowledge_a_violation_they_answer_for(world: World) -> None:
    """A director who decided on their own request answers for that violation: another
    director or an administrator judges it, never they."""
    world.store.executor.write(
        "CREATE (v:Violation {id: 'v-own', key: 'SELF_APPROVAL:o1:a9', rule: 'SELF_APPROVAL',"
        " opportunity_id: 'o1', subject: 'a9', responsible_member_id: $d,"
        " message_en: 'Approved own request', message_zh: '审批了自己的申请', evidence: '{}',"
        " detected_at: $now, acknowledged: false})",
        {"d": DIRECTOR, "now": world.store.clock()},
    )
    own = gid("Violation", "v-own")
    refused = world.api.as_(world.people[DIRECTOR]).refused(
        ACKNOWLEDGE, {"id": own, "n": "fine"}, "FORBIDDEN", ["id"]
    )
    assert refused[0]["message"].startswith("You answer for this violation")
    answered = run(world, RESPOND, {"id": own, "n": "asked the VP to approve"}, by=DIRECTOR)
    assert answered["violationRespond"]["userErrors"] == []
    done = run(world, ACKNOWLEDGE, {"id": own, "n": "approved again by the VP"})  # administrator
    assert done["violationAcknowledge"]["violation"]["acknowledged"]


def test_a_violation_put_right_is_resolved_when_it_is_put_right(world: World) -> None:
    """The walk of a process owner: a deal imported at INITIATE lacks 1-1 and 1-2; the moment
    the director approves each, its violation is resolved (the deal page says so at once, not at
    the next sweep): the account manager's open list empties, they stay on record with
    ``resolvedAt``, the audit entries and webhook events say so, the pipeline counts them no
    more, and the next sweep has nothing left to resolve."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    first = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]
    assert {v["subject"] for v in first["created"]} == {"1-1", "1-2"}
    assert first["resolved"] == []
    assert _listed(world, AM, opportunityId=o1(), open=True)["totalCount"] == 2

    approve(world, "1-1")
    assert [v["subject"] for v in _listed(world, AM, opportunityId=o1(), open=True)["nodes"]] == [
        "1-2"
    ]
    approve(world, "1-2")
    assert _listed(world, AM, opportunityId=o1(), open=True)["totalCount"] == 0
    kept = _listed(world, AM, opportunityId=o1(), resolved=True)
    assert {(v["subject"], v["acknowledged"]) for v in kept["nodes"]} == {
        ("1-1", False),
        ("1-2", False),
    }
    assert all(v["resolvedAt"] for v in kept["nodes"])
    assert _listed(world, AM, opportunityId=o1(), resolved=False)["totalCount"] == 0
    # ``acknowledged`` keeps its meaning: nobody acknowledged them.
    assert _listed(world, AM, opportunityId=o1(), acknowledged=False)["totalCount"] == 2
    entries = world.store.audit_log("o1", limit=10).items
    detected = [json.loads(e["changes"]) for e in entries if e["operation"] == "violations_detect"]
    assert sorted(key for d in detected for key in d["resolved"]) == [
        "STAGE_WITHOUT_APPROVAL:o1:1-1",
        "STAGE_WITHOUT_APPROVAL:o1:1-2",
    ]
    resolved = _events(world.store, "violation.resolved")
    assert {e["id"] for e in resolved} == {
        str(relay.GlobalID.from_id(v["id"]).node_id) for v in kept["nodes"]
    }
    assert {e["rule"] for e in resolved} == {"STAGE_WITHOUT_APPROVAL"}
    pipeline = run(world, "{ pipeline { violationsByRule { rule count } } }", by=DIRECTOR)
    assert pipeline["pipeline"]["violationsByRule"] == []
    second = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]
    assert (second["found"], second["created"], second["resolved"]) == (0, [], [])
    assert len(_events(world.store, "violation.resolved")) == 2


def test_a_cause_that_comes_back_raises_a_new_violation(world: World) -> None:
    """A required action overdue, then done (resolved), then undone: a new violation with the
    same key, the resolved one kept beside it."""
    world.store.executor.write(
        "MATCH (o:Opportunity {id: 'o1'}) SET o.stage_entered_at = $at",
        {"at": world.store.clock() - 40 * 86_400_000},
    )
    overdue = {"opportunityId": o1(), "rule": "ACTION_OVERDUE"}
    run(world, SWEEP, by=DIRECTOR)
    first = _listed(world, AM, open=True, **overdue)["nodes"]
    assert [v["subject"] for v in first] == ["decision_maker_identified"]

    _do_actions(world)
    resolved = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]["resolved"]
    assert [v["id"] for v in resolved] == [first[0]["id"]]
    assert _listed(world, AM, open=True, **overdue)["totalCount"] == 0

    world.store.remove_edge(
        EdgeKind.IN_DECISION_CHAIN, (NodeKind.KEY_PERSON, "p1"), (NodeKind.OPPORTUNITY, "o1")
    )
    again = run(world, SWEEP, by=DIRECTOR)["violationsSweep"]
    assert [v["subject"] for v in again["created"]] == ["decision_maker_identified"]
    assert again["created"][0]["id"] != first[0]["id"]
    every = _listed(world, AM, **overdue)["nodes"]
    assert {v["key"] for v in every} == {first[0]["key"]}
    assert [v["resolvedAt"] is None for v in every] == [True, False]  # newest first


def test_no_mutation_can_delete_a_violation() -> None:
    mutation = schema.get_type_by_name("Mutation")
    names = [f.name for f in mutation.fields]  # type: ignore[union-attr]
    assert not [n for n in names if "violation" in n.lower() and "delete" in n.lower()]
    # The walk below also checks that no mutation lowers the number of Violation nodes.


def test_pipeline_by_stage_grade_compliance_approvals_and_violations(world: World) -> None:
    world.store.create_opportunity(
        "c1", {"name": "Late", "stage": "INITIATE", "amount": 1_000, "grade": "A"}, node_id="o2"
    )
    run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": "1-1"}},
        by=AM,
    )
    run(world, "mutation { violationsSweep { checked } }")
    data = run(
        world,
        """{ pipeline { total gateCompliant gateComplianceRate
          byStage { stage count amounts { currency amount } }
          byGrade { grade count }
          pendingApprovalsByRole { role count } pendingApprovals { process }
          violationsByRule { rule count } } }""",
    )["pipeline"]
    assert data["total"] == 2
    assert data["gateCompliant"] == 1  # o1 at VALIDATE needs nothing yet; o2 skipped its gate
    assert data["gateComplianceRate"] == 0.5
    assert {b["stage"]: b["count"] for b in data["byStage"]} == {"VALIDATE": 1, "INITIATE": 1}
    initiate = next(b for b in data["byStage"] if b["stage"] == "INITIATE")
    assert initiate["amounts"] == [{"currency": "CNY", "amount": 1_000}]
    assert {b["grade"] for b in data["byGrade"]} == {"A", "C"}
    assert data["pendingApprovalsByRole"] == [{"role": "SALES_DIRECTOR", "count": 1}]
    assert data["pendingApprovals"] == [{"process": "1-1"}]
    assert data["violationsByRule"] == [{"rule": "STAGE_WITHOUT_APPROVAL", "count": 2}]


def test_pipeline_names_each_rule_and_says_how_many_were_answered_on_which_deals(
    world: World,
) -> None:
    """A director's overview of the process: each rule by its name in the reader's language,
    how many of its open violations wait for his acknowledgement (answered) and the deals
    concerned, of the deals he may see; a response sent back counts as unanswered again."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    world.store.create_opportunity("c1", {"name": "Late", "stage": "INITIATE"}, node_id="o2")
    run(world, SWEEP)  # the administrator's: every deal
    owed = _listed(world, AM, opportunityId=o1(), open=True)["nodes"]
    first = next(v for v in owed if v["subject"] == "1-1")
    run(world, RESPOND, {"id": first["id"], "n": "requested", "by": days_on(world.store, 7)}, by=AM)
    query = "{ pipeline { violationsByRule { rule label count responded opportunityIds } } }"
    en = run(world, query, by=DIRECTOR)["pipeline"]["violationsByRule"]
    assert en == [  # o2 is nobody's on his team: not his to see, not counted
        {
            "rule": "STAGE_WITHOUT_APPROVAL",
            "label": "Stage entered without its approval",
            "count": 2,
            "responded": 1,
            "opportunityIds": [o1()],
        }
    ]
    everything = run(world, query)["pipeline"]["violationsByRule"]  # the administrator
    assert (everything[0]["count"], everything[0]["responded"]) == (4, 1)
    o2 = str(relay.GlobalID("Opportunity", "o2"))
    assert sorted(everything[0]["opportunityIds"]) == sorted([o1(), o2])
    zh = run(world, query, by=DIRECTOR, locale="zh-CN")["pipeline"]["violationsByRule"]
    assert zh[0]["label"] == "未获批准进入阶段"
    send_back = """mutation($id: ID!, $n: String!) { violationSendBack(id: $id, note: $n) {
      userErrors { message } } }"""
    assert run(world, send_back, {"id": first["id"], "n": "not yet"}, by=DIRECTOR)[
        "violationSendBack"
    ] == {"userErrors": []}
    again = run(world, query, by=DIRECTOR)["pipeline"]["violationsByRule"]
    assert (again[0]["count"], again[0]["responded"]) == (2, 0)


def test_audit_log_reads_entries_of_one_target_newest_first(world: World) -> None:
    approve(world, "1-1")
    query = """query($t: ID, $a: String) { auditLog(targetId: $t, first: 2, after: $a) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { operation actorId targetKind targetId before after at } } }"""
    first = run(world, query, {"t": o1()})["auditLog"]
    # its creation and its approval's request and decision (an approval is a node of its own);
    # team edges are audited under "m-am->o1"
    assert first["totalCount"] == 3
    assert [n["operation"] for n in first["nodes"]] == ["approval_decide", "approval_request"]
    assert {n["targetKind"] for n in first["nodes"]} == {"Approval"}
    rest = run(world, query, {"t": o1(), "a": first["pageInfo"]["endCursor"]})["auditLog"]
    assert [(n["operation"], n["targetId"]) for n in rest["nodes"]] == [("create", "o1")]
    assert run(world, query, {"t": "m-am->o1"})["auditLog"]["totalCount"] == 1
    entries = run(world, query, {"t": None})["auditLog"]
    latest = entries["nodes"][0]
    assert latest["operation"] == "approval_decide"
    assert latest["before"] == {"state": "PENDING"}
    assert latest["after"]["state"] == "APPROVED"
    assert latest["actorId"] == LOGINS[DIRECTOR][0]
    assert [n["operation"] for n in entries["nodes"]] == ["approval_decide", "approval_request"]
    assert entries["pageInfo"]["hasNextPage"] is True
    second = run(world, query, {"t": None, "a": entries["pageInfo"]["endCursor"]})["auditLog"]
    assert [n["operation"] for n in second["nodes"]] == ["create", "create"]  # the two people
    viewer = world.api.as_(add_person(world.store, "vic", "viewer", AM))
    assert viewer.top_error(query, {"t": None}, "FORBIDDEN")


def test_a_directors_audit_log_of_a_deal_or_approval_costs_two_round_trips(world: World) -> None:
    """A director reads the log of one thing he may see: whether he may (of the kind its
    global ID names) and the log, one round trip each, whatever the kind; a store id alone
    still reads the same log."""
    approval = relay.GlobalID.from_id(approve(world, "1-1")).node_id
    query = """query($t: ID) { auditLog(targetId: $t, first: 20) {
      totalCount nodes { operation targetId } } }"""
    director = world.api.as_(world.people[DIRECTOR])
    deal, trips = director.trips(query, {"t": o1()})
    assert deal["auditLog"]["totalCount"] == 3
    assert trips == 2
    one, trips = director.trips(query, {"t": gid("Approval", approval)})
    assert [n["operation"] for n in one["auditLog"]["nodes"]] == [
        "approval_decide",
        "approval_request",
    ]
    assert trips == 2
    assert director.data(query, {"t": "o1"}) == deal


# --- every mutation writes exactly one audit entry ------------------------------------------------


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _doc(name: str, signature: dict[str, str]) -> str:
    params = ", ".join(f"${k}: {t}" for k, t in signature.items())
    args = ", ".join(f"{k}: ${k}" for k in signature)
    head = f"mutation({params})" if params else "mutation"
    call = f"{name}({args})" if args else name
    return f"{head} {{ {call} {{ userErrors {{ field message code }} }} }}"


def test_every_mutation_writes_exactly_one_audit_entry(world: World) -> None:
    """Run one valid call of every mutation of the schema, in an order where each finds what it
    needs, and check the audit grows by exactly one and no Violation ever disappears.

    Rules with no exception: a create, update, delete, edge change, stage move, approval step,
    review, quote submission or acknowledgement is one statement with one audit entry, and
    ``violationsSweep`` writes one audit entry for the whole sweep (listing the new violations
    in it), not one per violation; a saved what-if writes one per change it tried, as their own
    writes would (here one change). A process write that raises or resolves violations (a deal
    created in a later stage, a stage move, an approval, a review, a quote) additionally records
    that detection in one entry of its own; see
    ``test_a_deal_created_past_its_gates_is_a_violation_at_once`` and
    ``test_a_violation_put_right_is_resolved_when_it_is_put_right``.
    """
    s = world.store
    s.create_opportunity("c1", {"name": "Moved", "stage": "INITIATE"}, node_id="o-moved")
    s.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, AM),
        (NodeKind.OPPORTUNITY, "o-moved"),
        {"role": "ACCOUNT_MANAGER"},
    )
    s.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "DECISION_MAKER"},
    )
    s.create_opportunity("c1", {"name": "Skipped", "stage": "BIDDING"}, node_id="o-bad")
    sweep(s, definition())
    v = ps.list_violations(s, opportunity_id="o-moved", limit=1).items[0]["id"]  # the AM's

    def version(kind: NodeKind, node_id: str) -> int:
        return int(s.get(kind, node_id)["version"])

    state: dict[str, str] = {}

    def item_version() -> int:
        item = relay.GlobalID.from_id(state["workPlanItem"]).node_id
        return version(NodeKind.WORK_PLAN_ITEM, item)

    def still_open() -> str:
        """The AM's violation if its cause still holds when its steps begin, else one raised on
        their deal just then (the writes before may have put the sweep's right): a response is
        sent back only while its cause holds."""
        if ps.get_violation(s, v).get("resolved_at") is None:
            state["v"] = str(v)
            return state["v"]
        s.executor.write(
            "MATCH (o:Opportunity {id: 'o-moved'}) CREATE (x:Violation {id: 'v-walk', "
            "key: 'STAGE_WITHOUT_APPROVAL:o-moved:walk', rule: 'STAGE_WITHOUT_APPROVAL', "
            "opportunity_id: 'o-moved', subject: 'walk', responsible_member_id: $am, "
            "message_en: 'Walked', message_zh: '走查', evidence: '{}', detected_at: 1, "
            "acknowledged: false})-[:VIOLATION_OF]->(o)",
            {"am": AM},
        )
        state["v"] = "v-walk"
        return state["v"]

    opp, cust = o1(), gid("Customer", "c1")
    outsider = gid("TeamMember", OUTSIDER)
    p1, p2 = gid("KeyPerson", "p1"), gid("KeyPerson", "p2")
    k1 = gid("Competitor", "k1")
    t = "2025-09-01T09:00:00Z"  # before the store clock: a result may be recorded

    calls: list[tuple[str, dict[str, str], Callable[[], dict[str, Any]], str]] = [
        # an endpoint first, so that the stage move below is an event it receives
        (
            "webhookEndpointCreate",
            {"input": "WebhookEndpointCreateInput!"},
            lambda: {"input": {"url": HOOK_URL, "events": ["opportunity.stage_changed"]}},
            "endpoint",
        ),
        ("webhookEndpointDisable", {"id": "ID!"}, lambda: {"id": state["endpoint"]}, ""),
        ("webhookEndpointEnable", {"id": "ID!"}, lambda: {"id": state["endpoint"]}, ""),
        ("webhookEndpointRotateSecret", {"id": "ID!"}, lambda: {"id": state["endpoint"]}, ""),
        (
            "customerCreate",
            {"input": "CustomerCreateInput!"},
            lambda: {"input": {"name": "W"}},
            "customer",
        ),
        (
            "customerUpdate",
            {"id": "ID!", "input": "CustomerUpdateInput!"},
            lambda: {"id": state["customer"], "input": {"version": 1, "name": "W2"}},
            "",
        ),
        (
            "keyPersonCreate",
            {"input": "KeyPersonCreateInput!"},
            lambda: {"input": {"customerId": cust, "name": "Sun"}},
            "keyPerson",
        ),
        (
            "keyPersonUpdate",
            {"id": "ID!", "input": "KeyPersonUpdateInput!"},
            lambda: {"id": state["keyPerson"], "input": {"version": 1, "email": "s@x.cn"}},
            "",
        ),
        (
            "keyPersonEmploymentSet",
            {"id": "ID!", "input": "EmploymentInput!"},
            lambda: {"id": state["keyPerson"], "input": {"title": "CTO"}},
            "",
        ),
        (
            "reportsToSet",
            {"input": "ReportsToInput!"},
            lambda: {"input": {"personId": p2, "managerId": p1}},
            "",
        ),
        (
            "reportsToRemove",
            {"input": "ReportsToInput!"},
            lambda: {"input": {"personId": p2, "managerId": p1}},
            "",
        ),
        (
            "influenceSet",
            {"input": "InfluenceInput!"},
            lambda: {"input": {"fromPersonId": p1, "toPersonId": p2}},
            "",
        ),
        (
            "influenceRemove",
            {"input": "InfluenceInput!"},
            lambda: {"input": {"fromPersonId": p1, "toPersonId": p2}},
            "",
        ),
        (
            "knowsSet",
            {"input": "KnowsInput!"},
            lambda: {"input": {"targetPersonId": p1, "memberId": member(AM)}},
            "",
        ),
        (
            "knowsRemove",
            {"input": "KnowsInput!"},
            lambda: {"input": {"targetPersonId": p1, "memberId": member(AM)}},
            "",
        ),
        (
            "decisionChainMemberSet",
            {"input": "DecisionChainMemberInput!"},
            lambda: {"input": {"personId": p2, "opportunityId": opp, "role": "USER"}},
            "",
        ),
        (
            "opportunityWhatIfSave",
            {"id": "ID!", "input": "WhatIfSaveInput!"},
            lambda: {
                "id": opp,
                "input": {
                    "changes": [{"kind": "SET_ATTITUDE", "personId": p2, "attitude": "SUPPORTER"}]
                },
            },
            "",
        ),
        (
            "decisionChainMemberRemove",
            {"input": "DecisionChainMemberInput!"},
            lambda: {"input": {"personId": p2, "opportunityId": opp, "role": "USER"}},
            "",
        ),
        (
            "competitorCreate",
            {"input": "CompetitorCreateInput!"},
            lambda: {"input": {"name": "Third"}},
            "competitor",
        ),
        (
            "competitorUpdate",
            {"id": "ID!", "input": "CompetitorUpdateInput!"},
            lambda: {"id": state["competitor"], "input": {"version": 1, "strengths": "price"}},
            "",
        ),
        (
            "competitorOnOpportunitySet",
            {"input": "CompetitorOnOpportunityInput!"},
            lambda: {"input": {"competitorId": state["competitor"], "opportunityId": opp}},
            "",
        ),
        (
            "competitorOnOpportunityRemove",
            {"input": "CompetitorOnOpportunityInput!"},
            lambda: {"input": {"competitorId": state["competitor"], "opportunityId": opp}},
            "",
        ),
        (
            "competitorTieSet",
            {"input": "CompetitorTieInput!"},
            lambda: {"input": {"competitorId": k1, "personId": p1}},
            "",
        ),
        (
            "competitorTieRemove",
            {"input": "CompetitorTieInput!"},
            lambda: {"input": {"competitorId": k1, "personId": p1}},
            "",
        ),
        ("competitorDelete", {"id": "ID!"}, lambda: {"id": state["competitor"]}, ""),
        (
            "opportunityCreate",
            {"input": "OpportunityCreateInput!"},
            lambda: {"input": {"customerId": cust, "name": "New"}},
            "opportunity",
        ),
        (
            "opportunityUpdate",
            {"id": "ID!", "input": "OpportunityUpdateInput!"},
            lambda: {"id": state["opportunity"], "input": {"version": 1, "budget": 5}},
            "",
        ),
        ("opportunityDelete", {"id": "ID!"}, lambda: {"id": state["opportunity"]}, ""),
        (
            "teamMemberCreate",
            {"input": "TeamMemberCreateInput!"},
            lambda: {"input": {"name": "Zhou"}},
            "teamMember",
        ),
        (
            "teamMemberUpdate",
            {"id": "ID!", "input": "TeamMemberUpdateInput!"},
            lambda: {"id": state["teamMember"], "input": {"version": 1, "title": "PM"}},
            "",
        ),
        (
            "teamAssign",
            {"input": "TeamAssignInput!"},
            lambda: {
                "input": {
                    "memberId": state["teamMember"],
                    "targetId": opp,
                    "role": "SERVICE_MANAGER",
                }
            },
            "",
        ),
        (
            "teamUnassign",
            {"input": "TeamAssignInput!"},
            lambda: {
                "input": {
                    "memberId": state["teamMember"],
                    "targetId": opp,
                    "role": "SERVICE_MANAGER",
                }
            },
            "",
        ),
        (
            "activityLog",
            {"input": "ActivityLogInput!"},
            lambda: {
                "input": {
                    "type": "VISIT",
                    "occurredAt": t,
                    "summary": "met",
                    "personIds": [p1],
                    "opportunityId": opp,
                }
            },
            "activity",
        ),
        (
            "activityUpdate",
            {"id": "ID!", "input": "ActivityUpdateInput!"},
            lambda: {"id": state["activity"], "input": {"version": 1, "outcome": "POSITIVE"}},
            "",
        ),
        ("activityDelete", {"id": "ID!"}, lambda: {"id": state["activity"]}, ""),
        (
            "teamMemberHandOver",
            {"id": "ID!", "input": "TeamMemberHandOverInput!"},
            lambda: {
                "id": state["teamMember"],
                "input": {
                    "successorId": member(SM),
                    "version": version(
                        NodeKind.TEAM_MEMBER, relay.GlobalID.from_id(state["teamMember"]).node_id
                    ),
                },
            },
            "",
        ),
        (
            "keyPersonDepartureRecord",
            {"id": "ID!", "input": "KeyPersonDepartureInput!"},
            lambda: {
                "id": state["keyPerson"],
                "input": {
                    "leftOn": datetime.fromtimestamp(world.store.clock() / 1000, UTC)
                    .date()
                    .isoformat(),
                    "how": "RETIRED",
                },
            },
            "",
        ),
        (
            "keyPersonSuccessorSet",
            {"id": "ID!", "successorId": "ID"},
            lambda: {"id": state["keyPerson"], "successorId": p1},
            "",
        ),
        ("keyPersonDepartureUndo", {"id": "ID!"}, lambda: {"id": state["keyPerson"]}, ""),
        ("keyPersonErase", {"id": "ID!"}, lambda: {"id": state["keyPerson"]}, ""),
        ("keyPersonDelete", {"id": "ID!"}, lambda: {"id": state["keyPerson"]}, ""),
        ("customerDelete", {"id": "ID!"}, lambda: {"id": state["customer"]}, ""),
        (
            "workPlanSuggestionAccept",
            {"input": "SuggestionAcceptInput!"},
            lambda: {"input": _suggestion(world)},
            "workPlanItem",
        ),
        (
            "workPlanItemUpdate",
            {"id": "ID!", "input": "WorkPlanItemUpdateInput!"},
            lambda: {
                "id": state["workPlanItem"],
                "input": {
                    "version": item_version(),
                    "dueDate": (
                        datetime.fromtimestamp(world.store.clock() / 1000, UTC)
                        + timedelta(days=100)
                    )
                    .date()
                    .isoformat(),
                },
            },
            "",
        ),
        (
            "workPlanItemCancel",
            {"id": "ID!", "version": "Int!"},
            lambda: {"id": state["workPlanItem"], "version": item_version()},
            "",
        ),
        (  # another step: the one above is dropped
            "workPlanSuggestionAccept",
            {"input": "SuggestionAcceptInput!"},
            lambda: {"input": _suggestion(world)},
            "workPlanItem",
        ),
        (
            "workPlanItemResultRecord",
            {"id": "ID!", "input": "WorkPlanResultInput!"},
            lambda: {
                "id": state["workPlanItem"],
                "input": {
                    "version": version(
                        NodeKind.WORK_PLAN_ITEM,
                        relay.GlobalID.from_id(state["workPlanItem"]).node_id,
                    ),
                    "type": "VISIT",
                    "summary": "done",
                    "outcome": "POSITIVE",
                },
            },
            "",
        ),
        (
            "approvalRequest",
            {"input": "ApprovalRequestInput!"},
            lambda: {"input": {"opportunityId": opp, "process": "1-1"}},
            "approval",
        ),
        (
            "approvalDecide",
            {"id": "ID!", "input": "ApprovalDecideInput!"},
            lambda: {
                "id": state["approval"],
                "input": {"decision": "APPROVE"},
            },
            "",
        ),
        (
            "opportunityAdvance",
            {"id": "ID!", "input": "OpportunityAdvanceInput!"},
            lambda: {
                "id": gid("Opportunity", "o-moved"),
                "input": {
                    "toStage": "VALIDATE",
                    "reason": "not qualified",
                },
            },
            "",
        ),
        (
            "opportunityDeliveryReviewRecord",
            {"id": "ID!", "input": "DeliveryReviewInput!"},
            lambda: {
                "id": opp,
                "input": {"feasible": True, "workloadPersonDays": 20},
            },
            "",
        ),
        ("opportunityQuoteSubmit", {"id": "ID!"}, lambda: {"id": opp}, ""),
        ("violationsSweep", {}, dict, ""),
        (
            "violationRespond",
            {"id": "ID!", "note": "String!", "putRightBy": "String"},
            lambda: {
                "id": gid("Violation", still_open()),
                "note": "requested",
                "putRightBy": days_on(s, 7),
            },
            "",
        ),
        (
            "violationSendBack",
            {"id": "ID!", "note": "String!"},
            lambda: {"id": gid("Violation", state["v"]), "note": "a request is not an approval"},
            "",
        ),
        (
            "violationAcknowledge",
            {"id": "ID!", "note": "String!"},
            lambda: {"id": gid("Violation", state["v"]), "note": "seen"},
            "",
        ),
        (
            "teamMemberManagerAdd",
            {"input": "TeamMemberManagerInput!"},
            lambda: {"input": {"managerId": gid("TeamMember", DIRECTOR), "memberId": outsider}},
            "",
        ),
        (
            "teamMemberManagerRemove",
            {"input": "TeamMemberManagerInput!"},
            lambda: {"input": {"managerId": gid("TeamMember", DIRECTOR), "memberId": outsider}},
            "",
        ),
        (
            "loginCreate",
            {"input": "LoginCreateInput!"},
            lambda: {"input": {"name": "walk.in", "role": "viewer", "teamMemberId": outsider}},
            "",
        ),
        (
            "loginUpdate",
            {"input": "LoginUpdateInput!"},
            lambda: {"input": {"name": "walk.in", "role": "account_manager"}},
            "",
        ),
        (
            "loginTokenCreate",
            {"input": "LoginTokenCreateInput!"},
            lambda: {"input": {"name": "walk.in", "label": "walk"}},
            "tokenId",
        ),
        (
            "loginTokenRevoke",
            {"input": "LoginTokenRevokeInput!"},
            lambda: {"input": {"tokenId": state["tokenId"]}},
            "",
        ),
        ("winModelCalibrate", {}, dict, "winModel"),
        ("winModelRollBack", {"id": "String!"}, lambda: {"id": state["winModel"]}, ""),
        ("webhookDeliveryRetry", {"id": "ID!"}, lambda: {"id": _failed_delivery(s)}, ""),
        ("webhookEndpointDelete", {"id": "ID!"}, lambda: {"id": state["endpoint"]}, ""),
    ]
    # The process and work-plan steps are done by the team member whose role the process
    # names, each with their own login; the rest by the administrator.
    ACTS = {  # noqa: N806 - a table
        "workPlanSuggestionAccept": AM,
        "workPlanItemResultRecord": AM,
        "workPlanItemUpdate": AM,
        "workPlanItemCancel": AM,
        "approvalRequest": AM,
        "approvalDecide": DIRECTOR,
        "opportunityAdvance": AM,
        "opportunityDeliveryReviewRecord": DM,
        "opportunityQuoteSubmit": AM,
        "violationsSweep": DIRECTOR,
        "violationRespond": AM,
        "violationSendBack": DIRECTOR,
    }
    mutation = schema.get_type_by_name("Mutation")
    in_schema = {_camel(f.name) for f in mutation.fields}  # type: ignore[union-attr]
    walked = [c[0] for c in calls]
    assert in_schema - set(walked) == set(), "add a valid call of each new mutation to this walk"
    assert set(walked) - in_schema == set()
    for name, signature, variables, keep in calls:
        before, violations = audits(s), count(s, "Violation")
        found_before = detections(s)
        document = _doc(name, signature)
        scalar = keep.endswith("Id")  # an id the payload carries as it is (a token's)
        if keep:
            asked = keep if scalar else f"{keep} {{ id }}"
            document = document.replace("{ userErrors", f"{{ {asked} userErrors", 1)
        data = run(world, document, variables(), by=ACTS.get(name))
        assert data[name]["userErrors"] == [], (name, data)
        if keep:
            state[keep] = data[name][keep] if scalar else data[name][keep]["id"]
        detected = detections(s) - found_before
        wrote = audits(s) - before - detected
        assert wrote == 1, f"{name} wrote {wrote} audit entries"
        assert detected <= 1, f"{name} recorded its detection {detected} times"
        assert count(s, "Violation") >= violations, f"{name} removed a violation"


HOOK_URL = "https://93.184.215.14/hooks"
"""A public address: endpoints on private ones are refused outside development."""


def _failed_delivery(store: GraphStore) -> str:
    """A delivery the dispatcher gave up on, made the way the dispatcher makes one (the walk's
    stage move is the event; the endpoint was registered just before)."""
    hooks = WebhookStore(store)
    now = store.clock()
    while hooks.fan_out(now, RetryPolicy().window_ms)[0]:  # every event so far, oldest first
        pass
    (claimed, *_) = hooks.claim("walk", now, 60_000, 1)
    assert hooks.finish(claimed, "walk", status="failed", now=now, http_status=500)
    return claimed.id


def _suggestion(world: World) -> dict[str, Any]:
    data = run(
        world,
        f"""{{ node(id: "{o1()}") {{ ... on Opportunity {{
          suggestedWorkPlan(limit: 1) {{ actionKey target {{ id }} }} }} }} }}""",
    )
    suggestion = data["node"]["suggestedWorkPlan"][0]
    result = {"opportunityId": o1(), "actionKey": suggestion["actionKey"]}
    if suggestion["target"]:
        result["targetPersonId"] = suggestion["target"]["id"]
    return result


def test_approval_texts_beyond_the_model_limits_are_refused_and_nothing_is_written(
    world: World,
) -> None:
    """What a request or decision stores must also pass when a backup is imported."""
    before = world.store.count(NodeKind.APPROVAL)
    long_comment = run(
        world,
        REQUEST,
        {
            "i": {
                "opportunityId": o1(),
                "process": "1-1",
                "comment": "x" * 2001,
            }
        },
        by=AM,
    )["approvalRequest"]
    assert long_comment["approval"] is None
    assert [(e["field"], e["code"]) for e in long_comment["userErrors"]] == [
        (["input", "comment"], "BAD_USER_INPUT")
    ]
    huge_fields = run(
        world,
        REQUEST,
        {
            "i": {
                "opportunityId": o1(),
                "process": "1-1",
                "fields": {"note": "y" * 20_001},
            }
        },
        by=AM,
    )["approvalRequest"]
    assert huge_fields["approval"] is None
    assert huge_fields["userErrors"][0]["code"] == "BAD_USER_INPUT"
    assert world.store.count(NodeKind.APPROVAL) == before

    requested = run(
        world,
        REQUEST,
        {"i": {"opportunityId": o1(), "process": "1-1"}},
        by=AM,
    )["approvalRequest"]["approval"]
    decided = run(
        world,
        DECIDE,
        {
            "id": requested["id"],
            "i": {"decision": "APPROVE", "comment": "z" * 2001},
        },
        by=DIRECTOR,
    )["approvalDecide"]
    assert decided["approval"] is None
    assert decided["userErrors"][0]["field"] == ["input", "comment"]


def test_a_second_identical_request_is_refused_and_nothing_is_queued(world: World) -> None:
    """A double submit would put the same request twice into the director's queue."""
    ask = {"i": {"opportunityId": o1(), "process": "1-1"}}
    first = run(world, REQUEST, ask, by=AM)["approvalRequest"]
    assert first["userErrors"] == []
    before = audits(world.store)
    again = run(world, REQUEST, ask, by=AM, locale="zh-CN")["approvalRequest"]
    assert [(e["code"], e["message"]) for e in again["userErrors"]] == [
        ("CONFLICT", "同样的 TAS+1-1 创建商机流程已在等待审批")
    ]
    assert [p["code"] for p in again["problems"]] == ["ALREADY_PENDING"]
    assert audits(world.store) == before


def test_the_pipeline_counts_open_deals_only(world: World) -> None:
    """A won, lost or abandoned deal has no gate to meet: it neither counts as pipeline nor
    dilutes the compliance rate."""
    query = "{ pipeline { total gateCompliant byStage { stage count } byGrade { count } } }"
    before = run(world, query)["pipeline"]
    world.store.create_opportunity("c1", {"name": "Old tender", "stage": "ABANDONED"}, node_id="o9")
    after = run(world, query)["pipeline"]
    assert after == before
    assert "ABANDONED" not in [b["stage"] for b in after["byStage"]]


def test_a_note_on_the_record_is_at_most_two_thousand_characters(world: World) -> None:
    """A response to a violation, a reason to move a deal back and a delivery review's
    comment are read by people in every list that shows them: each is held to an approval
    comment's 2,000 characters at its own field, in the writer's language, nothing written."""
    world.store.update(NodeKind.OPPORTUNITY, "o1", {"stage": "INITIATE"})  # imported mid-way
    run(world, SWEEP, by=DIRECTOR)
    owed = run(world, MAY, {"f": {"opportunityId": o1(), "open": True}}, by=AM)["violations"]
    long = "很" * 2001
    am, dm = world.api.as_(world.people[AM]), world.api.as_(world.people[DM])
    refusals = (
        (am, RESPOND, {"id": owed["nodes"][0]["id"], "n": long}, ["note"]),
        (
            am,
            ADVANCE,
            {"id": o1(), "i": {"toStage": "VALIDATE", "reason": long}},
            ["input", "reason"],
        ),
        (
            dm,
            REVIEW,
            {"id": o1(), "i": {"feasible": True, "workloadPersonDays": 20, "comment": long}},
            ["input", "comment"],
        ),
    )
    before = snapshot(world.store)
    for api, query, variables, field in refusals:
        (payload,) = api.data(query, variables).values()
        assert payload["userErrors"] == [
            {"field": field, "message": "must be at most 2000 characters", "code": "BAD_USER_INPUT"}
        ]
    assert snapshot(world.store) == before
    zh = am.body(RESPOND, refusals[0][2], headers={"Accept-Language": "zh-CN"})
    assert zh["data"]["violationRespond"]["userErrors"][0]["message"] == "不能超过 2000 个字符"


QUOTE_SUBMITTED_AT = (
    """query($id: ID!) { node(id: $id) { ... on Opportunity { quoteSubmittedAt } } }"""
)
QUOTE_STATUS = (
    """query($id: ID!) { node(id: $id) { ... on Opportunity { quoteStatus version } } }"""
)


def test_a_deals_first_quote_amount_makes_a_draft_to_review_and_submit(world: World) -> None:
    """The account manager enters the deal's first quote, with her own login, at creation or
    later: the quote is a draft, which the page offers to submit once the delivery manager
    has reviewed it; it used to stay "No quote", and nothing on the page could submit it.
    Cleared before it went out, the draft is gone again."""
    made = run(
        world,
        """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) {
          opportunity { quoteStatus } userErrors { field message code } } }""",
        {"i": {"customerId": gid("Customer", "c1"), "name": "Ward kiosks", "quoteAmount": 12_000}},
        by=AM,
    )["opportunityCreate"]
    assert made == {"opportunity": {"quoteStatus": "DRAFT"}, "userErrors": []}
    world.store.create_opportunity("c1", {"name": "Cold chain"}, node_id="o2")
    world.store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, AM),
        (NodeKind.OPPORTUNITY, "o2"),
        {"role": "ACCOUNT_MANAGER"},
    )
    o2 = gid("Opportunity", "o2")
    for amount, status in ((80_000, "DRAFT"), (None, "NONE")):
        version = run(world, QUOTE_STATUS, {"id": o2}, by=AM)["node"]["version"]
        changed = {"id": o2, "i": {"quoteAmount": amount, "version": version}}
        assert run(world, OPP_UPDATE, changed, by=AM)["opportunityUpdate"]["userErrors"] == []
        assert run(world, QUOTE_STATUS, {"id": o2}, by=AM)["node"]["quoteStatus"] == status


VALIDATION = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  validation { state processName history { toState actor { name } } }
  assessment { isReal { value } } } } }"""


def test_the_deal_says_whether_a_sales_director_validated_it_as_real(world: World) -> None:
    """A sales VP: the missing TAS 1-1 approval lowers nothing, but "is it real?" should show
    beside its score whether a sales director validated the deal. None asked: null; asked:
    pending; approved by the director with his own login: approved, by him; the score is the
    same throughout."""

    def read() -> dict[str, Any]:
        node: dict[str, Any] = run(world, VALIDATION, {"id": o1()}, by=AM)["node"]
        return node

    before = read()
    assert before["validation"] is None
    approval_id = _asked(world, "1-1", "The CIO voiced the need; budget in next year's plan")
    asked = read()["validation"]
    assert (asked["state"], asked["processName"]) == ("PENDING", "TAS+1-1 Create opportunity")
    _decided(world, approval_id, None)
    after = read()
    validation = after["validation"]
    assert validation["state"] == "APPROVED"
    assert validation["history"][-1] == {"toState": "APPROVED", "actor": {"name": DIRECTOR}}
    assert after["assessment"]["isReal"] == before["assessment"]["isReal"]
    zh = world.api.as_(world.people[AM]).body(
        VALIDATION, {"id": o1()}, headers={"Accept-Language": "zh-CN"}
    )
    assert zh["data"]["node"]["validation"]["processName"] == "TAS+1-1 创建商机流程"
