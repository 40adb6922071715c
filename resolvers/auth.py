"""Who is calling: turns the Authorization header into a principal (actor, roles, scope).

Credentials are bearer tokens: dealgraph API tokens (``dg_<id>_<secret>``, made with
``dealgraph user token``) or, when configured, JWTs from an OIDC provider verified against
``DEALGRAPH_JWT_KEY`` or ``DEALGRAPH_JWT_JWKS_URL``, whose ``sub`` names a dealgraph user.
Either way the user's role and visible customers and opportunities come from the store in one
statement per request. With ``DEALGRAPH_AUTH_REQUIRED=false`` every caller is the development
administrator (never in production mode).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

import jwt

from domain.errors import DomainError, ErrorCode, FieldProblem
from domain.records import TeamMemberRecord
from domain.roles import Role, allowed_roles, refusal
from domain.text import Text
from graph.scope import EVERYTHING, Actor, Scope
from graph.security_store import PrincipalRecord, SecurityStore
from graph.sequence import SequenceMark
from graph.store import GraphStore
from resolvers.blocking import in_thread

log = logging.getLogger("dealgraph.auth")

HMAC_ALGORITHMS: Final = ["HS256", "HS384", "HS512"]
PUBLIC_KEY_ALGORITHMS: Final = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
]


class AuthSettings(Protocol):
    """The settings authentication reads (satisfied by ``dealgraph.settings.Settings``)."""

    @property
    def auth_required(self) -> bool: ...

    @property
    def jwt_key(self) -> str | None: ...

    @property
    def jwt_jwks_url(self) -> str | None: ...

    @property
    def jwt_audience(self) -> str | None: ...

    @property
    def jwt_issuer(self) -> str | None: ...


class AuthError(Exception):
    """Authentication or authorization failed before any resolver ran; ``text`` says why in
    both languages (the exception's own message is the English one, for the logs)."""

    def __init__(self, code: ErrorCode, message: Text, challenge: str = "") -> None:
        super().__init__(message.en)
        self.code = code
        self.text = message
        self.challenge = challenge
        """RFC 6750's error code for the ``WWW-Authenticate`` challenge ("invalid_token": a
        token was sent and is no good, so a client signs in again); empty when none was sent."""

    @property
    def www_authenticate(self) -> str:
        """The ``WWW-Authenticate`` value of a 401: the realm, and what was wrong with a token
        sent (RFC 6750, section 3), which a mobile client reads to sign in again."""
        if not self.challenge:
            return 'Bearer realm="dealgraph"'
        said = self.text.en.replace("\\", "").replace('"', "'")
        return f'Bearer realm="dealgraph", error="{self.challenge}", error_description="{said}"'


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller as the resolvers see them."""

    actor: Actor
    roles: frozenset[str]
    scope: Scope
    member_id: str | None = None
    member: TeamMemberRecord | None = None
    """The team member's record, read with the credentials."""
    member_known: bool = False
    """Whether ``member`` was read from the store (so ``me`` need not read it again)."""
    sequence: SequenceMark | None = None
    """Where the audit sequence stood as the credentials were read (``resolvers.kept``)."""


DEVELOPER = Principal(
    Actor("developer", "Development administrator"), frozenset({Role.ADMIN.value}), EVERYTHING
)

MISSING = Text(
    "authentication is required: send 'Authorization: Bearer <token>'",
    "需要登录：请在请求中发送 'Authorization: Bearer <令牌>'",
)
INVALID = Text("the credentials are invalid, expired or revoked", "凭据无效、已过期或已被吊销")


def principal_of(record: PrincipalRecord) -> Principal:
    """The resolvers' view of a user record from the store."""
    return Principal(
        Actor(record.user_id, record.name, record.member_id),
        frozenset({record.role}),
        record.scope,
        record.member_id,
        record.member,
        member_known=True,
        sequence=record.sequence,
    )


class Authenticator:
    """Resolves credentials to a principal."""

    def __init__(self, store: GraphStore, settings: AuthSettings) -> None:
        self.store = store
        self.settings = settings
        self._jwks: jwt.PyJWKClient | None = None

    async def authenticate(self, authorization: str | None) -> Principal:
        """The principal for an Authorization header value, or UNAUTHENTICATED."""
        if not self.settings.auth_required:
            return DEVELOPER
        if not authorization:
            raise AuthError(ErrorCode.UNAUTHENTICATED, MISSING)
        scheme, _, credentials = authorization.strip().partition(" ")
        token = credentials.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError(ErrorCode.UNAUTHENTICATED, MISSING)
        record = None if len(token) > 8192 else await in_thread(self.resolve, token)
        if record is None:
            raise AuthError(ErrorCode.UNAUTHENTICATED, INVALID, "invalid_token")
        return principal_of(record)

    def resolve(self, token: str) -> PrincipalRecord | None:
        """The user behind a bearer token (API token or JWT), or None (blocking)."""
        security = SecurityStore(self.store)
        if token.startswith("dg_"):
            return security.principal_for_token(token)
        if token.count(".") == 2 and (self.settings.jwt_key or self.settings.jwt_jwks_url):
            claims = self.verify_jwt(token)
            subject = claims.get("sub") if claims else None
            if isinstance(subject, str) and subject:
                return security.principal_for_user(subject)
        return None

    def verify_jwt(self, token: str) -> Mapping[str, Any] | None:
        """The claims of a JWT signed by the configured key or JWKS, or None."""
        settings = self.settings
        try:
            key: Any
            if settings.jwt_jwks_url:
                if self._jwks is None:
                    self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True)
                key = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = PUBLIC_KEY_ALGORITHMS
            else:
                key = settings.jwt_key
                assert key is not None
                algorithms = (
                    PUBLIC_KEY_ALGORITHMS
                    if key.lstrip().startswith("-----BEGIN")
                    else HMAC_ALGORITHMS
                )
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=settings.jwt_audience,
                issuer=settings.jwt_issuer,
                options={"require": ["exp", "sub"], "verify_aud": bool(settings.jwt_audience)},
            )
        except jwt.PyJWTError as error:
            log.info("JWT refused: %s", error)
            return None
        return claims


# --- role rules --------------------------------------------------------------------------------


def require_role(roles: frozenset[str], action: str, what: str, field: str = "") -> None:
    """FORBIDDEN unless one of ``roles`` may do ``action`` on ``what`` (see ``domain.roles``);
    the refusal is on ``field`` when one input value asks for more (the whole input else)."""
    allowed = allowed_roles(action, what)
    if allowed is not None and not roles & allowed:
        text = refusal(action, what)
        raise DomainError(FieldProblem(field, text.en, ErrorCode.FORBIDDEN, text.zh))
