"""A coach nobody of ours knows, over the API as deployed (a sales leader): someone marked
孙伟 a champion coach, but nobody of ours knows him or has been in touch with him; the account
manager, with their own login, reads a flag that says the attitude is only what someone told
us, in the request's language, and the deal is worth less than once one of ours knows him."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import DAY_MS, ZH, Api, gid, serve
from people import Person, add_team

from domain.model import EdgeKind, NodeKind
from graph.store import GraphStore

K = NodeKind
AM = "m-am"
LOGINS = {AM: ("wang.am", "account_manager")}
DEAL = gid(K.OPPORTUNITY, "o1")
READ = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  assessment { winLikelihood { value } }
  analysis { redFlags { code severity persons { name } text coaching } }
  } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]
    store: GraphStore

    def read(self, **headers: str) -> dict[str, Any]:
        """The deal's likelihood and flags as its account manager reads them."""
        body = self.api.as_(self.people[AM]).body(READ, {"id": DEAL}, headers=headers or None)
        assert "errors" not in body, body
        node: dict[str, Any] = body["data"]["node"]
        return node


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A logistics platform at requirements analysis: our account manager met the general
    manager, who decides, last week; 孙伟, marked a champion coach, is known to nobody of ours."""
    store.create(K.TEAM_MEMBER, {"name": "Wang Fang", "role": "ACCOUNT_MANAGER"}, node_id=AM)
    store.create(K.CUSTOMER, {"name": "North Logistics"}, node_id="c1")
    deal = {"name": "TMS", "stage": "REQUIREMENTS", "grade": "A", "amount": 2_000_000}
    store.create_opportunity("c1", {**deal, "budget": 2_500_000}, node_id="o1")
    store.set_edge(
        EdgeKind.ON_TEAM, (K.TEAM_MEMBER, AM), (K.OPPORTUNITY, "o1"), {"role": "ACCOUNT_MANAGER"}
    )
    chain = {
        "gm": ("周总", "DECISION_MAKER", "DECISIVE", "NEUTRAL"),
        "sun": ("孙伟", "COACH", "MEDIUM", "CHAMPION"),
    }
    for pid, (name, role, influence, attitude) in chain.items():
        store.create_key_person("c1", {"name": name}, node_id=pid)
        member = {"role": role, "influence": influence, "attitude": attitude}
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, pid), (K.OPPORTUNITY, "o1"), member
        )
    store.set_edge(EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, "gm"), {"level": "MODERATE"})
    store.log_activity(
        {
            "type": "VISIT",
            "occurred_at": store.clock() - 5 * DAY_MS,
            "summary": "meeting",
            "outcome": "POSITIVE",
        },
        person_ids=["gm"],
        member_ids=[AM],
        opportunity_id="o1",
    )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(api, people, store)


def test_a_coach_nobody_of_ours_knows_is_flagged_and_counts_for_less(world: World) -> None:
    read = world.read()
    (flag,) = [f for f in read["analysis"]["redFlags"] if "COACH" in f["code"]]
    assert (flag["code"], flag["severity"], flag["persons"]) == (
        "COACH_UNKNOWN_TO_US",
        "MEDIUM",
        [{"name": "孙伟"}],
    )
    assert flag["text"] == (
        "Nobody of ours knows 孙伟 (Coach) or has been in touch with them: their attitude"
        " (Champion) is only what someone told us, and they guide nobody of ours yet"
    )
    zh = [f for f in world.read(**ZH)["analysis"]["redFlags"] if "COACH" in f["code"]]
    assert zh[0]["text"] == (
        "我方无人认识孙伟（教练），也没有与其接触的记录：其态度（拥护者）只是他人转述，"
        "目前还无法为我方指路"
    )
    assert "sun" not in zh[0]["text"] + zh[0]["coaching"] + flag["coaching"]
    # once one of ours knows him well, his guidance counts and the flag is the milder one
    world.store.set_edge(
        EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, "sun"), {"level": "STRONG"}
    )
    known = world.read()
    assert (
        known["assessment"]["winLikelihood"]["value"]
        > read["assessment"]["winLikelihood"]["value"] + 0.02
    )
    codes = [f["code"] for f in known["analysis"]["redFlags"] if "COACH" in f["code"]]
    assert codes == ["COACH_NO_CONTACT_ON_RECORD"]


def test_an_evaluator_s_support_nobody_of_ours_saw_is_flagged_as_hearsay(world: World) -> None:
    """A sales leader: the head of logistics, who weighs much in the evaluation, was marked a
    supporter on the coach's word; nobody of ours knows him. The account manager reads that
    the support is hearsay, in his language; once one of ours knows him, the flag is gone."""
    world.store.create_key_person("c1", {"name": "赵部长"}, node_id="zhao")
    member = {"role": "BUSINESS_EVALUATOR", "influence": "HIGH", "attitude": "SUPPORTER"}
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, "zhao"), (K.OPPORTUNITY, "o1"), member
    )

    def heard(**headers: str) -> list[dict[str, Any]]:
        flags = world.read(**headers)["analysis"]["redFlags"]
        return [f for f in flags if f["code"] == "SUPPORT_UNVERIFIED"]

    (flag,) = heard()
    assert (flag["severity"], flag["persons"]) == ("MEDIUM", [{"name": "赵部长"}])
    assert flag["text"] == (
        "Nobody of ours has heard 赵部长 (Business evaluator) say it: their support (Supporter)"
        " is only what someone told us"
    )
    (zh,) = heard(**ZH)
    assert zh["text"] == "我方没有人听赵部长（业务评估者）亲口表态：其支持（支持者）只是他人转述"
    assert "zhao" not in zh["text"] + zh["coaching"] + flag["coaching"]
    world.store.set_edge(
        EdgeKind.KNOWS, (K.TEAM_MEMBER, AM), (K.KEY_PERSON, "zhao"), {"level": "MODERATE"}
    )
    assert heard() == []
