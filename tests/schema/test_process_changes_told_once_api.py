"""What changed, the stage history and the audit trail name who did each step then, as
deployed (authentication on, each step by its own login, ``process_walk``'s team): the delivery
manager reviews the quote, the account manager submits it, changes its amount and moves the
deal one stage; then the account manager's login is linked to someone else. The steps, the
stage history and the audit trail still name who did them then, not whom the login acts as
now; an entry written before entries kept the member names whom the login acts as now."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, open_api
from process_walk import QUOTE, REVIEW, SUBMIT, TEAM, Walk, set_up

from domain.model import NodeKind
from graph.executor import Executor
from graph.scope import Actor
from resolvers import security

NEW_QUOTE = 210_000_000  # CNY 2.1m in fen
ZH = {"Accept-Language": "zh-CN"}
SINCE = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  changes(from: "2000-01-01T00:00:00Z") { changes { kind text at before after } } } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  stageHistory { toStage actorId actorName member { name } } } } }"""
AUDIT = """query($id: ID!) { auditLog(targetId: $id, first: 100) {
  nodes { operation actorId actorName } } }"""
LOGINS = re.compile("|".join(re.escape(login) for _, _, login, _ in TEAM.values()))


@pytest.fixture(scope="module")
def deal(api_executor: Executor) -> Iterator[Walk]:
    with open_api(api_executor) as api:
        deal = set_up(api)
        am = "tm-am"
        deal.update(am, amount=200_000_000, expectedCloseDate="2026-12-31", quoteAmount=QUOTE)
        deal.chain(am, "kp-president", "DECISION_MAKER")
        deal.by("tm-dm").mutate(
            REVIEW, {"id": deal.id, "i": {"feasible": True, "workloadPersonDays": 120}}
        )
        deal.by(am).mutate(SUBMIT, {"id": deal.id})
        deal.update(am, quoteAmount=NEW_QUOTE)
        deal.approval("1-1")
        deal.approval("1-2")
        deal.advance(am, "INITIATE")
        # the account manager's login now acts as someone else (dealgraph user set --member)
        api.mutate(
            """mutation($i: TeamMemberCreateInput!) { teamMemberCreate(input: $i) {
              teamMember { id } userErrors { field message code } } }""",
            {"i": {"name": "Wang Bo", "role": "ACCOUNT_MANAGER", "key": "tm-new"}},
        )
        security.change_user(api.store, "li.ming", member=("tm-new",))
        yield deal


def _changes(api: Api, deal: Walk, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    body = api.body(SINCE, {"id": deal.id}, headers=headers)
    assert "errors" not in body, body
    changes: list[dict[str, Any]] = body["data"]["node"]["changes"]["changes"]
    return changes


def test_steps_name_who_did_them_then_not_whom_the_login_acts_as_now(deal: Walk) -> None:
    changes = _changes(deal.by("tm-director"), deal)
    texts = [c["text"] for c in changes]
    assert [t for t in texts if "Wang Bo" in t] == []
    assert "Li Ming requested TAS+1-1 Create opportunity" in texts
    for change in changes:
        assert not LOGINS.search(change["text"]), change
        assert not re.search(r"tm-|o-walk|[0-9a-f]{8}-", change["text"]), change
    moves = deal.api.data(HISTORY, {"id": deal.id})["node"]["stageHistory"]
    assert [(m["actorId"], m["actorName"], m["member"]["name"]) for m in moves] == [
        ("li.ming", "Li Ming", "Li Ming")
    ]
    entries = deal.by("tm-director").data(AUDIT, {"id": deal.id})["auditLog"]["nodes"]
    by_login = {(e["actorId"], e["actorName"]) for e in entries}
    assert ("li.ming", "Li Ming") in by_login
    assert ("li.ming", "Wang Bo") not in by_login
    assert ("du.qiang", "Du Qiang") in by_login


def test_an_entry_that_keeps_no_member_names_whom_the_login_acts_as_now(deal: Walk) -> None:
    """An entry written before entries kept the member (its actor without one): the login's
    member now is the best there is."""
    deal.api.store.update(
        NodeKind.OPPORTUNITY,
        "o-walk",
        {"description": "written as before"},
        actor=Actor("li.ming", "li.ming"),
    )
    entries = deal.by("tm-director").data(AUDIT, {"id": deal.id})["auditLog"]["nodes"]
    assert (entries[0]["actorId"], entries[0]["actorName"]) == ("li.ming", "Wang Bo")
