"""Stage gates: every missing field, action and approval reported at once; closing rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from tas_case import (
    ALL_GATE_APPROVALS,
    NOW,
    REVIEW,
    approval,
    approved,
    complete_snapshot,
    empty_snapshot,
)

from domain.chain import ChainSnapshot, PersonFacts
from domain.vocabulary import ApprovalState, Grade, Stage
from strategy.tas import (
    ApprovalRecord,
    Direction,
    GateFacts,
    Problem,
    check_gate,
    check_grade,
    cleared_required,
    is_gate_compliant,
    load_process,
)
from strategy.tas import gate_facts_from_snapshot as gate_facts_as_of

DEFINITION = load_process()


def gate_facts_from_snapshot(
    snapshot: ChainSnapshot,
    approvals: Iterable[ApprovalRecord] = (),
    **move: Any,
) -> GateFacts:
    """Gate facts at ``NOW`` with the delivery review of the fixture's quote."""
    return gate_facts_as_of(snapshot, approvals, now_ms=NOW, review=REVIEW, **move)


def _paths(problems: tuple[Problem, ...]) -> set[str]:
    return {p.path for p in problems}


def test_empty_deal_lists_every_missing_field_action_and_approval_at_once() -> None:
    facts = gate_facts_from_snapshot(empty_snapshot(Stage.VALIDATE))
    result = check_gate(DEFINITION, facts, Stage.INITIATE)
    assert not result.allowed
    assert result.direction == Direction.FORWARD
    assert _paths(result.problems) == {
        "fields.amount",
        "fields.expected_close_date",
        "actions.decision_maker_identified",
        "approvals.1-1",
        "approvals.1-2",
    }
    codes = {p.code for p in result.problems}
    assert codes == {"MISSING_FIELD", "MISSING_ACTION", "MISSING_APPROVAL"}
    for p in result.problems:
        assert p.zh
        assert p.en
        assert p.zh != p.en


def test_missing_field_alone_blocks() -> None:
    snap = complete_snapshot(Stage.VALIDATE)
    facts = gate_facts_from_snapshot(snap, approved("1-1", "1-2"))
    facts = replace(facts, fields={**facts.fields, "expected_close_date": "  "})
    result = check_gate(DEFINITION, facts, Stage.INITIATE)
    assert [(p.code, p.path) for p in result.problems] == [
        ("MISSING_FIELD", "fields.expected_close_date")
    ]


def test_missing_action_alone_blocks() -> None:
    snap = complete_snapshot(Stage.VALIDATE)
    snap = replace(snap, members=tuple(m for m in snap.members if m.person_id != "p-cio"))
    result = check_gate(
        DEFINITION, gate_facts_from_snapshot(snap, approved("1-1", "1-2")), Stage.INITIATE
    )
    assert [(p.code, p.path) for p in result.problems] == [
        ("MISSING_ACTION", "actions.decision_maker_identified")
    ]


def test_a_refusal_for_needs_names_whose_are_not_recorded() -> None:
    """ "Record the needs of every key person" says whose are missing: on a chain of twenty
    the team should not have to open each one to find the two."""
    snap = complete_snapshot(Stage.REQUIREMENTS)
    people = {"p-cio": "周建国", "p-arch": "Zhang Gong", "p-fin": "吴敏", "p-coach": "Coach"}
    unrecorded = {"p-cio", "p-fin"}
    snap = replace(
        snap,
        persons=tuple(PersonFacts(pid, name) for pid, name in people.items()),
        members=tuple(
            replace(m, needs=None if m.person_id in unrecorded else m.needs) for m in snap.members
        ),
    )
    facts = gate_facts_from_snapshot(snap, approved(*ALL_GATE_APPROVALS))
    (problem,) = [
        p
        for p in check_gate(DEFINITION, facts, Stage.PROPOSAL).problems
        if p.path == "actions.needs_recorded"
    ]
    assert problem.code == "MISSING_ACTION"
    assert problem.en.endswith(
        "Record the needs of every key person in the chain; still missing: 周建国, 吴敏"
    )
    assert problem.zh.endswith("记录决策链中每个关键人的需求，尚缺周建国、吴敏")
    # a long list names five and counts the rest
    many = tuple(PersonFacts(f"p{i}", f"Person {i}") for i in range(8))
    crowded = replace(
        snap,
        persons=many,
        members=tuple(replace(snap.members[0], person_id=p.id, needs=None) for p in many),
    )
    facts = gate_facts_from_snapshot(crowded, approved(*ALL_GATE_APPROVALS))
    (problem,) = [
        p
        for p in check_gate(DEFINITION, facts, Stage.PROPOSAL).problems
        if p.path == "actions.needs_recorded"
    ]
    assert problem.en.endswith(
        "still missing: Person 0, Person 1, Person 2, Person 3, Person 4, 3 more"
    )
    assert problem.zh.endswith("尚缺Person 0、Person 1、Person 2、Person 3、Person 4、另3人")


def test_missing_approval_alone_blocks_and_says_it_is_pending() -> None:
    snap = complete_snapshot(Stage.VALIDATE)
    records = (approval("1-1"), approval("1-2", ApprovalState.PENDING))
    result = check_gate(DEFINITION, gate_facts_from_snapshot(snap, records), Stage.INITIATE)
    assert [(p.code, p.path) for p in result.problems] == [("MISSING_APPROVAL", "approvals.1-2")]
    assert "pending" in result.problems[0].en
    assert "待审批" in result.problems[0].zh


def test_complete_deal_passes_and_a_rejected_approval_does_not_count() -> None:
    snap = complete_snapshot(Stage.VALIDATE)
    ok = check_gate(
        DEFINITION, gate_facts_from_snapshot(snap, approved("1-1", "1-2")), Stage.INITIATE
    )
    assert ok.allowed
    rejected = (approval("1-1"), approval("1-2", ApprovalState.REJECTED))
    assert not check_gate(
        DEFINITION, gate_facts_from_snapshot(snap, rejected), Stage.INITIATE
    ).allowed


def test_gate_is_cumulative_so_skipping_stages_does_not_dodge_requirements() -> None:
    facts = gate_facts_from_snapshot(empty_snapshot(Stage.VALIDATE))
    result = check_gate(DEFINITION, facts, Stage.BIDDING)
    paths = _paths(result.problems)
    assert {"approvals.1-1", "approvals.2-1", "approvals.3-1", "approvals.3-2"} <= paths
    assert "actions.delivery_review_recorded" in paths
    assert "approvals.6-1" not in paths  # bidding's own exit is for leaving bidding


def test_e_grade_needs_partner_registration_to_leave_initiation() -> None:
    snap = complete_snapshot(Stage.INITIATE)
    base = approved("1-1", "1-2", "2-1")
    facts = replace(gate_facts_from_snapshot(snap, base), grade=Grade.E)
    result = check_gate(DEFINITION, facts, Stage.REQUIREMENTS)
    assert _paths(result.problems) == {"approvals.2-2"}
    facts = replace(gate_facts_from_snapshot(snap, (*base, approval("2-2"))), grade=Grade.E)
    assert check_gate(DEFINITION, facts, Stage.REQUIREMENTS).allowed


def test_won_needs_the_sow_review() -> None:
    snap = complete_snapshot(Stage.NEGOTIATION)
    without = tuple(a for a in approved(*ALL_GATE_APPROVALS) if a.process_code != "7-1")
    result = check_gate(DEFINITION, gate_facts_from_snapshot(snap, without), Stage.WON)
    assert result.direction == Direction.WIN
    assert _paths(result.problems) == {"approvals.7-1"}
    full = gate_facts_from_snapshot(snap, approved(*ALL_GATE_APPROVALS))
    assert check_gate(DEFINITION, full, Stage.WON).allowed


def test_moving_back_needs_a_reason_only() -> None:
    facts = gate_facts_from_snapshot(empty_snapshot(Stage.BIDDING))
    result = check_gate(DEFINITION, facts, Stage.REQUIREMENTS)
    assert result.direction == Direction.BACKWARD
    assert [p.code for p in result.problems] == ["MISSING_REASON"]
    assert check_gate(
        DEFINITION, replace(facts, reason="customer re-scoped"), Stage.REQUIREMENTS
    ).allowed


def test_lost_needs_reason_and_a_known_competitor() -> None:
    facts = gate_facts_from_snapshot(complete_snapshot(Stage.BIDDING), lost_to_competitor=True)
    result = check_gate(DEFINITION, facts, Stage.LOST)
    assert {p.code for p in result.problems} == {"MISSING_REASON", "MISSING_COMPETITOR"}
    stranger = replace(facts, reason="price", lost_to_competitor_id="cmp-unknown")
    assert [p.code for p in check_gate(DEFINITION, stranger, Stage.LOST).problems] == [
        "UNKNOWN_COMPETITOR"
    ]
    ok = replace(facts, reason="price", lost_to_competitor_id="cmp-1")
    assert check_gate(DEFINITION, ok, Stage.LOST).allowed
    no_competitor = replace(facts, reason="project cancelled", lost_to_competitor=False)
    assert check_gate(DEFINITION, no_competitor, Stage.LOST).allowed


def test_abandon_needs_reason_and_can_be_reopened_with_requirements() -> None:
    facts = gate_facts_from_snapshot(empty_snapshot(Stage.INITIATE))
    assert [p.code for p in check_gate(DEFINITION, facts, Stage.ABANDONED).problems] == [
        "MISSING_REASON"
    ]
    abandoned = replace(facts, stage=Stage.ABANDONED, reason="budget frozen")
    reopen = check_gate(DEFINITION, abandoned, Stage.VALIDATE)
    assert reopen.direction == Direction.REOPEN
    assert reopen.allowed  # VALIDATE has no earlier stage
    assert "approvals.1-1" in _paths(check_gate(DEFINITION, abandoned, Stage.INITIATE).problems)
    no_reason = replace(abandoned, reason=None)
    assert [p.code for p in check_gate(DEFINITION, no_reason, Stage.VALIDATE).problems] == [
        "MISSING_REASON"
    ]


def test_won_and_lost_are_final() -> None:
    snap = complete_snapshot(Stage.WON)
    for closed in (Stage.WON, Stage.LOST):
        facts = replace(
            gate_facts_from_snapshot(snap, approved(*ALL_GATE_APPROVALS)),
            stage=closed,
            reason="customer came back",
        )
        result = check_gate(DEFINITION, facts, Stage.NEGOTIATION)
        assert [p.code for p in result.problems] == ["STAGE_CLOSED"]


def test_same_stage_is_refused() -> None:
    facts = GateFacts("opp-1", Stage.PROPOSAL, fields={})
    assert [p.code for p in check_gate(DEFINITION, facts, Stage.PROPOSAL).problems] == [
        "SAME_STAGE"
    ]


def test_compliance_of_current_stage() -> None:
    snap = complete_snapshot(Stage.REQUIREMENTS)
    assert is_gate_compliant(
        DEFINITION, gate_facts_from_snapshot(snap, approved("1-1", "1-2", "2-1"))
    )
    assert not is_gate_compliant(DEFINITION, gate_facts_from_snapshot(snap, approved("1-1")))


def test_grade_rules_e_and_upgrade() -> None:
    facts = gate_facts_from_snapshot(complete_snapshot(Stage.INITIATE))
    assert check_grade(DEFINITION, facts, Grade.A) == []  # CNY 8m meets A
    small = replace(facts, fields={**facts.fields, "amount": 50_000_000})
    assert [p.code for p in check_grade(DEFINITION, small, Grade.B)] == ["GRADE_CRITERIA_NOT_MET"]
    upgraded = replace(
        small,
        approvals=(
            *small.approvals,
            *gate_facts_from_snapshot(complete_snapshot(), approved("2-4")).approvals,
        ),
    )
    assert check_grade(DEFINITION, upgraded, Grade.B) == []
    assert [p.path for p in check_grade(DEFINITION, facts, Grade.E)] == ["approvals.2-2"]
    assert check_grade(DEFINITION, small, Grade.C) == []


def test_a_grade_its_amount_does_not_earn_needs_the_upgrade_to_leave_initiation() -> None:
    """Initiation commits resources by grade: an A below CNY 5m (the walkthrough's CNY 800,000)
    leaves it only with the opportunity upgrade (2-4) approved, and the gate says why; a C of
    the same amount, or the A once upgraded, passes; a deal already past is out of compliance."""
    snap = complete_snapshot(Stage.INITIATE)
    small = replace(snap, opportunity=replace(snap.opportunity, amount=80_000_000))
    facts = gate_facts_from_snapshot(small, approved("1-1", "1-2", "2-1"))
    result = check_gate(DEFINITION, facts, Stage.REQUIREMENTS)
    assert [(p.code, p.path) for p in result.problems] == [
        ("GRADE_CRITERIA_NOT_MET", "approvals.2-4")
    ]
    (problem,) = result.problems
    assert problem.en == (
        "Initiate opportunity: the amount is below grade A (Key deal: at least CNY 5m, budget "
        "confirmed, we are competitive): TAS+2-4 Opportunity upgrade must be approved "
        "(now: not requested)"
    )
    assert problem.zh.startswith("商机立项：金额未达到A类标准（重点商机：金额不低于 500 万元")
    upgraded = gate_facts_from_snapshot(small, approved("1-1", "1-2", "2-1", "2-4"))
    assert check_gate(DEFINITION, upgraded, Stage.REQUIREMENTS).allowed
    grade_c = replace(small, opportunity=replace(small.opportunity, grade=Grade.C))
    plain = gate_facts_from_snapshot(grade_c, approved("1-1", "1-2", "2-1"))
    assert check_gate(DEFINITION, plain, Stage.REQUIREMENTS).allowed
    # the gate it belongs to only: validating an A of CNY 800,000 is not held up by it
    early = replace(small, opportunity=replace(small.opportunity, stage=Stage.VALIDATE))
    assert check_gate(
        DEFINITION, gate_facts_from_snapshot(early, approved("1-1", "1-2")), Stage.INITIATE
    ).allowed
    later = complete_snapshot(Stage.PROPOSAL)
    later = replace(later, opportunity=replace(later.opportunity, amount=80_000_000))
    assert not is_gate_compliant(
        DEFINITION, gate_facts_from_snapshot(later, approved(*ALL_GATE_APPROVALS))
    )
    assert is_gate_compliant(
        DEFINITION, gate_facts_from_snapshot(later, approved(*ALL_GATE_APPROVALS, "2-4"))
    )


def test_a_field_a_passed_stage_requires_cannot_be_cleared() -> None:
    """The deal amount went through validation's gate; at value presentation clearing it would
    leave a deal past its gates with what they asked for gone. The current stage's own fields
    are still being filled in, a field given a value is no problem, and one still empty (an
    imported deal) is the gate's to ask for: saving the deal's other facts does not clear it."""
    at_value = Stage.VALUE_PRESENTATION
    filled = {"amount": 9, "budget": 9, "decision_process_known": True, "description": "x"}
    cleared = cleared_required(DEFINITION, at_value, filled, {"amount": None, "description": ""})
    (problem,) = cleared
    assert (problem.code, problem.path) == ("REQUIRED_PASSED", "amount")
    assert problem.en == (
        '"Deal amount" is required from Validate opportunity on, which the deal has passed: '
        "it cannot be cleared"
    )
    assert problem.zh == "“商机金额”自验证商机起为必填，本商机已过此阶段，不能清空"
    emptied = cleared_required(DEFINITION, at_value, filled, {"budget": 0, "amount": 9})
    assert [p.path for p in emptied] == ["budget"]
    assert cleared_required(DEFINITION, Stage.VALIDATE, filled, {"amount": None}) == []
    requirements = Stage.REQUIREMENTS
    assert (
        cleared_required(DEFINITION, requirements, filled, {"decision_process_known": None}) == []
    )
    never_given = cleared_required(DEFINITION, at_value, {"amount": 9}, {"budget": None})
    assert never_given == []
