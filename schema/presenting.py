"""GraphQL types that present strategy results as they are, declared by a table instead of a
copy per field.

A strategy result (a frozen dataclass or named tuple of ``strategy/``) names key persons,
competitors and team members by id and carries each text in English and Chinese. A presenting
type is an ordinary strawberry type stating the API's shape; ``presents`` reads each of its
fields from the result:

- a field the result has under the same name: read straight from it;
- a ``str`` field whose result has ``<name>_en`` and ``<name>_zh``: the text in the request's
  language (``domain.text.Text``); a nullable one is null when the text is empty;
- a ``KeyPerson`` / ``Competitor`` / ``TeamMember`` field (or a list of them): the chain's loaded
  node, named by ``<name>_id`` (a list ``<names>``: ``<name>_ids``) or by the id field a
  ``Ref`` in the table gives;
- a field whose type presents a result of its own: that result, presented by its type. An item
  whose non-null person, competitor or team member is not known is left out of its list (null
  where the field is nullable);
- anything else: ``Via(get)`` in the table.

The value GraphQL resolves against is a view: an instance of a subclass of the presenting type
holding the result and the request's ``Presenter``, whose properties read the fields above on
demand (only the fields a query selects are worked out). Plain fields are ``attrgetter``
properties, so the engine's direct resolvers (``dealgraph.engine.fastpath``) still apply.
A result handed over as a finding (``resolvers.findings.Finding``: the opportunity's and key
person's fields) is presented by a ``root`` type, whose fields resolve from the finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from operator import attrgetter
from typing import Any, cast

import strawberry
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.field import StrawberryField

from domain.model import NodeKind
from domain.text import Text
from resolvers.findings import Finding
from resolvers.records import LoadedChain, Node, OrgChart
from schema.convert import node_attributes
from schema.nodes import Competitor, Ctx, KeyPerson, TeamMember

type Get[T] = Callable[[T, Presenter], object]
"""How one field's value comes out of a result of class ``T``, for one request."""

_DEFINITION = "__strawberry_definition__"


class Presenter:
    """One request's API objects for what strategy results name, each made once: an analysis
    names the same few people in its gaps, flags, camps and bridges many times."""

    def __init__(
        self,
        locale: str,
        persons: Mapping[str, Mapping[str, Any]],
        competitors: Mapping[str, Mapping[str, Any]],
        members: Mapping[str, Mapping[str, Any]],
        *,
        works_at: Mapping[str, Node] | None = None,
        chain: LoadedChain | None = None,
    ) -> None:
        self.locale = locale
        self.chain = chain
        self._nodes = {KeyPerson: persons, Competitor: competitors, TeamMember: members}
        self._works_at = works_at
        self._made: dict[tuple[type, str], Any] = {}
        """The objects made so far; the one of ``(kind, id)`` is a ``kind``."""

    @classmethod
    def of_chain(cls, chain: LoadedChain, locale: str) -> Presenter:
        """Presents results computed from a loaded decision chain (jobs come with people)."""
        return cls(
            locale,
            chain.persons,
            chain.competitors,
            chain.team_members,
            works_at=chain.works_at,
            chain=chain,
        )

    def known(self, kind: type, node_id: str | None) -> bool:
        """Whether a person, competitor or team member is one this request can show."""
        return node_id is not None and node_id in self._nodes[kind]

    def one[K](self, kind: type[K], node_id: str | None) -> K | None:
        """The API object of a person, competitor or team member (None when unknown)."""
        made: K | None = self._made.get((kind, node_id or ""))
        if made is None and self.known(kind, node_id):
            assert node_id is not None
            made = self._made[kind, node_id] = self._make(kind, node_id)
        return made

    def the[K](self, kind: type[K], node_id: str) -> K:
        """The API object of a person, competitor or team member the result surely holds."""
        made = self.one(kind, node_id)
        if made is None:
            raise KeyError(node_id)
        return made

    def many[K](self, kind: type[K], ids: Iterable[str]) -> list[K]:
        """The API objects of the known ones among ``ids``, in their order."""
        return [made for i in ids if (made := self.one(kind, i)) is not None]

    def _make(self, kind: type, node_id: str) -> Any:
        node = self._nodes[kind][node_id]
        if kind is KeyPerson and self._works_at is not None:
            employment = self._works_at.get(node_id) or {}
            return KeyPerson(**node_attributes(NodeKind.KEY_PERSON, node), employment=employment)
        return cast(Any, kind).from_node(node)

    def text(self, en: str | None, zh: str | None) -> str:
        """A bilingual text in the request's language."""
        return Text(en or "", zh or "").in_(self.locale)

    def found[T](self, data: T) -> Finding[T]:
        """A result of this presenter's chain, for a field whose type presents findings."""
        assert self.chain is not None, "only a chain's presenter hands findings on"
        return Finding(self.chain, data)


def presenter(info: Ctx, source: LoadedChain | OrgChart) -> Presenter:
    """The request's presenter of a chain (or of an org chart's people): made at its first
    result or field, shared by the rest."""
    ctx = info.context
    key = ("presenter", id(source))
    made: tuple[object, Presenter] | None = ctx.loaders.get(key)
    if made is None or made[0] is not source:  # holding the source keeps its id unique
        by = (
            Presenter.of_chain(source, ctx.locale)
            if isinstance(source, LoadedChain)
            else Presenter(
                ctx.locale, {p["id"]: p for p in source.persons}, {}, {}, works_at=source.works_at
            )
        )
        made = ctx.loaders[key] = (source, by)
    return made[1]


# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Via[T]:
    """Table entry: the field is ``get(result, presenter)``."""

    get: Get[T]


@dataclass(frozen=True, slots=True)
class Ref:
    """Table entry: the person, competitor or team member field is named by the result's id
    field ``source`` (a list field: ``source`` holds ids)."""

    source: str


@dataclass(frozen=True, slots=True)
class Texts:
    """Table entry: the field is the text ``<stem>_en`` / ``<stem>_zh``."""

    stem: str


type Entry[T] = Via[T] | Ref | Texts

_REFERENCED = (KeyPerson, Competitor, TeamMember)


@dataclass(frozen=True, slots=True)
class _Shape:
    """How one presenting type reads a result: its view class and the references an item
    cannot be shown without."""

    view: type
    required: tuple[tuple[type, attrgetter[Any]], ...]


_SHAPES: dict[type, _Shape] = {}


def present[S](shape: type[S], data: object, by: Presenter) -> S | None:
    """``data`` as the presenting type ``shape`` shows it; None when a non-null person,
    competitor or team member it names is not one the request can show."""
    found = _SHAPES[shape]
    for kind, source in found.required:
        if not by.known(kind, source(data)):
            return None
    return cast(S, found.view(data, by))


def shown[S](shape: type[S], data: object, by: Presenter) -> S:
    """``data`` as the presenting type ``shape`` shows it, for a result whose references
    need no check."""
    return cast(S, _SHAPES[shape].view(data, by))


def present_all[S](shape: type[S], items: Iterable[object], by: Presenter) -> list[S]:
    """The items ``shape`` can show, presented by it, in their order."""
    return [made for item in items if (made := present(shape, item, by)) is not None]


def presents[S, T](
    data: type[T], *, root: bool = False, **table: Entry[T]
) -> Callable[[type[S]], type[S]]:
    """Class decorator (above ``@strawberry.type``): the type presents results of class
    ``data``, its fields read as the module docstring says, exceptions in ``table``. A ``root``
    type is handed findings (a result with its chain) by the fields of other types."""

    def decorate(shape: type[S]) -> type[S]:
        names = _attributes(data)
        getters: dict[str, Get[T]] = {}
        required: list[tuple[type, attrgetter[Any]]] = []
        for field in getattr(shape, _DEFINITION).fields:
            entry = table.pop(field.python_name, None)
            get, needs = _getter(field, entry, names)
            getters[field.python_name] = get
            if needs is not None:
                required.append(needs)
        if table:
            raise TypeError(f"{shape.__name__} has no fields {sorted(table)}")
        if root:
            for field in getattr(shape, _DEFINITION).fields:
                field(_from_finding(getters[field.python_name]))
        _SHAPES[shape] = _Shape(_view_class(shape, getters), tuple(required))
        return shape

    return decorate


def _attributes(data: type) -> frozenset[str]:
    if is_dataclass(data):
        return frozenset(f.name for f in fields(data))
    return frozenset(getattr(data, "_fields", ()))  # a named tuple


def _getter[T](
    field: StrawberryField, entry: Entry[T] | None, names: frozenset[str]
) -> tuple[Get[T], tuple[type, attrgetter[Any]] | None]:
    """The field's getter, and the reference it requires (a non-null single reference)."""
    name = field.python_name
    if isinstance(entry, Via):
        return entry.get, None
    nullable, many, inner = _unwrap(field.type)
    if inner in _REFERENCED:
        source = entry.source if isinstance(entry, Ref) else _id_field(name, many)
        if source not in names:
            raise TypeError(f"{name}: the result has no {source}")
        return _reference(inner, attrgetter(source), many), (
            None if nullable or many else (inner, attrgetter(source))
        )
    if isinstance(entry, Texts) or (name not in names and f"{name}_en" in names):
        stem = entry.stem if isinstance(entry, Texts) else name
        return _text(attrgetter(f"{stem}_en"), attrgetter(f"{stem}_zh"), nullable), None
    if entry is not None:
        raise TypeError(f"{name}: {entry} does not fit a {inner} field")
    if name not in names:
        raise TypeError(f"{name}: the result has no such field; say how in the table")
    if isinstance(inner, type) and inner in _SHAPES:
        return _nested(inner, attrgetter(name), many), None
    return _Plain(name), None


def _id_field(name: str, many: bool) -> str:
    """The id field naming a reference: ``person_id``; ``competitors``: ``competitor_ids``."""
    return f"{name.removesuffix('s')}_ids" if many else f"{name}_id"


def _unwrap(field_type: object) -> tuple[bool, bool, object]:
    """(nullable, a list, the named type) of a field type."""
    nullable = isinstance(field_type, StrawberryOptional)
    if nullable:
        field_type = cast(StrawberryOptional, field_type).of_type
    many = isinstance(field_type, StrawberryList)
    if many:
        field_type = cast(StrawberryList, field_type).of_type
    return nullable, many, field_type


class _Plain:
    """A getter that only reads the result's attribute of the same name (a view reads it
    without a call of its own)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.read = attrgetter(name)

    def __call__(self, data: object, by: Presenter) -> object:
        return self.read(data)


def _reference(kind: type, source: attrgetter[Any], many: bool) -> Get[object]:
    if many:
        return lambda data, by: by.many(kind, source(data))
    return lambda data, by: by.one(kind, source(data))


def _text(en: attrgetter[Any], zh: attrgetter[Any], nullable: bool) -> Get[object]:
    if nullable:
        return lambda data, by: by.text(en(data), zh(data)) or None
    return lambda data, by: by.text(en(data), zh(data))


def _nested(shape: type, read: attrgetter[Any], many: bool) -> Get[object]:
    if many:
        return lambda data, by: present_all(shape, read(data), by)

    def one(data: object, by: Presenter) -> object:
        value = read(data)
        return None if value is None else present(shape, value, by)

    return one


def _view_class[T](shape: type, getters: Mapping[str, Get[T]]) -> type:
    """A subclass of the presenting type whose instances hold a result and a presenter and
    whose fields are properties over them."""
    namespace: dict[str, object] = {"__slots__": ("_data", "_by"), "__init__": _init}
    for name, get in getters.items():
        if isinstance(get, _Plain):
            namespace[name] = property(attrgetter(f"_data.{get.name}"))
        else:
            namespace[name] = _computed(get)
    return type(f"{shape.__name__}View", (shape,), namespace)


def _init(self: Any, data: object, by: Presenter) -> None:
    self._data = data
    self._by = by


def _computed[T](get: Get[T]) -> property:
    return property(lambda view: get(view._data, view._by))


def _from_finding[T](get: Get[T]) -> Callable[..., object]:
    """The resolver of a root type's field: the field read from the finding it is handed
    (a plain field without the request, which spares strawberry making an ``Info``)."""
    if isinstance(get, _Plain):
        read = get.read

        def plain(root: strawberry.Parent[Finding[T]]) -> object:
            return read(root.data)

        return plain

    def resolve(root: strawberry.Parent[Finding[T]], info: Ctx) -> object:
        return get(root.data, presenter(info, root.chain))

    return resolve
