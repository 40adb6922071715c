"""The schema object, assembled from each area's query and mutation roots.

Each area (core model, strategy, TAS+ process, security) owns its root fields in its own
module; they are merged here so areas grow without touching each other.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from schema.mutations import Mutation as CoreMutation
from schema.process import ProcessMutation, ProcessQuery
from schema.query import Query as CoreQuery
from schema.scalars import LONG_SCALAR, Long
from schema.strategy import StrategyMutation, StrategyQuery

QUERIES: tuple[type, ...] = (
    CoreQuery,
    StrategyQuery,
    ProcessQuery,
)
MUTATIONS: tuple[type, ...] = (
    CoreMutation,
    StrategyMutation,
    ProcessMutation,
)

SCALARS: dict[object, Any] = {Long: LONG_SCALAR}


class DealgraphSchema(strawberry.Schema):
    """Strawberry's schema without its own error logging: the API layer logs unexpected
    errors once, with the request id, and user mistakes are not server errors."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


def build_schema() -> strawberry.Schema:
    """The dealgraph schema with its protective limits (build it once per process)."""
    return DealgraphSchema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        scalar_overrides=SCALARS,
        extensions=[
            partial(QueryDepthLimiter, max_depth=10),
            partial(MaxAliasesLimiter, max_alias_count=15),
            partial(MaxTokensLimiter, max_token_count=2000),
        ],
    )


schema = build_schema()
