"""Stage gates: may this opportunity move to that stage, and if not, everything that is missing.

Semantics: each open stage lists ``exit`` requirements (fields, actions, approvals). Entering
an open stage — or closing as WON — requires the exit requirements of *every* stage before it,
so a skipped stage or an imported deal cannot dodge a gate. Moving back needs a reason only.
LOST needs a reason (and, if lost to a competitor, one of the deal's competitors); ABANDONED
needs a reason. WON and LOST are final; stages listed in ``reopenable`` (ABANDONED by default)
may be reopened with a reason into an open stage whose requirements are then checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from domain.text import Text
from domain.vocabulary import CLOSED_STAGES, ENDED_STAGES, LABELS, ApprovalState, Grade, Stage
from strategy.tas.actions import ACTIONS
from strategy.tas.definition import ProcessDefinition, StageDefinition
from strategy.tas.facts import GateFacts
from strategy.tas.grades import needs_upgrade, stage_approvals
from strategy.tas.problem_texts import Words, in_sentence, listed, problem_texts, state_words
from strategy.tas.problems import Problem


class Direction(StrEnum):
    """Kind of stage move, which decides the rules that apply."""

    STAY = "STAY"
    FORWARD = "FORWARD"
    BACKWARD = "BACKWARD"
    WIN = "WIN"
    LOSE = "LOSE"
    ABANDON = "ABANDON"
    REOPEN = "REOPEN"


@dataclass(frozen=True, slots=True)
class GateResult:
    """Outcome of a gate check; ``problems`` lists every missing item at once."""

    from_stage: Stage
    to_stage: Stage
    direction: Direction
    problems: tuple[Problem, ...]

    @property
    def allowed(self) -> bool:
        """True when nothing is missing."""
        return not self.problems


def is_filled(value: object) -> bool:
    """A required field counts as filled unless None, False, zero, blank text or empty."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, list | tuple | set | frozenset | Mapping):
        return bool(value)
    return True


def cleared_required(
    definition: ProcessDefinition,
    stage: Stage,
    current: Mapping[str, object],
    changes: Mapping[str, object],
) -> list[Problem]:
    """A field a stage the deal has passed requires, filled in ``current`` and emptied by
    ``changes``: refused on the field (its path is its own name). The gate checked it on the
    way in; clearing it after would leave a deal past its gates with what they asked for gone.
    One still empty (a deal imported without it) is the gate's to ask for, not a save's."""
    texts = problem_texts()
    problems: list[Problem] = []
    for sd in definition.stages_before(stage):
        stage_text = Text(en=sd.name_en, zh=sd.name_zh)
        for name in sd.exit.fields:
            if name in changes and not is_filled(changes[name]) and is_filled(current.get(name)):
                field_zh, field_en = definition.field_label(name)
                # a yes/no field is never empty: it is answered "no", which the gate took as yes
                said = "gate.field_set_no" if changes[name] is False else "gate.cleared_field"
                problems.append(
                    texts.problem(
                        "REQUIRED_PASSED",
                        name,
                        said,
                        stage=stage_text,
                        field=Text(en=field_en, zh=field_zh),
                    )
                )
    return problems


DECIDED_EDITABLE: Final = frozenset({"name", "description"})
"""What a decided deal's team may still change: a misspelt name, the notes."""


def decided_kept(
    stage: Stage, current: Mapping[str, object], changes: Mapping[str, object]
) -> list[Problem]:
    """A change to a deal won, lost or abandoned, refused on each field it would rewrite. Its
    amount, quote, grade and dates are what was decided: rewritten after the fact they would
    rewrite the win rate, the pipeline's record and the review of why it was won or lost. An
    abandoned deal is reopened first; an administrator may still correct the record."""
    if stage not in CLOSED_STAGES:
        return []
    words = {"stage": in_sentence(LABELS[stage])}
    texts = problem_texts()
    return [
        texts.problem("STAGE_CLOSED", name, "deal.decided_kept", **words)
        for name, value in changes.items()
        if name not in DECIDED_EDITABLE and value != current.get(name)
    ]


def _missing_in(
    sd: StageDefinition, facts: GateFacts, definition: ProcessDefinition
) -> list[Problem]:
    texts = problem_texts()
    stage = Text(en=sd.name_en, zh=sd.name_zh)
    problems: list[Problem] = []
    for name in sd.exit.fields:
        value = facts.fields.get(name)
        if not is_filled(value):
            field_zh, field_en = definition.field_label(name)
            field = Text(en=field_en, zh=field_zh)
            # a yes/no field the page shows as "no" is answered, not empty: it has to be "yes"
            said = "gate.field_not_yes" if value is False else "gate.missing_field"
            problems.append(
                texts.problem(
                    "MISSING_FIELD",
                    f"fields.{name}",
                    said,
                    stage=stage,
                    field=field,
                )
            )
    for name in sd.exit.actions:
        if name not in facts.actions:
            action = ACTIONS[name].label
            gaps = facts.gaps.get(name)
            words: dict[str, Words] = {"stage": stage, "action": action}
            if gaps:
                words["missing"] = listed(gaps)
            problems.append(
                texts.problem(
                    "MISSING_ACTION",
                    f"actions.{name}",
                    "gate.missing_action_parts" if gaps else "gate.missing_action",
                    **words,
                )
            )
    amount, currency = facts.fields.get("amount"), facts.fields.get("currency")
    upgrade = needs_upgrade(definition, sd, facts.grade, amount, currency)
    for code in stage_approvals(definition, sd, facts.grade, amount, currency):
        state = facts.approval_state(code)
        if state == ApprovalState.APPROVED:
            continue
        process = definition.process(code)
        process_name = Text(en=process.name_en, zh=process.name_zh) if process else code
        approval: dict[str, Words] = {
            "stage": stage,
            "code": code,
            "name": process_name,
            "state": state_words(state),
        }
        if upgrade and code == definition.grades.upgrade_process and facts.grade is not None:
            problems.append(
                texts.problem(
                    "GRADE_CRITERIA_NOT_MET",
                    f"approvals.{code}",
                    "gate.grade_upgrade",
                    grade=LABELS[facts.grade],
                    criterion=_criterion_text(definition, facts.grade),
                    **approval,
                )
            )
            continue
        problems.append(
            texts.problem(
                "MISSING_APPROVAL", f"approvals.{code}", "gate.missing_approval", **approval
            )
        )
    return problems


def _criterion_text(definition: ProcessDefinition, grade: Grade) -> Text:
    """What a grade means, as the process file says it."""
    criterion = definition.grades.criterion(grade)
    if criterion is None:
        return LABELS[grade]
    return Text(en=criterion.description_en, zh=criterion.description_zh)


def missing_requirements(
    definition: ProcessDefinition, facts: GateFacts, to_stage: Stage
) -> list[Problem]:
    """Every field, action and approval missing to be in ``to_stage`` (cumulative exits)."""
    problems: list[Problem] = []
    for sd in definition.stages_before(to_stage):
        problems.extend(_missing_in(sd, facts, definition))
    return problems


def is_gate_compliant(definition: ProcessDefinition, facts: GateFacts) -> bool:
    """True when the deal meets every requirement of being in its current stage."""
    if facts.stage in ENDED_STAGES:
        return True
    return not missing_requirements(definition, facts, facts.stage)


def _order(definition: ProcessDefinition, stage: Stage) -> int:
    sd = definition.stage(stage)
    return sd.order if sd else 0


def _direction(definition: ProcessDefinition, current: Stage, target: Stage) -> Direction:
    if target == current:
        return Direction.STAY
    if current in CLOSED_STAGES:
        return Direction.REOPEN
    closing = {
        Stage.WON: Direction.WIN,
        Stage.LOST: Direction.LOSE,
        Stage.ABANDONED: Direction.ABANDON,
    }
    if target in closing:
        return closing[target]
    if _order(definition, target) > _order(definition, current):
        return Direction.FORWARD
    return Direction.BACKWARD


def _need_reason(facts: GateFacts, key: str) -> list[Problem]:
    if facts.reason and facts.reason.strip():
        return []
    return [problem_texts().problem("MISSING_REASON", "reason", key)]


def _lost_problems(facts: GateFacts) -> list[Problem]:
    texts = problem_texts()
    problems = _need_reason(facts, "gate.lost_without_reason")
    competitor = facts.lost_to_competitor_id
    if facts.lost_to_competitor and competitor is None:
        problems.append(
            texts.problem("MISSING_COMPETITOR", "lost_to_competitor_id", "gate.missing_competitor")
        )
    if competitor is not None and competitor not in facts.competitor_ids:
        problems.append(
            texts.problem("UNKNOWN_COMPETITOR", "lost_to_competitor_id", "gate.unknown_competitor")
        )
    return problems


def check_gate(definition: ProcessDefinition, facts: GateFacts, to_stage: Stage) -> GateResult:
    """Judge moving ``facts.stage`` → ``to_stage``; see the module docstring for the rules."""
    texts = problem_texts()
    current = facts.stage
    direction = _direction(definition, current, to_stage)
    problems: list[Problem] = []
    if to_stage not in CLOSED_STAGES and definition.stage(to_stage) is None:
        problems.append(
            texts.problem("UNKNOWN_STAGE", "to_stage", "gate.unknown_stage", stage=LABELS[to_stage])
        )
        return GateResult(current, to_stage, direction, tuple(problems))
    match direction:
        case Direction.STAY:
            problems.append(texts.problem("SAME_STAGE", "to_stage", "gate.same_stage"))
        case Direction.FORWARD | Direction.WIN:
            problems.extend(missing_requirements(definition, facts, to_stage))
        case Direction.BACKWARD:
            problems.extend(_need_reason(facts, "gate.back_without_reason"))
        case Direction.LOSE:
            problems.extend(_lost_problems(facts))
        case Direction.ABANDON:
            problems.extend(_need_reason(facts, "gate.abandoned_without_reason"))
        case Direction.REOPEN:
            if current not in definition.reopenable or to_stage in CLOSED_STAGES:
                state = in_sentence(LABELS[current])
                problems.append(
                    texts.problem("STAGE_CLOSED", "stage", "gate.stage_closed", state=state)
                )
            else:
                problems.extend(_need_reason(facts, "gate.reopened_without_reason"))
                problems.extend(missing_requirements(definition, facts, to_stage))
    return GateResult(current, to_stage, direction, tuple(problems))
