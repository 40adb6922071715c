"""History types: the changes between two instants or stage gates and the win-likelihood
trend, presenting what ``resolvers.history`` found for the opportunity's fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from domain.model import NodeKind
from domain.text import Text
from domain.vocabulary import Stage
from resolvers.history import Changes, PointPeople, mover_points
from schema import enums
from schema.convert import node_attributes
from schema.nodes import Ctx, KeyPerson, context
from schema.scalars import instant
from strategy.changes import ChainChange as ChangeData
from strategy.changes import ChangeKind as ChangeKindValue

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
    at: datetime | None = strawberry.field(
        default=None,
        description="When it happened, for a step of the process (an approval requested or"
        " decided, the delivery review, the quote submitted, a stage move); null for a"
        " difference between the two ends",
    )


@strawberry.type(description="One of the four questions (0-100) before and after")
class QuestionMove:
    question: str = strawberry.field(description="is_real, can_compete, can_win or worth_it")
    before: int
    after: int


def _person(node: dict[str, Any] | None) -> KeyPerson | None:
    if node is None:
        return None
    return KeyPerson(**node_attributes(NodeKind.KEY_PERSON, node), employment={})


def _change(node: dict[str, Any] | None, locale: str, change: ChangeData) -> ChainChange:
    return ChainChange(
        kind=change.kind,
        person=_person(node),
        before=change.before,
        after=change.after,
        text=Text(change.text_en, change.text_zh).in_(locale),
        at=instant(change.at) if change.at is not None else None,
    )


@strawberry.type(description="The win likelihood right after a change or a stage move")
class LikelihoodPoint:
    """Presents a ``resolvers.history.PointPeople``."""

    @strawberry.field
    def at(self, root: strawberry.Parent[PointPeople]) -> datetime:
        return instant(root.point.at)

    @strawberry.field
    def win_likelihood(self, root: strawberry.Parent[PointPeople]) -> float:
        return root.point.likelihood

    @strawberry.field(description="Change from the previous point")
    def delta(self, root: strawberry.Parent[PointPeople]) -> float:
        return root.point.delta

    @strawberry.field
    def stage(self, root: strawberry.Parent[PointPeople]) -> enums.Stage:
        return Stage(root.point.stage)

    @strawberry.field(description="True where the stage moved")
    def stage_transition(self, root: strawberry.Parent[PointPeople]) -> bool:
        return root.point.stage_transition

    @strawberry.field(description="What changed in the chain at this point")
    def changes(self, root: strawberry.Parent[PointPeople], info: Ctx) -> list[ChainChange]:
        locale = context(info).locale
        return [
            _change(node, locale, c)
            for node, c in zip(root.people, root.point.changes, strict=True)
        ]


@strawberry.type(description="What changed in a decision chain between two instants")
class ChainChanges:
    """Presents a ``resolvers.history.Changes``."""

    @strawberry.field(name="from")
    def from_(self, root: strawberry.Parent[Changes]) -> datetime:
        return instant(root.start)

    @strawberry.field
    def to(self, root: strawberry.Parent[Changes]) -> datetime:
        return instant(root.end)

    @strawberry.field
    def changes(self, root: strawberry.Parent[Changes], info: Ctx) -> list[ChainChange]:
        locale = context(info).locale
        return [_change(root.person_node(c), locale, c) for c in root.diff.changes]

    @strawberry.field
    def questions(self, root: strawberry.Parent[Changes]) -> list[QuestionMove]:
        return [
            QuestionMove(question=q.question, before=q.before, after=q.after)
            for q in root.diff.questions
        ]

    @strawberry.field
    def win_likelihood_before(self, root: strawberry.Parent[Changes]) -> float:
        return root.diff.likelihood_before

    @strawberry.field
    def win_likelihood_after(self, root: strawberry.Parent[Changes]) -> float:
        return root.diff.likelihood_after

    @strawberry.field(
        description="The changes that moved the win likelihood most, largest first",
        graphql_type=list[LikelihoodPoint],
    )
    def movers(self, root: strawberry.Parent[Changes]) -> list[PointPeople]:
        return mover_points(root)
