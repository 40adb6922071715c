"""Store-level bulk transfer: batched import (``UNWIND $rows``) and keyset-paged export.

These functions know nothing of files. Each import call sends one statement per batch of
rows (nodes are merged by ``id``, edges by their two end nodes, so running an import twice
changes nothing); each export call pages through one label or edge kind by the ``id`` of the
node (or source node), so every page is one consistent read. All Cypher lives in
``graph.statements``; the checks of single records against the model live here so that the
file importer and any other bulk loader share them.

Every label and relationship type the store writes is carried: the domain graph (``NodeKind``,
``EdgeKind``) and the system records (``RecordKind``, ``RecordEdgeKind``: audit entries, stage
transitions, delivery reviews, violations, users, API tokens and their relationships).
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

from domain.errors import DomainError, ErrorCode, FieldProblem
from domain.model import (
    EDGE_SPECS,
    NODE_SPECS,
    RECORD_EDGE_SPECS,
    RECORD_SPECS,
    EdgeKind,
    EdgeSpec,
    FieldSpec,
    FieldType,
    Label,
    NodeKind,
    RecordEdgeSpec,
    RecordKind,
    RelType,
    all_labels,
)
from domain.validation import REQUIRED_ZH, check_id, check_value
from graph import statements as st
from graph.executor import StoreError
from graph.statements import AUDIT_LABEL, TransferKey
from graph.store import GraphStore

BATCH_SIZE: Final = 5000
"""Rows per import statement and per export page."""
IN_FLIGHT: Final = 2
"""Import batches handed to the sender before waiting for the oldest one."""
SENDERS: Final = 1
"""Threads sending import statements. One keeps the client on one connection: the embedded
back end only stops its server on close when a single connection is open, and a second sender
(about twice the rate, the server and the client then work in parallel) would leave it
running."""

Row = dict[str, Any]
OnBatch = Callable[[int], None]

_TIMESTAMP = FieldType.TIMESTAMP
NODE_SYSTEM_FIELDS: Final = (
    FieldSpec("version", FieldType.INT, required=True, minimum=1),
    FieldSpec("created_at", _TIMESTAMP, required=True),
    FieldSpec("updated_at", _TIMESTAMP, required=True),
)
EDGE_SYSTEM_FIELDS: Final = (
    FieldSpec("created_at", _TIMESTAMP),
    FieldSpec("updated_at", _TIMESTAMP),
    FieldSpec("version", FieldType.INT, minimum=0),  # a place in a decision chain counts them
)

LABELS: Final[tuple[Label, ...]] = tuple(
    k for k in all_labels() if k is not RecordKind.AUDIT_SEQUENCE
)
"""Every node label the store writes, in export order (domain kinds, then system records),
but the audit sequence: it numbers this store's audit entries, and a file's numbers are not
this store's (entries are exported and imported without theirs)."""
_STORE_NUMBERING: Final = "seq"
EDGE_KEYS: Final[tuple[TransferKey, ...]] = tuple(st.IMPORT_EDGES)
"""Every (relationship, source label, target label) the model allows, in a stable order."""


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    """One edge as exported: its kind, end-node labels and ids, and its properties."""

    rel: RelType
    from_label: Label
    from_id: str
    to_label: Label
    to_id: str
    props: Row

    @property
    def key(self) -> TransferKey:
        """The (relationship, source label, target label) group of this edge."""
        return (self.rel, self.from_label, self.to_label)


_LABEL_NAMES: Final[dict[str, Label]] = {
    **{k.value: k for k in RecordKind if k is not RecordKind.AUDIT_SEQUENCE},
    **{k.value: k for k in NodeKind},
}


def label_of(name: object) -> Label | None:
    """The model's label of this name (a domain kind or a system record), or None."""
    return _LABEL_NAMES.get(name) if isinstance(name, str) else None


def edge_spec(rel: RelType) -> EdgeSpec | RecordEdgeSpec:
    """The model's spec of a relationship type."""
    if isinstance(rel, EdgeKind):
        return EDGE_SPECS[rel]
    return RECORD_EDGE_SPECS[rel]


# --- checks of single records against the model ------------------------------------------------


Table = tuple[dict[str, FieldSpec], tuple[str, ...]]
"""A kind's fields by name, and the names of the required ones."""


def _table(fields: tuple[FieldSpec, ...]) -> Table:
    return {f.name: f for f in fields}, tuple(f.name for f in fields if f.required)


@functools.cache
def _node_table(kind: Label) -> Table:
    if isinstance(kind, NodeKind):
        return _table(NODE_SYSTEM_FIELDS + NODE_SPECS[kind].all_fields)
    return _table(RECORD_SPECS[kind].fields)


@functools.cache
def _edge_table(rel: RelType) -> Table:
    if isinstance(rel, EdgeKind):
        return _table(EDGE_SYSTEM_FIELDS + EDGE_SPECS[rel].fields)
    return _table(RECORD_EDGE_SPECS[rel].fields)


def _checked(table: Table, props: Mapping[str, Any]) -> Row:
    """Validate present values (dropping nulls) and demand every required field.

    The same rules as ``validate_props(partial=True)`` with the field table built once per
    kind: an import checks hundreds of thousands of records."""
    by_name, required = table
    problems: list[FieldProblem] = []
    clean: Row = {}
    for key, value in props.items():
        if value is None:
            continue
        spec = by_name.get(key)
        if spec is None:
            problems.append(
                FieldProblem(
                    key,
                    "is not a field of this kind",
                    ErrorCode.BAD_USER_INPUT,
                    "不是此类对象的字段",
                )
            )
            continue
        stored, problem = check_value(spec, value, key)
        if problem is not None:
            problems.append(problem)
        else:
            clean[key] = stored
    problems += [
        FieldProblem(name, "is required", ErrorCode.BAD_USER_INPUT, REQUIRED_ZH)
        for name in required
        if name not in clean
    ]
    if problems:
        raise DomainError(problems)
    return clean


def _with_id(table: Table, props: Mapping[str, Any]) -> Row:
    rest = {k: v for k, v in props.items() if k != "id"}
    problems: list[FieldProblem] = []
    try:
        node_id = check_id(props.get("id"))
    except DomainError as error:
        problems += error.problems
        node_id = ""
    try:
        clean = _checked(table, rest)
    except DomainError as error:
        problems += error.problems
        clean = {}
    if problems:
        raise DomainError(problems)
    return {"id": node_id, **clean}


def check_node(kind: Label, props: Mapping[str, Any]) -> Row:
    """A node's stored properties as imported: its id and every property its kind declares.

    A domain node has the system fields (version, time stamps) and all its kind's fields, the
    API's and the stored-only ones; a system record has the fields of its ``RecordSpec``.
    """
    row = _with_id(_node_table(kind), props)
    if kind is RecordKind.AUDIT_ENTRY:
        row.pop(_STORE_NUMBERING, None)
    return row


def check_audit(props: Mapping[str, Any]) -> Row:
    """An audit entry's stored properties as imported."""
    return check_node(RecordKind.AUDIT_ENTRY, props)


def check_edge(rel: RelType, props: Mapping[str, Any]) -> Row:
    """An edge's stored properties as imported: its kind's fields (a domain edge also has its
    time stamps)."""
    return _checked(_edge_table(rel), props)


_EDGE_NAMES: Final[dict[tuple[str, str, str], TransferKey]] = {
    (rel.value, source.value, target.value): (rel, source, target)
    for rel, source, target in st.IMPORT_EDGES
}


def edge_key(rel: str, from_label: str, to_label: str) -> TransferKey | None:
    """The model's edge group for these names, or None when the model has no such edge."""
    return _EDGE_NAMES.get((rel, from_label, to_label))


# --- import ----------------------------------------------------------------------------------


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run_batches(
    store: GraphStore,
    statement: str,
    rows: Iterable[Row],
    batch_size: int,
    on_batch: OnBatch | None,
    what: str,
) -> int:
    """Send one statement per batch from a sender thread while the caller prepares the next.

    Reading and checking rows (the caller) overlaps with sending them. Every batch has
    finished (or failed) when this returns, so a later call (edges) never overtakes an
    earlier one (nodes).
    """

    def send(batch: list[Row]) -> int:
        result = store.write(statement, {"rows": batch})
        written = int(result[0]["count"]) if result else 0
        if written != len(batch):
            raise StoreError(
                f"{what}: {len(batch) - written} of {len(batch)} rows were not written "
                "(an end node is missing)"
            )
        return written

    total = 0
    pending: deque[Future[int]] = deque()

    def collect(future: Future[int]) -> None:
        nonlocal total
        written = future.result()
        total += written
        if on_batch is not None:
            on_batch(written)

    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="import") as pool:
        try:
            for batch in _batches(rows, batch_size):
                pending.append(pool.submit(send, batch))
                if len(pending) >= IN_FLIGHT:
                    collect(pending.popleft())
            while pending:
                collect(pending.popleft())
        finally:
            for future in pending:
                future.cancel()
    return total


def import_nodes(
    store: GraphStore,
    kind: Label,
    rows: Iterable[Row],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: OnBatch | None = None,
) -> int:
    """Merge nodes of one kind by id, replacing their properties; rows are checked already."""
    return _run_batches(store, st.IMPORT_NODES[kind], rows, batch_size, on_batch, kind.value)


def import_audit(
    store: GraphStore,
    rows: Iterable[Row],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: OnBatch | None = None,
) -> int:
    """Merge audit entries by id."""
    return _run_batches(store, st.IMPORT_AUDIT, rows, batch_size, on_batch, AUDIT_LABEL)


def import_edges(
    store: GraphStore,
    key: TransferKey,
    rows: Iterable[Row],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: OnBatch | None = None,
) -> int:
    """Merge edges of one group; rows are ``{"from_id", "to_id", "props"}``.

    Both end nodes must exist. A kind a source may have only once (``WORKS_AT``…) is
    re-pointed: the source's other edge of that kind is removed.
    """
    name = f"{key[0].value} {key[1].value}->{key[2].value}"
    return _run_batches(store, st.IMPORT_EDGES[key], rows, batch_size, on_batch, name)


Job = tuple[str, list[Row], str]
"""One import statement to send: the statement, its rows and what they are (for errors)."""


def send_jobs(store: GraphStore, jobs: Iterable[Job], on_batch: OnBatch | None = None) -> int:
    """Send statements from a sender thread while the caller prepares the next ones.

    Every job has finished (or failed) when this returns, so a later call (edges) never
    overtakes an earlier one (nodes). Returns the rows written.
    """

    def send(job: Job) -> int:
        statement, rows, what = job
        result = store.write(statement, {"rows": rows})
        written = int(result[0]["count"]) if result else 0
        if written != len(rows):
            raise StoreError(
                f"{what}: {len(rows) - written} of {len(rows)} rows were not written "
                "(an end node is missing)"
            )
        return written

    total = 0
    pending: deque[Future[int]] = deque()

    def collect(future: Future[int]) -> None:
        nonlocal total
        written = future.result()
        total += written
        if on_batch is not None:
            on_batch(written)

    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="import") as pool:
        try:
            for job in jobs:
                if job[1]:
                    pending.append(pool.submit(send, job))
                if len(pending) >= IN_FLIGHT:
                    collect(pending.popleft())
            while pending:
                collect(pending.popleft())
        finally:
            for future in pending:
                future.cancel()
    return total


def node_jobs(kind: Label, rows: list[Row], new_ids: Set[str]) -> list[Job]:
    """Statements for one batch of checked nodes: CREATE for ids the store does not hold,
    MERGE by id for the others."""
    fresh = [row for row in rows if row["id"] in new_ids]
    known = [row for row in rows if row["id"] not in new_ids] if len(fresh) < len(rows) else []
    return [
        (st.IMPORT_CREATE_NODES[kind], fresh, kind.value),
        (st.IMPORT_NODES[kind], known, kind.value),
    ]


def edge_jobs(key: TransferKey, rows: list[Row], fresh: Callable[[Row], bool]) -> list[Job]:
    """Statements for one batch of checked edges: CREATE where ``fresh`` (no such edge can
    exist: both ends are new and the file has it once), MERGE for the others."""
    name = f"{key[0].value} {key[1].value}->{key[2].value}"
    created = [row for row in rows if fresh(row)]
    merged = [row for row in rows if not fresh(row)] if len(created) < len(rows) else []
    return [(st.IMPORT_CREATE_EDGES[key], created, name), (st.IMPORT_EDGES[key], merged, name)]


def create_nodes(
    store: GraphStore,
    kind: Label,
    rows: Iterable[Row],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: OnBatch | None = None,
) -> int:
    """Create nodes of one kind without looking for existing ones: the store's bulk rate."""
    statement = st.IMPORT_CREATE_NODES[kind]
    jobs = ((statement, batch, kind.value) for batch in _batches(rows, batch_size))
    return send_jobs(store, jobs, on_batch)


def create_edges(
    store: GraphStore,
    key: TransferKey,
    rows: Iterable[Row],
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: OnBatch | None = None,
) -> int:
    """Create edges of one group between existing nodes, without looking for existing edges."""
    statement, name = st.IMPORT_CREATE_EDGES[key], key[0].value
    jobs = ((statement, batch, name) for batch in _batches(rows, batch_size))
    return send_jobs(store, jobs, on_batch)


# --- export ----------------------------------------------------------------------------------


def _pages(store: GraphStore, statement: str, page_size: int) -> Iterator[list[Row]]:
    after = ""
    while True:
        rows = store.read(statement, {"after_id": after, "limit": page_size})
        if not rows:
            return
        yield rows
        if len(rows) < page_size:
            return
        after = str(rows[-1]["cursor"])


def export_nodes(
    store: GraphStore, kind: Label, *, page_size: int = BATCH_SIZE
) -> Iterator[list[Row]]:
    """The nodes of one kind as property maps, in pages ordered by id."""
    for page in _pages(store, st.EXPORT_NODES[kind], page_size):
        yield [row["node"] for row in page]


def export_audit(store: GraphStore, *, page_size: int = BATCH_SIZE) -> Iterator[list[Row]]:
    """The audit entries as property maps, in pages ordered by id."""
    for page in _pages(store, st.EXPORT_AUDIT, page_size):
        yield [{k: v for k, v in row["node"].items() if k != _STORE_NUMBERING} for row in page]


def export_edges(
    store: GraphStore, key: TransferKey, *, page_size: int = BATCH_SIZE
) -> Iterator[list[EdgeRecord]]:
    """The edges of one group, in pages of source nodes ordered by id (pages may be empty)."""
    rel, source, target = key
    for page in _pages(store, st.EXPORT_EDGES[key], page_size):
        yield [
            EdgeRecord(rel, source, row["cursor"], target, out["to_id"], out["props"])
            for row in page
            for out in sorted(row["out"], key=lambda o: str(o["to_id"]))
        ]


def count_all(store: GraphStore) -> dict[str, int]:
    """How many nodes of each label (system records included) the store holds."""
    return {
        kind.value: int(store.read(st.EXPORT_COUNT_NODES[kind], {})[0]["count"]) for kind in LABELS
    }


def count_edges(store: GraphStore) -> dict[TransferKey, int]:
    """How many edges of each group the store holds."""
    return {key: int(store.read(st.EXPORT_COUNT_EDGES[key], {})[0]["count"]) for key in EDGE_KEYS}


def existing_ids(store: GraphStore, kind: Label, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` name existing nodes of a kind (in chunks of one batch)."""
    found: set[str] = set()
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = list(ids[start : start + BATCH_SIZE])
        found.update(row["id"] for row in store.read(st.EXISTING_IDS[kind], {"ids": chunk}))
    return found


def mark_bulk_change(store: GraphStore) -> int:
    """Tell readers of kept results that anything may have changed (an import writes without
    audit entries): moves the audit sequence and marks the move as bulk."""
    rows = store.write(st.MARK_BULK_CHANGE, {})
    return int(rows[0]["n"]) if rows else 0
