"""Pipeline summary: counts and amounts by stage and grade, compliance, queues, violations."""

from __future__ import annotations

from tas_case import approval

from domain.vocabulary import ApprovalState, Grade, Stage, TeamRole
from strategy.tas import (
    Bucket,
    PipelineItem,
    RuleTally,
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


def test_open_violations_by_rule_say_how_many_were_answered_and_on_which_deals() -> None:
    def finding(rule: ViolationRule, deal: str, subject: str) -> ViolationFinding:
        return ViolationFinding(rule, deal, subject, "tm", "中", "en")

    gate = ViolationRule.STAGE_WITHOUT_APPROVAL
    findings = [
        finding(ViolationRule.OPPORTUNITY_IDLE, "o2", ""),
        finding(gate, "o1", "2-1"),
        finding(gate, "o2", "2-1"),
        finding(gate, "o1", "1-1"),
    ]
    answered = {findings[2].key, "STAGE_WITHOUT_APPROVAL:o9:2-1"}  # one of a deal not counted
    summary = pipeline_summary(DEFINITION, [], violations=findings, responded=answered)
    assert summary.rule_tallies == (
        RuleTally(gate, 3, 1, ("o1", "o2")),
        RuleTally(ViolationRule.OPPORTUNITY_IDLE, 1, 0, ("o2",)),
    )
    assert [(t.rule, t.count) for t in summary.rule_tallies] == list(summary.violations_by_rule)
    assert pipeline_summary(DEFINITION, []).rule_tallies == ()
