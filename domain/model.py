"""The graph model: node kinds, edge kinds and the typed, limited fields of each.

One declarative table drives validation, the store's statements, export/import and the Cypher
lint schema, so a field is added in exactly one place.

Besides the domain graph (``NodeKind`` / ``EdgeKind``, each kind with its API type, generic
statements and visibility rule) the store keeps system records (``RecordKind`` /
``RecordEdgeKind``): the audit trail, the TAS+ process records and sign-in. They are declared
here too, with every property they store, but each is written only by its own statements: they
have no GraphQL node type and no generic create, update, delete or list statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from domain.currencies import ALIASES, ISO_4217
from domain.vocabulary import (
    ActivityType,
    ApprovalState,
    Attitude,
    CompetitivePosition,
    DecisionRole,
    DeliveryRisk,
    DepartureKind,
    DropReason,
    ExternalKind,
    Grade,
    InfluenceLevel,
    LifecyclePhase,
    NeedsFit,
    Outcome,
    PricePosition,
    QuoteStatus,
    Stage,
    TeamRole,
    TieStrength,
    WorkPlanStatus,
)


class NodeKind(StrEnum):
    """Node labels of the domain graph."""

    CUSTOMER = "Customer"
    KEY_PERSON = "KeyPerson"
    COMPETITOR = "Competitor"
    OPPORTUNITY = "Opportunity"
    TEAM_MEMBER = "TeamMember"
    ACTIVITY = "Activity"
    WORK_PLAN_ITEM = "WorkPlanItem"
    APPROVAL = "Approval"


class EdgeKind(StrEnum):
    """Relationship types of the domain graph."""

    WORKS_AT = "WORKS_AT"
    REPORTS_TO = "REPORTS_TO"
    INFLUENCES = "INFLUENCES"
    FOR = "FOR"
    IN_DECISION_CHAIN = "IN_DECISION_CHAIN"
    ON_TEAM = "ON_TEAM"
    KNOWS = "KNOWS"
    COMPETES_FOR = "COMPETES_FOR"
    CLOSE_TO = "CLOSE_TO"
    WITH = "WITH"
    ABOUT = "ABOUT"
    DID = "DID"
    PLANNED_FOR = "PLANNED_FOR"
    TARGETS = "TARGETS"
    ASSIGNED_TO = "ASSIGNED_TO"
    RESULTED_IN = "RESULTED_IN"
    REQUESTED_FOR = "REQUESTED_FOR"
    REQUESTED_BY = "REQUESTED_BY"
    DECIDED_BY = "DECIDED_BY"
    PART_OF = "PART_OF"


class RecordKind(StrEnum):
    """Node labels of the system records kept beside the domain graph."""

    AUDIT_ENTRY = "AuditEntry"
    AUDIT_SEQUENCE = "AuditSequence"
    STAGE_TRANSITION = "StageTransition"
    DELIVERY_REVIEW = "DeliveryReview"
    VIOLATION = "Violation"
    USER = "User"
    API_TOKEN = "ApiToken"
    WIN_MODEL = "WinModel"
    WEBHOOK_ENDPOINT = "WebhookEndpoint"
    WEBHOOK_EVENT = "WebhookEvent"
    WEBHOOK_DELIVERY = "WebhookDelivery"


class RecordEdgeKind(StrEnum):
    """Relationship types of the system records."""

    TRANSITION_OF = "TRANSITION_OF"
    REVIEW_OF = "REVIEW_OF"
    REVIEWED_BY = "REVIEWED_BY"
    VIOLATION_OF = "VIOLATION_OF"
    AUTHENTICATES = "AUTHENTICATES"
    ACTS_AS = "ACTS_AS"
    MANAGES = "MANAGES"


Label = NodeKind | RecordKind
"""Any node label the store writes."""
RelType = EdgeKind | RecordEdgeKind
"""Any relationship type the store writes."""


class FieldType(StrEnum):
    """Stored value types; all of them are portable between Neo4j and FalkorDB."""

    STRING = "STRING"
    INT = "INT"
    MONEY = "MONEY"  # integer minor units, never a float
    FLOAT = "FLOAT"
    BOOL = "BOOL"
    ENUM = "ENUM"
    TIMESTAMP = "TIMESTAMP"  # UTC epoch milliseconds
    DATE = "DATE"  # ISO-8601 calendar date, YYYY-MM-DD (sorts as text)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One stored property: its type, whether it is required, its limits and default."""

    name: str
    value_type: FieldType
    required: bool = False
    max_length: int | None = None
    enum: type[StrEnum] | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: object = None
    pattern: str | None = None
    pattern_text: tuple[str, str] = ("", "")
    """What a value of ``pattern`` looks like, for people (English, Chinese)."""
    codes: frozenset[str] | None = None
    """The values a code field may take (a currency: ISO 4217's), beyond its pattern."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Names people write instead of a code, and the code they mean (RMB → CNY)."""


def text(name: str, max_length: int = 200, *, required: bool = False) -> FieldSpec:
    """A string field with a length limit (200 characters unless said otherwise)."""
    return FieldSpec(name, FieldType.STRING, required=required, max_length=max_length)


def choice(
    name: str, enum: type[StrEnum], *, default: StrEnum | None = None, required: bool = False
) -> FieldSpec:
    """An enum field; with a default it is never missing."""
    return FieldSpec(name, FieldType.ENUM, required=required, enum=enum, default=default)


def money(name: str, *, required: bool = False) -> FieldSpec:
    """A non-negative amount in integer minor units (cents, fen)."""
    return FieldSpec(name, FieldType.MONEY, required=required, minimum=0, maximum=10**15)


NOTES_LIMIT: Final = 5000


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """A node kind and its own fields (besides id, version and the two time stamps).

    ``fields`` are the API's: GraphQL attributes, create and update input, sort keys.
    ``stored`` are properties that only dedicated statements write (the TAS+ process, erasure,
    a step dropped); they are stored, exported and imported, never API input, and output only
    where a type shows them on purpose (a dropped step's reason).
    """

    kind: NodeKind
    fields: tuple[FieldSpec, ...]
    personal: tuple[str, ...] = ()
    stored: tuple[FieldSpec, ...] = ()

    def field(self, name: str) -> FieldSpec | None:
        """Return the spec of a field by name, or None."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def all_fields(self) -> tuple[FieldSpec, ...]:
        """Every property a node of this kind may store besides the system fields."""
        return self.fields + self.stored


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    """An edge kind: the node kinds it may join, its fields, and whether a source has one only."""

    kind: EdgeKind
    sources: tuple[NodeKind, ...]
    targets: tuple[NodeKind, ...]
    fields: tuple[FieldSpec, ...] = ()
    single_per_source: bool = False
    no_cycles: bool = False
    no_self_loops: bool = True
    same_group: bool = False
    """Both ends are key persons of one customer or of one group (customers joined by
    PART_OF): an org chart never reaches into an unrelated organisation."""


CURRENCY = FieldSpec(
    "currency",
    FieldType.STRING,
    max_length=3,
    default="CNY",
    pattern=r"[A-Z]{3}",
    pattern_text=(
        "an ISO 4217 currency code in capitals, such as CNY",
        "ISO 4217 大写货币代码，如 CNY",
    ),
    codes=ISO_4217,
    aliases=ALIASES,
)
EMAIL = FieldSpec(
    "email",
    FieldType.STRING,
    max_length=254,
    pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+",
    pattern_text=(
        "an e-mail address such as name@example.com",
        "电子邮件地址，如 name@example.com",
    ),
)

NODE_SPECS: Final[dict[NodeKind, NodeSpec]] = {
    spec.kind: spec
    for spec in (
        NodeSpec(
            NodeKind.CUSTOMER,
            (
                text("name", required=True),
                text("industry", 100),
                text("region", 100),
                FieldSpec("employees", FieldType.INT, minimum=0, maximum=10_000_000),
                money("annual_revenue"),
                CURRENCY,
                text("website", 300),
                text("notes", NOTES_LIMIT),
            ),
        ),
        NodeSpec(
            NodeKind.KEY_PERSON,
            (
                text("name", 100, required=True),
                text("name_en", 100),
                EMAIL,
                text("phone", 50),
                text("notes", NOTES_LIMIT),
            ),
            # where they went on leaving the customer is theirs too (erased with the rest)
            personal=("name", "name_en", "email", "phone", "notes", "left_to"),
            stored=(
                FieldSpec("erased_at", FieldType.TIMESTAMP),
                # The end of their job at the customer (graph.departures: recorded once, on
                # every deal at once): the day they left (earlier than the day it is recorded,
                # often), how, where they went when known, and when it was recorded (the steps
                # with them dropped then are the ones its undo opens again), and who of the
                # customer holds their job now, once the team names them (their successor),
                # and when the team named them (the follow-up's clocks start then).
                FieldSpec("left_on", FieldType.DATE),
                choice("left_how", DepartureKind),
                text("left_to", 200),
                FieldSpec("left_recorded_at", FieldType.TIMESTAMP),
                FieldSpec("left_successor_id", FieldType.STRING),
                FieldSpec("left_successor_at", FieldType.TIMESTAMP),
            ),
            # DEPARTURE_FIELDS below names these six
        ),
        NodeSpec(
            NodeKind.COMPETITOR,
            (
                text("name", required=True),
                text("website", 300),
                text("strengths", NOTES_LIMIT),
                text("weaknesses", NOTES_LIMIT),
            ),
            stored=(FieldSpec("name_key", FieldType.STRING),),
        ),
        NodeSpec(
            NodeKind.OPPORTUNITY,
            (
                text("name", required=True),
                choice("stage", Stage, default=Stage.VALIDATE),
                choice("grade", Grade, default=Grade.C),
                money("amount"),
                CURRENCY,
                money("budget"),
                money("quote_amount"),
                choice("quote_status", QuoteStatus, default=QuoteStatus.NONE),
                FieldSpec("expected_close_date", FieldType.DATE),
                text("compelling_event", 500),
                FieldSpec("decision_process_known", FieldType.BOOL, default=False),
                money("presales_cost"),
                money("delivery_cost"),
                choice("delivery_risk", DeliveryRisk, default=DeliveryRisk.MEDIUM),
                FieldSpec("delivery_reviewed", FieldType.BOOL, default=False),
                text("description", NOTES_LIMIT),
                FieldSpec("stage_entered_at", FieldType.TIMESTAMP),
                # When our quote was last submitted (graph.process_store.submit_quote; cleared
                # when a changed amount sends it back to draft): how long the budget holders have
                # had our price before them.
                FieldSpec("quote_submitted_at", FieldType.TIMESTAMP),
            ),
            stored=(
                # JSON list of the close date's changes, [before, after, stage, at] each, oldest
                # first (graph.moves): the forecast pushed out again and again.
                FieldSpec("close_date_moves", FieldType.STRING),
                # JSON list of the quote amount's changes, [before, after, at] each, oldest first
                # (graph.moves): an objection made to a quote since re-cut.
                FieldSpec("quote_moves", FieldType.STRING),
                # The furthest open stage the deal has stood at (graph.process_store's stage
                # moves): a deal moved back still carries the risks it showed there.
                choice("furthest_stage", Stage),
                # The open stage a closed deal was closed from (the same stage moves): its
                # questions read as they stood before the close, not at a stage with no risks.
                choice("closed_from", Stage),
                # The quote amount the delivery manager's newest review judged not deliverable
                # (graph.process_store.record_delivery_review; absent after a feasible one): the
                # quote as it stands is refused while it is this amount, not merely unreviewed.
                money("infeasible_quote_amount"),
            ),
        ),
        NodeSpec(
            NodeKind.TEAM_MEMBER,
            (
                text("name", 100, required=True),
                EMAIL,
                text("title", 200),
                choice("role", TeamRole),
                FieldSpec("left_at", FieldType.TIMESTAMP),
            ),
        ),
        NodeSpec(
            NodeKind.ACTIVITY,
            (
                choice("type", ActivityType, required=True),
                FieldSpec("occurred_at", FieldType.TIMESTAMP, required=True),
                text("summary", 2000, required=True),
                choice("outcome", Outcome, default=Outcome.NEUTRAL),
                choice("solution_reaction", Outcome),
                choice("price_reaction", Outcome),
            ),
        ),
        NodeSpec(
            NodeKind.WORK_PLAN_ITEM,
            (
                text("title", 300, required=True),
                text("action", 64),
                FieldSpec("due_date", FieldType.DATE),
                choice("status", WorkPlanStatus, default=WorkPlanStatus.OPEN),
                text("rationale", 2000),
                FieldSpec("expected_gain", FieldType.FLOAT),
                text("result", 2000),
            ),
            # The observed effect of the play on its target (strategy.effects): closeness and
            # attitude when the result was recorded, and their change by the window's end.
            stored=(
                # The clauses of a suggestion's rationale (strategy.rationale): names, labels'
                # codes and scores, so every reader gets the rationale in their language.
                text("rationale_clauses", 4000),
                # When the step was dropped from the plan (workPlanItemCancel), why, and for a
                # wrong timing the day it may come back: its play waits before it is suggested
                # again for its person (strategy.workplan.held_back).
                FieldSpec("dropped_at", FieldType.TIMESTAMP),
                choice("drop_reason", DropReason),
                FieldSpec("resume_on", FieldType.DATE),
                text("effect_role", 32),
                FieldSpec("effect_before_closeness", FieldType.INT),
                FieldSpec("effect_before_attitude", FieldType.INT),
                FieldSpec("effect_due_at", FieldType.TIMESTAMP),
                FieldSpec("effect_closeness_delta", FieldType.FLOAT),
                FieldSpec("effect_attitude_delta", FieldType.FLOAT),
                FieldSpec("effect_observed_at", FieldType.TIMESTAMP),
            ),
        ),
        NodeSpec(
            NodeKind.APPROVAL,
            (
                text("process", 10, required=True),
                choice("state", ApprovalState, default=ApprovalState.PENDING),
                text("request", 20_000),
                text("comment", 2000),
                FieldSpec("decided_at", FieldType.TIMESTAMP),
            ),
            stored=(
                FieldSpec("history", FieldType.STRING),  # JSON list of state changes
                text("requester_id", 100),
                text("opportunity_id", 100),
            ),
        ),
    )
}

DEPARTURE_FIELDS: Final = (
    "left_on",
    "left_how",
    "left_to",
    "left_recorded_at",
    "left_successor_id",
    "left_successor_at",
)
"""A key person's stored departure (``domain.chain.Departure``): set and cleared together."""

TIE = choice("level", TieStrength, default=TieStrength.MODERATE)
PERSON = (NodeKind.KEY_PERSON,)

EDGE_SPECS: Final[dict[EdgeKind, EdgeSpec]] = {
    spec.kind: spec
    for spec in (
        EdgeSpec(
            EdgeKind.WORKS_AT,
            PERSON,
            (NodeKind.CUSTOMER,),
            (text("title", 200), text("department", 200)),
            single_per_source=True,
        ),
        EdgeSpec(
            EdgeKind.REPORTS_TO,
            PERSON,
            PERSON,
            single_per_source=True,
            no_cycles=True,
            same_group=True,
        ),
        EdgeSpec(
            EdgeKind.INFLUENCES,
            PERSON,
            PERSON,
            (choice("strength", TieStrength, default=TieStrength.MODERATE),),
            same_group=True,
        ),
        EdgeSpec(
            EdgeKind.FOR, (NodeKind.OPPORTUNITY,), (NodeKind.CUSTOMER,), single_per_source=True
        ),
        EdgeSpec(
            EdgeKind.IN_DECISION_CHAIN,
            PERSON,
            (NodeKind.OPPORTUNITY,),
            (
                choice("role", DecisionRole, required=True),
                choice("influence", InfluenceLevel, default=InfluenceLevel.MEDIUM),
                choice("attitude", Attitude, default=Attitude.NEUTRAL),
                text("needs", 2000),
                choice("needs_fit", NeedsFit, default=NeedsFit.UNKNOWN),
                # Set only for a person of another organisation than the deal's customer (an
                # expert, a consultant, a group-HQ officer): the write statements refuse an
                # outsider without it and an insider with it, so the chain never mixes them up.
                choice("external_kind", ExternalKind),
            ),
        ),
        EdgeSpec(
            EdgeKind.ON_TEAM,
            (NodeKind.TEAM_MEMBER,),
            (NodeKind.OPPORTUNITY, NodeKind.CUSTOMER),
            (
                choice("role", TeamRole, required=True),
                choice("phase", LifecyclePhase, default=LifecyclePhase.DEAL),
            ),
        ),
        EdgeSpec(
            EdgeKind.KNOWS,
            (NodeKind.TEAM_MEMBER, NodeKind.KEY_PERSON),
            PERSON,
            (TIE, FieldSpec("since", FieldType.DATE)),
        ),
        EdgeSpec(
            EdgeKind.COMPETES_FOR,
            (NodeKind.COMPETITOR,),
            (NodeKind.OPPORTUNITY,),
            (
                choice("position", CompetitivePosition, default=CompetitivePosition.UNKNOWN),
                choice("price_position", PricePosition, default=PricePosition.UNKNOWN),
            ),
        ),
        EdgeSpec(EdgeKind.CLOSE_TO, (NodeKind.COMPETITOR,), PERSON, (TIE,)),
        EdgeSpec(EdgeKind.WITH, (NodeKind.ACTIVITY,), PERSON),
        EdgeSpec(
            EdgeKind.ABOUT, (NodeKind.ACTIVITY,), (NodeKind.OPPORTUNITY,), single_per_source=True
        ),
        EdgeSpec(EdgeKind.DID, (NodeKind.TEAM_MEMBER,), (NodeKind.ACTIVITY,)),
        EdgeSpec(
            EdgeKind.PLANNED_FOR,
            (NodeKind.WORK_PLAN_ITEM,),
            (NodeKind.OPPORTUNITY,),
            single_per_source=True,
        ),
        EdgeSpec(EdgeKind.TARGETS, (NodeKind.WORK_PLAN_ITEM,), PERSON, single_per_source=True),
        EdgeSpec(
            EdgeKind.ASSIGNED_TO,
            (NodeKind.WORK_PLAN_ITEM,),
            (NodeKind.TEAM_MEMBER,),
            single_per_source=True,
        ),
        EdgeSpec(
            EdgeKind.RESULTED_IN,
            (NodeKind.WORK_PLAN_ITEM,),
            (NodeKind.ACTIVITY,),
            single_per_source=True,
        ),
        EdgeSpec(
            EdgeKind.REQUESTED_FOR,
            (NodeKind.APPROVAL,),
            (NodeKind.OPPORTUNITY,),
            single_per_source=True,
        ),
        EdgeSpec(
            EdgeKind.REQUESTED_BY,
            (NodeKind.APPROVAL,),
            (NodeKind.TEAM_MEMBER,),
            single_per_source=True,
        ),
        EdgeSpec(
            EdgeKind.DECIDED_BY,
            (NodeKind.APPROVAL,),
            (NodeKind.TEAM_MEMBER,),
            single_per_source=True,
        ),
        # A subsidiary and its parent (group company). Customers of one tree form a group: its
        # people may report to and influence each other, and group officers may sit in the
        # decision chains of the group's deals.
        EdgeSpec(
            EdgeKind.PART_OF,
            (NodeKind.CUSTOMER,),
            (NodeKind.CUSTOMER,),
            single_per_source=True,
            no_cycles=True,
        ),
    )
}

# --- system records ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """A system record kind and every property it stores besides its ``id``."""

    kind: RecordKind
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True, slots=True)
class RecordEdgeSpec:
    """A relationship of the system records: the labels it joins and every property it stores."""

    kind: RecordEdgeKind
    sources: tuple[Label, ...]
    targets: tuple[Label, ...]
    fields: tuple[FieldSpec, ...] = ()
    single_per_source: bool = False
    no_cycles: bool = False
    no_self_loops: bool = True


def _timestamp(name: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, FieldType.TIMESTAMP, required=required)


def _json(name: str, *, required: bool = False) -> FieldSpec:
    """JSON text written by the app itself (no length limit)."""
    return FieldSpec(name, FieldType.STRING, required=required)


def _free(name: str) -> FieldSpec:
    """Free text a record keeps as given (reasons, notes, messages): no length limit, so a
    backup never refuses what the app accepted."""
    return FieldSpec(name, FieldType.STRING)


RECORD_SPECS: Final[dict[RecordKind, RecordSpec]] = {
    spec.kind: spec
    for spec in (
        # One per write, created in the same statement as the change (graph.store._audit).
        RecordSpec(
            RecordKind.AUDIT_ENTRY,
            (
                _timestamp("at", required=True),
                text("actor_id", 200),
                text("actor_name", 200),
                # The team member the login acted as then (none: nobody, or an older entry).
                text("actor_member_id", 100),
                text("operation", 64, required=True),
                text("target_kind", 64, required=True),
                text("target_id", 300, required=True),
                _json("changes", required=True),
                _json("subjects"),
                # Numbered by the write statement from the audit sequence (see below).
                FieldSpec("seq", FieldType.INT, minimum=1),
            ),
        ),
        # The store's one audit sequence: which sequence it is, the number of the last audit
        # entry, and of the last bulk change (an import). Readers of kept results check what
        # came after what they saw (resolvers.kept); this store's bookkeeping, never exported.
        RecordSpec(
            RecordKind.AUDIT_SEQUENCE,
            (
                text("epoch", 36, required=True),
                FieldSpec("n", FieldType.INT, required=True, minimum=0),
                FieldSpec("bulk", FieldType.INT, minimum=0),
            ),
        ),
        # (:StageTransition)-[:TRANSITION_OF]->(:Opportunity): one per stage move.
        RecordSpec(
            RecordKind.STAGE_TRANSITION,
            (
                text("opportunity_id", 100, required=True),
                choice("from_stage", Stage),
                choice("to_stage", Stage, required=True),
                _free("reason"),
                text("lost_to_competitor_id", 100),
                text("actor_id", 200),
                text("actor_name", 200),
                text("member_id", 100),
                _timestamp("at", required=True),
                # What the win model saw at this gate (strategy.calibration learns from it).
                FieldSpec("gate_is_real", FieldType.INT),
                FieldSpec("gate_can_compete", FieldType.INT),
                FieldSpec("gate_can_win", FieldType.INT),
                FieldSpec("gate_worth_it", FieldType.INT),
                FieldSpec("gate_win_likelihood", FieldType.FLOAT),
                # How much of its stage's prior the model applied (assessment.earned_share).
                FieldSpec("gate_prior_share", FieldType.FLOAT),
            ),
        ),
        # (:DeliveryReview)-[:REVIEW_OF]->(:Opportunity), -[:REVIEWED_BY]->(:TeamMember).
        RecordSpec(
            RecordKind.DELIVERY_REVIEW,
            (
                text("opportunity_id", 100, required=True),
                text("reviewer_id", 100, required=True),
                _timestamp("reviewed_at", required=True),
                FieldSpec("feasible", FieldType.BOOL, required=True),
                FieldSpec("workload_person_days", FieldType.FLOAT),
                money("reviewed_quote_amount"),
                _free("comment"),
            ),
        ),
        # (:Violation)-[:VIOLATION_OF]->(:Opportunity), keyed by the finding's stable key while
        # open; acknowledged, resolved when its cause is gone, raised again (``repeat_of``) when
        # an acknowledged one's cause still holds at its recheck; never deleted.
        RecordSpec(
            RecordKind.VIOLATION,
            (
                FieldSpec("key", FieldType.STRING, required=True),
                text("rule", 64, required=True),
                text("opportunity_id", 100, required=True),
                _free("subject"),
                text("responsible_member_id", 100),
                _free("message_zh"),
                _free("message_en"),
                _json("evidence"),
                _timestamp("detected_at", required=True),
                _timestamp("last_seen_at"),
                FieldSpec("acknowledged", FieldType.BOOL, required=True),
                _timestamp("acknowledged_at"),
                text("acknowledged_by", 200),
                text("acknowledged_member_id", 100),
                _free("acknowledgement_note"),
                _timestamp("responded_at"),
                text("responded_by", 200),
                text("response_member_id", 100),
                _free("response_note"),
                FieldSpec("put_right_by", FieldType.DATE),  # the response's promise
                _timestamp("sent_back_at"),
                text("sent_back_by", 200),
                text("sent_back_member_id", 100),
                _free("sent_back_note"),
                _timestamp("resolved_at"),
                text("repeat_of", 100),
                FieldSpec("repeat", FieldType.INT, minimum=1),
                _free("again_zh"),  # how a repeat says it is one, after its finding's words
                _free("again_en"),
                _timestamp("repeated_at"),
            ),
        ),
        # (:User)-[:ACTS_AS]->(:TeamMember); the id is the user's name (the JWT ``sub``).
        RecordSpec(
            RecordKind.USER,
            (
                text("name", 100, required=True),
                text("role", 32, required=True),
                _timestamp("created_at"),
                FieldSpec("disabled", FieldType.BOOL),
            ),
        ),
        # (:ApiToken)-[:AUTHENTICATES]->(:User); only the sha256 of the secret is stored.
        RecordSpec(
            RecordKind.API_TOKEN,
            (
                FieldSpec("hash", FieldType.STRING, required=True, max_length=64),
                _free("label"),
                _timestamp("created_at"),
                _timestamp("revoked_at"),
            ),
        ),
        # One per calibration run; the active one is in force, previous_id allows rollback.
        RecordSpec(
            RecordKind.WIN_MODEL,
            (
                _timestamp("fitted_at", required=True),
                text("source", 16, required=True),
                FieldSpec("active", FieldType.BOOL, required=True),
                FieldSpec("deals", FieldType.INT, required=True),
                FieldSpec("won", FieldType.INT, required=True),
                _json("weights", required=True),
                FieldSpec("prior_brier", FieldType.FLOAT),
                FieldSpec("prior_log_loss", FieldType.FLOAT),
                FieldSpec("brier", FieldType.FLOAT),
                FieldSpec("log_loss", FieldType.FLOAT),
                _json("reliability"),
                _json("effects"),
                _free("note_en"),
                _free("note_zh"),
                text("actor_name", 200),
                text("previous_id", 100),
                _timestamp("rolled_back_at"),
            ),
        ),
        # Webhooks (docs/webhooks.md). An endpoint's signing secret is written once and never
        # read back by a list; ``events`` is a ``|``-delimited list of event types (``|*|``:
        # every type), so matching is one CONTAINS on both back ends.
        RecordSpec(
            RecordKind.WEBHOOK_ENDPOINT,
            (
                text("url", 2000, required=True),
                _free("events"),
                _free("description"),
                FieldSpec("enabled", FieldType.BOOL, required=True),
                _timestamp("enabled_since"),
                _free("disabled_reason"),
                FieldSpec("secret", FieldType.STRING, required=True),
                FieldSpec("previous_secret", FieldType.STRING),
                _timestamp("previous_secret_until"),
                _timestamp("created_at"),
                _timestamp("updated_at"),
            ),
        ),
        # The outbox: one per committed change that has an event type, created by the audit
        # fragment in the statement of the change itself. ``payload`` is the exact body sent;
        # ``erased_payload`` replaces it when a person it names is erased.
        RecordSpec(
            RecordKind.WEBHOOK_EVENT,
            (
                text("type", 64, required=True),
                _timestamp("at", required=True),
                text("target_id", 300),
                _free("person_ids"),
                _json("payload", required=True),
                _json("erased_payload"),
                FieldSpec("fanned_out", FieldType.BOOL, required=True),
            ),
        ),
        # One event to one endpoint; claimed with a lease, kept when it fails for replay.
        RecordSpec(
            RecordKind.WEBHOOK_DELIVERY,
            (
                text("event_id", 100, required=True),
                text("endpoint_id", 100, required=True),
                text("event_type", 64),
                text("status", 16, required=True),
                FieldSpec("attempts", FieldType.INT, required=True, minimum=0),
                _timestamp("created_at"),
                _timestamp("next_attempt_at", required=True),
                _timestamp("deadline_at", required=True),
                _timestamp("lease_until", required=True),
                text("lease_owner", 100),
                _timestamp("last_attempt_at"),
                FieldSpec("last_status", FieldType.INT),
                _free("last_error"),
                _free("last_error_zh"),
                _timestamp("delivered_at"),
            ),
        ),
    )
}

_OPPORTUNITY = (NodeKind.OPPORTUNITY,)
_MEMBER = (NodeKind.TEAM_MEMBER,)

RECORD_EDGE_SPECS: Final[dict[RecordEdgeKind, RecordEdgeSpec]] = {
    spec.kind: spec
    for spec in (
        RecordEdgeSpec(
            RecordEdgeKind.TRANSITION_OF,
            (RecordKind.STAGE_TRANSITION,),
            _OPPORTUNITY,
            single_per_source=True,
        ),
        RecordEdgeSpec(
            RecordEdgeKind.REVIEW_OF,
            (RecordKind.DELIVERY_REVIEW,),
            _OPPORTUNITY,
            single_per_source=True,
        ),
        RecordEdgeSpec(
            RecordEdgeKind.REVIEWED_BY,
            (RecordKind.DELIVERY_REVIEW,),
            _MEMBER,
            single_per_source=True,
        ),
        RecordEdgeSpec(
            RecordEdgeKind.VIOLATION_OF,
            (RecordKind.VIOLATION,),
            _OPPORTUNITY,
            single_per_source=True,
        ),
        RecordEdgeSpec(
            RecordEdgeKind.AUTHENTICATES,
            (RecordKind.API_TOKEN,),
            (RecordKind.USER,),
            single_per_source=True,
        ),
        RecordEdgeSpec(RecordEdgeKind.ACTS_AS, (RecordKind.USER,), _MEMBER, single_per_source=True),
        # A director's team: who manages whom, transitively.
        RecordEdgeSpec(
            RecordEdgeKind.MANAGES,
            _MEMBER,
            _MEMBER,
            (_timestamp("created_at"),),
            no_cycles=True,
        ),
    )
}

SYSTEM_FIELDS: Final = ("id", "version", "created_at", "updated_at")


def all_labels() -> tuple[Label, ...]:
    """Every node label the store writes: the domain kinds, then the system records."""
    return (*NodeKind, *RecordKind)


def all_rel_types() -> tuple[RelType, ...]:
    """Every relationship type the store writes: the domain kinds, then the system records."""
    return (*EdgeKind, *RecordEdgeKind)


def all_property_keys() -> frozenset[str]:
    """Every property key the store writes (domain nodes and edges, system records and their
    relationships), for schema-aware linting, the store's vocabulary and export."""
    keys: set[str] = set(SYSTEM_FIELDS)
    for node in NODE_SPECS.values():
        keys.update(f.name for f in node.all_fields)
    for edge in EDGE_SPECS.values():
        keys.update(f.name for f in edge.fields)
    for record in RECORD_SPECS.values():
        keys.update(f.name for f in record.fields)
    for record_edge in RECORD_EDGE_SPECS.values():
        keys.update(f.name for f in record_edge.fields)
    return frozenset(keys)


def defaults(fields: tuple[FieldSpec, ...]) -> Mapping[str, object]:
    """The default value of every field that has one, as stored (enum values as strings)."""
    return {
        f.name: (f.default.value if isinstance(f.default, StrEnum) else f.default)
        for f in fields
        if f.default is not None
    }
