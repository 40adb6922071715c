"""The one reader of the process's bilingual text tables."""

from __future__ import annotations

import pytest

from domain.text import Text
from strategy.tas.text_table import read_text_table


class TableError(ValueError):
    pass


def read(source: str) -> dict[str, Text]:
    return read_text_table(
        source,
        path="x.toml",
        keys=frozenset({"a.one", "a.two"}),
        placeholders=frozenset({"who"}),
        noun="label",
        error=TableError,
    )


GOOD = """
[a.one]
zh = "{who}好"
en = "hello {who}"
[a.two]
zh = "二"
en = "two"
"""


def test_every_key_is_read_in_both_languages() -> None:
    assert read(GOOD) == {"a.one": Text("hello {who}", "{who}好"), "a.two": Text("two", "二")}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('a = "flat"', "x.toml: a must be a table of labels"),
        (GOOD.replace("[a.two]", "[a.three]"), "x.toml: missing a.two"),
        (GOOD + '[a.typo]\nzh = "错"\nen = "typo"\n', "x.toml: unknown label a.typo"),
        (GOOD.replace('en = "two"', 'en = ""'), r"x.toml: \[a.two\] needs a non-empty en text"),
        (GOOD.replace("hello {who}", "hello {whom}"), r"\[a.one\] en names unknown whom"),
        (GOOD.replace("{who}好", "好"), r"\[a.one\] zh and en must use the same placeholders"),
        (GOOD.replace('en = "two"', 'en = "two"\nfr = "deux"'), r"zh and en only"),
    ],
)
def test_a_broken_table_is_refused_with_where_and_what(source: str, message: str) -> None:
    with pytest.raises(TableError, match=message):
        read(source)
