"""A deal moved back a stage, as deployed: the demo deal's account manager moves it back with
his own login, and the judgement reads the step back as the bad news it is.

Written as a sales director reads it before looking at the engine: the customer changed the
scope, so the deal goes back from value presentation to requirements analysis. Its win
likelihood does not go up (else moving deals back pads the weighted pipeline): the price
objection finance voiced still counts, and the reasons say why. Nor does it go down here: the
demo deal never earned its stage (nobody of ours has met the president who decides), so it
stood where a deal at requirements analysis stands already. (A deal that had earned it loses
it: tests/strategy/test_assessment.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api
from demo_deal import HISTORY, MOVE, OPPORTUNITY, demo_api
from people import Person, add_person

from graph.executor import Executor

JUDGEMENT = """query($id: ID!, $asOf: DateTime) { node(id: $id) { ... on Opportunity {
  stage assessment(asOf: $asOf) { canWin { value reasons { factor points text } }
    winLikelihood { value } } } } }"""


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with demo_api(api_executor) as client:
        yield client


@pytest.fixture(scope="module")
def li(api: Api) -> Person:
    """``dealgraph user add li --role account_manager --member demo-tm-account``."""
    return add_person(api.store, "li", "account_manager", "demo-tm-account")


def _judgement(api: Api, as_of: str | None = None, language: str = "en") -> dict[str, Any]:
    body = api.body(
        JUDGEMENT, {"id": OPPORTUNITY, "asOf": as_of}, headers={"Accept-Language": language}
    )
    assert "errors" not in body, body
    node: dict[str, Any] = body["data"]["node"]
    return node


def test_moving_the_deal_back_lowers_its_likelihood_and_keeps_the_risks_it_showed(
    api: Api, li: Person
) -> None:
    mine = api.as_(li)
    before = _judgement(mine)
    assert before["stage"] == "VALUE_PRESENTATION"
    risks = {r["factor"]: r["points"] for r in before["assessment"]["canWin"]["reasons"]}
    assert risks["budget_holder_price"] < 0  # finance objected to our price

    moved = mine.mutate(
        MOVE, {"id": OPPORTUNITY, "i": {"toStage": "REQUIREMENTS", "reason": "Scope changed"}}
    )
    assert moved["opportunity"]["stage"] == "REQUIREMENTS"

    after = _judgement(mine)
    assert after["stage"] == "REQUIREMENTS"
    likelihood = after["assessment"]["winLikelihood"]["value"]
    assert likelihood == pytest.approx(before["assessment"]["winLikelihood"]["value"])
    reasons = {r["factor"]: r for r in after["assessment"]["canWin"]["reasons"]}
    assert reasons["budget_holder_price"]["points"] == risks["budget_holder_price"]
    assert reasons["moved_back"]["text"].startswith(
        "Moved back from 4 Value presentation to 3 Requirements analysis"
    )
    zh = {
        r["factor"]: r
        for r in _judgement(mine, language="zh-CN")["assessment"]["canWin"]["reasons"]
    }
    assert zh["moved_back"]["text"].startswith("已从4 价值呈现退回3 需求分析")

    # The history replays it: the step back is no step up (what it moves is time since the
    # point before), and the deal as it stood before the move reads as it did then.
    points = api.data(HISTORY, {"id": OPPORTUNITY})["node"]["likelihoodHistory"]
    step = points[-1]
    assert (step["stage"], step["stageTransition"]) == ("REQUIREMENTS", True)
    assert step["delta"] <= 0
    assert step["winLikelihood"] == pytest.approx(likelihood)
    moved_at = datetime.fromisoformat(moved["transition"]["at"])
    then = _judgement(mine, as_of=(moved_at - timedelta(milliseconds=1)).isoformat())
    assert then["assessment"]["winLikelihood"]["value"] == pytest.approx(
        before["assessment"]["winLikelihood"]["value"]
    )
