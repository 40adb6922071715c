"""Completion plans: a selection over plain, already loaded data completed without per-field work.

graphql-core completes every field of a response through the same general machinery (a resolve
info object, argument coercion, awaitable checks, type dispatch), about five microseconds a
field; a 100-person decision chain is over 2,000 fields. Most of them are plain values of data
already at hand: the fields ``dealgraph.engine.fastpath`` gives a direct resolver. For such a
selection this execution context compiles a plan of small functions that reads and serialises
the values directly, once per selection: a plan depends only on the schema and the parsed
document (which the parse cache keeps), so the requests of the same query text share their plans
unless a directive (``@skip``, ``@include``) takes its condition from the request's variables.

A plan only ever reads data (its getters are pure), so when it meets anything it does not
handle -- a null in a non-null position, a value of the wrong type, a failing serialisation or
getter, a job that must be loaded -- it gives up and graphql-core completes the same value the
ordinary way, producing exactly its result and errors. Selections with fields that have arguments,
resolvers of their own, abstract types or deferred fragments get no plan.
``tests/schema/test_execution.py`` compares whole responses with and without plans.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from inspect import isawaitable, iscoroutinefunction
from typing import Any, Final

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    OperationType,
    Undefined,
    VariableNode,
    visit,
)
from graphql.language import DirectiveNode, Node, OperationDefinitionNode, Visitor
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.deadline import CURRENT_DEADLINE

Plan = Callable[[Any], Any]
FAST_GET = "_fast_get"
"""A direct resolver's getter: ``source -> value``, no info; raises ``PlanGaveUpError``."""


class PlanGaveUpError(Exception):
    """The plan cannot complete this value; graphql-core completes it instead."""


def _absent(nullable: bool) -> Any:
    """What a missing value completes to: null where allowed; elsewhere graphql-core's error."""
    if nullable:
        return None
    raise PlanGaveUpError


def _list(item: Plan, nullable: bool) -> Plan:
    def complete(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [item(entry) for entry in value]
        if value is None or value is Undefined:
            return _absent(nullable)
        raise PlanGaveUpError  # other iterables: graphql-core

    return complete


def _leaf(leaf_type: GraphQLLeafType, nullable: bool) -> Plan:
    coerce = leaf_type.coerce_output_value
    if leaf_type is GraphQLString or leaf_type is GraphQLID:
        return _text(coerce, nullable)
    wrapped = getattr(leaf_type, "wrapped_cls", None)
    if isinstance(leaf_type, GraphQLEnumType) and isinstance(wrapped, type):
        return _enum(leaf_type, wrapped, coerce, nullable)
    return _coerced(coerce, nullable)


def _text(coerce: Callable[[Any], Any], nullable: bool) -> Plan:
    """String and ID: a ``str`` is its own output value (what both scalars return for it)."""
    general = _coerced(coerce, nullable)

    def complete(value: Any) -> Any:
        return value if type(value) is str else general(value)

    return complete


def _enum(
    enum_type: GraphQLEnumType, wrapped: Any, coerce: Callable[[Any], Any], nullable: bool
) -> Plan:
    """A strawberry enum member's name by lookup: strawberry's own serialiser scans all values."""
    names: dict[Any, str] = {}
    for name, definition in enum_type.values.items():
        if definition.value == definition.value:  # not NaN: strawberry compares with ==
            names.setdefault(definition.value, name)
    general = _coerced(coerce, nullable)

    def complete(value: Any) -> Any:
        if type(value) is wrapped:
            name = names.get(value.value)
            if name is not None:
                return name
        return general(value)

    return complete


def _coerced(coerce: Callable[[Any], Any], nullable: bool) -> Plan:
    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            return _absent(nullable)
        if isawaitable(value):
            raise PlanGaveUpError  # graphql-core awaits it first
        try:
            coerced = coerce(value)
        except Exception as error:
            raise PlanGaveUpError from error
        if coerced is None or coerced is Undefined:
            raise PlanGaveUpError
        return coerced

    return complete


def _object(
    object_type: GraphQLObjectType,
    fields: Sequence[tuple[str, Callable[[Any], Any], Plan]],
    nullable: bool,
) -> Plan:
    is_type_of: Callable[[Any, Any], Any] | None = object_type.is_type_of

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            return _absent(nullable)
        if is_type_of is not None:
            try:  # strawberry's is_type_of looks at the value alone: no info needed
                accepted = is_type_of(value, None)
            except Exception as error:
                raise PlanGaveUpError from error
            if accepted is not True:
                if isawaitable(accepted):
                    getattr(accepted, "close", _nothing)()  # graphql-core awaits its own
                raise PlanGaveUpError
        return {key: plan(get(value)) for key, get, plan in fields}

    return complete


def _typename(name: str) -> Callable[[Any], str]:
    def get(value: Any) -> str:
        return name

    return get


def _nothing() -> None:
    return None


def _identity(value: Any) -> Any:
    return value


PlanKey = tuple[int, tuple[int, ...]]
"""A selection's plan key: its type and the syntax nodes of its fields (kept alive with them)."""

SHARED_OPERATIONS: Final = 512
"""How many operations keep their plans between requests (least recently used go first)."""


class _SharedPlans:
    """The plans of one operation of one schema, with what keeps their keys' ids valid;
    ``plans`` is None for an operation whose variables decide its selection."""

    def __init__(
        self, schema: GraphQLSchema, operation: OperationDefinitionNode, held: object, shared: bool
    ):
        self.schema, self.operation, self.held = schema, operation, held
        self.plans: dict[PlanKey, Plan | None] | None = {} if shared else None


_shared: OrderedDict[tuple[int, int], _SharedPlans] = OrderedDict()
_shared_lock = threading.Lock()  # synchronous executions may run in several threads


class _VariableConditions(Visitor):
    """Finds a directive with a variable argument (``@skip(if: $x)``, ``@defer(if: $x)``)."""

    found = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        if any(isinstance(argument.value, VariableNode) for argument in node.arguments or ()):
            self.found = True
            return self.BREAK
        return None


def _variable_conditions(nodes: Sequence[Node]) -> bool:
    for node in nodes:
        finder = _VariableConditions()
        visit(node, finder)
        if finder.found:
            return True
    return False


class PlannedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, completing plannable selections through a plan."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self._plannable = manager is None or not manager.middlewares
        self._plans = self._plans_of_operation()
        deadline = CURRENT_DEADLINE.get()
        if deadline is not None and self.operation.operation is OperationType.MUTATION:
            deadline.writes = True  # a change cut off at the deadline may land after the answer

    def _plans_of_operation(self) -> dict[PlanKey, Plan | None]:
        """The plans this request shares with earlier requests of the same document, or its
        own when variables decide which fields are selected or deferred."""
        operation: OperationDefinitionNode = self.operation
        fragments = tuple(self.fragment_definitions.values())
        key = (id(self.schema), id(operation))
        with _shared_lock:
            shared = _shared.get(key)
            if (
                shared is None
                or shared.schema is not self.schema
                or shared.operation is not operation
            ):
                shareable = not _variable_conditions((operation, *fragments))
                shared = _SharedPlans(self.schema, operation, fragments, shareable)
                _shared[key] = shared
                if len(_shared) > SHARED_OPERATIONS:
                    _shared.popitem(last=False)
            else:
                _shared.move_to_end(key)
        return {} if shared.plans is None else shared.plans

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._plannable and result is not None and not isinstance(result, Exception):
            plan = self._plan_for(return_type, field_details_list)
            if plan is not None:
                try:
                    return plan(result)
                except Exception:  # graphql-core redoes it and reports the error
                    pass
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan_for(self, return_type: GraphQLOutputType, field_details_list: Any) -> Plan | None:
        """The plan for this type and selection, compiled on first use."""
        key = (id(return_type), tuple(id(details.node) for details in field_details_list))
        if key in self._plans:
            return self._plans[key]
        try:
            plan = (
                None
                if _incremental(field_details_list)
                else self._compile(return_type, field_details_list)
            )
        except Exception:  # e.g. an enum with unhashable values: graphql-core completes it
            plan = None
        self._plans[key] = plan
        return plan

    def _compile(self, return_type: GraphQLOutputType, field_details_list: Any) -> Plan | None:
        nullable = not isinstance(return_type, GraphQLNonNull)
        named = return_type if nullable else return_type.of_type  # type: ignore[union-attr]
        if isinstance(named, GraphQLList):
            item = self._compile(named.of_type, field_details_list)
            return None if item is None else _list(item, nullable)
        if isinstance(named, GraphQLLeafType):
            return _leaf(named, nullable)
        if isinstance(named, GraphQLObjectType):
            return self._compile_object(named, field_details_list, nullable)
        return None  # interfaces and unions: graphql-core resolves the runtime type

    def _compile_object(
        self, object_type: GraphQLObjectType, field_details_list: Any, nullable: bool
    ) -> Plan | None:
        if iscoroutinefunction(object_type.is_type_of):
            return None  # graphql-core awaits it
        grouped, new_defer_usages, _forbidden = self.collect_subfields(
            object_type, field_details_list
        )
        if new_defer_usages:
            return None
        fields: list[tuple[str, Callable[[Any], Any], Plan]] = []
        for response_name, field_details in grouped.items():
            node = field_details[0].node
            name = node.name.value
            if name == "__typename":
                fields.append((response_name, _typename(object_type.name), _identity))
                continue
            definition = self.schema.get_field(object_type, name)
            if definition is None:
                continue  # graphql-core leaves unknown fields out as well
            get = _getter(definition)
            if get is None or node.arguments:
                return None
            plan = self._plan_for(definition.type, field_details)
            if plan is None:
                return None
            fields.append((response_name, get, plan))
        return _object(object_type, fields, nullable)


_PLAIN_DIRECTIVES: Final = frozenset({"skip", "include"})


def _incremental(field_details_list: Any) -> bool:
    """Deferred or streamed, or carrying a directive other than @skip/@include (which the
    collection of fields has already applied): graphql-core delivers such fields itself."""
    for details in field_details_list:
        if getattr(details, "defer_usage", None) is not None:
            return True
        directives = details.node.directives
        if directives and any(d.name.value not in _PLAIN_DIRECTIVES for d in directives):
            return True
    return False


def _getter(definition: GraphQLField) -> Callable[[Any], Any] | None:
    if definition.args:
        return None
    get = getattr(definition.resolve, FAST_GET, None)
    return get if callable(get) else None
