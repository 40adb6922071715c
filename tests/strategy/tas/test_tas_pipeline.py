"""Pipeline summary: counts and amounts by stage and grade, compliance, queues, violations."""

from __future__ import annotations

from tas_case import approval

from domain.vocabulary import ApprovalState, Grade, Stage, TeamRole
from strategy.tas import (
    Bucket,
    PipelineItem,
    ViolationFinding,
    ViolationRule,
    load_process,
    pipeline_summary,
)

DEFINITION = load_process()


def test_summary_groups_by_stage_grade_and_currency() -> None:
    items = [
        PipelineItem("o1", Stage.PROPOSAL, Grade.A, 100, "CNY", True),
        PipelineItem("o2", Stage.PROPOSAL, Grade.B, 50, "CNY", False),
        PipelineItem("o3", Stage.PROPOSAL, Grade.A, 7, "USD", True),
        PipelineItem("o4", Stage.VALIDATE, Grade.C, 10, "CNY", True),
    ]
    pending = [
        approval("6-1", ApprovalState.PENDING, approval_id="a1"),
        approval("2-1", ApprovalState.PENDING, approval_id="a2"),
        approval("2-1", ApprovalState.APPROVED, approval_id="a3"),
    ]
    violation = ViolationFinding(ViolationRule.SELF_APPROVAL, "o1", "a9", "tm", "自批", "self")
    summary = pipeline_summary(DEFINITION, items, pending, [violation, violation])
    assert summary.by_stage == (
        (Stage.VALIDATE, Bucket(1, (("CNY", 10),))),
        (Stage.PROPOSAL, Bucket(3, (("CNY", 150), ("USD", 7)))),
    )
    assert summary.by_grade == (
        (Grade.A, Bucket(2, (("CNY", 100), ("USD", 7)))),
        (Grade.B, Bucket(1, (("CNY", 50),))),
        (Grade.C, Bucket(1, (("CNY", 10),))),
    )
    assert summary.compliance_rate == 0.75
    assert dict(summary.pending_by_role) == {
        TeamRole.DELIVERY_MANAGER: 1,
        TeamRole.LEAD_EXPERT: 1,
        TeamRole.SALES_DIRECTOR: 1,
    }
    assert summary.violations_by_rule == ((ViolationRule.SELF_APPROVAL, 2),)


def test_empty_pipeline_has_no_rate() -> None:
    summary = pipeline_summary(DEFINITION, [])
    assert summary.total == 0
    assert summary.compliance_rate is None
