"""Fitting the win model on closed deals: recovery of a known model, the prior's pull with few
deals, monotonicity, no leakage, and the same logit the assessment computes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from domain.vocabulary import Stage
from strategy import calibration as cal
from strategy import synthetic
from strategy.assessment import win_likelihood
from strategy.config import default_config
from strategy.scoring import Score

CONFIG = default_config()
PRIOR = cal.WinWeights.of(CONFIG)
TRUE = synthetic.TRUE_WEIGHTS


_RANK = {s: i for i, s in enumerate(Stage)}


def _score(value: int) -> Score:
    return Score(value, ())


def test_the_fitted_logit_is_the_assessment_logit() -> None:
    """The regression fits exactly the model the engine evaluates, for prior and fitted weights."""
    for weights in (PRIOR, TRUE):
        config = weights.apply(CONFIG)
        for deal in synthetic.closed_deals(40, seed=3):
            scores = {
                "is_real": _score(deal.is_real),
                "can_compete": _score(deal.can_compete),
                "can_win": _score(deal.can_win),
                "worth_it": _score(deal.worth_it),
            }
            # how much of its stage's prior the deal had earned (past requirements analysis)
            later = _RANK[deal.stage] > _RANK[Stage.REQUIREMENTS]
            for share in (1.0, 0.4, 0.0) if later else (1.0,):
                snap = dataclasses.replace(deal, prior_share=share)
                expected = win_likelihood(scores, config, snap.stage, share).logit
                assert cal.logit(weights, snap) == pytest.approx(expected, abs=1e-12)


def test_weights_round_trip_and_leave_the_rest_of_the_config_alone() -> None:
    assert cal.WinWeights.from_dict(TRUE.as_dict()) == TRUE
    applied = TRUE.apply(CONFIG)
    assert cal.WinWeights.of(applied) == dataclasses.replace(
        TRUE, stage_prior={**CONFIG.likelihood.stage_prior, **TRUE.stage_prior}
    )
    assert applied.assessment == CONFIG.assessment
    assert applied.likelihood.stage_prior["WON"] == CONFIG.likelihood.stage_prior["WON"]


def test_five_hundred_deals_recover_the_true_weights_and_beat_the_prior() -> None:
    deals = synthetic.closed_deals(500, seed=17)
    result = cal.calibrate(deals, PRIOR, CONFIG.calibration)
    assert result.source == cal.SOURCE_FITTED
    assert result.deals == 500
    assert cal.relative_error(result.weights, TRUE) <= 0.15
    assert cal.relative_error(PRIOR, TRUE) > 0.3  # the prior was far off to begin with
    # held out by cross-validation (each deal scored by a fit that never saw it)
    assert result.fitted_figures is not None
    assert result.prior_figures is not None
    assert result.fitted_figures.brier <= 0.9 * result.prior_figures.brier
    assert result.fitted_figures.log_loss < result.prior_figures.log_loss
    # and on fresh deals of the same company
    fresh = synthetic.closed_deals(5000, seed=18, prefix="fresh")
    y = np.array([1.0 if s.won else 0.0 for s in fresh])
    w = np.ones(len(fresh))
    prior_brier = cal.figures(cal.predict(PRIOR, fresh), y, w).brier
    fitted_brier = cal.figures(cal.predict(result.weights, fresh), y, w).brier
    assert fitted_brier <= 0.9 * prior_brier


def test_ten_deals_stay_close_to_the_prior() -> None:
    few = synthetic.closed_deals(10, seed=17)
    fitted = cal.fit_weights(few, PRIOR, CONFIG.calibration)
    moved = cal.relative_error(fitted, PRIOR)
    gap = cal.relative_error(TRUE, PRIOR)
    assert moved < gap / 2  # nearer the prior than the truth
    many = cal.fit_weights(synthetic.closed_deals(500, seed=17), PRIOR, CONFIG.calibration)
    assert cal.relative_error(many, PRIOR) > 2 * moved  # hundreds move a lot more


def test_too_few_closed_deals_keep_the_prior_and_say_so() -> None:
    result = cal.calibrate(synthetic.closed_deals(12, seed=1), PRIOR, CONFIG.calibration)
    assert result.source == cal.SOURCE_PRIOR
    assert result.weights == PRIOR
    assert result.deals == 12
    assert "12 closed deals" in result.note_en
    assert "30" in result.note_en
    assert "12" in result.note_zh


def test_weights_never_go_negative() -> None:
    """A question that goes against winning in the data is clamped at zero (monotone model)."""
    contrary = dataclasses.replace(TRUE, worth_weight=0.0)
    deals = synthetic.closed_deals(800, contrary, seed=5)
    flipped = [dataclasses.replace(s, worth_it=100 - s.worth_it) for s in deals]
    # worth_it now predicts losing; give it a strong effect by sorting outcomes onto it
    strong = [dataclasses.replace(s, worth_it=20 if s.won else 80) for s in flipped]
    fitted = cal.fit_weights(strong, PRIOR, CONFIG.calibration)
    assert fitted.worth_weight == 0.0
    assert min(fitted.real_weight, fitted.compete_weight, fitted.win_weight) >= 0.0


def test_a_deals_own_outcome_never_scores_it() -> None:
    deals = synthetic.closed_deals(120, seed=9)
    before = cal.out_of_fold(deals, PRIOR, CONFIG.calibration)
    changed = [dataclasses.replace(deals[0], won=not deals[0].won), *deals[1:]]
    after = cal.out_of_fold(changed, PRIOR, CONFIG.calibration)
    assert after[0] == before[0]
    assert not np.allclose(after, before)  # other folds did learn from it


def test_a_deals_gate_snapshots_stay_together_and_count_once() -> None:
    deals = synthetic.closed_deals(60, seed=4)
    gates = [
        dataclasses.replace(s, stage=stage)
        for s in deals
        for stage in (Stage.VALIDATE, Stage.PROPOSAL, Stage.NEGOTIATION)
    ]
    assert cal.closed_deals(gates) == cal.closed_deals(deals)
    folds = {(s.deal_id, cal.fold_of(s.deal_id, 5)) for s in gates}
    assert len(folds) == 60
    result = cal.calibrate(gates, PRIOR, CONFIG.calibration)
    assert result.deals == 60
    assert sum(b.count for b in result.reliability) == len(gates)


def test_reliability_bands_hold_what_they_say() -> None:
    deals = synthetic.closed_deals(400, seed=2)
    result = cal.calibrate(deals, PRIOR, CONFIG.calibration)
    bands = result.reliability
    assert [b.band for b in bands] == sorted(
        (b.band for b in bands), key=lambda t: int(t.split("-")[0])
    )
    assert sum(b.count for b in bands) == 400
    for band in bands:
        lo, hi = (int(x) / 100 for x in band.band.rstrip("%").split("-"))
        assert lo <= band.predicted <= hi
        assert 0.0 <= band.observed <= 1.0
    # a calibrated model: where it says 60-80%, deals were won about that often
    busy = [b for b in bands if b.count >= 40]
    assert busy
    for band in busy:
        assert abs(band.predicted - band.observed) < 0.15
