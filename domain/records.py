"""Typed records of the store's rows: one per node kind, system record and edge kind.

GENERATED from the specs of ``domain/model.py`` by ``make records``
(``python -m domain.record_codegen``); do not edit by hand, a test compares it with the specs.

Each record is a ``TypedDict``: the store's rows stay the plain dicts the drivers produce
(``properties(n)``), so the types cost nothing per node at run time and change no behaviour,
while mypy checks every key a reader names. ``total=False`` because a property that is not
required may be absent (a stored null is no property); the keys every stored node has are
``Required``. Enum fields hold the enum's value as the plain string the store keeps (the
enum is named in the comment); dates are ISO text, time stamps epoch milliseconds. No
``from __future__ import annotations`` here: ``Required`` must be seen when the class is built.
"""

from typing import Required, TypedDict


class CustomerRecord(TypedDict, total=False):
    """A stored ``Customer`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    name: Required[str]
    industry: str
    region: str
    employees: int
    annual_revenue: int  # minor units
    currency: str
    website: str
    notes: str


class KeyPersonRecord(TypedDict, total=False):
    """A stored ``KeyPerson`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    name: Required[str]
    name_en: str
    email: str
    phone: str
    notes: str
    erased_at: int  # epoch ms
    left_on: str  # YYYY-MM-DD
    left_how: str  # DepartureKind
    left_to: str
    left_recorded_at: int  # epoch ms
    left_successor_id: str
    left_successor_at: int  # epoch ms


class CompetitorRecord(TypedDict, total=False):
    """A stored ``Competitor`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    name: Required[str]
    website: str
    strengths: str
    weaknesses: str
    name_key: str


class OpportunityRecord(TypedDict, total=False):
    """A stored ``Opportunity`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    name: Required[str]
    stage: str  # Stage
    grade: str  # Grade
    amount: int  # minor units
    currency: str
    budget: int  # minor units
    quote_amount: int  # minor units
    quote_status: str  # QuoteStatus
    expected_close_date: str  # YYYY-MM-DD
    compelling_event: str
    decision_process_known: bool
    presales_cost: int  # minor units
    delivery_cost: int  # minor units
    delivery_risk: str  # DeliveryRisk
    delivery_reviewed: bool
    description: str
    stage_entered_at: int  # epoch ms
    quote_submitted_at: int  # epoch ms
    close_date_moves: str
    quote_moves: str
    furthest_stage: str  # Stage
    closed_from: str  # Stage
    infeasible_quote_amount: int  # minor units


class TeamMemberRecord(TypedDict, total=False):
    """A stored ``TeamMember`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    name: Required[str]
    email: str
    title: str
    role: str  # TeamRole
    left_at: int  # epoch ms


class ActivityRecord(TypedDict, total=False):
    """A stored ``Activity`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    type: Required[str]  # ActivityType
    occurred_at: Required[int]  # epoch ms
    summary: Required[str]
    outcome: str  # Outcome
    solution_reaction: str  # Outcome
    price_reaction: str  # Outcome


class WorkPlanItemRecord(TypedDict, total=False):
    """A stored ``WorkPlanItem`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    title: Required[str]
    action: str
    due_date: str  # YYYY-MM-DD
    status: str  # WorkPlanStatus
    rationale: str
    expected_gain: float
    result: str
    rationale_clauses: str
    dropped_at: int  # epoch ms
    drop_reason: str  # DropReason
    resume_on: str  # YYYY-MM-DD
    effect_role: str
    effect_before_closeness: int
    effect_before_attitude: int
    effect_due_at: int  # epoch ms
    effect_closeness_delta: float
    effect_attitude_delta: float
    effect_observed_at: int  # epoch ms


class ApprovalRecord(TypedDict, total=False):
    """A stored ``Approval`` node."""

    id: Required[str]
    version: Required[int]
    created_at: Required[int]  # epoch ms
    updated_at: Required[int]  # epoch ms
    process: Required[str]
    state: str  # ApprovalState
    request: str
    comment: str
    decided_at: int  # epoch ms
    history: str
    requester_id: str
    opportunity_id: str


class AuditEntryRecord(TypedDict, total=False):
    """A stored ``AuditEntry`` system record."""

    id: Required[str]
    at: Required[int]  # epoch ms
    actor_id: str
    actor_name: str
    actor_member_id: str
    operation: Required[str]
    target_kind: Required[str]
    target_id: Required[str]
    changes: Required[str]
    subjects: str
    seq: int


class AuditSequenceRecord(TypedDict, total=False):
    """A stored ``AuditSequence`` system record."""

    id: Required[str]
    epoch: Required[str]
    n: Required[int]
    bulk: int


class StageTransitionRecord(TypedDict, total=False):
    """A stored ``StageTransition`` system record."""

    id: Required[str]
    opportunity_id: Required[str]
    from_stage: str  # Stage
    to_stage: Required[str]  # Stage
    reason: str
    lost_to_competitor_id: str
    actor_id: str
    actor_name: str
    member_id: str
    at: Required[int]  # epoch ms
    gate_is_real: int
    gate_can_compete: int
    gate_can_win: int
    gate_worth_it: int
    gate_win_likelihood: float
    gate_prior_share: float


class DeliveryReviewRecord(TypedDict, total=False):
    """A stored ``DeliveryReview`` system record."""

    id: Required[str]
    opportunity_id: Required[str]
    reviewer_id: Required[str]
    reviewed_at: Required[int]  # epoch ms
    feasible: Required[bool]
    workload_person_days: float
    reviewed_quote_amount: int  # minor units
    comment: str


class ViolationRecord(TypedDict, total=False):
    """A stored ``Violation`` system record."""

    id: Required[str]
    key: Required[str]
    rule: Required[str]
    opportunity_id: Required[str]
    subject: str
    responsible_member_id: str
    message_zh: str
    message_en: str
    evidence: str
    detected_at: Required[int]  # epoch ms
    last_seen_at: int  # epoch ms
    acknowledged: Required[bool]
    acknowledged_at: int  # epoch ms
    acknowledged_by: str
    acknowledged_member_id: str
    acknowledgement_note: str
    responded_at: int  # epoch ms
    responded_by: str
    response_member_id: str
    response_note: str
    put_right_by: str  # YYYY-MM-DD
    sent_back_at: int  # epoch ms
    sent_back_by: str
    sent_back_member_id: str
    sent_back_note: str
    resolved_at: int  # epoch ms
    repeat_of: str
    repeat: int
    again_zh: str
    again_en: str
    repeated_at: int  # epoch ms


class UserRecord(TypedDict, total=False):
    """A stored ``User`` system record."""

    id: Required[str]
    name: Required[str]
    role: Required[str]
    created_at: int  # epoch ms
    disabled: bool


class ApiTokenRecord(TypedDict, total=False):
    """A stored ``ApiToken`` system record."""

    id: Required[str]
    hash: Required[str]
    label: str
    created_at: int  # epoch ms
    revoked_at: int  # epoch ms


class WinModelRecord(TypedDict, total=False):
    """A stored ``WinModel`` system record."""

    id: Required[str]
    fitted_at: Required[int]  # epoch ms
    source: Required[str]
    active: Required[bool]
    deals: Required[int]
    won: Required[int]
    weights: Required[str]
    prior_brier: float
    prior_log_loss: float
    brier: float
    log_loss: float
    reliability: str
    effects: str
    note_en: str
    note_zh: str
    actor_name: str
    previous_id: str
    rolled_back_at: int  # epoch ms


class WebhookEndpointRecord(TypedDict, total=False):
    """A stored ``WebhookEndpoint`` system record."""

    id: Required[str]
    url: Required[str]
    events: str
    description: str
    enabled: Required[bool]
    enabled_since: int  # epoch ms
    disabled_reason: str
    secret: Required[str]
    previous_secret: str
    previous_secret_until: int  # epoch ms
    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class WebhookEventRecord(TypedDict, total=False):
    """A stored ``WebhookEvent`` system record."""

    id: Required[str]
    type: Required[str]
    at: Required[int]  # epoch ms
    target_id: str
    person_ids: str
    payload: Required[str]
    erased_payload: str
    fanned_out: Required[bool]


class WebhookDeliveryRecord(TypedDict, total=False):
    """A stored ``WebhookDelivery`` system record."""

    id: Required[str]
    event_id: Required[str]
    endpoint_id: Required[str]
    event_type: str
    status: Required[str]
    attempts: Required[int]
    created_at: int  # epoch ms
    next_attempt_at: Required[int]  # epoch ms
    deadline_at: Required[int]  # epoch ms
    lease_until: Required[int]  # epoch ms
    lease_owner: str
    last_attempt_at: int  # epoch ms
    last_status: int
    last_error: str
    last_error_zh: str
    delivered_at: int  # epoch ms


class WorksAtEdge(TypedDict, total=False):
    """The properties of a ``WORKS_AT`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    title: str
    department: str


class ReportsToEdge(TypedDict, total=False):
    """The properties of a ``REPORTS_TO`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class InfluencesEdge(TypedDict, total=False):
    """The properties of a ``INFLUENCES`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    strength: str  # TieStrength


class ForEdge(TypedDict, total=False):
    """The properties of a ``FOR`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class InDecisionChainEdge(TypedDict, total=False):
    """The properties of a ``IN_DECISION_CHAIN`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    version: int  # its changes, counted
    role: Required[str]  # DecisionRole
    influence: str  # InfluenceLevel
    attitude: str  # Attitude
    needs: str
    needs_fit: str  # NeedsFit
    external_kind: str  # ExternalKind


class OnTeamEdge(TypedDict, total=False):
    """The properties of a ``ON_TEAM`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    role: Required[str]  # TeamRole
    phase: str  # LifecyclePhase


class KnowsEdge(TypedDict, total=False):
    """The properties of a ``KNOWS`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    level: str  # TieStrength
    since: str  # YYYY-MM-DD


class CompetesForEdge(TypedDict, total=False):
    """The properties of a ``COMPETES_FOR`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    position: str  # CompetitivePosition
    price_position: str  # PricePosition


class CloseToEdge(TypedDict, total=False):
    """The properties of a ``CLOSE_TO`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms
    level: str  # TieStrength


class WithEdge(TypedDict, total=False):
    """The properties of a ``WITH`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class AboutEdge(TypedDict, total=False):
    """The properties of a ``ABOUT`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class DidEdge(TypedDict, total=False):
    """The properties of a ``DID`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class PlannedForEdge(TypedDict, total=False):
    """The properties of a ``PLANNED_FOR`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class TargetsEdge(TypedDict, total=False):
    """The properties of a ``TARGETS`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class AssignedToEdge(TypedDict, total=False):
    """The properties of a ``ASSIGNED_TO`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class ResultedInEdge(TypedDict, total=False):
    """The properties of a ``RESULTED_IN`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class RequestedForEdge(TypedDict, total=False):
    """The properties of a ``REQUESTED_FOR`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class RequestedByEdge(TypedDict, total=False):
    """The properties of a ``REQUESTED_BY`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class DecidedByEdge(TypedDict, total=False):
    """The properties of a ``DECIDED_BY`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


class PartOfEdge(TypedDict, total=False):
    """The properties of a ``PART_OF`` edge."""

    created_at: int  # epoch ms
    updated_at: int  # epoch ms


NodeRecord = (
    CustomerRecord
    | KeyPersonRecord
    | CompetitorRecord
    | OpportunityRecord
    | TeamMemberRecord
    | ActivityRecord
    | WorkPlanItemRecord
    | ApprovalRecord
)
"""Any stored node of the domain graph."""


EdgeRecord = (
    WorksAtEdge
    | ReportsToEdge
    | InfluencesEdge
    | ForEdge
    | InDecisionChainEdge
    | OnTeamEdge
    | KnowsEdge
    | CompetesForEdge
    | CloseToEdge
    | WithEdge
    | AboutEdge
    | DidEdge
    | PlannedForEdge
    | TargetsEdge
    | AssignedToEdge
    | ResultedInEdge
    | RequestedForEdge
    | RequestedByEdge
    | DecidedByEdge
    | PartOfEdge
)
"""The properties of any edge of the domain graph."""
