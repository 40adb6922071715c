"""Learning from outcomes on synthetic histories drawn from a known model (a script, not a test).

Prints, for the win-model calibration: how close 500 closed deals bring the fitted weights to
the true ones (seed 17, and over 20 seeds), the held-out Brier score of the prior and the fit,
how little 10 deals move the prior, and the time to calibrate 10,000 deals; for the play
effects: how the learned effects converge as recorded results accumulate.

    .venv/bin/python benchmarks/bench_calibration.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's code, not an installed one

from strategy import calibration as cal  # noqa: E402
from strategy import synthetic  # noqa: E402
from strategy.config import default_config  # noqa: E402
from strategy.effects import assumed_effect, summarise  # noqa: E402

CONFIG = default_config()
PRIOR = cal.WinWeights.of(CONFIG)
TRUE = synthetic.TRUE_WEIGHTS


def fresh_brier(weights: cal.WinWeights, seed: int) -> float:
    """Brier score on 5,000 fresh deals of the same company."""
    deals = synthetic.closed_deals(5000, seed=seed, prefix="fresh")
    y = np.array([1.0 if s.won else 0.0 for s in deals])
    return cal.figures(cal.predict(weights, deals), y, np.ones(len(deals))).brier


def weights_line(label: str, w: cal.WinWeights) -> str:
    return (
        f"  {label:<8} real {w.real_weight:4.2f}  compete {w.compete_weight:4.2f}  "
        f"win {w.win_weight:4.2f}  worth {w.worth_weight:4.2f}  intercept {w.intercept:+5.2f}"
    )


def win_model() -> None:
    deals = synthetic.closed_deals(500, seed=17)
    result = cal.calibrate(deals, PRIOR, CONFIG.calibration)
    print("win model, 500 closed deals (seed 17)")
    print(weights_line("true", TRUE))
    print(weights_line("prior", PRIOR))
    print(weights_line("fitted", result.weights))
    before, after = cal.relative_error(PRIOR, TRUE), cal.relative_error(result.weights, TRUE)
    print(
        f"  weight error (relative distance to the truth): prior {before:.1%}, fitted {after:.1%}"
    )
    assert result.prior_figures is not None
    assert result.fitted_figures is not None
    pf, ff = result.prior_figures, result.fitted_figures
    print(
        f"  held out (5-fold by deal): Brier prior {pf.brier:.4f}, fitted {ff.brier:.4f} "
        f"({1 - ff.brier / pf.brier:.1%} better); log loss {pf.log_loss:.4f} -> {ff.log_loss:.4f}"
    )
    pb, fb = fresh_brier(PRIOR, 18), fresh_brier(result.weights, 18)
    print(f"  5,000 fresh deals: Brier prior {pb:.4f}, fitted {fb:.4f} ({1 - fb / pb:.1%} better)")
    print("  reliability (held out): band  predicted  observed  count")
    for band in result.reliability:
        print(f"    {band.band:>8}  {band.predicted:9.1%}  {band.observed:8.1%}  {band.count:5d}")
    errors, gains, moved = [], [], []
    gap = cal.relative_error(TRUE, PRIOR)
    for seed in range(20):
        fitted = cal.fit_weights(synthetic.closed_deals(500, seed=seed), PRIOR, CONFIG.calibration)
        errors.append(cal.relative_error(fitted, TRUE))
        gains.append(1 - fresh_brier(fitted, 1000 + seed) / fresh_brier(PRIOR, 1000 + seed))
        few = cal.fit_weights(synthetic.closed_deals(10, seed=seed), PRIOR, CONFIG.calibration)
        moved.append(cal.relative_error(few, PRIOR) / gap)
    within = sum(e <= 0.15 for e in errors)
    print(
        f"over 20 seeds, 500 deals: weight error median {statistics.median(errors):.1%} "
        f"(max {max(errors):.1%}), within 15% in {within}/20; fresh Brier better by median "
        f"{statistics.median(gains):.1%} (min {min(gains):.1%})"
    )
    print(
        f"over 20 seeds, 10 deals: the fit moves {statistics.median(moved):.0%} of the way from "
        f"the prior to the truth (median; max {max(moved):.0%})"
    )
    big = synthetic.closed_deals(10_000, seed=7)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        cal.calibrate(big, PRIOR, CONFIG.calibration)
        times.append(time.perf_counter() - start)
    fit_times = []
    for _ in range(5):
        start = time.perf_counter()
        cal.fit_weights(big, PRIOR, CONFIG.calibration)
        fit_times.append(time.perf_counter() - start)
    print(
        f"10,000 closed deals: calibrate (5 folds + final fit) median "
        f"{statistics.median(times) * 1000:.0f} ms, one fit median "
        f"{statistics.median(fit_times) * 1000:.0f} ms (5 runs; goal <= 5 s)"
    )


def play_effects() -> None:
    print("play effects, synthetic action logs (true effect vs learned; playbook prior +25)")
    print("  results per play and role:      2       20      400")
    for key, role in sorted(synthetic.TRUE_EFFECTS):
        true_c, _ = synthetic.TRUE_EFFECTS[(key, role)]
        row = []
        for count in (2, 20, 400):
            learned = summarise(synthetic.action_log(count, seed=11))
            row.append(assumed_effect(key, role, 25.0, 0.0, learned, CONFIG.learning).closeness)
        cells = "  ".join(f"{v:+7.1f}" for v in row)
        print(f"  {key} / {role.value:<20} true {true_c:+5.1f}: {cells}")


def main(argv: list[str]) -> int:
    if "--help" in argv or "-h" in argv:
        print(__doc__)
        return 0
    win_model()
    play_effects()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
