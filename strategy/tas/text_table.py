"""A table of bilingual texts read from one of the process's TOML files, checked when read.

The process's refusal messages, its action labels and the violation rules' messages are kept
the same way (``[group]`` tables of ``{zh, en}`` texts, every text the code names and nothing
else, the same known placeholders in both languages), so one reader checks them all and a
mistake reads the same in each file.
"""

from __future__ import annotations

import tomllib
from string import Formatter
from typing import Any

from domain.text import Text


def read_text_table(
    source: str,
    *,
    path: str,
    keys: frozenset[str],
    placeholders: frozenset[str],
    noun: str,
    error: type[ValueError],
) -> dict[str, Text]:
    """The texts of ``source`` (the file at ``path``) by ``group.name``: exactly ``keys``,
    each in both languages; a broken file raises ``error``, naming the ``noun`` it holds."""
    data = tomllib.loads(source)
    found: dict[str, Any] = {}
    for group, tables in data.items():
        if not isinstance(tables, dict):
            raise error(f"{path}: {group} must be a table of {noun}s")
        found |= {f"{group}.{name}": table for name, table in tables.items()}
    missing = sorted(keys - set(found))
    if missing:
        raise error(f"{path}: missing {', '.join(missing)}")
    unknown = sorted(set(found) - keys)
    if unknown:
        raise error(f"{path}: unknown {noun} {', '.join(unknown)}")
    return {key: _text(found[key], key, path, placeholders, error) for key in sorted(keys)}


def _placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def _text(
    table: Any, key: str, path: str, placeholders: frozenset[str], error: type[ValueError]
) -> Text:
    if not isinstance(table, dict) or set(table) != {"zh", "en"}:
        raise error(f"{path}: [{key}] must be a table of zh and en only")
    for language in ("zh", "en"):
        value = table[language]
        if not isinstance(value, str) or not value:
            raise error(f"{path}: [{key}] needs a non-empty {language} text")
        unknown = _placeholders(value) - placeholders
        if unknown:
            raise error(f"{path}: [{key}] {language} names unknown {', '.join(sorted(unknown))}")
    if _placeholders(table["zh"]) != _placeholders(table["en"]):
        raise error(f"{path}: [{key}] zh and en must use the same placeholders")
    return Text(en=table["en"], zh=table["zh"])
