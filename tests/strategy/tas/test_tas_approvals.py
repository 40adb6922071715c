"""Approvals: request validation, who may decide, and the recorded history."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

import pytest
from tas_case import AM, DIRECTOR, DM, T0, approval, approved

from domain.validation import years_after
from domain.vocabulary import ApprovalState, Stage, TeamRole
from strategy.tas import (
    ApprovalRecord,
    ApprovalRefused,
    Decision,
    Problem,
    can_decide,
    decide,
    load_process,
)
from strategy.tas import can_request as can_request_on
from strategy.tas import request as new_request
from strategy.tas.definition import ProcessDefinition

DEFINITION = load_process()
EVERYTHING_APPROVED = approved(*(p.code for p in DEFINITION.processes))
AM_ROLES = (TeamRole.ACCOUNT_MANAGER,)
DIRECTOR_ROLES = (TeamRole.SALES_DIRECTOR,)


def can_request(
    definition: ProcessDefinition,
    code: str,
    roles: tuple[TeamRole, ...],
    fields: Mapping[str, object],
) -> list[Problem]:
    """The request checks on a deal that has met every prerequisite of every process (and
    has not yet had ``code`` itself approved)."""
    others = tuple(a for a in EVERYTHING_APPROVED if a.process_code != code)
    return can_request_on(
        definition, code, roles, fields, stage=Stage.NEGOTIATION, approvals=others
    )


def _codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in problems]


def test_resource_request_validates_every_field_at_once() -> None:
    problems = can_request(
        DEFINITION,
        "2-3",
        AM_ROLES,
        {"hours": 0, "period_start": "2025-03-10", "period_end": "2025-03-01", "colour": "red"},
    )
    assert set(_codes(problems)) == {
        ("UNKNOWN_FIELD", "fields.colour"),
        ("MISSING_FIELD", "fields.resource_type"),
        ("INVALID_FIELD", "fields.hours"),
        ("INVALID_PERIOD", "fields.period_end"),
    }
    good = {
        "resource_type": "architect",
        "hours": 40,
        "period_start": "2025-03-01",
        "period_end": "2025-03-10",
    }
    assert can_request(DEFINITION, "2-3", AM_ROLES, good) == []


DEAL_TEAM = ("Li Wei", "Wang Fang", "Zhang Min")
"""The names of the deal's team: the people a timesheet may name."""


def timesheet_problems(*entries: object, team: tuple[str, ...] = DEAL_TEAM) -> list[Problem]:
    others = tuple(a for a in EVERYTHING_APPROVED if a.process_code != "2-6")
    return can_request_on(
        DEFINITION,
        "2-6",
        AM_ROLES,
        {"entries": list(entries)},
        stage=Stage.INITIATE,
        approvals=others,
        team=team,
    )


def test_timesheet_entries_are_checked() -> None:
    bad = ({"member": "Wang Fang", "week": "2025-07", "hours": -2}, "x")
    assert set(_codes(timesheet_problems(*bad))) == {
        ("INVALID_FIELD", "fields.entries[0].week"),
        ("INVALID_FIELD", "fields.entries[0].hours"),
        ("INVALID_FIELD", "fields.entries[1]"),
    }
    assert timesheet_problems({"member": "Wang Fang", "week": "2025-W07", "hours": 12.5}) == []


def test_a_timesheet_names_people_of_the_deal_team_as_they_are_typed() -> None:
    """Exact names, whatever the case, the spaces around and between (full-width too) or
    full-width letters; a name of no one on the team is refused, saying who may be named."""
    for typed in ("wang fang", "  WANG   Fang ", "Wang\u3000Fang", "Ｗａｎｇ Ｆａｎｇ"):
        assert timesheet_problems({"member": typed, "week": "2025-W07", "hours": 8}) == [], typed
    (problem,) = timesheet_problems(
        {"member": "Wang Fang", "week": "2025-W07", "hours": 8},
        {"member": " Wangfang ", "week": "2025-W07", "hours": 8},
    )
    assert (problem.code, problem.path) == ("MEMBER_NOT_ON_TEAM", "fields.entries[1].member")
    assert problem.en == '"Wangfang" is not on the opportunity\'s team; name one of: ' + (
        "Li Wei, Wang Fang, Zhang Min"
    )
    assert problem.zh == "“Wangfang”不是本商机团队成员；可填写：Li Wei、Wang Fang、Zhang Min"
    (alone,) = timesheet_problems({"member": "Wang Fang", "week": "2025-W07", "hours": 8}, team=())
    assert alone.code == "MEMBER_NOT_ON_TEAM"
    assert "no members yet" in alone.en
    assert "还没有成员" in alone.zh


def test_poc_request_needs_dates_in_order() -> None:
    problems = can_request(
        DEFINITION,
        "4-1",
        AM_ROLES,
        {"test_scope": "billing run", "start_date": "2025-13-01", "end_date": "2025-04-01"},
    )
    assert _codes(problems) == [("INVALID_FIELD", "fields.start_date")]


def test_request_needs_a_team_member_with_an_allowed_role() -> None:
    assert _codes(can_request(DEFINITION, "2-1", (), {})) == [("NOT_ON_TEAM", "requester")]
    assert _codes(can_request(DEFINITION, "2-1", (TeamRole.DELIVERY_MANAGER,), {})) == [
        ("ROLE_NOT_ALLOWED", "requester")
    ]
    assert can_request(DEFINITION, "2-1", AM_ROLES, {}) == []
    assert _codes(can_request(DEFINITION, "9-9", AM_ROLES, {})) == [
        ("UNKNOWN_PROCESS", "process_code")
    ]


def test_wrong_role_cannot_approve() -> None:
    pending = approval("2-1", ApprovalState.PENDING)
    problems = can_decide(DEFINITION, pending, DM, (TeamRole.DELIVERY_MANAGER,), Decision.APPROVE)
    assert _codes(problems) == [("ROLE_NOT_ALLOWED", "decider")]
    assert "销售总监" in problems[0].zh
    assert can_decide(DEFINITION, pending, DIRECTOR, DIRECTOR_ROLES, Decision.APPROVE) == []


def test_nobody_decides_their_own_request_even_with_the_role() -> None:
    pending = approval("2-1", ApprovalState.PENDING, requester=DIRECTOR)
    problems = can_decide(DEFINITION, pending, DIRECTOR, DIRECTOR_ROLES, Decision.APPROVE)
    assert _codes(problems) == [("SELF_APPROVAL", "decider")]


def test_only_pending_can_be_decided_and_only_requester_withdraws() -> None:
    done = approval("2-1", ApprovalState.APPROVED)
    assert _codes(can_decide(DEFINITION, done, DIRECTOR, DIRECTOR_ROLES, Decision.REJECT)) == [
        ("NOT_PENDING", "state")
    ]
    pending = approval("2-1", ApprovalState.PENDING)
    assert _codes(can_decide(DEFINITION, pending, DIRECTOR, DIRECTOR_ROLES, Decision.WITHDRAW)) == [
        ("NOT_REQUESTER", "decider")
    ]
    assert can_decide(DEFINITION, pending, AM, AM_ROLES, Decision.WITHDRAW) == []


def _initiation_requested() -> ApprovalRecord:
    """The account manager's request of 2-1 (opportunity initiation), once 1-1 and 1-2 are
    approved: pending."""
    return new_request(
        DEFINITION,
        approval_id="apr-1",
        process_code="2-1",
        opportunity_id="opp-1",
        requester_id=AM,
        requester_roles=AM_ROLES,
        request_fields={},
        stage=Stage.INITIATE,
        approvals=approved("1-1", "1-2"),
        at=T0,
    )


def test_request_and_decide_record_history() -> None:
    record = _initiation_requested()
    assert record.state == ApprovalState.PENDING
    decided = decide(
        DEFINITION, record, DIRECTOR, DIRECTOR_ROLES, Decision.APPROVE, T0 + 5, "real and winnable"
    )
    assert decided.state == ApprovalState.APPROVED
    assert [(t.from_state, t.to_state, t.actor_id) for t in decided.history] == [
        (None, ApprovalState.PENDING, AM),
        (ApprovalState.PENDING, ApprovalState.APPROVED, DIRECTOR),
    ]
    assert decided.decision is not None
    assert decided.decision.actor_roles == DIRECTOR_ROLES
    assert record.state == ApprovalState.PENDING  # records are immutable
    with pytest.raises(ApprovalRefused) as caught:
        decide(DEFINITION, decided, DIRECTOR, DIRECTOR_ROLES, Decision.REJECT, T0 + 6)
    assert [p.code for p in caught.value.problems] == ["NOT_PENDING"]
    with pytest.raises(ApprovalRefused):
        new_request(
            DEFINITION,
            approval_id="apr-2",
            process_code="2-3",
            opportunity_id="opp-1",
            requester_id=AM,
            requester_roles=AM_ROLES,
            request_fields={},
            stage=Stage.INITIATE,
            approvals=approved("1-1", "1-2", "2-1"),
            at=T0,
        )


def test_the_same_request_waiting_for_a_decision_is_not_made_twice() -> None:
    """A second identical request (a double submit) would queue twice for the approver; a
    request of the same process with other fields (a second resource) is a request of its
    own, and so is asking again after a rejection."""
    resource = {
        "resource_type": "architect",
        "hours": 40,
        "period_start": "2025-03-01",
        "period_end": "2025-03-31",
    }
    waiting = dataclasses.replace(approval("2-3", ApprovalState.PENDING), fields=resource)
    on_deal = (*EVERYTHING_APPROVED, waiting)

    def problems(
        code: str, fields: Mapping[str, object], approvals: tuple[ApprovalRecord, ...]
    ) -> list[tuple[str, str]]:
        return _codes(
            can_request_on(
                DEFINITION, code, AM_ROLES, fields, stage=Stage.NEGOTIATION, approvals=approvals
            )
        )

    twice = problems("2-3", resource, on_deal)
    assert twice == [("ALREADY_PENDING", "process_code")]
    assert problems("2-3", {**resource, "resource_type": "tester"}, on_deal) == []
    rejected = (*EVERYTHING_APPROVED, dataclasses.replace(waiting, state=ApprovalState.REJECTED))
    assert problems("2-3", resource, rejected) == []
    (message,) = new_refusal_texts("2-3", resource, on_deal)
    assert message == (
        "同样的 TAS+2-3 售前资源申请流程已在等待审批",
        "TAS+2-3 Presales resource request: the same request is already waiting for a decision",
    )


def test_the_same_request_already_approved_is_not_asked_again() -> None:
    """Asking again for what was granted would queue a decision already made; the refusal
    says who granted it and when, by name (a decider the caller cannot name is "a team
    member", never an id)."""
    granted = approval("1-1", ApprovalState.APPROVED)  # by the director a day after T0
    problems = can_request_on(
        DEFINITION,
        "1-1",
        AM_ROLES,
        {},
        stage=Stage.VALIDATE,
        approvals=(granted,),
        names={DIRECTOR: "Chen Jie"},
    )
    assert [(p.code, p.path, p.zh, p.en) for p in problems] == [
        (
            "ALREADY_APPROVED",
            "process_code",
            "同样的 TAS+1-1 创建商机流程已由Chen Jie于2025-01-02 00:00 UTC批准",
            "TAS+1-1 Create opportunity: the same request was already approved by Chen Jie "
            "on 2025-01-02 00:00 UTC",
        )
    ]
    (unnamed,) = can_request_on(
        DEFINITION, "1-1", AM_ROLES, {}, stage=Stage.VALIDATE, approvals=(granted,)
    )
    assert "a team member" in unnamed.en
    assert DIRECTOR not in unnamed.en + unnamed.zh
    for state in (ApprovalState.REJECTED, ApprovalState.WITHDRAWN):
        refused = approval("1-1", state)
        assert (
            can_request_on(
                DEFINITION, "1-1", AM_ROLES, {}, stage=Stage.VALIDATE, approvals=(refused,)
            )
            == []
        )


def new_refusal_texts(
    code: str, fields: Mapping[str, object], approvals: tuple[ApprovalRecord, ...]
) -> list[tuple[str, str]]:
    found = can_request_on(
        DEFINITION, code, AM_ROLES, fields, stage=Stage.NEGOTIATION, approvals=approvals
    )
    return [(p.zh, p.en) for p in found]


def test_hours_that_are_not_a_number_are_told_so() -> None:
    for hours in ("abc", 0, -2):
        (problem,) = [
            p
            for p in can_request(DEFINITION, "2-3", AM_ROLES, {"hours": hours})
            if p.path == "fields.hours"
        ]
        assert (problem.en, problem.zh) == (
            "Hours must be a number greater than 0",
            "工时须为大于 0 的数字",
        )


def test_a_rejection_says_why() -> None:
    """ "Rejected" alone tells the requester nothing: a rejection needs its reason, on the
    comment; an approval or a withdrawal may go without one."""
    record = _initiation_requested()
    for blank in ("", "   "):
        with pytest.raises(ApprovalRefused) as caught:
            decide(DEFINITION, record, DIRECTOR, DIRECTOR_ROLES, Decision.REJECT, T0 + 1, blank)
        (problem,) = caught.value.problems
        assert (problem.code, problem.path) == ("REASON_NEEDED", "comment")
        assert problem.en == "Say why it is rejected, so that the requester can put it right"
        assert problem.zh == "驳回时请写明理由，以便申请人改正"
    why = "Budget not confirmed by finance"
    rejected = decide(DEFINITION, record, DIRECTOR, DIRECTOR_ROLES, Decision.REJECT, T0 + 1, why)
    assert rejected.state == ApprovalState.REJECTED
    assert decide(DEFINITION, record, DIRECTOR, DIRECTOR_ROLES, Decision.APPROVE, T0 + 1).state == (
        ApprovalState.APPROVED
    )


def test_a_period_asked_on_29_february_is_checked_against_28_february_five_years_on() -> None:
    """On a leap day the year five years on has no 29 February: the check does not fail, it
    reads the 28th, as the close-date check does."""
    assert years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)
    fields = {
        "resource_type": "architect",
        "hours": 40,
        "period_start": "2028-03-01",
        "period_end": "2033-03-01",
    }
    problems = can_request_on(
        DEFINITION,
        "2-3",
        {TeamRole.ACCOUNT_MANAGER},
        fields,
        stage=Stage.INITIATE,
        approvals=(),
        today=date(2028, 2, 29),
    )
    assert [p.path for p in problems if p.code == "INVALID_FIELD"] == ["fields.period_end"]
