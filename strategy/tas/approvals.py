"""Approvals of TAS+ processes as a pure state machine: request validation, who may decide,
and immutable records with their transition history.

PENDING → APPROVED | REJECTED (by an approver of the process, never the requester) and
PENDING → WITHDRAWN (by the requester only). Decided approvals are final.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Final

from domain.text import Text
from domain.validation import YEARS_AHEAD_TYPO, name_key, years_after
from domain.vocabulary import ENDED_STAGES, LABELS, ApprovalState, Stage, TeamRole
from strategy.tas.definition import ApprovalProcess, FieldType, ProcessDefinition, RequestField
from strategy.tas.problem_texts import (
    Words,
    in_sentence,
    problem_texts,
    process_name,
    state_words,
)
from strategy.tas.problems import Problem, key_path

REAL_VALIDATION: Final = "1-1"
"""The TAS+ process whose approval validates a deal as real ("Create opportunity": why this lead
is a real opportunity, decided by a sales director). A sales VP: its absence lowers nothing, but
"is it real?" shows beside its score whether a sales director validated the deal."""

_WEEK: Final = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")


class Decision(StrEnum):
    """What someone does to a pending approval."""

    APPROVE = "APPROVE"
    REJECT = "REJECT"
    WITHDRAW = "WITHDRAW"


DECISION_LABELS: Final[Mapping[Decision, Text]] = {
    Decision.APPROVE: Text("Approve", "批准"),
    Decision.REJECT: Text("Reject", "驳回"),
    Decision.WITHDRAW: Text("Withdraw", "撤回"),
}

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


def _p(code: str, path: str, key: str, /, **words: Words) -> Problem:
    return problem_texts().problem(code, path, f"approval.{key}", **words)


def _label(f: RequestField) -> Text:
    """A request field as people know it (its key when the file gives no label)."""
    return Text(en=f.label_en or f.name, zh=f.label_zh or f.name)


def _either(roles: Collection[TeamRole]) -> Text:
    """Team roles as people name them, joined by "or"."""
    glue = problem_texts().text("words.or")
    names = [in_sentence(LABELS[r]) for r in sorted(roles)]
    return Text(en=glue.en.join(n.en for n in names), zh=glue.zh.join(n.zh for n in names))


def _parse_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _on_team(path: str, member: str, team: Collection[str]) -> list[Problem]:
    """A timesheet names only people on the deal's team; a refusal says who may be named."""
    known = {name_key(n): n for n in team if n.strip()}
    if name_key(member) in known:
        return []
    if not known:
        return [_p("MEMBER_NOT_ON_TEAM", path, "timesheet_no_team", person=member.strip())]
    names = sorted(known.values(), key=name_key)
    glue = problem_texts().text("words.list")
    listed = Text(en=glue.en.join(names), zh=glue.zh.join(names))
    return [
        _p("MEMBER_NOT_ON_TEAM", path, "timesheet_not_on_team", person=member.strip(), team=listed)
    ]


def _team_spelling(
    specs: tuple[RequestField, ...], values: Mapping[str, object], team: Collection[str]
) -> dict[str, object]:
    """``values`` with each timesheet member named as the team knows them, so reports and
    the check for a repeated request see one spelling of a person whoever typed it."""
    known = {name_key(n): n for n in team if n.strip()}
    result = dict(values)
    for f in specs:
        entries = values.get(f.name)
        if f.type != FieldType.TIMESHEET or not isinstance(entries, list | tuple):
            continue
        result[f.name] = [_entry_spelled(entry, known) for entry in entries]
    return result


def _entry_spelled(entry: object, known: Mapping[str, str]) -> object:
    member = entry.get("member") if isinstance(entry, Mapping) else None
    if not isinstance(entry, Mapping) or not isinstance(member, str):
        return entry
    return {**entry, "member": known.get(name_key(member), member)}


def _check_timesheet(name: str, value: object, team: Collection[str]) -> list[Problem]:
    if not isinstance(value, list | tuple) or not value:
        return [_p("INVALID_FIELD", key_path("fields", name), "timesheet_not_a_list")]
    problems: list[Problem] = []
    for i, entry in enumerate(value):
        path = f"{key_path('fields', name)}[{i}]"
        if not isinstance(entry, Mapping):
            problems.append(_p("INVALID_FIELD", path, "timesheet_entry"))
            continue
        member = entry.get("member")
        if not isinstance(member, str) or not member.strip():
            problems.append(_p("INVALID_FIELD", f"{path}.member", "timesheet_no_person"))
        else:
            problems.extend(_on_team(f"{path}.member", member, team))
        week = entry.get("week")
        if not isinstance(week, str) or not _WEEK.match(week):
            problems.append(_p("INVALID_FIELD", f"{path}.week", "timesheet_week"))
        hours = entry.get("hours")
        if not _is_number(hours) or not 0 < float(hours) <= 168:  # type: ignore[arg-type]
            problems.append(_p("INVALID_FIELD", f"{path}.hours", "timesheet_hours"))
    return problems


def _check_value(f: RequestField, value: object, team: Collection[str]) -> list[Problem]:
    match f.type:
        case FieldType.TEXT:
            ok, key = isinstance(value, str) and bool(value.strip()), "not_text"
        case FieldType.INT:
            ok, key = isinstance(value, int) and not isinstance(value, bool), "not_integer"
        case FieldType.HOURS:
            ok, key = _is_number(value) and float(value) > 0, "not_hours"  # type: ignore[arg-type]
        case FieldType.DATE:
            ok, key = _parse_date(value) is not None, "not_date"
        case FieldType.TIMESHEET:
            return _check_timesheet(f.name, value, team)
    return [] if ok else [_p("INVALID_FIELD", key_path("fields", f.name), key, label=_label(f))]


_LONG_AGO_DAYS: Final = 366


def _mistyped_year(f: RequestField, value: object, today: date | None) -> list[Problem]:
    """A request's date more than a year back or five years ahead: a year typed wrong (a POC
    from 2020, a dispatch in 2099), asked about at its field."""
    day = _parse_date(value) if f.type == FieldType.DATE else None
    if day is None or today is None:
        return []
    path, label = key_path("fields", f.name), _label(f)
    if (today - day).days > _LONG_AGO_DAYS:
        return [_p("INVALID_FIELD", path, "date_long_ago", label=label, date=day.isoformat())]
    if day > years_after(today, YEARS_AHEAD_TYPO):
        years = str(YEARS_AHEAD_TYPO)
        return [
            _p(
                "INVALID_FIELD",
                path,
                "date_far_ahead",
                label=label,
                date=day.isoformat(),
                years=years,
            )
        ]
    return []


def _check_fields(
    specs: tuple[RequestField, ...],
    values: Mapping[str, object],
    team: Collection[str],
    today: date | None = None,
) -> list[Problem]:
    """Every problem of a request's fields; with ``today``, a date whose year looks mistyped
    too."""
    problems: list[Problem] = []
    known = {f.name for f in specs}
    for name in sorted(set(values) - known):
        problems.append(_p("UNKNOWN_FIELD", key_path("fields", name), "unknown_field", label=name))
    for f in specs:
        value = values.get(f.name)
        if value is None or value == "":
            if f.required:
                problems.append(
                    _p(
                        "MISSING_FIELD",
                        key_path("fields", f.name),
                        "missing_field",
                        label=_label(f),
                    )
                )
            continue
        problems.extend(_check_value(f, value, team) or _mistyped_year(f, value, today))
    for f in specs:
        if f.not_before is None:
            continue
        end, start = _parse_date(values.get(f.name)), _parse_date(values.get(f.not_before))
        if end is not None and start is not None and end < start:
            other = next(o for o in specs if o.name == f.not_before)
            problems.append(
                _p(
                    "INVALID_PERIOD",
                    key_path("fields", f.name),
                    "period_reversed",
                    label=_label(f),
                    other=_label(other),
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
    name = Text(en=process.name_en, zh=process.name_zh)
    for code in process.requires_approved:
        state = best_state(records, code)
        if state == ApprovalState.APPROVED:
            continue
        problems.append(
            _p(
                "PROCESS_ORDER",
                "process",
                "needs_approved_first",
                code=process.code,
                name=name,
                needed=process_name(definition, code),
                state=state_words(state),
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
                "needs_stage_first",
                code=process.code,
                name=name,
                wanted=Text(en=want_en, zh=want_zh),
                stage=Text(en=now_en, zh=now_zh),
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
    names: Mapping[str, Text | str] | None = None,
    team: Collection[str] = (),
    today: date | None = None,
) -> list[Problem]:
    """Every reason a team member with ``requester_roles`` may not start this request on a
    deal in ``stage`` with these ``approvals`` (the process file's order included); with
    ``today``, a date field whose year looks mistyped too.

    ``names``: team members' names by id, so a refusal names who decided; ``team``: the names
    of the deal's team, the people a timesheet may name."""
    process = definition.process(process_code)
    if process is None:
        return [_p("UNKNOWN_PROCESS", "process_code", "unknown_process", code=process_code)]
    if stage in ENDED_STAGES:
        return [_closed(stage)]
    if stage == Stage.WON and not process.after_win:
        return [_won(definition, process)]
    problems: list[Problem] = []
    roles = set(requester_roles)
    if not roles:
        problems.append(_p("NOT_ON_TEAM", "requester", "not_on_team"))
    elif process.requester_roles and not roles & process.requester_roles:
        problems.append(
            _p(
                "ROLE_NOT_ALLOWED",
                "requester",
                "requester_role",
                roles=_either(process.requester_roles),
                code=process.code,
                name=Text(en=process.name_en, zh=process.name_zh),
            )
        )
    approvals = tuple(approvals)
    names = names or {}
    problems.extend(order_problems(definition, process, stage, approvals))
    problems.extend(_check_fields(process.fields, request_fields, team, today))
    problems.extend(_repeated(process, request_fields, approvals, names))
    return problems


def _when(at_ms: int) -> str:
    """An instant as messages write it: minutes in UTC, the same in both languages."""
    return datetime.fromtimestamp(at_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _repeated(
    process: ApprovalProcess,
    request_fields: Mapping[str, object],
    approvals: Iterable[ApprovalRecord],
    names: Mapping[str, Text | str],
) -> list[Problem]:
    """The same request (same process, same fields) waiting for a decision or already granted:
    asking again would queue a decision that is made or under way. A rejected or withdrawn
    one may be asked again."""
    same = [
        a
        for a in approvals
        if a.process_code == process.code and dict(a.fields) == dict(request_fields)
    ]
    name = Text(en=process.name_en, zh=process.name_zh)
    if any(a.state == ApprovalState.PENDING for a in same):
        return [
            _p("ALREADY_PENDING", "process_code", "already_pending", code=process.code, name=name)
        ]
    granted = [
        a.decision for a in same if a.state == ApprovalState.APPROVED and a.decision is not None
    ]
    if not granted:
        return []
    latest = max(granted, key=lambda t: t.at)
    who = names.get(latest.actor_id)
    return [
        _p(
            "ALREADY_APPROVED",
            "process_code",
            "already_approved",
            code=process.code,
            name=name,
            person=who if who else problem_texts().text("words.someone"),
            when=_when(latest.at),
        )
    ]


def _closed(stage: Stage) -> Problem:
    """A deal lost or abandoned commits no more resources and decides nothing (a won one goes
    on to its delivery processes)."""
    return _p("STAGE_CLOSED", "opportunity_id", "deal_closed", stage=in_sentence(LABELS[stage]))


def _won(definition: ProcessDefinition, process: ApprovalProcess) -> Problem:
    """A won deal commits no more resources to winning it (a POC, a bid): only the processes
    that come after the award are asked for, and the refusal names them."""
    after = [Text(en=p.name_en, zh=p.name_zh) for p in definition.processes if p.after_win]
    glue = problem_texts().text("words.list")
    allowed = Text(en=glue.en.join(t.en for t in after), zh=glue.zh.join(t.zh for t in after))
    name = Text(en=process.name_en, zh=process.name_zh)
    return _p("DEAL_WON", "process_code", "deal_won", code=process.code, name=name, other=allowed)


def can_decide(
    definition: ProcessDefinition,
    approval: ApprovalRecord,
    decider_id: str,
    decider_roles: Collection[TeamRole],
    decision: Decision,
    *,
    stage: Stage | None = None,
) -> list[Problem]:
    """Every reason ``decider_id`` (with these roles on the team) may not make ``decision``
    on a deal in ``stage``: a request on a deal since lost or abandoned is withdrawn, never
    decided."""
    problems: list[Problem] = []
    if approval.state != ApprovalState.PENDING:
        state = in_sentence(LABELS[approval.state])
        problems.append(_p("NOT_PENDING", "state", "not_pending", state=state))
    if decision == Decision.WITHDRAW:
        if decider_id != approval.requester_id:
            problems.append(_p("NOT_REQUESTER", "decider", "not_requester"))
        return problems
    if stage in ENDED_STAGES:
        problems.append(_closed(stage))
    if decider_id == approval.requester_id:
        problems.append(_p("SELF_APPROVAL", "decider", "own_request"))
    process = definition.process(approval.process_code)
    if process is None:
        problems.append(
            _p("UNKNOWN_PROCESS", "process_code", "unknown_process", code=approval.process_code)
        )
    elif not set(decider_roles) & process.approver_roles:
        problems.append(
            _p(
                "ROLE_NOT_ALLOWED",
                "decider",
                "approver_role",
                code=process.code,
                name=Text(en=process.name_en, zh=process.name_zh),
                roles=_either(process.approver_roles),
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
    names: Mapping[str, Text | str] | None = None,
    team: Collection[str] = (),
) -> ApprovalRecord:
    """A new PENDING approval, or ``ApprovalRefused`` listing every problem; a timesheet's
    members are stored by the names the deal's team knows them by."""
    process = definition.process(process_code)
    if process is not None:
        request_fields = _team_spelling(process.fields, request_fields, team)
    problems = can_request(
        definition,
        process_code,
        requester_roles,
        request_fields,
        stage=stage,
        approvals=approvals,
        names=names,
        team=team,
        today=datetime.fromtimestamp(at / 1000, UTC).date(),
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
    *,
    stage: Stage | None = None,
) -> ApprovalRecord:
    """The approval after ``decision`` with the transition appended, or ``ApprovalRefused``.
    A rejection says why: the requester is to put it right, and "Rejected" alone tells them
    nothing."""
    problems = can_decide(definition, approval, decider_id, decider_roles, decision, stage=stage)
    if not problems and decision == Decision.REJECT and not comment.strip():
        problems.append(_p("REASON_NEEDED", "comment", "reason_needed"))
    if problems:
        raise ApprovalRefused(problems)
    target = _TARGET[decision]
    step = Transition(approval.state, target, decider_id, tuple(sorted(decider_roles)), at, comment)
    return replace(approval, state=target, history=(*approval.history, step))
