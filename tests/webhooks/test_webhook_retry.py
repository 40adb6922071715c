"""The retry schedule: growing, jittered, honouring Retry-After, ending with the window."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

from webhooks.retry import DAY_MS, RetryPolicy, retry_after_ms


def test_the_schedule_grows_within_its_jitter_and_is_capped() -> None:
    policy = RetryPolicy()
    rng = random.Random(7)
    for attempt in range(1, 12):
        base = min(policy.max_ms, policy.first_ms * policy.factor ** (attempt - 1))
        delays = [policy.delay_ms(attempt, rng) for _ in range(50)]
        assert all(0.8 * base <= d <= 1.2 * base for d in delays)
        assert len(set(delays)) > 1  # jitter spreads receivers' retries apart


def test_retries_stop_when_the_three_day_window_closes() -> None:
    policy = RetryPolicy()
    rng = random.Random(1)
    now, deadline, attempt, times = 0, 3 * DAY_MS, 1, []
    while (due := policy.next_attempt(attempt, now, deadline, rng=rng)) is not None:
        times.append(due)
        now, attempt = due, attempt + 1
    assert now <= deadline
    assert deadline - now < 1.2 * policy.max_ms
    assert 8 <= len(times) <= 20


def test_retry_after_wins_when_longer_than_the_schedule() -> None:
    policy = RetryPolicy(first_ms=100, jitter=0.0)
    assert policy.next_attempt(1, 1_000, 10**9, retry_after_ms=30_000) == 31_000
    assert policy.next_attempt(1, 1_000, 10**9, retry_after_ms=10) == 1_100
    assert policy.next_attempt(1, 1_000, 2_000, retry_after_ms=30_000) is None


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = 1_800_000_000_000
    assert retry_after_ms("120", now) == 120_000
    later = datetime.fromtimestamp((now + 60_000) / 1000, tz=UTC)
    assert retry_after_ms(format_datetime(later, usegmt=True), now) == 60_000
    assert retry_after_ms("soon", now) is None
    assert retry_after_ms(None, now) is None
