"""A key person leaves the customer, recorded once on the person (``keyPersonDepartureRecord``)
and undone when it was a mistake (``keyPersonDepartureUndo``). As deployed: the demo deal's
account manager and solution manager, each with their own login, and a viewer.

What a sales leader expects, written before the engine was asked: the CIO 陈志远, our champion,
rotated to group headquarters ten days ago: the deal is worth clearly less (what he gave us is
gone, never re-averaged), a watch point says so, the step waiting on him (the solution
manager's POC report) is dropped as "the key person left", neither done nor deleted, and the
plan asks our lead expert 方国栋, who has known him best and longest (he introduced us), to have
him introduce his successor within the week. He stays on the chain as history. Undone,
everything is as it was: the step open again with its day, the likelihood back. The coach 刘洋
leaving says the chain has no coach any more, once; someone who left under investigation is a
compliance question, asked for nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, open_api, raw
from people import Person, add_person, manage

from dealgraph.demo import load_demo
from domain.model import EdgeKind, NodeKind
from graph import workplans
from graph.executor import Executor

ERR = "userErrors { field message code }"
DEMO = gid(NodeKind.OPPORTUNITY, "demo-opp-smart-hospital")
CIO = gid(NodeKind.KEY_PERSON, "demo-kp-cio")
COACH = gid(NodeKind.KEY_PERSON, "demo-kp-deputy-cio")
POC_REPORT = gid(NodeKind.WORK_PLAN_ITEM, "demo-wp-poc-report")
SOLUTION = gid(NodeKind.TEAM_MEMBER, "demo-tm-solution")
DEPARTURE = "departure { leftOn how to recordedAt }"
ITEM = "id version status dueDate dropReason owner { name } target { name }"
RECORD = f"""mutation($id: ID!, $i: KeyPersonDepartureInput!) {{
  keyPersonDepartureRecord(id: $id, input: $i) {{
    keyPerson {{ id name {DEPARTURE} }} workPlanItems {{ {ITEM} }} {ERR} }} }}"""
UNDO = f"""mutation($id: ID!) {{ keyPersonDepartureUndo(id: $id) {{
    keyPerson {{ id {DEPARTURE} }} workPlanItems {{ {ITEM} }} {ERR} }} }}"""
CANCEL = f"""mutation($id: ID!, $v: Int!, $r: WorkPlanDropReason) {{
  workPlanItemCancel(id: $id, version: $v, reason: $r) {{ workPlanItem {{ id }} {ERR} }} }}"""
DEAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  assessment { winLikelihood { value } }
  analysis { redFlags { code severity text persons { name } } }
  decisionChain { members { person { name departure { leftOn how } } } }
  suggestedWorkPlan(limit: 12) { actionKey rationale dueDate target { name } owner { name } }
  } } }"""
SINCE = """query($id: ID!, $from: DateTime!) { node(id: $id) { ... on Opportunity {
  changes(from: $from) { changes { kind text person { name } } }
  departedScores { person { name } closeness { value } }
  memberScores { person { name } } } } }"""
TRAIL = "query($id: ID!) { auditLog(targetId: $id, first: 20) { nodes { operation changes } } }"
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { id owner { name } } userErrors { field message code } } }"""
WHAT_IF = """query($id: ID!, $p: ID!) { opportunityWhatIf(id: $id, changes: [
  { kind: SET_ATTITUDE, personId: $p, attitude: CHAMPION }]) { deltaWinLikelihood } }"""
PLACE = """mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) {
  keyPerson { id } userErrors { field message code } } }"""
ITEM_READ = f"query($id: ID!) {{ node(id: $id) {{ ... on WorkPlanItem {{ {ITEM} }} }} }}"
OPEN_OF = """query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 50) {
  nodes { id } } }"""


def _day(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


@dataclass
class World:
    li: Api
    su: Api
    viewer: Api


@pytest.fixture
def world(api_executor: Executor) -> Iterator[World]:
    with open_api(api_executor) as api:
        load_demo(api.store)
        people: dict[str, Person] = {
            "li": add_person(api.store, "li.mingxuan", "account_manager", "demo-tm-account"),
            "su": add_person(api.store, "su.wanqing", "solution_manager", "demo-tm-solution"),
            "viewer": add_person(api.store, "board", "viewer"),
        }
        yield World(**{k: api.as_(p) for k, p in people.items()})


def _deal(api: Api) -> dict[str, Any]:
    found: dict[str, Any] = api.node(DEAL, DEMO)
    return found


def _codes(deal: dict[str, Any]) -> list[str]:
    return [f["code"] for f in deal["analysis"]["redFlags"]]


def _open_of(api: Api, owner: str) -> list[str]:
    nodes = api.data(OPEN_OF, {"f": {"ownerId": owner, "statuses": ["OPEN"]}})
    return [n["id"] for n in nodes["workPlanItems"]["nodes"]]


def test_our_champion_rotated_away_and_the_record_undone(world: World) -> None:
    before = _deal(world.li)
    report = world.li.node(ITEM_READ, POC_REPORT)
    assert (report["status"], report["target"]["name"]) == ("OPEN", "陈志远")
    assert POC_REPORT in _open_of(world.su, SOLUTION)

    left_on = _day(-10)
    done = world.li.mutate(
        RECORD, {"id": CIO, "i": {"leftOn": left_on, "how": "ROTATED", "to": " 集团总部 "}}
    )
    departure = done["keyPerson"]["departure"]
    assert (departure["leftOn"], departure["how"], departure["to"]) == (
        left_on,
        "ROTATED",
        "集团总部",
    )
    assert departure["recordedAt"]
    # the step waiting on him: dropped for his departure, neither done nor deleted
    (dropped,) = done["workPlanItems"]
    assert (dropped["id"], dropped["status"], dropped["dropReason"]) == (
        POC_REPORT,
        "CANCELLED",
        "PERSON_LEFT",
    )
    assert POC_REPORT not in _open_of(world.su, SOLUTION)

    after = _deal(world.li)
    # the likelihood falls clearly (by a tenth of itself at least): what he gave us is gone
    was = before["assessment"]["winLikelihood"]["value"]
    now = after["assessment"]["winLikelihood"]["value"]
    assert now <= 0.9 * was, (was, now)
    flag = next(f for f in after["analysis"]["redFlags"] if f["code"] == "KEY_PERSON_LEFT")
    assert flag["severity"] == "HIGH"
    assert [p["name"] for p in flag["persons"]] == ["陈志远"]
    assert flag["text"].startswith("Our champion left: 陈志远 (Director, Information Center (CIO))")
    assert f"left the customer on {left_on} (rotated within the group: 集团总部)" in flag["text"]
    # he stays on the chain, as history
    cio = next(m for m in after["decisionChain"]["members"] if m["person"]["name"] == "陈志远")
    assert cio["person"]["departure"] == {"leftOn": left_on, "how": "ROTATED"}
    # whoever of ours knows him best asks him for his successor, within the week
    (ask,) = [s for s in after["suggestedWorkPlan"] if s["actionKey"] == "successor_introduction"]
    assert (ask["target"]["name"], ask["owner"]["name"], ask["dueDate"]) == (
        "陈志远",
        "方国栋",
        _day(7),
    )
    assert "introduce their successor" in ask["rationale"]
    taken = world.li.mutate(
        ACCEPT,
        {"i": {"opportunityId": DEMO, "actionKey": ask["actionKey"], "targetPersonId": CIO}},
    )["workPlanItem"]
    # and nothing else is suggested for him
    assert [
        s for s in after["suggestedWorkPlan"] if s["target"] and s["target"]["name"] == "陈志远"
    ] == [ask]

    # what changed says it; his scores are history, frozen the day he left
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    read = world.li.data(SINCE, {"id": DEMO, "from": since})["node"]
    said = [c["text"] for c in read["changes"]["changes"] if c["kind"] == "PERSON_LEFT"]
    assert said == [f"陈志远 left the customer on {left_on} (rotated within the group: 集团总部)"]
    ((name, closeness),) = [
        (d["person"]["name"], d["closeness"]["value"]) for d in read["departedScores"]
    ]
    assert name == "陈志远"
    assert closeness >= 70
    assert "陈志远" not in [m["person"]["name"] for m in read["memberScores"]]

    # a what-if about him is refused: he counts for nothing, "no change" would mislead
    error = world.li.top_error(WHAT_IF, {"id": DEMO, "p": CIO}, "BAD_USER_INPUT")
    assert error["message"] == (
        f"changes.0.personId: 陈志远 left the customer on {left_on}: the deal is read without them"
    ), error

    # his place is history: nobody changes it, nor puts him on another chain
    place = {"personId": CIO, "opportunityId": DEMO, "role": "DECISION_MAKER"}
    (said_no,) = world.li.refused(PLACE, {"i": place}, "BAD_USER_INPUT", ["input", "personId"])
    assert said_no["message"] == (
        f"陈志远 left the customer on {left_on}: a decision chain keeps them as history only"
        " (undo the record if it was a mistake)"
    )

    # a mistaken record is undone: everything as it was
    undone = world.li.mutate(UNDO, {"id": CIO})
    assert undone["keyPerson"]["departure"] is None
    opened, asked = undone["workPlanItems"]
    # he never left: the step asking him for his successor is dropped as no longer needed
    assert (asked["id"], asked["status"], asked["dropReason"]) == (
        taken["id"],
        "CANCELLED",
        "NOT_NEEDED",
    )
    assert (opened["status"], opened["dropReason"], opened["dueDate"]) == (
        "OPEN",
        None,
        report["dueDate"],
    )
    assert opened["owner"]["name"] == "苏婉清"
    assert POC_REPORT in _open_of(world.su, SOLUTION)
    again = _deal(world.li)
    assert again["assessment"] == before["assessment"]
    assert "KEY_PERSON_LEFT" not in _codes(again)
    read = world.li.data(SINCE, {"id": DEMO, "from": since})["node"]
    assert read["departedScores"] == []
    # between the two ends, nothing changed about him
    assert [c for c in read["changes"]["changes"] if c["kind"] == "PERSON_LEFT"] == []


def test_the_coach_who_left_leaves_the_chain_without_a_coach(world: World) -> None:
    assert "NO_COACH" not in _codes(_deal(world.li))
    world.li.mutate(RECORD, {"id": COACH, "i": {"leftOn": _day(-3), "how": "MOVED"}})
    deal = _deal(world.li)
    coach = next(f for f in deal["analysis"]["redFlags"] if f["code"] == "COACH_LEFT")
    assert coach["severity"] == "HIGH"
    assert coach["text"].endswith("; the decision chain has no coach.")
    assert "NO_COACH" not in _codes(deal)  # said once, with why
    zh = world.li.node(DEAL, DEMO, headers=ZH)
    (said,) = [f["text"] for f in zh["analysis"]["redFlags"] if f["text"].startswith("教练离任")]
    job = "刘洋（Deputy Director, Information Center）"
    assert said == f"教练离任：{job}已于{_day(-3)}离任（调往其他单位），决策链当前无教练。"


def test_one_who_left_under_investigation_is_asked_for_nothing(world: World) -> None:
    world.li.mutate(RECORD, {"id": CIO, "i": {"leftOn": _day(-1), "how": "INVESTIGATED"}})
    deal = _deal(world.li)
    # our dealings with him are a compliance question now, and the purchase may be re-run
    (flag,) = [f for f in deal["analysis"]["redFlags"] if f["code"] == "KEY_PERSON_INVESTIGATED"]
    assert flag["severity"] == "HIGH"
    assert flag["text"].endswith(
        "(under investigation): the purchase may be examined or tendered again"
    )
    assert "KEY_PERSON_LEFT" not in _codes(deal)
    assert not [s for s in deal["suggestedWorkPlan"] if s["actionKey"] == "successor_introduction"]


def test_refusals_name_the_field_and_write_nothing(world: World) -> None:
    tomorrow = {"id": CIO, "i": {"leftOn": _day(1), "how": "MOVED"}}
    (error,) = world.li.refused(RECORD, tomorrow, "BAD_USER_INPUT", ["input", "leftOn"])
    assert error["message"] == f"the day they left cannot be after today ({_day(0)})"
    body = world.li.body(RECORD, tomorrow, headers=ZH)
    (zh,) = body["data"]["keyPersonDepartureRecord"]["userErrors"]
    assert zh["message"] == f"离任日期不能晚于今天（{_day(0)}）"

    world.viewer.refused(RECORD, {"id": CIO, "i": {"leftOn": _day(0), "how": "MOVED"}}, "FORBIDDEN")
    world.li.refused(UNDO, {"id": CIO}, "CONFLICT", ["id"])

    world.li.mutate(RECORD, {"id": CIO, "i": {"leftOn": _day(-30), "how": "RETIRED"}})
    (twice,) = world.li.refused(
        RECORD, {"id": CIO, "i": {"leftOn": _day(0), "how": "MOVED"}}, "CONFLICT", ["id"]
    )
    assert (
        twice["message"]
        == f"陈志远 is already recorded as having left on {_day(-30)}: undo that record first"
    )

    # a step is dropped for a departure only by recording it on the person
    report = world.li.node(ITEM_READ, gid(NodeKind.WORK_PLAN_ITEM, "demo-wp-nursing-pilot"))
    world.li.refused(
        CANCEL,
        {"id": report["id"], "v": report["version"], "r": "PERSON_LEFT"},
        "BAD_USER_INPUT",
        ["reason"],
    )


def test_another_team_s_step_with_him_is_dropped_but_not_shown(world: World) -> None:
    """The departure holds on every deal at the customer; the account manager is told only of
    the steps he may see, and the trail he reads names only those."""
    store = world.li.store
    store.create_opportunity(
        "demo-cust-jzph",
        {"name": "Pharmacy robots", "stage": "REQUIREMENTS"},
        node_id="other-deal",
    )
    store.create(
        NodeKind.TEAM_MEMBER, {"name": "Zhou Min", "role": "ACCOUNT_MANAGER"}, node_id="zm"
    )
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "zm"),
        (NodeKind.OPPORTUNITY, "other-deal"),
        {"role": "ACCOUNT_MANAGER"},
    )
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "demo-kp-cio"),
        (NodeKind.OPPORTUNITY, "other-deal"),
        {"role": "TECHNICAL_EVALUATOR"},
    )
    theirs = workplans.accept_suggestion(
        store,
        opportunity_id="other-deal",
        person_id="demo-kp-cio",
        owner_id="zm",
        props={"title": "Pharmacy workshop", "action": "technical_exchange", "status": "OPEN"},
    )
    assert theirs is not None
    done = world.li.mutate(RECORD, {"id": CIO, "i": {"leftOn": _day(-2), "how": "MOVED"}})
    assert [i["id"] for i in done["workPlanItems"]] == [POC_REPORT]
    stored = store.get(NodeKind.WORK_PLAN_ITEM, theirs["id"])
    assert (stored["status"], stored["drop_reason"]) == ("CANCELLED", "PERSON_LEFT")
    # his sales director reads the trail of the person: only what he may see is named
    store.create(NodeKind.TEAM_MEMBER, {"name": "周志强", "role": "SALES_DIRECTOR"}, node_id="sd")
    manage(store, "sd", ["demo-tm-account"])
    director = world.li.as_(add_person(store, "zhou.zhiqiang", "sales_director", "sd"))
    trail = director.data(TRAIL, {"id": CIO})["auditLog"]["nodes"]
    (entry,) = [e for e in trail if e["operation"] == "depart"]
    assert entry["changes"]["item_ids"] == ["demo-wp-poc-report"]
    assert entry["changes"]["opportunity_ids"] == ["demo-opp-smart-hospital"]


SUCCESSOR = f"""mutation($id: ID!, $s: ID) {{ keyPersonSuccessorSet(id: $id, successorId: $s) {{
    keyPerson {{ id departure {{ leftOn successor {{ name }} }} }} {ERR} }} }}"""
PERSON_CREATE = f"""mutation($i: KeyPersonCreateInput!) {{ keyPersonCreate(input: $i) {{
    keyPerson {{ id }} {ERR} }} }}"""
CUSTOMER_CREATE = f"""mutation($i: CustomerCreateInput!) {{ customerCreate(input: $i) {{
    customer {{ id }} {ERR} }} }}"""
WHY_REAL = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  assessment { winLikelihood { value } isReal { reasons { factor text } } } } } }"""
REASONS = "value reasons { factor text evidence { kind ids } }"
EVERYTHING = f"""query($id: ID!) {{ node(id: $id) {{ ... on Opportunity {{
  assessment {{ isReal {{ {REASONS} }} canCompete {{ {REASONS} }} canWin {{ {REASONS} }}
    worthIt {{ {REASONS} }} winLikelihood {{ value }} }}
  analysis {{ redFlags {{ code text coaching persons {{ id name }} }} }}
  memberScores {{ person {{ id }} closeness {{ value }} }}
  suggestedWorkPlan(limit: 30) {{ actionKey rationale target {{ id name }} }}
  health {{ status }} }} }} }}"""
CUSTOMER = gid(NodeKind.CUSTOMER, "demo-cust-jzph")
PRESIDENT = gid(NodeKind.KEY_PERSON, "demo-kp-president")


def _likelihood(api: Api) -> float:
    return float(_deal(api)["assessment"]["winLikelihood"]["value"])


def test_who_holds_the_job_now(world: World) -> None:
    """A sales leader: until the team knows who holds 陈志远's job, the deal counts it as held
    by someone nobody of ours knows, not as left undone; naming the successor and putting him
    on the chain without meeting him changes nothing (typing in a name must not move the
    number). The account manager does each step with his own login."""
    before = _likelihood(world.li)
    world.li.mutate(RECORD, {"id": CIO, "i": {"leftOn": _day(-10), "how": "ROTATED"}})
    vacant = _likelihood(world.li)
    assert vacant <= 0.9 * before, (before, vacant)
    wang = world.li.mutate(
        PERSON_CREATE,
        {"i": {"customerId": CUSTOMER, "name": "王建华", "title": "信息中心主任"}},
    )["keyPerson"]["id"]

    # refusals, each at its field, in the caller's language, nothing written
    (itself,) = world.li.refused(
        SUCCESSOR, {"id": CIO, "s": CIO}, "BAD_USER_INPUT", ["successorId"]
    )
    assert itself["message"] == "陈志远 cannot succeed themselves"
    (there,) = world.li.refused(SUCCESSOR, {"id": COACH, "s": wang}, "BAD_USER_INPUT", ["id"])
    assert there["message"] == "刘洋 is not recorded as having left the customer: record that first"
    elsewhere = world.li.mutate(CUSTOMER_CREATE, {"i": {"name": "省人民医院"}})["customer"]["id"]
    stranger = world.li.mutate(PERSON_CREATE, {"i": {"customerId": elsewhere, "name": "周明"}})[
        "keyPerson"
    ]["id"]
    (other,) = world.li.refused(
        SUCCESSOR, {"id": CIO, "s": stranger}, "BAD_USER_INPUT", ["successorId"]
    )
    assert other["message"] == (
        "周明 does not work at 江州省人民医院集团: the successor holds the job at the same customer"
    ), other
    body = world.li.body(SUCCESSOR, {"id": CIO, "s": stranger}, headers=ZH)
    (zh,) = body["data"]["keyPersonSuccessorSet"]["userErrors"]
    assert zh["message"] == "周明不在江州省人民医院集团任职：继任者应在同一客户任职"
    world.viewer.refused(SUCCESSOR, {"id": CIO, "s": wang}, "FORBIDDEN")

    # named, not yet on the chain: the seat is still his job nobody of ours knows
    named = world.li.mutate(SUCCESSOR, {"id": CIO, "s": wang})
    assert named["keyPerson"]["departure"]["successor"] == {"name": "王建华"}
    assert _likelihood(world.li) == vacant
    # the watch point and the plan name him: put him on the chain, ask for an introduction
    said = world.li.node(EVERYTHING, DEMO)
    (flag,) = [f for f in said["analysis"]["redFlags"] if CIO in [p["id"] for p in f["persons"]]]
    assert flag["coaching"].startswith(
        "Put 王建华, who holds 陈志远's job now, on the decision chain and meet them"
    ), flag
    asked = [s for s in said["suggestedWorkPlan"] if s["actionKey"] == "successor_introduction"]
    assert [s["target"]["name"] for s in asked] == ["陈志远"]
    assert "introduce 王建华, who holds their job now" in asked[0]["rationale"], asked
    # and one who left since cannot hold it
    world.li.mutate(RECORD, {"id": PRESIDENT, "i": {"leftOn": _day(0), "how": "RETIRED"}})
    # the decision maker's seat is read in the reasons, named as people say it, never by an id
    deep = world.li.node(EVERYTHING, DEMO)
    assert "seat:" not in json.dumps(deep, ensure_ascii=False)
    real = {r["factor"]: r for r in deep["assessment"]["isReal"]["reasons"]}
    unmet = real["decision_maker_unverified"]
    assert "周建国's successor (not yet named)" in unmet["text"], unmet
    assert raw(PRESIDENT) in [i for e in unmet["evidence"] for i in e["ids"]]
    (gone,) = world.li.refused(
        SUCCESSOR, {"id": CIO, "s": PRESIDENT}, "BAD_USER_INPUT", ["successorId"]
    )
    assert gone["message"].endswith(
        "left the customer on " + _day(0) + ": pick who holds the job now"
    )
    world.li.mutate(UNDO, {"id": PRESIDENT})
    vacant = _likelihood(world.li)

    # on the chain as the job is, not met yet: about the same as the seat
    place = {
        "personId": wang,
        "opportunityId": DEMO,
        "role": "TECHNICAL_EVALUATOR",
        "influence": "HIGH",
        "attitude": "NEUTRAL",
    }
    world.li.mutate(PLACE, {"i": place})
    mapped = _likelihood(world.li)
    assert abs(mapped - vacant) <= 0.02, (vacant, mapped)
    # the sales director reads in the trail who named whom
    store = world.li.store
    store.create(NodeKind.TEAM_MEMBER, {"name": "周志强", "role": "SALES_DIRECTOR"}, node_id="sd")
    manage(store, "sd", ["demo-tm-account"])
    director = world.li.as_(add_person(store, "zhou.zhiqiang", "sales_director", "sd"))
    trail = director.data(TRAIL, {"id": CIO})["auditLog"]["nodes"]
    (entry,) = [e for e in trail if e["operation"] == "successor"]
    named_at = store.get(NodeKind.KEY_PERSON, raw(CIO))["left_successor_at"]
    assert entry["changes"]["after"] == {
        "left_successor_id": raw(wang),
        "left_successor_at": named_at,
    }

    # not known after all: the seat is counted again; the undo of the record clears it all
    cleared = world.li.mutate(SUCCESSOR, {"id": CIO, "s": None})
    assert cleared["keyPerson"]["departure"]["successor"] is None
    world.li.mutate(SUCCESSOR, {"id": CIO, "s": wang})
    undone = world.li.mutate(UNDO, {"id": CIO})
    assert undone["keyPerson"]["departure"] is None
    world.li.mutate(RECORD, {"id": CIO, "i": {"leftOn": _day(-10), "how": "ROTATED"}})
    again = world.li.node(
        "query($id: ID!) { node(id: $id) { ... on KeyPerson { departure { successor { name } } }"
        " } }",
        CIO,
    )
    assert again["departure"]["successor"] is None


DEAL_CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id }} {ERR} }} }}"""
TEAM_ASSIGN = f"""mutation($i: TeamAssignInput!) {{ teamAssign(input: $i) {{
    teamMember {{ name }} {ERR} }} }}"""
ASKS = """query($id: ID!) { node(id: $id) { ... on KeyPerson { departure { successorAsks {
  status dueDate dropReason closedAt owner { name } opportunity { name } } } } } }"""
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 30) { actionKey target { name } } } } }"""


def _asks_for_successor(api: Api, deal: str) -> list[str]:
    plan = api.node(PLAN, deal)["suggestedWorkPlan"]
    return [s["target"]["name"] for s in plan if s["actionKey"] == "successor_introduction"]


def test_one_who_left_is_asked_for_their_successor_once_for_all_their_deals(
    world: World,
) -> None:
    """A sales VP: 陈志远 sat on two deals; asked on one, he is not asked on the other (nobody
    calls him twice), and whoever reads his card sees who asks him, when, and on which deal,
    the deal named only to one who may see it. The account manager and a solution manager
    who sees only the second deal each read it with their own login."""
    pacs = world.li.mutate(
        DEAL_CREATE, {"i": {"customerId": CUSTOMER, "name": "影像平台（PACS）升级"}}
    )["opportunity"]["id"]
    place = {
        "personId": CIO,
        "opportunityId": pacs,
        "role": "TECHNICAL_EVALUATOR",
        "influence": "HIGH",
        "attitude": "CHAMPION",
    }
    world.li.mutate(PLACE, {"i": place})
    store = world.li.store
    store.create(NodeKind.TEAM_MEMBER, {"name": "王磊", "role": "SOLUTION_MANAGER"}, node_id="wl")
    wang = world.li.as_(add_person(store, "wang.lei", "solution_manager", "wl"))
    member = gid(NodeKind.TEAM_MEMBER, "wl")
    world.li.mutate(
        TEAM_ASSIGN, {"i": {"memberId": member, "targetId": pacs, "role": "SOLUTION_MANAGER"}}
    )
    assert wang.node("query($id: ID!) { node(id: $id) { id } }", DEMO) is None  # not his deal

    world.li.mutate(RECORD, {"id": CIO, "i": {"leftOn": _day(-3), "how": "ROTATED"}})
    assert _asks_for_successor(world.li, DEMO) == ["陈志远"]
    assert _asks_for_successor(world.li, pacs) == ["陈志远"]
    assert world.li.node(ASKS, CIO)["departure"]["successorAsks"] == []

    taken = world.li.mutate(
        ACCEPT,
        {
            "i": {
                "opportunityId": DEMO,
                "actionKey": "successor_introduction",
                "targetPersonId": CIO,
                "dueDate": _day(3),
            }
        },
    )["workPlanItem"]
    # one ask: the other deal suggests it no more
    assert _asks_for_successor(world.li, pacs) == []
    assert _asks_for_successor(wang, pacs) == []
    said = {"status": "OPEN", "dueDate": _day(3), "dropReason": None, "closedAt": None}
    (mine,) = world.li.node(ASKS, CIO)["departure"]["successorAsks"]
    assert mine == {
        **said,
        "owner": {"name": taken["owner"]["name"]},
        "opportunity": {
            "name": "智慧医院一体化平台（新一代HIS）建设项目 Smart-hospital integrated"
            " platform (next-generation HIS)"
        },
    }, mine
    (his,) = wang.node(ASKS, CIO)["departure"]["successorAsks"]
    assert his == {**said, "owner": mine["owner"], "opportunity": None}  # not his deal

    # he refused: nobody else asks him
    item = world.li.node(ITEM_READ, taken["id"])
    world.li.mutate(CANCEL, {"id": taken["id"], "v": item["version"], "r": "REFUSED"})
    assert _asks_for_successor(world.li, pacs) == []
    (refused,) = wang.node(ASKS, CIO)["departure"]["successorAsks"]
    assert (refused["status"], refused["dropReason"]) == ("CANCELLED", "REFUSED")
    assert refused["closedAt"]
