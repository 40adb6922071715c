"""An account manager leaves, as deployed: the administrator hands her work over with his own
login, and what a sales leader expects of it holds.

Li Na runs the hospital's HIS deal (the decision maker 王总 she knows very well, nobody else
of ours does), sits on the PACS deal beside Wu Lei (its solution manager), is on the
hospital's account team and won the lab deal last year. She owns an open step of the HIS plan
and one done. Handed over to Wu Lei:

- Wu Lei runs the HIS deal and sits on the account team in her place; on the PACS deal he
  keeps his own role; the won deal keeps her as who won it;
- her open step is his, the done one stays hers;
- her relationship with 王总 leaves with her: 王总 is no longer known through her, and our
  closeness with him drops;
- her login stops working at once;
- the history still shows the HIS chain as it stood before, her on the team and knowing 王总;
- nobody takes on new work for her afterwards, and only an administrator hands over.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve
from people import Person, add_person, add_team, manage

from domain.model import EdgeKind, NodeKind
from graph import workplans
from graph.statements import WEBHOOK_EVENT_LABEL
from graph.store import GraphStore
from schema.scalars import to_datetime

K, E = NodeKind, EdgeKind
LI, WU = "m-li", "m-wu"
LOGINS = {LI: ("li.na", "account_manager"), WU: ("wu.lei", "account_manager")}

HAND_OVER = """mutation($id: ID!, $input: TeamMemberHandOverInput!) {
  teamMemberHandOver(id: $id, input: $input) {
    teamMember { name leftAt } successor { name }
    opportunities { name } customers { name } workPlanItems { title owner { name } }
    activities { summary }
    tiesEnded { person { name } level } usersDisabled
    userErrors { field message code } } }"""
DEAL = """query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Opportunity {
  team { member { name } role }
  memberScores { person { name } closeness { value } }
  decisionChain(asOf: $asOf) { team { member { name } role }
    members { person { name } teamTies { member { name } level } } } } } }"""
DONE_BY = "{ activities(first: 10) { nodes { summary doneBy { name } } } }"
VERSION = "query($id: ID!) { node(id: $id) { ... on TeamMember { version leftAt } } }"
ASSIGN = """mutation($input: TeamAssignInput!) { teamAssign(input: $input) {
  teamMember { name } userErrors { field message code } } }"""


@dataclass(frozen=True)
class World:
    store: GraphStore
    api: Api
    people: dict[str, Person]

    def deal(self, oid: str, as_of: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] = self.api.data(DEAL, {"id": gid(K.OPPORTUNITY, oid), "asOf": as_of})[
            "node"
        ]
        return found

    def hand_over(
        self, api: Api | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        version = self.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["version"]
        variables = {
            "id": gid(K.TEAM_MEMBER, LI),
            "input": {"successorId": gid(K.TEAM_MEMBER, WU), "version": version},
        }
        body = (api or self.api).body(HAND_OVER, variables, headers=headers)
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"]["teamMemberHandOver"]
        return payload


def _team(store: GraphStore, member: str, target: tuple[NodeKind, str], role: str) -> None:
    store.set_edge(E.ON_TEAM, (K.TEAM_MEMBER, member), target, {"role": role})


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    store.create(K.TEAM_MEMBER, {"name": "Li Na", "role": "ACCOUNT_MANAGER"}, node_id=LI)
    store.create(K.TEAM_MEMBER, {"name": "Wu Lei", "role": "ACCOUNT_MANAGER"}, node_id=WU)
    store.create(K.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    for oid, name, stage in (("his", "HIS", "PROPOSAL"), ("pacs", "PACS", "REQUIREMENTS")):
        store.create_opportunity("c1", {"name": name, "stage": stage}, node_id=oid)
    store.create_opportunity("c1", {"name": "LIS", "stage": "WON"}, node_id="lis")
    _team(store, LI, (K.OPPORTUNITY, "his"), "ACCOUNT_MANAGER")
    _team(store, LI, (K.OPPORTUNITY, "pacs"), "ACCOUNT_MANAGER")
    _team(store, WU, (K.OPPORTUNITY, "pacs"), "SOLUTION_MANAGER")
    _team(store, LI, (K.OPPORTUNITY, "lis"), "ACCOUNT_MANAGER")
    _team(store, LI, (K.CUSTOMER, "c1"), "ACCOUNT_MANAGER")
    store.create_key_person("c1", {"name": "王总"}, {"title": "院长"}, node_id="wang")
    store.set_edge(
        E.IN_DECISION_CHAIN,
        (K.KEY_PERSON, "wang"),
        (K.OPPORTUNITY, "his"),
        {"role": "DECISION_MAKER", "influence": "DECISIVE", "attitude": "SUPPORTER"},
    )
    store.set_edge(E.KNOWS, (K.TEAM_MEMBER, LI), (K.KEY_PERSON, "wang"), {"level": "VERY_STRONG"})
    for title, action, status in (
        ("Invite 王总 to the reference site", "reference_visit", "OPEN"),
        ("Lunch", "social", "DONE"),
    ):
        item = workplans.accept_suggestion(
            store,
            opportunity_id="his",
            person_id="wang",
            owner_id=LI,
            props={"title": title, "action": action, "status": "OPEN"},
        )
        assert item is not None
        if status == "DONE":
            store.update(K.WORK_PLAN_ITEM, item["id"], {"status": "DONE"})
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(store, api, people)


def test_her_work_goes_to_her_successor_and_her_relationships_leave_with_her(
    world: World,
) -> None:
    before = world.deal("his")
    (closeness_before,) = [s["closeness"]["value"] for s in before["memberScores"]]
    instant = world.store.clock()
    done = world.hand_over()
    assert done["userErrors"] == []
    assert done["teamMember"]["name"] == "Li Na"
    assert done["teamMember"]["leftAt"] is not None
    assert done["successor"] == {"name": "Wu Lei"}
    assert [d["name"] for d in done["opportunities"]] == ["HIS", "PACS"]
    assert done["customers"] == [{"name": "Provincial Hospital"}]
    assert done["workPlanItems"] == [
        {"title": "Invite 王总 to the reference site", "owner": {"name": "Wu Lei"}}
    ]
    assert done["tiesEnded"] == [{"person": {"name": "王总"}, "level": "VERY_STRONG"}]
    assert done["usersDisabled"] == ["li.na"]
    (event,) = world.store.read(
        f"MATCH (e:{WEBHOOK_EVENT_LABEL}) WHERE e.type = 'team_member.handed_over' "
        "RETURN e.payload AS payload",
        {},
    )
    data = json.loads(event["payload"])["data"]
    assert (data["id"], data["successor_id"], data["person_ids"]) == (LI, WU, ["wang"])

    his = world.deal("his")
    assert his["team"] == [{"member": {"name": "Wu Lei"}, "role": "ACCOUNT_MANAGER"}]
    pacs_team = world.deal("pacs")["team"]
    assert pacs_team == [{"member": {"name": "Wu Lei"}, "role": "SOLUTION_MANAGER"}]
    assert world.deal("lis")["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]
    (wang,) = his["decisionChain"]["members"]
    assert wang["teamTies"] == []
    (closeness_after,) = [s["closeness"]["value"] for s in his["memberScores"]]
    assert closeness_after < closeness_before - 10, (closeness_before, closeness_after)

    # the history still shows the chain before she left
    then = world.deal("his", as_of=_iso(instant))["decisionChain"]
    assert then["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]
    assert then["members"][0]["teamTies"] == [{"member": {"name": "Li Na"}, "level": "VERY_STRONG"}]
    now = world.deal("his", as_of=_iso(world.store.clock() + 1))["decisionChain"]
    assert now == his["decisionChain"]


def _iso(ms: int) -> str:
    found = to_datetime(ms)
    assert found is not None
    return found.isoformat()


def test_her_login_stops_at_once(world: World) -> None:
    li = world.api.as_(world.people[LI])
    assert li.data("{ me { userId } }")["me"]["userId"] == "li.na"
    world.hand_over()
    response = li.post("{ me { userId } }")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_nobody_gives_new_work_to_someone_who_left(world: World) -> None:
    world.hand_over()
    left_on = world.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["leftAt"][:10]
    variables = {
        "input": {
            "memberId": gid(K.TEAM_MEMBER, LI),
            "targetId": gid(K.OPPORTUNITY, "pacs"),
            "role": "ACCOUNT_MANAGER",
        }
    }
    (error,) = world.api.refused(ASSIGN, variables, "BAD_USER_INPUT", ["input", "memberId"])
    assert error["message"] == f"Li Na left on {left_on}"
    again = world.hand_over()
    assert again["userErrors"][0]["field"] == ["id"]
    assert again["userErrors"][0]["message"] == f"Li Na left on {left_on}"
    assert world.hand_over(headers=ZH)["userErrors"][0]["message"] == f"Li Na已于{left_on}离职"


LOG = """mutation($i: ActivityLogInput!) { activityLog(input: $i) {
  activity { summary doneBy { name } } userErrors { field message code } } }"""


def test_nobody_who_left_takes_part_in_a_contact_after_they_left(world: World) -> None:
    """Wu Lei plans a meeting with 王总 naming Li Na beside him: refused, as giving her any new
    work is. The visit she made the day before she left may still be logged with her."""
    world.hand_over()
    left_at = world.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["leftAt"]
    wu = world.api.as_(world.people[WU])
    left = datetime.fromisoformat(left_at)
    planned = {
        "type": "MEETING",
        "occurredAt": (left + timedelta(days=7)).isoformat(),
        "summary": "Rollout plan with 王总",
        "personIds": [gid(K.KEY_PERSON, "wang")],
        "memberIds": [gid(K.TEAM_MEMBER, WU), gid(K.TEAM_MEMBER, LI)],
        "opportunityId": gid(K.OPPORTUNITY, "his"),
    }
    (error,) = wu.refused(LOG, {"i": planned}, "BAD_USER_INPUT", ["input", "memberIds", "1"])
    assert error["message"] == f"Li Na left on {left_at[:10]}"
    before = {**planned, "occurredAt": (left - timedelta(days=1)).isoformat(), "summary": "Visit"}
    logged = wu.mutate(LOG, {"i": before})["activity"]
    assert sorted(m["name"] for m in logged["doneBy"]) == ["Li Na", "Wu Lei"]


def test_the_contacts_she_planned_go_to_her_successor(world: World) -> None:
    """Li Na planned next week's meeting with 王总: Wu Lei goes in her place (the payload says
    so). Yesterday's visit, whose result she never recorded, stays hers: he was not there."""
    li = world.api.as_(world.people[LI])
    now = datetime.fromtimestamp(world.store.clock() / 1000, UTC)
    contact = {
        "personIds": [gid(K.KEY_PERSON, "wang")],
        "memberIds": [gid(K.TEAM_MEMBER, LI)],
        "opportunityId": gid(K.OPPORTUNITY, "his"),
    }
    li.mutate(
        LOG,
        {
            "i": {
                **contact,
                "type": "MEETING",
                "summary": "Rollout plan",
                "occurredAt": (now + timedelta(days=7)).isoformat(),
            }
        },
    )
    li.mutate(
        LOG,
        {
            "i": {
                **contact,
                "type": "VISIT",
                "summary": "Ward tour",
                "occurredAt": (now - timedelta(days=1)).isoformat(),
            }
        },
    )
    done = world.hand_over()
    assert [a["summary"] for a in done["activities"]] == ["Rollout plan"]
    found = world.api.data(DONE_BY)["activities"]["nodes"]
    assert {a["summary"]: [m["name"] for m in a["doneBy"]] for a in found} == {
        "Rollout plan": ["Wu Lei"],
        "Ward tour": ["Li Na"],
    }


LOGIN_CREATE = """mutation($input: LoginCreateInput!) { loginCreate(input: $input) {
  login { name } userErrors { field message code } } }"""
LOGIN_UPDATE = """mutation($input: LoginUpdateInput!) { loginUpdate(input: $input) {
  login { name disabled teamMember { name } } userErrors { field message code } } }"""


def test_nobody_who_left_signs_in_again_as_one_of_ours(world: World) -> None:
    """A login for her would put her back on the teams of every deal it opens, in the work
    she handed over: the administrator may not link one to her, nor enable hers again while it
    acts for her. Unlinked, her old login may be enabled (a shared mailbox, say)."""
    world.hand_over()
    left_on = world.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["leftAt"][:10]
    again = {
        "name": "li.na.2",
        "role": "account_manager",
        "teamMemberId": gid(K.TEAM_MEMBER, LI),
        "firstTokenLabel": "laptop",
    }
    (error,) = world.api.refused(
        LOGIN_CREATE, {"input": again}, "BAD_USER_INPUT", ["input", "teamMemberId"]
    )
    assert error["message"] == f"Li Na left on {left_on}"
    enable = {"input": {"name": "li.na", "disabled": False}}
    (error,) = world.api.refused(LOGIN_UPDATE, enable, "BAD_USER_INPUT", ["input", "disabled"])
    assert error["message"] == (
        "The login li.na acts for Li Na, who left: link it to someone still with us, or to "
        "nobody, to enable it"
    )
    relink = {"input": {"name": "li.na", "teamMemberId": gid(K.TEAM_MEMBER, LI)}}
    world.api.refused(LOGIN_UPDATE, relink, "BAD_USER_INPUT", ["input", "teamMemberId"])
    body = world.api.body(LOGIN_UPDATE, enable, headers=ZH)
    assert body["data"]["loginUpdate"]["userErrors"][0]["message"] == (
        "登录li.na关联的Li Na已离职：请改为关联仍在职的成员或不关联任何成员，再启用"
    )
    unlinked = {"input": {"name": "li.na", "unlink": True, "disabled": False}}
    login = world.api.mutate(LOGIN_UPDATE, unlinked)["login"]
    assert login == {"name": "li.na", "disabled": False, "teamMember": None}


def test_only_an_administrator_hands_over(world: World) -> None:
    wu = world.api.as_(world.people[WU])
    refused = world.hand_over(wu)
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    assert refused["teamMember"] is None
    assert refused["opportunities"] is None
    assert world.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["leftAt"] is None


def test_a_hand_over_to_herself_or_on_a_stale_version_writes_nothing(world: World) -> None:
    version = world.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["version"]
    to_herself = {
        "id": gid(K.TEAM_MEMBER, LI),
        "input": {"successorId": gid(K.TEAM_MEMBER, LI), "version": version},
    }
    (error,) = world.api.refused(HAND_OVER, to_herself, "BAD_USER_INPUT", ["input", "successorId"])
    assert error["message"] == "Hand Li Na's work over to someone else"
    stale = {
        "id": gid(K.TEAM_MEMBER, LI),
        "input": {"successorId": gid(K.TEAM_MEMBER, WU), "version": version + 1},
    }
    world.api.refused(HAND_OVER, stale, "CONFLICT")


def test_an_administrator_does_not_hand_over_their_own_work(world: World) -> None:
    """Their own logins would stop mid-request, and the last administrator would lock everyone
    out: another administrator does it."""
    boss = add_person(world.store, "boss", "admin", LI)
    version = world.api.data(VERSION, {"id": gid(K.TEAM_MEMBER, LI)})["node"]["version"]
    mine = {
        "id": gid(K.TEAM_MEMBER, LI),
        "input": {"successorId": gid(K.TEAM_MEMBER, WU), "version": version},
    }
    (error,) = world.api.as_(boss).refused(HAND_OVER, mine, "BAD_USER_INPUT", ["id"])
    assert error["message"] == "You cannot hand over your own work: another administrator does it"


AUDIT = """query($target: ID) { auditLog(targetId: $target, first: 10) {
  nodes { operation changes } } }"""


def test_a_director_reading_her_trail_sees_only_what_he_may_see(world: World) -> None:
    """Zhou directs Chen, who delivers the PACS deal: he sees PACS, the hospital it is for and
    the people who work there, not the HIS deal, its plan, nor Li Na's deal at the clinic and
    the clinic's 刘主任 she knew. Her hand-over's audit entry names to him only what he may see;
    the administrator reads the whole of it."""
    store = world.store
    store.create(K.TEAM_MEMBER, {"name": "Zhou", "role": "SALES_DIRECTOR"}, node_id="m-zhou")
    store.create(K.TEAM_MEMBER, {"name": "Chen", "role": "DELIVERY_MANAGER"}, node_id="m-chen")
    _team(store, "m-chen", (K.OPPORTUNITY, "pacs"), "DELIVERY_MANAGER")
    store.create(K.CUSTOMER, {"name": "Clinic"}, node_id="c2")
    store.create_opportunity("c2", {"name": "CT", "stage": "REQUIREMENTS"}, node_id="ct")
    _team(store, LI, (K.OPPORTUNITY, "ct"), "ACCOUNT_MANAGER")
    store.create_key_person("c2", {"name": "刘主任"}, {"title": "主任"}, node_id="liu")
    store.set_edge(E.KNOWS, (K.TEAM_MEMBER, LI), (K.KEY_PERSON, "liu"), {"level": "STRONG"})
    zhou = add_person(store, "zhou", "sales_director", "m-zhou")
    manage(store, "m-zhou", ["m-chen"])
    world.hand_over()

    def entry(api: Api) -> dict[str, Any]:
        nodes = api.data(AUDIT, {"target": LI})["auditLog"]["nodes"]
        (found,) = [n["changes"] for n in nodes if n["operation"] == "hand_over"]
        return dict(found)

    whole = entry(world.api)
    assert sorted(whole["target_ids"]) == ["c1", "ct", "his", "pacs"]
    assert sorted(whole["person_ids"]) == ["liu", "wang"]
    assert len(whole["item_ids"]) == 1
    seen = entry(world.api.as_(zhou))
    assert sorted(seen["target_ids"]) == ["c1", "pacs"]
    assert sorted(t["target_id"] for t in seen["teams"]) == ["c1", "pacs"]
    assert seen["person_ids"] == ["wang"]
    assert [t["person_id"] for t in seen["ties"]] == ["wang"]
    assert seen["item_ids"] == []
    assert (seen["successor_id"], seen["users"]) == (WU, ["li.na"])
    named = json.dumps(seen)
    assert '"ct"' not in named
    assert '"liu"' not in named


SWEEP = """mutation { violationsSweep { created { rule opportunity { name } responsible { name } }
  userErrors { message } } }"""
OPEN = """{ violations(filter: {open: true}, first: 50) { nodes {
  rule opportunity { name } responsible { name } } } }"""


def test_the_open_violations_of_her_deals_pass_to_her_successor(world: World) -> None:
    """Two months without a contact: the HIS and PACS deals are idle, and Li Na answers for
    both as their account manager. Once she leaves, Wu Lei answers for them: a violation
    naming someone who left is one nobody acts on."""
    real_clock = world.store.clock
    world.store.clock = lambda: real_clock() + 60 * 86_400_000
    try:
        created = world.api.data(SWEEP)["violationsSweep"]["created"]
        idle = sorted(
            (v["opportunity"]["name"], v["responsible"]["name"])
            for v in created
            if v["rule"] == "OPPORTUNITY_IDLE"
        )
        assert idle == [("HIS", "Li Na"), ("PACS", "Li Na")]
        world.hand_over()
        now = world.api.data(OPEN)["violations"]["nodes"]
    finally:
        world.store.clock = real_clock
    named = {(v["opportunity"]["name"], v["responsible"]["name"]) for v in now}
    assert ("HIS", "Wu Lei") in named
    assert ("PACS", "Wu Lei") in named
    assert not [v for v in now if v["responsible"]["name"] == "Li Na"]


DIRECTORS = (
    """query($id: ID!) { node(id: $id) { ... on TeamMember { name directors { name } } } }"""
)


def test_who_sees_her_deals_as_his_team_s_is_known_before_she_leaves(world: World) -> None:
    """Before handing Li Na's work over, the administrator sees who directs her (and so sees her
    deals), and who directs the successor: Zhou directs Li Na, and Wang directs Zhou; nobody
    directs Wu Lei, so neither of them would see her deals in his hands. Any login reads it.
    Only a director's login sees a team's deals: Fang, who manages Wu Lei with an account
    manager's login, is nobody's director."""
    store = world.store
    for mid, name, login, role in (
        ("m-zhou", "Zhou", "zhou", "sales_director"),
        ("m-wang", "Wang", "wang", "sales_director"),
        ("m-fang", "Fang", "fang", "account_manager"),
    ):
        store.create(K.TEAM_MEMBER, {"name": name, "role": "SALES_DIRECTOR"}, node_id=mid)
        add_person(store, login, role, mid)
    manage(store, "m-zhou", [LI])
    manage(store, "m-wang", ["m-zhou"])
    manage(store, "m-fang", [WU])
    wu = world.api.as_(world.people[WU])
    for api in (world.api, wu):
        li = api.data(DIRECTORS, {"id": gid(K.TEAM_MEMBER, LI)})["node"]
        assert li == {"name": "Li Na", "directors": [{"name": "Wang"}, {"name": "Zhou"}]}
        successor = api.data(DIRECTORS, {"id": gid(K.TEAM_MEMBER, WU)})["node"]
        assert successor["directors"] == []
