"""Deleting a deal, as deployed: the director enters a deal already at requirements analysis
(moved from another system) with his own login (the gates it skipped raise violations for him
to see; a team member's new deal starts at the first stage), and the account and solution
managers are put on its team. Neither of them, nor the director, may delete it: a team
deleting its deal would clear its open violations from the director's sight, and a deal that
did not happen is closed as abandoned. An administrator may, for a deal entered by mistake,
and its approvals, violations and other records of its own go with it, never left open with
no deal to show them on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import Api, gid, raw, serve, snapshot
from people import TRIO, Person, add_team, logins_of, manage, our_people

from domain.model import EdgeKind, NodeKind, RecordKind
from graph.store import GraphStore

AM, SM, DIRECTOR = TRIO
ERR = "userErrors { field message code }"
CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id }} {ERR} }} }}"""
DELETE = f"mutation($id: ID!) {{ opportunityDelete(id: $id) {{ deletedId {ERR} }} }}"
VIOLATIONS = """query { violations(first: 50) { nodes { rule opportunity { name } } } }"""


@dataclass(frozen=True)
class World:
    store: GraphStore
    api: Api
    people: dict[str, Person]
    deal: str

    def as_(self, member: str) -> Api:
        return self.api.as_(self.people[member])


@pytest.fixture
def world(store: GraphStore) -> Iterator[World]:
    our_people(store, TRIO)
    store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital"}, node_id="c1")
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, AM),
        (NodeKind.CUSTOMER, "c1"),
        {"role": "ACCOUNT_MANAGER"},
    )
    people = add_team(store, logins_of(TRIO))
    manage(store, DIRECTOR, [AM, SM])
    with serve(store) as api:
        created = api.as_(people[DIRECTOR]).mutate(
            CREATE,
            {
                "i": {
                    "customerId": gid(NodeKind.CUSTOMER, "c1"),
                    "name": "Smart ward",
                    "stage": "REQUIREMENTS",
                }
            },
        )
        deal = created["opportunity"]["id"]
        for member, role in ((AM, "ACCOUNT_MANAGER"), (SM, "SOLUTION_MANAGER")):
            store.set_edge(
                EdgeKind.ON_TEAM,
                (NodeKind.TEAM_MEMBER, member),
                (NodeKind.OPPORTUNITY, raw(deal)),
                {"role": role},
            )
        yield World(store, api, people, deal)


def _rules_on(api: Api, deal: str) -> list[Any]:
    nodes = api.data(VIOLATIONS)["violations"]["nodes"]
    return [n for n in nodes if n["opportunity"] and n["opportunity"]["name"] == deal]


def test_nobody_on_the_team_nor_their_director_deletes_a_deal(world: World) -> None:
    director = world.as_(DIRECTOR)
    assert _rules_on(director, "Smart ward"), "the gates skipped raised no violation"
    for member in (AM, SM, DIRECTOR):
        errors = world.as_(member).refused(DELETE, {"id": world.deal}, "FORBIDDEN")
        assert "delete a deal" in errors[0]["message"], errors
    zh = world.as_(SM).body(DELETE, {"id": world.deal}, headers={"Accept-Language": "zh-CN"})
    assert "删除商机" in zh["data"]["opportunityDelete"]["userErrors"][0]["message"]
    assert _rules_on(director, "Smart ward")


def test_an_administrator_deletes_a_deal_with_its_own_records(world: World) -> None:
    labels = (RecordKind.VIOLATION.value, RecordKind.STAGE_TRANSITION.value, "Approval")
    before = {label: _count(world.store, label) for label in labels}
    assert before[RecordKind.VIOLATION.value] > 0
    assert world.api.mutate(DELETE, {"id": world.deal})["deletedId"] == world.deal
    nodes = world.api.data(VIOLATIONS)["violations"]["nodes"]
    assert [n for n in nodes if n["opportunity"] is None] == []
    assert all(_count(world.store, label) == 0 for label in labels)


def _count(store: GraphStore, label: str) -> int:
    """Nodes of ``label`` stored."""
    return sum(json.loads(row)["labels"] == [label] for row in snapshot(store).nodes)
