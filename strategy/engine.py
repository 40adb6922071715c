"""One entry point for the resolvers: ``analyse(snapshot, now_ms, config)`` computes the scores,
the chain analysis, the four-question assessment and the work plan from one snapshot.

Each step runs once and hands its results to the next, so the whole analysis costs one scoring
pass, one PageRank, a handful of linear passes and a bounded number of what-if re-runs. The
work plan (the what-if re-runs, two thirds of the cost) is worked out when it is first read:
a likelihood, the red flags or a list of deals never need it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from domain.chain import ChainSnapshot, successor_of
from domain.text import Text
from domain.vocabulary import CLOSED_STAGES
from strategy.analysis import ChainAnalysis, analyse_chain
from strategy.assessment import (
    Assessment,
    PersonState,
    Totals,
    assess_totals,
    member_states,
    unstaffed,
)
from strategy.config import StrategyConfig, default_config
from strategy.departures import DepartedMember, left_chain, successor_steps, with_departures
from strategy.effects import NO_EFFECTS, LearnedEffects
from strategy.influence import InfluenceResult, effective_influence
from strategy.playbook import Playbook, default_playbook
from strategy.scoring import ChainScorer, PersonContext, PersonScores, build_contexts
from strategy.seats import people_only, seated, unseated
from strategy.tas import violations as process_rules
from strategy.workplan import Suggestion, plan_work


class PlanOnDemand:
    """A work plan made on its first read, once however many threads read it at once (a kept
    analysis is shared); ``None`` stands for no plan."""

    __slots__ = ("_lock", "_make", "_plan")

    def __init__(self, make: Callable[[], tuple[Suggestion, ...]] | None) -> None:
        self._make = make
        self._plan: tuple[Suggestion, ...] | None = () if make is None else None
        self._lock = threading.Lock()

    def get(self) -> tuple[Suggestion, ...]:
        if self._plan is None:
            with self._lock:
                if self._make is not None:
                    self._plan, self._make = self._make(), None
        assert self._plan is not None
        return self._plan


@dataclass(frozen=True, slots=True)
class FullAnalysis:
    """Everything the strategy engine says about one opportunity at ``now_ms``."""

    opportunity_id: str
    now_ms: int
    scores: tuple[PersonScores, ...]
    analysis: ChainAnalysis
    assessment: Assessment
    pending_plan: PlanOnDemand = field(repr=False, compare=False)
    departed: tuple[DepartedMember, ...] = ()
    """The members who left the customer, with their scores the day they left: history, not
    counted."""

    @property
    def plan(self) -> tuple[Suggestion, ...]:
        """The suggested work plan, best first (worked out on the first read)."""
        return self.pending_plan.get()

    def scores_of(self, person_id: str) -> PersonScores | None:
        """The three scores of one member, or None if they are not in the chain."""
        return next((s for s in self.scores if s.person_id == person_id), None)

    @property
    def win_likelihood(self) -> float:
        return self.assessment.win_likelihood.value


@dataclass(frozen=True, slots=True)
class ModelRun:
    """Intermediate results shared by analysis, bridges and plan (one per snapshot)."""

    contexts: dict[str, PersonContext]
    scores: dict[str, PersonScores]
    influence: InfluenceResult
    states: tuple[PersonState, ...]
    assessment: Assessment
    scorer: ChainScorer
    totals: Totals


def run_model(snapshot: ChainSnapshot, now_ms: int, config: StrategyConfig) -> ModelRun:
    """Scores, influence and assessment: the part of the analysis every what-if re-runs. Those
    who left the customer are not counted; the seats they left are, held by someone nobody of
    ours knows (``strategy.seats``), in the totals alone."""
    snapshot = snapshot.present()
    model = seated(snapshot)
    contexts = build_contexts(model, now_ms)
    opp, comps = snapshot.opportunity, snapshot.competitors
    scorer = ChainScorer(opp, comps, now_ms, config)
    scores = {p: scorer.score(c) for p, c in contexts.items()}
    influence = effective_influence(model, config)
    states = member_states(model, contexts, scores, influence.effective, config, now_ms)
    totals = Totals.of(
        states, config, process_rules.quiet_days(snapshot, now_ms), unstaffed(snapshot)
    )
    names: dict[str, str | Text] = {p.id: p.name for p in snapshot.persons}
    names |= snapshot.display_names()
    names |= {s.id: successor_of(s.name, s.named) for s in snapshot.seats}
    assessment = assess_totals(opp, comps, totals, now_ms, config, names=names)
    if snapshot.seats:
        assessment = unseated(assessment)
        contexts, scores = people_only(contexts), people_only(scores)
        states = tuple(s for s in states if s.person_id in contexts)
        influence = InfluenceResult(
            people_only(influence.declared), people_only(influence.effective)
        )
    return ModelRun(contexts, scores, influence, states, assessment, scorer, totals)


def analyse(
    snapshot: ChainSnapshot,
    now_ms: int,
    config: StrategyConfig | None = None,
    *,
    playbook: Playbook | None = None,
    include_plan: bool = True,
    learned: LearnedEffects = NO_EFFECTS,
) -> FullAnalysis:
    """Full analysis of one opportunity; ``config``/``playbook`` default to the packaged files."""
    cfg = config or default_config()
    whole = snapshot
    snapshot, departed = left_chain(whole, cfg)
    run = run_model(snapshot, now_ms, cfg)
    names = {p.id: p.name for p in snapshot.persons}
    analysis = analyse_chain(
        snapshot,
        run.contexts,
        run.scores,
        run.influence,
        run.states,
        run.assessment,
        now_ms,
        cfg,
        names,
        scorer=run.scorer,
        totals=run.totals,
    )
    if departed and snapshot.opportunity.stage not in CLOSED_STAGES:
        named = names | snapshot.display_names()
        analysis = with_departures(analysis, departed, snapshot, now_ms, cfg, named)

    book = playbook or default_playbook()  # the rules in force now, not at the first read

    def make_plan() -> tuple[Suggestion, ...]:
        # The model is run again rather than kept: a kept analysis would otherwise hold every
        # person's working state until someone asks for its plan (it costs a third of the plan).
        again = run_model(snapshot, now_ms, cfg)
        plan = plan_work(
            snapshot,
            again.contexts,
            again.states,
            again.assessment,
            analysis,
            now_ms,
            cfg,
            book,
            names,
            learned,
            scorer=again.scorer,
            totals=again.totals,
        )
        if not departed or snapshot.opportunity.stage in CLOSED_STAGES:
            return plan
        return (*successor_steps(departed, whole, now_ms, cfg, book), *plan)

    return FullAnalysis(
        snapshot.opportunity.id,
        now_ms,
        tuple(run.scores[p] for p in dict.fromkeys(m.person_id for m in snapshot.members)),
        analysis,
        run.assessment,
        PlanOnDemand(make_plan if include_plan else None),
        departed,
    )
