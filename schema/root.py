"""The API's shape, assembled from each area's query and mutation roots (the app serves it
through ``dealgraph.engine.served``).

Each area (core model, strategy, TAS+ process, security) owns its root fields in its own
module; they are merged here so areas grow without touching each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.base import StrawberryOptional, get_object_definition

from schema.calibration import CalibrationMutation, CalibrationQuery
from schema.mutations import Mutation as CoreMutation
from schema.process import ProcessMutation, ProcessQuery
from schema.query import Query as CoreQuery
from schema.scalars import DATETIME_SCALAR, LONG_SCALAR, Long
from schema.security import SecurityMutation, SecurityQuery
from schema.strategy import StrategyMutation, StrategyQuery
from schema.webhooks import WebhooksMutation, WebhooksQuery

QUERIES: tuple[type, ...] = (
    CoreQuery,
    StrategyQuery,
    ProcessQuery,
    SecurityQuery,
    CalibrationQuery,
    WebhooksQuery,
)
MUTATIONS: tuple[type, ...] = (
    CoreMutation,
    StrategyMutation,
    ProcessMutation,
    SecurityMutation,
    CalibrationMutation,
    WebhooksMutation,
)

SCALARS: dict[object, Any] = {Long: LONG_SCALAR, datetime: DATETIME_SCALAR}


def nullable_root(name: str, roots: tuple[type, ...]) -> type:
    """Merge root types with every root field nullable: one field that fails (forbidden, not
    found, bad input) answers null with its error beside it, and its siblings keep their
    data, the way GitHub's and Shopify's APIs behave, instead of ``data: null`` for all."""
    merged = merge_types(name, roots)
    definition = get_object_definition(merged, strict=True)
    for field in definition.fields:
        if not isinstance(field.type, StrawberryOptional):
            field.type = StrawberryOptional(field.type)
    return merged


def build_schema(
    schema_class: type[strawberry.Schema] = strawberry.Schema, **options: Any
) -> strawberry.Schema:
    """The API's shape as a schema; the engine (``dealgraph.engine.served``) passes its
    extensions and execution context in ``options``."""
    return schema_class(
        query=nullable_root("Query", QUERIES),
        mutation=nullable_root("Mutation", MUTATIONS),
        config=StrawberryConfig(scalar_map=SCALARS),
        **options,
    )
