"""A deal's currency is one of ISO 4217's codes; the names people write for one instead are
refused with the code they mean, in both languages."""

from __future__ import annotations

import pytest

from domain.currencies import ALIASES, ISO_4217
from domain.model import CURRENCY
from domain.validation import check_value


@pytest.mark.parametrize("code", ["CNY", "USD", "EUR", "HKD", "JPY"])
def test_the_codes_deals_are_sold_in_are_taken(code: str) -> None:
    assert check_value(CURRENCY, code, "currency") == (code, None)


def test_the_renminbis_name_is_refused_with_its_code() -> None:
    stored, problem = check_value(CURRENCY, "RMB", "currency")
    assert stored is None
    assert problem is not None
    assert problem.field == "currency"
    assert problem.message.endswith('for "RMB" write CNY')
    assert problem.message_zh.endswith("“RMB”应写作 CNY")


def test_a_code_of_the_right_shape_that_names_no_currency_is_refused() -> None:
    _, problem = check_value(CURRENCY, "XYZ", "currency")
    assert problem is not None
    assert problem.message.endswith('"XYZ" is not one')


def test_every_alias_means_a_code_and_is_none_itself() -> None:
    assert set(ALIASES.values()) <= ISO_4217
    assert not set(ALIASES) & ISO_4217
    assert all(len(code) == 3 and code.isupper() for code in ISO_4217)
