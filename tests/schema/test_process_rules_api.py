"""Rules of time, quote integrity, process order and approval requests through the API on the
real stores.

Every refusal is shown with its code, the input field it names, its message in English and in
Chinese (from Accept-Language) and an unchanged graph.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api, Json, gid, open_api, snapshot
from people import add_person, manage

from domain.model import EdgeKind, NodeKind
from graph.executor import Executor
from graph.statements import AUDIT_LABEL
from graph.workplans import accept_suggestion

ERR = "userErrors { field message code }"
ACTIVITY_LOG = f"""mutation($i: ActivityLogInput!) {{ activityLog(input: $i) {{
  activity {{ id outcome }} {ERR} }} }}"""
ACTIVITY_UPDATE = f"""mutation($id: ID!, $i: ActivityUpdateInput!) {{
  activityUpdate(id: $id, input: $i) {{ activity {{ id outcome summary }} {ERR} }} }}"""
RESULT = f"""mutation($id: ID!, $i: WorkPlanResultInput!) {{
  workPlanItemResultRecord(id: $id, input: $i) {{ workPlanItem {{ id status }} {ERR} }} }}"""
UPDATE = f"""mutation($id: ID!, $i: OpportunityUpdateInput!) {{
  opportunityUpdate(id: $id, input: $i) {{
    opportunity {{ quoteAmount quoteStatus deliveryReviewed version }} {ERR} }} }}"""
REQUEST = f"""mutation($i: ApprovalRequestInput!) {{ approvalRequest(input: $i) {{
  approval {{ id state }} {ERR} problems {{ code path messageZh messageEn }} }} }}"""
DECIDE = f"""mutation($id: ID!, $i: ApprovalDecideInput!) {{ approvalDecide(id: $id, input: $i) {{
  approval {{ id state }} {ERR} }} }}"""
ADVANCE = f"""mutation($id: ID!, $i: OpportunityAdvanceInput!) {{
  opportunityAdvance(id: $id, input: $i) {{ opportunity {{ stage }} {ERR}
    problems {{ code path messageZh messageEn }} }} }}"""
REVIEW = f"""mutation($id: ID!, $i: DeliveryReviewInput!) {{
  opportunityDeliveryReviewRecord(id: $id, input: $i) {{
    opportunity {{ deliveryReviewed }} {ERR} }} }}"""
SUBMIT = f"""mutation($id: ID!) {{ opportunityQuoteSubmit(id: $id) {{
  opportunity {{ quoteStatus }} {ERR} }} }}"""
SCORES = """query($id: ID!) { node(id: $id) { ... on Opportunity {
  memberScores { person { id } closeness { value reasons { factor textEn } } }
  decisionChain { members { person { id } lastContactAt } } } } }"""

LANGUAGES = {"en": "en", "zh": "zh-CN,zh;q=0.9"}
_serial = itertools.count()


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


class Deal:
    """One customer with a deal, its decision maker, our deal triangle and a sales director."""

    def __init__(self, api: Api) -> None:
        n = next(_serial)
        store = api.store
        self.api = api
        self.id = f"rules-o{n}"
        self.am, self.sm, self.dm, self.director = (
            f"rules-{r}{n}" for r in ("am", "sm", "dm", "sd")
        )
        for member_id, name in (
            (self.am, "Li Wei"),
            (self.sm, "Wang Fang"),
            (self.dm, "Zhang Min"),
            (self.director, "Chen Jie"),
        ):
            props: dict[str, Any] = {"name": name}
            if member_id == self.director:
                props["role"] = "SALES_DIRECTOR"
            store.create(NodeKind.TEAM_MEMBER, props, node_id=member_id)
        store.create(NodeKind.CUSTOMER, {"name": "Provincial Hospital"}, node_id=f"rules-c{n}")
        store.create_opportunity(
            f"rules-c{n}",
            {"name": "Smart hospital", "quote_amount": 500_000, "budget": 600_000},
            node_id=self.id,
        )
        for member_id, role in (
            (self.am, "ACCOUNT_MANAGER"),
            (self.sm, "SOLUTION_MANAGER"),
            (self.dm, "DELIVERY_MANAGER"),
        ):
            store.set_edge(
                EdgeKind.ON_TEAM,
                (NodeKind.TEAM_MEMBER, member_id),
                (NodeKind.OPPORTUNITY, self.id),
                {"role": role},
            )
        self.cio = f"rules-p{n}"
        store.create_key_person(f"rules-c{n}", {"name": "Director Zhao"}, node_id=self.cio)
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN,
            (NodeKind.KEY_PERSON, self.cio),
            (NodeKind.OPPORTUNITY, self.id),
            {"role": "DECISION_MAKER"},
        )
        # Each of our people signs in with their own login, linked to their team member.
        logins = {
            self.am: "account_manager",
            self.sm: "solution_manager",
            self.dm: "delivery_manager",
            self.director: "sales_director",
        }
        self.logins = {
            member_id: api.as_(add_person(store, f"{member_id}-login", role, member_id))
            for member_id, role in logins.items()
        }
        manage(store, self.director, [self.am, self.sm, self.dm])

    def as_(self, member_id: str) -> Api:
        """The API as the login of one of our people."""
        return self.logins[member_id]

    @property
    def gid(self) -> str:
        return gid(NodeKind.OPPORTUNITY, self.id)

    def member(self, member_id: str) -> str:
        return gid(NodeKind.TEAM_MEMBER, member_id)

    def request(self, code: str, fields: dict[str, Any] | None = None) -> str:
        """Requested by the account manager; the approval's id."""
        variables: dict[str, Any] = {"opportunityId": self.gid, "process": code}
        if fields is not None:
            variables["fields"] = fields
        requested = self.as_(self.am).mutate(REQUEST, {"i": variables})
        approval_id: str = requested["approval"]["id"]
        return approval_id

    def decide(self, approval_id: str, decision: str, by: str | None = None) -> None:
        given = {"decision": decision, "comment": f"{decision.lower()}: see the call notes"}
        decided = self.as_(by or self.director).mutate(DECIDE, {"id": approval_id, "i": given})
        assert decided["approval"]["state"] != "PENDING"

    def approve(self, code: str, fields: dict[str, Any] | None = None) -> str:
        """Requested by the account manager, approved by the director; the approval's id."""
        approval_id = self.request(code, fields)
        self.decide(approval_id, "APPROVE")
        return approval_id


@pytest.fixture
def deal(api: Api) -> Deal:
    return Deal(api)


def refused_in_both_languages(
    api: Api, query: str, variables: dict[str, Any], code: str, fields: list[list[str]]
) -> dict[str, list[str]]:
    """The mutation is refused with ``code`` on exactly ``fields`` (one error each), in English
    and in Chinese, and the graph is unchanged; returns the messages per language."""
    messages: dict[str, list[str]] = {}
    for language, header in LANGUAGES.items():
        before = snapshot(api.store)
        body = api.body(query, variables, headers={"Accept-Language": header})
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        errors: list[Json] = payload["userErrors"]
        assert [e["field"] for e in errors] == fields, errors
        assert {e["code"] for e in errors} == {code}, errors
        assert all(v is None for k, v in payload.items() if k not in ("userErrors", "problems"))
        assert snapshot(api.store) == before, "a refused mutation changed the graph"
        messages[language] = [e["message"] for e in errors]
    assert all(m.isascii() for m in messages["en"]), messages
    assert all(not m.isascii() for m in messages["zh"]), messages
    return messages


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def _ms(delta: timedelta) -> int:
    return int((datetime.now(UTC) + delta).timestamp() * 1000)


def audit_operations(api: Api, target_id: str) -> list[str]:
    rows = api.store.executor.read(
        f"MATCH (a:{AUDIT_LABEL}) WHERE a.target_id = $id RETURN a.operation AS op ORDER BY a.seq",
        {"id": target_id},
    )
    return [str(r["op"]) for r in rows]


# --- time ------------------------------------------------------------------------------------


def test_a_result_for_an_activity_still_to_come_is_refused(api: Api, deal: Deal) -> None:
    planned = {
        "type": "EXECUTIVE_VISIT",
        "occurredAt": _iso(timedelta(days=30)),  # within the year a contact may be planned
        "summary": "Visit of our CEO",
        "personIds": [gid(NodeKind.KEY_PERSON, deal.cio)],
        "opportunityId": deal.gid,
    }
    messages = refused_in_both_languages(
        api,
        ACTIVITY_LOG,
        {"i": {**planned, "outcome": "VERY_POSITIVE", "priceReaction": "POSITIVE"}},
        "BAD_USER_INPUT",
        [["input", "outcome"], ["input", "priceReaction"]],
    )
    assert messages["en"][0].startswith("The outcome can only be recorded once the activity")
    assert messages["zh"][1].startswith("对价格的反应只能在活动发生之后记录")
    logged = api.mutate(ACTIVITY_LOG, {"i": planned})  # planning it is fine
    assert logged["activity"]["outcome"] is None  # no result until it has happened
    activity_id = logged["activity"]["id"]
    refused_in_both_languages(
        api,
        ACTIVITY_UPDATE,
        {"id": activity_id, "i": {"version": 1, "solutionReaction": "POSITIVE"}},
        "BAD_USER_INPUT",
        [["input", "solutionReaction"]],
    )
    changed = api.mutate(
        ACTIVITY_UPDATE, {"id": activity_id, "i": {"version": 1, "summary": "CEO and CTO"}}
    )
    assert changed["activity"]["summary"] == "CEO and CTO"
    assert changed["activity"]["outcome"] is None
    past = api.mutate(ACTIVITY_LOG, {"i": {**planned, "occurredAt": _iso(timedelta(days=-1))}})
    assert past["activity"]["outcome"] == "NEUTRAL"  # a past one without a word was neutral


MOVED = f"""mutation($id: ID!, $i: ActivityUpdateInput!) {{
  activityUpdate(id: $id, input: $i) {{
    activity {{ id version type occurredAt outcome }} {ERR} }} }}"""


def test_a_planned_contact_is_moved_and_a_held_one_is_not_moved_ahead(api: Api, deal: Deal) -> None:
    """The customer moves the meeting: the planned contact takes its new day and kind with the
    account manager's own login. A contact whose result is recorded took place: moving it to a
    time still to come is refused on its time, in both languages; a date mistyped in the past
    is put right."""
    am = deal.as_(deal.am)
    planned = {
        "type": "VISIT",
        "occurredAt": _iso(timedelta(days=5)),
        "summary": "Walk the CIO through the design",
        "personIds": [gid(NodeKind.KEY_PERSON, deal.cio)],
        "opportunityId": deal.gid,
    }
    activity_id = am.mutate(ACTIVITY_LOG, {"i": planned})["activity"]["id"]
    later = _iso(timedelta(days=9))
    moved = am.mutate(
        MOVED, {"id": activity_id, "i": {"version": 1, "occurredAt": later, "type": "MEETING"}}
    )["activity"]
    assert (moved["type"], moved["outcome"]) == ("MEETING", None)
    assert moved["occurredAt"][:10] == later[:10]
    held = am.mutate(
        ACTIVITY_LOG,
        {"i": {**planned, "occurredAt": _iso(timedelta(days=-2)), "outcome": "POSITIVE"}},
    )["activity"]["id"]
    messages = refused_in_both_languages(
        am,
        MOVED,
        {"id": held, "i": {"version": 1, "occurredAt": _iso(timedelta(days=2))}},
        "BAD_USER_INPUT",
        [["input", "occurredAt"]],
    )
    assert messages["en"][0].startswith("The outcome is recorded, so it took place")
    assert messages["zh"][0].startswith("结果已记录，说明该活动已发生")
    fixed = am.mutate(
        MOVED, {"id": held, "i": {"version": 1, "occurredAt": _iso(timedelta(days=-3))}}
    )
    assert fixed["activity"]["outcome"] == "POSITIVE"
    assert fixed["activity"]["version"] == 2


def test_a_contact_planned_years_ahead_is_refused_as_a_mistyped_year(api: Api, deal: Deal) -> None:
    """2062 typed for 2026: the plan would sit as the person's next contact for decades and hide
    the real one. Refused at its time in both languages, logged or moved there; within a year
    it is a plan like any other."""
    am = deal.as_(deal.am)
    planned = {
        "type": "SOCIAL",
        "occurredAt": _iso(timedelta(days=36 * 365)),
        "summary": "Planned dinner",
        "personIds": [gid(NodeKind.KEY_PERSON, deal.cio)],
        "opportunityId": deal.gid,
    }
    messages = refused_in_both_languages(
        am, ACTIVITY_LOG, {"i": planned}, "BAD_USER_INPUT", [["input", "occurredAt"]]
    )
    assert messages["en"][0].startswith("at most a year ahead (by ")
    assert messages["en"][0].endswith("): is the year right?")
    assert messages["zh"][0].endswith("（一年内）：年份是否有误？")
    soon = am.mutate(ACTIVITY_LOG, {"i": {**planned, "occurredAt": _iso(timedelta(days=300))}})
    moved = {
        "id": soon["activity"]["id"],
        "i": {"version": 1, "occurredAt": _iso(timedelta(days=3 * 365))},
    }
    refused_in_both_languages(am, MOVED, moved, "BAD_USER_INPUT", [["input", "occurredAt"]])


def test_a_work_plan_result_dated_ahead_is_refused(api: Api, deal: Deal) -> None:
    item = accept_suggestion(
        api.store,
        opportunity_id=deal.id,
        person_id=deal.cio,
        owner_id=deal.am,
        props={"title": "Meet Director Zhao"},
    )
    assert item is not None
    result: dict[str, Any] = {
        "version": 1,
        "type": "VISIT",
        "summary": "went well",
        "outcome": "POSITIVE",
        "occurredAt": _iso(timedelta(days=2)),
    }
    variables = {"id": gid(NodeKind.WORK_PLAN_ITEM, str(item["id"])), "i": result}
    messages = refused_in_both_languages(
        api, RESULT, variables, "BAD_USER_INPUT", [["input", "occurredAt"]]
    )
    assert "still to come" in messages["en"][0]
    # A login that may not write hears that first, not what is wrong with its input.
    viewer = api.as_(add_person(api.store, f"{deal.id}-viewer", "viewer"))
    viewer.refused(RESULT, variables, "FORBIDDEN")
    result["occurredAt"] = _iso(timedelta(hours=-1))
    assert api.mutate(RESULT, variables)["workPlanItem"]["status"] == "DONE"


def test_a_stored_future_activity_counts_for_no_score(api: Api, deal: Deal) -> None:
    """An activity dated ahead (recorded before the rule existed) raises nothing."""
    before = api.data(SCORES, {"id": deal.gid})["node"]["memberScores"]
    api.store.log_activity(
        {
            "type": "EXECUTIVE_VISIT",
            "occurred_at": _ms(timedelta(days=4 * 365)),
            "summary": "far ahead",
            "outcome": "VERY_POSITIVE",
        },
        person_ids=[deal.cio],
        opportunity_id=deal.id,
    )
    after = api.data(SCORES, {"id": deal.gid})["node"]
    assert after["memberScores"] == before
    texts = [r["textEn"] for s in before for r in s["closeness"]["reasons"]]
    assert not any("0 days ago" in t for t in texts), texts
    assert [m["lastContactAt"] for m in after["decisionChain"]["members"]] == [None]


def test_a_visit_ten_days_ahead_does_not_meet_the_decision_maker(api: Api, deal: Deal) -> None:
    store = api.store
    store.update(
        NodeKind.OPPORTUNITY,
        deal.id,
        {
            "stage": "REQUIREMENTS",
            "decision_process_known": True,
            "amount": 900_000,
            "expected_close_date": "2027-06-30",
            "compelling_event": "regulator deadline",
        },
    )
    for code in ("1-1", "1-2", "2-1", "3-1", "3-2"):
        deal.approve(code)
    api.mutate(
        ACTIVITY_LOG,
        {
            "i": {
                "type": "EXECUTIVE_VISIT",
                "occurredAt": _iso(timedelta(days=10)),
                "summary": "Visit of our CEO",
                "personIds": [gid(NodeKind.KEY_PERSON, deal.cio)],
                "opportunityId": deal.gid,
            }
        },
    )
    payload = deal.as_(deal.am).data(
        ADVANCE, {"id": deal.gid, "i": {"toStage": "VALUE_PRESENTATION"}}
    )["opportunityAdvance"]
    assert "actions.decision_maker_met" in {p["path"] for p in payload["problems"]}


# --- quote integrity -------------------------------------------------------------------------


def _review_and_submit(deal: Deal) -> None:
    deal.as_(deal.dm).mutate(
        REVIEW, {"id": deal.gid, "i": {"feasible": True, "workloadPersonDays": 30}}
    )
    assert (
        deal.as_(deal.am).mutate(SUBMIT, {"id": deal.gid})["opportunity"]["quoteStatus"]
        == "SUBMITTED"
    )


def test_changing_a_submitted_quote_returns_it_to_draft_and_voids_the_review(
    api: Api, deal: Deal
) -> None:
    _review_and_submit(deal)
    version = int(api.store.get(NodeKind.OPPORTUNITY, deal.id)["version"])
    changed = api.mutate(
        UPDATE, {"id": deal.gid, "i": {"version": version, "quoteAmount": 50_000_000}}
    )["opportunity"]
    assert changed == {
        "quoteAmount": 50_000_000,
        "quoteStatus": "DRAFT",
        "deliveryReviewed": False,
        "version": version + 1,
    }
    assert audit_operations(api, deal.id)[-2:] == ["update", "quote_reset"]
    entry = api.store.executor.read(
        f"MATCH (a:{AUDIT_LABEL}) WHERE a.target_id = $id AND a.operation = 'quote_reset' "
        "RETURN a.changes AS changes",
        {"id": deal.id},
    )[0]
    changes = json.loads(entry["changes"])
    went_in = changes["before"]["quote_submitted_at"]
    assert isinstance(went_in, int)  # the day the quote went in, cleared with the reset
    assert changes["before"] == {
        "quote_amount": 500_000,
        "quote_status": "SUBMITTED",
        "delivery_reviewed": True,
        "infeasible_quote_amount": None,  # a verdict of not deliverable is cleared with it
        "quote_submitted_at": went_in,
    }
    assert changes["after"]["quote_submitted_at"] is None
    stale = api.data(SUBMIT, {"id": deal.gid})["opportunityQuoteSubmit"]
    assert [e["code"] for e in stale["userErrors"]] == ["BAD_USER_INPUT"]
    # Back to the reviewed amount: the review stays void until the delivery manager reviews again.
    api.mutate(UPDATE, {"id": deal.gid, "i": {"version": version + 1, "quoteAmount": 500_000}})
    # opportunityQuoteSubmit takes only the id: the problem is the deal's state, field [].
    messages = refused_in_both_languages(api, SUBMIT, {"id": deal.gid}, "BAD_USER_INPUT", [[]])
    assert messages["en"] == [
        "The delivery review was voided when the quote changed; "
        "the delivery manager must review again"
    ]
    _review_and_submit(deal)


def test_other_changes_keep_the_quote_and_the_review(api: Api, deal: Deal) -> None:
    _review_and_submit(deal)
    version = int(api.store.get(NodeKind.OPPORTUNITY, deal.id)["version"])
    same = api.mutate(
        UPDATE,
        {"id": deal.gid, "i": {"version": version, "quoteAmount": 500_000, "budget": 700_000}},
    )["opportunity"]
    assert (same["quoteStatus"], same["deliveryReviewed"]) == ("SUBMITTED", True)
    assert "quote_reset" not in audit_operations(api, deal.id)


def test_a_stale_update_of_a_submitted_quote_conflicts_and_writes_nothing(
    api: Api, deal: Deal
) -> None:
    _review_and_submit(deal)
    before = snapshot(api.store)
    payload = api.data(UPDATE, {"id": deal.gid, "i": {"version": 1, "quoteAmount": 1}})
    errors = payload["opportunityUpdate"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "version"], "CONFLICT")]
    assert snapshot(api.store) == before


def test_the_gate_rechecks_the_review_against_the_quote(api: Api, deal: Deal) -> None:
    """Flags written around the rule (an import, an old record) do not pass the gate."""
    _review_and_submit(deal)
    api.store.update(NodeKind.OPPORTUNITY, deal.id, {"stage": "PROPOSAL", "quote_amount": 9})
    stored = api.store.get(NodeKind.OPPORTUNITY, deal.id)
    assert (stored["quote_status"], stored["delivery_reviewed"]) == ("SUBMITTED", True)
    payload = deal.as_(deal.am).body(
        ADVANCE,
        {"id": deal.gid, "i": {"toStage": "BIDDING"}},
        headers={"Accept-Language": "zh-CN"},
    )["data"]["opportunityAdvance"]
    by_path = {p["path"]: p for p in payload["problems"]}
    assert {"actions.delivery_review_recorded", "actions.quote_submitted"} <= set(by_path)
    assert (
        by_path["actions.quote_submitted"]["messageZh"]
        == "方案与报价：必做事项未完成：向客户提交报价"
    )


def test_an_unmapped_chain_is_refused_naming_the_role_it_lacks(api: Api, deal: Deal) -> None:
    """A chain with its decision maker and technical evaluator but no business evaluator: the
    refusal names the business evaluator, on the stage asked for, in both languages."""
    api.store.update(NodeKind.OPPORTUNITY, deal.id, {"stage": "REQUIREMENTS"})
    store, customer = api.store, deal.id.replace("-o", "-c")

    def in_chain(person: str, role: str) -> None:
        store.set_edge(
            EdgeKind.IN_DECISION_CHAIN,
            (NodeKind.KEY_PERSON, person),
            (NodeKind.OPPORTUNITY, deal.id),
            {"role": role},
        )

    in_chain(
        store.create_key_person(customer, {"name": "Engineer Sun"})["id"], "TECHNICAL_EVALUATOR"
    )
    path = "actions.decision_chain_mapped"

    def refusal() -> tuple[Json | None, list[Json]]:
        payload = deal.as_(deal.am).body(
            ADVANCE,
            {"id": deal.gid, "i": {"toStage": "VALUE_PRESENTATION"}},
            headers={"Accept-Language": "zh-CN"},
        )["data"]["opportunityAdvance"]
        assert payload["opportunity"] is None
        found = [p for p in payload["problems"] if p["path"] == path]
        return (found[0] if found else None), payload["userErrors"]

    problem, errors = refusal()
    assert problem is not None
    assert problem["messageZh"] == (
        "需求分析：必做事项未完成：梳理决策链（决策者、技术和业务评估者），尚缺业务评估者"
    )
    assert problem["messageEn"] == (
        "Requirements analysis: required action not done: Map the decision chain "
        "(decision maker, technical and business evaluators); still missing: business evaluator"
    )
    (error,) = [e for e in errors if e["message"] == problem["messageZh"]]
    assert (error["field"], error["code"]) == (["input", "toStage"], "BAD_USER_INPUT")
    # every refusal of the gate is on the stage asked for, none on the whole input
    assert {tuple(e["field"]) for e in errors} == {("input", "toStage")}
    in_chain(deal.cio, "BUSINESS_EVALUATOR")
    problem, _ = refusal()
    assert problem is not None
    assert problem["messageEn"].endswith("still missing: decision maker")
    assert problem["messageZh"].endswith("尚缺决策者")
    in_chain(store.create_key_person(customer, {"name": "Chief Qian"})["id"], "DECISION_MAKER")
    assert refusal()[0] is None


def test_a_currency_that_is_no_code_is_refused_in_words_spaced_as_chinese_is_written(
    api: Api, deal: Deal
) -> None:
    """The Chinese message keeps a space between 须为 and the Latin code: 须为 ISO 4217 …"""
    version = int(api.store.get(NodeKind.OPPORTUNITY, deal.id)["version"])
    for typed, en, zh in (
        (
            "RMB",
            'must be an ISO 4217 currency code in capitals, such as CNY: for "RMB" write CNY',
            "须为 ISO 4217 大写货币代码，如 CNY：“RMB”应写作 CNY",
        ),
        (
            "cny",
            "must be an ISO 4217 currency code in capitals, such as CNY",
            "须为 ISO 4217 大写货币代码，如 CNY",
        ),
    ):
        messages = refused_in_both_languages(
            deal.as_(deal.am),
            UPDATE,
            {"id": deal.gid, "i": {"version": version, "currency": typed}},
            "BAD_USER_INPUT",
            [["input", "currency"]],
        )
        assert messages == {"en": [en], "zh": [zh]}


# --- process order ---------------------------------------------------------------------------


def test_presales_resources_wait_for_the_initiation(api: Api, deal: Deal) -> None:
    variables = {
        "i": {
            "opportunityId": deal.gid,
            "process": "2-3",
            "fields": {
                "resource_type": "architect",
                "hours": 40,
                "period_start": "2026-03-01",
                "period_end": "2026-03-31",
            },
        }
    }
    messages = refused_in_both_languages(
        deal.as_(deal.am), REQUEST, variables, "BAD_USER_INPUT", [["input", "process"]]
    )
    assert messages["en"] == [
        "TAS+2-3 Presales resource request may be requested only after "
        "TAS+2-1 Opportunity initiation is approved (now: not requested)"
    ]
    assert messages["zh"] == [
        "TAS+2-3 售前资源申请流程须在 TAS+2-1 商机立项流程获批后才能发起（当前：尚未发起）"
    ]
    deal.approve("2-1")
    assert deal.as_(deal.am).mutate(REQUEST, variables)["approval"]["state"] == "PENDING"


def test_sow_review_waits_for_the_won_bid(api: Api, deal: Deal) -> None:
    api.store.update(NodeKind.OPPORTUNITY, deal.id, {"stage": "BIDDING"})
    variables = {"i": {"opportunityId": deal.gid, "process": "7-1"}}
    messages = refused_in_both_languages(
        deal.as_(deal.am), REQUEST, variables, "BAD_USER_INPUT", [["input", "process"]]
    )
    assert "谈判签约" in messages["zh"][0]
    assert "Negotiation and signing" in messages["en"][0]
    api.store.update(NodeKind.OPPORTUNITY, deal.id, {"stage": "NEGOTIATION"})
    assert deal.as_(deal.am).mutate(REQUEST, variables)["approval"]["state"] == "PENDING"


# --- approval requests -----------------------------------------------------------------------

HISTORY = """query($id: ID!) { node(id: $id) { ... on Approval { history { toState at } } } }"""
RESOURCES = {
    "resource_type": "architect",
    "hours": 40,
    "period_start": "2026-03-01",
    "period_end": "2026-03-31",
}


def approved_at(api: Api, approval_id: str) -> str:
    """When an approval was granted, as the messages write it."""
    history = api.data(HISTORY, {"id": approval_id})["node"]["history"]
    at = next(h["at"] for h in history if h["toState"] == "APPROVED")
    return datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def problem_paths(api: Api, variables: dict[str, Any]) -> list[tuple[str, str]]:
    """The codes and rule paths of a refused request's ``problems``."""
    payload = api.data(REQUEST, variables)["approvalRequest"]
    return [(p["code"], p["path"]) for p in payload["problems"]]


def test_an_approved_request_asked_again_is_refused_naming_who_approved_it_and_when(
    api: Api, deal: Deal
) -> None:
    approval_id = deal.approve("1-1")
    when = approved_at(api, approval_id)
    variables = {"i": {"opportunityId": deal.gid, "process": "1-1"}}
    messages = refused_in_both_languages(
        deal.as_(deal.am), REQUEST, variables, "CONFLICT", [["input", "process"]]
    )
    assert messages["en"] == [
        f"TAS+1-1 Create opportunity: the same request was already approved by Chen Jie on {when}"
    ]
    assert messages["zh"] == [f"同样的 TAS+1-1 创建商机流程已由Chen Jie于{when}批准"]
    assert problem_paths(deal.as_(deal.am), variables) == [("ALREADY_APPROVED", "process_code")]


def test_other_fields_or_a_refused_or_withdrawn_request_may_be_asked_again(
    api: Api, deal: Deal
) -> None:
    deal.approve("2-1")
    deal.approve("2-3", RESOURCES)
    more_hours = deal.request("2-3", {**RESOURCES, "hours": 80})
    another_resource = deal.request("2-3", {**RESOURCES, "resource_type": "tester"})
    assert more_hours != another_resource
    rejected = deal.request("2-4")
    deal.decide(rejected, "REJECT")
    withdrawn = deal.request("2-4")
    deal.decide(withdrawn, "WITHDRAW", by=deal.am)
    assert deal.request("2-4") not in (rejected, withdrawn)


def test_each_error_of_a_process_field_is_reported_on_its_key(api: Api, deal: Deal) -> None:
    deal.approve("2-1")
    fields = {"resource_type": "architect", "hours": -4, "period_start": "2026-03-01", "x": 1}
    variables = {"i": {"opportunityId": deal.gid, "process": "2-3", "fields": fields}}
    refused_in_both_languages(
        deal.as_(deal.am),
        REQUEST,
        variables,
        "BAD_USER_INPUT",
        [["input", "fields", "x"], ["input", "fields", "hours"], ["input", "fields", "period_end"]],
    )
    assert problem_paths(deal.as_(deal.am), variables) == [
        ("UNKNOWN_FIELD", "fields.x"),
        ("INVALID_FIELD", "fields.hours"),
        ("MISSING_FIELD", "fields.period_end"),
    ]


def test_a_key_with_dots_or_brackets_is_one_step_of_the_error_path(api: Api, deal: Deal) -> None:
    deal.approve("2-1")
    fields = {**RESOURCES, "a.b": 1, "x[1]": 2, 'say "hi"': 3}
    variables = {"i": {"opportunityId": deal.gid, "process": "2-3", "fields": fields}}
    refused_in_both_languages(
        deal.as_(deal.am),
        REQUEST,
        variables,
        "BAD_USER_INPUT",
        [["input", "fields", "a.b"], ["input", "fields", 'say "hi"'], ["input", "fields", "x[1]"]],
    )
    assert problem_paths(deal.as_(deal.am), variables) == [
        ("UNKNOWN_FIELD", 'fields["a.b"]'),
        ("UNKNOWN_FIELD", 'fields["say \\"hi\\""]'),
        ("UNKNOWN_FIELD", 'fields["x[1]"]'),
    ]


def presales_done(deal: Deal) -> None:
    """Initiated, presales resources requested and dispatched: timesheets may be logged."""
    deal.approve("2-1")
    deal.approve("2-3", RESOURCES)
    deal.approve("2-5", RESOURCES)


def test_an_error_of_a_timesheet_entry_is_reported_on_the_entry_and_its_key(
    api: Api, deal: Deal
) -> None:
    presales_done(deal)
    entries = [
        {"member": "Wang Fang", "week": "2026-W10", "hours": 12},
        {"member": "Wang Fang", "week": "2026-10", "hours": 200},
        "eight hours",
    ]
    variables = {"i": {"opportunityId": deal.gid, "process": "2-6", "fields": {"entries": entries}}}
    refused_in_both_languages(
        deal.as_(deal.am),
        REQUEST,
        variables,
        "BAD_USER_INPUT",
        [
            ["input", "fields", "entries", "1", "week"],
            ["input", "fields", "entries", "1", "hours"],
            ["input", "fields", "entries", "2"],
        ],
    )


def test_a_timesheet_names_only_people_on_the_deal_team(api: Api, deal: Deal) -> None:
    presales_done(deal)
    entries = [
        {"member": "Wang Fang", "week": "2026-W10", "hours": 12},
        {"member": "Wang Fan", "week": "2026-W10", "hours": 8},
        {"member": "Chen Jie", "week": "2026-W10", "hours": 2},
    ]
    variables = {"i": {"opportunityId": deal.gid, "process": "2-6", "fields": {"entries": entries}}}
    messages = refused_in_both_languages(
        deal.as_(deal.am),
        REQUEST,
        variables,
        "BAD_USER_INPUT",
        [
            ["input", "fields", "entries", "1", "member"],
            ["input", "fields", "entries", "2", "member"],
        ],
    )
    team = "Li Wei, Wang Fang, Zhang Min"
    assert messages["en"] == [
        f'"Wang Fan" is not on the opportunity\'s team; name one of: {team}',
        f'"Chen Jie" is not on the opportunity\'s team; name one of: {team}',
    ]
    assert messages["zh"] == [
        "“Wang Fan”不是本商机团队成员；可填写：Li Wei、Wang Fang、Zhang Min",
        "“Chen Jie”不是本商机团队成员；可填写：Li Wei、Wang Fang、Zhang Min",
    ]
    # Names as people type them: case and runs of spaces do not matter.
    typed = [
        {"member": "  wang  FANG ", "week": "2026-W10", "hours": 12},
        {"member": "Li\u3000Wei", "week": "2026-W10", "hours": 4},
    ]
    assert deal.request("2-6", {"entries": typed})


def test_a_timesheet_stores_each_member_as_the_team_knows_them(api: Api, deal: Deal) -> None:
    presales_done(deal)
    typed = [
        {"member": "  wang  FANG ", "week": "2026-W10", "hours": 12},
        {"member": "Li\u3000Wei", "week": "2026-W10", "hours": 4},
    ]
    approval_id = deal.request("2-6", {"entries": typed})
    stored = deal.as_(deal.am).data(
        "query($id: ID!) { node(id: $id) { ... on Approval { request } } }", {"id": approval_id}
    )
    entries = json.loads(stored["node"]["request"])["entries"]
    assert [e["member"] for e in entries] == ["Wang Fang", "Li Wei"]
    # The same timesheet typed another way is the same request, still waiting for a decision.
    again = [{**e, "member": str(e["member"]).upper()} for e in typed]
    refused_in_both_languages(
        deal.as_(deal.am),
        REQUEST,
        {"i": {"opportunityId": deal.gid, "process": "2-6", "fields": {"entries": again}}},
        "CONFLICT",
        [["input", "process"]],
    )


# --- texts -----------------------------------------------------------------------------------


def test_gate_texts_name_fields_and_stages_by_their_labels(api: Api, deal: Deal) -> None:
    api.store.update(NodeKind.OPPORTUNITY, deal.id, {"budget": None})
    body = deal.as_(deal.am).body(
        ADVANCE,
        {"id": deal.gid, "i": {"toStage": "REQUIREMENTS"}},
        headers={"Accept-Language": "zh-CN"},
    )
    payload = body["data"]["opportunityAdvance"]
    by_path = {p["path"]: p for p in payload["problems"]}
    assert by_path["fields.compelling_event"]["messageZh"] == "商机立项：必填字段“紧迫事件”未填写"
    assert by_path["fields.budget"]["messageEn"] == (
        'Initiate opportunity: required field "Customer budget" is not filled'
    )
    for error in payload["userErrors"]:
        assert "_" not in error["message"], error
        assert "INITIATE" not in error["message"], error
