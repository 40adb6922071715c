"""Learning from outcomes over GraphQL, on both back ends: a stage change keeps what the model
saw; calibration keeps the hand-set weights below the minimum and says so, fits on the closed
deals above it, puts the fit in force for every assessment, and rolls back; a reopened deal
leaves the training set; a recorded play's effect is observed after its window and shown with
the suggestions that use it. Stages move and results are recorded by the account manager's own
login; calibration is an administrator's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import Api, gid, open_api, raw
from people import Person, add_person

from dealgraph.demo import DEMO_CUSTOMER_ID, DEMO_OPPORTUNITY_ID, load_demo
from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from strategy.scoring import DAY_MS

DEMO = gid(NodeKind.OPPORTUNITY, DEMO_OPPORTUNITY_ID)
PRESIDENT = gid(NodeKind.KEY_PERSON, "demo-kp-president")
ACCOUNT = "demo-tm-account"
ERR = "userErrors { field message code }"

ASSESSMENT = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  stage assessment { isReal { value reasons { factor points } } canCompete { value }
    canWin { value } worthIt { value }
    winLikelihood { value terms { factor score } } } } } }"""
ADVANCE = f"""mutation($id: ID!, $i: OpportunityAdvanceInput!) {{
  opportunityAdvance(id: $id, input: $i) {{ opportunity {{ stage }} {ERR} }} }}"""
MODEL_FIELDS = """id source fittedAt deals won brier logLoss priorBrier priorLogLoss note
  canRollBack reliability { band predicted observed count }
  weights { intercept isReal canCompete canWin worthIt stagePriors { stage logit } }
  playEffects { actionKey role observations closeness attitude text }"""
WIN_MODEL = f"{{ winModel {{ {MODEL_FIELDS} }} }}"
CALIBRATE = f"mutation {{ winModelCalibrate {{ winModel {{ {MODEL_FIELDS} }} {ERR} }} }}"
ROLL_BACK = f"""mutation($id: String!) {{ winModelRollBack(id: $id) {{
  winModel {{ {MODEL_FIELDS} }} {ERR} }} }}"""


@dataclass(frozen=True)
class World:
    api: Api
    am: Person


@pytest.fixture
def world(api_executor: Executor) -> Iterator[World]:
    """The demo deal, with the account manager's own login."""
    with open_api(api_executor) as api:
        load_demo(api.store)
        am = add_person(api.store, "li", "account_manager", ACCOUNT)
        yield World(api, am)


def assessment(api: Api, opportunity: str) -> dict[str, Any]:
    node: dict[str, Any] = api.data(ASSESSMENT, {"id": opportunity})["node"]
    return node


def advance(w: World, opportunity: str, to_stage: str, reason: str | None = None) -> None:
    w.api.as_(w.am).mutate(
        ADVANCE, {"id": opportunity, "i": {"toStage": to_stage, "reason": reason}}
    )


def new_deal(w: World, index: int, **facts: Any) -> str:
    """Another deal of the demo customer, run by our account manager."""
    node_id = f"closed-{index}"
    w.api.store.create_opportunity(
        DEMO_CUSTOMER_ID,
        {"name": f"Clinic system {index}", "amount": 800_000, **facts},
        node_id=node_id,
    )
    w.api.store.set_edge(
        EdgeKind.ON_TEAM,
        (NodeKind.TEAM_MEMBER, ACCOUNT),
        (NodeKind.OPPORTUNITY, node_id),
        {"role": "ACCOUNT_MANAGER"},
    )
    return gid(NodeKind.OPPORTUNITY, node_id)


def transitions(api: Api) -> list[dict[str, Any]]:
    rows = api.store.executor.read("MATCH (t:StageTransition) RETURN properties(t) AS t", {})
    return [row["t"] for row in rows]


def test_a_stage_change_keeps_what_the_model_saw(world: World) -> None:
    before = assessment(world.api, DEMO)
    advance(world, DEMO, "ABANDONED", "the hospital froze the budget")
    (moved,) = transitions(world.api)
    seen = before["assessment"]
    assert moved["from_stage"] == before["stage"]
    # the scores the likelihood read: a sum below the cut-off at 0 as it is (the demo's "can we
    # win", under the chief accountant's standing objection, reads 0 and sums below it)
    read = {t["factor"]: t["score"] for t in seen["winLikelihood"]["terms"]}
    # but not what it leaves to another question: the demo's president, whom only our CIO
    # champion knows, is not verified for "is it real" (95), which the likelihood reads as 100
    # ("can we win" counts the missing contact)
    (unverified,) = (r for r in seen["isReal"]["reasons"] if r["factor"].endswith("unverified"))
    assert unverified["points"] == -5
    for gate, question, factor, left in (
        ("gate_is_real", "isReal", "is_real", unverified["points"]),
        ("gate_can_compete", "canCompete", "can_compete", 0),
        ("gate_can_win", "canWin", "can_win", 0),
        ("gate_worth_it", "worthIt", "worth_it", 0),
    ):
        assert moved[gate] == read[factor]
        assert seen[question]["value"] == max(0, read[factor] + left)
    assert moved["gate_win_likelihood"] == pytest.approx(seen["winLikelihood"]["value"], abs=1e-3)


def test_too_few_closed_deals_keep_the_hand_set_weights_and_say_so(world: World) -> None:
    empty = world.api.data(WIN_MODEL)["winModel"]
    assert (empty["source"], empty["id"], empty["deals"]) == ("PRIOR", None, 0)
    assert empty["note"] == "Not calibrated yet: the hand-set weights are in force"
    assert empty["weights"]["canWin"] == 1.3
    advance(world, DEMO, "ABANDONED", "the hospital froze the budget")
    likelihood = assessment(world.api, new_deal(world, 99))["assessment"]["winLikelihood"]

    model = world.api.mutate(CALIBRATE)["winModel"]
    assert (model["source"], model["deals"], model["won"]) == ("PRIOR", 1, 0)
    assert model["note"].startswith("1 closed deals, fewer than the 30 needed")
    assert model["brier"] is None
    assert model["reliability"] == []
    zh = world.api.body(WIN_MODEL, headers={"Accept-Language": "zh-CN"})["data"]["winModel"]
    assert zh["note"].startswith("已结束商机1个，少于所需的30个")
    # nothing changed for the deals
    again = assessment(world.api, gid(NodeKind.OPPORTUNITY, "closed-99"))["assessment"]
    assert again["winLikelihood"] == likelihood


def test_only_an_administrator_calibrates_or_rolls_back(world: World) -> None:
    li = world.api.as_(world.am)
    errors = li.refused(CALIBRATE, {}, "FORBIDDEN", [])
    assert "administrator" in errors[0]["message"]
    li.refused(ROLL_BACK, {"id": "any"}, "FORBIDDEN", [])
    zh = li.body(CALIBRATE, headers={"Accept-Language": "zh-CN"})["data"]["winModelCalibrate"]
    assert zh["userErrors"][0]["message"] == "只有管理员可以校准或回滚胜率模型"


def test_a_fit_on_closed_deals_is_in_force_until_rolled_back(world: World) -> None:
    """Thirty-one deals that looked like the usual pipeline were all lost or abandoned: the
    fitted model expects less than the hand-set one, every assessment uses it, and rolling it
    back restores the hand-set likelihoods exactly."""
    deals = []
    for index in range(30):
        facts: dict[str, Any] = {"budget": 900_000} if index % 2 else {}
        if index % 3 == 0:
            facts["compelling_event"] = "ageing system"
        deals.append(new_deal(world, index, **facts))
    for index, deal in enumerate(deals):
        advance(world, deal, "LOST" if index % 2 else "ABANDONED", "went elsewhere")
    advance(world, DEMO, "ABANDONED", "the hospital froze the budget")
    open_deal = new_deal(world, 100, budget=900_000)
    hand_set = assessment(world.api, open_deal)["assessment"]["winLikelihood"]["value"]

    fitted = world.api.mutate(CALIBRATE)["winModel"]
    assert (fitted["source"], fitted["deals"], fitted["won"]) == ("FITTED", 31, 0)
    assert fitted["brier"] < fitted["priorBrier"]
    assert fitted["logLoss"] < fitted["priorLogLoss"]
    assert fitted["weights"]["intercept"] < -0.1
    assert min(fitted["weights"][q] for q in ("isReal", "canCompete", "canWin", "worthIt")) >= 0
    assert sum(b["count"] for b in fitted["reliability"]) == 31
    assert fitted["note"].startswith("Fitted on 31 closed deals (0 won)")
    assert fitted["canRollBack"] is True
    assert world.api.data(WIN_MODEL)["winModel"]["id"] == fitted["id"]
    in_force = assessment(world.api, open_deal)["assessment"]["winLikelihood"]["value"]
    assert in_force < hand_set

    rolled = world.api.mutate(ROLL_BACK, {"id": fitted["id"]})["winModel"]
    assert (rolled["source"], rolled["id"]) == ("PRIOR", None)
    assert assessment(world.api, open_deal)["assessment"]["winLikelihood"]["value"] == hand_set
    # rolling back a model no longer in force is a conflict, and writes nothing
    world.api.refused(ROLL_BACK, {"id": fitted["id"]}, "CONFLICT", ["id"])


def test_a_reopened_deal_leaves_the_training_set(world: World) -> None:
    deals = [new_deal(world, index) for index in range(3)]
    for deal in deals:
        advance(world, deal, "ABANDONED", "no budget this year")
    assert world.api.mutate(CALIBRATE)["winModel"]["deals"] == 3
    advance(world, deals[0], "VALIDATE", "budget found after all")
    second = world.api.mutate(CALIBRATE)["winModel"]
    assert second["deals"] == 2
    assert second["canRollBack"] is True
    # the second run replaced the first: rolling it back puts the first in force again
    first = world.api.mutate(ROLL_BACK, {"id": second["id"]})["winModel"]
    assert first["deals"] == 3


def test_a_recorded_play_is_observed_after_its_window_and_shown_with_the_suggestions(
    world: World,
) -> None:
    li = world.api.as_(world.am)
    accept = f"""mutation($i: SuggestionAcceptInput!) {{ workPlanSuggestionAccept(input: $i) {{
      workPlanItem {{ id version }} {ERR} }} }}"""
    item = li.mutate(
        accept,
        {"i": {"opportunityId": DEMO, "actionKey": "executive_visit", "targetPersonId": PRESIDENT}},
    )["workPlanItem"]
    record = f"""mutation($id: ID!, $i: WorkPlanResultInput!) {{
      workPlanItemResultRecord(id: $id, input: $i) {{ workPlanItem {{ status }} {ERR} }} }}"""
    li.mutate(
        record,
        {
            "id": item["id"],
            "i": {
                "version": item["version"],
                "type": "EXECUTIVE_VISIT",
                "outcome": "POSITIVE",
                "summary": "The president heard us out",
            },
        },
    )
    stored = world.api.store.get(NodeKind.WORK_PLAN_ITEM, raw(item["id"]))
    assert stored["effect_role"] == "DECISION_MAKER"
    assert stored["effect_before_closeness"] >= 0
    # Within the window nothing is observed yet.
    assert world.api.mutate(CALIBRATE)["winModel"]["playEffects"] == []
    # A month later the president's closeness is measured again.
    real_clock = world.api.store.clock
    world.api.store.clock = lambda: real_clock() + 31 * DAY_MS
    try:
        model = world.api.mutate(CALIBRATE)["winModel"]
        plan = world.api.data(
            """query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 20) {
              actionKey target { id } assumedEffect assumedCloseness effectObservations } } } }""",
            {"id": DEMO},
        )["node"]["suggestedWorkPlan"]
    finally:
        world.api.store.clock = real_clock
    (effect,) = model["playEffects"]
    assert (effect["actionKey"], effect["role"], effect["observations"]) == (
        "executive_visit",
        "DECISION_MAKER",
        1,
    )
    assert effect["text"].startswith("Executive visit to a decision maker: ")
    assert effect["text"].endswith("from 1 result")
    # the visit to the president (a decision maker) assumes the learned effect; the same play
    # on an approver, and every other play, still the playbook's
    (learned,) = [
        s for s in plan if s["actionKey"] == "executive_visit" and s["target"]["id"] == PRESIDENT
    ]
    assert learned["effectObservations"] == 1
    assert learned["assumedEffect"].startswith("Executive visit to a decision maker: +")
    assert learned["assumedEffect"].endswith("from 1 result")
    others = [s for s in plan if s["target"] and s is not learned]
    assert len(others) >= 5  # a month on, the quiet insiders are met again before the rest
    assert all(s["effectObservations"] == 0 for s in others)
    # (a duty to the supervisor of the purchase promises no closeness at all)
    assert all(
        "no results yet" in s["assumedEffect"] or "no closeness sought" in s["assumedEffect"]
        for s in others
    )
