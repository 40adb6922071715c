"""Shapes shared by the whole schema: user errors, connections, page info."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, dataclass_transform

import strawberry
from graphql import GraphQLInputObjectType, GraphQLScalarType, get_named_type
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from domain.errors import DomainError, FieldProblem
from resolvers.context import RequestContext
from resolvers.pagination import PageResult
from resolvers.process import ProcessRefused
from strategy.tas import Problem

T = TypeVar("T")


@strawberry.type(description="A problem with the input of a mutation, tied to a field path")
class UserError:
    field: list[str] = strawberry.field(
        description="Path to the input field, e.g. ['input', 'name']; empty for the whole input. "
        "An item of a list is at its position, e.g. ['input', 'personIds', '2']; inside a JSON "
        "input the path goes on with the keys and list positions as given, e.g. "
        "['input', 'fields', 'entries', '1', 'week']"
    )
    message: str
    code: str = strawberry.field(description="BAD_USER_INPUT, NOT_FOUND, CONFLICT or FORBIDDEN")
    message_zh: str = strawberry.field(
        description="The message in Chinese, whatever the request's language"
    )
    message_en: str = strawberry.field(
        description="The message in English, whatever the request's language: a page that "
        "switches language says it again in the new one",
    )


@strawberry.type(description="One reason a process step was refused, in both languages")
class ProcessProblem:
    code: str = strawberry.field(
        description="Stable rule code, e.g. MISSING_FIELD, MISSING_ACTION, MISSING_APPROVAL"
    )
    path: str = strawberry.field(description="The missing item, e.g. approvals.2-1")
    message: str = strawberry.field(description="The message in the request locale")
    message_zh: str
    message_en: str

    @classmethod
    def of(cls, problem: Problem, locale: str) -> Self:
        return cls(
            code=problem.code,
            path=problem.path,
            message=problem.message(locale),
            message_zh=problem.zh,
            message_en=problem.en,
        )


@dataclass_transform(kw_only_default=True, field_specifiers=(strawberry.field, StrawberryField))
def payload[P](
    description: str | None = None, *, problems: bool = False
) -> Callable[[type[P]], type[P]]:
    """A mutation's payload type: the fields it declares, then ``userErrors`` (and with
    ``problems`` a process refusal's ``problems``), empty unless the mutation was refused.
    A refused mutation returns ``refused.payload(<type>)`` (``Refusal.payload``)."""

    def declare(cls: type[P]) -> type[P]:
        refusal: dict[str, object] = {"user_errors": list[UserError]}
        if problems:
            refusal["problems"] = list[ProcessProblem]
        for name, annotation in refusal.items():
            cls.__annotations__[name] = annotation
            setattr(cls, name, strawberry.field(default_factory=list))
        return strawberry.type(cls, description=description)

    return declare


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def argument_names(info: Any) -> frozenset[str]:
    """The arguments of the running mutation (``id``, ``input``, ``version`` …)."""
    raw_info = info._raw_info
    return frozenset(raw_info.parent_type.fields[raw_info.field_name].args)


def user_errors(
    error: DomainError, locale: str = "en", arguments: frozenset[str] | None = None
) -> list[UserError]:
    """Field-level errors for a payload in the request's language; snake_case store names
    become API camelCase. A path names one of the mutation's ``arguments`` or a field inside
    its ``input`` (``version`` is ``["version"]`` beside an id, ``["input", "version"]``
    inside the input); a problem of no field (a role refused) is on the whole input, ``[]``."""
    top = arguments if arguments is not None else frozenset({"id", "version", "cascade"})
    result: list[UserError] = []
    for problem in error.problems:
        path = [_camel(p) for p in problem.field.split(".") if p]
        full = path if not path or path[0] in top or path[0] == "input" else ["input", *path]
        result.append(
            UserError(
                field=full,
                message=problem.text(locale),
                code=problem.code.value,
                message_zh=problem.message_zh,
                message_en=problem.message,
            )
        )
    return result


class Refusal:
    """The one refusal path of every mutation: inside ``with``, a use case's DomainError
    becomes ``errors`` (userErrors in the request's language, on the input fields the query
    really used); a process refusal also puts its rule paths (approvals.2-1, fields.x) on
    the real input fields, down to the key inside a JSON input, and keeps its bilingual
    ``problems``. A rule path that names no input field (``actions.decision_chain_mapped``
    of a stage move) lands on ``unplaced`` when given: the field the rule refused.
    Nothing else is caught."""

    def __init__(self, info: Info[RequestContext, None], *, unplaced: str | None = None) -> None:
        self.info = info
        self.unplaced = unplaced
        self.locale = info.context.locale
        self.errors: list[UserError] = []
        self.problems: list[Problem] = []

    def __enter__(self) -> Self:
        return self

    def payload[P](self, kind: Callable[..., P]) -> P:
        """The payload of the refused mutation: its errors (and the process refusal's
        problems where the payload shows them), every other field empty."""
        shown = {field.name for field in dataclasses.fields(kind)}  # type: ignore[arg-type]
        if "problems" not in shown:
            return kind(user_errors=self.errors)
        problems = [ProcessProblem.of(p, self.locale) for p in self.problems]
        return kind(user_errors=self.errors, problems=problems)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool:
        if not isinstance(error, DomainError):
            return False
        arguments = argument_names(self.info)
        self.errors = user_errors(error, locale=self.locale, arguments=arguments)
        if isinstance(error, ProcessRefused):
            raw_info = self.info._raw_info
            self.errors = [
                UserError(
                    field=self._placed(rule_path(raw_info, problem.field, arguments), problem),
                    message=e.message,
                    code=e.code,
                    message_zh=e.message_zh,
                    message_en=e.message_en,
                )
                for problem, e in zip(error.problems, self.errors, strict=True)
            ]
            self.problems = list(error.process_problems)
        return True

    def _placed(self, path: list[str], problem: FieldProblem) -> list[str]:
        """``path``, or ``unplaced`` where a rule's path found no input field below the input."""
        if self.unplaced is None or not problem.field or path != ["input"]:
            return path
        return rule_path(self.info._raw_info, self.unplaced, argument_names(self.info))


_RULE_FIELDS: dict[str, list[str]] = {"input.processCode": ["input", "process"]}
"""Rule paths whose input field has another name."""

_SEGMENT = re.compile(r'\["((?:[^"\\]|\\.)*)"\]|[^.\[\]]+')
"""One step of a rule's path: "fields.entries[1].week" is fields, entries, 1, week; a quoted
key is one step, 'fields["a.b"]' is fields, a.b (``strategy.tas.problems.key_path``)."""


def _steps(path: str) -> list[str]:
    return [
        m[0] if m.group(1) is None else json.loads(f'"{m.group(1)}"')
        for m in _SEGMENT.finditer(path)
    ]


def rule_path(raw_info: Any, path: str, arguments: frozenset[str]) -> list[str]:
    """The input path of a process rule's ``path`` (``fields.hours``, ``approvals.2-1``): on
    the mutation's real input, with the keys and list positions inside a JSON value as given
    (``["input", "fields", "entries", "1", "week"]``)."""
    steps = _steps(path)
    if steps and steps[0] not in arguments and steps[0] != "input":
        steps = ["input", *steps]
    return input_path(raw_info, _RULE_FIELDS.get(".".join(map(_camel, steps)), steps))


def input_path(raw_info: Any, path: Sequence[str]) -> list[str]:
    """The longest prefix of ``path`` that names an argument of the running mutation and the
    input fields inside it (snake_case steps name their camelCase fields); a rule's path
    ("approvals.2-1") is reported on the real input field it belongs to, or on the whole
    input. Inside a JSON value the rest of the path is its keys and positions, kept as they
    are."""
    field = raw_info.parent_type.fields[raw_info.field_name]
    if not path or path[0] not in field.args:
        return []
    found = [path[0]]
    current = get_named_type(field.args[path[0]].type)
    for at, step in enumerate(path[1:], start=1):
        if isinstance(current, GraphQLScalarType) and current.name == "JSON":
            return [*found, *path[at:]]
        name = _camel(step)
        if not isinstance(current, GraphQLInputObjectType) or name not in current.fields:
            break
        found.append(name)
        current = get_named_type(current.fields[name].type)
    return found


@strawberry.type(description="Where a page sits in its list")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a page with its cursor")
class Edge(Generic[T]):  # noqa: UP046 - strawberry resolves TypeVars, not PEP 695 params
    cursor: str
    node: T


@strawberry.type(description="A page of a list, with the size of the whole filtered list")
class Connection(Generic[T]):  # noqa: UP046
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
    total_count: int


def page_connection[N](objects: list[N], page: PageResult) -> Connection[N]:
    """The Relay connection of one page: ``objects`` are its items as API objects, in order."""
    return Connection(
        edges=[Edge(cursor=c, node=o) for c, o in zip(page.cursors, objects, strict=True)],
        nodes=objects,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        total_count=page.total,
    )
