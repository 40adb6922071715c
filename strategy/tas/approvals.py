"""Approvals of TAS+ processes as a pure state machine: request validation, who may decide,
and immutable records with their transition history.

PENDING → APPROVED | REJECTED (by an approver of the process, never the requester) and
PENDING → WITHDRAWN (by the requester only). Decided approvals are final.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Final

from domain.vocabulary import LABELS, ApprovalState, Stage, TeamRole
from strategy.tas.definition import ApprovalProcess, FieldType, ProcessDefinition, RequestField
from strategy.tas.problems import Problem

_WEEK: Final = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")


class Decision(StrEnum):
    """What someone does to a pending approval."""

    APPROVE = "APPROVE"
    REJECT = "REJECT"
    WITHDRAW = "WITHDRAW"


_TARGET: Final[dict[Decision, ApprovalState]] = {
    Decision.APPROVE: ApprovalState.APPROVED,
    Decision.REJECT: ApprovalState.REJECTED,
    Decision.WITHDRAW: ApprovalState.WITHDRAWN,
}


@dataclass(frozen=True, slots=True)
class Transition:
    """One state change, with the actor's team roles at that moment (kept for audits)."""

    from_state: ApprovalState | None
    to_state: ApprovalState
    actor_id: str
    actor_roles: tuple[TeamRole, ...]
    at: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """An approval of one process on one opportunity; ``history`` starts with the request."""

    id: str
    process_code: str
    opportunity_id: str
    requester_id: str
    state: ApprovalState
    fields: Mapping[str, object]
    history: tuple[Transition, ...]

    @property
    def decision(self) -> Transition | None:
        """The transition that approved or rejected it, if any."""
        return next(
            (
                t
                for t in reversed(self.history)
                if t.to_state in (ApprovalState.APPROVED, ApprovalState.REJECTED)
            ),
            None,
        )


class ApprovalRefused(ValueError):  # noqa: N818 - reads as the domain event
    """Raised by ``request``/``decide`` with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.en for p in problems))
        self.problems = problems


def _p(code: str, path: str, zh: str, en: str) -> Problem:
    return Problem(code, path, zh, en)


def _parse_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_timesheet(name: str, value: object) -> list[Problem]:
    if not isinstance(value, list | tuple) or not value:
        return [
            _p(
                "INVALID_FIELD",
                f"fields.{name}",
                "工时记录须为非空列表",
                "Timesheet entries must be a non-empty list",
            )
        ]
    problems: list[Problem] = []
    for i, entry in enumerate(value):
        path = f"fields.{name}[{i}]"
        if not isinstance(entry, Mapping):
            problems.append(
                _p(
                    "INVALID_FIELD",
                    path,
                    "每条工时记录须写明人员、周次和工时",
                    "A timesheet entry needs the person, the week and the hours",
                )
            )
            continue
        member = entry.get("member")
        if not isinstance(member, str) or not member.strip():
            problems.append(
                _p(
                    "INVALID_FIELD",
                    f"{path}.member",
                    "工时记录缺少人员",
                    "A timesheet entry names no person",
                )
            )
        week = entry.get("week")
        if not isinstance(week, str) or not _WEEK.match(week):
            problems.append(
                _p(
                    "INVALID_FIELD",
                    f"{path}.week",
                    "周次格式应为 2025-W07",
                    "Week must look like 2025-W07",
                )
            )
        hours = entry.get("hours")
        if not _is_number(hours) or not 0 < float(hours) <= 168:  # type: ignore[arg-type]
            problems.append(
                _p(
                    "INVALID_FIELD",
                    f"{path}.hours",
                    "工时须大于 0 且不超过 168",
                    "Hours must be above 0 and at most 168",
                )
            )
    return problems


def _check_value(f: RequestField, value: object) -> list[Problem]:
    path = f"fields.{f.name}"
    label_zh, label_en = f.label_zh or f.name, f.label_en or f.name
    match f.type:
        case FieldType.TEXT:
            ok = isinstance(value, str) and bool(value.strip())
            zh, en = f"{label_zh}须为非空文本", f"{label_en} must be non-empty text"
        case FieldType.INT:
            ok = isinstance(value, int) and not isinstance(value, bool)
            zh, en = f"{label_zh}须为整数", f"{label_en} must be an integer"
        case FieldType.HOURS:
            ok = _is_number(value) and float(value) > 0  # type: ignore[arg-type]
            zh, en = f"{label_zh}须大于 0", f"{label_en} must be greater than 0"
        case FieldType.DATE:
            ok = _parse_date(value) is not None
            zh, en = f"{label_zh}须为日期 YYYY-MM-DD", f"{label_en} must be a date YYYY-MM-DD"
        case FieldType.TIMESHEET:
            return _check_timesheet(f.name, value)
    return [] if ok else [_p("INVALID_FIELD", path, zh, en)]


def _check_fields(specs: tuple[RequestField, ...], values: Mapping[str, object]) -> list[Problem]:
    problems: list[Problem] = []
    known = {f.name for f in specs}
    for name in sorted(set(values) - known):
        problems.append(
            _p(
                "UNKNOWN_FIELD",
                f"fields.{name}",
                f"该流程没有字段 {name}",
                f"The process has no field {name}",
            )
        )
    for f in specs:
        value = values.get(f.name)
        if value is None or value == "":
            if f.required:
                problems.append(
                    _p(
                        "MISSING_FIELD",
                        f"fields.{f.name}",
                        f"必填字段未填写:{f.label_zh or f.name}",
                        f"Required field missing: {f.label_en or f.name}",
                    )
                )
            continue
        problems.extend(_check_value(f, value))
    for f in specs:
        if f.not_before is None:
            continue
        end, start = _parse_date(values.get(f.name)), _parse_date(values.get(f.not_before))
        if end is not None and start is not None and end < start:
            other = next(o for o in specs if o.name == f.not_before)
            problems.append(
                _p(
                    "INVALID_PERIOD",
                    f"fields.{f.name}",
                    f"{f.label_zh or f.name}不能早于{other.label_zh or other.name}",
                    f"{f.label_en or f.name} must not be before {other.label_en or other.name}",
                )
            )
    return problems


_BEST_FIRST: Final = (
    ApprovalState.APPROVED,
    ApprovalState.PENDING,
    ApprovalState.REJECTED,
    ApprovalState.WITHDRAWN,
)


def best_state(approvals: Iterable[ApprovalRecord], code: str) -> ApprovalState | None:
    """The furthest state reached by approvals of ``code``: APPROVED beats PENDING beats the
    rest; None when it was never requested."""
    states = {a.state for a in approvals if a.process_code == code}
    return next((s for s in _BEST_FIRST if s in states), None)


def _state_words(state: ApprovalState | None) -> tuple[str, str]:
    if state is None:
        return "尚未发起", "not requested"
    return LABELS[state].zh, LABELS[state].en.lower()


def order_problems(
    definition: ProcessDefinition,
    process: ApprovalProcess,
    stage: Stage,
    approvals: Iterable[ApprovalRecord],
) -> list[Problem]:
    """Every prerequisite of ``process`` the deal has not met: processes that must be approved
    first and the stage the deal must have reached, each named as people know it."""
    records = tuple(approvals)
    problems: list[Problem] = []
    for code in process.requires_approved:
        state = best_state(records, code)
        if state == ApprovalState.APPROVED:
            continue
        needed = definition.process(code)
        need_zh = f"TAS+{code} {needed.name_zh}" if needed else f"TAS+{code}"
        need_en = f"TAS+{code} {needed.name_en}" if needed else f"TAS+{code}"
        now_zh, now_en = _state_words(state)
        problems.append(
            _p(
                "PROCESS_ORDER",
                "process",
                f"TAS+{process.code} {process.name_zh}须在{need_zh}获批后才能发起(当前:{now_zh})",
                f"TAS+{process.code} {process.name_en} may be requested only after "
                f"{need_en} is approved (now: {now_en})",
            )
        )
    wanted = process.requires_stage
    if wanted is not None and not definition.reached(stage, wanted):
        want_zh, want_en = definition.stage_name(wanted)
        now_zh, now_en = definition.stage_name(stage)
        problems.append(
            _p(
                "PROCESS_ORDER",
                "process",
                f"TAS+{process.code} {process.name_zh}须在商机进入“{want_zh}”阶段后才能发起"
                f"(当前阶段:{now_zh})",
                f"TAS+{process.code} {process.name_en} may be requested only once the deal "
                f"has reached {want_en} (now: {now_en})",
            )
        )
    return problems


def can_request(
    definition: ProcessDefinition,
    process_code: str,
    requester_roles: Collection[TeamRole],
    request_fields: Mapping[str, object],
    *,
    stage: Stage,
    approvals: Iterable[ApprovalRecord],
) -> list[Problem]:
    """Every reason a team member with ``requester_roles`` may not start this request on a
    deal in ``stage`` with these ``approvals`` (the process file's order included)."""
    process = definition.process(process_code)
    if process is None:
        return [
            _p(
                "UNKNOWN_PROCESS",
                "process_code",
                f"未定义的流程 TAS+{process_code}",
                f"Unknown process TAS+{process_code}",
            )
        ]
    problems: list[Problem] = []
    roles = set(requester_roles)
    if not roles:
        problems.append(
            _p(
                "NOT_ON_TEAM",
                "requester",
                "只有商机团队成员可以发起流程",
                "Only a member of the opportunity team may request",
            )
        )
    elif process.requester_roles and not roles & process.requester_roles:
        allowed = " or ".join(LABELS[r].en.lower() for r in sorted(process.requester_roles))
        allowed_zh = "或".join(LABELS[r].zh for r in sorted(process.requester_roles))
        problems.append(
            _p(
                "ROLE_NOT_ALLOWED",
                "requester",
                f"只有团队中的{allowed_zh}可以发起 TAS+{process.code} {process.name_zh}",
                f"Only the team's {allowed} may request TAS+{process.code} {process.name_en}",
            )
        )
    problems.extend(order_problems(definition, process, stage, approvals))
    problems.extend(_check_fields(process.fields, request_fields))
    return problems


def can_decide(
    definition: ProcessDefinition,
    approval: ApprovalRecord,
    decider_id: str,
    decider_roles: Collection[TeamRole],
    decision: Decision,
) -> list[Problem]:
    """Every reason ``decider_id`` (with these roles on the team) may not make ``decision``."""
    problems: list[Problem] = []
    if approval.state != ApprovalState.PENDING:
        state = LABELS[approval.state]
        problems.append(
            _p(
                "NOT_PENDING",
                "state",
                f"审批已是{state.zh}状态,不能再处理",
                f"The approval is already {state.en.lower()}",
            )
        )
    if decision == Decision.WITHDRAW:
        if decider_id != approval.requester_id:
            problems.append(
                _p(
                    "NOT_REQUESTER",
                    "decider",
                    "只有申请人可以撤回",
                    "Only the requester may withdraw",
                )
            )
        return problems
    if decider_id == approval.requester_id:
        problems.append(
            _p(
                "SELF_APPROVAL",
                "decider",
                "不能审批自己发起的申请",
                "Nobody may decide on their own request",
            )
        )
    process = definition.process(approval.process_code)
    if process is None:
        problems.append(
            _p(
                "UNKNOWN_PROCESS",
                "process_code",
                f"未定义的流程 TAS+{approval.process_code}",
                f"Unknown process TAS+{approval.process_code}",
            )
        )
    elif not set(decider_roles) & process.approver_roles:
        allowed = " or ".join(LABELS[r].en.lower() for r in sorted(process.approver_roles))
        allowed_zh = "或".join(LABELS[r].zh for r in sorted(process.approver_roles))
        problems.append(
            _p(
                "ROLE_NOT_ALLOWED",
                "decider",
                f"TAS+{process.code} {process.name_zh}须由团队中的{allowed_zh}审批",
                f"TAS+{process.code} {process.name_en} must be decided by a team {allowed}",
            )
        )
    return problems


def request(
    definition: ProcessDefinition,
    *,
    approval_id: str,
    process_code: str,
    opportunity_id: str,
    requester_id: str,
    requester_roles: Collection[TeamRole],
    request_fields: Mapping[str, object],
    stage: Stage,
    approvals: Iterable[ApprovalRecord],
    at: int,
    comment: str = "",
) -> ApprovalRecord:
    """A new PENDING approval, or ``ApprovalRefused`` listing every problem."""
    problems = can_request(
        definition,
        process_code,
        requester_roles,
        request_fields,
        stage=stage,
        approvals=approvals,
    )
    if problems:
        raise ApprovalRefused(problems)
    first = Transition(
        None, ApprovalState.PENDING, requester_id, tuple(sorted(requester_roles)), at, comment
    )
    return ApprovalRecord(
        approval_id,
        process_code,
        opportunity_id,
        requester_id,
        ApprovalState.PENDING,
        dict(request_fields),
        (first,),
    )


def decide(
    definition: ProcessDefinition,
    approval: ApprovalRecord,
    decider_id: str,
    decider_roles: Collection[TeamRole],
    decision: Decision,
    at: int,
    comment: str = "",
) -> ApprovalRecord:
    """The approval after ``decision`` with the transition appended, or ``ApprovalRefused``."""
    problems = can_decide(definition, approval, decider_id, decider_roles, decision)
    if problems:
        raise ApprovalRefused(problems)
    target = _TARGET[decision]
    step = Transition(approval.state, target, decider_id, tuple(sorted(decider_roles)), at, comment)
    return replace(approval, state=target, history=(*approval.history, step))
