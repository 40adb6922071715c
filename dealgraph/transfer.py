"""Export and import of the whole graph as a JSON Lines file.

The file is one header line, then one JSON object per record, then a closing line that counts
them::

    {"format": "dealgraph", "version": 2, "exported_at": 1718000000000}
    {"type": "node", "label": "Customer", "props": {"id": "c1", "name": "…", …}}
    {"type": "audit", "props": {"id": "…", "at": …, "operation": "create", …}}
    {"type": "edge", "rel": "WORKS_AT", "from_label": "KeyPerson", "from_id": "p1",
     "to_label": "Customer", "to_id": "c1", "props": {"title": "CIO", …}}
    {"type": "end", "records": 3}

The closing line is how an import tells a whole file from a copy cut short at a line's end (an
interrupted transfer, a full disk): the edges come last, so such a copy would otherwise restore
every node without the ties that give logins their tokens and activities their people. A file
of version 1 (before the closing line) is read without one.

Every label and relationship type the store writes is in the file: the domain graph and the
system records the model declares (``domain.model.RecordKind``: stage transitions, delivery
reviews, violations, users, API tokens, as ``node`` lines, and audit entries as ``audit`` lines).
Export writes nodes (label by label, ordered by id: the domain kinds, then the system records),
then audit entries, then edges grouped by (relationship, source label, target label). It
streams page by page and renames the finished file into place, so a failed export never leaves
a file that looks complete.

Import reads the file once, streaming. The checking pass parses every line (format, JSON,
labels, relationship types, field values against the model, ids, end nodes present in the
file or the store), reports every problem with its line number, and spools the checked records
in batches to a temporary folder; nothing is written unless the whole file is valid. The
writing pass then streams the spooled batches to a sender thread (the next batch is read while
the store writes the current one) as ``UNWIND`` statements: nodes, then edges. Nodes the store
does not hold, and edges between two of them that the file has once, are created (the store's
bulk rate); the others are merged by id (edges by their ends), so importing the same file twice
leaves the same graph.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO

from dealgraph.progress import Progress
from domain.errors import DomainError
from domain.model import Label, RecordKind, RelType
from graph import transfer as gt
from graph.scope import SYSTEM
from graph.statements import TransferKey
from graph.store import GraphStore

FORMAT: Final = "dealgraph"
VERSION: Final = 2
READS: Final = (1, 2)
"""The versions this dealgraph reads: 1 has no closing line, 2 ends with one."""
IMPORT_BATCH_SIZE: Final = 10_000
"""Rows per import statement: larger batches than export pages, fewer round trips."""
MAX_PROBLEMS: Final = 20
"""Problems listed before an import check stops reading."""
NODE_LABELS: Final[tuple[Label, ...]] = tuple(
    k for k in gt.LABELS if k is not RecordKind.AUDIT_ENTRY
)
"""The labels written as ``node`` lines, in file order (audit entries are ``audit`` lines)."""

Record = dict[str, Any]


class TransferError(Exception):
    """An import file is invalid; ``problems`` are ``(line number, message)`` pairs."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(
            f"  line {line}: {message}" if line else f"  {message}" for line, message in problems
        )
        more = " (first problems only)" if len(problems) >= MAX_PROBLEMS else ""
        super().__init__(f"{path}: invalid import file, nothing was written{more}\n{listed}")


# --- export ----------------------------------------------------------------------------------


def _dump(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _export_total(store: GraphStore) -> int:
    nodes = sum(gt.count_all(store).values())
    edges = sum(gt.count_edges(store).values())
    return nodes + edges


def export_graph(
    store: GraphStore,
    path: Path,
    *,
    batch_size: int = gt.BATCH_SIZE,
    stream: TextIO | None = None,
) -> int:
    """Write every node, audit entry and edge to ``path``; returns the number of records.

    Each page is one consistent read; pages are read one after another, so a graph that
    changes during the export is captured per page, not as one snapshot. Edges are read after
    all nodes; an edge whose end node was created after its node page was read is left out,
    so the file always imports into an empty store.
    """
    progress = Progress(f"exporting to {path.name}", _export_total(store), stream)
    partial = path.with_name(path.name + ".part")
    count = skipped = 0
    exported: dict[Label, set[str]] = {kind: set() for kind in NODE_LABELS}
    try:
        # readable by its owner only, like the dev token: the file holds token hashes and the
        # key persons' personal data (a ``.part`` left by an earlier run keeps its mode else)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            header = {"format": FORMAT, "version": VERSION, "exported_at": store.clock()}
            out.write(_dump(header))
            for kind in NODE_LABELS:
                for nodes in gt.export_nodes(store, kind, page_size=batch_size):
                    out.writelines(
                        _dump({"type": "node", "label": kind.value, "props": n}) for n in nodes
                    )
                    exported[kind].update(n["id"] for n in nodes)
                    count += len(nodes)
                    progress.advance(len(nodes))
            for entries in gt.export_audit(store, page_size=batch_size):
                out.writelines(_dump({"type": "audit", "props": e}) for e in entries)
                count += len(entries)
                progress.advance(len(entries))
            for key in gt.EDGE_KEYS:
                sources, targets = exported[key[1]], exported[key[2]]
                for edges in gt.export_edges(store, key, page_size=batch_size):
                    kept = [e for e in edges if e.from_id in sources and e.to_id in targets]
                    out.writelines(_dump(_edge_record(e)) for e in kept)
                    count += len(kept)
                    skipped += len(edges) - len(kept)
                    progress.advance(len(edges))
            out.write(_dump({"type": "end", "records": count}))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    progress.finish()
    if skipped:
        progress.stream.write(f"left out {skipped} edges to nodes created while the export ran\n")
    return count


def _edge_record(edge: gt.EdgeRecord) -> Record:
    return {
        "type": "edge",
        "rel": edge.rel.value,
        "from_label": edge.from_label.value,
        "from_id": edge.from_id,
        "to_label": edge.to_label.value,
        "to_id": edge.to_id,
        "props": edge.props,
    }


# --- reading and checking ----------------------------------------------------------------------


class _LineError(Exception):
    """One line's problem (internal: collected into a TransferError)."""


@dataclass(frozen=True, slots=True)
class _Node:
    label: Label  # RecordKind.AUDIT_ENTRY for an "audit" line
    props: Record


@dataclass(frozen=True, slots=True)
class _End:
    """The closing line: how many records the file holds."""

    records: int


@dataclass(frozen=True, slots=True)
class _Edge:
    key: TransferKey
    from_id: str
    to_id: str
    props: Record


def _problems_text(error: DomainError) -> str:
    return "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in error.problems)


def _props(record: Record) -> Record:
    props = record.get("props", {})
    if not isinstance(props, dict):
        raise _LineError('"props" must be an object')
    return props


def _node_kind(label: object) -> Label:
    kind = gt.label_of(label)
    if kind is None or kind is RecordKind.AUDIT_ENTRY:  # audit entries are "audit" lines
        raise _LineError(f"unknown node label {label!r}")
    return kind


def _parse(text: str) -> _Node | _Edge | _End:
    """One record line, checked against the model."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise _LineError(f"malformed JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise _LineError("a record must be a JSON object")
    kind = record.get("type")
    try:
        if kind == "node":
            label = record.get("label")
            node_kind = _node_kind(label)
            return _Node(node_kind, gt.check_node(node_kind, _props(record)))
        if kind == "audit":
            return _Node(RecordKind.AUDIT_ENTRY, gt.check_audit(_props(record)))
        if kind == "edge":
            return _parse_edge(record)
    except DomainError as error:
        raise _LineError(f"{kind} {_problems_text(error)}") from None
    if kind == "end":
        records = record.get("records")
        if not isinstance(records, int) or isinstance(records, bool) or records < 0:
            raise _LineError('the closing line\'s "records" must be a whole number, at least 0')
        return _End(records)
    raise _LineError(
        f'unknown record type {kind!r} (expected "node", "audit", "edge" or the closing "end")'
    )


def _parse_edge(record: Record) -> _Edge:
    rel, from_label, to_label = record.get("rel"), record.get("from_label"), record.get("to_label")
    key = gt.edge_key(str(rel), str(from_label), str(to_label))
    if key is None:
        raise _LineError(f"unknown edge {rel!r} from {from_label!r} to {to_label!r}")
    from_id, to_id = _end(record, "from_id"), _end(record, "to_id")
    if from_id == to_id and key[1] == key[2] and gt.edge_spec(key[0]).no_self_loops:
        raise _LineError(f"{key[0].value} cannot join {from_id!r} to itself")
    return _Edge(key, from_id, to_id, gt.check_edge(key[0], _props(record)))


def _end(record: Record, name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise _LineError(f"edge {name} must be a non-empty string")
    return value


def _check_header(text: str) -> int:
    try:
        header = json.loads(text)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _LineError(
            f'not a dealgraph export: the first line must be {{"format": "{FORMAT}", …}}'
        )
    version = header.get("version")
    if version not in READS or isinstance(version, bool):
        raise _LineError(
            f"unsupported format version {version!r} (this dealgraph reads "
            f"{' and '.join(map(str, READS))})"
        )
    return int(version)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines after the header (a byte-order mark before it, as an editor
    on Windows saves one, is no part of the file's text)."""
    with path.open(encoding="utf-8-sig") as source:
        for number, text in enumerate(source, start=1):
            if number > 1 and text.strip():
                yield number, text


@dataclass
class _Check:
    """What the checking pass learns about a file."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    records: int = 0
    ids: dict[Label, set[str]] = field(default_factory=dict)
    wanted: dict[Label, dict[str, int]] = field(default_factory=dict)
    single: dict[tuple[RelType, Label], dict[str, int]] = field(default_factory=dict)
    parents: dict[TransferKey, dict[str, tuple[str, int]]] = field(default_factory=dict)
    edges_seen: set[tuple[TransferKey, str, str]] = field(default_factory=set)
    edges_twice: set[tuple[TransferKey, str, str]] = field(default_factory=set)

    def add(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS

    def node(self, line: int, node: _Node) -> None:
        ids = self.ids.setdefault(node.label, set())
        node_id = node.props["id"]
        if node_id in ids:
            self.add(line, f"duplicate {node.label} id {node_id!r}")
        ids.add(node_id)

    def edge(self, line: int, edge: _Edge) -> None:
        rel, source, target = edge.key
        seen = (edge.key, edge.from_id, edge.to_id)
        if seen in self.edges_seen:
            self.edges_twice.add(seen)
        self.edges_seen.add(seen)
        for label, node_id in ((source, edge.from_id), (target, edge.to_id)):
            if node_id not in self.ids.get(label, ()):
                self.wanted.setdefault(label, {}).setdefault(node_id, line)
        spec = gt.edge_spec(rel)
        if spec.single_per_source:
            first = self.single.setdefault((rel, source), {})
            if edge.from_id in first:
                self.add(
                    line,
                    f"{source.value} {edge.from_id!r} has a second {rel.value} edge "
                    f"(first on line {first[edge.from_id]}); it may have only one",
                )
            else:
                first[edge.from_id] = line
        if spec.no_cycles and source == target:
            self.parents.setdefault(edge.key, {})[edge.from_id] = (edge.to_id, line)

    def finish(self, store: GraphStore) -> None:
        for label, wanted in self.wanted.items():
            in_file = self.ids.get(label, set())
            outside = [i for i in wanted if i not in in_file]
            present = gt.existing_ids(store, label, outside) if outside else set()
            for node_id in outside:
                if node_id not in present and not self.full:
                    self.add(
                        wanted[node_id],
                        f"edge end {label.value} {node_id!r} is neither in the file "
                        "nor in the store",
                    )
        for key, parents in self.parents.items():
            self._cycles(key, parents)
        self.problems.sort()

    def new_ids(self, store: GraphStore) -> dict[Label, set[str]]:
        """The ids of the file that the store does not hold yet, by label (batched reads)."""
        return {
            label: ids - gt.existing_ids(store, label, sorted(ids))
            for label, ids in self.ids.items()
        }

    def _cycles(self, key: TransferKey, parents: dict[str, tuple[str, int]]) -> None:
        done: set[str] = set()
        for start in parents:
            path: list[str] = []
            on_path: set[str] = set()
            node: str | None = start
            while node is not None and node in parents and node not in done:
                if node in on_path:
                    line = parents[node][1]
                    self.add(line, f"{key[0].value} edges form a cycle through {node!r}")
                    break
                on_path.add(node)
                path.append(node)
                node = parents[node][0]
            done.update(path)


def _check_end(check: _Check, version: int, ended: tuple[int, int] | None, last: int) -> None:
    """A file of version 2 ends with a closing line that counts its records: without it the
    copy was cut short at a line's end (the edges, which come last, are what it loses)."""
    if ended is None:
        if version >= 2:
            check.add(
                last,
                "the file ends without the export's closing line: it was cut short (an "
                "interrupted copy, a full disk); restore a whole copy of the export",
            )
        return
    line, counted = ended
    if counted != check.records:
        check.add(
            line,
            f"the closing line counts {counted} records but the file holds {check.records}: "
            "lines are missing; restore a whole copy of the export",
        )


def check_file(store: GraphStore, path: Path, *, stream: TextIO | None = None) -> int:
    """Check a whole import file without writing; returns its record count.

    Raises TransferError listing the problems (at most MAX_PROBLEMS) by line number.
    """
    return _check(store, path, stream).records


def readable(path: Path) -> None:
    """``TransferError`` when ``path`` cannot be read at all (missing, a folder, no
    permission), as the check pass says it."""
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise TransferError(path, [(0, f"cannot read the file ({error.strerror})")]) from None


def _check(
    store: GraphStore, path: Path, stream: TextIO | None, spool: _Spool | None = None
) -> _Check:
    check = _Check()
    progress = Progress(f"checking {path.name}", None, stream)
    try:
        with path.open(encoding="utf-8-sig") as source:
            first = source.readline()
    except UnicodeDecodeError:
        raise TransferError(path, [(1, "the file is not UTF-8 text")]) from None
    except OSError as error:
        raise TransferError(path, [(0, f"cannot read the file ({error.strerror})")]) from None
    try:
        version = _check_header(first)
    except _LineError as error:
        raise TransferError(path, [(1, str(error))]) from None
    ended: tuple[int, int] | None = None  # (line, records counted) of the closing line
    last = 1
    try:
        for line, text in _lines(path):
            last = line
            if ended is not None:
                check.add(line, f"a record after the closing line (line {ended[0]})")
                break
            try:
                item = _parse(text)
            except _LineError as error:
                check.records += 1
                progress.advance(1)
                check.add(line, str(error))
            else:
                if isinstance(item, _End):
                    ended = (line, item.records)
                    continue
                check.records += 1
                progress.advance(1)
                if isinstance(item, _Node):
                    check.node(line, item)
                else:
                    check.edge(line, item)
                if spool is not None and not check.problems:
                    spool.add(item)
            if check.full:
                break
    except UnicodeDecodeError as error:
        raise TransferError(
            path, [(check.records + 2, f"not UTF-8 text ({error.reason})")]
        ) from None
    progress.finish()
    if not check.full:
        _check_end(check, version, ended, last)
        check.finish(store)
    if check.problems:
        raise TransferError(path, check.problems[:MAX_PROBLEMS])
    return check


# --- import ----------------------------------------------------------------------------------


class _Spool:
    """Checked records in batches, pickled to two files (nodes, edges) during the check, so
    that the write pass sends them without parsing or checking a line again."""

    def __init__(self, folder: Path, batch_size: int) -> None:
        self.batch_size = batch_size
        self.paths = (folder / "nodes.spool", folder / "edges.spool")
        self.files = [path.open("wb") for path in self.paths]
        self.nodes: dict[Label, list[Record]] = {}
        self.edges: dict[TransferKey, list[Record]] = {}

    def add(self, item: _Node | _Edge) -> None:
        if isinstance(item, _Node):
            rows = self.nodes.setdefault(item.label, [])
            rows.append(item.props)
            if len(rows) >= self.batch_size:
                self._dump(0, item.label, self.nodes.pop(item.label))
        else:
            batch = self.edges.setdefault(item.key, [])
            batch.append({"from_id": item.from_id, "to_id": item.to_id, "props": item.props})
            if len(batch) >= self.batch_size:
                self._dump(1, item.key, self.edges.pop(item.key))

    def _dump(self, which: int, group: Label | TransferKey, rows: list[Record]) -> None:
        pickle.dump((group, rows), self.files[which], protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        """Write the last, partial batches and close the files."""
        for label, rows in self.nodes.items():
            self._dump(0, label, rows)
        for key, batch in self.edges.items():
            self._dump(1, key, batch)
        self.nodes, self.edges = {}, {}
        for file in self.files:
            file.close()

    def batches(self, which: int) -> Iterator[tuple[Any, list[Record]]]:
        with self.paths[which].open("rb") as source:
            while True:
                try:
                    yield pickle.load(source)
                except EOFError:
                    return


def records_held(store: GraphStore) -> int:
    """How many nodes (of every label an export writes) the store holds: 0 for a store a
    restore may go into."""
    return sum(gt.count_all(store).values())


def import_graph(
    store: GraphStore,
    path: Path,
    *,
    batch_size: int = IMPORT_BATCH_SIZE,
    stream: TextIO | None = None,
    record_audit: bool = True,
) -> int:
    """Import a dealgraph export into the store; returns the number of records written.

    Raises TransferError, having written nothing, when any line is invalid. With
    ``record_audit`` one audit entry records the import itself (file name and counts).

    The check pass parses every line once and spools the checked records in batches; the
    write pass streams them to a sender thread, so the next batch is read and split while the
    store writes the current one. Nodes the store does not hold, and edges between two of
    them that the file has once, are created (the store's bulk rate); the rest are merged.
    """
    with tempfile.TemporaryDirectory(prefix="dealgraph-import-") as folder:
        spool = _Spool(Path(folder), batch_size)
        try:
            check = _check(store, path, stream, spool)
        finally:
            spool.close()
        new = check.new_ids(store)
        progress = Progress(f"importing {path.name}", check.records, stream)
        written = 0

        def advance(count: int) -> None:
            nonlocal written
            written += count
            progress.advance(count)

        def nodes() -> Iterator[gt.Job]:
            for label, rows in spool.batches(0):
                yield from gt.node_jobs(label, rows, new.get(label, set()))

        def edges() -> Iterator[gt.Job]:
            for key, rows in spool.batches(1):
                yield from gt.edge_jobs(key, rows, _fresh_edge(key, new, check.edges_twice))

        gt.send_jobs(store, nodes(), advance)
        gt.send_jobs(store, edges(), advance)
        gt.mark_bulk_change(store)
    progress.finish()
    if record_audit:
        _audit_import(store, path, written)
    return written


def _fresh_edge(
    key: TransferKey, new: dict[Label, set[str]], twice: set[tuple[TransferKey, str, str]]
) -> Callable[[Record], bool]:
    """Whether an edge row of ``key`` cannot exist yet: both ends are new, the file has it once."""
    sources, targets = new.get(key[1], set()), new.get(key[2], set())

    def fresh(row: Record) -> bool:
        return (
            row["from_id"] in sources
            and row["to_id"] in targets
            and (not twice or (key, row["from_id"], row["to_id"]) not in twice)
        )

    return fresh


def _audit_import(store: GraphStore, path: Path, count: int) -> None:
    now = store.clock()
    entry = {
        "id": str(uuid.uuid4()),
        "at": now,
        "actor_id": SYSTEM.id,
        "actor_name": SYSTEM.name,
        "operation": "import",
        "target_kind": "Graph",
        "target_id": path.name[:300],
        "changes": json.dumps({"file": str(path), "records": count}, ensure_ascii=False),
    }
    gt.import_audit(store, [entry])
