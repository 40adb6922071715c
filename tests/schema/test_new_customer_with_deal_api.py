"""A new customer and its first deal in one write, as an account manager starts a deal for an
account nobody has entered yet, with his own login: both are made, and he is on both teams;
a deal refused for any reason leaves no customer behind (nothing is written), and each problem
names its real input field, the new customer's inside ``customer``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ZH, Api, Json, gid, open_api, snapshot
from people import Person, add_person

from domain.model import NodeKind
from graph.executor import Executor
from graph.statements import WEBHOOK_EVENT_LABEL

ERR = "userErrors { field message code }"
CREATE = f"""mutation($i: OpportunityCreateInput!) {{ opportunityCreate(input: $i) {{
    opportunity {{ id name stage team {{ member {{ name }} role }}
      customer {{ id name industry team {{ member {{ name }} role }} }} }} {ERR} }} }}"""
AUDIT = """query($id: ID!) { auditLog(targetId: $id) { nodes { operation targetKind } } }"""
LISTS = "{ customers(first: 50) { nodes { name } } opportunities(first: 50) { nodes { name } } }"


@pytest.fixture
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def _account_managers(api: Api) -> tuple[Person, Person]:
    """Li Na (account manager) and Wang Lei, an account manager of another team."""
    for member, name in (("li", "Li Na"), ("wang", "Wang Lei")):
        api.store.create(
            NodeKind.TEAM_MEMBER, {"name": name, "role": "ACCOUNT_MANAGER"}, node_id=member
        )
    return (
        add_person(api.store, "li.na", "account_manager", "li"),
        add_person(api.store, "wang.lei", "account_manager", "wang"),
    )


def _errors(api: Api, data: dict[str, Any], headers: dict[str, str] | None = None) -> list[Json]:
    body = api.body(CREATE, {"i": data}, headers=headers)
    assert "errors" not in body, body
    payload: Json = body["data"]["opportunityCreate"]
    assert payload["opportunity"] is None, payload
    errors: list[Json] = payload["userErrors"]
    return errors


def test_an_account_manager_starts_a_deal_for_a_new_customer_in_one_write(api: Api) -> None:
    li_person, wang_person = _account_managers(api)
    li, wang = api.as_(li_person), api.as_(wang_person)
    made = li.mutate(
        CREATE,
        {
            "i": {
                "name": "Smart-campus platform",
                "amount": 2_400_000_00,
                "customer": {"name": "Jiangzhou Normal University", "industry": "Education"},
            }
        },
    )["opportunity"]
    assert made["name"] == "Smart-campus platform"
    assert made["customer"]["name"] == "Jiangzhou Normal University"
    assert made["customer"]["industry"] == "Education"
    # he works both, and sees both in his lists; the other team's account manager sees neither
    assert made["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]
    assert made["customer"]["team"] == [{"member": {"name": "Li Na"}, "role": "ACCOUNT_MANAGER"}]
    mine = li.data(LISTS)
    assert [c["name"] for c in mine["customers"]["nodes"]] == ["Jiangzhou Normal University"]
    assert [o["name"] for o in mine["opportunities"]["nodes"]] == ["Smart-campus platform"]
    theirs = wang.data(LISTS)
    assert theirs["customers"]["nodes"] == theirs["opportunities"]["nodes"] == []
    # each has its own creation on record, as if made one after the other
    for node, kind in ((made["customer"], "Customer"), (made, "Opportunity")):
        entries = api.data(AUDIT, {"id": node["id"]})["auditLog"]["nodes"]
        assert entries == [{"operation": "create", "targetKind": kind}]
    # and webhook subscribers hear of both
    events = api.store.executor.read(
        f"MATCH (e:{WEBHOOK_EVENT_LABEL}) RETURN e.type AS type ORDER BY e.at, e.id", {}
    )
    kinds = [e["type"] for e in events if e["type"].endswith(".created")]
    assert kinds[-2:] in (
        ["customer.created", "opportunity.created"],
        ["opportunity.created", "customer.created"],
    )


def test_a_deal_refused_leaves_no_customer_behind(api: Api) -> None:
    li = api.as_(_account_managers(api)[0])
    api.store.create(NodeKind.CUSTOMER, {"name": "Huaxia Bank"}, node_id="bank")
    before = snapshot(api.store)
    customer = {"name": "Jiangzhou Normal University"}
    refused: dict[str, tuple[dict[str, Any], list[list[str]]]] = {
        # a close date already past: the deal is refused at its field
        "past close": (
            {"name": "Smart campus", "expectedCloseDate": "2020-01-01", "customer": customer},
            [["input", "expectedCloseDate"]],
        ),
        # the new customer's own problem, inside customer
        "blank customer name": (
            {"name": "Smart campus", "customer": {"name": "  "}},
            [["input", "customer", "name"]],
        ),
        # both an existing customer and a new one, or neither: which one is meant?
        "both": (
            {
                "name": "Smart campus",
                "customerId": gid(NodeKind.CUSTOMER, "bank"),
                "customer": customer,
            },
            [["input", "customerId"]],
        ),
        "neither": ({"name": "Smart campus"}, [["input", "customerId"]]),
        # the deal's key taken by a deal that exists: no customer made for it either
        "deal key taken": (
            {"name": "Smart campus", "key": "deal-1", "customer": customer},
            [["input", "key"]],
        ),
        # the customer's key taken
        "customer key taken": (
            {"name": "Smart campus", "customer": {**customer, "key": "bank"}},
            [["input", "customer", "key"]],
        ),
    }
    api.store.create_opportunity("bank", {"name": "Core banking"}, node_id="deal-1")
    before = snapshot(api.store)
    for case, (data, fields) in refused.items():
        errors = _errors(li, data)
        assert [e["field"] for e in errors] == fields, (case, errors)
        assert snapshot(api.store) == before, case
    (zh,) = _errors(li, {"name": "Smart campus", "customer": {"name": ""}}, ZH)
    assert zh["field"] == ["input", "customer", "name"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["message"]), zh
    (both,) = _errors(li, refused["neither"][0])
    assert "customerId" in both["message"]
    assert "customer for a new one" in both["message"]


def test_a_viewer_may_not_start_a_deal_for_a_new_customer(api: Api) -> None:
    viewer = api.as_(add_person(api.store, "vera", "viewer"))
    before = snapshot(api.store)
    (error,) = _errors(viewer, {"name": "Smart campus", "customer": {"name": "New account"}})
    assert error["code"] == "FORBIDDEN"
    assert snapshot(api.store) == before
