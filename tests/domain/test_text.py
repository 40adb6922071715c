"""The one rule that picks English or Chinese text."""

from __future__ import annotations

import pytest

from domain.errors import ErrorCode, FieldProblem
from domain.text import Text, is_chinese
from domain.vocabulary import LABELS, Stage, label_of
from strategy.tas.problems import Problem


@pytest.mark.parametrize("locale", ["zh", "zh-CN", "ZH-cn", "zh-Hans-CN", "zh-TW"])
def test_anything_chinese_gets_chinese(locale: str) -> None:
    assert is_chinese(locale)
    assert Text("Open", "待办").in_(locale) == "待办"


@pytest.mark.parametrize("locale", ["en", "en-US", "de-DE", "", "fr"])
def test_everything_else_gets_english(locale: str) -> None:
    assert not is_chinese(locale)
    assert Text("Open", "待办").in_(locale) == "Open"


def test_a_missing_chinese_text_falls_back_to_english() -> None:
    assert Text("Open", "").in_("zh-CN") == "Open"


def test_labels_problems_and_field_problems_choose_the_same_way() -> None:
    assert label_of(Stage.VALIDATE, "zh-CN") == LABELS[Stage.VALIDATE].zh
    assert label_of(Stage.VALIDATE, "en-GB") == LABELS[Stage.VALIDATE].en
    problem = Problem("MISSING_FIELD", "fields.budget", "缺少预算", "budget is missing")
    assert problem.message("zh-CN") == "缺少预算"
    assert problem.text == Text("budget is missing", "缺少预算")
    field = FieldProblem("name", "is required", ErrorCode.BAD_USER_INPUT, "必填")
    assert field.text("zh-Hans") == "必填"
    untranslated = FieldProblem("name", "is required", ErrorCode.BAD_USER_INPUT, "")
    assert untranslated.text("zh-CN") == "is required"


def test_every_label_has_both_languages() -> None:
    assert all(label.en and label.zh for label in LABELS.values())


def test_a_template_fills_both_languages_and_a_text_value_in_its_own_language() -> None:
    template = Text("{what} are not allowed when using {method}", "使用 {method} 时不允许{what}")
    filled = template.format(what=Text("mutations", "变更"), method="GET")
    assert filled == Text("mutations are not allowed when using GET", "使用 GET 时不允许变更")
    assert Text("{n} bytes", "").format(n=5) == Text("5 bytes", "")
