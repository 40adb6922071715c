"""Load and validate a process definition file; every refusal names the line at fault.

Syntax errors come from ``tomllib`` (which reports line and column); semantic errors (unknown
stage, role, action, field or process, duplicate codes, unknown keys) are located by scanning
the text for the offending key or value inside the table it belongs to.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from domain.chain import OpportunityFacts
from domain.config_reader import LocatedToml, Place
from domain.vocabulary import CLOSED_STAGES, DecisionRole, Grade, Stage, TeamRole
from strategy.tas.actions import ACTIONS
from strategy.tas.definition import (
    NEWCOMER_DAYS_BY_ROLE,
    RECHECK_DAYS,
    ApprovalProcess,
    FieldLabel,
    FieldType,
    GradeCriterion,
    GradeRules,
    ProcessDefinition,
    RequestField,
    Requirements,
    StageDefinition,
    ViolationConfig,
    ViolationRule,
)

OPPORTUNITY_FIELDS: Final = frozenset(f.name for f in fields(OpportunityFacts))
_TOML_POS: Final = re.compile(r"\(at line (\d+), column (\d+)\)")


class ProcessDefinitionError(ValueError):
    """A process file that cannot be used; ``line`` is 1-based (None if unknown)."""

    def __init__(self, source: str, line: int | None, en: str, zh: str) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {en} / {zh}")
        self.source, self.line, self.en, self.zh = source, line, en, zh


_Where = Place
"""A table of the process file (the shared reader's name for it)."""


class _Reader(LocatedToml[ProcessDefinitionError]):
    """Typed access to the parsed process file that raises located ``ProcessDefinitionError``s."""

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text, lambda line, en, zh: ProcessDefinitionError(source, line, en, zh))
        self.source = source


_ROLE: Final = ("team role", "团队角色")
_STAGE: Final = ("stage", "阶段")


def _roles(r: _Reader, where: _Where, data: dict[str, Any], key: str) -> frozenset[TeamRole]:
    return frozenset(r.enum(where, TeamRole, v, _ROLE) for v in r.names(where, data, key))


def _request_fields(r: _Reader, where: _Where, data: dict[str, Any]) -> tuple[RequestField, ...]:
    raw = r.get(where, data, "fields", list, [])
    result: list[RequestField] = []
    for item in raw:
        if not isinstance(item, dict):
            raise r.fail(where, "fields", "fields must be tables", "fields 应为表")
        r.keys(where, item, {"name", "type", "required", "not_before", "label_zh", "label_en"})
        name = r.text(where, item, "name")
        if any(f.name == name for f in result):
            raise r.fail(
                where, f'"{name}"', f"duplicate request field {name!r}", f"重复的申请字段 {name!r}"
            )
        result.append(
            RequestField(
                name=name,
                type=r.enum(
                    where, FieldType, r.text(where, item, "type"), ("field type", "字段类型")
                ),
                required=r.get(where, item, "required", bool, True),
                not_before=r.get(where, item, "not_before", str, None),
                label_zh=r.text(where, item, "label_zh"),
                label_en=r.text(where, item, "label_en"),
            )
        )
    dates = {f.name for f in result if f.type == FieldType.DATE}
    for f in result:
        if f.type != FieldType.DATE and f.not_before is not None:
            raise r.fail(
                where, "not_before", "not_before needs a date field", "not_before 只能用于日期字段"
            )
        if f.not_before is not None and f.not_before not in dates:
            raise r.fail(
                where,
                f'"{f.not_before}"',
                f"not_before names no date field {f.not_before!r}",
                f"not_before 指向的日期字段不存在 {f.not_before!r}",
            )
    return tuple(result)


def _process(
    r: _Reader, i: int, data: dict[str, Any], stages: set[Stage], codes: set[str]
) -> ApprovalProcess:
    w = _Where("processes", i)
    r.keys(
        w,
        data,
        {
            "code",
            "stage",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "approver_roles",
            "requester_roles",
            "fields",
            "requires",
            "after_win",
            "request_help_zh",
            "request_help_en",
        },
    )
    stage = r.enum(w, Stage, r.text(w, data, "stage"), _STAGE)
    if stage not in stages:
        raise r.fail(
            w,
            f'"{stage.value}"',
            f"process stage {stage.value} is not a declared open stage",
            f"流程所属阶段 {stage.value} 不是已定义的阶段",
        )
    approvers = _roles(r, w, data, "approver_roles")
    if not approvers:
        raise r.fail(
            w,
            "approver_roles",
            "approver_roles must name at least one role",
            "approver_roles 至少需要一个角色",
        )
    code = r.text(w, data, "code")
    approved, required_stage = _prerequisites(r, w, data, code, codes, stages)
    return ApprovalProcess(
        code=code,
        stage=stage,
        name_zh=r.text(w, data, "name_zh"),
        name_en=r.text(w, data, "name_en"),
        description_zh=r.text(w, data, "description_zh", ""),
        description_en=r.text(w, data, "description_en", ""),
        approver_roles=approvers,
        requester_roles=_roles(r, w, data, "requester_roles"),
        fields=_request_fields(r, w, data),
        requires_approved=approved,
        requires_stage=required_stage,
        after_win=r.get(w, data, "after_win", bool, False),
        request_help_zh=r.text(w, data, "request_help_zh", ""),
        request_help_en=r.text(w, data, "request_help_en", ""),
    )


def _prerequisites(
    r: _Reader, w: _Where, data: dict[str, Any], code: str, codes: set[str], stages: set[Stage]
) -> tuple[tuple[str, ...], Stage | None]:
    """``requires = { approved = [codes], stage = "STAGE" }``: what a request waits for."""
    requires = r.table(w, data, "requires")
    r.keys(w, requires, {"approved", "stage"})
    approved = r.names(w, requires, "approved")
    for needed in approved:
        if needed == code:
            raise r.fail(
                w,
                f'"{needed}"',
                f"process {code!r} cannot require itself",
                f"流程 {code!r} 不能以自身为前提",
            )
        if needed not in codes:
            raise r.fail(w, f'"{needed}"', f"unknown process {needed!r}", f"未知的流程 {needed!r}")
    stage_name = r.get(w, requires, "stage", str, None)
    stage = None
    if stage_name is not None:
        stage = r.enum(w, Stage, stage_name, _STAGE)
        if stage not in stages:
            raise r.fail(
                w,
                f'"{stage.value}"',
                f"required stage {stage.value} is not a declared open stage",
                f"前提阶段 {stage.value} 不是已定义的阶段",
            )
    return tuple(dict.fromkeys(approved)), stage


def _requirements(r: _Reader, w: _Where, data: dict[str, Any], codes: set[str]) -> Requirements:
    r.keys(w, data, {"fields", "actions", "approvals", "grade_approvals"})
    names = r.names(w, data, "fields")
    for name in names:
        if name not in OPPORTUNITY_FIELDS:
            raise r.fail(
                w, f'"{name}"', f"unknown opportunity field {name!r}", f"未知的商机字段 {name!r}"
            )
    actions = r.names(w, data, "actions")
    for name in actions:
        if name not in ACTIONS:
            raise r.fail(w, f'"{name}"', f"unknown action {name!r}", f"未知的必做事项 {name!r}")
    approvals = r.names(w, data, "approvals")
    by_grade: list[tuple[Grade, tuple[str, ...]]] = []
    for grade, grade_codes in r.table(w, data, "grade_approvals").items():
        g = r.enum(w, Grade, grade, ("grade", "商机等级"))
        if not isinstance(grade_codes, list) or not all(isinstance(c, str) for c in grade_codes):
            raise r.fail(
                w,
                "grade_approvals",
                "grade_approvals values must list codes",
                "grade_approvals 的值应为流程编号列表",
            )
        by_grade.append((g, tuple(grade_codes)))
    for code in [*approvals, *(c for _, cs in by_grade for c in cs)]:
        if code not in codes:
            raise r.fail(w, f'"{code}"', f"unknown process {code!r}", f"未知的流程 {code!r}")
    return Requirements(tuple(names), tuple(actions), tuple(approvals), tuple(by_grade))


def _stages(r: _Reader, raw: list[dict[str, Any]], codes: set[str]) -> tuple[StageDefinition, ...]:
    result: list[StageDefinition] = []
    for i, data in enumerate(raw):
        w = _Where("stages", i)
        r.keys(w, data, {"stage", "name_zh", "name_en", "exit", "action_overdue_days"})
        stage = r.enum(w, Stage, r.text(w, data, "stage"), _STAGE)
        if stage in CLOSED_STAGES:
            raise r.fail(
                w,
                f'"{stage.value}"',
                f"{stage.value} is a closing state, not a stage",
                f"{stage.value} 是关闭状态，不能作为阶段",
            )
        if any(s.stage == stage for s in result):
            raise r.fail(
                w, f'"{stage.value}"', f"duplicate stage {stage.value}", f"重复的阶段 {stage.value}"
            )
        days = r.get(w, data, "action_overdue_days", int, None)
        result.append(
            StageDefinition(
                stage=stage,
                order=i + 1,
                name_zh=r.text(w, data, "name_zh"),
                name_en=r.text(w, data, "name_en"),
                exit=_requirements(r, w, r.table(w, data, "exit"), codes),
                action_overdue_days=_positive(r, w, "action_overdue_days", days),
            )
        )
    if not result:
        raise r.fail(_Where(""), None, "no stages declared", "未定义任何阶段")
    return tuple(result)


def _positive(r: _Reader, w: _Where, key: str, value: int | None) -> int | None:
    if value is not None and value <= 0:
        raise r.fail(w, key, f"{key} must be positive", f"{key} 必须大于 0")
    return value


def _grades(r: _Reader, data: dict[str, Any], codes: set[str]) -> GradeRules:
    w = _Where("grades")
    r.keys(w, data, {"currency", "upgrade_process", "upgrade_at", "criteria"})
    upgrade = r.text(w, data, "upgrade_process")
    if upgrade not in codes:
        raise r.fail(
            w, "upgrade_process", f"unknown process {upgrade!r}", f"未知的流程 {upgrade!r}"
        )
    criteria: list[GradeCriterion] = []
    for i, item in enumerate(r.tables(data, "criteria")):
        cw = _Where("grades.criteria", i)
        r.keys(cw, item, {"grade", "min_amount", "approval", "description_zh", "description_en"})
        grade = r.enum(cw, Grade, r.text(cw, item, "grade"), ("grade", "商机等级"))
        if any(c.grade == grade for c in criteria):
            raise r.fail(cw, "grade", f"duplicate grade {grade.value}", f"重复的等级 {grade.value}")
        approval = r.get(cw, item, "approval", str, None)
        if approval is not None and approval not in codes:
            raise r.fail(
                cw, f'"{approval}"', f"unknown process {approval!r}", f"未知的流程 {approval!r}"
            )
        criteria.append(
            GradeCriterion(
                grade=grade,
                description_zh=r.text(cw, item, "description_zh"),
                description_en=r.text(cw, item, "description_en"),
                min_amount=r.get(cw, item, "min_amount", int, None),
                approval=approval,
            )
        )
    at = r.get(w, data, "upgrade_at", str, None)
    upgrade_at = None if at is None else r.enum(w, Stage, at, ("upgrade_at", "升级审批关口"))
    if upgrade_at in CLOSED_STAGES:
        raise r.fail(w, "upgrade_at", "must be an open stage", "须为未关闭的阶段")
    return GradeRules(r.text(w, data, "currency"), upgrade, tuple(criteria), upgrade_at)


def _violations(r: _Reader, data: dict[str, Any]) -> ViolationConfig:
    w = _Where("violations")
    r.keys(
        w,
        data,
        {
            "action_overdue_days",
            "idle_days",
            "enabled",
            "recheck_days",
            "promise_days",
            "newcomer_days",
            "newcomer_days_by_role",
        },
    )
    rule: Final = ("violation rule", "违规规则")
    enabled = frozenset(r.enum(w, ViolationRule, v, rule) for v in r.names(w, data, "enabled"))
    overdue = _positive(r, w, "action_overdue_days", r.get(w, data, "action_overdue_days", int, 14))
    idle = _positive(r, w, "idle_days", r.get(w, data, "idle_days", int, 30))
    promise = _positive(r, w, "promise_days", r.get(w, data, "promise_days", int, 90))
    recheck = dict(RECHECK_DAYS)
    if "recheck_days" in data:
        given = r.table(w, data, "recheck_days")
        at = _Where("violations.recheck_days")
        days = {code: _positive(r, at, code, r.get(at, given, code, int)) for code in given}
        recheck = {r.enum(at, ViolationRule, code, rule): n or 1 for code, n in days.items()}
        for code in recheck.keys() - RECHECK_DAYS.keys():
            raise r.fail(
                at,
                code.value,
                f"{code.value} is a past event, judged once: it does not come back",
                f"{code.value} 是已发生的事件，只确认一次，不会再次提出",
            )
    recheck_days = MappingProxyType(recheck)
    newcomer = _positive(r, w, "newcomer_days", r.get(w, data, "newcomer_days", int, 7))
    by_role = dict(NEWCOMER_DAYS_BY_ROLE)
    if "newcomer_days_by_role" in data:
        given = r.table(w, data, "newcomer_days_by_role")
        at = _Where("violations.newcomer_days_by_role")
        role: Final = ("decision role", "决策角色")
        by_role = {
            r.enum(at, DecisionRole, code, role): (
                _positive(r, at, code, r.get(at, given, code, int)) or 1
            )
            for code in given
        }
    return ViolationConfig(
        overdue or 14,
        idle or 30,
        enabled,
        recheck_days,
        promise or 90,
        newcomer or 7,
        MappingProxyType(by_role),
    )


def _build(r: _Reader, doc: dict[str, Any]) -> ProcessDefinition:
    top = _Where("")
    r.keys(
        top,
        doc,
        {"format", "reopenable", "violations", "grades", "field_labels", "stages", "processes"},
    )
    if r.get(top, doc, "format", int, 1) != 1:
        raise r.fail(top, "format", "unsupported format (expected 1)", "不支持的格式版本（应为 1）")
    raw_processes = r.tables(doc, "processes")
    codes: set[str] = set()
    for i, p in enumerate(raw_processes):
        code = r.text(_Where("processes", i), p, "code")
        if code in codes:
            raise r.fail(
                _Where("processes", i),
                "code",
                f"duplicate process code {code!r}",
                f"重复的流程编号 {code!r}",
            )
        codes.add(code)
    stages = _stages(r, r.tables(doc, "stages"), codes)
    declared = {s.stage for s in stages}
    processes = tuple(_process(r, i, p, declared, codes) for i, p in enumerate(raw_processes))
    _no_cycles(r, processes)
    reopenable = frozenset(r.enum(top, Stage, v, _STAGE) for v in r.names(top, doc, "reopenable"))
    for stage in reopenable:
        if stage not in CLOSED_STAGES or stage == Stage.WON:
            raise r.fail(
                top,
                f'"{stage.value}"',
                f"{stage.value} cannot be reopenable (only LOST or ABANDONED)",
                f"{stage.value} 不能设为可重新打开",
            )
    return ProcessDefinition(
        stages=stages,
        processes=processes,
        grades=_grades(r, r.table(top, doc, "grades"), codes),
        violations=_violations(r, r.table(top, doc, "violations")),
        reopenable=reopenable,
        field_labels=_field_labels(r, r.table(top, doc, "field_labels"), stages),
    )


def _field_labels(
    r: _Reader, data: dict[str, Any], stages: tuple[StageDefinition, ...]
) -> tuple[FieldLabel, ...]:
    """``[field_labels]``: ``name = { zh = "…", en = "…" }`` for every field a stage requires,
    so that no message shows a field key."""
    w = _Where("field_labels")
    labels: list[FieldLabel] = []
    for name, value in data.items():
        if name not in OPPORTUNITY_FIELDS:
            raise r.fail(w, name, f"unknown opportunity field {name!r}", f"未知的商机字段 {name!r}")
        if not isinstance(value, dict):
            raise r.fail(
                w,
                name,
                f"label of {name!r} must be {{ zh, en }}",
                f"{name!r} 的名称应为 {{ zh, en }}",
            )
        r.keys(w, value, {"zh", "en"})
        zh, en = r.text(w, value, "zh"), r.text(w, value, "en")
        if not zh.strip() or not en.strip():
            raise r.fail(w, name, f"label of {name!r} is blank", f"{name!r} 的名称为空")
        labels.append(FieldLabel(name, zh, en))
    known = {f.name for f in labels}
    for i, sd in enumerate(stages):
        for name in sd.exit.fields:
            if name not in known:
                raise r.fail(
                    _Where("stages", i),
                    f'"{name}"',
                    f"field {name!r} needs a label in [field_labels]",
                    f"字段 {name!r} 须在 [field_labels] 中给出名称",
                )
    return tuple(labels)


def _no_cycles(r: _Reader, processes: tuple[ApprovalProcess, ...]) -> None:
    """Refuse prerequisites that wait for each other: such processes could never start."""
    needs = {p.code: p.requires_approved for p in processes}
    index = {p.code: i for i, p in enumerate(processes)}
    done: set[str] = set()

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in path:
            loop = " → ".join((*path[path.index(code) :], code))
            raise r.fail(
                _Where("processes", index[path[-1]]),
                "requires",
                f"processes require each other in a loop: {loop}",
                f"流程前提构成循环：{loop}",
            )
        if code in done:
            return
        for needed in needs.get(code, ()):
            visit(needed, (*path, code))
        done.add(code)

    for p in processes:
        visit(p.code, ())


def parse_process(text: str, source: str = "<process>") -> ProcessDefinition:
    """Build a definition from TOML text; raises ``ProcessDefinitionError`` with the line."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POS.search(str(exc))
        line = int(match.group(1)) if match else None
        raise ProcessDefinitionError(
            source, line, f"TOML syntax error: {exc}", f"TOML 语法错误：{exc}"
        ) from exc
    return _build(_Reader(text, source), doc)


def load_process(path: Path | None = None) -> ProcessDefinition:
    """Load the process file at ``path``, or the packaged default (``process.toml``)."""
    if path is None:
        text = files("strategy.tas").joinpath("process.toml").read_text(encoding="utf-8")
        return parse_process(text, "strategy/tas/process.toml")
    return parse_process(path.read_text(encoding="utf-8"), str(path))
