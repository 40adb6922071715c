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

from domain.vocabulary import CLOSED_STAGES, LABELS, ApprovalState, Stage
from strategy.tas.actions import ACTIONS
from strategy.tas.definition import ProcessDefinition, StageDefinition
from strategy.tas.facts import GateFacts
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


def _stage_label(sd: StageDefinition) -> tuple[str, str]:
    return sd.name_zh, sd.name_en


def _missing_in(
    sd: StageDefinition, facts: GateFacts, definition: ProcessDefinition
) -> list[Problem]:
    zh_stage, en_stage = _stage_label(sd)
    problems: list[Problem] = []
    for name in sd.exit.fields:
        if not is_filled(facts.fields.get(name)):
            field_zh, field_en = definition.field_label(name)
            problems.append(
                Problem(
                    "MISSING_FIELD",
                    f"fields.{name}",
                    f"{zh_stage}:必填字段“{field_zh}”未填写",
                    f'{en_stage}: required field "{field_en}" is not filled',
                )
            )
    for name in sd.exit.actions:
        if name not in facts.actions:
            action = ACTIONS[name]
            problems.append(
                Problem(
                    "MISSING_ACTION",
                    f"actions.{name}",
                    f"{zh_stage}:必做事项未完成:{action.zh}",
                    f"{en_stage}: required action not done: {action.en}",
                )
            )
    for code in sd.exit.approvals_for(facts.grade):
        state = facts.approval_state(code)
        if state == ApprovalState.APPROVED:
            continue
        process = definition.process(code)
        name_zh = process.name_zh if process else code
        name_en = process.name_en if process else code
        if state is None:
            zh_state, en_state = "尚未发起", "not requested"
        else:
            zh_state, en_state = LABELS[state].zh, LABELS[state].en.lower()
        problems.append(
            Problem(
                "MISSING_APPROVAL",
                f"approvals.{code}",
                f"{zh_stage}:须通过 TAS+{code} {name_zh}(当前:{zh_state})",
                f"{en_stage}: TAS+{code} {name_en} must be approved (now: {en_state})",
            )
        )
    return problems


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
    if facts.stage in (Stage.LOST, Stage.ABANDONED):
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


def _need_reason(facts: GateFacts, zh: str, en: str) -> list[Problem]:
    if facts.reason and facts.reason.strip():
        return []
    return [Problem("MISSING_REASON", "reason", zh, en)]


def _lost_problems(facts: GateFacts) -> list[Problem]:
    problems = _need_reason(facts, "丢单须填写原因", "Closing as lost needs a reason")
    competitor = facts.lost_to_competitor_id
    if facts.lost_to_competitor and competitor is None:
        problems.append(
            Problem(
                "MISSING_COMPETITOR",
                "lost_to_competitor_id",
                "丢单给竞争对手时须指明是哪一家",
                "Say which competitor the deal was lost to",
            )
        )
    if competitor is not None and competitor not in facts.competitor_ids:
        problems.append(
            Problem(
                "UNKNOWN_COMPETITOR",
                "lost_to_competitor_id",
                "该竞争对手不在本商机的竞争对手列表中",
                "That competitor is not among this opportunity's competitors",
            )
        )
    return problems


def check_gate(definition: ProcessDefinition, facts: GateFacts, to_stage: Stage) -> GateResult:
    """Judge moving ``facts.stage`` → ``to_stage``; see the module docstring for the rules."""
    current = facts.stage
    direction = _direction(definition, current, to_stage)
    problems: list[Problem] = []
    if to_stage not in CLOSED_STAGES and definition.stage(to_stage) is None:
        problems.append(
            Problem(
                "UNKNOWN_STAGE",
                "to_stage",
                f"流程定义中没有阶段“{LABELS[to_stage].zh}”",
                f'The process has no stage "{LABELS[to_stage].en}"',
            )
        )
        return GateResult(current, to_stage, direction, tuple(problems))
    match direction:
        case Direction.STAY:
            problems.append(
                Problem(
                    "SAME_STAGE",
                    "to_stage",
                    "商机已处于该阶段",
                    "The opportunity is already in that stage",
                )
            )
        case Direction.FORWARD | Direction.WIN:
            problems.extend(missing_requirements(definition, facts, to_stage))
        case Direction.BACKWARD:
            problems.extend(
                _need_reason(facts, "阶段回退须填写原因", "Moving back a stage needs a reason")
            )
        case Direction.LOSE:
            problems.extend(_lost_problems(facts))
        case Direction.ABANDON:
            problems.extend(_need_reason(facts, "放弃商机须填写原因", "Abandoning needs a reason"))
        case Direction.REOPEN:
            if current not in definition.reopenable or to_stage in CLOSED_STAGES:
                label = LABELS[current]
                problems.append(
                    Problem(
                        "STAGE_CLOSED",
                        "stage",
                        f"商机已{label.zh},不能再变更阶段",
                        f"The opportunity is {label.en.lower()}; its stage can no longer change",
                    )
                )
            else:
                problems.extend(
                    _need_reason(facts, "重新打开商机须填写原因", "Reopening needs a reason")
                )
                problems.extend(missing_requirements(definition, facts, to_stage))
    return GateResult(current, to_stage, direction, tuple(problems))
