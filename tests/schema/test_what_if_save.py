"""Saving a what-if, on the demo deal, with the account manager's own login: every change
written as its ordinary write writes it, in one write, or nothing at all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, Json, gid
from demo_deal import OPPORTUNITY, demo_api
from people import Person, add_person

from domain.model import NodeKind
from graph.executor import Executor
from graph.statements import AUDIT_LABEL

ACCOUNTANT = gid(NodeKind.KEY_PERSON, "demo-kp-chief-accountant")
EXEC_VP = gid(NodeKind.KEY_PERSON, "demo-kp-exec-vp")
PRESIDENT = gid(NodeKind.KEY_PERSON, "demo-kp-president")
NURSING = gid(NodeKind.KEY_PERSON, "demo-kp-nursing")
ACCOUNT_MANAGER = gid(NodeKind.TEAM_MEMBER, "demo-tm-account")
LEAD_EXPERT = gid(NodeKind.TEAM_MEMBER, "demo-tm-lead-expert")

SAVE = """mutation($id: ID!, $input: WhatIfSaveInput!) {
  opportunityWhatIfSave(id: $id, input: $input) {
    opportunity { version quoteAmount quoteStatus }
    userErrors { field message code } } }"""

DEAL = """query($id: ID!) { node(id: $id) { ... on Opportunity { version quoteAmount
  decisionChain { members { person { id } version role attitude }
    team { member { id knows { person { id } level } } }
    activities { type summary priceReaction persons { id } doneBy { id } } }
  memberScores { person { id } price { value } } } } }"""

TRIAL = """query($id: ID!, $changes: [WhatIfChangeInput!]!) {
  opportunityWhatIf(id: $id, changes: $changes) {
    afterScores { person { id } price { value } } } }"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with demo_api(api_executor) as client:
        yield client


@pytest.fixture(scope="module")
def account_manager(api: Api) -> Person:
    """``dealgraph user add li --role account_manager --member demo-tm-account``."""
    return add_person(api.store, "li", "account_manager", "demo-tm-account")


def _last_entry(api: Api) -> int:
    """The number of the store's latest audit entry."""
    rows = api.store.executor.read(f"MATCH (a:{AUDIT_LABEL}) RETURN max(a.seq) AS seq", {})
    return int(rows[0]["seq"])


def _deal(api: Api) -> Json:
    return api.node(DEAL, OPPORTUNITY)


def _place(deal: Json, person: str) -> Json:
    found: Json = next(m for m in deal["decisionChain"]["members"] if m["person"]["id"] == person)
    return found


def _cut_and_heard(deal: Json) -> list[dict[str, Any]]:
    """The account manager's what-if: our quote cut to the budget, the chief accountant says
    the new price can work, and the executive VP comes round to neutral."""
    return [
        {"kind": "SET_QUOTE", "amount": 4_000_000_000},
        {"kind": "PRICE_HEARD", "personId": ACCOUNTANT, "reaction": "POSITIVE"},
        {
            "kind": "SET_ATTITUDE",
            "personId": EXEC_VP,
            "attitude": "NEUTRAL",
            "expectedVersion": _place(deal, EXEC_VP)["version"],
        },
        {"kind": "RAISE_CLOSENESS", "personId": PRESIDENT, "memberId": LEAD_EXPERT},
    ]


def test_a_refused_change_anywhere_in_a_what_if_saves_none_of_it(
    api: Api, account_manager: Person
) -> None:
    """The third change rests on a place in the chain a colleague changed since the page read
    it: the refusal names the person and the change, and neither the quote before it nor the
    talk is saved (the what-if stays as tried)."""
    li = api.as_(account_manager)
    deal = _deal(li)
    changes = _cut_and_heard(deal)
    changes[2]["expectedVersion"] -= 1
    errors = li.refused(
        SAVE,
        {"id": OPPORTUNITY, "input": {"version": deal["version"], "changes": changes}},
        "CONFLICT",
        ["input", "changes", "2", "expectedVersion"],
    )
    assert "赵立新" in errors[0]["message"], errors
    # a quote needs the deal's version as read
    li.refused(
        SAVE,
        {"id": OPPORTUNITY, "input": {"changes": changes[:1]}},
        "BAD_USER_INPUT",
        ["input", "version"],
    )
    li.refused(
        SAVE,
        {"id": OPPORTUNITY, "input": {"version": deal["version"] - 1, "changes": changes[:1]}},
        "CONFLICT",
        ["input", "version"],
    )


def test_a_viewer_may_not_save_a_what_if(api: Api) -> None:
    viewer = api.as_(add_person(api.store, "wu", "viewer"))
    deal = _deal(api)
    viewer.refused(
        SAVE,
        {"id": OPPORTUNITY, "input": {"version": deal["version"], "changes": _cut_and_heard(deal)}},
        "FORBIDDEN",
    )


def test_a_saved_what_if_is_what_was_tried_written_as_each_write_would(
    api: Api, account_manager: Person
) -> None:
    """Saved, the deal holds each change as its own write would have made it, with one audit
    entry each: the quote, the pricing discussion with the chief accountant after it (by the
    deal's account manager, in the saver's language), the executive VP's attitude, our lead
    expert's tie to the president; and the chief accountant's price acceptance is what the
    trial said it would be."""
    li = api.as_(account_manager)
    deal = _deal(li)
    changes = _cut_and_heard(deal)
    tried = li.data(TRIAL, {"id": OPPORTUNITY, "changes": changes})["opportunityWhatIf"]
    foreseen = {s["person"]["id"]: s["price"]["value"] for s in tried["afterScores"]}
    seq = _last_entry(api)
    payload = li.mutate(
        SAVE, {"id": OPPORTUNITY, "input": {"version": deal["version"], "changes": changes}}
    )
    assert payload["opportunity"]["quoteAmount"] == 4_000_000_000
    assert payload["opportunity"]["version"] == deal["version"] + 1
    written = api.store.executor.read(
        f"MATCH (a:{AUDIT_LABEL}) WHERE a.seq > $seq "
        "RETURN a.operation AS op, a.target_kind AS kind ORDER BY a.seq",
        {"seq": seq},
    )
    assert [(w["op"], w["kind"]) for w in written][:4] == [
        ("update", "Opportunity"),
        ("create", "Activity"),
        ("set_edge", "IN_DECISION_CHAIN"),
        ("set_edge", "KNOWS"),
    ], written
    after = _deal(li)
    assert _place(after, EXEC_VP)["attitude"] == "NEUTRAL"
    assert _place(after, EXEC_VP)["version"] == _place(deal, EXEC_VP)["version"] + 1
    ties = {
        (t["member"]["id"], k["person"]["id"]): k["level"]
        for t in after["decisionChain"]["team"]
        for k in t["member"]["knows"]
    }
    assert ties[LEAD_EXPERT, PRESIDENT] == "STRONG"
    talks = [a for a in after["decisionChain"]["activities"] if a["type"] == "PRICING_DISCUSSION"]
    (talk,) = [a for a in talks if "heard our price" in a["summary"]]
    assert talk["summary"].startswith("钱卫东 heard our price of"), talk
    assert "40,000,000" in talk["summary"], talk
    assert talk["persons"] == [{"id": ACCOUNTANT}]
    assert talk["doneBy"] == [{"id": ACCOUNT_MANAGER}]
    assert talk["priceReaction"] == "POSITIVE"
    price = {s["person"]["id"]: s["price"]["value"] for s in after["memberScores"]}
    assert price[ACCOUNTANT] == foreseen[ACCOUNTANT]


def test_a_person_taken_off_the_chain_meanwhile_is_a_conflict_that_saves_nothing(
    api: Api, account_manager: Person
) -> None:
    """The page read the director of nursing in the chain; a colleague took her off before the
    save: the refusal says she was taken off (not that she is unknown), and the quote tried
    before her change is not saved either."""
    li = api.as_(account_manager)
    deal = _deal(li)
    read = _place(deal, NURSING)
    api.mutate(
        """mutation($i: DecisionChainMemberInput!) { decisionChainMemberRemove(input: $i) {
          keyPerson { id } userErrors { field message code } } }""",
        {"i": {"personId": NURSING, "opportunityId": OPPORTUNITY, "role": read["role"]}},
    )
    changes = [
        {"kind": "SET_QUOTE", "amount": 3_900_000_000},
        {
            "kind": "SET_ATTITUDE",
            "personId": NURSING,
            "attitude": "CHAMPION",
            "expectedVersion": read["version"],
        },
    ]
    errors = li.refused(
        SAVE,
        {"id": OPPORTUNITY, "input": {"version": deal["version"], "changes": changes}},
        "CONFLICT",
        ["input", "changes", "1", "expectedVersion"],
    )
    assert "李秀英 is no longer in this deal's decision chain" in errors[0]["message"], errors


def test_a_change_to_someone_who_leaves_earlier_in_the_what_if_is_refused(
    api: Api, account_manager: Person
) -> None:
    li = api.as_(account_manager)
    deal = _deal(li)
    changes = [
        {"kind": "PERSON_LEAVES", "personId": EXEC_VP},
        {"kind": "SET_ATTITUDE", "personId": EXEC_VP, "attitude": "SUPPORTER"},
    ]
    errors = li.refused(
        SAVE,
        {"id": OPPORTUNITY, "input": {"version": deal["version"], "changes": changes}},
        "BAD_USER_INPUT",
        ["input", "changes", "1", "personId"],
    )
    assert errors[0]["message"] == "赵立新 leaves the chain earlier in this what-if", errors


def test_the_deals_version_guards_a_new_quote_only(api: Api, account_manager: Person) -> None:
    """A colleague's change to the deal since the page read it (its version moved) does not
    refuse a what-if without a quote: the attitude the session settled is saved."""
    li = api.as_(account_manager)
    deal = _deal(li)
    secretary = gid(NodeKind.KEY_PERSON, "demo-kp-party-secretary")
    change = {
        "kind": "SET_ATTITUDE",
        "personId": secretary,
        "attitude": "SUPPORTER",
        "expectedVersion": _place(deal, secretary)["version"],
    }
    stale = {"version": deal["version"] - 1, "changes": [change]}
    li.mutate(SAVE, {"id": OPPORTUNITY, "input": stale})
    assert _place(_deal(li), secretary)["attitude"] == "SUPPORTER"
