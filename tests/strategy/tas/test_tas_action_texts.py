"""Action labels and activity-result texts come from action_texts.toml, complete and checked."""

from __future__ import annotations

import pytest

from domain.text import Text
from strategy.tas.action_texts import (
    ACTION_NAMES,
    KEYS,
    ActionTextsError,
    action_texts,
    parse_action_texts,
)
from strategy.tas.actions import ACTIONS
from strategy.tas.timeline import RESULT_FIELDS, future_result_problems


def _file(texts: dict[str, tuple[str, str]]) -> str:
    return "\n".join(f'[{key}]\nzh = "{zh}"\nen = "{en}"' for key, (zh, en) in texts.items())


COMPLETE = dict.fromkeys(sorted(KEYS), ("中{field}", "E {field}"))


def test_every_action_and_result_field_has_both_languages_in_the_packaged_file() -> None:
    texts = action_texts()
    assert set(texts.texts) == KEYS
    assert all(text.en and text.zh for text in texts.texts.values())
    assert tuple(ACTIONS) == ACTION_NAMES
    assert ACTIONS["coach_identified"].label == Text(en="Identify a coach", zh="发展教练")
    assert texts.result_field("outcome") == Text(en="The outcome", zh="结果")
    assert action_texts() is texts


def test_a_future_result_is_refused_with_the_fields_label_in_each_language() -> None:
    (problem,) = future_result_problems(2, 1, ["price_reaction"])
    assert problem.path == "price_reaction"
    assert problem.en.startswith("The reaction to the price can only be recorded")
    assert problem.zh.startswith("对价格的反应只能在活动发生之后记录")
    assert len(future_result_problems(2, 1, RESULT_FIELDS)) == len(RESULT_FIELDS)


def test_a_complete_file_parses() -> None:
    parsed = parse_action_texts(_file(COMPLETE))
    assert parsed.message("timeline.result_of_future_activity", field=Text("x", "乙")) == Text(
        "E x", "中乙"
    )


def test_a_missing_label_is_refused() -> None:
    texts = {k: v for k, v in COMPLETE.items() if k != "action.quote_submitted"}
    with pytest.raises(ActionTextsError, match=r"missing action\.quote_submitted"):
        parse_action_texts(_file(texts))


def test_a_missing_language_is_refused() -> None:
    source = _file(COMPLETE).replace('en = "E {field}"', 'en = ""', 1)
    with pytest.raises(ActionTextsError, match="en text"):
        parse_action_texts(source)
    source = _file(COMPLETE).replace('zh = "中{field}"\n', "", 1)
    with pytest.raises(ActionTextsError, match="zh and en"):
        parse_action_texts(source)


def test_an_unknown_text_is_refused() -> None:
    texts = COMPLETE | {"action.typo": ("中", "E")}
    with pytest.raises(ActionTextsError, match=r"unknown text action\.typo"):
        parse_action_texts(_file(texts))


def test_an_unknown_or_unmatched_placeholder_is_refused() -> None:
    source = _file(COMPLETE).replace("中{field}", "中{feild}", 1)
    with pytest.raises(ActionTextsError, match="feild"):
        parse_action_texts(source)
    source = _file(COMPLETE).replace("中{field}", "中", 1)
    with pytest.raises(ActionTextsError, match="same placeholders"):
        parse_action_texts(source)
