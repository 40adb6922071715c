"""Typed reading of configuration values: environment variables and TOML tables alike.

Why one module: reading a setting is always the same steps (look the key up, fall back to a
default, cast the value to the wanted type, check its bounds or choices) and a bad value must be
reported once, saying where it is, what it must be and what was found, in the style of
Starlette's ``Config``. The readers of the project (``dealgraph/settings.py`` for the
environment, ``strategy/config.py`` and ``strategy/playbook.py`` for their TOML files) then only
declare their keys and how their errors are located.

A cast is any callable from the raw value to the typed one that raises ``ConfigValueError``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Final

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
