"""Calibrating the win likelihood on the company's own closed deals.

The win likelihood (``assessment.win_likelihood``) is a logistic model whose weights were set by
hand. Every company sells differently, so its closed deals correct them: a regularised logistic
regression whose Gaussian prior is centred on the hand-set weights. With a handful of deals the
prior dominates; with hundreds the data does. The question weights stay non-negative (bounds of
the optimiser), which keeps the model's monotonicity guarantee.

Rows are the gate snapshots of closed deals (what the model saw each time the stage changed),
labelled by the deal's outcome. Each deal counts once: its snapshots share a weight of 1. The
figures reported are out of sample: each deal is scored by a model fitted on the other folds,
never by one that saw its outcome.

Pure: numbers in, numbers out (NumPy and SciPy, no I/O).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import expit, log_expit

from domain.vocabulary import OPEN_STAGES, Stage
from strategy.assessment import BELOW_ZERO_SHARE, UNPROVEN_STAGE
from strategy.config import CalibrationConfig, StrategyConfig

QUESTIONS = ("is_real", "can_compete", "can_win", "worth_it")
WEIGHT_NAMES = ("real_weight", "compete_weight", "win_weight", "worth_weight")
# Parameter vector: intercept, one logit offset per open stage, the four question weights.
_N_STAGE = len(OPEN_STAGES)
_N_PARAMS = 1 + _N_STAGE + len(QUESTIONS)
_FIRST_WEIGHT = 1 + _N_STAGE

type Vector = NDArray[np.float64]

SOURCE_PRIOR = "PRIOR"
SOURCE_FITTED = "FITTED"


@dataclass(frozen=True, slots=True)
class GateSnapshot:
    """What the model saw of one deal at one stage gate, and how the deal ended."""

    deal_id: str
    stage: Stage
    is_real: int
    can_compete: int
    can_win: int
    worth_it: int
    won: bool
    prior_share: float = 1.0
    """How much of its stage's prior the model applied (``assessment.earned_share``); the
    rest was requirements analysis's. The fit blends the two linearly; a fitted model whose
    later stage's prior fell below requirements analysis's would apply that prior in full
    (the share only ever holds a deal back), which the packaged and synthetic priors never do."""


@dataclass(frozen=True, slots=True)
class WinWeights:
    """The parameters of the win-likelihood model (``[likelihood]`` of the strategy config)."""

    intercept: float
    stage_prior: Mapping[str, float]
    real_weight: float
    compete_weight: float
    win_weight: float
    worth_weight: float

    @staticmethod
    def of(config: StrategyConfig) -> WinWeights:
        """The weights a configuration holds (the hand-set prior for the packaged one)."""
        lk = config.likelihood
        return WinWeights(
            lk.intercept,
            dict(lk.stage_prior),
            lk.real_weight,
            lk.compete_weight,
            lk.win_weight,
            lk.worth_weight,
        )

    def apply(self, config: StrategyConfig) -> StrategyConfig:
        """``config`` with these weights in force (everything else unchanged)."""
        stage_prior = dict(config.likelihood.stage_prior)
        stage_prior.update(self.stage_prior)
        likelihood = dataclasses.replace(
            config.likelihood,
            intercept=self.intercept,
            stage_prior=stage_prior,
            real_weight=self.real_weight,
            compete_weight=self.compete_weight,
            win_weight=self.win_weight,
            worth_weight=self.worth_weight,
        )
        return dataclasses.replace(config, likelihood=likelihood)

    def vector(self) -> Vector:
        """The parameters in the fitting order."""
        return np.array(
            [
                self.intercept,
                *(self.stage_prior.get(s.value, 0.0) for s in OPEN_STAGES),
                *(getattr(self, n) for n in WEIGHT_NAMES),
            ],
            dtype=np.float64,
        )

    @staticmethod
    def from_vector(theta: Vector) -> WinWeights:
        """Weights from a parameter vector in the fitting order."""
        values = [float(v) for v in theta]
        weights = values[_FIRST_WEIGHT:]
        return WinWeights(
            values[0],
            {s.value: values[1 + i] for i, s in enumerate(OPEN_STAGES)},
            *weights,
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (stored with the fitted model)."""
        return {
            "intercept": self.intercept,
            "stage_prior": dict(self.stage_prior),
            **{n: getattr(self, n) for n in WEIGHT_NAMES},
        }

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> WinWeights:
        """Weights from ``as_dict``'s form."""
        return WinWeights(
            float(data["intercept"]),
            {str(k): float(v) for k, v in dict(data["stage_prior"]).items()},
            *(float(data[n]) for n in WEIGHT_NAMES),
        )


@dataclass(frozen=True, slots=True)
class FitFigures:
    """Out-of-sample quality of one set of weights: Brier score and log loss (lower is better)."""

    brier: float
    log_loss: float


@dataclass(frozen=True, slots=True)
class ReliabilityBand:
    """Deals whose predicted likelihood fell in one band, and how often they were won."""

    band: str
    predicted: float
    observed: float
    count: int


@dataclass(frozen=True, slots=True)
class Calibration:
    """The result of one calibration run: the weights to use and the evidence for them."""

    source: str
    deals: int
    won: int
    weights: WinWeights
    prior: WinWeights
    prior_figures: FitFigures | None
    fitted_figures: FitFigures | None
    reliability: tuple[ReliabilityBand, ...]
    note_en: str
    note_zh: str


def features(snapshots: Sequence[GateSnapshot]) -> Vector:
    """The design matrix: the same transform of the scores as ``win_likelihood`` applies."""
    n = len(snapshots)
    x = np.zeros((n, _N_PARAMS), dtype=np.float64)
    x[:, 0] = 1.0
    stage_index = {s: 1 + i for i, s in enumerate(OPEN_STAGES)}
    columns = [stage_index.get(s.stage, -1) for s in snapshots]
    unproven = stage_index[UNPROVEN_STAGE]
    for r, c in enumerate(columns):
        if c > 0:
            share = snapshots[r].prior_share
            x[r, c] = share
            x[r, unproven] += 1.0 - share
    scores = np.array(
        [(s.is_real, s.can_compete, s.can_win, s.worth_it) for s in snapshots], dtype=np.float64
    ).reshape(n, 4)
    scores[:, 0] = np.minimum(scores[:, 0], 50.0)
    scores = np.where(scores < 0, scores * BELOW_ZERO_SHARE, scores)
    x[:, _FIRST_WEIGHT:] = (scores - 50.0) / 50.0
    return x


def _deal_weights(snapshots: Sequence[GateSnapshot]) -> Vector:
    """1/k for each of a deal's k snapshots: every deal counts once."""
    counts: dict[str, int] = {}
    for snap in snapshots:
        counts[snap.deal_id] = counts.get(snap.deal_id, 0) + 1
    return np.array([1.0 / counts[s.deal_id] for s in snapshots], dtype=np.float64)


def _prior_sd(config: CalibrationConfig) -> Vector:
    return np.array(
        [config.prior_sd_stage] * _FIRST_WEIGHT + [config.prior_sd_weight] * len(QUESTIONS),
        dtype=np.float64,
    )


def _fit(x: Vector, y: Vector, w: Vector, prior: Vector, sd: Vector) -> Vector:
    """MAP estimate: weighted log loss plus the Gaussian prior, question weights >= 0."""

    def objective(theta: Vector) -> tuple[float, Vector]:
        z = x @ theta
        loss = -float(np.sum(w * (y * log_expit(z) + (1.0 - y) * log_expit(-z))))
        grad = x.T @ (w * (expit(z) - y))
        d = (theta - prior) / sd
        return loss + 0.5 * float(d @ d), grad + d / sd

    bounds = [(None, None)] * _FIRST_WEIGHT + [(0.0, None)] * len(QUESTIONS)
    start = np.maximum(prior, [-np.inf] * _FIRST_WEIGHT + [0.0] * len(QUESTIONS))
    result = minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds)
    fitted: Vector = np.asarray(result.x, dtype=np.float64)
    return fitted


def fit_weights(
    snapshots: Sequence[GateSnapshot], prior: WinWeights, config: CalibrationConfig
) -> WinWeights:
    """The posterior-mode weights given the closed deals' snapshots (no minimum applied)."""
    if not snapshots:
        return prior
    y = np.array([1.0 if s.won else 0.0 for s in snapshots], dtype=np.float64)
    theta = _fit(
        features(snapshots), y, _deal_weights(snapshots), prior.vector(), _prior_sd(config)
    )
    return WinWeights.from_vector(theta)


def predict(weights: WinWeights, snapshots: Sequence[GateSnapshot]) -> Vector:
    """Win likelihood of each snapshot under ``weights``."""
    if not snapshots:
        return np.zeros(0, dtype=np.float64)
    p: Vector = expit(features(snapshots) @ weights.vector())
    return p


def fold_of(deal_id: str, folds: int) -> int:
    """A deal's cross-validation fold, stable across runs (all its snapshots share it)."""
    digest = hashlib.sha256(deal_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") % folds


def figures(p: Vector, y: Vector, w: Vector) -> FitFigures:
    """Deal-weighted Brier score and log loss of predictions ``p`` for outcomes ``y``."""
    total = float(np.sum(w))
    clipped = np.clip(p, 1e-12, 1 - 1e-12)
    brier = float(np.sum(w * (p - y) ** 2)) / total
    loss = -float(np.sum(w * (y * np.log(clipped) + (1 - y) * np.log(1 - clipped)))) / total
    return FitFigures(brier, loss)


def reliability(p: Vector, y: Vector, w: Vector, bands: int) -> tuple[ReliabilityBand, ...]:
    """Predicted against observed win rate per likelihood band (empty bands left out)."""
    out: list[ReliabilityBand] = []
    index = np.minimum((p * bands).astype(int), bands - 1)
    for b in range(bands):
        mask = index == b
        count = int(np.count_nonzero(mask))
        if count == 0:
            continue
        weight = float(np.sum(w[mask]))
        lo, hi = round(100 * b / bands), round(100 * (b + 1) / bands)
        out.append(
            ReliabilityBand(
                f"{lo}-{hi}%",
                float(np.sum(w[mask] * p[mask])) / weight,
                float(np.sum(w[mask] * y[mask])) / weight,
                count,
            )
        )
    return tuple(out)


def out_of_fold(
    snapshots: Sequence[GateSnapshot], prior: WinWeights, config: CalibrationConfig
) -> Vector:
    """Each snapshot's likelihood under a model fitted without its deal (k-fold by deal)."""
    folds = np.array([fold_of(s.deal_id, config.folds) for s in snapshots])
    p = np.zeros(len(snapshots), dtype=np.float64)
    for k in range(config.folds):
        held = folds == k
        if not held.any():
            continue
        train = [s for s, h in zip(snapshots, held, strict=True) if not h]
        test = [s for s, h in zip(snapshots, held, strict=True) if h]
        p[held] = predict(fit_weights(train, prior, config), test)
    return p


def closed_deals(snapshots: Sequence[GateSnapshot]) -> tuple[int, int]:
    """Number of deals and of won deals among the snapshots."""
    outcome = {s.deal_id: s.won for s in snapshots}
    return len(outcome), sum(outcome.values())


def calibrate(
    snapshots: Sequence[GateSnapshot], prior: WinWeights, config: CalibrationConfig
) -> Calibration:
    """Fit on the closed deals if there are enough, and say how the fit compares to the prior.

    The fitted weights are adopted only when their held-out Brier score is no worse than the
    prior's; otherwise the prior stays, and the result says why.
    """
    deals, won = closed_deals(snapshots)
    if deals < config.min_deals:
        return Calibration(
            SOURCE_PRIOR,
            deals,
            won,
            prior,
            prior,
            None,
            None,
            (),
            f"{deals} closed deals, fewer than the {config.min_deals} needed: the hand-set "
            "weights stay in force",
            f"已结束商机{deals}个，少于所需的{config.min_deals}个：继续使用人工设定的权重",
        )
    y = np.array([1.0 if s.won else 0.0 for s in snapshots], dtype=np.float64)
    w = _deal_weights(snapshots)
    held_out = out_of_fold(snapshots, prior, config)
    prior_figures = figures(predict(prior, snapshots), y, w)
    fitted_figures = figures(held_out, y, w)
    table = reliability(held_out, y, w, config.bands)
    if fitted_figures.brier > prior_figures.brier:
        return Calibration(
            SOURCE_PRIOR,
            deals,
            won,
            prior,
            prior,
            prior_figures,
            fitted_figures,
            table,
            f"On held-out deals the fit (Brier {fitted_figures.brier:.3f}) does not beat the "
            f"hand-set weights ({prior_figures.brier:.3f}): they stay in force",
            f"在留出的商机上，拟合模型（Brier {fitted_figures.brier:.3f}）不优于人工权重"
            f"（{prior_figures.brier:.3f}）：继续使用人工权重",
        )
    gain = 1 - fitted_figures.brier / prior_figures.brier if prior_figures.brier > 0 else 0.0
    return Calibration(
        SOURCE_FITTED,
        deals,
        won,
        fit_weights(snapshots, prior, config),
        prior,
        prior_figures,
        fitted_figures,
        table,
        f"Fitted on {deals} closed deals ({won} won): held-out Brier {fitted_figures.brier:.3f} "
        f"against {prior_figures.brier:.3f} for the hand-set weights ({gain:.0%} better)",
        f"基于{deals}个已结束商机（赢单{won}个）拟合：留出集Brier {fitted_figures.brier:.3f}，"
        f"人工权重为{prior_figures.brier:.3f}（改善{gain:.0%}）",
    )


def logit(weights: WinWeights, snapshot: GateSnapshot) -> float:
    """The model's logit for one snapshot (equal to ``win_likelihood``'s)."""
    return float(features([snapshot])[0] @ weights.vector())


def relative_error(fitted: WinWeights, true: WinWeights) -> float:
    """Distance of the question weights from the truth, relative to the truth's size."""
    a = np.array([getattr(fitted, n) for n in WEIGHT_NAMES])
    b = np.array([getattr(true, n) for n in WEIGHT_NAMES])
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def is_finite(weights: WinWeights) -> bool:
    """Whether every parameter is a finite number (a stored model is checked before use)."""
    return all(math.isfinite(float(v)) for v in weights.vector())
