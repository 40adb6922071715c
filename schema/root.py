"""The schema object, assembled from each area's query and mutation roots.

Each area (core model, strategy, TAS+ process, security) owns its root fields in its own
module; they are merged here so areas grow without touching each other.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.base import StrawberryOptional, get_object_definition

from schema import fastpath
from schema.calibration import CalibrationMutation, CalibrationQuery
from schema.execution import PlannedExecutionContext
from schema.limits import RequestLimits
from schema.mutations import Mutation as CoreMutation
from schema.process import ProcessMutation, ProcessQuery
from schema.query import Query as CoreQuery
from schema.scalars import LONG_SCALAR, Long
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

SCALARS: dict[object, Any] = {Long: LONG_SCALAR}

PARSED_QUERIES = 256
"""How many distinct query texts keep their parsed document (least recently used go first)."""


class DealgraphSchema(strawberry.Schema):
    """Strawberry's schema without its own error logging: the API layer logs unexpected
    errors once, with the request id, and user mistakes are not server errors."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


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


def build_schema() -> strawberry.Schema:
    """The dealgraph schema with its protective limits (build it once per process)."""
    built = DealgraphSchema(
        query=nullable_root("Query", QUERIES),
        mutation=nullable_root("Mutation", MUTATIONS),
        config=StrawberryConfig(scalar_map=SCALARS),
        # Depth, aliases, tokens, cost and production introspection: see schema.limits.
        # ParserCache: a known query text is parsed once (keyed with its token limit too).
        extensions=[RequestLimits, lambda: ParserCache(maxsize=PARSED_QUERIES)],
        execution_context_class=PlannedExecutionContext,  # plain data completed by plans
    )
    fastpath.install(built)  # the same results with less work per field
    return built


schema = build_schema()
