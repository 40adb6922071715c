"""Grade assignment rules: E needs partner registration (2-2); A/B below the amount criterion
need the manual upgrade process (2-4) — the article's "strategically important" exception."""

from __future__ import annotations

from domain.vocabulary import LABELS, ApprovalState, Grade
from strategy.tas.definition import ProcessDefinition
from strategy.tas.facts import GateFacts
from strategy.tas.problem_texts import problem_texts, process_name
from strategy.tas.problems import Problem


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
    texts = problem_texts()
    problems: list[Problem] = []
    criterion = definition.grades.criterion(grade)
    label = LABELS[grade]
    needed = criterion.approval if criterion is not None else None
    if needed is not None and facts.approval_state(needed) != ApprovalState.APPROVED:
        problems.append(
            texts.problem(
                "MISSING_APPROVAL",
                f"approvals.{needed}",
                "grade.missing_approval",
                grade=label,
                process=process_name(definition, needed),
            )
        )
    if not meets_amount_criterion(definition, facts, grade):
        upgrade = definition.grades.upgrade_process
        if facts.approval_state(upgrade) != ApprovalState.APPROVED:
            problems.append(
                texts.problem(
                    "GRADE_CRITERIA_NOT_MET",
                    f"approvals.{upgrade}",
                    "grade.criteria_not_met",
                    grade=label,
                    process=process_name(definition, upgrade),
                )
            )
    return problems
