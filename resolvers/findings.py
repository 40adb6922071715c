"""What the strategy engine found about an opportunity, as the node fields hand it to the API.

A finding keeps the decision chain it was computed from: results name people, team members
and competitors by id, and the chain's loaded nodes are what ``schema.presenting`` shows them
as (no further load). The analysis runs at most once per request and opportunity.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers import rules
from resolvers.context import RequestContext
from resolvers.history import analysed_as_of, require_past
from resolvers.pagination import require_between
from resolvers.records import LoadedChain
from resolvers.strategy import analysed
from strategy.analysis import ChainAnalysis
from strategy.assessment import Assessment
from strategy.health import DealHealth, deal_health, likelihood_once_dated
from strategy.scoring import PersonScores
from strategy.workplan import Suggestion

MAX_SUGGESTIONS = 50


@dataclass(frozen=True, slots=True)
class Finding[T]:
    """One strategy result and the chain it was computed from."""

    chain: LoadedChain
    data: T


async def person_scores(
    ctx: RequestContext, person_id: str, opportunity_id: str
) -> Finding[PersonScores] | None:
    """A key person's scores on an opportunity (None when they are not in its chain)."""
    found = await analysed(ctx, opportunity_id)
    scores = found.result.scores_of(person_id) if found else None
    return Finding(found.chain, scores) if found and scores else None


async def member_scores(ctx: RequestContext, opportunity_id: str) -> list[Finding[PersonScores]]:
    """The scores of every member of an opportunity's chain."""
    found = await analysed(ctx, opportunity_id)
    if found is None:
        return []
    return [
        Finding(found.chain, s) for s in found.result.scores if s.person_id in found.chain.persons
    ]


async def departed_scores(ctx: RequestContext, opportunity_id: str) -> list[Finding[PersonScores]]:
    """The scores of the members of a chain who left the customer, as they stood the day they
    left."""
    found = await analysed(ctx, opportunity_id)
    if found is None:
        return []
    return [Finding(found.chain, d.scores) for d in found.result.departed]


async def assessment(
    ctx: RequestContext, opportunity_id: str, as_of_ms: int | None
) -> Finding[Assessment] | None:
    """The four questions and the win likelihood, now or from the chain as it stood then."""
    if as_of_ms is None:
        found = await analysed(ctx, opportunity_id)
    else:
        require_past(ctx, as_of_ms)
        found = await analysed_as_of(ctx, opportunity_id, as_of_ms)
    return Finding(found.chain, found.result.assessment) if found else None


async def analysis(ctx: RequestContext, opportunity_id: str) -> Finding[ChainAnalysis] | None:
    """The decision-chain analysis of an opportunity."""
    found = await analysed(ctx, opportunity_id)
    return Finding(found.chain, found.result.analysis) if found else None


async def health(ctx: RequestContext, opportunity_id: str) -> Finding[DealHealth] | None:
    """An open deal's status for a leader's review, from the analysis the request already has
    (a list of deals asks nothing more of the store); None for a closed deal."""
    found = await analysed(ctx, opportunity_id)
    if found is None:
        return None
    active = rules.active()
    status = deal_health(
        found.chain.snapshot.present(),  # those who left the customer count no more
        found.result.analysis.red_flags,
        likelihood_once_dated(found.result.assessment, active.strategy),
        ctx.store.clock(),
        idle_days=active.process.violations.idle_days,
        config=active.strategy,
    )
    return None if status is None else Finding(found.chain, status)


async def work_plan(
    ctx: RequestContext, opportunity_id: str, limit: int
) -> list[Finding[Suggestion]]:
    """The ``limit`` best-ranked work plan suggestions of an opportunity."""
    require_between("limit", limit, 1, MAX_SUGGESTIONS)
    found = await analysed(ctx, opportunity_id)
    if found is None:
        return []
    return [Finding(found.chain, s) for s in found.result.plan[:limit]]
