"""The moves an opportunity's change records beside itself: of its close date and of its quote.

A forecast pushed out again and again, or an objection made to a quote since re-cut, are read
from these lists; they are written in the change's own statement (guarded by its version, so no
move is lost or counted twice) and left out of its audit entry, which has the change's before
and after already. Replaying the history derives them the same way, so a chain as of an instant
holds the moves made up to it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

CLOSE_DATE_MOVES_KEPT: Final = 20
QUOTE_MOVES_KEPT: Final = 20


def _added(current: Mapping[str, Any], field: str, move: list[Any], kept: int) -> str:
    moves = json.loads(current.get(field) or "[]")
    moves.append(move)
    return json.dumps(moves[-kept:])


def opportunity_moves(
    current: Mapping[str, Any], changed: Mapping[str, Any], now: int
) -> dict[str, Any]:
    """The stored fields to write beside a change of an opportunity (none when it moves
    nothing): ``close_date_moves`` with ``[before, after, stage, at]`` added when the close
    date changes (set, cleared or moved; a date cleared and set again later is a move from the
    one cleared), ``quote_moves`` with ``[before, after, at]`` added when the quote amount
    does, the newest of each kept."""
    written: dict[str, Any] = {}
    if "expected_close_date" in changed:
        before, after = current.get("expected_close_date"), changed["expected_close_date"]
        if before != after:
            move = [before, after, current.get("stage"), now]
            written["close_date_moves"] = _added(
                current, "close_date_moves", move, CLOSE_DATE_MOVES_KEPT
            )
    if "quote_amount" in changed:
        before, after = current.get("quote_amount"), changed["quote_amount"]
        if before != after:
            written["quote_moves"] = _added(
                current, "quote_moves", [before, after, now], QUOTE_MOVES_KEPT
            )
    return written
