"""Input objects built from the model's specs, so a stored field is typed once, in
``domain/model.py``, and every create or update input that takes it follows that spec's order
and type.

A create input takes a field as non-null when the spec requires it; an update input takes
every field as optional (left out: unchanged, ``null``: cleared). Fields that are no stored
property (the id of a related node, the version read, a stable key) are ``Extra``s.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import strawberry

import schema.enums  # noqa: F401  (makes the specs' vocabularies GraphQL enums)
from domain.model import EDGE_SPECS, NODE_SPECS, EdgeKind, FieldSpec, FieldType, NodeKind
from schema.ids import GivenID
from schema.scalars import Long

UNSET: Final[object] = strawberry.UNSET
REQUIRED: Final = object()
"""The default of an input field the client must give."""

_PYTHON_TYPES: Final[dict[FieldType, object]] = {
    FieldType.STRING: str,
    FieldType.INT: int,
    FieldType.MONEY: Long,
    FieldType.FLOAT: float,
    FieldType.BOOL: bool,
    FieldType.TIMESTAMP: datetime,
    FieldType.DATE: str,
}


@dataclass(frozen=True, slots=True)
class Extra:
    """An input field that is no stored property of the node, with its GraphQL shape."""

    name: str
    annotation: object
    default: object = UNSET
    description: str | None = None
    default_factory: Callable[[], object] | None = None


def node_fields(kind: NodeKind, *, without: tuple[str, ...] = ()) -> tuple[FieldSpec, ...]:
    """The API fields of a node kind, in spec order, less those the input does not take."""
    return tuple(f for f in NODE_SPECS[kind].fields if f.name not in without)


def edge_fields(kind: EdgeKind) -> tuple[FieldSpec, ...]:
    """The properties of an edge kind, in spec order."""
    return EDGE_SPECS[kind].fields


def after[F: FieldSpec | Extra](
    fields: Sequence[FieldSpec], name: str, *inserted: F
) -> tuple[FieldSpec | F, ...]:
    """``fields`` with ``inserted`` placed right after the field called ``name``."""
    at = next(n for n, f in enumerate(fields, 1) if f.name == name)
    return (*fields[:at], *inserted, *fields[at:])


def _extra(spec: FieldSpec, *, optional: bool, description: str | None) -> Extra:
    value = spec.enum if spec.value_type is FieldType.ENUM else _PYTHON_TYPES[spec.value_type]
    if spec.required and not optional:
        return Extra(spec.name, value, REQUIRED, description)
    return Extra(spec.name, operator.or_(value, None), description=description)


def input_type(
    name: str,
    description: str,
    fields: Sequence[FieldSpec | Extra],
    *,
    optional: bool = False,
    described: Mapping[str, str] | None = None,
) -> type:
    """A Strawberry input class with ``fields`` in order; ``optional`` (an update) takes every
    spec field as optional, required or not; ``described`` gives spec fields a description."""
    notes = described or {}
    annotations: dict[str, object] = {}
    namespace: dict[str, object] = {"__module__": __name__, "__annotations__": annotations}
    for item in fields:
        extra = (
            item
            if isinstance(item, Extra)
            else _extra(item, optional=optional, description=notes.get(item.name))
        )
        annotations[extra.name] = extra.annotation
        if extra.default_factory is not None:
            namespace[extra.name] = strawberry.field(
                default_factory=extra.default_factory, description=extra.description
            )
        elif extra.default is not REQUIRED:
            namespace[extra.name] = strawberry.field(
                default=extra.default, description=extra.description
            )
        elif extra.description is not None:
            namespace[extra.name] = strawberry.field(description=extra.description)
    return strawberry.input(type(name, (), namespace), description=description)


@dataclass(frozen=True, slots=True)
class Tie:
    """An edge the API sets and removes by naming its two ends, each by the global id in one
    field of ``input`` (the ids, then the edge's properties)."""

    edge: EdgeKind
    source: tuple[NodeKind, str]
    target: tuple[NodeKind, str]
    input: type


def tie(
    name: str,
    description: str,
    edge: EdgeKind,
    source: tuple[NodeKind, str],
    target: tuple[NodeKind, str],
    *,
    described: Mapping[str, str] | None = None,
    extras: tuple[Extra, ...] = (),
) -> Tie:
    """A tie and its input: the two ends' ids, then the edge spec's fields, then ``extras``
    (no stored property: how the write is made)."""
    ends = (Extra(source[1], GivenID, REQUIRED), Extra(target[1], GivenID, REQUIRED))
    fields: tuple[FieldSpec | Extra, ...] = (*ends, *edge_fields(edge), *extras)
    return Tie(edge, source, target, input_type(name, description, fields, described=described))
