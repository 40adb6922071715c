"""Direct resolvers for fields whose value is already at hand, installed once on the built schema.

graphql-core resolves every field of a response through the field's ``resolve``. Strawberry puts
a general wrapper there (it builds an ``Info``, converts arguments, runs field extensions), and a
100-person decision chain is over 2,000 fields, so the wrappers alone cost milliseconds. This
module swaps in a resolver that returns the same value directly, for:

- plain attributes (strawberry's "basic" fields: no resolver, no extensions, no exception
  handlers): ``getattr`` on the Python name, which is what strawberry's default resolver does;
- ``id`` of the domain's node types: the relay global id, base64 of ``"<Type>:<id>"``, which is
  what strawberry's ``Node.id`` resolver returns for them;
- a key person's ``title`` and ``department`` when the job came with the person (decision
  chains, org charts); otherwise strawberry's resolver runs and loads it.

Each direct resolver also carries a getter without ``info`` for ``dealgraph.engine.execution``'s
completion plans. The schema's shape and every result stay the same: each direct resolver
keeps strawberry's own as ``__wrapped__``, and ``tests/dealgraph/engine/test_fastpath.py``
compares whole responses with both.
Fields with arguments, extensions or permission classes keep strawberry's resolver.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLField, GraphQLObjectType
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from dealgraph.engine.execution import FAST_GET, PlanGaveUpError
from schema.nodes import NODE_TYPES, KeyPerson

_DEFINITION = "strawberry-definition"
_JOB_FIELDS = ("title", "department")

Resolver = Callable[..., Any]


def _basic(python_name: str) -> Resolver:
    def resolve(source: Any, info: Any) -> Any:
        return getattr(source, python_name)

    resolve._is_default = True  # type: ignore[attr-defined]  # strawberry's marker
    setattr(resolve, FAST_GET, operator.attrgetter(python_name))
    return resolve


def _node_id(origin: type[Any], type_name: str, fallback: Resolver) -> Resolver:
    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        if type(source) is origin:
            return to_base64(type_name, source.id)
        return fallback(source, info, **kwargs)

    def get(source: Any) -> Any:
        if type(source) is origin:
            return to_base64(type_name, source.id)
        raise PlanGaveUpError

    setattr(resolve, FAST_GET, get)
    return resolve


def _job(field: str, fallback: Resolver) -> Resolver:
    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        job = getattr(source, "employment", None)
        if job is not None:
            return job.get(field)
        return fallback(source, info, **kwargs)

    def get(source: Any) -> Any:
        job = getattr(source, "employment", None)
        if job is None:
            raise PlanGaveUpError  # strawberry's resolver loads it
        return job.get(field)

    setattr(resolve, FAST_GET, get)
    return resolve


def _is_basic(field: GraphQLField) -> StrawberryField | None:
    definition = field.extensions.get(_DEFINITION)
    if (
        isinstance(definition, StrawberryField)
        and definition.is_basic_field
        and getattr(field.resolve, "_is_default", False)
    ):
        return definition
    return None


def _plain_relay_id(origin: type | None) -> bool:
    """The type takes relay's id and type name as they are (no ``resolve_id`` of its own)."""
    return all(
        getattr(getattr(origin, name, None), "__func__", None) is getattr(relay.Node, name).__func__
        for name in ("resolve_id", "resolve_typename")
    )


def install(schema: strawberry.Schema) -> int:
    """Install the direct resolvers on ``schema``; returns how many fields got one."""
    if schema.config.default_resolver is not getattr:
        return 0
    node_types = set(NODE_TYPES.values())
    changed = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        definition = graphql_type.extensions.get(_DEFINITION)
        origin = definition.origin if isinstance(definition, StrawberryObjectDefinition) else None
        for name, field in graphql_type.fields.items():
            basic = _is_basic(field)
            fallback = field.resolve
            if basic is not None:
                direct = _basic(basic.python_name)
            elif name == "id" and origin in node_types and _plain_relay_id(origin) and fallback:
                assert origin is not None
                direct = _node_id(origin, graphql_type.name, fallback)
            elif origin is KeyPerson and name in _JOB_FIELDS and fallback is not None:
                direct = _job(name, fallback)
            else:
                continue
            direct.__wrapped__ = fallback  # type: ignore[attr-defined]  # strawberry's own
            field.resolve = direct
            changed += 1
    return changed
