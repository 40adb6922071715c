"""The violation rules' messages come from violations.toml, complete and checked at load."""

from __future__ import annotations

import pytest

from domain.text import Text
from strategy.tas.definition import ViolationRule
from strategy.tas.rule_texts import RuleTextsError, parse_rule_texts, rule_texts

COMPLETE = "\n".join(
    [f'[rules.{rule.value}]\nzh = "中{{stage}}"\nen = "E {{stage}}"' for rule in ViolationRule]
    + ['[parts.who]\nzh = "（{name}）"\nen = " ({name})"']
    + ['[parts.again]\nzh = "再{count}{who}{date}"\nen = " again {count}{who} {date}"']
    + ['[parts.missed]\nzh = "{by}{promised}{count}{who}{date}"']
    + ['en = " missed {by} {promised}{count}{who}{date}"']
    + ['[parts.by]\nzh = "{name}"\nen = " by {name}"']
    + ['[parts.missing]\nzh = "{action}（尚缺{names}）"\nen = "{action} (still missing: {names})"']
    + [f'[names.{rule.value}]\nzh = "名"\nen = "Name"' for rule in ViolationRule]
)


def test_every_rule_has_both_languages_in_the_packaged_file() -> None:
    texts = rule_texts()
    assert set(texts.rules) == set(ViolationRule)
    assert all(text.en and text.zh for text in texts.rules.values())
    assert rule_texts() is texts


def test_every_rule_has_a_name_in_both_languages_without_codes() -> None:
    names = rule_texts().names
    assert set(names) == set(ViolationRule)
    assert names[ViolationRule.STAGE_WITHOUT_APPROVAL] == Text(
        "Stage entered without its approval", "未获批准进入阶段"
    )
    for rule, name in names.items():
        assert name.en
        assert name.zh
        assert rule.value not in name.en + name.zh
    assert len({n.en for n in names.values()}) == len({n.zh for n in names.values()}) == 7


def test_fill_puts_each_languages_words_in() -> None:
    words = {"idle_days": 40, "limit": 30}
    filled = rule_texts().fill(ViolationRule.OPPORTUNITY_IDLE, words, words)
    assert filled == Text(
        "No customer activity for 40 days (limit 30)", "商机已 40 天没有任何客户活动（上限 30 天）"
    )
    assert rule_texts().part("who", {"name": "王"}, {"name": "Wang"}) == Text(" (Wang)", "（王）")


def test_a_complete_file_parses() -> None:
    parsed = parse_rule_texts(COMPLETE)
    assert parsed.fill(ViolationRule.SELF_APPROVAL, {"stage": "一"}, {"stage": "one"}) == Text(
        "E one", "中一"
    )


def test_a_missing_rule_is_refused() -> None:
    text = COMPLETE.replace("[rules.OPPORTUNITY_IDLE]", "[rules.SOMETHING_ELSE]")
    with pytest.raises(RuleTextsError, match="OPPORTUNITY_IDLE"):
        parse_rule_texts(text)


def test_a_missing_name_is_refused() -> None:
    text = COMPLETE.replace("[names.SELF_APPROVAL]", "[names.SOMETHING_ELSE]")
    with pytest.raises(RuleTextsError, match="SELF_APPROVAL"):
        parse_rule_texts(text)


def test_a_missing_language_is_refused() -> None:
    text = COMPLETE.replace('en = "E {stage}"', 'en = ""', 1)
    with pytest.raises(RuleTextsError, match="en text"):
        parse_rule_texts(text)


def test_an_unknown_placeholder_is_refused() -> None:
    text = COMPLETE.replace("中{stage}", "中{stgae}", 1)
    with pytest.raises(RuleTextsError, match="stgae"):
        parse_rule_texts(text)
