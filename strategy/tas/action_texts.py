"""The labels of required actions and activity results, read once from ``action_texts.toml``.

Wording lives in data beside the process file (as the refusals do), so the people who own the
process review both languages side by side; the code only names which text it needs. The file
is validated when read: every label the code names, in both languages, no unknown key, and a
message's placeholders the same in each language.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from string import Formatter
from typing import Any, Final

from domain.text import Text

SOURCE = "strategy/tas/action_texts.toml"

ACTION_NAMES: Final = (
    "decision_maker_identified",
    "decision_maker_met",
    "coach_identified",
    "decision_chain_mapped",
    "needs_recorded",
    "acquisition_triangle_complete",
    "deal_triangle_complete",
    "competitors_identified",
    "technical_exchange_held",
    "solution_presented",
    "pricing_discussed",
    "delivery_review_recorded",
    "quote_submitted",
)
"""Every required action the process knows, in the order the checks are registered."""

RESULT_FIELD_NAMES: Final = ("outcome", "solution_reaction", "price_reaction")
"""The fields of an activity that describe how it went."""

KEYS: Final = frozenset(
    {
        *(f"action.{name}" for name in ACTION_NAMES),
        *(f"result_field.{name}" for name in RESULT_FIELD_NAMES),
        "timeline.result_of_future_activity",
    }
)
"""Every text the code uses; the file must give each one, and nothing else."""

PLACEHOLDERS: Final = frozenset({"field"})
"""Every word a message may leave to its caller; anything else is a typo caught at load time."""


class ActionTextsError(ValueError):
    """The labels file is incomplete, has an unknown text or names an unknown word."""


@dataclass(frozen=True, slots=True)
class ActionTexts:
    """The label of every required action and result field, and the timeline's message."""

    texts: Mapping[str, Text]

    def action(self, name: str) -> Text:
        """The label of the required action ``name``."""
        return self.texts[f"action.{name}"]

    def result_field(self, name: str) -> Text:
        """The label of the result field ``name``, as a sentence starts with it."""
        return self.texts[f"result_field.{name}"]

    def message(self, key: str, /, **words: Text) -> Text:
        """The message ``key`` with each language's words filled in."""
        return self.texts[key].format(**words)


def _placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def _text(table: Any, key: str) -> Text:
    if not isinstance(table, dict) or set(table) != {"zh", "en"}:
        raise ActionTextsError(f"{SOURCE}: [{key}] must be a table of zh and en only")
    for language in ("zh", "en"):
        value = table[language]
        if not isinstance(value, str) or not value:
            raise ActionTextsError(f"{SOURCE}: [{key}] needs a non-empty {language} text")
        unknown = _placeholders(value) - PLACEHOLDERS
        if unknown:
            raise ActionTextsError(
                f"{SOURCE}: [{key}] {language} names unknown {', '.join(sorted(unknown))}"
            )
    if _placeholders(table["zh"]) != _placeholders(table["en"]):
        raise ActionTextsError(f"{SOURCE}: [{key}] zh and en must use the same placeholders")
    return Text(en=table["en"], zh=table["zh"])


def parse_action_texts(source: str) -> ActionTexts:
    """The labels from the file's text; every text of ``KEYS`` needs both languages."""
    data = tomllib.loads(source)
    found: dict[str, Any] = {}
    for group, tables in data.items():
        if not isinstance(tables, dict):
            raise ActionTextsError(f"{SOURCE}: {group} must be a table of texts")
        found |= {f"{group}.{name}": table for name, table in tables.items()}
    missing = sorted(KEYS - set(found))
    if missing:
        raise ActionTextsError(f"{SOURCE}: missing {', '.join(missing)}")
    unknown = sorted(set(found) - KEYS)
    if unknown:
        raise ActionTextsError(f"{SOURCE}: unknown text {', '.join(unknown)}")
    return ActionTexts({key: _text(found[key], key) for key in sorted(KEYS)})


@functools.cache
def action_texts() -> ActionTexts:
    """The packaged labels, read once per process."""
    return parse_action_texts(
        files("strategy.tas").joinpath("action_texts.toml").read_text(encoding="utf-8")
    )
