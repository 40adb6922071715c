"""Every casebook case runs, states its expectations in both languages, and the engine agrees
with at least 95 % of all the sales leader's expectations."""

from __future__ import annotations

import dataclasses

import pytest

from domain.vocabulary import PricePosition, Stage
from strategy.casebook import KINDS, NOW_MS, Case, Check, agreement, evaluate, load_cases
from strategy.engine import analyse

CASES = load_cases()


def test_the_casebook_has_at_least_25_cases_with_both_languages() -> None:
    assert len(CASES) >= 25
    for case in CASES:
        texts = (case.title_en, case.title_zh, case.reasoning_en, case.reasoning_zh)
        assert all(texts), case.key
        assert case.expect, case.key


@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_each_case_runs_and_checks_its_expectations(case: Case) -> None:
    checks = evaluate(case)
    assert checks, f"{case.key} checks nothing"
    assert all(c.case == case.key for c in checks)


def test_agreement_with_the_casebook_is_at_least_95_percent() -> None:
    checks: list[Check] = [c for case in CASES for c in evaluate(case)]
    table = agreement(checks)
    assert set(table) <= {*KINDS, "all"}
    passed, total = table["all"]
    missed = [f"{c.case}: {c.expectation} -> {c.detail}" for c in checks if not c.passed]
    assert passed / total >= 0.95, "\n".join(missed)


OPEN_STAGES: list[Stage] = [s for s in Stage if s not in (Stage.WON, Stage.LOST, Stage.ABANDONED)]
BEFORE_A_GATE = [c for c in CASES if c.snapshot.opportunity.stage in OPEN_STAGES[:-1]]


@pytest.mark.parametrize("case", BEFORE_A_GATE, ids=[c.key for c in BEFORE_A_GATE])
def test_no_gate_alone_drops_a_case_by_more_than_five_points(case: Case) -> None:
    """Two sales directors: a deal that passes a stage gate with its facts unchanged moves a
    few points, never ten or more; any bigger fall needs a new fact. Each case one stage on,
    nothing else changed."""
    snapshot = case.snapshot
    stage = snapshot.opportunity.stage
    following = OPEN_STAGES[OPEN_STAGES.index(stage) + 1]
    moved = dataclasses.replace(
        snapshot, opportunity=dataclasses.replace(snapshot.opportunity, stage=following)
    )
    before = analyse(snapshot, NOW_MS).win_likelihood
    after = analyse(moved, NOW_MS).win_likelihood
    assert after >= before - 0.05, f"{stage} {before:.1%} -> {following} {after:.1%}"


def test_a_wrong_expectation_is_reported_as_a_disagreement() -> None:
    case = dataclasses.replace(
        CASES[0],
        expect={"likelihood": [0.9, 1.0], "flags": ["NO_DECISION_MAKER"], "bridge_top": "audit"},
    )
    checks = evaluate(case)
    assert [c.kind for c in checks] == ["likelihood", "red_flags", "bridges"]
    assert not any(c.passed for c in checks)
    assert all(c.detail for c in checks)


def _case(prefix: str) -> Case:
    return next(c for c in CASES if c.key.startswith(prefix))


def _likelihood_with(case: Case, **changes: object) -> float:
    opportunity = dataclasses.replace(case.snapshot.opportunity, **changes)  # type: ignore[arg-type]
    changed = dataclasses.replace(case.snapshot, opportunity=opportunity)
    return analyse(changed, NOW_MS).win_likelihood


def test_the_reason_to_buy_this_year_gone_costs_a_proposal_several_points() -> None:
    """A sales leader: the same deal with its compelling event (a re-accreditation in
    September) and without it are 8-15 points apart at the proposal; at least 5."""
    case = _case("52_")
    without = analyse(case.snapshot, NOW_MS).win_likelihood
    assert without <= _likelihood_with(case, compelling_event="三甲复审（9月）") - 0.05


def test_a_rival_priced_below_us_at_the_bids_costs_what_the_price_score_gives_away() -> None:
    """A sales leader: in a price-scored tender a rival priced below us and one priced above
    are at least 5 points apart, however much the dean backs us."""
    case = _case("53_")

    def priced(position: PricePosition) -> float:
        rivals = tuple(
            dataclasses.replace(c, price_position=position) for c in case.snapshot.competitors
        )
        changed = dataclasses.replace(case.snapshot, competitors=rivals)
        return analyse(changed, NOW_MS).win_likelihood

    assert priced(PricePosition.LOWER) <= priced(PricePosition.HIGHER) - 0.05


def test_a_signer_silent_for_months_at_the_negotiation_counts_for_less() -> None:
    """A sales leader: the same negotiation with the president last seen five months ago and
    ten days ago are at least 8 points apart; his support then may have moved."""
    case = _case("55_")
    silent = analyse(case.snapshot, NOW_MS).win_likelihood
    visit = next(a for a in case.snapshot.activities if "kp-pres" in a.person_ids)
    recent = dataclasses.replace(visit, occurred_at=NOW_MS - 10 * 86_400_000)
    activities = tuple(recent if a is visit else a for a in case.snapshot.activities)
    seen = analyse(dataclasses.replace(case.snapshot, activities=activities), NOW_MS)
    assert silent <= seen.win_likelihood - 0.08


def test_price_and_closeness_twin_expectations_are_checked() -> None:
    """A leader's price acceptance band and "the same facts with this one change read the same
    closeness" are checks of their own, reported with what the engine read."""
    case = _case("103_")
    twin = {"with": "proc", "days_ago": 4, "drop": ["price"], "within": 3}
    right = dataclasses.replace(
        case, expect={"price": {"proc": [35, 45]}, "closeness_twins": [twin]}
    )
    assert [(c.kind, c.passed) for c in evaluate(right)] == [("scores", True), ("scores", True)]
    wrong = dataclasses.replace(
        case,
        expect={
            "price": {"proc": [80, 90]},
            "closeness_twins": [{**twin, "drop": [], "set": {"outcome": "VERY_NEGATIVE"}}],
        },
    )
    checks = evaluate(wrong)
    assert not any(c.passed for c in checks)
    assert checks[0].detail == str(
        analyse(case.snapshot, NOW_MS).scores_of("kp-proc").price.value  # type: ignore[union-attr]
    )
    assert "outcome VERY_NEGATIVE" in checks[1].expectation
    nowhere = dataclasses.replace(case, expect={"closeness_twins": [{**twin, "days_ago": 5}]})
    with pytest.raises(ValueError, match="twin names 0 activities"):
        evaluate(nowhere)
