"""A response's promise: the date by which whoever answers for a violation will put it right.

Sales directors hold people to the deadline they set themselves. A violation of a condition
that goes on (a gate unapproved, an action not done, a deal idle) is answered with the date it
will be put right by; acknowledged, it comes back the day after that date if its cause still
holds, whether that is sooner or later than the usual recheck (the director who acknowledged
it agreed to the date). A past event (a self-approval, a quote sent unreviewed) has nothing to
put right by a date, so its response takes none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.text import Text
from strategy.tas.definition import ViolationConfig, ViolationRule

NEEDED = Text(
    "say by when it will be put right (a date from tomorrow on)",
    "请说明何时改正（自明天起的日期）",
)
JUDGED_ONCE = Text(
    "a past event is judged once: there is no date to put it right by",
    "已发生的事件只确认一次：无需改正日期",
)
NOT_A_DATE = Text("must be a date as YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期")
TOO_SOON = Text(
    "a date from tomorrow on: if it can be done today, do it, then respond",
    "须为明天或以后的日期：今天能做的，做完再答复",
)
TOO_FAR = Text("at most {days} days ahead (by {date})", "最多 {days} 天以内（不晚于 {date}）")
AFTER_CLOSE = Text(
    "the deal is expected to close on {date}: put it right by then",
    "该商机预计于 {date} 成交：最迟于该日改正",
)


@dataclass(frozen=True, slots=True)
class Promise:
    """What a response to a violation may promise, as the violation stands."""

    rule: ViolationRule
    open: bool
    """Its cause not yet found gone (a response to one put right promises nothing)."""
    expected_close: str | None = None
    """The deal's expected close date (YYYY-MM-DD), if known and not past."""

    def problem(
        self, put_right_by: str | None, now_ms: int, config: ViolationConfig
    ) -> Text | None:
        """Why ``put_right_by`` cannot go with the response, or None when it can."""
        if config.recheck_days.get(self.rule) is None:
            return JUDGED_ONCE if put_right_by else None
        if put_right_by is None:
            return NEEDED if self.open else None
        try:
            when = date.fromisoformat(put_right_by)
        except ValueError:
            return NOT_A_DATE
        if (
            when.isoformat() != put_right_by
        ):  # 2026-W52-5, 20261225: stored as given, read by people
            return NOT_A_DATE
        today = day_of(now_ms)
        if when <= today:
            return TOO_SOON
        last = today + timedelta(days=config.promise_days)
        if when > last:
            return TOO_FAR.format(days=config.promise_days, date=last.isoformat())
        close = _date_or_none(self.expected_close)
        if close is not None and today < close < when:
            return AFTER_CLOSE.format(date=close.isoformat())
        return None


def day_of(epoch_ms: int) -> date:
    """The UTC calendar day of an instant (the product has no company time zone)."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).date()


def comes_back_at(put_right_by: str) -> int:
    """The instant a promise is missed: the start (UTC) of the day after its date."""
    day = date.fromisoformat(put_right_by) + timedelta(days=1)
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def _date_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
