"""Someone who sees only their teams' accounts and deals joins the team of the customer or
opportunity they create, in the same write: an account manager can open a new account or a
second deal and work it, and map an outside consultant into a deal's chain, each step with
their own login. Administrators create on others' behalf and join nothing; nobody else comes
to see what was made."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from api_helpers import Api, Json, gid, open_api
from people import Person, add_person

from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from resolvers import security

ERR = "userErrors { field message code }"
CUSTOMER_CREATE = f"""mutation($i: CustomerCreateInput!) {{ customerCreate(input: $i) {{
    customer {{ id name team {{ member {{ name }} role phase }} }} {ERR} }} }}"""
PERSON_CREATE = f"""mutation($i: KeyPersonCreateInput!) {{ keyPersonCreate(input: $i) {{
    keyPerson {{ id name customer {{ name }} }} {ERR} }} }}"""
OPPORTUNITY_CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id name team {{ member {{ name }} role }} }} {ERR} }} }}"""
CHAIN_SET = f"""mutation($i: DecisionChainMemberInput!) {{ decisionChainMemberSet(input: $i) {{
    opportunity {{ id }} {ERR} }} }}"""
ACTIVITY = f"""mutation($i: ActivityLogInput!) {{ activityLog(input: $i) {{
    activity {{ id }} {ERR} }} }}"""
NODE = """query($id: ID!) { node(id: $id) { id
    ... on Customer { name team { member { name } role } }
    ... on Opportunity { name team { member { name } role } decisionChain {
        members { person { name customer { name } } external externalKind }
        team { member { name } role } } } } }"""
AS_OF = """query($id: ID!, $at: DateTime!) { node(id: $id) { ... on Opportunity {
    decisionChain(asOf: $at) { team { member { name } role } } } } }"""
LISTS = (
    """{ customers(first: 50) { nodes { name } } opportunities(first: 50) { nodes { name } } }"""
)


@pytest.fixture
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def _deal_with_its_account_manager(api: Api) -> tuple[Person, Person]:
    """Huaxia Bank's core banking deal, worked by Li (account manager, on the deal's team
    only), and Wang, an account manager of another team."""
    store = api.store
    store.create(NodeKind.CUSTOMER, {"name": "Huaxia Bank"}, node_id="bank")
    store.create_key_person("bank", {"name": "Zhou Bin"}, node_id="cio")
    store.create_opportunity("bank", {"name": "Core banking renewal"}, node_id="deal")
    for member, name in (("li", "Li Na"), ("wang", "Wang Lei")):
        store.create(
            NodeKind.TEAM_MEMBER, {"name": name, "role": "ACCOUNT_MANAGER"}, node_id=member
        )
    store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, "li"),
        (NodeKind.OPPORTUNITY, "deal"),
        {"role": "ACCOUNT_MANAGER"},
    )
    li = add_person(store, "li.na", "account_manager", "li")
    wang = add_person(store, "wang.lei", "account_manager", "wang")
    return li, wang


def _made(api: Api, query: str, data: Json) -> Json:
    payload = api.mutate(query, {"i": data})
    node: Json = next(v for k, v in payload.items() if k != "userErrors")
    return node


def test_an_account_manager_opens_an_account_and_a_deal_and_works_them(api: Api) -> None:
    li_person, wang_person = _deal_with_its_account_manager(api)
    li, wang = api.as_(li_person), api.as_(wang_person)
    account = _made(li, CUSTOMER_CREATE, {"name": "Renji Hospital"})
    assert account["team"] == [
        {"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER", "phase": "DEAL"}
    ]
    person = _made(li, PERSON_CREATE, {"customerId": account["id"], "name": "Chen Jie"})
    assert person["customer"] == {"name": "Renji Hospital"}
    deal = _made(li, OPPORTUNITY_CREATE, {"customerId": account["id"], "name": "HIS upgrade"})
    assert deal["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]
    second = _made(
        li, OPPORTUNITY_CREATE, {"customerId": gid(NodeKind.CUSTOMER, "bank"), "name": "Cards"}
    )
    assert second["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]

    seen = li.data(LISTS)
    assert {c["name"] for c in seen["customers"]["nodes"]} == {"Huaxia Bank", "Renji Hospital"}
    assert {o["name"] for o in seen["opportunities"]["nodes"]} == {
        "Core banking renewal",
        "HIS upgrade",
        "Cards",
    }
    again = li.data(NODE, {"id": second["id"]})["node"]
    assert again["decisionChain"]["team"] == [
        {"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}
    ]
    # The deal's history knows its team from its first instant.
    at = datetime.fromtimestamp(api.store.clock() / 1000, tz=UTC).isoformat()
    then = li.data(AS_OF, {"id": second["id"], "at": at})["node"]["decisionChain"]
    assert then["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]
    # Another team's account manager comes to see none of it.
    other = wang.data(LISTS)
    assert other == {"customers": {"nodes": []}, "opportunities": {"nodes": []}}
    for made in (account, person, deal, second):
        assert wang.data(NODE, {"id": made["id"]})["node"] is None


def test_an_account_manager_maps_an_outside_consultant_into_their_deal(api: Api) -> None:
    li = api.as_(_deal_with_its_account_manager(api)[0])
    consultancy = _made(li, CUSTOMER_CREATE, {"name": "Deyi Consulting"})
    consultant = _made(li, PERSON_CREATE, {"customerId": consultancy["id"], "name": "Zhao Lei"})
    deal = gid(NodeKind.OPPORTUNITY, "deal")
    li.mutate(
        CHAIN_SET,
        {
            "i": {
                "personId": consultant["id"],
                "opportunityId": deal,
                "role": "TECHNICAL_EVALUATOR",
                "externalKind": "CONSULTANT",
            }
        },
    )
    li.mutate(
        ACTIVITY,
        {
            "i": {
                "type": "VISIT",
                "occurredAt": "2026-11-20T10:00:00+00:00",
                "summary": "Walked the consultant through the architecture",
                "outcome": "POSITIVE",
                "personIds": [consultant["id"]],
                "memberIds": [gid(NodeKind.TEAM_MEMBER, "li")],
                "opportunityId": deal,
            }
        },
    )
    members = li.data(NODE, {"id": deal})["node"]["decisionChain"]["members"]
    assert {
        "person": {"name": "Zhao Lei", "customer": {"name": "Deyi Consulting"}},
        "external": True,
        "externalKind": "CONSULTANT",
    } in members


def test_a_user_linked_to_nobody_is_told_how_to_be_linked_and_then_opens_the_account(
    api: Api,
) -> None:
    """A customer made by a login linked to no team member would be seen by nobody but
    administrators: refused, with the command that links the user (which then works)."""
    _deal_with_its_account_manager(api)
    solo = add_person(api.store, "solo", "account_manager")
    errors = api.as_(solo).refused(
        CUSTOMER_CREATE, {"i": {"name": "Renji Hospital"}}, "FORBIDDEN", []
    )
    assert "dealgraph user set solo --member" in errors[0]["message"]
    security.change_user(api.store, "solo", member=("wang",))
    account = _made(api.as_(solo), CUSTOMER_CREATE, {"name": "Renji Hospital"})
    assert account["team"] == [
        {"member": {"name": "Wang Lei"}, "role": "ACCOUNT_MANAGER", "phase": "DEAL"}
    ]


def test_an_administrator_creates_on_others_behalf_and_joins_no_team(api: Api) -> None:
    _deal_with_its_account_manager(api)
    admin_member = add_person(api.store, "ops", "admin", "wang")
    admin = api.as_(admin_member)
    account = _made(admin, CUSTOMER_CREATE, {"name": "Renji Hospital"})
    deal = _made(admin, OPPORTUNITY_CREATE, {"customerId": account["id"], "name": "HIS upgrade"})
    assert account["team"] == []
    assert deal["team"] == []


def test_the_creation_and_the_team_place_are_one_audited_write(api: Api) -> None:
    li = api.as_(_deal_with_its_account_manager(api)[0])
    before = api.store.audit_log(None, limit=1000).total
    deal = _made(
        li, OPPORTUNITY_CREATE, {"customerId": gid(NodeKind.CUSTOMER, "bank"), "name": "Cards"}
    )
    entries = api.store.audit_log(None, limit=1000)
    assert entries.total == before + 1
    newest = entries.items[0]
    assert newest["operation"] == "create"
    assert json.loads(newest["changes"])["team"] == {
        "member_id": "li",
        "role": "ACCOUNT_MANAGER",
        "phase": "DEAL",
    }
    assert deal["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]


JUDGED = """id team { member { name } role } triangle { missing present }
    nextStageProblems { code path } missingApprovals { process mayRequest }
    optionalApprovals { process mayRequest } health { status reasons { text } }
    decisionChain { team { role } }"""


def test_a_new_deal_s_payload_reads_as_its_creator_s_next_request_does(api: Api) -> None:
    """The account manager's new deal comes back with its gates, its approvals to ask for,
    its iron triangle and its health, as the page shows them next: not "nothing to request"
    and an account manager missing beside her own name because the request began before the
    deal existed."""
    li = api.as_(_deal_with_its_account_manager(api)[0])
    create = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
        opportunity {{ {JUDGED} }} {ERR} }} }}"""
    bank = gid(NodeKind.CUSTOMER, "bank")
    made = li.mutate(create, {"i": {"customerId": bank, "name": "Branch kiosks"}})["opportunity"]
    fresh = li.node(
        f"query($id: ID!) {{ node(id: $id) {{ ... on Opportunity {{ {JUDGED} }} }} }}", made["id"]
    )
    assert made == fresh
    assert "ACCOUNT_MANAGER" in made["triangle"]["present"]
    assert made["nextStageProblems"]
    assert made["health"] is not None
