"""The violation rules' messages, read once from ``violations.toml`` beside the process file.

Wording lives in data so it can be reviewed and changed by the people who own the process,
in both languages side by side, without touching the rules' logic.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files

from domain.text import Text
from strategy.tas.definition import ViolationRule
from strategy.tas.text_table import read_text_table

SOURCE = "strategy/tas/violations.toml"
PLACEHOLDERS = frozenset(
    {
        *("stage", "process", "days", "limit", "action", "idle_days", "who", "name", "date"),
        *("count", "by", "promised", "names"),
    }
)
"""Every word a message may leave to its rule; anything else is a typo caught at load time."""
PARTS = frozenset({"parts.who", "parts.again", "parts.missed", "parts.by", "parts.missing"})
"""The pieces messages are built from."""


class RuleTextsError(ValueError):
    """The messages file is incomplete or names an unknown placeholder."""


@dataclass(frozen=True, slots=True)
class RuleTexts:
    """The message template of every violation rule, the pieces they are built from, and what
    each rule is called where its violations are counted."""

    rules: Mapping[ViolationRule, Text]
    parts: Mapping[str, Text]
    names: Mapping[ViolationRule, Text]

    def fill(self, rule: ViolationRule, zh: Mapping[str, object], en: Mapping[str, object]) -> Text:
        """The rule's message with each language's words filled in."""
        return _fill(self.rules[rule], zh, en)

    def part(self, name: str, zh: Mapping[str, object], en: Mapping[str, object]) -> Text:
        """A piece of a message (e.g. ``who``) with each language's words filled in."""
        return _fill(self.parts[name], zh, en)


def _fill(template: Text, zh: Mapping[str, object], en: Mapping[str, object]) -> Text:
    return Text(en=template.en.format_map(en), zh=template.zh.format_map(zh))


def parse_rule_texts(text: str) -> RuleTexts:
    """Rule messages from the file's text: ``[rules.CODE]`` for every rule, the
    ``[parts.NAME]`` they are built from and ``[names.CODE]``, what every rule is called, each in
    both languages."""
    found = read_text_table(
        text,
        path=SOURCE,
        keys=frozenset(
            {*(f"{t}.{r.value}" for t in ("rules", "names") for r in ViolationRule), *PARTS}
        ),
        placeholders=PLACEHOLDERS,
        noun="text",
        error=RuleTextsError,
    )
    return RuleTexts(
        rules={rule: found[f"rules.{rule.value}"] for rule in ViolationRule},
        parts={key.removeprefix("parts."): found[key] for key in PARTS},
        names={rule: found[f"names.{rule.value}"] for rule in ViolationRule},
    )


@functools.cache
def rule_texts() -> RuleTexts:
    """The packaged messages, read once per process."""
    return parse_rule_texts(
        files("strategy.tas").joinpath("violations.toml").read_text(encoding="utf-8")
    )
