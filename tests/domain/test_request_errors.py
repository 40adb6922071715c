"""The texts of top-level errors: every kind written in both languages, with the same names."""

from __future__ import annotations

import string

import pytest

from domain import request_errors
from domain.text import Text

TEXTS = {name: value for name, value in vars(request_errors).items() if isinstance(value, Text)}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_kind_of_top_level_error_has_a_text() -> None:
    assert {"BODY_TOO_LARGE", "NOT_JSON", "DEPTH_LIMIT", "COST_LIMIT", "INTERNAL"} <= set(TEXTS)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_each_text_is_written_in_both_languages_with_the_same_placeholders(name: str) -> None:
    text = TEXTS[name]
    assert text.en
    assert text.zh
    assert text.en != text.zh
    assert _placeholders(text.en) == _placeholders(text.zh)


def test_operation_kinds_are_named_in_both_languages() -> None:
    for kind in request_errors.OPERATION_KINDS.values():
        assert kind.en
        assert kind.zh
    refusal = request_errors.OPERATION_NOT_ALLOWED.format(
        operations=request_errors.OPERATION_KINDS["mutation"], method="GET"
    )
    assert refusal.en == "mutations are not allowed when using GET"
    assert refusal.zh == "使用 GET 请求时不允许执行变更"
