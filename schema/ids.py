"""Global IDs: ``base64("Type:id")`` outside, the store's own id inside."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from domain.errors import KIND_EN, KIND_ZH, bad_input
from domain.model import NodeKind

GivenID = strawberry.ID
"""An ID field of a mutation input as the client sent it (``ID`` in the schema, like a
``relay.GlobalID``): ``raw_id`` decodes it, so an ID that is none of this API's is a userError
on that field rather than a failure of the whole request."""


def raw_id(global_id: relay.GlobalID | str, kind: str, field: str) -> str:
    """The store id behind a global ID of the type ``kind`` (a ``NodeKind`` or another type
    with IDs, such as ``Violation``), refusing an ID of another type, or (as sent, a
    ``GivenID``) no ID of this API at all."""
    if not isinstance(global_id, relay.GlobalID):
        global_id = _decoded(global_id, kind, field)
    if global_id.type_name != kind:
        other = global_id.type_name
        wanted, given = (_a(KIND_EN.get(k, k)) for k in (kind, other))
        raise bad_input(
            field,
            f"must be the ID of {wanted}, not of {given}",
            f"须为{KIND_ZH.get(kind, kind)}的 ID，而不是{KIND_ZH.get(other, other)}的",
        )
    return global_id.node_id


def raw_ids(global_ids: Sequence[relay.GlobalID | str], kind: str, field: str) -> list[str]:
    """``raw_id`` of each item of a list, a refusal on the item's position (``personIds.2``)."""
    return [raw_id(g, kind, f"{field}.{n}") for n, g in enumerate(global_ids)]


def _decoded(given: str, kind: str, field: str) -> relay.GlobalID:
    try:
        decoded = relay.GlobalID.from_id(given)
        if "\x00" in decoded.node_id:  # names nothing stored, and no store takes it
            raise GlobalIDValueError(given)
        return decoded
    except GlobalIDValueError:
        raise bad_input(
            field,
            f"must be the ID of {_a(KIND_EN.get(kind, kind))}; this is no ID of this API",
            f"须为{KIND_ZH.get(kind, kind)}的 ID，这不是本 API 的 ID",
        ) from None


def type_of(given: relay.GlobalID | str) -> str | None:
    """The type a global ID names (None for no ID of this API), for a field that takes IDs of
    more than one type; ``raw_id`` then decodes it on that field."""
    if isinstance(given, relay.GlobalID):
        return given.type_name
    try:
        return relay.GlobalID.from_id(given).type_name
    except GlobalIDValueError:
        return None


def optional_raw_id(
    global_id: relay.GlobalID | str | None, kind: NodeKind, field: str
) -> str | None:
    """Like ``raw_id`` for an optional argument."""
    return None if global_id is None else raw_id(global_id, kind, field)


def to_global(kind: NodeKind, node_id: str) -> relay.GlobalID:
    """The global ID of a store node."""
    return relay.GlobalID(type_name=kind.value, node_id=node_id)


def _a(noun: str) -> str:
    """The noun with its indefinite article, as a sentence names a kind of thing."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
