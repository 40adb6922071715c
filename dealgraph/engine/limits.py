"""Protective limits on every GraphQL request: depth, aliases, tokens and cost.

Each limit is a setting (``DEALGRAPH_MAX_DEPTH`` …) and each breach answers BAD_USER_INPUT
with a message naming the limit, in the request's language (``explain``), and says which limit
it breached to software too (``breached_limit``: ``extensions.limit``). Production mode also
turns introspection and field suggestions off.

Cost: every field costs 1; a field returning a ``…Connection`` multiplies the cost of what is
selected inside it by its ``first``/``last`` argument (or the default page size of 20); other
lists count once. ``opportunities(first: 100) { nodes { name decisionChain { members { person
{ name } } } } }`` costs 1 + 100 × (1 + 1 + 1 + 1 + 1 + 1) = 601.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    Visitor,
    get_named_type,
    visit,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationContext,
    validate,
)
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from dealgraph.engine.graphql_messages import TextError, translate, without_suggestions
from domain.request_errors import (
    ALIASES_LIMIT,
    COST_LIMIT,
    DEPTH_LIMIT,
    OPERATION_NAME_NEEDED,
    TOKENS_LIMIT,
)
from domain.text import Text

DEFAULT_PAGE: Final = 20


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one app (from settings)."""

    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 5000
    production: bool = False


def _int_argument(field: FieldNode, name: str, variables: Mapping[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return given if isinstance(given, int) and not isinstance(given, bool) else None
    return None


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def cost(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, seen: frozenset[str]
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.cost(fragment.selection_set, target or parent, seen | {name})
        return total

    def _field(self, field: FieldNode, parent: GraphQLNamedType, seen: frozenset[str]) -> int:
        name = field.name.value
        if name == "__typename":
            return 0
        definition: GraphQLField | None
        if name == "__schema":
            definition = SchemaMetaFieldDef
        elif name == "__type":
            definition = TypeMetaFieldDef
        else:
            fields = getattr(parent, "fields", None) or {}
            definition = fields.get(name)
        if definition is None:
            return 1
        named = get_named_type(definition.type)
        if field.selection_set is None:
            return 1
        multiplier = 1
        if named.name.endswith("Connection"):
            multiplier = (
                _int_argument(field, "first", self.variables)
                or _int_argument(field, "last", self.variables)
                or DEFAULT_PAGE
            )
            multiplier = max(1, multiplier)
        return 1 + multiplier * self.cost(field.selection_set, named, seen)


def query_cost(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of the operation that would run (the largest one if the name is ambiguous)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _CostWalker(schema, fragments, variables or {})
    costs = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        root = schema.get_root_type(definition.operation)
        if root is not None:
            costs.append(walker.cost(definition.selection_set, root, frozenset()))
    return max(costs, default=0)


CURRENT_LIMITS: ContextVar[Limits] = ContextVar(
    "dealgraph_limits",
    default=Limits(),  # noqa: B039 - Limits is frozen
)
"""The limits of the app serving the current request (set by ``dealgraph.app``)."""


@lru_cache(maxsize=32)
def _rules(limits: Limits) -> tuple[type[ASTValidationRule], ...]:
    rules: list[type[ASTValidationRule]] = [
        _when_fragments_are_defined(depth_validator(limits.max_depth, None)),
        _when_fragments_are_defined(aliases_validator(limits.max_aliases)),
    ]
    if limits.production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class _UndefinedSpread(Visitor):
    """Finds a spread of a fragment the document does not define."""

    def __init__(self, defined: frozenset[str]) -> None:
        super().__init__()
        self.defined = defined
        self.found = False

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> Any:
        if node.name.value not in self.defined:
            self.found = True
            return self.BREAK
        return None


def _undefined_fragment(document: Any) -> bool:
    """Whether the document spreads a fragment it does not define."""
    finder = _UndefinedSpread(
        frozenset(
            d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        )
    )
    visit(document, finder)
    return finder.found


def _when_fragments_are_defined(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """strawberry's depth and alias limits look spread fragments up by name and fail on one the
    document does not define; such a document gets the spec's "Unknown fragment" instead."""

    class DefinedFragmentsOnly(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            if not _undefined_fragment(context.document):
                rule(context)  # the limit checks the whole document when it is made

    return DefinedFragmentsOnly


# Query texts that passed validation under given limits. Validation depends on nothing else
# (one schema per process), and for a large query it costs more than parsing and a cost count
# together (about 2 ms for the 2,000-field decision-chain map), so a repeated query skips it.
# The cost still counts each time: it depends on the variables.
_VALID_DOCUMENTS: dict[tuple[str, Limits], None] = {}
_VALID_DOCUMENTS_MAX: Final = 512


def _remember_valid(key: tuple[str, Limits]) -> None:
    if len(_VALID_DOCUMENTS) >= _VALID_DOCUMENTS_MAX:
        _VALID_DOCUMENTS.clear()
    _VALID_DOCUMENTS[key] = None


class RequestLimits(SchemaExtension):
    """Depth, alias, token and cost limits (and no introspection in production), read per
    request from ``CURRENT_LIMITS`` so each app applies its own settings to the one schema.

    It runs the validation itself (strawberry then skips its own), so the cost is computed
    only for valid documents and a breach is reported like a validation error.
    """

    def on_operation(self) -> Iterator[None]:
        limits = CURRENT_LIMITS.get()
        context = self.execution_context
        context.parse_options["max_tokens"] = limits.max_tokens
        context.validation_rules = context.validation_rules + _rules(limits)
        yield

    def on_validate(self) -> Iterator[None]:
        limits = CURRENT_LIMITS.get()
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            schema = context.schema._schema
            known = (context.query, limits) if context.query is not None else None
            if known is not None and known in _VALID_DOCUMENTS:
                errors: list[GraphQLError] = []
            else:
                errors = list(validate(schema, document, context.validation_rules))
                if not errors and known is not None:
                    _remember_valid(known)
            # strawberry's operation_name falls back to the first operation; only the name the
            # request gave tells whether the client chose one
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if not errors and len(operations) > 1 and context._provided_operation_name is None:
                names = ", ".join(d.name.value for d in operations if d.name is not None)
                errors.append(TextError(OPERATION_NAME_NEEDED.format(names=names)))
            if not errors:
                cost = query_cost(schema, document, context.operation_name, context.variables)
                if cost > limits.max_cost:
                    said = COST_LIMIT.format(cost=cost, limit=limits.max_cost)
                    errors.append(LimitError(said, Breach("maxCost", limits.max_cost, cost)))
            context.pre_execution_errors = errors
        yield


@dataclass(frozen=True, slots=True)
class Breach:
    """A limit a request breached, as ``extensions.limit`` says it: the setting's name as the
    messages call it (``maxDepth``, ``maxAliases``, ``maxTokens``, ``maxCost``), its value, and
    the request's own figure where it is known (not for depth and tokens, where the check
    stops at the limit)."""

    name: str
    max: int
    actual: int | None = None

    def as_extension(self) -> dict[str, int | str]:
        shown: dict[str, int | str] = {"name": self.name, "max": self.max}
        if self.actual is not None:
            shown["actual"] = self.actual
        return shown


class LimitError(TextError):
    """A breach found by our own check (the cost), with the limit it breached."""

    def __init__(self, text: Text, breach: Breach) -> None:
        super().__init__(text)
        self.breach = breach


_LIMIT_MESSAGES: Final = (
    (
        re.compile(r"'(?P<operation>[^']*)' exceeds maximum operation depth of (?P<limit>\d+)"),
        DEPTH_LIMIT,
        "maxDepth",
    ),
    (
        re.compile(r"(?P<count>\d+) aliases found\. Allowed: (?P<limit>\d+)"),
        ALIASES_LIMIT,
        "maxAliases",
    ),
    (
        re.compile(
            r"Syntax Error: Document contains more than (?P<limit>\d+) tokens\. Parsing aborted\."
        ),
        TOKENS_LIMIT,
        "maxTokens",
    ),
)
"""The limit breaches strawberry (depth, aliases) and graphql-core (tokens) report, each with
the text that names the limit and the limit's name."""


def _breach(message: str) -> tuple[Text, Breach] | None:
    for pattern, text, name in _LIMIT_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            groups = found.groupdict()
            count = groups.get("count")
            breach = Breach(name, int(groups["limit"]), None if count is None else int(count))
            return text.format(**groups), breach
    return None


def limit_breach(message: str) -> Text | None:
    """The text of a depth, alias or token limit breach reported in ``message``, if it is one."""
    found = _breach(message)
    return None if found is None else found[0]


def breached_limit(error: GraphQLError) -> Breach | None:
    """The limit a request error breached, if it is a breach."""
    if isinstance(error, LimitError):
        return error.breach
    found = _breach(error.message)
    return None if found is None else found[1]


def explain(message: str, *, production: bool, locale: str = "en") -> str:
    """A request error's message in the request's language: a limit breach names its limit;
    graphql-core's own messages are translated where ``graphql_messages`` knows them, and lose
    their suggestions in production."""
    breach = limit_breach(message)
    if breach is not None:
        return breach.in_(locale)
    if production:
        message = without_suggestions(message)
    return translate(message, locale)


def describe(error: GraphQLError, *, production: bool, locale: str) -> str:
    """The message of a request error (a ``TextError`` of ours or one of graphql-core's)."""
    if isinstance(error, TextError):
        return error.text.in_(locale)
    return explain(error.message, production=production, locale=locale)
