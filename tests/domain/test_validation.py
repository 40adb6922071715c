"""Values people type, refused in words they read: a date that is not a day says so, an
instant out of range is given as a year, not as the count of milliseconds it is stored as."""

from __future__ import annotations

import pytest

from domain.model import FieldSpec, FieldType
from domain.validation import check_value

DAY = FieldSpec("expected_close_date", FieldType.DATE)
INSTANT = FieldSpec("occurred_at", FieldType.TIMESTAMP)


@pytest.mark.parametrize(
    ("typed", "en", "zh"),
    [
        ("2027-02-29", "2027-02-29 is not a day of the calendar", "2027-02-29不是日历上的日期"),
        ("2027-02-30", "2027-02-30 is not a day of the calendar", "2027-02-30不是日历上的日期"),
        ("29/02/2028", "must be a date as YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期"),
        ("2027-W02-1", "must be a date as YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期"),
        ("20270111", "must be a date as YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期"),
    ],
)
def test_a_date_that_is_no_day_says_so(typed: str, en: str, zh: str) -> None:
    value, problem = check_value(DAY, typed, "expected_close_date")
    assert value is None
    assert problem is not None
    assert (problem.message, problem.message_zh) == (en, zh)
    assert check_value(DAY, "2028-02-29", "expected_close_date") == ("2028-02-29", None)


def test_an_instant_out_of_range_is_said_as_a_year() -> None:
    before_1970 = -141_868_800_000  # 1965-07-04
    _, early = check_value(INSTANT, before_1970, "occurred_at")
    assert early is not None
    assert (early.message, early.message_zh) == ("must be in 1970 or later", "不能早于 1970 年")
    _, late = check_value(INSTANT, 40_000_000_000_000, "occurred_at")
    assert late is not None
    assert late.message == "must be before the year 3000"
    assert check_value(INSTANT, 0, "occurred_at") == (0, None)


NAME = FieldSpec("name", FieldType.STRING, required=True, max_length=200)
NOTES = FieldSpec("notes", FieldType.STRING, max_length=5000)


def test_a_name_is_one_line_kept_without_outer_spaces() -> None:
    """A name typed with spaces around it is kept without them; a line break or a hidden mark
    that turns the text around (Li Na shown as "Lian") is refused. Notes keep their lines."""
    assert check_value(NAME, "  Spaced Co  ", "name") == ("Spaced Co", None)
    for typed in ("Li\nNa", "Li\u202eaN", "Li\tNa"):
        value, problem = check_value(NAME, typed, "name")
        assert value is None
        assert problem is not None
        assert problem.message == (
            "must be one line of text, without line breaks or hidden direction marks"
        )
    assert check_value(NOTES, "Met him.\nHe liked it.", "notes") == ("Met him.\nHe liked it.", None)
