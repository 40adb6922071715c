"""GraphQL for learning from outcomes: the win model in force with its calibration figures and
reliability table, the learned play effects, and the administrators' calibrate and rollback."""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

import strawberry

from domain.text import Text
from domain.vocabulary import CLOSED_STAGES, Stage
from resolvers import calibration as glue
from resolvers import rules
from schema import enums
from schema.common import Refusal, payload
from schema.nodes import Ctx, context
from schema.scalars import to_datetime
from strategy.calibration import SOURCE_FITTED, WinWeights
from strategy.effects import AssumedEffect, effect_text
from strategy.playbook import default_playbook


@strawberry.enum(description="Where the win model's weights come from")
class WinModelSource(Enum):
    PRIOR = "PRIOR"
    FITTED = "FITTED"


@strawberry.type(
    description="Deals whose predicted likelihood fell in one band, and how often "
    "they were won (held out: each deal scored by a fit that never saw it)"
)
class ReliabilityBand:
    band: str
    predicted: float
    observed: float
    count: int = strawberry.field(description="Gate snapshots of closed deals in the band")


@strawberry.type(description="The logit prior of one stage")
class StagePrior:
    stage: enums.Stage
    logit: float


@strawberry.type(
    description="The win model's weights: logit = intercept + stage prior + "
    "weight x (score - 50) / 50 per question (is it real: only a shortfall)"
)
class WinModelWeights:
    intercept: float
    stage_priors: list[StagePrior]
    is_real: float
    can_compete: float
    can_win: float
    worth_it: float


@strawberry.type(description="What one play did to one buying role, from recorded results")
class PlayEffect:
    action_key: str
    role: enums.DecisionRole
    observations: int
    closeness: float = strawberry.field(description="Mean observed change in closeness (points)")
    attitude: float = strawberry.field(description="Mean observed change in attitude (steps)")
    text: str


@strawberry.type(description="The win model in force and the evidence for it")
class WinModel:
    id: str | None = strawberry.field(description="The stored model; null: never calibrated")
    source: WinModelSource
    fitted_at: datetime | None
    deals: int = strawberry.field(description="Closed deals it was fitted on")
    won: int
    brier: float | None = strawberry.field(
        description="Held-out Brier score of the fitted weights (lower is better)"
    )
    log_loss: float | None
    prior_brier: float | None = strawberry.field(
        description="Brier score of the hand-set weights on the same deals"
    )
    prior_log_loss: float | None
    reliability: list[ReliabilityBand]
    weights: WinModelWeights = strawberry.field(description="The weights in force")
    note: str
    can_roll_back: bool
    play_effects: list[PlayEffect]


@payload()
class WinModelPayload:
    win_model: WinModel | None = None


NOT_CALIBRATED = Text(
    "Not calibrated yet: the hand-set weights are in force", "尚未校准：使用人工设定的权重"
)


def _weights(w: WinWeights) -> WinModelWeights:
    return WinModelWeights(
        intercept=w.intercept,
        stage_priors=[
            StagePrior(stage=s, logit=w.stage_prior.get(s.value, 0.0))
            for s in Stage
            if s not in CLOSED_STAGES
        ],
        is_real=w.real_weight,
        can_compete=w.compete_weight,
        can_win=w.win_weight,
        worth_it=w.worth_weight,
    )


def _effects(model: glue.ActiveModel, locale: str) -> list[PlayEffect]:
    playbook = default_playbook()
    titles = {a.key: (a.title_en, a.title_zh) for a in playbook.actions}
    out: list[PlayEffect] = []
    for (key, role), stats in sorted(model.effects.items()):
        en_title, zh_title = titles.get(key, (key, key))
        seen = AssumedEffect(stats.closeness_mean, stats.attitude_mean, stats.count)
        text = Text(*effect_text(en_title, zh_title, role, seen))
        out.append(
            PlayEffect(
                action_key=key,
                role=role,
                observations=stats.count,
                closeness=stats.closeness_mean,
                attitude=stats.attitude_mean,
                text=text.in_(locale),
            )
        )
    return out


def win_model(model: glue.ActiveModel, locale: str) -> WinModel:
    """The API view of the model in force."""
    node = model.node
    hand_set = WinWeights.of(rules.active().strategy)
    if node is None:
        return WinModel(
            id=None,
            source=WinModelSource.PRIOR,
            fitted_at=None,
            deals=0,
            won=0,
            brier=None,
            log_loss=None,
            prior_brier=None,
            prior_log_loss=None,
            reliability=[],
            weights=_weights(hand_set),
            note=NOT_CALIBRATED.in_(locale),
            can_roll_back=False,
            play_effects=[],
        )
    bands = json.loads(str(node.get("reliability") or "[]"))
    return WinModel(
        id=str(node["id"]),
        source=WinModelSource.FITTED
        if node.get("source") == SOURCE_FITTED and model.weights is not None
        else WinModelSource.PRIOR,
        fitted_at=to_datetime(node.get("fitted_at")),
        deals=int(node.get("deals") or 0),
        won=int(node.get("won") or 0),
        brier=node.get("brier"),
        log_loss=node.get("log_loss"),
        prior_brier=node.get("prior_brier"),
        prior_log_loss=node.get("prior_log_loss"),
        reliability=[
            ReliabilityBand(band=str(b), predicted=float(p), observed=float(o), count=int(c))
            for b, p, o, c in bands
        ],
        weights=_weights(model.weights or hand_set),
        note=Text(str(node.get("note_en") or ""), str(node.get("note_zh") or "")).in_(locale),
        can_roll_back=True,
        play_effects=_effects(model, locale),
    )


@strawberry.type
class CalibrationQuery:
    @strawberry.field(
        description="The win model in force: fitted on our closed deals or the hand-set "
        "weights, with held-out Brier score, log loss, reliability table and learned play effects"
    )
    async def win_model(self, info: Ctx) -> WinModel:
        ctx = context(info)
        return win_model(await glue.active_model(ctx), ctx.locale)


@strawberry.type
class CalibrationMutation:
    @strawberry.mutation(
        description="Observe due play effects and fit the win model on the closed deals; the "
        "result is in force from now on (administrators only)"
    )
    async def win_model_calibrate(self, info: Ctx) -> WinModelPayload:
        ctx = context(info)
        with Refusal(info) as refused:
            model = await glue.calibrate_now(ctx)
            return WinModelPayload(win_model=win_model(model, ctx.locale))
        return refused.payload(WinModelPayload)

    @strawberry.mutation(
        description="Retire the win model in force (give its id); the one it replaced, or the "
        "hand-set weights, is in force again (administrators only)"
    )
    async def win_model_roll_back(self, info: Ctx, id: str) -> WinModelPayload:
        ctx = context(info)
        with Refusal(info) as refused:
            model = await glue.roll_back(ctx, id)
            return WinModelPayload(win_model=win_model(model, ctx.locale))
        return refused.payload(WinModelPayload)
