"""Custom scalars: ``Long`` for money in minor units (beyond GraphQL's 32-bit Int), and
``DateTime`` as an instant that states its UTC offset."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import NewType

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError

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


OFFSET_MISSING = (
    "{value} is not a DateTime with its UTC offset: write the date, the time and the offset, "
    "as 2026-12-07T09:30:00+08:00 or 2026-12-07T01:30:00Z"
)
"""A time without an offset (or a bare date) is refused: taken as UTC, a phone's local 09:30 in
Beijing would be stored as 17:30, silently; the offset makes the instant unambiguous."""


def _parse_instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(
            f'Value cannot represent a DateTime: "{value}". Expected a string.'
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise StrawberryInputCoercionError(
            f'Value cannot represent a DateTime: "{value}". Not ISO-8601.'
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise StrawberryInputCoercionError(OFFSET_MISSING.format(value=f'"{value}"'))
    return parsed


DATETIME_SCALAR = strawberry.scalar(
    name="DateTime",
    serialize=datetime.isoformat,
    parse_value=_parse_instant,
    description=(
        "An instant: ISO-8601 date and time with its UTC offset (2026-12-07T09:30:00+08:00, "
        "or Z for UTC); the API answers in UTC. A time without an offset is refused."
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
