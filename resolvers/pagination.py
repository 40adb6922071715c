"""Cursor pagination over store lists: validated page requests and opaque keyset cursors.

Cursors encode (list, order, sort key, id) so a page starts exactly after the last item seen,
even when items are added or removed between requests, and a cursor is only taken by the list
and order it was made for.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import bad_input
from domain.text import Text

MAX_PAGE = 100
DEFAULT_PAGE = 20

MESSAGES: dict[str, Text] = {
    "both": Text(
        "use either first/after or last/before, not both",
        "first/after 与 last/before 只能二选一",
    ),
    "not_cursor": Text("is not a cursor returned by this list", "不是本列表返回的游标"),
    "other_list": Text(
        "is a cursor of another list or of this list in another order or direction; "
        "ask for the first page again in this order",
        "是另一个列表（或本列表另一种排序、方向）的游标；请按当前排序从第一页重新查询",
    ),
}
"""Refusals in English and zh-CN: the request's language picks one."""


def _refused(argument: str, key: str) -> Exception:
    return bad_input(argument, MESSAGES[key].en, MESSAGES[key].zh)


def require_between(argument: str, value: int, low: int, high: int) -> None:
    """Refuse a count or limit outside ``low``..``high`` (both allowed), on its argument."""
    if not low <= value <= high:
        raise bad_input(argument, f"must be between {low} and {high}", f"须在 {low} 到 {high} 之间")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A validated request for one page: forwards (first/after) or backwards (last/before).

    ``made_for`` names the list, its order and direction; the page's cursors carry it, and a
    cursor made for anything else is refused instead of silently giving an empty page.
    """

    limit: int
    backwards: bool
    cursor: tuple[Any, str] | None
    made_for: str = ""


@dataclass(frozen=True, slots=True)
class PageResult:
    """A page of plain items with what PageInfo needs."""

    items: list[dict[str, Any]]
    cursors: list[str]
    total: int
    has_next: bool
    has_previous: bool


def list_tag(list_name: str, sort: str, descending: bool) -> str:
    """What a cursor is made for: one list in one order and direction."""
    return f"{list_name}:{sort}:{'DESC' if descending else 'ASC'}"


def encode_cursor(made_for: str, key: object, node_id: str) -> str:
    """An opaque cursor for (sort key, id) in the list ``made_for``."""
    raw = json.dumps([made_for, key, node_id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _number(value: object) -> bool:
    """A number as a decoded cursor holds one (true and false are none)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def decode_cursor(
    cursor: str, argument: str, made_for: str = "", key_like: object = None
) -> tuple[Any, str]:
    """Decode a cursor of the list ``made_for`` or refuse it as bad input naming the argument.
    With ``key_like`` (a key of the list's order), a cursor keyed by text where the order is by
    number or the other way round is refused too: it was made for the order as it once was (the
    stages from A to Z) and would page on from nowhere."""
    try:
        tag, key, node_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise _refused(argument, "not_cursor") from None
    if not isinstance(tag, str) or not isinstance(node_id, str) or isinstance(key, dict | list):
        raise _refused(argument, "not_cursor")
    if tag != made_for:
        raise _refused(argument, "other_list")
    if key_like is not None and (
        _number(key) != _number(key_like) or not (_number(key) or isinstance(key, str))
    ):
        raise _refused(argument, "other_list")
    return key, node_id


def page_request(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    made_for: str = "",
    key_like: object = None,
) -> PageRequest:
    """Check the four Relay arguments: one direction at a time, at most 100 items, cursors
    made for this list (``made_for``, see ``list_tag``) keyed as its order is (``key_like``)."""
    if first is not None and last is not None:
        raise _refused("last", "both")
    if before is not None and after is not None:
        raise _refused("before", "both")
    for name, value in (("first", first), ("last", last)):
        if value is not None:
            require_between(name, value, 0, MAX_PAGE)
    if last is not None or before is not None:
        limit = last if last is not None else DEFAULT_PAGE
        cursor = decode_cursor(before, "before", made_for, key_like) if before else None
        return PageRequest(limit=limit, backwards=True, cursor=cursor, made_for=made_for)
    limit = first if first is not None else DEFAULT_PAGE
    cursor = decode_cursor(after, "after", made_for, key_like) if after else None
    return PageRequest(limit=limit, backwards=False, cursor=cursor, made_for=made_for)


def paginate(
    request: PageRequest,
    fetch: Callable[[bool, tuple[Any, str] | None, int], tuple[Sequence[dict[str, Any]], int]],
    key_of: Callable[[dict[str, Any]], object],
) -> PageResult:
    """Fetch one more item than asked to learn whether another page follows.

    ``fetch(descending, after, limit)`` returns items and the total; backwards pages are read
    in reverse order and turned around.
    """
    items, total = fetch(request.backwards, request.cursor, request.limit + 1)
    items = list(items)
    more = len(items) > request.limit
    items = items[: request.limit]
    if request.backwards:
        items.reverse()
    cursors = [encode_cursor(request.made_for, key_of(item), str(item["id"])) for item in items]
    has_next = more if not request.backwards else request.cursor is not None
    has_previous = more if request.backwards else request.cursor is not None
    return PageResult(items, cursors, total, has_next, has_previous)


def paginate_in_memory(
    request: PageRequest,
    items: Sequence[dict[str, Any]],
    key_of: Callable[[dict[str, Any]], Any],
    descending: bool = False,
) -> PageResult:
    """The same contract over a list already loaded (nested connections, batched by loader)."""
    ordered = sorted(items, key=lambda item: (key_of(item), str(item["id"])), reverse=descending)

    def fetch(
        backwards: bool, after: tuple[Any, str] | None, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        seq = list(reversed(ordered)) if backwards else ordered
        if after is not None:
            mark = (after[0], after[1])
            if backwards != descending:
                seq = [i for i in seq if (key_of(i), str(i["id"])) < mark]
            else:
                seq = [i for i in seq if (key_of(i), str(i["id"])) > mark]
        return seq[:limit], len(ordered)

    return paginate(request, fetch, key_of)
