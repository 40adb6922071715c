"""A deal marked lost, as deployed: the demo deal's account manager marks it lost to the cheaper
cloud rival with his own login, and the API reads it as a sales director does.

Written before looking at the engine: a lost deal has no chance left, so its win likelihood is
0, whatever the chain looked like when it was lost (a lost deal read at 13 % would still count
in a weighted pipeline), and the history steps down to 0 at the loss rather than up (the
stage's costs no longer apply, so a model read at a closed stage rises). What the model read
just before the loss stays readable as of that moment: that is what a review of the loss, and
the calibration, look at.
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
  stage assessment(asOf: $asOf) { winLikelihood { value logit terms { factor text } } } } } }"""
PLAN = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  suggestedWorkPlan { actionKey } } } }"""


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
    before = _likelihood(li)["assessment"]["winLikelihood"]["value"]
    assert 0.05 < before < 0.3
    assert li.data(PLAN, {"id": OPPORTUNITY})["node"]["suggestedWorkPlan"] != []

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

    # nothing left to win: no play is suggested (there were some while it was open)
    assert li.data(PLAN, {"id": OPPORTUNITY})["node"]["suggestedWorkPlan"] == []

    lost_at = datetime.fromisoformat(lost["transition"]["at"])
    then = _likelihood(li, as_of=(lost_at - timedelta(milliseconds=1)).isoformat())
    assert then["assessment"]["winLikelihood"]["value"] == pytest.approx(before)
