"""When to try a failed delivery again: a growing schedule with jitter, at least what the
receiver's ``Retry-After`` asks, and never after the retry window (3 days) closed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Delay before attempt n+1 is ``first_ms * factor**(n-1)``, capped at ``max_ms``, times a
    random factor in [1 - jitter, 1 + jitter]; retries stop ``window_ms`` after the event."""

    first_ms: int = 5_000
    factor: float = 4.0
    max_ms: int = 12 * 3600 * 1000
    jitter: float = 0.2
    window_ms: int = 3 * DAY_MS

    def delay_ms(self, attempt: int, rng: random.Random | None = None) -> int:
        """The wait after failed attempt number ``attempt`` (1 for the first)."""
        base = min(self.max_ms, self.first_ms * self.factor ** max(0, attempt - 1))
        spread = (rng or random).uniform(1 - self.jitter, 1 + self.jitter)
        return max(1, int(base * spread))

    def next_attempt(
        self,
        attempt: int,
        now: int,
        deadline: int,
        retry_after_ms: int | None = None,
        rng: random.Random | None = None,
    ) -> int | None:
        """When to try again after failed attempt ``attempt``, or None when the window is
        over. A ``Retry-After`` longer than the schedule wins."""
        wait = self.delay_ms(attempt, rng)
        if retry_after_ms is not None:
            wait = max(wait, retry_after_ms)
        due = now + wait
        return due if due <= deadline else None


def retry_after_ms(value: str | None, now_ms: int) -> int | None:
    """A ``Retry-After`` header (seconds or an HTTP date) in milliseconds from now."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return int(text) * 1000
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0, int(moment.timestamp() * 1000) - now_ms)
