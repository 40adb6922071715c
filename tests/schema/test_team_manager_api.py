"""Who directs whom, kept by the administrator through the API, as deployed: each person with
a login of their own made the way an administrator makes it.

Zhou is a sales director; Li Na, an account manager, runs the HIS deal. Nobody manages her yet,
so Zhou does not see HIS. A sales leader expects:

- the administrator makes Zhou her manager, and from his next request Zhou sees HIS as his
  team's; the people list says whom she reports to and whom he manages; taken away again, Zhou
  no longer sees it; each change leaves the audit entry the command leaves, naming who made it;
- only an administrator changes it: an account manager and a sales director are refused and
  nothing is written (a director who could pick his team could read any deal);
- a wrong ID, somebody unknown, someone managing themselves, a circle (Li Na managing her own
  manager) or someone who left are refused at the input field they came in, in the reader's
  language, and nothing is written;
- the list reads managers and reports in one round trip per level, however many people
  (both lists of a level in the same one).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve
from people import Person, add_team, hospital_team

from domain.model import NodeKind
from graph.statements import AUDIT_LABEL
from graph.store import GraphStore

K = NodeKind
LI, WU, ZHOU = "m-li", "m-wu", "m-zhou"
LOGINS = {
    LI: ("li.na", "account_manager"),
    WU: ("wu.lei", "account_manager"),
    ZHOU: ("zhou.wei", "sales_director"),
}
HIS = gid(K.OPPORTUNITY, "his")

ADD = """mutation($input: TeamMemberManagerInput!) { teamMemberManagerAdd(input: $input) {
  manager { name reports { name } } member { name managers { name } }
  userErrors { field message code } } }"""
REMOVE = """mutation($input: TeamMemberManagerInput!) { teamMemberManagerRemove(input: $input) {
  manager { name } member { name managers { name } } userErrors { field message code } } }"""
DEAL = "query($id: ID!) { node(id: $id) { ... on Opportunity { name } } }"
LINES = """query($id: ID!) { node(id: $id) { ... on TeamMember { name
  managers { name } reports { name } directors { name } } } }"""


def line(manager: str, member: str) -> dict[str, Any]:
    return {
        "input": {"managerId": gid(K.TEAM_MEMBER, manager), "memberId": gid(K.TEAM_MEMBER, member)}
    }


@dataclass(frozen=True)
class World:
    store: GraphStore
    api: Api
    people: dict[str, Person]

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])

    def lines(self, member: str) -> dict[str, Any]:
        found: dict[str, Any] = self.api.data(LINES, {"id": gid(K.TEAM_MEMBER, member)})["node"]
        return found

    def zhou_sees_his(self) -> bool:
        return self.as_(ZHOU).data(DEAL, {"id": HIS})["node"] is not None


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    hospital_team(
        store,
        {
            LI: ("Li Na", "ACCOUNT_MANAGER"),
            WU: ("Wu Lei", "ACCOUNT_MANAGER"),
            ZHOU: ("Zhou", "SALES_DIRECTOR"),
        },
    )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(store, api, people)


def _audits(store: GraphStore) -> list[dict[str, Any]]:
    rows = store.executor.read(
        f"MATCH (a:{AUDIT_LABEL}) WHERE a.target_kind = 'MANAGES' "
        "RETURN a.operation AS operation, a.target_id AS target, a.actor_id AS actor, "
        "a.changes AS changes ORDER BY a.seq",
        {},
    )
    return [dict(r) for r in rows]


def test_the_administrator_makes_zhou_her_manager_and_he_sees_her_deal(world: World) -> None:
    assert not world.zhou_sees_his()
    assert world.lines(LI)["managers"] == []

    done = world.api.mutate(ADD, line(ZHOU, LI))
    assert done["manager"] == {"name": "Zhou", "reports": [{"name": "Li Na"}]}
    assert done["member"] == {"name": "Li Na", "managers": [{"name": "Zhou"}]}
    assert world.zhou_sees_his(), "her manager does not see her deal"
    li = world.lines(LI)
    assert li == {
        "name": "Li Na",
        "managers": [{"name": "Zhou"}],
        "reports": [],
        "directors": [{"name": "Zhou"}],
    }
    assert world.lines(ZHOU)["reports"] == [{"name": "Li Na"}]
    # any login may read who directs whom (team members are visible to all)
    wu = world.as_(WU).data(LINES, {"id": gid(K.TEAM_MEMBER, LI)})["node"]
    assert wu["managers"] == [{"name": "Zhou"}]
    # made again, it stays one line
    world.api.mutate(ADD, line(ZHOU, LI))
    assert world.lines(ZHOU)["reports"] == [{"name": "Li Na"}]

    gone = world.api.mutate(REMOVE, line(ZHOU, LI))
    assert gone["member"] == {"name": "Li Na", "managers": []}
    assert not world.zhou_sees_his(), "he still sees her deal"
    assert world.lines(LI)["managers"] == []

    # the audit entries the command leaves, naming the administrator who made each change
    audits = _audits(world.store)
    assert [(a["operation"], a["target"], a["actor"]) for a in audits] == [
        ("set_edge", f"{ZHOU}->{LI}", "admin"),
        ("set_edge", f"{ZHOU}->{LI}", "admin"),
        ("remove_edge", f"{ZHOU}->{LI}", "admin"),
    ]
    assert all(json.loads(a["changes"]) == {} for a in audits)


@pytest.mark.parametrize("member", [LI, ZHOU])
def test_only_an_administrator_changes_who_directs_whom(world: World, member: str) -> None:
    """Li Na (account manager) and Zhou himself (sales director) are refused, adding and
    removing, and nothing is written."""
    caller = world.as_(member)
    for mutation in (ADD, REMOVE):
        (error,) = caller.refused(mutation, line(ZHOU, LI), "FORBIDDEN", [])
        assert error["message"] == (
            "Your role may not change who directs whom; this needs the role administrator."
        )
    body = caller.body(ADD, line(ZHOU, LI), headers=ZH)
    (error,) = body["data"]["teamMemberManagerAdd"]["userErrors"]
    assert error["message"] == "您的角色不能修改谁管理谁，需要以下角色：管理员。"
    assert not world.zhou_sees_his()


def test_wrong_people_are_refused_at_their_field_in_the_reader_s_language(world: World) -> None:
    api = world.api
    nobody = {
        "input": {"managerId": gid(K.TEAM_MEMBER, "nobody"), "memberId": gid(K.TEAM_MEMBER, LI)}
    }
    (error,) = api.refused(ADD, nobody, "NOT_FOUND", ["input", "managerId"])
    assert error["message"] == "No team member with this id exists, or you may not see it"
    zh = api.body(ADD, nobody, headers=ZH)["data"]["teamMemberManagerAdd"]["userErrors"]
    assert zh[0]["field"] == ["input", "managerId"]
    assert zh[0]["message"] == "该团队成员不存在，或您无权查看"

    customer = {"input": {"managerId": gid(K.TEAM_MEMBER, ZHOU), "memberId": gid(K.CUSTOMER, "c1")}}
    (error,) = api.refused(ADD, customer, "BAD_USER_INPUT", ["input", "memberId"])
    assert "team member" in error["message"], error
    (error,) = api.refused(REMOVE, customer, "BAD_USER_INPUT", ["input", "memberId"])

    (error,) = api.refused(ADD, line(LI, LI), "BAD_USER_INPUT", ["input", "memberId"])
    assert error["message"] == "Li Na cannot manage themselves"

    (error,) = api.refused(REMOVE, line(ZHOU, LI), "NOT_FOUND", ["input", "memberId"])
    assert error["message"] == "Li Na is not managed by Zhou"


def test_a_circle_is_refused_at_the_member_who_would_close_it(world: World) -> None:
    """Zhou manages Li Na, Li Na manages Wu Lei: Wu Lei cannot manage Zhou, nor Li Na Zhou."""
    world.api.mutate(ADD, line(ZHOU, LI))
    world.api.mutate(ADD, line(LI, WU))
    (error,) = world.api.refused(ADD, line(WU, ZHOU), "BAD_USER_INPUT", ["input", "memberId"])
    assert error["message"] == (
        "Zhou already directs Wu Lei, directly or through others: Wu Lei cannot manage Zhou "
        "too (that would be a circle)"
    )
    zh = world.api.body(ADD, line(LI, ZHOU), headers=ZH)["data"]["teamMemberManagerAdd"]
    assert zh["userErrors"] == [
        {
            "field": ["input", "memberId"],
            "message": "Zhou已直接或间接管理Li Na，Li Na不能再管理Zhou（那会形成循环）",
            "code": "BAD_USER_INPUT",
        }
    ]
    assert world.lines(ZHOU)["managers"] == []


def test_nobody_who_left_is_given_a_manager_but_their_line_can_be_removed(world: World) -> None:
    world.api.mutate(ADD, line(ZHOU, LI))
    world.store.update(K.TEAM_MEMBER, WU, {"left_at": 1_790_000_000_000})
    (error,) = world.api.refused(ADD, line(ZHOU, WU), "BAD_USER_INPUT", ["input", "memberId"])
    assert error["message"].startswith("Wu Lei left on ")
    (error,) = world.api.refused(ADD, line(WU, LI), "BAD_USER_INPUT", ["input", "managerId"])
    world.store.update(K.TEAM_MEMBER, LI, {"left_at": 1_790_000_000_000})
    world.api.mutate(REMOVE, line(ZHOU, LI))
    assert world.lines(ZHOU)["reports"] == []


LIST = """{ teamMembers(first: 20) { nodes { name managers { name reports { name } }
  reports { name managers { name } } } } }"""


def test_the_list_reads_who_directs_whom_in_one_round_trip_per_level(world: World) -> None:
    world.api.mutate(ADD, line(ZHOU, LI))
    world.api.mutate(ADD, line(ZHOU, WU))
    data, trips = world.api.trips(LIST)
    by_name = {n["name"]: n for n in data["teamMembers"]["nodes"]}
    assert by_name["Zhou"]["reports"] == [
        {"name": "Li Na", "managers": [{"name": "Zhou"}]},
        {"name": "Wu Lei", "managers": [{"name": "Zhou"}]},
    ]
    assert by_name["Li Na"]["managers"] == [
        {"name": "Zhou", "reports": [{"name": "Li Na"}, {"name": "Wu Lei"}]}
    ]
    # the list, then one trip for the managers and reports of all of them: the second level
    # names only people the first already read (a deeper, wider tree costs one per level)
    assert trips == 2, trips
