"""What changed tells each thing once, by who did it then, as deployed (authentication on, each
step by its own login, ``process_walk``'s team): the delivery manager reviews the quote, the
account manager submits it, then changes its amount (the quote goes back to draft and the review
no longer covers it: a step of its own, with the amounts), and moves the deal one stage.

The steps tell the quote's status, the review and the quote amount, and the move tells the
stage: the diff's summary keeps only what no step tells (the deal's amount and close date),
and the single move is said once, with who made it. Once the account manager's login is linked
to someone else, the steps, the stage history and the audit trail still name who did them
then."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ZH, Api, open_api
from process_walk import QUOTE, REVIEW, SUBMIT, TEAM, Walk, set_up

from domain.model import NodeKind
from graph.executor import Executor
from graph.scope import Actor
from resolvers import security

NEW_QUOTE = 210_000_000  # CNY 2.1m in fen
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


def test_the_quote_reset_is_a_step_with_who_and_the_amounts(deal: Walk) -> None:
    changes = _changes(deal.by("tm-director"), deal)
    texts = [c["text"] for c in changes]
    reset = (
        "Li Ming changed the quote amount from CNY 1,900,000 to CNY 2,100,000:"
        " the quote went back to draft and the delivery review no longer covers it"
    )
    at = texts.index("Li Ming submitted the quote: CNY 1,900,000")
    assert texts[at + 1] == reset
    step = changes[at + 1]
    assert step["kind"] == "QUOTE_RESET"
    assert (step["before"], step["after"]) == (str(QUOTE), str(NEW_QUOTE))
    assert step["at"] is not None
    zh = [c["text"] for c in _changes(deal.by("tm-director"), deal, ZH)]
    assert "Li Ming将报价金额从190万元改为210万元：报价退回草稿，原交付评审已作废" in zh


def test_the_summary_keeps_only_what_no_step_tells(deal: Walk) -> None:
    changes = _changes(deal.by("tm-director"), deal)
    summary = [c["text"] for c in changes if c["kind"] == "DEAL_CHANGED"]
    assert summary == ["Deal: amount set to CNY 2,000,000; expected close date changed"]
    zh = [c["text"] for c in _changes(deal.by("tm-director"), deal, ZH)]
    assert "商机：金额设为200万元；预计签约日期有变化" in zh
    assert not any("报价" in t and "有变化" in t for t in zh), zh


def test_a_single_stage_move_is_said_once_with_who_moved_it(deal: Walk) -> None:
    changes = _changes(deal.by("tm-director"), deal)
    stage = [c for c in changes if c["kind"] in {"STAGE_CHANGED", "STAGE_MOVED"}]
    assert [(c["kind"], c["text"]) for c in stage] == [
        (
            "STAGE_MOVED",
            "Li Ming moved the deal from 1 Validate opportunity to 2 Initiate opportunity",
        )
    ]


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


TREND = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  likelihoodHistory { at stageTransition changes { kind text } }
  changes(from: "2000-01-01T00:00:00Z") { movers { changes { kind text } } } } } }"""


def test_the_trend_and_what_moved_the_likelihood_tell_a_step_as_the_step(deal: Walk) -> None:
    """The likelihood's points and "what moved it most" say a quote reset and a stage move as
    their steps (who, from what to what), not as "Deal: quote amount, quote status changed"."""
    for headers, reset, moved in (
        (
            None,
            "Li Ming changed the quote amount from CNY 1,900,000 to CNY 2,100,000:"
            " the quote went back to draft and the delivery review no longer covers it",
            "Li Ming moved the deal from 1 Validate opportunity to 2 Initiate opportunity",
        ),
        (
            ZH,
            "Li Ming将报价金额从190万元改为210万元：报价退回草稿，原交付评审已作废",
            "Li Ming将商机从1 验证商机移至2 商机立项",
        ),
    ):
        body = deal.by("tm-director").body(TREND, {"id": deal.id}, headers=headers)
        assert "errors" not in body, body
        node = body["data"]["node"]
        points = node["likelihoodHistory"]
        said = [[c["text"] for c in p["changes"]] for p in points]
        assert [s for s in said if reset in s] == [[reset]], said
        move = [p for p in points if p["stageTransition"]]
        assert [[c["text"] for c in p["changes"]] for p in move] == [[moved]], said
        movers = [[c["text"] for c in m["changes"]] for m in node["changes"]["movers"]]
        assert [m for m in movers if reset in m] == [[reset]], movers
        assert [m for m in movers if moved in m] == [[moved]], movers
