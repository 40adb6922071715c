from __future__ import annotations

from pathlib import Path

import pytest

from domain.config_reader import (
    ConfigValueError,
    Environment,
    LocatedToml,
    Place,
    Table,
    choice,
    existing_file,
    flag,
    integer,
    maybe,
    member,
    number,
    switch,
    text,
    whole,
)
from domain.vocabulary import TieStrength

LEVELS = "WEAK, MODERATE, STRONG, VERY_STRONG"


class RefusedError(Exception):
    pass


def _fail(where: str, message: str) -> RefusedError:
    return RefusedError(f"{where}: {message}")


def test_an_unset_or_empty_variable_takes_the_default() -> None:
    read = Environment({"A": "", "B": "7"}, RefusedError)
    assert read("A", whole("a count"), 3) == 3
    assert read("MISSING", whole("a count"), 3) == 3
    assert read("B", whole("a count"), 3) == 7
    assert read.text("A", "fallback") == "fallback"


@pytest.mark.parametrize(
    ("cast", "raw", "message"),
    [
        (switch, "maybe", "X must be true or false, got 'maybe'"),
        (whole("a positive whole number"), "0", "X must be a positive whole number, got '0'"),
        (whole("a port", high=10), "11", "X must be a port, got '11'"),
        (whole("a port", high=10), "-1", "X must be a port, got '-1'"),
        (choice(("a", "b")), "c", "X must be one of a, b, got 'c'"),
        (existing_file, "/no/such/file", "X must name an existing file, got '/no/such/file'"),
    ],
)
def test_a_bad_variable_is_reported_once_by_name(cast: object, raw: str, message: str) -> None:
    read = Environment({"X": raw}, RefusedError)
    with pytest.raises(RefusedError) as refused:
        read("X", cast, None)  # type: ignore[arg-type]
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("raw", "value"), [("ON", True), ("yes", True), ("0", False), ("Off", False)]
)
def test_switch_reads_the_usual_words_in_any_case(raw: str, value: bool) -> None:
    assert switch(raw) is value


def test_existing_file_expands_the_home_directory(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text("", encoding="utf-8")
    assert existing_file(str(path)) == path


@pytest.mark.parametrize(
    ("cast", "value", "wanted"),
    [
        (number, "ten", "expected a number, got 'ten'"),
        (number, True, "expected a number, got True"),
        (integer, 1.0, "expected an integer, got 1.0"),
        (flag, 1, "expected true/false, got 1"),
        (text, 3, "expected a string, got 3"),
        (
            member(TieStrength),
            "KINDA",
            "expected one of WEAK, MODERATE, STRONG, VERY_STRONG, got 'KINDA'",
        ),
        (member(TieStrength), 3, "expected one of WEAK, MODERATE, STRONG, VERY_STRONG, got 3"),
        (choice(("", "x")), "y", "expected one of \"\", x, got 'y'"),
    ],
)
def test_a_bad_file_value_says_what_was_expected_and_found(
    cast: object, value: object, wanted: str
) -> None:
    with pytest.raises(ConfigValueError) as bad:
        cast(value)  # type: ignore[operator]
    assert bad.value.expected() == wanted


def test_a_table_reads_typed_values_with_defaults_and_names_the_key_at_fault() -> None:
    read = Table({"n": 3, "level": "STRONG", "opt": ""}, "t", _fail, {"n", "level", "opt", "s"})
    assert read("n", integer) == 3
    assert read("level", member(TieStrength)) is TieStrength.STRONG
    assert read("opt", maybe(member(TieStrength))) is None
    assert read("s", text, "default") == "default"
    with pytest.raises(RefusedError, match=r"^t\.s: expected a string, got None$"):
        read("s", text)
    with pytest.raises(RefusedError, match=r"^t\.level: expected a number, got 'STRONG'$"):
        read("level", number)


def test_a_table_refuses_unknown_keys_and_non_tables() -> None:
    with pytest.raises(RefusedError, match=r"^t\.bogus: unknown key$"):
        Table({"bogus": 1}, "t", _fail, {"n"})
    with pytest.raises(RefusedError, match=r"^t: expected a table$"):
        Table(3, "t", _fail, {"n"})


class _LocatedError(ValueError):
    def __init__(self, line: int | None, en: str, zh: str) -> None:
        super().__init__(en)
        self.line, self.en, self.zh = line, en, zh


SOURCE = """format = 1

[[process]]
code = "1-1"

[[process]]
code = "2-1"
roles = ["ACCOUNT_MANAGER", 3]
"""


def test_a_located_lookup_names_the_line_in_both_languages() -> None:
    reader = LocatedToml(SOURCE, _LocatedError)
    second = Place("process", 1)
    data = {"code": "2-1", "roles": ["ACCOUNT_MANAGER", 3]}
    assert reader.text(second, data, "code") == "2-1"
    with pytest.raises(_LocatedError) as bad:
        reader.names(second, data, "roles")
    assert (bad.value.line, bad.value.en, bad.value.zh) == (
        8,
        "'roles' must list strings",
        "'roles' 应为字符串列表",
    )
    with pytest.raises(_LocatedError) as missing:
        reader.get(Place("process", 0), {"code": "1-1"}, "name", str)
    assert (missing.value.line, missing.value.en, missing.value.zh) == (
        3,
        "missing key 'name'",
        "缺少键 'name'",
    )
    with pytest.raises(_LocatedError) as unknown:
        reader.keys(Place(""), {"format": 1, "fromat": 1}, {"format"})
    assert unknown.value.line is None
    assert unknown.value.zh == "未知的键 'fromat'"
