"""Store records to GraphQL object attributes, driven by the model's field specs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.chain import Departure
from domain.model import NODE_SPECS, FieldSpec, FieldType, NodeKind
from schema.scalars import to_datetime


def convert_value(spec: FieldSpec, value: Any) -> Any:
    """One stored value as the API type wants it (enum members, datetimes)."""
    if value is None:
        return None
    if spec.value_type is FieldType.ENUM and spec.enum is not None:
        return spec.enum(value)
    if spec.value_type is FieldType.TIMESTAMP:
        return to_datetime(int(value))
    return value


def node_attributes(kind: NodeKind, node: Mapping[str, Any]) -> dict[str, Any]:
    """Constructor arguments of a node type: system fields plus every model field."""
    attributes: dict[str, Any] = {
        "id": node["id"],
        "version": int(node.get("version") or 1),
        "created_at": to_datetime(node.get("created_at")),
        "updated_at": to_datetime(node.get("updated_at")),
    }
    for spec in NODE_SPECS[kind].fields:
        attributes[spec.name] = convert_value(spec, node.get(spec.name))
    if kind is NodeKind.KEY_PERSON:  # their departure, kept beside the fields people edit
        attributes["left"] = Departure.of(node)
    if kind is NodeKind.OPPORTUNITY:  # the amount a delivery review refused, kept aside
        attributes["refused_quote"] = node.get("infeasible_quote_amount")
    return attributes


def edge_attributes(fields: tuple[FieldSpec, ...], edge: Mapping[str, Any]) -> dict[str, Any]:
    """Converted edge properties by field name."""
    return {spec.name: convert_value(spec, edge.get(spec.name)) for spec in fields}
