"""What changed tells the TAS+ process of a deal walked to WON as deployed (every step by its
own login, ``process_walk``): who requested and who decided each approval (a rejection with
its reason), the delivery review (who, verdict, workload), the quote submitted (who, amount)
and every stage move (who), in time order, in English and Chinese, people named by their
names, never by their logins or ids. The audit trail of the deal holds its approvals, and the
stage history and the audit trail name people by their names too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import ZH, Api, open_api
from process_walk import APPROVALS, REJECTION, TEAM, Walk, walk_to_won

from graph.executor import Executor

BETWEEN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  changesBetweenStages(from: VALIDATE, to: WON) { changes { kind text at before after } } } } }"""
SINCE = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  changes(from: "2000-01-01T00:00:00Z") { changes { kind text at } } } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  stageHistory { toStage actorId actorName } } } }"""
AUDIT = """query($id: ID!, $after: String) { auditLog(targetId: $id, first: 100, after: $after) {
  nodes { operation targetKind actorId actorName } pageInfo { hasNextPage endCursor } } }"""
PROCESS = {
    "STAGE_MOVED",
    "APPROVAL_REQUESTED",
    "APPROVAL_DECIDED",
    "DELIVERY_REVIEWED",
    "QUOTE_SUBMITTED",
}
LOGINS = re.compile("|".join(re.escape(login) for _, _, login, _ in TEAM.values()))


@pytest.fixture(scope="module")
def deal(api_executor: Executor) -> Iterator[Walk]:
    with open_api(api_executor) as api:
        yield walk_to_won(api)


def _steps(api: Api, deal: Walk, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    body = api.body(BETWEEN, {"id": deal.id}, headers=headers)
    assert "errors" not in body, body
    changes: list[dict[str, Any]] = body["data"]["node"]["changesBetweenStages"]["changes"]
    return changes


def test_what_changed_tells_every_step_of_the_process_with_names(deal: Walk) -> None:
    director = deal.by("tm-director")
    changes = _steps(director, deal)
    steps = [c for c in changes if c["kind"] in PROCESS]
    texts = [c["text"] for c in steps]
    assert changes[0]["kind"] == "STAGE_CHANGED"
    assert changes[0]["at"] is None
    # in time order, right after the stage's change
    assert changes[1 : len(steps) + 1] == steps
    assert [c["at"] for c in steps] == sorted(c["at"] for c in steps)
    assert sum(c["kind"] == "APPROVAL_REQUESTED" for c in steps) == len(APPROVALS) + 1
    assert sum(c["kind"] == "APPROVAL_DECIDED" for c in steps) == len(APPROVALS) + 1
    assert texts[:4] == [
        "Li Ming requested TAS+1-1 Create opportunity",
        "Zhou Jie approved TAS+1-1 Create opportunity (requested by Li Ming)",
        "Li Ming requested TAS+1-2 Customer information assessment",
        "Zhou Jie approved TAS+1-2 Customer information assessment (requested by Li Ming)",
    ]
    moved = "Li Ming moved the deal from 1 Validate opportunity to 2 Initiate opportunity"
    rejected = (
        "Zhou Jie rejected TAS+2-1 Opportunity initiation (requested by Li Ming): " + REJECTION
    )
    approved = "Zhou Jie approved TAS+2-1 Opportunity initiation (requested by Li Ming)"
    assert texts[4:9] == [
        moved,
        "Li Ming requested TAS+2-1 Opportunity initiation",
        rejected,
        "Li Ming requested TAS+2-1 Opportunity initiation",
        approved,
    ]
    review = (
        "Du Qiang recorded the delivery review: feasible, 120 person-days,"
        " for a quote of CNY 1,900,000"
    )
    quote = "Li Ming submitted the quote: CNY 1,900,000"
    bidding = "Li Ming moved the deal from 5 Proposal and quotation to 6 Bidding"
    at = texts.index(review)
    assert texts[at : at + 3] == [review, quote, bidding]
    assert "Du Qiang approved TAS+6-1 Technical proposal review (requested by Li Ming)" in texts
    assert texts[-1] == "Li Ming moved the deal from 7 Negotiation and signing to Won"
    # the steps tell the quote's submission and its review: the summary leaves them out
    (summary,) = [c["text"] for c in changes if c["kind"] == "DEAL_CHANGED"]
    assert summary.startswith(
        "Deal: amount set to CNY 2,000,000, budget set to CNY 2,200,000, quote amount set to "
        "CNY 1,900,000; expected close date,"
    ), summary
    assert "quote status" not in summary, summary
    assert "delivery review" not in summary, summary
    decided = next(c for c in steps if c["text"] == rejected)
    assert (decided["before"], decided["after"]) == ("PENDING", "REJECTED")
    submitted = next(c for c in steps if c["kind"] == "QUOTE_SUBMITTED")
    assert submitted["after"] == "190000000"
    for change in changes:
        assert not LOGINS.search(change["text"]), change
        assert not re.search(r"tm-|o-walk|[0-9a-f]{8}-", change["text"]), change


def test_what_changed_tells_the_process_in_chinese(deal: Walk) -> None:
    texts = [c["text"] for c in _steps(deal.by("tm-am"), deal, ZH) if c["kind"] in PROCESS]
    assert texts[0] == "Li Ming申请TAS+1-1 创建商机流程"
    assert texts[1] == "Zhou Jie批准了TAS+1-1 创建商机流程（Li Ming申请）"
    assert texts[4] == "Li Ming将商机从1 验证商机移至2 商机立项"
    assert texts[6] == f"Zhou Jie驳回了TAS+2-1 商机立项流程（Li Ming申请），原因：{REJECTION}"
    assert "Du Qiang记录了交付评审：可落地，工作量120人天，评审报价190万元" in texts
    assert "Li Ming提交了报价：190万元" in texts
    assert not any(LOGINS.search(t) for t in texts), texts
    zh = _steps(deal.by("tm-am"), deal, ZH)
    (summary,) = [c["text"] for c in zh if c["kind"] == "DEAL_CHANGED"]
    assert "报价状态" not in summary, summary
    assert "交付评审" not in summary, summary


def test_changes_since_a_date_tell_the_process_too(deal: Walk) -> None:
    found = deal.api.data(SINCE, {"id": deal.id})["node"]["changes"]["changes"]
    kinds = [c["kind"] for c in found if c["kind"] in PROCESS]
    assert kinds.count("STAGE_MOVED") == 7
    assert kinds.count("QUOTE_SUBMITTED") == 1
    assert kinds.count("DELIVERY_REVIEWED") == 1


def test_the_stage_history_and_the_audit_trail_name_people_by_their_names(deal: Walk) -> None:
    moves = deal.api.data(HISTORY, {"id": deal.id})["node"]["stageHistory"]
    assert {(m["actorId"], m["actorName"]) for m in moves} == {("li.ming", "Li Ming")}
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        page = deal.by("tm-director").data(AUDIT, {"id": deal.id, "after": after})["auditLog"]
        entries += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    approvals = [e for e in entries if e["targetKind"] == "Approval"]
    assert {e["operation"] for e in approvals} == {"approval_request", "approval_decide"}
    assert len(approvals) == 2 * (len(APPROVALS) + 1)
    named = {(e["actorId"], e["actorName"]) for e in entries}
    assert ("li.ming", "Li Ming") in named
    assert ("zhou.jie", "Zhou Jie") in named
    assert ("du.qiang", "Du Qiang") in named
    # the administrator, who acts as nobody, keeps the login's name
    assert ("admin", "admin") in named
