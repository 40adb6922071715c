"""The labels of required actions and activity results, read once from ``action_texts.toml``.

Wording lives in data beside the process file (as the refusals do), so the people who own the
process review both languages side by side; the code only names which text it needs. The file
is validated when read: every label the code names, in both languages, no unknown key, and a
message's placeholders the same in each language.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

from domain.text import Text
from strategy.tas.text_table import read_text_table

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
        "timeline.held_moved_ahead",
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


def parse_action_texts(source: str) -> ActionTexts:
    """The labels from the file's text; every text of ``KEYS`` needs both languages."""
    return ActionTexts(
        read_text_table(
            source,
            path=SOURCE,
            keys=KEYS,
            placeholders=PLACEHOLDERS,
            noun="text",
            error=ActionTextsError,
        )
    )


@functools.cache
def action_texts() -> ActionTexts:
    """The packaged labels, read once per process."""
    return parse_action_texts(
        files("strategy.tas").joinpath("action_texts.toml").read_text(encoding="utf-8")
    )
