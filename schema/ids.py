"""Global IDs: ``base64("Type:id")`` outside, the store's own id inside."""

from __future__ import annotations

from strawberry import relay

from domain.errors import KIND_EN, KIND_ZH, bad_input
from domain.model import NodeKind


def raw_id(global_id: relay.GlobalID, kind: str, field: str) -> str:
    """The store id behind a global ID of the type ``kind`` (a ``NodeKind`` or another type
    with IDs, such as ``Violation``), refusing an ID of another type."""
    if global_id.type_name != kind:
        other = global_id.type_name
        wanted, given = (_a(KIND_EN.get(k, k)) for k in (kind, other))
        raise bad_input(
            field,
            f"must be the ID of {wanted}, not of {given}",
            f"须为{KIND_ZH.get(kind, kind)}的 ID，而不是{KIND_ZH.get(other, other)}的",
        )
    return global_id.node_id


def optional_raw_id(global_id: relay.GlobalID | None, kind: NodeKind, field: str) -> str | None:
    """Like ``raw_id`` for an optional argument."""
    return None if global_id is None else raw_id(global_id, kind, field)


def to_global(kind: NodeKind, node_id: str) -> relay.GlobalID:
    """The global ID of a store node."""
    return relay.GlobalID(type_name=kind.value, node_id=node_id)


def _a(noun: str) -> str:
    """The noun with its indefinite article, as a sentence names a kind of thing."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
