"""Input objects of the mutations and list filters.

Create inputs list every writable field; update inputs leave unmentioned fields alone and take
``null`` as "clear this field". A node kind's create and update inputs, and the input of an
edge, are built from the spec in ``domain/model.py`` (``schema/spec_inputs.py``): here they
only name what the spec does not say (related ids, the version, the key) and which fields an
input leaves out. Validation
(lengths, ranges, formats) happens once, in the model layer, and comes back as field-level
userErrors.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

import strawberry
from strawberry.utils.str_converters import to_camel_case

from domain.errors import DomainError
from domain.model import NODE_SPECS, EdgeKind, NodeKind
from domain.validation import check_value
from schema import enums
from schema.ids import GivenID, optional_raw_id
from schema.scalars import Long, to_epoch_ms
from schema.spec_inputs import REQUIRED, Extra, after, edge_fields, input_type, node_fields, tie


def _stored(value: object) -> object:
    """An input value as the store holds it: an enum as its value, an instant in epoch ms."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return to_epoch_ms(value)
    return value


def props_of(data: object, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Input object fields given by the client, as store properties."""
    props: dict[str, Any] = {}
    for item in dataclasses.fields(data):  # type: ignore[arg-type]
        if item.name in skip:
            continue
        value = getattr(data, item.name)
        if value is strawberry.UNSET:
            continue
        props[item.name] = _stored(value)
    return props


def condition(
    kind: NodeKind | None = None, *, stored_as: str | None = None, description: str | None = None
) -> Any:
    """A list filter's field (null: no condition) that names a node of ``kind`` by its ID, or
    that the store knows by another name (``stored_as``)."""
    meaning = {"kind": kind, "stored_as": stored_as}
    return strawberry.field(default=None, description=description, metadata=meaning)


def day_condition(kind: NodeKind, field: str, *, description: str) -> Any:
    """A list filter's field (null: no condition) holding a day (YYYY-MM-DD), checked as the
    model checks ``kind``'s ``field``, so that a day written otherwise is refused rather than
    compared as text."""
    spec = NODE_SPECS[kind].field(field)
    return strawberry.field(default=None, description=description, metadata={"spec": spec})


def conditions_of(data: object) -> dict[str, Any]:
    """A list filter's fields as the store's conditions, every field once: an ID decoded
    (refused on ``filter.<field>`` when it names no node of its ``condition`` kind), a day
    checked (``day_condition``), enums (one or a list) as values, an instant in epoch ms,
    under the name the store knows it by."""
    conditions: dict[str, Any] = {}
    for item in dataclasses.fields(data):  # type: ignore[arg-type]
        value = getattr(data, item.name)
        kind = item.metadata.get("kind")
        spec = item.metadata.get("spec")
        if kind is not None:
            value = optional_raw_id(value, kind, f"filter.{to_camel_case(item.name)}")
        elif spec is not None and value is not None:
            value, problem = check_value(spec, value, f"filter.{to_camel_case(item.name)}")
            if problem is not None:
                raise DomainError(problem)
        elif isinstance(value, list):
            value = [_stored(v) for v in value]
        else:
            value = _stored(value)
        conditions[item.metadata.get("stored_as") or item.name] = value
    return conditions


_KEY = Extra("key", str | None)
_VERSION = Extra("version", int, REQUIRED)
_CUSTOMER_ID = Extra("customer_id", GivenID, REQUIRED)

CustomerCreateInput = input_type(
    "CustomerCreateInput",
    "A new customer",
    (
        *node_fields(NodeKind.CUSTOMER),
        Extra(
            "key",
            str | None,
            description="Optional stable key (e.g. from a CRM) used as the store id",
        ),
        Extra(
            "parent_id",
            GivenID | None,
            description="The parent company (group) this customer belongs to",
        ),
    ),
)
CustomerUpdateInput = input_type(
    "CustomerUpdateInput",
    "Changes to a customer",
    (
        Extra(
            "version", int, REQUIRED, description="The version you read; stale versions conflict"
        ),
        *node_fields(NodeKind.CUSTOMER),
        Extra(
            "parent_id",
            GivenID | None,
            description="Move the customer under this parent company; null: a group of its own",
        ),
    ),
    optional=True,
)
KeyPersonUpdateInput = input_type(
    "KeyPersonUpdateInput",
    "Changes to a key person",
    (_VERSION, *node_fields(NodeKind.KEY_PERSON)),
    optional=True,
)
CompetitorCreateInput = input_type(
    "CompetitorCreateInput", "A new competitor", (*node_fields(NodeKind.COMPETITOR), _KEY)
)
CompetitorUpdateInput = input_type(
    "CompetitorUpdateInput",
    "Changes to a competitor",
    (_VERSION, *node_fields(NodeKind.COMPETITOR)),
    optional=True,
)
_HAND_OVER_ONLY = ("left_at",)
"""The team member field only a hand-over writes."""
TeamMemberCreateInput = input_type(
    "TeamMemberCreateInput",
    "A new member of our team",
    (*node_fields(NodeKind.TEAM_MEMBER, without=_HAND_OVER_ONLY), _KEY),
)
TeamMemberUpdateInput = input_type(
    "TeamMemberUpdateInput",
    "Changes to a team member",
    (_VERSION, *node_fields(NodeKind.TEAM_MEMBER, without=_HAND_OVER_ONLY)),
    optional=True,
)

_PROCESS_ONLY = ("quote_status", "delivery_reviewed", "stage_entered_at", "quote_submitted_at")
"""Opportunity fields only the TAS+ process writes."""

OpportunityUpdateInput = input_type(
    "OpportunityUpdateInput",
    "Changes to an opportunity (stage moves go through the gate)",
    (_VERSION, *node_fields(NodeKind.OPPORTUNITY, without=("stage", *_PROCESS_ONLY))),
    optional=True,
)
ActivityUpdateInput = input_type(
    "ActivityUpdateInput",
    "Changes to a recorded activity: what was said, how it went, or when it was (a planned "
    "contact moved, a date mistyped)",
    (_VERSION, *node_fields(NodeKind.ACTIVITY)),
    optional=True,
)


class UpdateInput(Protocol):
    """What every update input holds besides the changes: the version the client read."""

    version: int


if TYPE_CHECKING:
    # The inputs that hand-written mutations read by name, as the checker sees them.

    class KeyPersonCreateInput(Protocol):
        customer_id: GivenID
        title: str | None
        department: str | None

    class EmploymentInput(Protocol):
        title: str | None
        department: str | None

    class OpportunityCreateInput(Protocol):
        customer_id: GivenID | None
        customer: Any

    class ActivityLogInput(Protocol):
        person_ids: list[GivenID]
        member_ids: list[GivenID]
        opportunity_id: GivenID | None

    class KnowsInput(Protocol):
        target_person_id: GivenID
        member_id: GivenID | None
        person_id: GivenID | None

    class TeamAssignInput(Protocol):
        member_id: GivenID
        target_id: GivenID

else:
    KeyPersonCreateInput = input_type(
        "KeyPersonCreateInput",
        "A new key person at a customer",
        (
            _CUSTOMER_ID,
            *after(node_fields(NodeKind.KEY_PERSON), "name_en", *edge_fields(EdgeKind.WORKS_AT)),
            _KEY,
        ),
    )
    EmploymentInput = input_type(
        "EmploymentInput",
        "A key person's job at their customer",
        edge_fields(EdgeKind.WORKS_AT),
        optional=True,
    )
    OpportunityCreateInput = input_type(
        "OpportunityCreateInput",
        "A new opportunity with a customer",
        (
            Extra(
                "customer_id",
                GivenID | None,
                None,
                description="A customer you may see (or give customer, a new one)",
            ),
            Extra(
                "customer",
                CustomerCreateInput | None,
                None,
                description="A new customer, created with the deal in the same write (instead "
                "of customerId): a deal refused leaves no customer behind",
            ),
            *node_fields(NodeKind.OPPORTUNITY, without=_PROCESS_ONLY),
            _KEY,
        ),
    )
    ActivityLogInput = input_type(
        "ActivityLogInput",
        "A contact with key persons and how it went",
        after(
            node_fields(NodeKind.ACTIVITY),
            "summary",
            Extra("person_ids", list[GivenID], REQUIRED),
            Extra("member_ids", list[GivenID], default_factory=list),
            Extra("opportunity_id", GivenID | None, None),
        ),
    )
    KnowsInput = input_type(
        "KnowsInput",
        "How well someone knows a key person: one of our people (memberId) or another key "
        "person (personId)",
        (
            Extra("target_person_id", GivenID, REQUIRED),
            Extra("member_id", GivenID | None, None),
            Extra("person_id", GivenID | None, None),
            *edge_fields(EdgeKind.KNOWS),
        ),
    )
    TeamAssignInput = input_type(
        "TeamAssignInput",
        "One of our people on an opportunity or customer team",
        (
            Extra("member_id", GivenID, REQUIRED),
            Extra("target_id", GivenID, REQUIRED, "An Opportunity or a Customer"),
            *edge_fields(EdgeKind.ON_TEAM),
        ),
    )


DECISION_CHAIN_MEMBER = tie(
    "DecisionChainMemberInput",
    "A key person's place in an opportunity's decision chain",
    EdgeKind.IN_DECISION_CHAIN,
    (NodeKind.KEY_PERSON, "person_id"),
    (NodeKind.OPPORTUNITY, "opportunity_id"),
    described={
        "external_kind": "For a person of another organisation than the deal's customer: why "
        "they sit in the chain (GROUP_OFFICER: of a parent company). Null: of the customer. "
        "Left out: unchanged"
    },
    extras=(
        Extra(
            "expected_version",
            int | None,
            None,
            "The version of the person's place as the client read it "
            "(DecisionChainMember.version): the change (or removal) is refused as a CONFLICT "
            "when the place was changed or removed meanwhile. Null: whatever it holds, and a "
            "person not in the chain is put in it",
        ),
    ),
)
REPORTS_TO = tie(
    "ReportsToInput",
    "Who reports to whom",
    EdgeKind.REPORTS_TO,
    (NodeKind.KEY_PERSON, "person_id"),
    (NodeKind.KEY_PERSON, "manager_id"),
)
INFLUENCE = tie(
    "InfluenceInput",
    "Informal influence of one key person on another",
    EdgeKind.INFLUENCES,
    (NodeKind.KEY_PERSON, "from_person_id"),
    (NodeKind.KEY_PERSON, "to_person_id"),
)
COMPETITOR_ON_OPPORTUNITY = tie(
    "CompetitorOnOpportunityInput",
    "A competitor on an opportunity and its standing",
    EdgeKind.COMPETES_FOR,
    (NodeKind.COMPETITOR, "competitor_id"),
    (NodeKind.OPPORTUNITY, "opportunity_id"),
)
COMPETITOR_TIE = tie(
    "CompetitorTieInput",
    "A competitor's closeness to a key person",
    EdgeKind.CLOSE_TO,
    (NodeKind.COMPETITOR, "competitor_id"),
    (NodeKind.KEY_PERSON, "person_id"),
)


# --- filters and ordering --------------------------------------------------------------------


@strawberry.enum(description="Sort direction")
class Direction(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="When and how a key person left the customer")
class KeyPersonDepartureInput:
    left_on: str = strawberry.field(
        description="The day they left (YYYY-MM-DD), today or earlier: a departure is often "
        "recorded late"
    )
    how: enums.DepartureKind
    to: str | None = strawberry.field(
        default=None, description="Where they went (an organisation), when known"
    )


@strawberry.input(description="Who takes over the work of one of our people who leaves")
class TeamMemberHandOverInput:
    successor_id: GivenID = strawberry.field(
        description="The team member who takes their places on open deals and accounts and "
        "their open work plan items"
    )
    version: int = strawberry.field(
        description="The leaver's version you read; stale versions conflict"
    )


@strawberry.input(description="Customer list filter; all conditions must hold")
class CustomerFilter:
    name: str | None = strawberry.field(default=None, description="Part of the name, any case")
    industry: str | None = None
    region: str | None = None


@strawberry.input(description="Key person list filter; role and attitude need an opportunity")
class KeyPersonFilter:
    name: str | None = None
    customer_id: GivenID | None = condition(NodeKind.CUSTOMER)
    department: str | None = None
    opportunity_id: GivenID | None = condition(NodeKind.OPPORTUNITY)
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
    customer_id: GivenID | None = condition(NodeKind.CUSTOMER)
    team_member_id: GivenID | None = condition(NodeKind.TEAM_MEMBER, stored_as="member_id")
    amount_min: Long | None = None
    amount_max: Long | None = None


@strawberry.input(description="Team member list filter")
class TeamMemberFilter:
    name: str | None = None
    role: enums.TeamRole | None = None


@strawberry.input(description="Activity list filter; occurredTo is exclusive")
class ActivityFilter:
    person_id: GivenID | None = condition(NodeKind.KEY_PERSON)
    opportunity_id: GivenID | None = condition(NodeKind.OPPORTUNITY)
    team_member_id: GivenID | None = condition(NodeKind.TEAM_MEMBER, stored_as="member_id")
    types: list[enums.ActivityType] | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    recorded: bool | None = strawberry.field(
        default=None,
        description="Whether how it went is recorded: false lists the contacts still without "
        "a result (planned ones, and those whose time passed unrecorded)",
    )


@strawberry.input(description="Work plan item list filter")
class WorkPlanItemFilter:
    opportunity_id: GivenID | None = condition(NodeKind.OPPORTUNITY)
    owner_id: GivenID | None = condition(
        NodeKind.TEAM_MEMBER,
        stored_as="member_id",
        description="The team member who owns the items",
    )
    statuses: list[enums.WorkPlanStatus] | None = None
    due_by: str | None = day_condition(
        NodeKind.WORK_PLAN_ITEM,
        "due_date",
        description="Items due on or before this day (YYYY-MM-DD, a UTC day), the overdue "
        "ones included; items with no due date are left out",
    )
    changed_since: datetime | None = strawberry.field(
        default=None,
        description="Items created or changed at or after this instant (a result recorded, a "
        "step moved, dropped or given to someone): what a client keeping its own copy reads "
        "again. Items no longer visible to the caller are not listed",
    )


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
    STAGE = strawberry.enum_value(
        "stage", description="In the sales process's order: first stage first, closed ones last"
    )
    EXPECTED_CLOSE_DATE = strawberry.enum_value(
        "expected_close_date",
        description="Soonest first; a deal without a close date after every dated one",
    )
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.enum(description="Fields team members can be sorted by")
class TeamMemberOrderField(Enum):
    NAME = "name"
    CREATED_AT = "created_at"


@strawberry.enum(description="Fields work plan items can be sorted by")
class WorkPlanItemOrderField(Enum):
    DUE_DATE = strawberry.enum_value(
        "due_date", description="Soonest first; an item without a due date after every dated one"
    )
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.enum(description="Fields activities can be sorted by")
class ActivityOrderField(Enum):
    OCCURRED_AT = "occurred_at"
    CREATED_AT = "created_at"
