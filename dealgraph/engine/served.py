"""The schema the app serves: the API's shape (``schema.root``) with the engine's limits,
parse cache, completion plans and direct resolvers. Built once per process, on import."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache

from dealgraph.engine import fastpath
from dealgraph.engine.execution import PlannedExecutionContext
from dealgraph.engine.limits import RequestLimits
from schema.root import build_schema as build_shape

PARSED_QUERIES = 256
"""How many distinct query texts keep their parsed document (least recently used go first)."""


class DealgraphSchema(strawberry.Schema):
    """Strawberry's schema without its own error logging: the API layer logs unexpected
    errors once, with the request id, and user mistakes are not server errors."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        return None


def build_schema() -> strawberry.Schema:
    """The dealgraph schema with its protective limits (build it once per process)."""
    built = build_shape(
        DealgraphSchema,
        # Depth, aliases, tokens, cost and production introspection: see engine.limits.
        # ParserCache: a known query text is parsed once (keyed with its token limit too).
        extensions=[RequestLimits, lambda: ParserCache(maxsize=PARSED_QUERIES)],
        execution_context_class=PlannedExecutionContext,  # plain data completed by plans
    )
    fastpath.install(built)  # the same results with less work per field
    return built


schema = build_schema()
