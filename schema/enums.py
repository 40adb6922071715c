"""The model's vocabularies as GraphQL enums, plus their zh-CN / English labels."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from domain import vocabulary as v
from domain.errors import bad_input
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
from strategy.health import HealthStatus

strawberry.enum(DecisionRole, description="Role in the buying decision")
strawberry.enum(Attitude, description="Stance towards us, opponent to champion")
strawberry.enum(InfluenceLevel, description="Declared weight in the decision")
strawberry.enum(TieStrength, description="Strength of a tie")
strawberry.enum(TeamRole, description="Role of one of our people")
strawberry.enum(LifecyclePhase, description="Account lifecycle phase")
strawberry.enum(Stage, description="Opportunity stage (TAS+)")
strawberry.enum(Grade, description="Opportunity grade; E = partner-registered")
strawberry.enum(ActivityType, description="Kind of contact")
strawberry.enum(Outcome, description="How it went, seen from our side")
strawberry.enum(CompetitivePosition, description="Competitor standing")
strawberry.enum(PricePosition, description="Competitor price against ours")
strawberry.enum(NeedsFit, description="How well we meet stated needs")
strawberry.enum(DeliveryRisk, description="Delivery risk")
strawberry.enum(QuoteStatus, description="Where our quote stands")
strawberry.enum(WorkPlanStatus, description="Work plan item status")
strawberry.enum(
    DropReason,
    name="WorkPlanDropReason",
    description="Why a step was dropped from a work plan: each says how long its play waits "
    "before it is suggested again for its person",
)
strawberry.enum(
    DepartureKind,
    description="How a key person left their organisation: moved to another, retired, rotated "
    "within the group, left under investigation",
)
strawberry.enum(ApprovalState, description="Approval status")
strawberry.enum(
    HealthStatus,
    name="DealHealthStatus",
    description=(
        "How much of a leader's review a deal needs: not assessed yet (nobody in its chain),"
        " on track, needs attention, at risk"
    ),
)
strawberry.enum(
    ExternalKind,
    description="Why a person of another organisation sits in a decision chain",
)


@strawberry.type(description="One enum value with its label in the requested locale")
class EnumValueLabel:
    value: str
    label: str
    label_en: str
    label_zh: str


@strawberry.type(description="An enum of the model and the labels of all its values")
class Vocabulary:
    name: str
    values: list[EnumValueLabel]


def vocabulary(locale: str) -> list[Vocabulary]:
    """Every enum of the model with labels, for building pickers and legends."""
    result: list[Vocabulary] = []
    for enum in v.ALL_ENUMS:
        values = [_label(member, locale) for member in enum]
        result.append(Vocabulary(name=enum.__name__, values=values))
    return result


def label(enum: str, value: str, locale: str) -> str:
    """One value's label; an unknown enum or value is bad input naming the choices."""
    by_name = {e.__name__: e for e in v.ALL_ENUMS}
    found = by_name.get(enum)
    if found is None:
        raise bad_input(
            "enum",
            f"must be one of {', '.join(sorted(by_name))}",
            f"必须是以下之一：{'、'.join(sorted(by_name))}",
        )
    members = {m.value: m for m in found}
    if value not in members:
        raise bad_input(
            "value", f"must be one of {', '.join(members)}", f"必须是以下之一：{'、'.join(members)}"
        )
    return v.label_of(members[value], locale)


def _label(member: StrEnum, locale: str) -> EnumValueLabel:
    label = v.LABELS[member]
    return EnumValueLabel(
        value=member.value, label=label.in_(locale), label_en=label.en, label_zh=label.zh
    )


__all__ = [
    "ActivityType",
    "ApprovalState",
    "Attitude",
    "CompetitivePosition",
    "DecisionRole",
    "DeliveryRisk",
    "DepartureKind",
    "DropReason",
    "EnumValueLabel",
    "ExternalKind",
    "Grade",
    "InfluenceLevel",
    "LifecyclePhase",
    "NeedsFit",
    "Outcome",
    "PricePosition",
    "QuoteStatus",
    "Stage",
    "TeamRole",
    "TieStrength",
    "Vocabulary",
    "WorkPlanStatus",
    "label",
    "vocabulary",
]
