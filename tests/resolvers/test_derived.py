"""The kept analyses: keyed by content and rules, valid until the next day or activity, bounded,
and computed once when many readers ask at the same time."""

from __future__ import annotations

import threading
from dataclasses import replace

from domain.chain import ActivityFacts, ChainSnapshot, OpportunityFacts
from domain.vocabulary import ActivityType, Grade, Outcome, Stage
from resolvers.derived import DAY_MS, DerivedResults, rules_digest, valid_until
from resolvers.rules import Rules, load_rules

NOON = 20_000 * DAY_MS + DAY_MS // 2


def snapshot(name: str = "Deal", *activities: int) -> ChainSnapshot:
    opportunity = OpportunityFacts(
        id="o1",
        name=name,
        customer_id="c1",
        customer_name="C",
        stage=Stage.VALIDATE,
        grade=Grade.B,
        amount=1_000_000,
        currency="CNY",
    )
    acts = tuple(
        ActivityFacts(id=f"a{i}", type=ActivityType.CALL, occurred_at=at, outcome=Outcome.NEUTRAL)
        for i, at in enumerate(activities)
    )
    return ChainSnapshot(opportunity=opportunity, activities=acts)


def test_valid_until_the_next_day_or_the_next_activity() -> None:
    assert valid_until(snapshot(), NOON) == NOON + DAY_MS // 2
    assert valid_until(snapshot("Deal", NOON - 5, NOON + 7), NOON) == NOON + 7
    assert valid_until(snapshot("Deal", NOON + DAY_MS), NOON) == NOON + DAY_MS // 2


def test_kept_by_content_and_time() -> None:
    kept = DerivedResults()
    rules = load_rules()
    first = kept.analysis(snapshot(), NOON, rules)
    assert kept.analysis(snapshot(), NOON + 1, rules) is first  # equal content, same day
    assert kept.analysis(snapshot("Renamed"), NOON + 1, rules) is not first
    assert kept.analysis(snapshot(), NOON + DAY_MS, rules).now_ms == NOON + DAY_MS
    assert kept.analysis(snapshot(), NOON - 1, rules).now_ms == NOON - 1  # a clock set back
    assert kept.misses == 4


def test_other_rules_are_another_key() -> None:
    kept = DerivedResults()
    rules = load_rules()
    config = replace(rules.strategy, likelihood=replace(rules.strategy.likelihood, intercept=2.0))
    other = Rules(process=rules.process, strategy=config)
    assert rules_digest(other) != rules_digest(rules)
    a = kept.analysis(snapshot(), NOON, rules)
    b = kept.analysis(snapshot(), NOON, other)
    assert a.win_likelihood != b.win_likelihood
    assert kept.misses == 2


def test_bounded() -> None:
    kept = DerivedResults(capacity=3)
    rules = load_rules()
    for i in range(5):
        kept.analysis(snapshot(f"Deal {i}"), NOON, rules)
    kept.analysis(snapshot("Deal 0"), NOON, rules)
    assert kept.misses == 6
    kept.analysis(snapshot("Deal 4"), NOON, rules)
    assert kept.hits == 1


def test_concurrent_readers_share_one_computation() -> None:
    kept = DerivedResults()
    rules = load_rules()
    results = []
    start = threading.Barrier(8)

    def read() -> None:
        start.wait()
        results.append(kept.analysis(snapshot(), NOON, rules))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert kept.misses == 1
    assert all(result is results[0] for result in results)
