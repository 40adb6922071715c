"""Play effects learned from recorded results.

The playbook models what a play does when it goes well (an executive visit adds a positive
visit and a tie, so closeness rises by whatever the scores make of that). What the company
recorded says what its plays actually did: per play and buying role, the target's change in
closeness (points) and attitude (steps) from the recorded result to a window later.

The two are combined by a conjugate normal-normal update: the playbook's modelled change is the
prior mean, each observation has a known scatter, so the posterior mean is the precision-weighted
blend ``(m0/s0^2 + sum(x)/s^2) / (1/s0^2 + n/s^2)``. With few results the playbook dominates; as
results accumulate the learned mean takes over.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.vocabulary import DecisionRole, label_of
from strategy.config import LearningConfig


@dataclass(frozen=True, slots=True)
class EffectObservation:
    """One completed play: its key, the target's role then, and what changed in the window."""

    action_key: str
    role: DecisionRole
    closeness_delta: float
    attitude_delta: float


@dataclass(frozen=True, slots=True)
class EffectStats:
    """Sufficient statistics of the observations of one play on one buying role."""

    count: int
    closeness_sum: float
    attitude_sum: float

    @property
    def closeness_mean(self) -> float:
        return self.closeness_sum / self.count if self.count else 0.0

    @property
    def attitude_mean(self) -> float:
        return self.attitude_sum / self.count if self.count else 0.0


type LearnedEffects = Mapping[tuple[str, DecisionRole], EffectStats]

NO_EFFECTS: LearnedEffects = {}


@dataclass(frozen=True, slots=True)
class AssumedEffect:
    """The change a suggestion assumed for its target, and how many results back it."""

    closeness: float
    attitude: float
    observations: int


def summarise(
    observations: Iterable[EffectObservation],
) -> dict[tuple[str, DecisionRole], EffectStats]:
    """Per play and role: how many results, and the sums of their changes."""
    acc: dict[tuple[str, DecisionRole], tuple[int, float, float]] = {}
    for o in observations:
        n, c, a = acc.get((o.action_key, o.role), (0, 0.0, 0.0))
        acc[(o.action_key, o.role)] = (n + 1, c + o.closeness_delta, a + o.attitude_delta)
    return {k: EffectStats(n, c, a) for k, (n, c, a) in sorted(acc.items())}


def posterior_mean(
    prior_mean: float, prior_sd: float, obs_sd: float, n: int, total: float
) -> float:
    """Normal-normal posterior mean of an effect with a known observation scatter."""
    if n == 0:
        return prior_mean
    prior_precision = 1.0 / (prior_sd * prior_sd)
    data_precision = n / (obs_sd * obs_sd)
    return (prior_mean * prior_precision + total / (obs_sd * obs_sd)) / (
        prior_precision + data_precision
    )


def assumed_effect(
    action_key: str,
    role: DecisionRole,
    modelled_closeness: float,
    modelled_attitude: float,
    learned: LearnedEffects,
    config: LearningConfig,
) -> AssumedEffect:
    """The effect to assume: the modelled one updated by the recorded results (if any)."""
    stats = learned.get((action_key, role))
    if stats is None or stats.count == 0:
        return AssumedEffect(modelled_closeness, modelled_attitude, 0)
    return AssumedEffect(
        posterior_mean(
            modelled_closeness,
            config.prior_sd_closeness,
            config.observation_sd_closeness,
            stats.count,
            stats.closeness_sum,
        ),
        posterior_mean(
            modelled_attitude,
            config.prior_sd_attitude,
            config.observation_sd_attitude,
            stats.count,
            stats.attitude_sum,
        ),
        stats.count,
    )


def effect_text(
    title_en: str, title_zh: str, role: DecisionRole, effect: AssumedEffect
) -> tuple[str, str]:
    """'Executive visit to a decision maker: +14 closeness, from 23 results' (and zh-CN)."""
    role_en, role_zh = label_of(role).lower(), label_of(role, "zh")
    owed = role == DecisionRole.SUPERVISOR  # at arm's length: their closeness counts for nothing
    parts_en = [] if owed else [f"{effect.closeness:+.0f} closeness"]
    parts_zh = [] if owed else [f"关系紧密度{effect.closeness:+.0f}"]
    if round(effect.attitude, 1) != 0:
        parts_en.append(f"{effect.attitude:+.1f} attitude steps")
        parts_zh.append(f"态度{effect.attitude:+.1f}级")
    if not parts_en:
        return (
            f"{title_en} to {_whom(role_en, role)}: what we owe them, no closeness sought",
            f"对{role_zh}的{title_zh}：我方应尽的义务，不寻求关系紧密度",
        )
    if effect.observations:
        n = effect.observations
        src_en = f"from {n} result{'s' if n != 1 else ''}"
        src_zh = f"基于{n}条记录的结果"
    else:
        src_en, src_zh = "playbook estimate, no results yet", "剧本估计，尚无记录的结果"
    # A workshop or an exchange is held with people, a visit paid to them.
    joint = title_en.lower().endswith(("workshop", "exchange", "discussion", "meeting"))
    return (
        f"{title_en} {'with' if joint else 'to'} {_whom(role_en, role)}: {', '.join(parts_en)}, "
        f"{src_en}",
        f"对{role_zh}的{title_zh}：{'，'.join(parts_zh)}，{src_zh}",
    )


def _whom(role_en: str, role: DecisionRole) -> str:
    if role in (DecisionRole.PROCUREMENT, DecisionRole.FINANCE):
        return role_en  # a function, not a person: "to procurement"
    return f"{'an' if role_en[:1] in 'aeio' else 'a'} {role_en}"  # a user, an approver
