"""The protective limits' refusals in the request's language, through the app as deployed on
both back ends: each names its limit in English and zh-CN with the same code; a document
spreading an undefined fragment is told so rather than failing inside a limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_helpers import ZH, Api, Json, assert_error_shape, open_api

from dealgraph.engine.limits import explain, limit_breach
from graph.executor import Executor

EN = {"Accept-Language": "en"}
LIMITS = {"max_depth": 3, "max_aliases": 2, "max_tokens": 60, "max_cost": 30}


@pytest.fixture(scope="module")
def api(api_executor: Executor) -> Iterator[Api]:
    with open_api(api_executor, settings=LIMITS) as client:
        yield client


def refusal(api: Api, query: str, headers: Json) -> Json:
    """The only error of an operation refused before it ran."""
    body = api.body(query, headers=headers)
    assert body["data"] is None, body
    assert_error_shape(body)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "path" not in error
    found: Json = error
    return found


DEEP = "{ keyPersons { nodes { reportsTo { reportsTo { name } } } } }"
ALIASED = "{ a: customers { totalCount } b: customers { totalCount } c: customers { totalCount } }"
LONG = "{ " + " ".join(["customers { totalCount }"] * 16) + " }"
COSTLY = "{ customers(first: 50) { nodes { name } } }"


@pytest.mark.parametrize(
    ("query", "english", "chinese", "limit"),
    [
        (
            DEEP,
            "'anonymous' exceeds maximum operation depth of 3 (limit maxDepth = 3)",
            "操作 'anonymous' 的嵌套深度超过上限 3（上限 maxDepth = 3）",
            {"name": "maxDepth", "max": 3},
        ),
        (
            ALIASED,
            "3 aliases found. Allowed: 2 (limit maxAliases = 2)",
            "查询使用了 3 个别名，最多允许 2 个（上限 maxAliases = 2）",
            {"name": "maxAliases", "max": 2, "actual": 3},
        ),
        (
            LONG,
            "Syntax Error: Document contains more than 60 tokens. Parsing aborted. "
            "(limit maxTokens = 60)",
            "查询文本超过 60 个词法单元，已停止解析（上限 maxTokens = 60）",
            {"name": "maxTokens", "max": 60},
        ),
        (
            COSTLY,
            "query cost 101 exceeds the limit maxCost of 30; "
            "ask for smaller pages (first/last) or fewer nested lists",
            "查询成本 101 超过上限 maxCost = 30；请减小分页（first/last）或减少嵌套的列表",
            {"name": "maxCost", "max": 30, "actual": 101},
        ),
    ],
    ids=["depth", "aliases", "tokens", "cost"],
)
def test_each_limit_is_named_in_the_requests_language(
    api: Api, query: str, english: str, chinese: str, limit: Json
) -> None:
    """Named for people in the request's language, and for software in ``extensions.limit``
    (a client shrinks its page on a maxCost breach without reading the text)."""
    assert refusal(api, query, EN)["message"] == english
    chinese_refusal = refusal(api, query, ZH)
    assert chinese_refusal["message"] == chinese
    assert chinese_refusal["extensions"]["limit"] == limit


def test_an_error_that_breaches_no_limit_names_none(api: Api) -> None:
    assert "limit" not in refusal(api, "{ customers { nope } }", EN)["extensions"]


def test_an_undefined_fragment_is_reported_rather_than_failing_a_limit(api: Api) -> None:
    query = "{ customers { ...Missing } }"
    assert refusal(api, query, EN)["message"] == "Unknown fragment 'Missing'."
    assert refusal(api, query, ZH)["message"] == "未知片段 'Missing'。"


def test_only_whole_limit_messages_are_breaches() -> None:
    breach = limit_breach("'Q' exceeds maximum operation depth of 7")
    assert breach is not None
    assert breach.zh == "操作 'Q' 的嵌套深度超过上限 7（上限 maxDepth = 7）"
    assert limit_breach("Field 'x' exceeds maximum operation depth of 7 today") is None
    assert explain("Unknown type 'Foo'. Did you mean 'Food'?", production=True) == (
        "Unknown type 'Foo'."
    )
