"""Every casebook case runs and states its expectations in both languages."""

from __future__ import annotations

import pytest

from strategy.casebook import Case, evaluate, load_cases

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
