"""Validation of property maps against the model's field specs, with every problem reported.

Input is checked before any statement runs, so a refused write never reaches the store.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from domain.errors import DomainError, ErrorCode, FieldProblem
from domain.model import FieldSpec, FieldType

MAX_TIMESTAMP = 32_503_680_000_000  # year 3000: beyond it a value is a unit mistake
INT_LIMIT = 2**53  # integers stay exact in JSON clients and in both stores
DATE_ZH = "必须是 YYYY-MM-DD 格式的日期"
REQUIRED_ZH = "为必填项"


YEARS_AHEAD_TYPO = 5
"""How far ahead a date people type (a deal's close, a request's period) may lie before its year
reads as mistyped and is asked about."""


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February, when that year has none, the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


ONE_LINE_LIMIT = 300
"""Texts this short are one line (a name, a title, an address): kept without outer spaces, and
without line breaks or the invisible marks that turn text around ("Li\u202eNa" shows as
"Lian")."""

_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _hidden(char: str) -> bool:
    """A control character (a line break, a tab) or an invisible direction control."""
    return unicodedata.category(char) == "Cc" or char in _DIRECTION_CONTROLS


def name_key(name: str) -> str:
    """A name as people mean it, for telling two records apart: letter case, full-width letters
    and digits, and runs of spaces (full-width ones too) do not matter; the letters and their
    order do. A competitor written "ＱＡ２  Gamma" is the "QA2 Gamma" already known."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def search_text(needle: str) -> str:
    """A name filter as people type it: full-width letters and digits (a Chinese input method's
    full-width mode) read as the plain ones the names are kept in, outer spaces dropped."""
    return unicodedata.normalize("NFKC", needle).strip()


def _problem(path: str, message: str, message_zh: str) -> FieldProblem:
    return FieldProblem(path, message, ErrorCode.BAD_USER_INPUT, message_zh)


def _must_be(zh: str) -> str:
    """What a value must be, in Chinese: 须为 spaced from Latin letters or digits as Chinese text
    is written (须为 ISO 4217 大写货币代码, as 须为 1-100 个字母)."""
    spaced = zh[:1].isascii() and zh[:1].isalnum()
    return f"须为 {zh}" if spaced else f"须为{zh}"


def check_value(spec: FieldSpec, value: object, path: str) -> tuple[object, FieldProblem | None]:
    """Return the value as stored (enums as their string value) or the problem with it."""
    kind = spec.value_type
    if kind in (FieldType.INT, FieldType.MONEY, FieldType.TIMESTAMP):
        if isinstance(value, bool) or not isinstance(value, int):
            return None, _problem(path, "must be a whole number", "必须是整数")
        low = spec.minimum if spec.minimum is not None else (0 if kind != FieldType.INT else None)
        high = spec.maximum if spec.maximum is not None else INT_LIMIT
        if kind == FieldType.TIMESTAMP:
            high = MAX_TIMESTAMP
            if value < 0:  # an instant, not a count: said as a date
                return None, _problem(path, "must be in 1970 or later", "不能早于 1970 年")
            if value > high:
                return None, _problem(path, "must be before the year 3000", "必须早于 3000 年")
        if low is not None and value < low:
            return None, _problem(path, f"must be at least {low}", f"不能小于 {low}")
        if value > high:
            return None, _problem(path, f"must be at most {high}", f"不能大于 {high}")
        return value, None
    if kind == FieldType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, _problem(path, "must be a number", "必须是数字")
        if not math.isfinite(float(value)):
            return None, _problem(path, "must be a finite number", "必须是有限的数字")
        return float(value), None
    if kind == FieldType.BOOL:
        if not isinstance(value, bool):
            return None, _problem(path, "must be true or false", "必须是 true 或 false")
        return value, None
    if kind == FieldType.ENUM:
        assert spec.enum is not None
        allowed = [m.value for m in spec.enum]
        raw = value.value if isinstance(value, StrEnum) else value
        if raw not in allowed:
            return None, _problem(
                path,
                f"must be one of {', '.join(allowed)}",
                f"必须是以下之一：{', '.join(allowed)}",
            )
        return raw, None
    if kind == FieldType.DATE:
        # the shape first: fromisoformat also takes a week day (2026-W30-1) or 20260720
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None, _problem(path, "must be a date as YYYY-MM-DD", DATE_ZH)
        try:
            parsed = date.fromisoformat(value)
        except ValueError:  # the shape is right, the day is not
            return None, _problem(
                path, f"{value} is not a day of the calendar", f"{value}不是日历上的日期"
            )
        return parsed.isoformat(), None
    # STRING
    if not isinstance(value, str):
        return None, _problem(path, "must be text", "必须是文本")
    if spec.max_length is not None and spec.max_length <= ONE_LINE_LIMIT:
        value = value.strip()
        if any(_hidden(c) for c in value):
            return None, _problem(
                path,
                "must be one line of text, without line breaks or hidden direction marks",
                "须为单行文本，不能包含换行或隐藏的方向控制字符",
            )
    if spec.required and not value.strip():
        return None, _problem(path, "must not be blank", "不能为空")
    if spec.max_length is not None and len(value) > spec.max_length:
        return None, _problem(
            path,
            f"must be at most {spec.max_length} characters",
            f"不能超过 {spec.max_length} 个字符",
        )
    if "\x00" in value:
        return None, _problem(path, "must not contain NUL characters", "不能包含 NUL 字符")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
        en, zh = spec.pattern_text
        if en:
            return None, _problem(path, f"must be {en}", _must_be(zh))
        return None, _problem(path, f"must match {spec.pattern}", f"格式不符合 {spec.pattern}")
    if spec.codes is not None and value not in spec.codes:
        return None, _unknown_code(spec, value, path)
    return value, None


def _unknown_code(spec: FieldSpec, value: str, path: str) -> FieldProblem:
    """A code of the right shape that names nothing, and the code meant when people often
    write it so ("RMB" is the renminbi's name; its code is CNY)."""
    meant = spec.aliases.get(value.upper())
    en, zh = spec.pattern_text
    if meant is not None:
        return _problem(
            path,
            f'must be {en}: for "{value}" write {meant}',
            f"{_must_be(zh)}：“{value}”应写作 {meant}",
        )
    return _problem(
        path, f'must be {en}: "{value}" is not one', f"{_must_be(zh)}：“{value}”不是有效代码"
    )


def validate_props(
    fields: tuple[FieldSpec, ...],
    data: Mapping[str, object],
    *,
    partial: bool,
    prefix: str = "",
) -> dict[str, object]:
    """Check a property map; on create (``partial`` false) required fields must be present.

    On update ``None`` means "clear this field", which required fields refuse. Raises one
    DomainError listing every problem, so a form can show them all at once.
    """
    by_name = {f.name: f for f in fields}
    problems: list[FieldProblem] = []
    clean: dict[str, object] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        spec = by_name.get(key)
        if spec is None:
            problems.append(_problem(path, "is not a field of this kind", "不是此类对象的字段"))
            continue
        if value is None:
            if spec.required:
                problems.append(_problem(path, "is required", REQUIRED_ZH))
            elif partial:
                clean[key] = None
            continue
        stored, problem = check_value(spec, value, path)
        if problem is not None:
            problems.append(problem)
        else:
            clean[key] = stored
    if not partial:
        for spec in fields:
            if spec.name in clean or spec.name in data:
                # a given field was checked above: one problem with it is reported once
                continue
            if spec.required:
                problems.append(_problem(f"{prefix}{spec.name}", "is required", REQUIRED_ZH))
            elif spec.default is not None:
                default = spec.default
                clean[spec.name] = default.value if isinstance(default, StrEnum) else default
    if problems:
        raise DomainError(problems)
    return clean


ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")


def check_id(value: object, path: str = "id") -> str:
    """A caller-supplied stable key: 1-100 characters of letters, digits and ``_.:-``."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise DomainError(
            _problem(
                path,
                "must be 1-100 letters, digits or _ . : - (starting with a letter or digit)",
                "须为 1-100 个字母、数字或 _ . : -（以字母或数字开头）",
            )
        )
    return value
