"""A deal marked lost, as deployed: the demo deal's account manager marks it lost to the cheaper
cloud rival with his own login, and the API reads it as a sales director does.

Written before looking at the engine: a lost deal has no chance left, so its win likelihood is
0, whatever the chain looked like when it was lost (a lost deal read at 13 % would still count
in a weighted pipeline), and the history steps down to 0 at the loss rather than up (the
stage's costs no longer apply, so a model read at a closed stage rises). What the model read
just before the loss stays readable as of that moment: that is what a review of the loss, and
the calibration, look at. The four questions are what lost it: they read as they stood the day
before, not higher because a closed stage weighs no risk.

Nothing about it reads as live any more: the play he had planned is cancelled with the loss
(it leaves *My work*), no red flag warns of a deal that is over, and no quote goes out on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api, gid
from demo_deal import HISTORY, MOVE, OPPORTUNITY, demo_api
from people import add_person

from domain.model import NodeKind
from graph.executor import Executor

RIVAL = gid(NodeKind.COMPETITOR, "demo-comp-cloud")

LIKELIHOOD = """query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Opportunity {
  stage assessment(asOf: $asOf) { winLikelihood { value logit terms { factor text } }
    isReal { value } canCompete { value } canWin { value } worthIt { value } } } } }"""
QUESTIONS = ("isReal", "canCompete", "canWin", "worthIt")
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan { actionKey target { id } } analysis { redFlags { code } } } } }"""
ACCEPT = """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
  workPlanItem { id status } userErrors { field message code } } }"""
ITEMS = """query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 50) {
  nodes { id status } } }"""
WHAT_IF = """query($id: ID!, $p: ID!) { opportunityWhatIf(id: $id, changes: [
  { kind: SET_ATTITUDE, personId: $p, attitude: CHAMPION }]) { deltaWinLikelihood } }"""
ACCOUNTANT = gid(NodeKind.KEY_PERSON, "demo-kp-chief-accountant")
SUBMIT = """mutation($id: ID!) { opportunityQuoteSubmit(id: $id) {
  userErrors { field message code } problems { code } } }"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with demo_api(api_executor) as client:
        yield client


def _likelihood(api: Api, as_of: str | None = None, language: str = "en") -> dict[str, Any]:
    body = api.body(
        LIKELIHOOD, {"id": OPPORTUNITY, "asOf": as_of}, headers={"Accept-Language": language}
    )
    assert "errors" not in body, body
    node: dict[str, Any] = body["data"]["node"]
    return node


def test_a_deal_marked_lost_reads_0_and_its_history_steps_down_to_it(api: Api) -> None:
    li = api.as_(add_person(api.store, "li", "account_manager", "demo-tm-account"))
    open_deal = _likelihood(li)["assessment"]
    before = open_deal["winLikelihood"]["value"]
    assert 0.05 < before < 0.3
    open_plan = li.data(PLAN, {"id": OPPORTUNITY})["node"]
    assert open_plan["analysis"]["redFlags"] != []
    play = open_plan["suggestedWorkPlan"][0]
    accepted = li.mutate(
        ACCEPT,
        {
            "i": {
                "opportunityId": OPPORTUNITY,
                "actionKey": play["actionKey"],
                "targetPersonId": (play["target"] or {}).get("id"),
            }
        },
    )
    assert accepted["userErrors"] == [], accepted
    item = accepted["workPlanItem"]
    assert item["status"] == "OPEN"
    mine = {"f": {"opportunityId": OPPORTUNITY, "statuses": ["OPEN"]}}
    assert item["id"] in {n["id"] for n in li.data(ITEMS, mine)["workPlanItems"]["nodes"]}

    lost = li.mutate(
        MOVE,
        {
            "id": OPPORTUNITY,
            "i": {
                "toStage": "LOST",
                "reason": "The hospital chose the cheaper cloud bid",
                "lostToCompetitorId": RIVAL,
            },
        },
    )
    assert lost["userErrors"] == [], lost
    assert lost["opportunity"]["stage"] == "LOST"

    now = _likelihood(li)
    likelihood = now["assessment"]["winLikelihood"]
    assert {q: now["assessment"][q] for q in QUESTIONS} == {q: open_deal[q] for q in QUESTIONS}
    assert likelihood["value"] == 0.0
    (term,) = likelihood["terms"]
    assert term["factor"] == "outcome"
    assert term["text"] == "Lost: the deal is decided, so its likelihood is its outcome"
    (zh,) = _likelihood(li, language="zh-CN")["assessment"]["winLikelihood"]["terms"]
    assert zh["text"] == "丢单：商机已有结果，赢单概率即其结果"

    points = li.data(HISTORY, {"id": OPPORTUNITY})["node"]["likelihoodHistory"]
    last, earlier = points[-1], points[-2]
    assert (last["stage"], last["stageTransition"]) == ("LOST", True)
    assert last["winLikelihood"] == 0.0
    assert last["delta"] == pytest.approx(-earlier["winLikelihood"])
    assert all(p["winLikelihood"] > 0 for p in points[:-1])

    # nothing left to win: no play is suggested (there were some while it was open), the one
    # planned is cancelled with the loss, and no flag warns of a deal that is over
    closed = li.data(PLAN, {"id": OPPORTUNITY})["node"]
    assert closed["suggestedWorkPlan"] == []
    assert closed["analysis"]["redFlags"] == []
    assert li.data(ITEMS, mine)["workPlanItems"]["nodes"] == []
    everything = {"f": {"opportunityId": OPPORTUNITY}}
    statuses = {n["id"]: n["status"] for n in li.data(ITEMS, everything)["workPlanItems"]["nodes"]}
    assert statuses[item["id"]] == "CANCELLED"

    # a what-if would answer "no change", which reads as an answer: it is refused, saying why
    error = li.top_error(WHAT_IF, {"id": OPPORTUNITY, "p": ACCOUNTANT}, "BAD_USER_INPUT")
    assert error["message"].startswith("id: the deal is lost: a what-if changes nothing"), error
    zh = li.body(
        WHAT_IF, {"id": OPPORTUNITY, "p": ACCOUNTANT}, headers={"Accept-Language": "zh-CN"}
    )
    assert "商机已丢单：已有结果的商机无法做假设分析" in zh["errors"][0]["message"]

    # and no quote goes out on it, said in the person's language
    for language, text in (
        ("en", "The deal is lost: no quote is submitted on a deal that is decided"),
        ("zh-CN", "商机已丢单：已有结果的商机不再提交报价"),
    ):
        body = li.body(SUBMIT, {"id": OPPORTUNITY}, headers={"Accept-Language": language})
        refused = body["data"]["opportunityQuoteSubmit"]
        assert [p["code"] for p in refused["problems"]] == ["STAGE_CLOSED"], refused
        assert [(e["message"], e["code"]) for e in refused["userErrors"]] == [(text, "CONFLICT")]

    lost_at = datetime.fromisoformat(lost["transition"]["at"])
    then = _likelihood(li, as_of=(lost_at - timedelta(milliseconds=1)).isoformat())
    assert then["assessment"]["winLikelihood"]["value"] == pytest.approx(before)
