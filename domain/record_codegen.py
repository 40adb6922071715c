"""Write ``domain/records.py``: one typed record per stored node kind and per edge kind.

The records are generated from the specs of ``domain/model.py`` (the one table of fields)
and checked in, like ``schema.graphql``; ``make records`` rewrites the module and a test fails
when the checked-in module differs from what this prints. Run ``python -m domain.record_codegen``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from domain.model import (
    EDGE_SPECS,
    NODE_SPECS,
    RECORD_SPECS,
    EdgeKind,
    FieldSpec,
    FieldType,
)

# What each stored type comes back as from both back ends (``properties(n)``): enum values
# as the plain strings the store keeps, dates as ISO text, time stamps as epoch milliseconds.
_PYTHON_TYPE: dict[FieldType, str] = {
    FieldType.STRING: "str",
    FieldType.INT: "int",
    FieldType.MONEY: "int",
    FieldType.FLOAT: "float",
    FieldType.BOOL: "bool",
    FieldType.ENUM: "str",
    FieldType.TIMESTAMP: "int",
    FieldType.DATE: "str",
}

# The keys the store adds to every domain node (always there), and to domain edges: an edge
# set by ``set_edge`` has both time stamps, one written with its node (an activity's WITH,
# ABOUT, DID) has none.
_NODE_SYSTEM = (
    ("id", "str", ""),
    ("version", "int", ""),
    ("created_at", "int", "epoch ms"),
    ("updated_at", "int", "epoch ms"),
)
_EDGE_SYSTEM = (
    ("created_at", "int", "epoch ms"),
    ("updated_at", "int", "epoch ms"),
)
_EDGE_COUNTED = {EdgeKind.IN_DECISION_CHAIN: (("version", "int", "its changes, counted"),)}
"""Edges whose changes the store counts: a client names the version it read to change one."""

_HEADER = '''"""Typed records of the store's rows: one per node kind, system record and edge kind.

GENERATED from the specs of ``domain/model.py`` by ``make records``
(``python -m domain.record_codegen``); do not edit by hand, a test compares it with the specs.

Each record is a ``TypedDict``: the store's rows stay the plain dicts the drivers produce
(``properties(n)``), so the types cost nothing per node at run time and change no behaviour,
while mypy checks every key a reader names. ``total=False`` because a property that is not
required may be absent (a stored null is no property); the keys every stored node has are
``Required``. Enum fields hold the enum's value as the plain string the store keeps (the
enum is named in the comment); dates are ISO text, time stamps epoch milliseconds. No
``from __future__ import annotations`` here: ``Required`` must be seen when the class is built.
"""

from typing import Required, TypedDict
'''


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _comment(spec: FieldSpec) -> str:
    if spec.enum is not None:
        return spec.enum.__name__
    if spec.value_type is FieldType.TIMESTAMP:
        return "epoch ms"
    if spec.value_type is FieldType.MONEY:
        return "minor units"
    if spec.value_type is FieldType.DATE:
        return "YYYY-MM-DD"
    return ""


def _line(name: str, python_type: str, *, required: bool, comment: str) -> str:
    annotation = f"Required[{python_type}]" if required else python_type
    return f"    {name}: {annotation}" + (f"  # {comment}" if comment else "")


def _record(
    name: str,
    doc: str,
    system: Iterable[tuple[str, str, str]],
    fields: Iterable[FieldSpec],
    *,
    always: bool = True,
) -> str:
    lines = [f"class {name}(TypedDict, total=False):", f'    """{doc}"""', ""]
    lines += [_line(key, kind, required=always, comment=note) for key, kind, note in system]
    lines += [
        _line(f.name, _PYTHON_TYPE[f.value_type], required=f.required, comment=_comment(f))
        for f in fields
    ]
    return "\n".join(lines)


def _union(name: str, doc: str, members: list[str]) -> str:
    alternatives = [f"    {'| ' if i else ''}{member}" for i, member in enumerate(members)]
    return "\n".join([f"{name} = (", *alternatives, ")", f'"""{doc}"""'])


def edge_record_name(kind: EdgeKind) -> str:
    """The record class of an edge kind's property row (``WORKS_AT`` -> ``WorksAtEdge``)."""
    return f"{_camel(kind.value.lower())}Edge"


def render() -> str:
    """The whole module, formatted as ``ruff format`` leaves it."""
    blocks: list[str] = []
    nodes: list[str] = []
    for node in NODE_SPECS.values():
        name = f"{node.kind.value}Record"
        nodes.append(name)
        doc = f"A stored ``{node.kind.value}`` node."
        blocks.append(_record(name, doc, _NODE_SYSTEM, node.all_fields))
    for record in RECORD_SPECS.values():
        name = f"{record.kind.value}Record"
        doc = f"A stored ``{record.kind.value}`` system record."
        blocks.append(_record(name, doc, (("id", "str", ""),), record.fields))
    edges: list[str] = []
    for edge in EDGE_SPECS.values():
        name = edge_record_name(edge.kind)
        edges.append(name)
        doc = f"The properties of a ``{edge.kind.value}`` edge."
        system = _EDGE_SYSTEM + _EDGE_COUNTED.get(edge.kind, ())
        blocks.append(_record(name, doc, system, edge.fields, always=False))
    blocks.append(_union("NodeRecord", "Any stored node of the domain graph.", nodes))
    blocks.append(_union("EdgeRecord", "The properties of any edge of the domain graph.", edges))
    return _HEADER + "\n\n" + "\n\n\n".join(blocks) + "\n"


def main() -> None:
    """Print the module (``make records`` redirects it to ``domain/records.py``)."""
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
