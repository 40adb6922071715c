"""A response's promise to put a violation right by a date: what a director accepts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from strategy.tas import ViolationConfig, ViolationRule
from strategy.tas.promises import Promise, comes_back_at, day_of

NOW = int(datetime(2026, 12, 4, 15, 30, tzinfo=UTC).timestamp() * 1000)
CONFIG = ViolationConfig()
GATE = ViolationRule.STAGE_WITHOUT_APPROVAL


def on(days: int) -> str:
    return (date(2026, 12, 4) + timedelta(days=days)).isoformat()


def test_a_condition_that_goes_on_is_answered_with_a_date_from_tomorrow_to_the_horizon() -> None:
    open_gate = Promise(GATE, open=True)
    assert open_gate.problem(None, NOW, CONFIG) is not None  # no date: refused
    assert open_gate.problem(on(0), NOW, CONFIG) is not None  # today: do it, then respond
    assert open_gate.problem(on(1), NOW, CONFIG) is None
    assert open_gate.problem(on(90), NOW, CONFIG) is None
    far = open_gate.problem(on(91), NOW, CONFIG)
    assert far is not None
    assert far.en == f"at most 90 days ahead (by {on(90)})"
    assert open_gate.problem("2026-12-4", NOW, CONFIG) is not None  # not YYYY-MM-DD
    assert open_gate.problem("2026-W52-5", NOW, CONFIG) is not None  # ISO, not a calendar date
    assert open_gate.problem("20261225", NOW, CONFIG) is not None
    assert open_gate.problem(on(1), NOW, ViolationConfig(promise_days=1)) is None


def test_a_date_past_the_deal_s_expected_close_is_refused_unless_that_close_has_passed() -> None:
    closing = Promise(GATE, open=True, expected_close=on(10))
    assert closing.problem(on(10), NOW, CONFIG) is None
    late = closing.problem(on(11), NOW, CONFIG)
    assert late is not None
    assert late.zh == f"该商机预计于 {on(10)} 成交：最迟于该日改正"
    stale = Promise(GATE, open=True, expected_close=on(-3))  # an old close date says nothing
    assert stale.problem(on(30), NOW, CONFIG) is None


def test_a_past_event_takes_no_date_and_one_put_right_needs_none() -> None:
    judged = Promise(ViolationRule.SELF_APPROVAL, open=True)
    assert judged.problem(None, NOW, CONFIG) is None
    refused = judged.problem(on(5), NOW, CONFIG)
    assert refused is not None
    assert refused.en.startswith("a past event is judged once")
    assert Promise(GATE, open=False).problem(None, NOW, CONFIG) is None  # its cause is gone


def test_a_promise_is_missed_at_the_start_of_the_day_after_its_date_utc() -> None:
    assert comes_back_at(on(0)) == int(datetime(2026, 12, 5, tzinfo=UTC).timestamp() * 1000)
    assert day_of(comes_back_at(on(0)) - 1) == date(2026, 12, 4)
