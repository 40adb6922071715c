"""Shapes shared by the whole schema: user errors, connections, page info."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from domain.errors import DomainError

T = TypeVar("T")


@strawberry.type(description="A problem with the input of a mutation, tied to a field path")
class UserError:
    field: list[str] = strawberry.field(
        description="Path to the input field, e.g. ['input', 'name']; empty for the whole input"
    )
    message: str
    code: str = strawberry.field(description="BAD_USER_INPUT, NOT_FOUND, CONFLICT or FORBIDDEN")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def user_errors(error: DomainError, prefix: str = "input") -> list[UserError]:
    """Field-level errors for a payload; snake_case store names become API camelCase."""
    result: list[UserError] = []
    for problem in error.problems:
        path = [p for p in problem.field.split(".") if p] if problem.field else []
        path = [_camel(p) for p in path]
        if path and path[0] in ("id", "version", "cascade", prefix):
            full = path
        else:
            full = [prefix, *path] if prefix else path
        result.append(UserError(field=full, message=problem.message, code=problem.code.value))
    return result


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
