"""Inputs built from the model's specs: a field added to a spec reaches the create and update
inputs in its place, with its type, required only where the spec requires it."""

from __future__ import annotations

import strawberry
from graphql import GraphQLInputObjectType, GraphQLNonNull, get_named_type
from strawberry.schema.config import StrawberryConfig

from domain.model import NODE_SPECS, FieldSpec, FieldType, NodeKind, text
from schema.scalars import LONG_SCALAR, Long
from schema.spec_inputs import REQUIRED, Extra, after, input_type, node_fields


@strawberry.type
class Query:
    ping: int = 0


def _input_fields(cls: type) -> GraphQLInputObjectType:
    config = StrawberryConfig(scalar_map={Long: LONG_SCALAR})
    found = strawberry.Schema(query=Query, types=[cls], config=config)._schema.type_map[
        cls.__name__
    ]
    assert isinstance(found, GraphQLInputObjectType)
    return found


def test_a_create_input_follows_the_spec_order_and_requires_what_it_requires() -> None:
    made = input_type("GadgetCreateInput", "A new gadget", node_fields(NodeKind.COMPETITOR))
    fields = _input_fields(made).fields
    spec = NODE_SPECS[NodeKind.COMPETITOR].fields
    assert list(fields) == [
        "name",
        "website",
        "strengths",
        "weaknesses",
    ]
    assert [isinstance(fields[f.name].type, GraphQLNonNull) for f in spec] == [
        f.required for f in spec
    ]


def test_an_update_input_takes_every_spec_field_as_optional() -> None:
    made = input_type(
        "GadgetUpdateInput",
        "Changes to a gadget",
        (Extra("version", int, REQUIRED, description="read"), *node_fields(NodeKind.COMPETITOR)),
        optional=True,
    )
    fields = _input_fields(made).fields
    assert isinstance(fields["version"].type, GraphQLNonNull)
    assert fields["version"].description == "read"
    assert not any(isinstance(fields[n].type, GraphQLNonNull) for n in list(fields)[1:])
    assert made(version=3).name is strawberry.UNSET


def test_field_types_come_from_the_spec_and_extras_go_where_they_are_placed() -> None:
    specs = (
        text("label", required=True),
        FieldSpec("amount", FieldType.MONEY),
        FieldSpec("due", FieldType.DATE),
        FieldSpec("at", FieldType.TIMESTAMP),
    )
    made = input_type(
        "GadgetTypesInput",
        "Types",
        after(specs, "label", Extra("tags", list[str], default_factory=list)),
    )
    fields = _input_fields(made).fields
    assert list(fields) == ["label", "tags", "amount", "due", "at"]
    assert [get_named_type(fields[n].type).name for n in fields] == [
        "String",
        "String",
        "Long",
        "String",
        "DateTime",
    ]
    assert made(label="x").tags == []
