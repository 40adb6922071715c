"""The violation rules' messages, read once from ``violations.toml`` beside the process file.

Wording lives in data so it can be reviewed and changed by the people who own the process,
in both languages side by side, without touching the rules' logic.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from string import Formatter
from typing import Any

from domain.text import Text
from strategy.tas.definition import ViolationRule

SOURCE = "strategy/tas/violations.toml"
PLACEHOLDERS = frozenset(
    {"stage", "process", "days", "limit", "action", "idle_days", "who", "name"}
)
"""Every word a message may leave to its rule; anything else is a typo caught at load time."""


class RuleTextsError(ValueError):
    """The messages file is incomplete or names an unknown placeholder."""


@dataclass(frozen=True, slots=True)
class RuleTexts:
    """The message template of every violation rule and the pieces they are built from."""

    rules: Mapping[ViolationRule, Text]
    parts: Mapping[str, Text]

    def fill(self, rule: ViolationRule, zh: Mapping[str, object], en: Mapping[str, object]) -> Text:
        """The rule's message with each language's words filled in."""
        return _fill(self.rules[rule], zh, en)

    def part(self, name: str, zh: Mapping[str, object], en: Mapping[str, object]) -> Text:
        """A piece of a message (e.g. ``who``) with each language's words filled in."""
        return _fill(self.parts[name], zh, en)


def _fill(template: Text, zh: Mapping[str, object], en: Mapping[str, object]) -> Text:
    return Text(en=template.en.format_map(en), zh=template.zh.format_map(zh))


def _text(table: Any, where: str) -> Text:
    if not isinstance(table, dict):
        raise RuleTextsError(f"{SOURCE}: [{where}] must be a table with zh and en")
    found: dict[str, str] = {}
    for language in ("zh", "en"):
        value = table.get(language)
        if not isinstance(value, str) or not value:
            raise RuleTextsError(f"{SOURCE}: [{where}] needs a non-empty {language} text")
        unknown = {f for _, f, _, _ in Formatter().parse(value) if f} - PLACEHOLDERS
        if unknown:
            raise RuleTextsError(
                f"{SOURCE}: [{where}] {language} names unknown {', '.join(sorted(unknown))}"
            )
        found[language] = value
    return Text(en=found["en"], zh=found["zh"])


def parse_rule_texts(text: str) -> RuleTexts:
    """Rule messages from the file's text; every rule needs both languages."""
    data = tomllib.loads(text)
    rules = {rule: _text(data.get(rule.value), rule.value) for rule in ViolationRule}
    raw_parts = data.get("parts") or {}
    parts = {name: _text(value, f"parts.{name}") for name, value in raw_parts.items()}
    return RuleTexts(rules=rules, parts=parts)


@functools.cache
def rule_texts() -> RuleTexts:
    """The packaged messages, read once per process."""
    return parse_rule_texts(
        files("strategy.tas").joinpath("violations.toml").read_text(encoding="utf-8")
    )
