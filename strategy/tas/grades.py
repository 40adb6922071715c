"""Grade assignment rules: E needs partner registration (2-2); A/B below the amount criterion
need the manual upgrade process (2-4) — the article's "strategically important" exception."""

from __future__ import annotations

from domain.vocabulary import LABELS, ApprovalState, Grade
from strategy.tas.definition import ProcessDefinition, StageDefinition
from strategy.tas.facts import GateFacts
from strategy.tas.problem_texts import problem_texts, process_name
from strategy.tas.problems import Problem


def meets_amount_criterion(definition: ProcessDefinition, facts: GateFacts, grade: Grade) -> bool:
    """True when the deal's amount reaches the grade's floor (other currencies never do)."""
    return _meets(definition, grade, facts.fields.get("amount"), facts.fields.get("currency"))


def _meets(definition: ProcessDefinition, grade: Grade, amount: object, currency: object) -> bool:
    criterion = definition.grades.criterion(grade)
    if criterion is None or criterion.min_amount is None:
        return True
    return (
        currency == definition.grades.currency
        and isinstance(amount, int)
        and amount >= criterion.min_amount
    )


def needs_upgrade(
    definition: ProcessDefinition,
    sd: StageDefinition,
    grade: Grade | None,
    amount: object,
    currency: object,
) -> bool:
    """Whether leaving ``sd`` needs the upgrade (2-4) approved: at ``grades.upgrade_at``, for a
    grade whose amount criterion the deal does not meet (an A below CNY 5m)."""
    return (
        grade is not None
        and sd.stage == definition.grades.upgrade_at
        and not _meets(definition, grade, amount, currency)
    )


def stage_approvals(
    definition: ProcessDefinition,
    sd: StageDefinition,
    grade: Grade | None,
    amount: object,
    currency: object,
) -> tuple[str, ...]:
    """What leaving ``sd`` needs approved for a deal of ``grade`` and amount: the stage's own
    approvals, the grade's (E: partner registration), and the upgrade where it is due."""
    codes = sd.exit.approvals_for(grade)
    if needs_upgrade(definition, sd, grade, amount, currency):
        codes += (definition.grades.upgrade_process,)
    return tuple(dict.fromkeys(codes))


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
