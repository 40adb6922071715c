"""The audit sequence: every audited write numbers its entry from it in its own statement, so
"what was written after number N" is one small indexed read (``resolvers.kept`` checks the
decision chains it keeps against it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph import statements as st
from graph.store import GraphStore


@dataclass(frozen=True, slots=True)
class ActivityNow:
    """An activity as it stands after a write to it: its fields, the people it was with, our
    team members who did it and the deal it was about (None: none)."""

    node: dict[str, Any]
    person_ids: tuple[str, ...]
    member_ids: tuple[str, ...]
    opportunity_id: str | None


@dataclass(frozen=True, slots=True)
class Written:
    """One audited write after the asked number: its number and the ids of what it touched
    (empty: unknown, so anything)."""

    seq: int
    subjects: frozenset[str]
    operation: str = ""
    """What the write did (``create``, ``update``, ``set_edge``, ...; empty: unknown)."""
    target: str = ""
    """The id of the node it wrote, or ``from->to`` of the edge."""
    kind: str = ""
    """The label of what it wrote (``Activity``, ``KeyPerson``, ... or an edge's type)."""
    activity: ActivityNow | None = None
    """A write to an activity: the activity as it is now (None: gone, or not an activity)."""
    customer: dict[str, Any] | None = None
    """A write to a customer: its fields as they are now (None: gone, or not a customer)."""
    member: dict[str, Any] | None = None
    """A write to our team member: their fields as they are now (None: gone, or not one)."""


@dataclass(frozen=True, slots=True)
class SequenceMark:
    """Where the audit sequence stood when a statement read it (the credentials statement
    does, so a request knows it without a round trip of its own)."""

    epoch: str
    """Which sequence this is (empty: none yet, so nothing audited was ever written); another
    one means another store's numbers."""
    now: int
    """The number of the last write (0: nothing written since the sequence began)."""
    bulk: int
    """The number of the last bulk change (an import), after which anything may differ."""

    @classmethod
    def of(cls, row: Mapping[str, Any], prefix: str = "") -> SequenceMark:
        """The mark from a row's ``epoch``, ``now`` and ``bulk`` columns (after ``prefix``);
        nulls where there is no sequence yet."""
        return cls(
            str(row.get(f"{prefix}epoch") or ""),
            int(row.get(f"{prefix}now") or 0),
            int(row.get(f"{prefix}bulk") or 0),
        )


@dataclass(frozen=True, slots=True)
class WrittenSince(SequenceMark):
    """The writes after a number, in order, and where the sequence stands."""

    writes: tuple[Written, ...]
    complete: bool
    """False when more writes followed than were asked for."""


def written_since(store: GraphStore, since: int, *, limit: int = 500) -> WrittenSince:
    """The audited writes numbered after ``since`` (at most ``limit``), in one statement."""
    rows = store.read(st.AUDIT_SINCE, {"since": since, "limit": limit})
    writes = tuple(sorted((_written(row) for row in rows if row["seq"] is not None), key=_seq))

    mark = SequenceMark.of(rows[0] if rows else {})
    return WrittenSince(mark.epoch, mark.now, mark.bulk, writes, len(writes) < limit)


def _seq(write: Written) -> int:
    return write.seq


def _written(row: Mapping[str, Any]) -> Written:
    """One row of ``AUDIT_SINCE``."""
    links = [(str(kind), str(other)) for kind, other in row["links"] or ()]
    node = row["activity"]
    activity = None
    if node:
        about = [other for kind, other in links if kind == "ABOUT"]
        activity = ActivityNow(
            dict(node),
            tuple(sorted({other for kind, other in links if kind == "WITH"})),
            tuple(sorted({str(m) for m in row["doers"] or ()})),
            about[0] if about else None,
        )
    return Written(
        int(row["seq"]),
        frozenset(str(row["subjects"] or "").split()) | {other for _, other in links},
        str(row["operation"] or ""),
        str(row["target"] or ""),
        str(row["kind"] or ""),
        activity,
        dict(row["customer"]) if row["customer"] else None,
        dict(row["member"]) if row["member"] else None,
    )
