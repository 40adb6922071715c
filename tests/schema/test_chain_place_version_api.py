"""Two people on one deal's map, over HTTP as deployed, each with their own login: a page read
before a colleague changed or removed a person's place in the decision chain must not undo the
change, nor put the person back, when it saves. A change guarded by the place's version as read
(``expectedVersion``) is refused as a CONFLICT naming the person, in the request's language,
with nothing written; read again, the change goes through. Without a version the write is the
upsert it always was (a new person is put in the chain)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, serve, snapshot
from people import Person, add_team

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

AM, SM = "m-am", "m-sm"
LOGINS = {AM: ("li.am", "account_manager"), SM: ("su.sm", "solution_manager")}
ERR = "userErrors { field message code }"
CHAIN = """query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { members {
    person { name } role attitude influence version } } } } }"""
SET = f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
    keyPerson {{ id }} {ERR} }} }}"""
REMOVE = f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberRemove(input: $i) {{
    keyPerson {{ id }} {ERR} }} }}"""


@dataclass(frozen=True)
class World:
    store: GraphStore
    api: Api
    people: dict[str, Person]

    def run(self, by: str, query: str, variables: dict[str, Any], **headers: str) -> Any:
        result = self.api.as_(self.people[by]).body(query, variables, headers=headers)
        assert "errors" not in result, result
        return result["data"]


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A deal whose account manager and solution manager each sign in as themselves; 马俊 of
    procurement sits in its chain, neutral, of medium influence."""
    for member_id in (AM, SM):
        store.create(NodeKind.TEAM_MEMBER, {"name": member_id}, node_id=member_id)
    store.create(NodeKind.CUSTOMER, {"name": "江州省人民医院"}, node_id="c1")
    store.create_opportunity("c1", {"name": "HIS upgrade"}, node_id="o1")
    for member_id, role in ((AM, "ACCOUNT_MANAGER"), (SM, "SOLUTION_MANAGER")):
        store.set_edge(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER, member_id),
            (NodeKind.OPPORTUNITY, "o1"),
            {"role": role},
        )
    store.create_key_person("c1", {"name": "马俊"}, node_id="p1")
    store.create_key_person("c1", {"name": "吴晓东"}, node_id="p2")
    store.set_edge(
        EdgeKind.IN_DECISION_CHAIN,
        (NodeKind.KEY_PERSON, "p1"),
        (NodeKind.OPPORTUNITY, "o1"),
        {"role": "PROCUREMENT", "attitude": "NEUTRAL", "influence": "MEDIUM"},
    )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(store, api, people)


def _members(world: World, by: str) -> dict[str, dict[str, Any]]:
    data = world.run(by, CHAIN, {"id": gid("Opportunity", "o1")})
    return {m["person"]["name"]: m for m in data["node"]["decisionChain"]["members"]}


def _place(person: str, **fields: Any) -> dict[str, Any]:
    return {
        "personId": gid("KeyPerson", person),
        "opportunityId": gid("Opportunity", "o1"),
        **fields,
    }


def _refused(world: World, by: str, query: str, place: dict[str, Any], **headers: str) -> Any:
    before = snapshot(world.store)
    payload = next(iter(world.run(by, query, {"i": place}, **headers).values()))
    assert payload["keyPerson"] is None, payload
    assert snapshot(world.store) == before, "a refused change wrote something"
    (error,) = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "expectedVersion"], "CONFLICT")
    return error["message"]


def test_a_stale_form_does_not_undo_a_colleagues_change(world: World) -> None:
    read_by_sm = _members(world, SM)["马俊"]
    read_by_am = _members(world, AM)["马俊"]
    assert read_by_sm["version"] == read_by_am["version"]
    # the account manager makes him a supporter, from the place as read
    supporter = _place("p1", role="PROCUREMENT", attitude="SUPPORTER")
    done = world.run(AM, SET, {"i": {**supporter, "expectedVersion": read_by_am["version"]}})
    assert done["decisionChainMemberSet"]["userErrors"] == []
    # the solution manager's page still shows him neutral: raising his influence from it
    stale = _place(
        "p1",
        role="PROCUREMENT",
        attitude="NEUTRAL",
        influence="HIGH",
        expectedVersion=read_by_sm["version"],
    )
    assert _refused(world, SM, SET, stale) == (
        "马俊's place in this decision chain was changed by someone else meanwhile; "
        "reload and retry"
    )
    assert _refused(world, SM, SET, stale, **ZH) == (
        "马俊在本决策链中的角色、态度或影响力刚被他人修改，请重新加载后重试"
    )
    assert _members(world, AM)["马俊"]["attitude"] == "SUPPORTER"
    # read again, her change goes through and keeps his attitude
    fresh = _members(world, SM)["马俊"]
    assert fresh["version"] > read_by_sm["version"]
    mine = _place("p1", role="PROCUREMENT", influence="HIGH", expectedVersion=fresh["version"])
    assert world.run(SM, SET, {"i": mine})["decisionChainMemberSet"]["userErrors"] == []
    now = _members(world, AM)["马俊"]
    assert (now["attitude"], now["influence"]) == ("SUPPORTER", "HIGH")


def test_a_refusal_carries_its_message_in_both_languages(world: World) -> None:
    """Asked in English, the stale refusal also gives its Chinese words (and the reverse): a
    page whose language is switched while it says so says it again in the new language."""
    read = _members(world, SM)["马俊"]
    stale = _place("p1", role="PROCUREMENT", expectedVersion=read["version"] - 1)
    query = SET.replace("code }", "code messageEn messageZh }")
    for headers in ({}, ZH):
        payload = world.run(SM, query, {"i": stale}, **headers)["decisionChainMemberSet"]
        (error,) = payload["userErrors"]
        assert error["code"] == "CONFLICT"
        assert error["messageEn"].startswith("马俊's place in this decision chain was changed")
        assert error["messageZh"].startswith("马俊在本决策链中的角色、态度或影响力刚被他人修改")
        assert error["message"] == (error["messageZh"] if headers else error["messageEn"])


def test_a_stale_page_does_not_put_back_someone_a_colleague_took_off(world: World) -> None:
    read = _members(world, SM)["马俊"]["version"]
    gone = world.run(AM, REMOVE, {"i": _place("p1", role="PROCUREMENT", expectedVersion=read)})
    assert gone["decisionChainMemberRemove"]["userErrors"] == []
    # the what-if she tried on her older page: "马俊 turned opponent", saved
    what_if = _place("p1", role="PROCUREMENT", attitude="OPPONENT", expectedVersion=read)
    assert _refused(world, SM, SET, what_if) == (
        "马俊 is no longer in this deal's decision chain: someone took them off meanwhile; "
        "reload to see the chain as it is"
    )
    assert _refused(world, SM, REMOVE, _place("p1", role="PROCUREMENT", expectedVersion=read))
    assert "马俊" not in _members(world, AM)


def test_without_a_version_a_person_is_put_in_the_chain_as_before(world: World) -> None:
    added = world.run(AM, SET, {"i": _place("p2", role="APPROVER", attitude="SKEPTIC")})
    assert added["decisionChainMemberSet"]["userErrors"] == []
    place = _members(world, SM)["吴晓东"]
    assert (place["role"], place["attitude"], place["version"]) == ("APPROVER", "SKEPTIC", 1)


def test_a_version_sent_for_someone_never_in_the_chain_says_so(world: World) -> None:
    """A client that sends a version for a person who was never in this chain is told to add
    them without one, not that a colleague took them off."""
    never = _place("p2", role="APPROVER", attitude="SKEPTIC", expectedVersion=1)
    assert _refused(world, SM, SET, never).endswith(
        "is not in this deal's decision chain: add them without a version"
    )
