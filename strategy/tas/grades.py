"""Grade assignment rules: E needs partner registration (2-2); A/B below the amount criterion
need the manual upgrade process (2-4) — the article's "strategically important" exception."""

from __future__ import annotations

from domain.vocabulary import LABELS, ApprovalState, Grade
from strategy.tas.definition import ProcessDefinition
from strategy.tas.facts import GateFacts
from strategy.tas.problems import Problem


def _process_name(definition: ProcessDefinition, code: str) -> tuple[str, str]:
    process = definition.process(code)
    if process is None:
        return f"TAS+{code}", f"TAS+{code}"
    return f"TAS+{code} {process.name_zh}", f"TAS+{code} {process.name_en}"


def meets_amount_criterion(definition: ProcessDefinition, facts: GateFacts, grade: Grade) -> bool:
    """True when the deal's amount reaches the grade's floor (other currencies never do)."""
    criterion = definition.grades.criterion(grade)
    if criterion is None or criterion.min_amount is None:
        return True
    amount = facts.fields.get("amount")
    currency = facts.fields.get("currency")
    return (
        currency == definition.grades.currency
        and isinstance(amount, int)
        and amount >= criterion.min_amount
    )


def check_grade(definition: ProcessDefinition, facts: GateFacts, grade: Grade) -> list[Problem]:
    """Every reason the deal may not carry ``grade``."""
    problems: list[Problem] = []
    criterion = definition.grades.criterion(grade)
    label = LABELS[grade]
    needed = criterion.approval if criterion is not None else None
    if needed is not None and facts.approval_state(needed) != ApprovalState.APPROVED:
        zh, en = _process_name(definition, needed)
        problems.append(
            Problem(
                "MISSING_APPROVAL",
                f"approvals.{needed}",
                f"{label.zh}须先通过 {zh}",
                f"Grade {label.en} needs {en} approved",
            )
        )
    if not meets_amount_criterion(definition, facts, grade):
        upgrade = definition.grades.upgrade_process
        if facts.approval_state(upgrade) != ApprovalState.APPROVED:
            zh, en = _process_name(definition, upgrade)
            problems.append(
                Problem(
                    "GRADE_CRITERIA_NOT_MET",
                    f"approvals.{upgrade}",
                    f"金额未达到{label.zh}标准,须通过 {zh}",
                    f"The amount is below the grade {label.en} criterion; {en} must be approved",
                )
            )
    return problems
