"""Custom scalars: ``Long`` for money in minor units (beyond GraphQL's 32-bit Int)."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import NewType

import strawberry

LONG_LIMIT = 2**53
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def _parse_long(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Long must be a whole number")
    if abs(value) > LONG_LIMIT:
        raise ValueError(f"Long must be within ±{LONG_LIMIT}")
    return value


Long = NewType("Long", int)

LONG_SCALAR = strawberry.scalar(
    name="Long",
    serialize=int,
    parse_value=_parse_long,
    description=(
        "A whole number up to 2^53, sent as a JSON number. Money is always a Long in minor "
        "units (fen, cents) next to a currency code."
    ),
)


@functools.lru_cache(maxsize=16_384)
def to_datetime(epoch_ms: int | None) -> datetime | None:
    """Store instants (UTC epoch ms) as timezone-aware datetimes for the API.

    Kept for the instants seen last (datetimes are immutable): every node read converts its
    two timestamps, the same nodes are read again and again, and a conversion costs ten
    times a lookup."""
    if epoch_ms is None:
        return None
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)


def instant(epoch_ms: int) -> datetime:
    """A stored instant that is always there (an audit entry's, a stage move's) as a datetime."""
    at = to_datetime(epoch_ms)
    assert at is not None  # None only for a missing instant
    return at


def to_epoch_ms(value: datetime) -> int:
    """API datetimes to store instants; naive datetimes are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // _MS  # exact: a float timestamp may lose the last millisecond
