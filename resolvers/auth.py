"""Who is calling: turns the Authorization header into a principal (actor, roles, scope).

Without ``DEALGRAPH_AUTH_REQUIRED`` every caller is the development administrator, which is
what ``make run`` serves on a laptop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.errors import ErrorCode
from graph.scope import EVERYTHING, Actor, Scope
from graph.store import GraphStore


class AuthSettings(Protocol):
    """The settings authentication reads (satisfied by ``dealgraph.settings.Settings``)."""

    @property
    def auth_required(self) -> bool: ...


class AuthError(Exception):
    """Authentication or authorization failed before any resolver ran."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller as the resolvers see them."""

    actor: Actor
    roles: frozenset[str]
    scope: Scope


DEVELOPER = Principal(
    Actor("developer", "Development administrator"), frozenset({"admin"}), EVERYTHING
)


class Authenticator:
    """Resolves credentials to a principal."""

    def __init__(self, store: GraphStore, settings: AuthSettings) -> None:
        self.store = store
        self.settings = settings

    async def authenticate(self, authorization: str | None) -> Principal:
        """The principal for an Authorization header value."""
        if not self.settings.auth_required:
            return DEVELOPER
        raise AuthError(ErrorCode.UNAUTHENTICATED, "authentication is required")
