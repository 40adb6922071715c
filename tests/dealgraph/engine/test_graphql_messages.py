"""graphql-core's validation, coercion and syntax errors in the request's language, through the
app as deployed (authentication on) on both back ends: the zh-CN text with the names as
written, the same code as in English, and an unmatched message left in English."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import Api, Json, assert_error_shape, assert_no_leak, open_api

from dealgraph.engine.graphql_messages import NESTED, TRANSLATIONS, in_chinese, translate
from graph.executor import Executor
from schema.scalars import OFFSET_MISSING

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {"Accept-Language": "en-US"}
CREATE = "mutation($i: CustomerCreateInput!) { customerCreate(input: $i) { customer { id } } }"


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor) as client:
        yield client


def first_error(api: Api, query: str, variables: dict[str, Any] | None, headers: Json) -> Json:
    """The first top-level error of an operation that never ran (nothing written)."""
    body = api.body(query, variables, headers=headers)
    assert body["data"] is None, body
    assert_error_shape(body)
    error: Json = body["errors"][0]
    return error


# query, variables, the English message (graphql-core's own), the zh-CN text
CASES: list[tuple[str, dict[str, Any] | None, str, str]] = [
    (
        "{ customerz { totalCount } }",
        None,
        "Cannot query field 'customerz' on type 'Query'. Did you mean 'customers'?",
        "类型 'Query' 上没有可查询的字段 'customerz'。您是不是要找 'customers'？",
    ),
    (
        "{ customers(firstt: 3) { totalCount } }",
        None,
        "Unknown argument 'firstt' on field 'Query.customers'. Did you mean 'first'?",
        "字段 'Query.customers' 没有参数 'firstt'。您是不是要找 'first'？",
    ),
    (
        "{ node { id } }",
        None,
        "Argument 'Query.node(id:)' of type 'ID!' is required, but it was not provided.",
        "缺少必填参数 'Query.node(id:)'（类型 'ID!'）。",
    ),
    (
        "{ customers { totalCount { value } } }",
        None,
        "Field 'totalCount' must not have a selection since type 'Int!' has no subfields.",
        "字段 'totalCount' 的类型 'Int!' 没有子字段，不能为它选择子字段。",
    ),
    (
        "query($n: String) { customers(first: $n) { totalCount } }",
        None,
        "Variable '$n' of type 'String' used in position expecting type 'Int'.",
        "变量 '$n' 的类型是 'String'，但此处需要类型 'Int'。",
    ),
    (
        "query($unused: Int) { customers { totalCount } }",
        None,
        "Variable '$unused' is never used.",
        "变量 '$unused' 从未被使用。",
    ),
    (
        "{ customers(orderBy: WRONG) { totalCount } }",
        None,
        "Value 'WRONG' does not exist in 'CustomerOrderField' enum.",
        "枚举 'CustomerOrderField' 中没有值 'WRONG'。",
    ),
    (
        "query($n: Int) { customers(first: $n) { totalCount } }",
        {"n": "abc"},
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 'abc'",
        "变量 '$n' 的值无效：Int 不能表示非整数的值：'abc'",
    ),
    (  # nor when a field is unknown, nor when the object is written in the query itself
        CREATE,
        {"i": {"name": "Acme", "mobile": "13800138000"}},
        "Variable '$i' has invalid value: Expected value of type 'CustomerCreateInput' not to "
        "include unknown field 'mobile'.",
        "变量 '$i' 的值无效：类型 'CustomerCreateInput' 的值不能包含未知字段 'mobile'。",
    ),
    (
        'mutation { customerCreate(input: {notes: "mobile 13800138000"}) { customer { id } } }',
        None,
        "Expected value of type 'CustomerCreateInput' to include required field 'name'.",
        "类型 'CustomerCreateInput' 的值缺少必填字段 'name'。",
    ),
    (  # the object it found is not quoted back: it may hold a person's phone and notes
        CREATE,
        {"i": {"nam": "Acme", "notes": "mobile 13800138000"}},
        "Variable '$i' has invalid value: Expected value of type 'CustomerCreateInput' to "
        "include required field 'name'.",
        "变量 '$i' 的值无效：类型 'CustomerCreateInput' 的值缺少必填字段 'name'。",
    ),
    (
        CREATE,
        {},
        "Variable '$i' has invalid value: Expected a value of non-null type "
        "'CustomerCreateInput!' to be provided.",
        "变量 '$i' 的值无效：必须提供非空类型 'CustomerCreateInput!' 的值。",
    ),
    (
        CREATE,
        {"i": {"name": "Acme", "annualRevenue": 1.5}},
        "Variable '$i' has invalid value at .annualRevenue: Expected value of type 'Long', but "
        "encountered error 'Long must be a whole number'; found: 1.5.",
        "变量 '$i' 在 .annualRevenue 处的值无效：类型 'Long' 不接受收到的值 1.5：Long 必须是整数",
    ),
    (
        '{ customers { nodes { orgChart(asOf: "yesterday") { people { name } } } } }',
        None,
        '"yesterday" is not a valid DateTime value (use the ISO-8601 format).',
        '"yesterday" 不是有效的 DateTime 值（请使用 ISO-8601 格式）。',
    ),
    (
        "{ customers { ...Missing } }",
        None,
        "Unknown fragment 'Missing'.",
        "未知片段 'Missing'。",
    ),
    (
        "{ customers { totalCount } ",
        None,
        "Syntax Error: Expected Name, found <EOF>.",
        "语法错误：此处应为 Name，实际是 <EOF>。",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "english", "chinese"),
    CASES,
    ids=[
        "unknown-field",
        "unknown-argument",
        "missing-argument",
        "selection-on-leaf",
        "variable-type-mismatch",
        "unused-variable",
        "unknown-enum-value",
        "variable-not-an-int",
        "variable-unknown-input-field",
        "literal-missing-input-field",
        "variable-missing-input-field",
        "variable-not-provided",
        "variable-long-not-whole",
        "datetime-literal",
        "unknown-fragment",
        "syntax",
    ],
)
def test_graphql_core_errors_follow_the_request_language(
    api: Api, query: str, variables: dict[str, Any] | None, english: str, chinese: str
) -> None:
    in_english = first_error(api, query, variables, EN)
    in_chinese_ = first_error(api, query, variables, ZH)
    assert in_english["message"] == english
    assert in_chinese_["message"] == chinese
    assert in_english["extensions"]["code"] == in_chinese_["extensions"]["code"]
    assert in_chinese_["extensions"]["code"] == "BAD_USER_INPUT"
    assert in_chinese_.get("locations") == in_english.get("locations")


def test_without_accept_language_the_messages_stay_english(api: Api) -> None:
    error = first_error(api, "{ customerz { totalCount } }", None, {})
    assert error["message"].startswith("Cannot query field 'customerz'")


def test_an_unmatched_message_stays_english_and_well_formed(api: Api) -> None:
    # a fragment cycle through another fragment: a rare wording the table leaves alone
    query = (
        "{ customers { ...A } } fragment A on CustomerConnection { ...B } "
        "fragment B on CustomerConnection { ...A }"
    )
    response = api.post(query, headers=ZH)
    assert response.status_code == 200
    assert_no_leak(response.text)
    body = response.json()
    assert_error_shape(body)
    messages = [e["message"] for e in body["errors"]]
    assert "Cannot spread fragment 'A' within itself via 'B'." in messages
    assert all(e["extensions"]["code"] == "BAD_USER_INPUT" for e in body["errors"])


def test_production_drops_the_suggestions_in_both_languages(api: Api) -> None:
    with open_api(api.store.executor, mode="production", empty=False) as production:
        for headers in (EN, ZH):
            error = first_error(production, "{ customerz { totalCount } }", None, headers)
            assert "customers" not in error["message"], error
        assert error["message"] == "类型 'Query' 上没有可查询的字段 'customerz'。"


# --- the table itself ---------------------------------------------------------------------------


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("row", TRANSLATIONS, ids=lambda row: row.rule)
def test_each_row_fills_its_template_with_exactly_the_names_it_matches(row: Any) -> None:
    assert _placeholders(row.zh) == set(row.pattern.groupindex)
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", row.zh), "English left in zh"


def test_a_nested_message_is_translated_by_the_same_table() -> None:
    assert {"detail", "reason"} == NESTED
    message = "Variable '$n' has invalid value at .x[0]: Expected value of type 'T', found: 3."
    assert in_chinese(message) == "变量 '$n' 在 .x[0] 处的值无效：类型 'T' 不接受收到的值 3。"
    unknown_inside = "Variable '$n' has invalid value: Long cannot represent 'x'"
    assert in_chinese(unknown_inside) == "变量 '$n' 的值无效：Long cannot represent 'x'"


def test_only_chinese_locales_are_translated() -> None:
    message = "Unknown type 'Foo'."
    assert translate(message, "zh-Hans") == "未知类型 'Foo'。"
    assert translate(message, "de-DE") == message
    assert translate("Something new from graphql-core.", "zh-CN") == (
        "Something new from graphql-core."
    )


def test_a_time_without_its_offset_is_refused_in_both_languages() -> None:
    detail = OFFSET_MISSING.format(value='"2026-12-07T09:30:00"')
    raw = f"Variable '$i' has invalid value at .occurredAt: {detail}"
    assert translate(raw, "en") == raw
    assert translate(raw, "zh-CN") == (
        "变量 '$i' 在 .occurredAt 处的值无效：\"2026-12-07T09:30:00\" 不是带 UTC 偏移的 DateTime："
        "请写明日期、时间和偏移，如 2026-12-07T09:30:00+08:00 或 2026-12-07T01:30:00Z"
    )


def test_a_date_refusal_loses_pythons_parse_error_in_english() -> None:
    raw = "Value cannot represent a Date: \"soon\". invalid literal for int() with base 10: b'soon'"
    clean = '"soon" is not a valid Date value (use the ISO-8601 format).'
    assert translate(raw, "en") == clean
    assert translate(f"Variable '$d' has invalid value: {raw}", "en-US") == (
        f"Variable '$d' has invalid value: {clean}"
    )
    assert translate(raw, "zh-CN") == '"soon" 不是有效的 Date 值（请使用 ISO-8601 格式）。'
    assert translate("Value cannot represent a Date: 5.", "en") == (
        "Value cannot represent a Date: 5."
    )
