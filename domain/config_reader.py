"""Typed reading of configuration values: environment variables and TOML tables alike.

Why one module: reading a setting is always the same steps (look the key up, fall back to a
default, cast the value to the wanted type, check its bounds or choices) and a bad value must be
reported once, saying where it is, what it must be and what was found, in the style of
Starlette's ``Config``. The readers of the project (``dealgraph/settings.py`` for the
environment, ``strategy/config.py`` and ``strategy/playbook.py`` for their TOML files) then only
declare their keys and how their errors are located. ``LocatedToml`` is the same for a file
whose refusals name its line in both languages (``strategy/tas/loader.py``).

A cast is any callable from the raw value to the typed one that raises ``ConfigValueError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

_NOT_SHOWN: Final = object()

type Cast[T] = Callable[[object], T]


class ConfigValueError(ValueError):
    """A value that cannot be used: what it must be (``wanted``) and what it was (``got``)."""

    def __init__(self, wanted: str, got: object = _NOT_SHOWN, verb: str = "be") -> None:
        super().__init__(wanted)
        self.wanted, self.got, self.verb = wanted, got, verb

    def _found(self) -> str:
        return "" if self.got is _NOT_SHOWN else f", got {self.got!r}"

    def must(self, name: str) -> str:
        """Worded for a named variable: ``NAME must be …, got …``."""
        return f"{name} must {self.verb} {self.wanted}{self._found()}"

    def expected(self) -> str:
        """Worded after a located key of a file: ``expected …, got …``."""
        return f"expected {self.wanted}{self._found()}"


def number(value: object) -> float:
    """A TOML integer or float (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigValueError("a number", value)
    return float(value)


def integer(value: object) -> int:
    """A TOML integer (not a boolean, not a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigValueError("an integer", value)
    return value


def flag(value: object) -> bool:
    """A TOML boolean."""
    if not isinstance(value, bool):
        raise ConfigValueError("true/false", value)
    return value


def text(value: object) -> str:
    """A TOML string."""
    if not isinstance(value, str):
        raise ConfigValueError("a string", value)
    return value


def member[E: StrEnum](enum: type[E]) -> Cast[E]:
    """One of the values of a string enum."""

    def cast(value: object) -> E:
        try:
            if isinstance(value, str):
                return enum(value)
        except ValueError:
            pass
        raise ConfigValueError(f"one of {', '.join(m.value for m in enum)}", value)

    return cast


def choice(allowed: Collection[str]) -> Cast[str]:
    """One of a fixed set of strings, listed in the given order."""
    shown = ", ".join(a or '""' for a in allowed)

    def cast(value: object) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ConfigValueError(f"one of {shown}", value)
        return value

    return cast


def maybe[T](cast: Cast[T]) -> Cast[T | None]:
    """``cast``, with an empty string meaning "none"."""

    def optional(value: object) -> T | None:
        return None if value == "" else cast(value)

    return optional


_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


def switch(raw: object) -> bool:
    """An environment boolean: 1/true/yes/on or 0/false/no/off, any case."""
    word = str(raw).lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ConfigValueError("true or false", raw)


def whole(wanted: str, low: int = 1, high: int | None = None) -> Cast[int]:
    """An environment whole number (digits only) between ``low`` and ``high``."""

    def cast(raw: object) -> int:
        digits = str(raw)
        if not digits.isdigit() or int(digits) < low or (high is not None and int(digits) > high):
            raise ConfigValueError(wanted, raw)
        return int(digits)

    return cast


def existing_file(raw: object) -> Path:
    """The path of a file that exists (``~`` expanded)."""
    path = Path(str(raw)).expanduser()
    if not path.is_file():
        raise ConfigValueError("an existing file", raw, verb="name")
    return path


class Environment:
    """Typed settings from environment variables; an unset or empty variable takes the default,
    a bad one raises ``error`` with ``NAME must be …, got …``."""

    def __init__(self, values: Mapping[str, str], error: type[Exception]) -> None:
        self.values, self.error = values, error

    def __call__[T](self, name: str, cast: Cast[T], default: T) -> T:
        raw = self.values.get(name)
        if raw is None or raw == "":
            return default
        try:
            return cast(raw)
        except ConfigValueError as bad:
            raise self.error(bad.must(name)) from None

    def text(self, name: str, default: str) -> str:
        """A plain string setting."""
        return self.values.get(name) or default


class Table:
    """Typed values of one TOML table; a bad one raises ``fail(key path, message)``.

    A key left out reads as ``default``; without a default the cast sees ``None`` and refuses
    it, so a missing required key is reported like a wrong one.
    """

    def __init__(
        self,
        data: object,
        where: str,
        fail: Callable[[str, str], Exception],
        allowed: Collection[str],
    ) -> None:
        if not isinstance(data, dict):
            raise fail(where, "expected a table")
        for key in data:
            if key not in allowed:
                raise fail(f"{where}.{key}", "unknown key")
        self.data: dict[str, object] = data
        self.where, self.fail = where, fail

    def __call__[T](self, key: str, cast: Cast[T], default: object = None) -> T:
        try:
            return cast(self.data.get(key, default))
        except ConfigValueError as bad:
            raise self.fail(f"{self.where}.{key}", bad.expected()) from None


@dataclass(frozen=True, slots=True)
class Place:
    """A table of a TOML file: its header name and which occurrence (for ``[[array]]`` tables);
    the empty name is the top of the file."""

    table: str
    index: int = 0


class LocatedToml[Err: Exception]:
    """Typed, bilingual lookups in a parsed TOML file; every refusal names the file's line.

    ``tomllib`` gives values without positions, so a bad key or value is found again in the
    text: inside the table it belongs to, first as a key ``x =``, then as any line holding it.
    ``fail(line, en, zh)`` builds the reader's own error (the line is 1-based, or None).
    """

    def __init__(self, text: str, fail: Callable[[int | None, str, str], Err]) -> None:
        self.lines = text.splitlines()
        self._fail = fail

    def _table_span(self, where: Place) -> tuple[int, int]:
        if not where.table:
            return 0, len(self.lines)
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(where.table)}\s*\]\]?\s*(#.*)?$")
        starts = [i for i, line in enumerate(self.lines) if header.match(line)]
        if where.index >= len(starts):
            return 0, len(self.lines)
        start = starts[where.index]
        end = starts[where.index + 1] if where.index + 1 < len(starts) else len(self.lines)
        return start, end

    def line_of(self, where: Place, needle: str | None) -> int | None:
        """1-based line of ``needle`` inside the table (a key ``x =`` or a quoted value)."""
        start, end = self._table_span(where)
        if needle is not None:
            key = re.compile(rf"^\s*{re.escape(needle)}\s*=")
            for matches in (key.match, lambda line: needle in line):
                for i in range(start, end):
                    if matches(self.lines[i]):
                        return i + 1
        return start + 1 if where.table else None

    def fail(self, where: Place, needle: str | None, en: str, zh: str) -> Err:
        """The reader's error for a refusal at ``needle`` in the table, in both languages."""
        return self._fail(self.line_of(where, needle), en, zh)

    def keys(self, where: Place, data: dict[str, Any], allowed: set[str]) -> None:
        """Refuse the first key of ``data`` not in ``allowed``."""
        for key in data:
            if key not in allowed:
                raise self.fail(where, key, f"unknown key {key!r}", f"未知的键 {key!r}")

    def get(
        self, where: Place, data: dict[str, Any], key: str, kind: type, default: Any = ...
    ) -> Any:
        """``data[key]`` of type ``kind`` (a bool is no int); ``default`` when left out, and
        without a default a missing key is refused."""
        if key not in data:
            if default is ...:
                raise self.fail(where, None, f"missing key {key!r}", f"缺少键 {key!r}")
            return default
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(
                where,
                key,
                f"{key!r} must be {kind.__name__}",
                f"{key!r} 的类型应为 {kind.__name__}",
            )
        return value

    def text(self, where: Place, data: dict[str, Any], key: str, default: Any = ...) -> str:
        """A string value."""
        value: str = self.get(where, data, key, str, default)
        return value

    def names(self, where: Place, data: dict[str, Any], key: str) -> list[str]:
        """A list of strings (empty when left out)."""
        value: list[Any] = self.get(where, data, key, list, [])
        for item in value:
            if not isinstance(item, str):
                raise self.fail(where, key, f"{key!r} must list strings", f"{key!r} 应为字符串列表")
        return value

    def enum[E: StrEnum](self, where: Place, enum: type[E], value: str, what: tuple[str, str]) -> E:
        """``value`` as a member of ``enum``; ``what`` names the enum (en, zh) in the refusal."""
        try:
            return enum(value)
        except ValueError:
            raise self.fail(
                where, f'"{value}"', f"unknown {what[0]} {value!r}", f"未知的{what[1]} {value!r}"
            ) from None

    def table(self, where: Place, data: dict[str, Any], key: str) -> dict[str, Any]:
        """A sub-table (empty when left out)."""
        value: dict[str, Any] = self.get(where, data, key, dict, {})
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        """An array of tables at the top of the file (empty when left out)."""
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(
                Place(""), key, f"{key!r} must be an array of tables", f"{key!r} 应为表数组"
            )
        return value
