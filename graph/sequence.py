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
class Written:
    """One audited write after the asked number: its number and the ids of what it touched
    (empty: unknown, so anything)."""

    seq: int
    subjects: frozenset[str]


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
    writes = tuple(
        sorted(
            (
                Written(
                    int(row["seq"]),
                    frozenset(str(row["subjects"] or "").split()) | frozenset(row["reach"] or ()),
                )
                for row in rows
                if row["seq"] is not None
            ),
            key=lambda w: w.seq,
        )
    )
    mark = SequenceMark.of(rows[0] if rows else {})
    return WrittenSince(mark.epoch, mark.now, mark.bulk, writes, len(writes) < limit)
