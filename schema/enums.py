"""The model's vocabularies as GraphQL enums, plus their zh-CN / English labels."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import strawberry

from domain import vocabulary as v
from domain.errors import bad_input
from domain.text import Text
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
from strategy.health import STATUS_LABELS, HealthStatus
from strategy.tas.approvals import DECISION_LABELS
from strategy.tas.rule_texts import rule_texts

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


_GRAPHQL_NAMES: Final[Mapping[type[StrEnum], str]] = {DropReason: "WorkPlanDropReason"}
"""Enums the API names otherwise than the model's class."""


@functools.cache
def labelled() -> Mapping[str, Mapping[str, Text]]:
    """Every enum whose values a client shows, by its name in the API, each value's labels:
    the model's vocabularies, a deal's health, the process's violation rules and approval
    decisions. Left out: the API's own mechanics (order fields, ``Direction``), the kinds of
    a what-if's input, and kinds whose every item says itself in words (``ChainChange.text``,
    the win model's ``source``)."""
    found: dict[str, Mapping[str, Text]] = {
        _GRAPHQL_NAMES.get(enum, enum.__name__): {m.value: v.LABELS[m] for m in enum}
        for enum in v.ALL_ENUMS
    }
    found["DealHealthStatus"] = {m.value: text for m, text in STATUS_LABELS.items()}
    found["ViolationRule"] = {m.value: text for m, text in rule_texts().names.items()}
    found["ApprovalDecision"] = {m.value: text for m, text in DECISION_LABELS.items()}
    return found


def vocabulary(locale: str) -> list[Vocabulary]:
    """Every enum a client shows, with labels, for building pickers and legends."""
    return [
        Vocabulary(name=name, values=[_label(value, text, locale) for value, text in table.items()])
        for name, table in labelled().items()
    ]


def label(enum: str, value: str, locale: str) -> str:
    """One value's label; an unknown enum or value is bad input naming the choices."""
    tables = labelled()
    found = tables.get(enum)
    if found is None:
        raise bad_input(
            "enum",
            f"must be one of {', '.join(sorted(tables))}",
            f"必须是以下之一：{'、'.join(sorted(tables))}",
        )
    if value not in found:
        raise bad_input(
            "value", f"must be one of {', '.join(found)}", f"必须是以下之一：{'、'.join(found)}"
        )
    return found[value].in_(locale)


def _label(value: str, text: Text, locale: str) -> EnumValueLabel:
    return EnumValueLabel(value=value, label=text.in_(locale), label_en=text.en, label_zh=text.zh)


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
