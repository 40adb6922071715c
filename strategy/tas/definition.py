"""The TAS+ process definition as frozen data: stages with their exit requirements, approval
processes with approvers and request fields, grade criteria and violation thresholds.

It is data rather than code so a company can change its sales process by editing a TOML file
(see ``docs/process.md``); ``loader.load_process`` builds and validates it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from domain.vocabulary import LABELS, DecisionRole, Grade, Stage, TeamRole


class ViolationRule(StrEnum):
    """Codes of the violation rules the sweep runs (see ``violations.py``)."""

    STAGE_WITHOUT_APPROVAL = "STAGE_WITHOUT_APPROVAL"
    ACTION_OVERDUE = "ACTION_OVERDUE"
    QUOTE_WITHOUT_DELIVERY_REVIEW = "QUOTE_WITHOUT_DELIVERY_REVIEW"
    APPROVAL_BY_UNAUTHORISED = "APPROVAL_BY_UNAUTHORISED"
    SELF_APPROVAL = "SELF_APPROVAL"
    OPPORTUNITY_IDLE = "OPPORTUNITY_IDLE"
    EXPERT_CONTACT = "EXPERT_CONTACT"
    """A contact with a drawn tender-evaluation expert on record: bidders may not contact the
    panel, and it can void the bid (a past event, judged once)."""


class FieldType(StrEnum):
    """Types of process-specific request fields (what ``approvals.can_request`` validates)."""

    TEXT = "text"
    INT = "int"
    HOURS = "hours"
    DATE = "date"
    TIMESHEET = "timesheet"


@dataclass(frozen=True, slots=True)
class RequestField:
    """One field a requester fills in when starting an approval of a process."""

    name: str
    type: FieldType
    required: bool = True
    not_before: str | None = None
    """Name of another DATE field this one may not precede (e.g. period_end ≥ period_start)."""
    label_zh: str = ""
    label_en: str = ""


@dataclass(frozen=True, slots=True)
class ApprovalProcess:
    """A TAS+ process (approval), e.g. 2-1 opportunity initiation."""

    code: str
    stage: Stage
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    approver_roles: frozenset[TeamRole]
    requester_roles: frozenset[TeamRole] = frozenset()
    """Roles allowed to request; empty means any member of the opportunity's team."""
    fields: tuple[RequestField, ...] = ()
    requires_approved: tuple[str, ...] = ()
    """Processes that must be APPROVED on the deal before this one may be requested."""
    requires_stage: Stage | None = None
    """The stage the deal must have reached (e.g. NEGOTIATION: the bid was won)."""
    after_win: bool = False
    """Still asked for once the deal is won (the SOW after the award); the others belong to
    winning it, and a won deal asks for none of them."""
    request_help_zh: str = ""
    request_help_en: str = ""
    """What a request should tell whoever decides it: the help beside its comment."""


@dataclass(frozen=True, slots=True)
class Requirements:
    """What must be filled, done and approved in a stage before the deal may move past it."""

    fields: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    approvals: tuple[str, ...] = ()
    grade_approvals: tuple[tuple[Grade, tuple[str, ...]], ...] = ()
    """Extra approvals for some grades, e.g. E needs 2-2 partner registration."""

    def approvals_for(self, grade: Grade | None) -> tuple[str, ...]:
        """Approvals required for a deal of this grade (base plus grade-specific)."""
        extra = tuple(c for g, codes in self.grade_approvals if g == grade for c in codes)
        return self.approvals + extra


@dataclass(frozen=True, slots=True)
class StageDefinition:
    """One open stage in process order, with the requirements for leaving it forwards."""

    stage: Stage
    order: int
    name_zh: str
    name_en: str
    exit: Requirements = field(default_factory=Requirements)
    action_overdue_days: int | None = None
    """Per-stage override of ``ViolationConfig.action_overdue_days``."""


@dataclass(frozen=True, slots=True)
class GradeCriterion:
    """What a grade means; A/B below ``min_amount`` need the upgrade process."""

    grade: Grade
    description_zh: str
    description_en: str
    min_amount: int | None = None
    """Minimum amount in minor units of ``GradeRules.currency``; None means no amount floor."""
    approval: str | None = None
    """Approval needed to assign the grade at all (E: 2-2 partner registration)."""


@dataclass(frozen=True, slots=True)
class GradeRules:
    """Grade criteria A–E plus the manual upgrade process (2-4)."""

    currency: str
    upgrade_process: str
    criteria: tuple[GradeCriterion, ...]
    upgrade_at: Stage | None = None
    """The gate that checks a grade's amount criterion (initiation, where resources are
    committed by grade): leaving it, an A or B below its amount needs the upgrade approved."""

    def criterion(self, grade: Grade) -> GradeCriterion | None:
        """The criterion of a grade, if the definition declares one."""
        return next((c for c in self.criteria if c.grade == grade), None)


RECHECK_DAYS: Final[Mapping[ViolationRule, int]] = MappingProxyType(
    {
        ViolationRule.STAGE_WITHOUT_APPROVAL: 14,
        ViolationRule.ACTION_OVERDUE: 14,
        ViolationRule.OPPORTUNITY_IDLE: 30,
    }
)
"""A sales director's recheck: an acknowledgement is not an approval, a plan, or a visit. The
conditions that go on (a gate still unapproved, an action still not done, a deal still idle)
come back after the rule's own limit (a gate sooner); past events (a self-approval, a quote sent
unreviewed) are judged once."""


NEWCOMER_DAYS_BY_ROLE: Final[Mapping[DecisionRole, int]] = MappingProxyType(
    {DecisionRole.DECISION_MAKER: 5, DecisionRole.APPROVER: 5}
)
"""The days of their own a decision maker or approver found late has (``newcomer_days``)."""


@dataclass(frozen=True, slots=True)
class ViolationConfig:
    """Thresholds of the violation sweep (the "punish" step); days are calendar days."""

    action_overdue_days: int = 14
    idle_days: int = 30
    enabled: frozenset[ViolationRule] = frozenset()
    """Rules to run; empty means all rules."""
    recheck_days: Mapping[ViolationRule, int] = field(default_factory=lambda: RECHECK_DAYS)
    """After how many days an acknowledged violation whose cause still holds comes back as a
    new one; a rule not named (a past event) is final once acknowledged."""
    promise_days: int = 90
    """How far ahead a response may promise to put a violation right (the date by which it
    then comes back instead of the recheck, if its cause still holds)."""
    newcomer_days: int = 7
    """Days someone put on a chain late in a stage has for what the process asks of each
    member (their needs), counted from the day they were put on it: finding a key person late
    is mapping done, not a lapse; the stage's gate still asks it of them at once."""
    newcomer_days_by_role: Mapping[DecisionRole, int] = field(
        default_factory=lambda: NEWCOMER_DAYS_BY_ROLE
    )
    """Shorter days for the roles that decide: a decision maker nobody asked puts the deal at
    risk."""

    def newcomer_days_of(self, role: DecisionRole) -> int:
        """The days of their own a member in ``role`` put on the chain late has."""
        return self.newcomer_days_by_role.get(role, self.newcomer_days)

    def runs(self, rule: ViolationRule) -> bool:
        """True when ``rule`` is enabled."""
        return not self.enabled or rule in self.enabled


@dataclass(frozen=True, slots=True)
class FieldLabel:
    """How people call an opportunity field the stages require (the key stays in ``path``)."""

    name: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class ProcessDefinition:
    """The whole process: open stages in order, closing rules, processes, grades, violations."""

    stages: tuple[StageDefinition, ...]
    processes: tuple[ApprovalProcess, ...]
    grades: GradeRules
    violations: ViolationConfig
    reopenable: frozenset[Stage] = frozenset()
    """Closed stages that may be reopened into an open stage (default: ABANDONED only)."""
    field_labels: tuple[FieldLabel, ...] = ()
    """Labels of the opportunity fields named in stage exits (the loader requires one each)."""

    def field_label(self, name: str) -> tuple[str, str]:
        """The (zh, en) label of an opportunity field; the loader guarantees one for every
        field a stage requires."""
        found = next((f for f in self.field_labels if f.name == name), None)
        return (found.zh, found.en) if found else (name, name)

    def stage(self, stage: Stage) -> StageDefinition | None:
        """The definition of an open stage, or None for closed/undeclared stages."""
        return next((s for s in self.stages if s.stage == stage), None)

    def process(self, code: str) -> ApprovalProcess | None:
        """The approval process with this code, if defined."""
        return next((p for p in self.processes if p.code == code), None)

    def stage_name(self, stage: Stage) -> tuple[str, str]:
        """The name of a stage as people read it (zh, en): the file's name of an open stage,
        the vocabulary's label of a closing state."""
        sd = self.stage(stage)
        if sd is not None:
            return sd.name_zh, sd.name_en
        label = LABELS[stage]
        return label.zh, label.en

    def reached(self, current: Stage, wanted: Stage) -> bool:
        """True when a deal in ``current`` is in ``wanted`` or past it (WON is past every
        stage; LOST and ABANDONED have reached nothing)."""
        if current == Stage.WON:
            return True
        here, there = self.stage(current), self.stage(wanted)
        return here is not None and there is not None and here.order >= there.order

    def processes_of(self, stage: Stage) -> tuple[ApprovalProcess, ...]:
        """The processes that belong to a stage, in file order."""
        return tuple(p for p in self.processes if p.stage == stage)

    def stages_before(self, stage: Stage) -> tuple[StageDefinition, ...]:
        """Open stages that precede ``stage``; for a closed stage, all open stages."""
        target = self.stage(stage)
        if target is None:
            return self.stages
        return tuple(s for s in self.stages if s.order < target.order)
