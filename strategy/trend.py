"""The win likelihood of one deal's successive chains, for its trend: only what the likelihood
needs (scores, effective influence, the four questions), reusing what did not change between
points.

A trend scores the chain once per change; from one change to the next most of it stays put.
A member's three scores depend on their slice of the chain, the deal, its competitors and,
through their activities' time decay, the instant: the scores of a member without activities
are the same at every instant their slice is the same, so they are computed once. Effective
influence depends only on the members' declared influence and the reporting and influence
links. Everything else
is computed as ``engine.run_model`` computes it, in the same order, so the values are the same
to the last bit. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from domain.chain import ChainSnapshot
from strategy.assessment import Assessment, Totals, assess_totals, member_states, unstaffed
from strategy.config import StrategyConfig
from strategy.influence import InfluenceResult, effective_influence
from strategy.scoring import PersonScores, build_contexts, score_person
from strategy.seats import people_only, seated
from strategy.tas import violations as process_rules


@dataclass(frozen=True, slots=True)
class TrendRun:
    """The assessment of one point and the members' relationship closeness there."""

    assessment: Assessment
    closeness: dict[str, int]

    @property
    def likelihood(self) -> float:
        return self.assessment.win_likelihood.value


class TrendModel:
    """Runs the likelihood model over a sequence of chains with one configuration, keeping
    what a later point can reuse (one instance per trend: the caches grow with its changes)."""

    def __init__(self, config: StrategyConfig) -> None:
        self.config = config
        self._influence: dict[Hashable, InfluenceResult] = {}
        self._timeless: dict[Hashable, PersonScores] = {}

    def run(self, snapshot: ChainSnapshot, now_ms: int) -> TrendRun:
        """The assessment of ``snapshot`` at ``now_ms``, equal to ``run_model``'s."""
        config = self.config
        # those who left count no more, the seats they left do, as in run_model
        snapshot = seated(snapshot.present())
        contexts = build_contexts(snapshot, now_ms)
        opp, comps = snapshot.opportunity, snapshot.competitors
        scores: dict[str, PersonScores] = {}
        for pid, ctx in contexts.items():
            if ctx.activities:
                scores[pid] = score_person(ctx, opp, comps, now_ms, config)
                continue
            # No activity has taken place with them: nothing in their scores moves with time.
            key = (ctx.member, ctx.knows, ctx.competitor_ties, opp, comps)
            found = self._timeless.get(key)
            if found is None:
                found = self._timeless[key] = score_person(ctx, opp, comps, now_ms, config)
            scores[pid] = found
        # Effective influence reads each member's declared influence, not their attitude.
        declared = tuple(sorted((m.person_id, m.influence) for m in snapshot.members))
        links = (declared, snapshot.reports_to, snapshot.influences)
        influence = self._influence.get(links)
        if influence is None:
            influence = self._influence[links] = effective_influence(snapshot, config)
        states = member_states(snapshot, contexts, scores, influence.effective, config, now_ms)
        # the deal's own facts too (the days without contact, a team without a solution
        # manager), as run_model reads them: the last point is the assessment
        quiet, alone = process_rules.quiet_days(snapshot, now_ms), unstaffed(snapshot)
        totals = Totals.of(states, config, quiet, alone)
        return TrendRun(
            assess_totals(opp, comps, totals, now_ms, config),
            {pid: s.closeness.value for pid, s in people_only(scores).items()},
        )
