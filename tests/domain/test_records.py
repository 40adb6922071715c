"""The checked-in records are the ones the specs generate: a reader's key names stay checked."""

from __future__ import annotations

import difflib
from pathlib import Path

from domain import records
from domain.model import EDGE_SPECS, NODE_SPECS, SYSTEM_FIELDS, EdgeKind
from domain.record_codegen import edge_record_name, render

RECORDS_PATH = Path(records.__file__)


def test_checked_in_records_match_the_specs() -> None:
    current = render()
    stored = RECORDS_PATH.read_text(encoding="utf-8")
    if stored != current:
        diff = "".join(
            list(
                difflib.unified_diff(
                    stored.splitlines(keepends=True),
                    current.splitlines(keepends=True),
                    "domain/records.py (checked in)",
                    "domain/records.py (from the specs)",
                )
            )[:60]
        )
        raise AssertionError(
            "domain/records.py is out of date; regenerate it with `make records` and commit it."
            f"\n{diff}"
        )


def test_a_node_record_names_every_stored_property_and_the_system_keys() -> None:
    for kind, spec in NODE_SPECS.items():
        record = getattr(records, f"{kind.value}Record")
        keys = set(record.__annotations__)
        assert keys == set(SYSTEM_FIELDS) | {f.name for f in spec.all_fields}, kind
        assert set(SYSTEM_FIELDS) <= record.__required_keys__, kind
        for field in spec.all_fields:
            assert (field.name in record.__required_keys__) is field.required, field.name


def test_an_edge_record_names_every_edge_property() -> None:
    """Its time stamps, its fields, and for a place in a decision chain the count of its
    changes (what a client names to change it only as read)."""
    for kind, spec in EDGE_SPECS.items():
        record = getattr(records, edge_record_name(kind))
        counted = {"version"} if kind is EdgeKind.IN_DECISION_CHAIN else set()
        assert set(record.__annotations__) == {"created_at", "updated_at"} | counted | {
            f.name for f in spec.fields
        }, kind
        assert record.__required_keys__ == {f.name for f in spec.fields if f.required}, kind
