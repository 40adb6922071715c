"""A deal just created, with nobody in its chain yet, over the API as deployed (a sales
leader): its account manager, with their own login, reads it as not assessed yet, not as on
track, with the reason in the request's language; once its chain is mapped it is judged."""

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
  health { status reasons { code status text } } } } }"""


@dataclass(frozen=True)
class World:
    api: Api
    people: dict[str, Person]
    store: GraphStore

    def health(self, **headers: str) -> dict[str, Any]:
        """The deal's status as its account manager reads it."""
        body = self.api.as_(self.people[AM]).body(READ, {"id": DEAL}, headers=headers or None)
        assert "errors" not in body, body
        health: dict[str, Any] = body["data"]["node"]["health"]
        return health


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    """A deal made today from a lead at validation: nobody in its chain yet."""
    store.create(K.TEAM_MEMBER, {"name": "Wang Fang", "role": "ACCOUNT_MANAGER"}, node_id=AM)
    store.create(K.CUSTOMER, {"name": "South Port"}, node_id="c1")
    deal = {"name": "Yard system", "stage": "VALIDATE", "grade": "B", "amount": 1_000_000}
    store.create_opportunity("c1", deal, node_id="o1")
    store.set_edge(
        EdgeKind.ON_TEAM, (K.TEAM_MEMBER, AM), (K.OPPORTUNITY, "o1"), {"role": "ACCOUNT_MANAGER"}
    )
    people = add_team(store, LOGINS)
    with serve(store) as api:
        yield World(api, people, store)


def test_a_deal_with_nobody_in_its_chain_is_not_assessed_yet(world: World) -> None:
    health = world.health()
    assert health["status"] == "NOT_ASSESSED"
    (reason,) = health["reasons"]
    assert (reason["code"], reason["status"]) == ("NOT_ASSESSED", "NOT_ASSESSED")
    assert reason["text"].startswith(
        "A new deal with no decision chain mapped yet: its win likelihood ("
    ), reason
    assert "is only a start; next: find out who decides and develop a coach" in reason["text"]
    (zh,) = world.health(**ZH)["reasons"]
    assert zh["text"].startswith("新建商机，尚未梳理决策链：赢单概率（"), zh
    assert zh["text"].endswith("）只是起点；下一步：弄清谁拍板、发展教练"), zh
    # once someone is mapped and met, the deal is judged: a sound early deal is on track
    world.store.create_key_person("c1", {"name": "黄总"}, node_id="gm")
    member = {"role": "DECISION_MAKER", "influence": "DECISIVE", "attitude": "SUPPORTER"}
    world.store.set_edge(
        EdgeKind.IN_DECISION_CHAIN, (K.KEY_PERSON, "gm"), (K.OPPORTUNITY, "o1"), member
    )
    world.store.log_activity(
        {
            "type": "VISIT",
            "occurred_at": world.store.clock() - 2 * DAY_MS,
            "summary": "visit",
            "outcome": "POSITIVE",
        },
        person_ids=["gm"],
        member_ids=[AM],
        opportunity_id="o1",
    )
    assert world.health()["status"] != "NOT_ASSESSED"
