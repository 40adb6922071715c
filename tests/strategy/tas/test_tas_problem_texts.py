"""The process's refusal messages come from problem_texts.toml, complete and checked at load."""

from __future__ import annotations

import pytest

from domain.text import Text
from strategy.tas.problem_texts import (
    KEYS,
    ProblemTextsError,
    parse_problem_texts,
    problem_texts,
)
from strategy.tas.problems import Problem


def _file(texts: dict[str, tuple[str, str]]) -> str:
    return "\n".join(f'[{key}]\nzh = "{zh}"\nen = "{en}"' for key, (zh, en) in texts.items())


COMPLETE = dict.fromkeys(sorted(KEYS), ("中{stage}", "E {stage}"))


def test_every_message_has_both_languages_in_the_packaged_file() -> None:
    texts = problem_texts()
    assert set(texts.texts) == KEYS
    assert all(text.en and text.zh for text in texts.texts.values())
    assert problem_texts() is texts


def test_words_fill_each_language_and_make_a_problem() -> None:
    stage = Text(en="Initiate opportunity", zh="商机立项")
    problem = problem_texts().problem(
        "MISSING_FIELD",
        "fields.budget",
        "gate.missing_field",
        stage=stage,
        field=Text(en="Budget", zh="预算"),
    )
    assert problem == Problem(
        "MISSING_FIELD",
        "fields.budget",
        "商机立项：必填字段“预算”未填写",
        'Initiate opportunity: required field "Budget" is not filled',
    )
    assert problem_texts().text("approval.unknown_process", code="9-9") == Text(
        "Unknown process TAS+9-9", "未定义的流程 TAS+9-9"
    )


def test_a_complete_file_parses() -> None:
    parsed = parse_problem_texts(_file(COMPLETE))
    assert parsed.text("gate.same_stage", stage=Text("one", "一")) == Text("E one", "中一")


def test_a_missing_message_is_refused() -> None:
    texts = {k: v for k, v in COMPLETE.items() if k != "quote.review_void"}
    with pytest.raises(ProblemTextsError, match=r"missing quote\.review_void"):
        parse_problem_texts(_file(texts))


def test_a_missing_language_is_refused() -> None:
    source = _file(COMPLETE).replace('en = "E {stage}"', 'en = ""', 1)
    with pytest.raises(ProblemTextsError, match="en text"):
        parse_problem_texts(source)
    source = _file(COMPLETE).replace('zh = "中{stage}"\n', "", 1)
    with pytest.raises(ProblemTextsError, match="zh and en"):
        parse_problem_texts(source)


def test_an_unknown_message_is_refused() -> None:
    texts = COMPLETE | {"gate.typo": ("中", "E")}
    with pytest.raises(ProblemTextsError, match=r"unknown message gate\.typo"):
        parse_problem_texts(_file(texts))


def test_an_unknown_placeholder_is_refused() -> None:
    source = _file(COMPLETE).replace("中{stage}", "中{stgae}", 1)
    with pytest.raises(ProblemTextsError, match="stgae"):
        parse_problem_texts(source)


def test_both_languages_must_use_the_same_placeholders() -> None:
    texts = COMPLETE | {"gate.same_stage": ("中{stage}", "E {state}")}
    with pytest.raises(ProblemTextsError, match="same placeholders"):
        parse_problem_texts(_file(texts))
