"""A warm introduction planned through someone of ours who is not on the deal's team (they
know a member of the chain, which is how the path starts) names them by name: the work plan's
rationale, in both languages, never shows a team member's id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, open_api
from people import add_person

from domain.model import NodeKind
from graph.executor import Executor

PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan(limit: 10) { actionKey target { name } owner { id name } rationale } } } }"""


def _create(api: Api, mutation: str, field: str, variables: dict[str, Any]) -> str:
    query = (
        f"mutation($i: {mutation[0].upper()}{mutation[1:]}Input!) {{ {mutation}(input: $i) {{ "
        f"{field} {{ id }} userErrors {{ field message code }} }} }}"
    )
    payload = api.mutate(query, {"i": variables})
    return str(payload[field]["id"])


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    """Our account manager is on the deal; our lead expert is not, but knows the CIO, who
    knows the president, the decision maker nobody of ours has met."""
    with open_api(api_executor) as served:
        for key, name, role in (
            ("tm-li", "Li Ming", "ACCOUNT_MANAGER"),
            ("tm-fang", "Fang Guodong", "LEAD_EXPERT"),
        ):
            member = {"name": name, "role": role, "key": key}
            _create(served, "teamMemberCreate", "teamMember", member)
        customer = _create(served, "customerCreate", "customer", {"name": "City Hospital"})
        deal = _create(
            served,
            "opportunityCreate",
            "opportunity",
            {"customerId": customer, "name": "Hospital platform", "key": "o-hospital"},
        )
        for key, name in (("kp-president", "President Zhao"), ("kp-cio", "CIO Qian")):
            _create(
                served,
                "keyPersonCreate",
                "keyPerson",
                {"customerId": customer, "name": name, "key": key},
            )
        served.mutate(
            """mutation($i: TeamAssignInput!) { teamAssign(input: $i) {
              userErrors { field message code } } }""",
            {
                "i": {
                    "memberId": gid(NodeKind.TEAM_MEMBER, "tm-li"),
                    "targetId": deal,
                    "role": "ACCOUNT_MANAGER",
                }
            },
        )
        chain = """mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) {
          keyPerson { id } userErrors { field message code } } }"""
        for key, role in (("kp-president", "DECISION_MAKER"), ("kp-cio", "TECHNICAL_EVALUATOR")):
            served.mutate(
                chain,
                {
                    "i": {
                        "personId": gid(NodeKind.KEY_PERSON, key),
                        "opportunityId": deal,
                        "role": role,
                    }
                },
            )
        knows = """mutation($i: KnowsInput!) { knowsSet(input: $i) {
          keyPerson { id } userErrors { field message code } } }"""
        cio, president = (
            gid(NodeKind.KEY_PERSON, "kp-cio"),
            gid(NodeKind.KEY_PERSON, "kp-president"),
        )
        served.mutate(
            knows,
            {
                "i": {
                    "targetPersonId": cio,
                    "memberId": gid(NodeKind.TEAM_MEMBER, "tm-fang"),
                    "level": "STRONG",
                }
            },
        )
        served.mutate(
            knows, {"i": {"targetPersonId": president, "personId": cio, "level": "STRONG"}}
        )
        yield served


def test_the_introduction_names_who_of_ours_should_ask(api: Api) -> None:
    deal = gid(NodeKind.OPPORTUNITY, "o-hospital")
    li = api.as_(add_person(api.store, "li", "account_manager", "tm-li"))  # on the deal's team
    for headers in ({}, ZH):
        plan = li.body(PLAN, {"id": deal}, headers=headers)["data"]["node"]["suggestedWorkPlan"]
        (intro,) = [s for s in plan if s["actionKey"] == "warm_introduction"]
        assert "tm-fang" not in intro["rationale"], intro
        assert "Fang Guodong" in intro["rationale"], intro  # the lead expert should ask the CIO
