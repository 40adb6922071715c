"""Learning from outcomes, glued to the store: which win model and play effects are in force,
what the model saw at a stage gate, what a recorded play changed, and the calibration run.

The active win model lives in the store (so every worker and the CLI agree); each request that
analyses a deal reads it once. A calibration run (``dealgraph calibrate`` or the administrators'
mutation) closes the play observations whose window has ended, fits the win model on the closed
deals (``strategy.calibration``) and stores the result as the new active model, whose previous
one it remembers for rollback.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.chain import ChainSnapshot
from domain.errors import DomainError, ErrorCode, FieldProblem
from domain.records import WinModelRecord
from domain.roles import ADMINS
from domain.vocabulary import DecisionRole, Stage
from graph import outcomes
from graph.chains import load_decision_chains
from graph.scope import SYSTEM, Actor
from graph.store import GraphStore
from resolvers import rules
from resolvers.context import RequestContext
from strategy.analysis import ATTITUDE_ORDER
from strategy.calibration import (
    SOURCE_FITTED,
    Calibration,
    GateSnapshot,
    WinWeights,
    calibrate,
    is_finite,
)
from strategy.config import StrategyConfig
from strategy.effects import NO_EFFECTS, EffectStats, LearnedEffects
from strategy.engine import ModelRun, run_model
from strategy.scoring import DAY_MS


@dataclass(frozen=True, slots=True)
class ActiveModel:
    """The stored model in force (None: the hand-set weights, no learned effects)."""

    node: WinModelRecord | None
    weights: WinWeights | None
    effects: LearnedEffects

    @property
    def key(self) -> str:
        """Which model this is, for results kept per model (a stored model never changes)."""
        return "hand-set" if self.node is None else f"model:{self.node['id']}"

    def config(self, base: StrategyConfig) -> StrategyConfig:
        """The strategy configuration with the fitted weights, if any, in force."""
        return self.weights.apply(base) if self.weights is not None else base


HAND_SET = ActiveModel(None, None, NO_EFFECTS)


def effects_from_json(text: str | None) -> LearnedEffects:
    """Learned effects as stored with a model: [[play, role, count, closeness, attitude]]."""
    if not text:
        return NO_EFFECTS
    out: dict[tuple[str, DecisionRole], EffectStats] = {}
    for key, role, count, closeness, attitude in json.loads(text):
        out[(str(key), DecisionRole(role))] = EffectStats(
            int(count), float(closeness), float(attitude)
        )
    return out


def effects_to_json(effects: LearnedEffects) -> str:
    """The stored form of ``effects_from_json``."""
    return json.dumps(
        [
            [key, role.value, s.count, s.closeness_sum, s.attitude_sum]
            for (key, role), s in sorted(effects.items())
        ]
    )


def model_of(node: WinModelRecord | None) -> ActiveModel:
    """The model a stored WinModel record puts in force."""
    if node is None:
        return HAND_SET
    weights: WinWeights | None = None
    if node.get("source") == SOURCE_FITTED:
        weights = WinWeights.from_dict(json.loads(str(node["weights"])))
        if not is_finite(weights):
            weights = None
    return ActiveModel(node, weights, effects_from_json(node.get("effects")))


def load_active(store: GraphStore) -> ActiveModel:
    """The model in force, read from the store."""
    return model_of(outcomes.active_win_model(store))


MODEL_TTL_SECONDS = 60.0
"""How long a process keeps the model it read: a model fitted by another process (the CLI,
another worker) is in force here within this time; one fitted or rolled back through this
process at once. Keeps the assessment's round trips and latency what they were."""

_cache: weakref.WeakKeyDictionary[GraphStore, tuple[float, ActiveModel]] = (
    weakref.WeakKeyDictionary()
)


def remember(store: GraphStore, model: ActiveModel) -> None:
    """Make ``model`` the one this process uses for ``store`` from now on."""
    _cache[store] = (time.monotonic(), model)


def forget(store: GraphStore) -> None:
    """Drop this process's copy of the model in force: the next request reads the store."""
    _cache.pop(store, None)


def cached_active(store: GraphStore) -> ActiveModel:
    """The model in force, from this process's cache while it is fresh, else from the store."""
    found = _cache.get(store)
    if found is not None and time.monotonic() - found[0] < MODEL_TTL_SECONDS:
        return found[1]
    model = load_active(store)
    remember(store, model)
    return model


async def active_model(ctx: RequestContext) -> ActiveModel:
    """The model in force for this request (the same for every field of the request, read at
    most once: the fields of a list ask together, so the first one's read is shared)."""
    key = ("win_model",)
    if key not in ctx.loaders:
        found = _cache.get(ctx.store)
        if found is not None and time.monotonic() - found[0] < MODEL_TTL_SECONDS:
            ctx.loaders[key] = found[1]
        else:
            ctx.loaders[key] = asyncio.ensure_future(ctx.run(cached_active, ctx.store))
    if isinstance(ctx.loaders[key], asyncio.Future):
        ctx.loaders[key] = await ctx.loaders[key]
    model: ActiveModel = ctx.loaders[key]
    return model


# --- what the model saw ----------------------------------------------------------------------


def gate_features(snapshot: ChainSnapshot, now: int, config: StrategyConfig) -> dict[str, Any]:
    """The four question scores and the likelihood at a stage gate (StageTransition gate_*)."""
    assessment = run_model(snapshot, now, config).assessment
    # The scores the likelihood's terms read (below the cut-off at 0, the sum): what it ran on.
    seen = {t.factor: t.score for t in assessment.win_likelihood.terms}
    return {
        "gate_is_real": seen["is_real"],
        "gate_can_compete": seen["can_compete"],
        "gate_can_win": seen["can_win"],
        "gate_worth_it": seen["worth_it"],
        "gate_win_likelihood": assessment.win_likelihood.value,
        "gate_prior_share": assessment.win_likelihood.prior_share,
    }


def target_state(run: ModelRun, person_id: str) -> tuple[DecisionRole, int, int] | None:
    """A chain member's buying role, closeness and attitude (as a step index), if a member."""
    ctx = run.contexts.get(person_id)
    if ctx is None:
        return None
    closeness = run.scores[person_id].closeness.value
    return ctx.member.role, closeness, ATTITUDE_ORDER.index(ctx.member.attitude)


def observation_start(
    snapshot: ChainSnapshot, person_id: str, now: int, config: StrategyConfig
) -> dict[str, Any]:
    """What a recorded play's target stood at (empty when the target is not in the chain)."""
    state = target_state(run_model(snapshot, now, config), person_id)
    if state is None:
        return {}
    role, closeness, attitude = state
    return {
        "effect_role": role.value,
        "effect_before_closeness": closeness,
        "effect_before_attitude": attitude,
        "effect_due_at": now + config.learning.window_days * DAY_MS,
    }


async def observation_for_item(
    ctx: RequestContext, target: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The observation start of a work plan item about to be closed with its result
    (``target``: its row of ``graph.outcomes.work_plan_item_target``)."""
    if target is None or target.get("person_id") is None or not target.get("action"):
        return {}
    found = await ctx.run(
        load_decision_chains, ctx.store, [str(target["opportunity_id"])], scope=ctx.scope
    )
    chain = found.get(str(target["opportunity_id"]))
    if chain is None:
        return {}
    model = await active_model(ctx)
    config = model.config(rules.active().strategy)
    now = ctx.store.clock()
    return await ctx.run(observation_start, chain.snapshot, str(target["person_id"]), now, config)


# --- the calibration run ---------------------------------------------------------------------


def closed_snapshots(rows: Sequence[Mapping[str, Any]]) -> list[GateSnapshot]:
    """Gate snapshot rows of closed deals as the fitting reads them (won = stage WON)."""
    return [
        GateSnapshot(
            str(r["deal_id"]),
            Stage(str(r["stage"])),
            int(r["is_real"]),
            int(r["can_compete"]),
            int(r["can_win"]),
            int(r["worth_it"]),
            r["outcome"] == Stage.WON.value,
            float(r["prior_share"]),
        )
        for r in rows
    ]


def due_observations(store: GraphStore, now: int, config: StrategyConfig) -> list[dict[str, Any]]:
    """The change in each due target's closeness and attitude since its play's result, measured
    at the window's end (activities after it left out; attitude as it stands)."""
    rows = outcomes.due_effect_rows(store, now)
    if not rows:
        return []
    chains = load_decision_chains(store, sorted({str(r["opportunity_id"]) for r in rows}))
    runs: dict[tuple[str, int], ModelRun] = {}
    out: list[dict[str, Any]] = []
    for r in rows:
        chain = chains.get(str(r["opportunity_id"]))
        at = min(now, int(r["due_at"]))
        if chain is None:
            continue
        key = (str(r["opportunity_id"]), at)
        if key not in runs:
            runs[key] = run_model(chain.snapshot, at, config)
        state = target_state(runs[key], str(r["person_id"]))
        if state is None:
            continue  # the target left the chain: no observation
        _, closeness, attitude = state
        out.append(
            {
                "item_id": str(r["item_id"]),
                "action": str(r["action"] or ""),
                "role": str(r["role"] or ""),
                "closeness_delta": float(closeness - int(r["before_closeness"])),
                "attitude_delta": float(attitude - int(r["before_attitude"])),
            }
        )
    return out


def learned_effects(rows: Sequence[Mapping[str, Any]]) -> LearnedEffects:
    """Sufficient statistics per play and role over stored and newly observed effects."""
    acc: dict[tuple[str, DecisionRole], tuple[int, float, float]] = {}

    def add(action: str, role: str, closeness: float, attitude: float) -> None:
        key = (action, DecisionRole(role))
        n, c, a = acc.get(key, (0, 0.0, 0.0))
        acc[key] = (n + 1, c + closeness, a + attitude)

    for r in rows:
        if r.get("action") and r.get("role"):
            add(
                str(r["action"]),
                str(r["role"]),
                float(r["closeness_delta"]),
                float(r["attitude_delta"]),
            )
    return {k: EffectStats(n, c, a) for k, (n, c, a) in sorted(acc.items())}


def model_record(result: Calibration, effects: LearnedEffects) -> dict[str, Any]:
    """The WinModel record of one calibration run (without id, date and actor)."""
    prior, fitted = result.prior_figures, result.fitted_figures
    return {
        "source": result.source,
        "deals": result.deals,
        "won": result.won,
        "weights": json.dumps(result.weights.as_dict(), sort_keys=True),
        "prior_brier": prior.brier if prior else None,
        "prior_log_loss": prior.log_loss if prior else None,
        "brier": fitted.brier if fitted else None,
        "log_loss": fitted.log_loss if fitted else None,
        "reliability": json.dumps(
            [[b.band, b.predicted, b.observed, b.count] for b in result.reliability]
        ),
        "effects": effects_to_json(effects),
        "note_en": result.note_en,
        "note_zh": result.note_zh,
    }


def run_calibration(
    store: GraphStore, base: StrategyConfig, *, actor: Actor = SYSTEM
) -> WinModelRecord:
    """Observe due play effects, fit the win model on closed deals, store it as the active one.

    The prior is always the configured (hand-set) weights, never a previous fit, so fits do not
    drift on their own output.
    """
    now = store.clock()
    observed = due_observations(store, now, base)
    effects = learned_effects([*outcomes.effect_rows(store), *observed])
    snapshots = closed_snapshots(outcomes.gate_snapshot_rows(store))
    result = calibrate(snapshots, WinWeights.of(base), base.calibration)
    return outcomes.save_win_model(store, model_record(result, effects), observed, actor=actor)


def require_admin(ctx: RequestContext) -> None:
    """FORBIDDEN unless the caller is an administrator (calibration changes every deal's
    likelihood)."""
    if not ctx.roles & ADMINS:
        raise DomainError(
            FieldProblem(
                "",
                "only an administrator may calibrate or roll back the win model",
                ErrorCode.FORBIDDEN,
                "只有管理员可以校准或回滚胜率模型",
            )
        )


async def calibrate_now(ctx: RequestContext) -> ActiveModel:
    """The administrators' calibration run; the new model is in force from this request on."""
    require_admin(ctx)
    node = await ctx.run(run_calibration, ctx.store, rules.active().strategy, actor=ctx.actor)
    model = model_of(node)
    ctx.loaders[("win_model",)] = model
    remember(ctx.store, model)
    return model


async def roll_back(ctx: RequestContext, model_id: str) -> ActiveModel:
    """Retire the active model; the previous one (or the hand-set weights) is in force again."""
    require_admin(ctx)
    await ctx.run(outcomes.roll_back_win_model, ctx.store, model_id, actor=ctx.actor)
    model = await ctx.run(load_active, ctx.store)
    ctx.loaders[("win_model",)] = model
    remember(ctx.store, model)
    return model
