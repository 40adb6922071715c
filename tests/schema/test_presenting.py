"""Presenting types read strategy results by their table: plain fields as they are, texts in the
request's language, ids as the request's API objects (made once), nested results by their own
type, items naming someone unknown left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
import strawberry

from schema.nodes import Competitor, KeyPerson, TeamMember
from schema.presenting import Presenter, Ref, Via, present, present_all, presents, shown


class Tie(NamedTuple):
    person_id: str
    competitor_ids: tuple[str, ...]
    weight: float
    text_en: str
    text_zh: str
    note_en: str | None
    note_zh: str | None


@dataclass(frozen=True)
class Board:
    ties: tuple[Tie, ...]
    lead_id: str | None
    owner_member_id: str | None
    title_en: str
    title_zh: str
    scores: dict[str, int]


@presents(Tie)
@strawberry.type
class TieType:
    person: KeyPerson
    competitors: list[Competitor]
    weight: float
    text: str
    note: str | None


@presents(
    Board,
    lead=Ref("lead_id"),
    owner=Ref("owner_member_id"),
    total=Via(lambda board, _: sum(board.scores.values())),
)
@strawberry.type
class BoardType:
    ties: list[TieType]
    lead: KeyPerson | None
    owner: TeamMember | None
    title: str
    total: int


def presenter(locale: str = "en") -> Presenter:
    def nodes(*ids: str) -> dict[str, dict[str, Any]]:
        return {i: {"id": i, "name": i.upper()} for i in ids}

    return Presenter(locale, nodes("p1", "p2"), nodes("c1"), nodes("m1"))


def tie(person: str, *competitors: str, note: str | None = None) -> Tie:
    return Tie(person, competitors, 0.5, "close", "紧密", note, note and f"{note}（中）")


BOARD = Board(
    ties=(tie("p1", "c1", "c9", note="ok"), tie("p9"), tie("p2")),
    lead_id="p1",
    owner_member_id="m9",
    title_en="Board",
    title_zh="董事会",
    scores={"a": 2, "b": 3},
)


def test_fields_read_from_the_result_by_the_table() -> None:
    board = shown(BoardType, BOARD, presenter())
    assert isinstance(board, BoardType)
    assert board.title == "Board"
    assert board.total == 5
    assert board.lead is not None
    assert board.lead.name == "P1"
    assert board.owner is None  # an unknown team member is null where the field allows it
    first = board.ties[0]
    assert (first.weight, first.text, first.note) == (0.5, "close", "ok")
    assert [c.name for c in first.competitors] == ["C1"]  # the unknown competitor left out


def test_texts_in_the_requests_language_and_empty_ones_null() -> None:
    board = shown(BoardType, BOARD, presenter("zh-CN"))
    assert board.title == "董事会"
    assert [(t.text, t.note) for t in board.ties] == [("紧密", "ok（中）"), ("紧密", None)]


def test_an_item_naming_an_unknown_person_is_left_out() -> None:
    by = presenter()
    assert [t.person.name for t in shown(BoardType, BOARD, by).ties] == ["P1", "P2"]
    assert present(TieType, tie("p9"), by) is None
    assert len(present_all(TieType, [tie("p9"), tie("p1")], by)) == 1


def test_each_person_is_made_once_per_presenter() -> None:
    by = presenter()
    board = shown(BoardType, BOARD, by)
    assert board.lead is board.ties[0].person
    assert board.lead is not shown(BoardType, BOARD, presenter()).lead


def test_a_field_the_table_cannot_read_is_refused_when_declared() -> None:
    @dataclass(frozen=True)
    class Data:
        value: int

    with pytest.raises(TypeError, match="missing"):

        @presents(Data)
        @strawberry.type
        class Missing:
            missing: int

    with pytest.raises(TypeError, match="extra"):

        @presents(Data, extra=Via(lambda data, _: data.value))
        @strawberry.type
        class Extra:
            value: int
