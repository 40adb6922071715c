"""The process's refusal and warning messages, read once from ``problem_texts.toml``.

Wording lives in data beside the process file, so the people who own the process review and
change it in both languages side by side; the checks only say which message and which words.
The file is validated when read: every message the checks use, in both languages, with the
same known placeholders in each.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

from domain.text import Text
from domain.vocabulary import LABELS, ApprovalState
from strategy.tas.definition import ProcessDefinition
from strategy.tas.problems import Problem
from strategy.tas.text_table import read_text_table

SOURCE = "strategy/tas/problem_texts.toml"

KEYS: Final = frozenset(
    {
        *(
            f"gate.{name}"
            for name in (
                "missing_field",
                "field_not_yes",
                "cleared_field",
                "field_set_no",
                "missing_action",
                "missing_action_parts",
                "missing_approval",
                "grade_upgrade",
                "unknown_stage",
                "same_stage",
                "back_without_reason",
                "lost_without_reason",
                "abandoned_without_reason",
                "reopened_without_reason",
                "missing_competitor",
                "unknown_competitor",
                "stage_closed",
            )
        ),
        "grade.missing_approval",
        "grade.criteria_not_met",
        *(
            f"approval.{name}"
            for name in (
                "timesheet_not_a_list",
                "timesheet_entry",
                "timesheet_no_person",
                "timesheet_not_on_team",
                "timesheet_no_team",
                "timesheet_week",
                "timesheet_hours",
                "not_text",
                "not_integer",
                "not_hours",
                "not_date",
                "date_long_ago",
                "date_far_ahead",
                "unknown_field",
                "missing_field",
                "period_reversed",
                "needs_approved_first",
                "needs_stage_first",
                "unknown_process",
                "not_on_team",
                "requester_role",
                "already_pending",
                "already_approved",
                "not_pending",
                "not_requester",
                "own_request",
                "reason_needed",
                "deal_closed",
                "deal_won",
                "approver_role",
            )
        ),
        "triangle.role_missing",
        *(
            f"quote.{name}"
            for name in (
                "no_amount",
                "no_delivery_manager",
                "review_missing",
                "reviewer_not_delivery_manager",
                "not_feasible",
                "no_workload",
                "review_stale",
                "review_void",
                "already_submitted",
                "deal_closed",
            )
        ),
        "review.deal_closed",
        "deal.decided_kept",
        "review.not_delivery_manager",
        "review.workload_not_positive",
        "review.workload_too_large",
        "review.negative_quote",
        "review.not_a_contact",
        "review.rework_done",
        "review.step_feasible",
        "review.step_not_feasible",
        "review.step_workload",
        "acting.not_linked",
        "acting.result_before_done",
        "words.not_requested",
        "words.or",
        "words.someone",
        "words.list",
    }
)
"""Every message the checks use; the file must give each one, and nothing else."""

PLACEHOLDERS: Final = frozenset(
    {
        "stage",
        "wanted",
        "field",
        "label",
        "other",
        "action",
        "code",
        "name",
        "process",
        "needed",
        "state",
        "grade",
        "criterion",
        "phase",
        "role",
        "roles",
        "user",
        "person",
        "when",
        "team",
        "days",
        "date",
        "years",
        "missing",
    }
)
"""Every word a message may leave to its check; anything else is a typo caught at load time."""

type Words = Text | str | int
"""A word filled into a message: a ``Text`` gives each language its own, the rest are shown
as they are in both."""


class ProblemTextsError(ValueError):
    """The messages file is incomplete, has an unknown message or names an unknown word."""


@dataclass(frozen=True, slots=True)
class ProblemTexts:
    """The message template of every refusal and warning of the process."""

    texts: Mapping[str, Text]

    def text(self, key: str, /, **words: Words) -> Text:
        """The message ``key`` with each language's words filled in."""
        template = self.texts[key]
        return Text(
            en=template.en.format_map({k: _word(v, "en") for k, v in words.items()}),
            zh=template.zh.format_map({k: _word(v, "zh") for k, v in words.items()}),
        )

    def problem(self, code: str, path: str, key: str, /, **words: Words) -> Problem:
        """A ``Problem`` with the stable ``code`` and ``path`` and the message ``key``."""
        text = self.text(key, **words)
        return Problem(code, path, text.zh, text.en)


def in_sentence(name: Text) -> Text:
    """A name (a label of a state, role or phase) inside a sentence: lower case in English,
    as it is in Chinese."""
    return Text(en=name.en.lower(), zh=name.zh)


def listed(parts: tuple[Text, ...]) -> Text:
    """Parts named one after the other, as each language lists them."""
    glue = problem_texts().text("words.list")
    return Text(en=glue.en.join(p.en for p in parts), zh=glue.zh.join(p.zh for p in parts))


def state_words(state: ApprovalState | None) -> Text:
    """An approval's state as a message names it ("not requested" when never requested)."""
    if state is None:
        return problem_texts().text("words.not_requested")
    return in_sentence(LABELS[state])


def process_name(definition: ProcessDefinition, code: str) -> Text:
    """A process as people know it: "TAS+code name" (the code alone when undefined)."""
    process = definition.process(code)
    if process is None:
        return Text(en=f"TAS+{code}", zh=f"TAS+{code}")
    return Text(en=f"TAS+{code} {process.name_en}", zh=f"TAS+{code} {process.name_zh}")


def _word(value: Words, language: str) -> str:
    if isinstance(value, Text):
        return value.zh if language == "zh" else value.en
    return str(value)


def parse_problem_texts(source: str) -> ProblemTexts:
    """The messages from the file's text; every message of ``KEYS`` needs both languages."""
    return ProblemTexts(
        read_text_table(
            source,
            path=SOURCE,
            keys=KEYS,
            placeholders=PLACEHOLDERS,
            noun="message",
            error=ProblemTextsError,
        )
    )


@functools.cache
def problem_texts() -> ProblemTexts:
    """The packaged messages, read once per process."""
    return parse_problem_texts(
        files("strategy.tas").joinpath("problem_texts.toml").read_text(encoding="utf-8")
    )
