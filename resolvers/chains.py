"""The decision chain and the org chart as the API draws them: now, or as they stood then.

Node fields hand these records to the chain types of ``schema.chains``, which present them.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers import reads
from resolvers.context import RequestContext
from resolvers.history import chain_as_of, org_chart_as_of, require_past
from resolvers.loaders import chain_loader
from resolvers.records import LoadedChain, OrgChart


@dataclass(frozen=True, slots=True)
class ChainAt:
    """A loaded decision chain and the instant it is drawn for: an activity after that
    instant is a plan, not a contact."""

    chain: LoadedChain
    at_ms: int


async def decision_chain(
    ctx: RequestContext, opportunity_id: str, *, with_connectors: bool, as_of_ms: int | None
) -> ChainAt | None:
    """A visible opportunity's chain now (batched per request) or at ``as_of_ms``."""
    if as_of_ms is not None:
        require_past(ctx, as_of_ms)
        then = await chain_as_of(ctx, opportunity_id, as_of_ms, with_connectors=with_connectors)
        return ChainAt(then, as_of_ms) if then else None
    loaded = await chain_loader(ctx, with_connectors=with_connectors).load(opportunity_id)
    return ChainAt(loaded, ctx.store.clock()) if loaded else None


async def org_chart(ctx: RequestContext, customer_id: str, as_of_ms: int | None) -> OrgChart:
    """A visible customer's org chart now or at ``as_of_ms``; NOT_FOUND otherwise."""
    if as_of_ms is not None:
        require_past(ctx, as_of_ms)
        return await org_chart_as_of(ctx, customer_id, as_of_ms)
    return await reads.org_chart(ctx, customer_id)
