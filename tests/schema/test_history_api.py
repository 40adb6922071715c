"""History over GraphQL, as deployed, on both back ends: a scripted deal written at controlled
times; what the API answered at each step is what ``asOf`` gives back later; the diff between
two instants and between two stage gates names every change, in English and Chinese; the
likelihood trend has a point per change and per stage move; an account manager sees the
history of a deal only while they may see the deal; an erased person is gone from history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from api_helpers import ZH, Api, gid, open_api
from people import add_person

from dealgraph.demo import load_demo
from domain.model import NodeKind
from domain.vocabulary import Stage
from graph import process_store as ps
from graph.executor import Executor
from schema.scalars import to_datetime, to_epoch_ms

DAY = 86_400_000
START = 1_790_000_000_000  # 2026-09-21T14:13:20Z, whole seconds
K = NodeKind
OPP = gid(K.OPPORTUNITY, "h-o1")
C = gid(K.CUSTOMER, "h-c1")


class Clock:
    """The store's clock: one millisecond per reading while writing, standing still while the
    test reads, and moved forward between the steps of the deal."""

    def __init__(self) -> None:
        self.now = START
        self.frozen = False

    def __call__(self) -> int:
        if not self.frozen:
            self.now += 1
        return self.now

    def jump(self, days: int) -> None:
        self.now = START + days * DAY
        self.frozen = False

    def freeze(self) -> int:
        """Stop at the next whole second and return that instant."""
        self.now = (self.now // 1000 + 1) * 1000
        self.frozen = True
        return self.now


def ms(text: str) -> int:
    return to_epoch_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def iso(instant: int) -> str:
    found = to_datetime(instant)
    assert found is not None
    return found.isoformat()


CHAIN = """query($id: ID!, $c: ID!, $at: DateTime) {
  node(id: $id) { ... on Opportunity {
    decisionChain(asOf: $at) {
      opportunity { name stage amount }
      members { person { id name title department } role influence attitude needs external
        teamTies { member { name } level since } competitorTies { competitor { name } level }
        lastContactAt }
      reportsTo { fromPerson { id } toPerson { id } }
      influences { fromPerson { id } toPerson { id } strength }
      knows { fromPerson { id } toPerson { id } }
      competitors { competitor { name } position pricePosition }
      team { member { name } role phase }
      activities { id type outcome summary occurredAt } }
    assessment(asOf: $at) { isReal { value } canCompete { value } canWin { value }
      worthIt { value } winLikelihood { value logit terms { factor score } } } } }
  customer: node(id: $c) { ... on Customer {
    orgChart(asOf: $at) { people { id name title }
      reportsTo { fromPerson { id } toPerson { id } }
      influences { fromPerson { id } toPerson { id } strength } } } } }"""

CHANGES = """query($id: ID!, $from: DateTime!, $to: DateTime) { node(id: $id) { ... on Opportunity {
  changes(from: $from, to: $to) { from to
    changes { kind person { id name } before after text }
    questions { question before after } winLikelihoodBefore winLikelihoodAfter
    movers { at delta changes { kind text } } } } } }"""

STAGES = """query($id: ID!, $from: Stage!, $to: Stage!) { node(id: $id) { ... on Opportunity {
  changesBetweenStages(from: $from, to: $to) { from to changes { kind person { name } text }
    winLikelihoodBefore winLikelihoodAfter } } } }"""

TREND = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  likelihoodHistory { at winLikelihood delta stage stageTransition changes { kind text } } } } }"""


def mutate(api: Api, name: str, input_type: str, payload: str, values: dict[str, Any]) -> Any:
    query = f"""mutation($i: {input_type}!) {{ {name}(input: $i) {{ {payload}
        userErrors {{ field message code }} }} }}"""
    return api.mutate(query, {"i": values})


def member(api: Api, person: str, role: str, **extra: Any) -> None:
    values = {"personId": gid(K.KEY_PERSON, person), "opportunityId": OPP, "role": role, **extra}
    mutate(api, "decisionChainMemberSet", "DecisionChainMemberInput", "keyPerson { id }", values)


def step_one(api: Api) -> None:
    mutate(
        api,
        "customerCreate",
        "CustomerCreateInput",
        "customer { id }",
        {"name": "Hospital", "key": "h-c1"},
    )
    for key, name, title in (
        ("h-li", "Li", "CIO"),
        ("h-wang", "Wang", "Dean"),
        ("h-zhao", "Zhao", "Head of IT"),
        ("h-qian", "Qian", "Buyer"),
    ):
        mutate(
            api,
            "keyPersonCreate",
            "KeyPersonCreateInput",
            "keyPerson { id }",
            {"customerId": C, "name": name, "title": title, "key": key},
        )
    mutate(
        api,
        "opportunityCreate",
        "OpportunityCreateInput",
        "opportunity { id }",
        {"customerId": C, "name": "HIS", "amount": 1_000_000, "key": "h-o1"},
    )
    for key, name in (("h-me", "Me"), ("h-ma", "Ma")):
        mutate(
            api,
            "teamMemberCreate",
            "TeamMemberCreateInput",
            "teamMember { id }",
            {"name": name, "key": key},
        )
    mutate(
        api,
        "teamAssign",
        "TeamAssignInput",
        "__typename",
        {"memberId": gid(K.TEAM_MEMBER, "h-me"), "targetId": OPP, "role": "ACCOUNT_MANAGER"},
    )
    mutate(
        api,
        "competitorCreate",
        "CompetitorCreateInput",
        "competitor { id }",
        {"name": "Rival", "key": "h-x1"},
    )
    mutate(
        api,
        "competitorOnOpportunitySet",
        "CompetitorOnOpportunityInput",
        "__typename",
        {"competitorId": gid(K.COMPETITOR, "h-x1"), "opportunityId": OPP, "position": "LEADING"},
    )
    member(api, "h-li", "DECISION_MAKER")
    member(api, "h-wang", "TECHNICAL_EVALUATOR")
    mutate(
        api,
        "reportsToSet",
        "ReportsToInput",
        "__typename",
        {"personId": gid(K.KEY_PERSON, "h-wang"), "managerId": gid(K.KEY_PERSON, "h-li")},
    )
    knows(api, "h-li", "WEAK")


def knows(api: Api, person: str, level: str) -> None:
    mutate(
        api,
        "knowsSet",
        "KnowsInput",
        "__typename",
        {
            "memberId": gid(K.TEAM_MEMBER, "h-me"),
            "targetPersonId": gid(K.KEY_PERSON, person),
            "level": level,
        },
    )


def advance(api: Api, stage: Stage) -> None:
    """Stage moves are written by the process store (their gates are tested elsewhere)."""
    opportunity = api.store.get(K.OPPORTUNITY, "h-o1")
    ps.advance_stage(
        api.store,
        opportunity=opportunity,
        to_stage=stage,
        reason=None,
        lost_to_competitor_id=None,
        member_id="h-me",
    )


def step_two(api: Api) -> None:
    advance(api, Stage.INITIATE)
    member(api, "h-wang", "TECHNICAL_EVALUATOR", attitude="SUPPORTER")
    member(api, "h-zhao", "USER", needs="uptime")
    mutate(
        api,
        "influenceSet",
        "InfluenceInput",
        "__typename",
        {
            "fromPersonId": gid(K.KEY_PERSON, "h-zhao"),
            "toPersonId": gid(K.KEY_PERSON, "h-li"),
            "strength": "STRONG",
        },
    )
    mutate(
        api,
        "competitorTieSet",
        "CompetitorTieInput",
        "__typename",
        {
            "competitorId": gid(K.COMPETITOR, "h-x1"),
            "personId": gid(K.KEY_PERSON, "h-zhao"),
            "level": "STRONG",
        },
    )
    mutate(
        api,
        "activityLog",
        "ActivityLogInput",
        "activity { id }",
        {
            "type": "VISIT",
            "occurredAt": iso(api.store.clock()),
            "summary": "tea with the CIO",
            # Qian, not yet in the chain, came along: the change names him too
            "personIds": [gid(K.KEY_PERSON, p) for p in ("h-li", "h-zhao", "h-qian")],
            "memberIds": [gid(K.TEAM_MEMBER, "h-me")],
            "opportunityId": OPP,
            "outcome": "POSITIVE",
        },
    )
    knows(api, "h-li", "STRONG")


def step_three(api: Api) -> None:
    advance(api, Stage.REQUIREMENTS)
    values = {
        "personId": gid(K.KEY_PERSON, "h-wang"),
        "opportunityId": OPP,
        "role": "TECHNICAL_EVALUATOR",
    }
    mutate(api, "decisionChainMemberRemove", "DecisionChainMemberInput", "__typename", values)
    member(api, "h-qian", "APPROVER")
    member(api, "h-li", "DECISION_MAKER", attitude="SUPPORTER")
    mutate(
        api,
        "reportsToSet",
        "ReportsToInput",
        "__typename",
        {"personId": gid(K.KEY_PERSON, "h-qian"), "managerId": gid(K.KEY_PERSON, "h-zhao")},
    )


def answers(api: Api, instant: int | None, **headers: str) -> dict[str, Any]:
    variables = {"id": OPP, "c": C, "at": None if instant is None else iso(instant)}
    result = api.body(CHAIN, variables, headers=headers)
    assert "errors" not in result, result
    data: dict[str, Any] = result["data"]
    chart = (data.get("customer") or {}).get("orgChart")
    for links in ("reportsTo", "influences"):
        if chart:  # the org chart lists its links in no particular order
            chart[links].sort(key=repr)
    return data


@pytest.fixture(scope="module")
def deal(api_executor: Executor) -> Iterator[tuple[Api, Clock, list[tuple[int, Any]]]]:
    """The deal written in three steps ten days apart, with the answers read after each."""
    with open_api(api_executor) as api:
        clock = Clock()
        api.store.clock = clock
        recorded: list[tuple[int, Any]] = []
        for day, step in ((0, step_one), (10, step_two), (20, step_three)):
            clock.jump(day)
            step(api)
            instant = clock.freeze()
            recorded.append((instant, answers(api, None)))
        clock.jump(30)
        clock.freeze()
        yield api, clock, recorded


def test_as_of_answers_equal_the_answers_given_at_the_time(deal: Any) -> None:
    api, _, recorded = deal
    for instant, then in recorded:
        assert answers(api, instant) == then
    first = recorded[0][1]["node"]["decisionChain"]
    assert {m["person"]["name"] for m in first["members"]} == {"Li", "Wang"}
    last = recorded[2][1]["node"]["decisionChain"]
    assert {m["person"]["name"] for m in last["members"]} == {"Li", "Zhao", "Qian"}


def test_before_the_deal_existed_there_is_no_chain(deal: Any) -> None:
    api, _, _ = deal
    data = answers(api, START - DAY)
    assert data["node"]["decisionChain"] is None
    assert data["node"]["assessment"] is None
    assert data["customer"]["orgChart"]["people"] == []


def _kinds(changes: list[dict[str, Any]]) -> set[tuple[str, str | None]]:
    return {(c["kind"], c["person"] and c["person"]["name"]) for c in changes}


def test_a_diff_names_every_change_of_the_scripted_deal(deal: Any) -> None:
    api, _, recorded = deal
    start, end = recorded[0][0], recorded[2][0]
    variables = {"id": OPP, "from": iso(start), "to": iso(end)}
    found = api.data(CHANGES, variables)["node"]["changes"]
    assert found["from"].startswith(iso(start)[:19])
    assert {
        ("STAGE_CHANGED", None),
        ("MEMBER_ADDED", "Zhao"),
        ("MEMBER_ADDED", "Qian"),
        ("MEMBER_REMOVED", "Wang"),
        ("ATTITUDE_CHANGED", "Li"),
        ("TIE_CHANGED", "Li"),
        ("RIVAL_TIE_ADDED", "Zhao"),
        ("ACTIVITY_LOGGED", "Li"),
    } <= _kinds(found["changes"])
    texts = [c["text"] for c in found["changes"]]
    assert any(t.startswith("Stage: ") for t in texts), texts
    assert "Zhao joined the decision chain as user" in texts
    assert "Wang left the decision chain" in texts
    assert "Me's tie with Li: weak → strong" in texts
    assert "Visit with Li, Qian, Zhao (positive)" in texts
    assert not any(re.search(r"h-[a-z]|[0-9a-f]{8}-", t) for t in texts), texts
    before = recorded[0][1]["node"]["assessment"]
    after = recorded[2][1]["node"]["assessment"]
    assert found["winLikelihoodBefore"] == before["winLikelihood"]["value"]
    assert found["winLikelihoodAfter"] == after["winLikelihood"]["value"]
    assert {q["question"]: q["after"] for q in found["questions"]} == {
        "is_real": after["isReal"]["value"],
        "can_compete": after["canCompete"]["value"],
        "can_win": after["canWin"]["value"],
        "worth_it": after["worthIt"]["value"],
    }
    assert found["movers"]
    deltas = [abs(m["delta"]) for m in found["movers"]]
    assert deltas == sorted(deltas, reverse=True)
    zh = api.body(CHANGES, variables, headers=ZH)["data"]["node"]["changes"]
    zh_texts = [c["text"] for c in zh["changes"]]
    assert any(t.startswith("Zhao加入决策链，角色为") for t in zh_texts), zh_texts
    assert "Wang离开了决策链" in zh_texts
    assert "与Li、Qian、Zhao的拜访（正面）" in zh_texts


def test_a_diff_between_two_stage_gates(deal: Any) -> None:
    api, _, recorded = deal
    variables = {"id": OPP, "from": "INITIATE", "to": "REQUIREMENTS"}
    found = api.data(STAGES, variables)["node"]["changesBetweenStages"]
    kinds = {(c["kind"], c["person"] and c["person"]["name"]) for c in found["changes"]}
    # Step two happened between the gates; step three after the REQUIREMENTS gate.
    assert {
        ("STAGE_MOVED", None),
        ("MEMBER_ADDED", "Zhao"),
        ("ATTITUDE_CHANGED", "Wang"),
        ("RIVAL_TIE_ADDED", "Zhao"),
        ("TIE_CHANGED", "Li"),
        ("ACTIVITY_LOGGED", "Li"),
    } <= kinds
    assert ("MEMBER_REMOVED", "Wang") not in kinds
    assert ("MEMBER_ADDED", "Qian") not in kinds
    # the one move between the gates is said once, with who made it
    stage = [c["text"] for c in found["changes"] if c["kind"].startswith("STAGE_")]
    assert stage == ["Me moved the deal from 2 Initiate opportunity to 3 Requirements analysis"]
    refused = api.body(STAGES, {"id": OPP, "from": "INITIATE", "to": "BIDDING"})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "has not entered the stage 6 Bidding" in refused["errors"][0]["message"]
    assert refused["data"]["node"]["changesBetweenStages"] is None
    assert recorded


def test_the_likelihood_trend_has_a_point_per_change_and_per_stage_move(deal: Any) -> None:
    api, _, recorded = deal
    points = api.data(TREND, {"id": OPP})["node"]["likelihoodHistory"]
    moves = [p for p in points if p["stageTransition"]]
    assert [p["stage"] for p in moves] == ["INITIATE", "REQUIREMENTS"]
    instants = [p["at"] for p in points]
    assert instants == sorted(instants)
    assert all(p["changes"] for p in points[1:] if not p["stageTransition"])
    last = recorded[2][1]["node"]["assessment"]["winLikelihood"]["value"]
    then = api.data(
        """query($id: ID!, $at: DateTime) { node(id: $id) { ... on Opportunity {
        assessment(asOf: $at) { winLikelihood { value } } } } }""",
        {"id": OPP, "at": points[-1]["at"]},
    )["node"]["assessment"]["winLikelihood"]["value"]
    assert points[-1]["winLikelihood"] == pytest.approx(then)
    assert last
    # Every point equals the assessment asked as of its instant (replayed from scratch and
    # analysed in full), to the last bit.
    one_by_one: dict[str, Any] = {}
    for chunk in range(0, len(points), 10):  # the API allows a few aliases per request
        asked = " ".join(
            f'p{i}: assessment(asOf: "{p["at"]}") {{ winLikelihood {{ value }} }}'
            for i, p in enumerate(points)
            if chunk <= i < chunk + 10
        )
        query = f"query($id: ID!) {{ node(id: $id) {{ ... on Opportunity {{ {asked} }} }} }}"
        one_by_one.update(api.data(query, {"id": OPP})["node"])
    assert [p["winLikelihood"] for p in points] == [
        one_by_one[f"p{i}"]["winLikelihood"]["value"] for i in range(len(points))
    ]
    window = api.data(
        """query($id: ID!, $from: DateTime, $to: DateTime) { node(id: $id) {
        ... on Opportunity { likelihoodHistory(from: $from, to: $to) {
        at stageTransition } } } }""",
        {"id": OPP, "from": iso(recorded[0][0]), "to": iso(recorded[1][0])},
    )["node"]["likelihoodHistory"]
    assert ms(window[0]["at"]) == recorded[0][0]
    assert [p["at"] for p in window[1:]] == [
        p["at"] for p in points if recorded[0][0] < ms(p["at"]) <= recorded[1][0]
    ]
    assert [p["stageTransition"] for p in window].count(True) == 1


def test_an_account_manager_sees_history_only_while_they_may_see_the_deal(deal: Any) -> None:
    api, _, recorded = deal
    ma = api.as_(add_person(api.store, "h-ma", "account_manager", "h-ma"))
    instant = recorded[0][0]
    assert answers(ma, instant)["node"] is None
    assert ma.data(TREND, {"id": OPP})["node"] is None
    assign = {"memberId": gid(K.TEAM_MEMBER, "h-ma"), "targetId": OPP, "role": "SOLUTION_MANAGER"}
    mutate(api, "teamAssign", "TeamAssignInput", "__typename", assign)
    seen = answers(ma, instant)
    assert {m["person"]["name"] for m in seen["node"]["decisionChain"]["members"]} == {"Li", "Wang"}
    mutate(api, "teamUnassign", "TeamAssignInput", "__typename", assign)
    assert answers(ma, instant)["node"] is None


def test_an_erased_person_disappears_from_history(deal: Any) -> None:
    api, _, recorded = deal
    api.mutate(
        """mutation($id: ID!) { keyPersonErase(id: $id) { userErrors { field message code } } }""",
        {"id": gid(K.KEY_PERSON, "h-zhao")},
    )
    for instant, _ in recorded:
        data = answers(api, instant)
        text = str(data)
        assert "Zhao" not in text
        assert gid(K.KEY_PERSON, "h-zhao") not in text
    start, end = recorded[0][0], recorded[2][0]
    found = api.data(CHANGES, {"id": OPP, "from": iso(start), "to": iso(end)})
    assert "Zhao" not in str(found)
    assert "Zhao" not in str(api.data(TREND, {"id": OPP}))


def test_refusals_speak_the_request_language_and_name_stages_by_label(deal: Any) -> None:
    api, _, recorded = deal
    cases = (
        (
            STAGES,
            {"id": OPP, "from": "INITIATE", "to": "BIDDING"},
            "changesBetweenStages",
            "to: the opportunity has not entered the stage 6 Bidding",
            "to：该商机尚未进入6 组织投标阶段",
        ),
        (
            STAGES,
            {"id": OPP, "from": "REQUIREMENTS", "to": "INITIATE"},
            "changesBetweenStages",
            "to: the opportunity entered 2 Initiate opportunity before 3 Requirements analysis",
            "to：该商机进入2 商机立项阶段早于3 需求分析阶段",
        ),
        (
            CHANGES,
            {"id": OPP, "from": iso(recorded[2][0]), "to": iso(recorded[0][0])},
            "changes",
            "to: must not be before from",
            "to：不能早于起始时间",
        ),
        (
            CHANGES,
            {"id": OPP, "from": "2100-01-01T00:00:00Z"},
            "changes",
            "from: must not be in the future",
            "from：不能晚于当前时间",
        ),
    )
    for query, variables, field, en, zh in cases:
        for headers, text in (({"Accept-Language": "en"}, en), (ZH, zh)):
            refused = api.body(query, variables, headers=headers)
            error = refused["errors"][0]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert error["message"] == text
            assert refused["data"]["node"][field] is None


def test_an_as_of_still_to_come_is_refused_not_made_up(deal: Any) -> None:
    """A date ahead would read today's chain as if nobody had met anyone since: "no contact
    with the customer for 26341 days". Each asOf field refuses it at its argument, in the
    request's language; a browser's "now" a minute fast is still now."""
    api, _, _ = deal
    fields = ("decisionChain", "assessment")
    english = {"Accept-Language": "en"}
    for headers, text in (
        (english, "asOf: must not be in the future"),
        (ZH, "asOf：不能晚于当前时间"),
    ):
        body = api.body(CHAIN, {"id": OPP, "c": C, "at": "2100-01-01T00:00:00Z"}, headers=headers)
        refused = {tuple(e["path"][1:]): e for e in body["errors"]}
        assert set(refused) == {(f,) for f in fields} | {("orgChart",)}, body["errors"]
        for error in refused.values():
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert error["message"] == text
    soon = datetime.fromtimestamp((api.store.clock() + 60_000) / 1000, UTC).isoformat()
    body = api.body(CHAIN, {"id": OPP, "c": C, "at": soon})
    assert "errors" not in body, body
    assert body["data"]["node"]["decisionChain"]["members"]


def test_steps_accepted_into_the_plan_add_no_empty_points_to_the_trend(
    api_executor: Executor,
) -> None:
    """The account manager accepts two suggested steps with her own login: the plan changed,
    but no fact of the chain nor its likelihood did, so the trend shows no point for them (a
    point with no change and no step reads as a glitch)."""
    with open_api(api_executor) as api:
        load_demo(api.store)
        li = api.as_(add_person(api.store, "li.mingxuan", "account_manager", "demo-tm-account"))
        deal = gid(K.OPPORTUNITY, "demo-opp-smart-hospital")
        before = li.data(TREND, {"id": deal})["node"]["likelihoodHistory"]
        plan = li.data(
            """query($id: ID!) { node(id: $id) { ... on Opportunity {
            suggestedWorkPlan(limit: 5) { actionKey target { id } } } } }""",
            {"id": deal},
        )["node"]["suggestedWorkPlan"]
        for step in plan[:2]:
            taken = {"opportunityId": deal, "actionKey": step["actionKey"]}
            if step["target"]:
                taken["targetPersonId"] = step["target"]["id"]
            li.mutate(
                """mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) {
                workPlanItem { id } userErrors { field message } } }""",
                {"i": taken},
            )
        after = li.data(TREND, {"id": deal})["node"]["likelihoodHistory"]
        assert after == before
