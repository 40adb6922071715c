"""History types and resolvers: the chain, assessment and org chart as of an instant, the
changes between two instants or stage gates, and the win-likelihood trend."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from datetime import datetime
from typing import Any

import strawberry

from domain.errors import DomainError, FieldProblem
from domain.vocabulary import Stage
from resolvers import history as glue
from schema import enums
from schema.nodes import Ctx, KeyPerson, context
from schema.scalars import to_datetime, to_epoch_ms
from strategy.changes import ChainChange as ChangeData
from strategy.changes import ChangeKind as ChangeKindValue
from strategy.changes import TrendPoint

ChainChangeKind = strawberry.enum(
    ChangeKindValue, name="ChainChangeKind", description="What kind of change in a decision chain"
)


@strawberry.type(description="One change in a decision chain, said in the request's language")
class ChainChange:
    kind: ChainChangeKind  # type: ignore[valid-type]
    person: KeyPerson | None = strawberry.field(description="The person it concerns, if any")
    before: str | None = strawberry.field(description="The value before (an enum value or score)")
    after: str | None = strawberry.field(description="The value after")
    text: str


@strawberry.type(description="One of the four questions (0-100) before and after")
class QuestionMove:
    question: str = strawberry.field(description="is_real, can_compete, can_win or worth_it")
    before: int
    after: int


@strawberry.type(description="The win likelihood right after a change or a stage move")
class LikelihoodPoint:
    at: datetime
    win_likelihood: float
    delta: float = strawberry.field(description="Change from the previous point")
    stage: enums.Stage
    stage_transition: bool = strawberry.field(description="True where the stage moved")
    changes: list[ChainChange] = strawberry.field(
        description="What changed in the chain at this point"
    )


@strawberry.type(description="What changed in a decision chain between two instants")
class ChainChanges:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    changes: list[ChainChange]
    questions: list[QuestionMove]
    win_likelihood_before: float
    win_likelihood_after: float
    movers: list[LikelihoodPoint] = strawberry.field(
        description="The changes that moved the win likelihood most, largest first"
    )


def _person(node: dict[str, Any] | None) -> KeyPerson | None:
    if node is None:
        return None
    return dataclasses.replace(KeyPerson.from_node(node), employment={})


def _text(locale: str, change: ChangeData) -> str:
    return change.text_zh if locale.lower().startswith("zh") else change.text_en


def _change(found: glue.Changes | None, locale: str, change: ChangeData) -> ChainChange:
    node = found.person_node(change) if found is not None else None
    return ChainChange(
        kind=change.kind,
        person=_person(node),
        before=change.before,
        after=change.after,
        text=_text(locale, change),
    )


def _point(found: glue.Changes | None, locale: str, point: TrendPoint) -> LikelihoodPoint:
    return LikelihoodPoint(
        at=to_datetime(point.at) or datetime.min,
        win_likelihood=point.likelihood,
        delta=point.delta,
        stage=Stage(point.stage),
        stage_transition=point.stage_transition,
        changes=[_change(found, locale, c) for c in point.changes],
    )


def _changes(found: glue.Changes, locale: str) -> ChainChanges:
    diff = found.diff
    return ChainChanges(
        from_=to_datetime(found.start) or datetime.min,
        to=to_datetime(found.end) or datetime.min,
        changes=[_change(found, locale, c) for c in diff.changes],
        questions=[
            QuestionMove(question=q.question, before=q.before, after=q.after)
            for q in diff.questions
        ],
        win_likelihood_before=diff.likelihood_before,
        win_likelihood_after=diff.likelihood_after,
        movers=[_point(found, locale, p) for p in diff.movers],
    )


async def _in_locale[T](locale: str, answer: Awaitable[T]) -> T:
    """A history answer whose refusals (an unknown stage gate, ``to`` before ``from``, a
    threshold out of range) speak the request's language: they are top-level errors of read
    fields, and the English-only wording would reach Chinese users as is."""
    try:
        return await answer
    except DomainError as error:
        raise DomainError(
            [FieldProblem(p.field, p.text(locale), p.code, p.message_zh) for p in error.problems]
        ) from None


async def opportunity_changes(
    info: Ctx, opportunity_id: str, start: datetime, end: datetime | None, threshold: int
) -> ChainChanges | None:
    """``Opportunity.changes``."""
    ctx = context(info)
    found = await _in_locale(
        ctx.locale,
        glue.changes(
            ctx,
            opportunity_id,
            to_epoch_ms(start),
            None if end is None else to_epoch_ms(end),
            threshold,
        ),
    )
    return _changes(found, ctx.locale) if found is not None else None


async def opportunity_changes_between_stages(
    info: Ctx, opportunity_id: str, start: Stage, end: Stage, threshold: int
) -> ChainChanges | None:
    """``Opportunity.changesBetweenStages``."""
    ctx = context(info)
    found = await _in_locale(
        ctx.locale, glue.changes_between_stages(ctx, opportunity_id, start, end, threshold)
    )
    return _changes(found, ctx.locale) if found is not None else None


async def opportunity_likelihood_history(
    info: Ctx, opportunity_id: str, start: datetime | None, end: datetime | None
) -> list[LikelihoodPoint]:
    """``Opportunity.likelihoodHistory``."""
    ctx = context(info)
    trend = await _in_locale(
        ctx.locale,
        glue.likelihood_history(
            ctx,
            opportunity_id,
            None if start is None else to_epoch_ms(start),
            None if end is None else to_epoch_ms(end),
        ),
    )
    seen: dict[str, dict[str, Any]] = {}
    points = []
    for point in trend.points:
        seen.update(trend.chains[point.at].persons)
        converted = _point(None, ctx.locale, point)
        for api, data in zip(converted.changes, point.changes, strict=True):
            api.person = _person(seen.get(data.person_id or ""))
        points.append(converted)
    return points
