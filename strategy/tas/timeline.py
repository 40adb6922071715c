"""Time in the process: only what has happened counts.

A planned (future) activity may be recorded, but until its time has come it has no result,
satisfies no required action and is no contact with the customer; a result given for it is
refused, because nobody can know yet how it went.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Final

from domain.chain import ActivityFacts, ChainSnapshot
from strategy.tas.action_texts import RESULT_FIELD_NAMES, action_texts
from strategy.tas.problems import Problem

RESULT_FIELDS: Final = RESULT_FIELD_NAMES
"""The fields of an activity that describe how it went (labels in ``action_texts.toml``)."""


def happened(activities: Iterable[ActivityFacts], now_ms: int) -> tuple[ActivityFacts, ...]:
    """The activities whose time has come by ``now_ms`` (planned ones are left out)."""
    return tuple(a for a in activities if a.occurred_at <= now_ms)


def planned(activities: Iterable[ActivityFacts], now_ms: int) -> tuple[ActivityFacts, ...]:
    """The activities still to come after ``now_ms``."""
    return tuple(a for a in activities if a.occurred_at > now_ms)


def as_of(snapshot: ChainSnapshot, now_ms: int) -> ChainSnapshot:
    """The snapshot as the rules may read it at ``now_ms``: without planned activities."""
    past = happened(snapshot.activities, now_ms)
    if len(past) == len(snapshot.activities):
        return snapshot
    return replace(snapshot, activities=past)


def future_result_problems(occurred_at_ms: int, now_ms: int, given: Iterable[str]) -> list[Problem]:
    """One problem per result field given (``given`` names them) for an activity still to come.

    The path of each problem is the result field itself, so the caller can name the input
    field that carries it.
    """
    if occurred_at_ms <= now_ms:
        return []
    texts = action_texts()
    problems: list[Problem] = []
    for name in given:
        text = texts.message("timeline.result_of_future_activity", field=texts.result_field(name))
        problems.append(Problem("RESULT_OF_FUTURE_ACTIVITY", name, text.zh, text.en))
    return problems


def moved_ahead_problems(
    occurred_at_ms: int, now_ms: int, recorded: Iterable[str]
) -> list[Problem]:
    """A contact whose result is recorded (``recorded`` names the result fields that stay)
    moved to a time still to come: one problem, on its time, naming the first of them."""
    names = list(recorded)
    if occurred_at_ms <= now_ms or not names:
        return []
    texts = action_texts()
    text = texts.message("timeline.held_moved_ahead", field=texts.result_field(names[0]))
    return [Problem("RESULT_OF_FUTURE_ACTIVITY", "occurred_at", text.zh, text.en)]
