"""Input objects of the mutations and list filters.

Create inputs list every writable field; update inputs leave unmentioned fields alone and take
``null`` as "clear this field". Validation (lengths, ranges, formats) happens once, in the
model layer, and comes back as field-level userErrors.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from schema import enums
from schema.scalars import Long, to_epoch_ms

UNSET: Any = strawberry.UNSET


def props_of(data: object, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Input object fields given by the client, as store properties."""
    props: dict[str, Any] = {}
    for item in dataclasses.fields(data):  # type: ignore[arg-type]
        if item.name in skip:
            continue
        value = getattr(data, item.name)
        if value is strawberry.UNSET:
            continue
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, datetime):
            value = to_epoch_ms(value)
        props[item.name] = value
    return props


@strawberry.input(description="A new customer")
class CustomerCreateInput:
    name: str
    industry: str | None = UNSET
    region: str | None = UNSET
    employees: int | None = UNSET
    annual_revenue: Long | None = UNSET
    currency: str | None = UNSET
    website: str | None = UNSET
    notes: str | None = UNSET
    key: str | None = strawberry.field(
        default=UNSET, description="Optional stable key (e.g. from a CRM) used as the store id"
    )
    parent_id: relay.GlobalID | None = strawberry.field(
        default=UNSET, description="The parent company (group) this customer belongs to"
    )


@strawberry.input(description="Changes to a customer")
class CustomerUpdateInput:
    version: int = strawberry.field(description="The version you read; stale versions conflict")
    name: str | None = UNSET
    industry: str | None = UNSET
    region: str | None = UNSET
    employees: int | None = UNSET
    annual_revenue: Long | None = UNSET
    currency: str | None = UNSET
    website: str | None = UNSET
    notes: str | None = UNSET
    parent_id: relay.GlobalID | None = strawberry.field(
        default=UNSET,
        description="Move the customer under this parent company; null: a group of its own",
    )


@strawberry.input(description="A new key person at a customer")
class KeyPersonCreateInput:
    customer_id: relay.GlobalID
    name: str
    name_en: str | None = UNSET
    title: str | None = UNSET
    department: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    notes: str | None = UNSET
    key: str | None = UNSET


@strawberry.input(description="Changes to a key person")
class KeyPersonUpdateInput:
    version: int
    name: str | None = UNSET
    name_en: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    notes: str | None = UNSET


@strawberry.input(description="A key person's job at their customer")
class EmploymentInput:
    title: str | None = UNSET
    department: str | None = UNSET


@strawberry.input(description="A new competitor")
class CompetitorCreateInput:
    name: str
    website: str | None = UNSET
    strengths: str | None = UNSET
    weaknesses: str | None = UNSET
    key: str | None = UNSET


@strawberry.input(description="Changes to a competitor")
class CompetitorUpdateInput:
    version: int
    name: str | None = UNSET
    website: str | None = UNSET
    strengths: str | None = UNSET
    weaknesses: str | None = UNSET


@strawberry.input(description="A new opportunity with a customer")
class OpportunityCreateInput:
    customer_id: relay.GlobalID
    name: str
    stage: enums.Stage | None = UNSET
    grade: enums.Grade | None = UNSET
    amount: Long | None = UNSET
    currency: str | None = UNSET
    budget: Long | None = UNSET
    quote_amount: Long | None = UNSET
    expected_close_date: str | None = UNSET
    compelling_event: str | None = UNSET
    decision_process_known: bool | None = UNSET
    presales_cost: Long | None = UNSET
    delivery_cost: Long | None = UNSET
    delivery_risk: enums.DeliveryRisk | None = UNSET
    description: str | None = UNSET
    key: str | None = UNSET


@strawberry.input(description="Changes to an opportunity (stage moves go through the gate)")
class OpportunityUpdateInput:
    version: int
    name: str | None = UNSET
    grade: enums.Grade | None = UNSET
    amount: Long | None = UNSET
    currency: str | None = UNSET
    budget: Long | None = UNSET
    quote_amount: Long | None = UNSET
    expected_close_date: str | None = UNSET
    compelling_event: str | None = UNSET
    decision_process_known: bool | None = UNSET
    presales_cost: Long | None = UNSET
    delivery_cost: Long | None = UNSET
    delivery_risk: enums.DeliveryRisk | None = UNSET
    description: str | None = UNSET


@strawberry.input(description="A new member of our team")
class TeamMemberCreateInput:
    name: str
    email: str | None = UNSET
    title: str | None = UNSET
    role: enums.TeamRole | None = UNSET
    key: str | None = UNSET


@strawberry.input(description="Changes to a team member")
class TeamMemberUpdateInput:
    version: int
    name: str | None = UNSET
    email: str | None = UNSET
    title: str | None = UNSET
    role: enums.TeamRole | None = UNSET


@strawberry.input(description="A contact with key persons and how it went")
class ActivityLogInput:
    type: enums.ActivityType
    occurred_at: datetime
    summary: str
    person_ids: list[relay.GlobalID]
    member_ids: list[relay.GlobalID] = strawberry.field(default_factory=list)
    opportunity_id: relay.GlobalID | None = None
    outcome: enums.Outcome | None = UNSET
    solution_reaction: enums.Outcome | None = UNSET
    price_reaction: enums.Outcome | None = UNSET


@strawberry.input(description="Changes to a recorded activity")
class ActivityUpdateInput:
    version: int
    summary: str | None = UNSET
    outcome: enums.Outcome | None = UNSET
    solution_reaction: enums.Outcome | None = UNSET
    price_reaction: enums.Outcome | None = UNSET


@strawberry.input(description="A key person's place in an opportunity's decision chain")
class DecisionChainMemberInput:
    person_id: relay.GlobalID
    opportunity_id: relay.GlobalID
    role: enums.DecisionRole
    influence: enums.InfluenceLevel | None = UNSET
    attitude: enums.Attitude | None = UNSET
    needs: str | None = UNSET
    needs_fit: enums.NeedsFit | None = UNSET
    external_kind: enums.ExternalKind | None = strawberry.field(
        default=UNSET,
        description="For a person of another organisation than the deal's customer: why they "
        "sit in the chain (GROUP_OFFICER: of a parent company). Null: of the customer. "
        "Left out: unchanged",
    )


@strawberry.input(description="Who reports to whom")
class ReportsToInput:
    person_id: relay.GlobalID
    manager_id: relay.GlobalID


@strawberry.input(description="Informal influence of one key person on another")
class InfluenceInput:
    from_person_id: relay.GlobalID
    to_person_id: relay.GlobalID
    strength: enums.TieStrength | None = UNSET


@strawberry.input(
    description="How well someone knows a key person: one of our people (memberId) or "
    "another key person (personId)"
)
class KnowsInput:
    target_person_id: relay.GlobalID
    member_id: relay.GlobalID | None = None
    person_id: relay.GlobalID | None = None
    level: enums.TieStrength | None = UNSET
    since: str | None = UNSET


@strawberry.input(description="A competitor on an opportunity and its standing")
class CompetitorOnOpportunityInput:
    competitor_id: relay.GlobalID
    opportunity_id: relay.GlobalID
    position: enums.CompetitivePosition | None = UNSET
    price_position: enums.PricePosition | None = UNSET


@strawberry.input(description="A competitor's closeness to a key person")
class CompetitorTieInput:
    competitor_id: relay.GlobalID
    person_id: relay.GlobalID
    level: enums.TieStrength | None = UNSET


@strawberry.input(description="One of our people on an opportunity or customer team")
class TeamAssignInput:
    member_id: relay.GlobalID
    target_id: relay.GlobalID = strawberry.field(description="An Opportunity or a Customer")
    role: enums.TeamRole
    phase: enums.LifecyclePhase | None = UNSET


# --- filters and ordering --------------------------------------------------------------------


@strawberry.enum(description="Sort direction")
class Direction(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Customer list filter; all conditions must hold")
class CustomerFilter:
    name: str | None = strawberry.field(default=None, description="Part of the name, any case")
    industry: str | None = None
    region: str | None = None


@strawberry.input(description="Key person list filter; role and attitude need an opportunity")
class KeyPersonFilter:
    name: str | None = None
    customer_id: relay.GlobalID | None = None
    department: str | None = None
    opportunity_id: relay.GlobalID | None = None
    role: enums.DecisionRole | None = None
    attitude: enums.Attitude | None = None


@strawberry.input(description="Competitor list filter")
class CompetitorFilter:
    name: str | None = None


@strawberry.input(description="Opportunity list filter")
class OpportunityFilter:
    name: str | None = None
    stages: list[enums.Stage] | None = None
    grades: list[enums.Grade] | None = None
    customer_id: relay.GlobalID | None = None
    team_member_id: relay.GlobalID | None = None
    amount_min: Long | None = None
    amount_max: Long | None = None


@strawberry.input(description="Team member list filter")
class TeamMemberFilter:
    name: str | None = None
    role: enums.TeamRole | None = None


@strawberry.input(description="Activity list filter; occurredTo is exclusive")
class ActivityFilter:
    person_id: relay.GlobalID | None = None
    opportunity_id: relay.GlobalID | None = None
    team_member_id: relay.GlobalID | None = None
    types: list[enums.ActivityType] | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


@strawberry.enum(description="Fields customers can be sorted by")
class CustomerOrderField(Enum):
    NAME = "name"
    INDUSTRY = "industry"
    REGION = "region"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.enum(description="Fields key persons can be sorted by")
class KeyPersonOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.enum(description="Fields competitors can be sorted by")
class CompetitorOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.enum(description="Fields opportunities can be sorted by")
class OpportunityOrderField(Enum):
    NAME = "name"
    AMOUNT = "amount"
    STAGE = "stage"
    EXPECTED_CLOSE_DATE = "expected_close_date"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.enum(description="Fields team members can be sorted by")
class TeamMemberOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.enum(description="Fields activities can be sorted by")
class ActivityOrderField(Enum):
    OCCURRED_AT = "occurred_at"
    CREATED_AT = "created_at"
