"""The Starlette application: /graphql, /healthz, /readyz, one store per process.

Errors leave this module in one shape: ``{"errors": [{"message", "extensions": {"code",
"requestId"}}]}`` with a code from a fixed set and a message in the request's language
(``Accept-Language``: zh-CN or English; the texts are in ``domain.request_errors``). Anything
unexpected is logged with the request id and reaches the client only as INTERNAL_SERVER_ERROR
with that id: no stack trace, no Cypher, no store message; a store that is down or did not answer
by the request's deadline as UNAVAILABLE, which a client may send again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.relay.types import GlobalIDValueError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from dealgraph import web
from dealgraph.cors import Cors
from dealgraph.engine.http_refusals import refusal_text
from dealgraph.engine.limits import CURRENT_LIMITS, Limits, breached_limit, describe
from dealgraph.engine.served import schema as graphql_schema
from dealgraph.ide import ASSET_PREFIX, ide_asset, ide_page
from dealgraph.negotiation import (
    GRAPHQL_RESPONSE,
    JSON,
    not_found,
    preferred_locale,
    response_media_type,
)
from dealgraph.settings import ServerKeys, Settings, server_secret_keys
from dealgraph.starting import SayWhyNotStarted, open_at_start
from dealgraph.stopping import Stop
from domain.errors import DomainError, ErrorCode, NotConfiguredError
from domain.request_errors import (
    BODY_TOO_LARGE,
    INTERNAL,
    NO_ANSWER,
    NO_ANSWER_TO_CHANGE,
    NOT_A_NODE,
    NOT_CHECKED,
    NOT_SAVED,
    STORE_DOWN,
    UNCONFIRMED,
)
from domain.text import Text, is_chinese
from graph.deadline import CURRENT_DEADLINE, Deadline, DeadlinePassedError
from graph.executor import StoreConflictError, StoreError
from graph.outage import StoreUnreachableError, UnconfirmedWriteError
from graph.scope import Actor
from graph.scope import Scope as Visibility
from graph.store import GraphStore
from resolvers import rules
from resolvers.auth import DEVELOPER, Authenticator, AuthError, Principal
from resolvers.blocking import in_thread
from resolvers.context import RequestContext
from resolvers.warming import Warming
from resolvers.webhooks import seal_secrets
from webhooks.dispatcher import BackgroundDispatcher, Dispatcher, DispatchSettings
from webhooks.sealing import SecretBox

log = logging.getLogger("dealgraph.api")

MAX_BODY_BYTES = 100_000
"""The default request body limit (``DEALGRAPH_MAX_BODY_BYTES``)."""
BACKGROUND_HOLD_SECONDS = 15.0
"""How long a stopping worker waits for the warm-up's batch and the webhook round under way."""
HUNG_HOLD_SECONDS = 0.5
"""As long, when the store did not answer at the stop (``dealgraph.stopping``): the store holds
them, and their work is done again by the next worker."""


NOBODY = Principal(Actor("anonymous", "Anonymous"), frozenset(), Visibility(everything=False))
"""Who loads the GraphiQL page: may see nothing and change nothing."""


class BodyTooLargeError(Exception):
    """The request body passed the configured limit while it was being read."""


def error_body(
    message: str, code: ErrorCode, request_id: str, media_type: str = JSON
) -> dict[str, Any]:
    """One top-level error in the GraphQL response shape; ``data`` only under
    ``application/json`` (under the GraphQL-over-HTTP type its absence means "not run")."""
    body: dict[str, Any] = {
        "errors": [
            {"message": message, "extensions": {"code": code.value, "requestId": request_id}}
        ],
    }
    return body if media_type == GRAPHQL_RESPONSE else {"data": None, **body}


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the operation never ran: parse, validation or variable errors carry no path."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def log_store_failure(what: str, error: StoreError) -> None:
    """A request the store failed: while the store is unreachable one WARNING line per request
    (what failed, where the store is, the error), its trace only for the first failure of the
    outage (and at DEBUG); any other store failure is unexpected, with its trace at ERROR."""
    if not isinstance(error, StoreUnreachableError):
        log.error("%s: the store failed", what, exc_info=error)
        return
    if isinstance(error, UnconfirmedWriteError):
        log.warning(
            "%s: the store went away during a write, so it may or may not be saved: %s (%s)",
            what,
            error.what or "a change",
            error.where,
            exc_info=error if error.first else None,
        )
    else:
        log.warning(
            "%s: the store is unreachable (%s): %s",
            what,
            error.where,
            error,
            exc_info=error if error.first else None,
        )
    if not error.first:
        log.debug("%s: the trace of the failure", what, exc_info=error)


def _error_text(
    error: GraphQLError, request_id: str, *, production: bool
) -> tuple[ErrorCode, Text]:
    """An error's code and its message in both languages; the unexpected ones are logged and
    masked."""
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code, original.text
    if isinstance(original, AuthError | NotConfiguredError):
        return original.code, original.text
    if isinstance(original, GlobalIDValueError):
        # a well-formed ID naming a type that is not a node: the client's mistake
        return ErrorCode.BAD_USER_INPUT, NOT_A_NODE
    if original is None or isinstance(original, GraphQLError) or error.path is None:
        return ErrorCode.BAD_USER_INPUT, Text(
            describe(error, production=production, locale="en"),
            describe(error, production=production, locale="zh-CN"),
        )
    if isinstance(original, DeadlinePassedError):
        log.warning("request %s: %s, at %s", request_id, original, error.path)
        late = NO_ANSWER_TO_CHANGE if original.deadline.writes else NO_ANSWER
        said = late.format(seconds=original.deadline.seconds, request_id=request_id)
        return ErrorCode.UNAVAILABLE, said
    if isinstance(original, StoreError) and not isinstance(original, StoreConflictError):
        log_store_failure(f"request {request_id} at {error.path}", original)
        said = UNCONFIRMED if isinstance(original, UnconfirmedWriteError) else STORE_DOWN
        return ErrorCode.UNAVAILABLE, said.format(request_id=request_id)
    log.error("request %s failed at %s", request_id, error.path, exc_info=original)
    return ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL.format(request_id=request_id)


def format_error(
    error: GraphQLError, request_id: str, *, locale: str = "en", production: bool = False
) -> dict[str, Any]:
    """Give every GraphQL error a code from the fixed set and a message in ``locale``, with
    the message in both languages in its extensions (``messageEn``, ``messageZh``: a page that
    switches language says it again in the new one); mask the unexpected ones."""
    code, said = _error_text(error, request_id, production=production)
    formatted: dict[str, Any] = {
        "message": said.in_(locale),
        "extensions": {
            "code": code.value,
            "requestId": request_id,
            "messageEn": said.en,
            "messageZh": said.zh,
        },
    }
    if error.path is not None:
        formatted["path"] = list(error.path)
    elif (breach := breached_limit(error)) is not None:
        formatted["extensions"]["limit"] = breach.as_extension()
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    return formatted


def _locale(request: Any) -> str:
    """The request's language, worked out once when an HTTP request came in (``state``); a
    WebSocket, handed to Strawberry as it is, reads it from its header."""
    state = request.scope.get("state", {})
    locale = state.get("locale")
    if isinstance(locale, str):
        return locale
    return preferred_locale(request.headers.get("accept-language"))


def asks_for_change(body: bytes) -> bool:
    """Whether a POST body asks for a mutation: read only when the store could not check who
    sent it, to tell a person saving a form that the change was not saved."""
    try:
        sent = orjson.loads(body)
        document = parse(sent["query"])
        name = sent.get("operationName")
    except Exception:  # not JSON, no query, not GraphQL: no change it could have asked for
        return False
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            return definition.operation is OperationType.MUTATION
    return False


class DealgraphGraphQL(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view with dealgraph's context, error shape and HTTP errors as JSON."""

    def __init__(self, store: GraphStore, settings: Settings, **kwargs: Any) -> None:
        super().__init__(graphql_schema, **kwargs)
        self.limits = Limits(
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_cost=settings.max_cost,
            production=settings.production,
        )
        self.store = store
        self.settings = settings
        self.authenticator = Authenticator(store, settings)
        self.secret_box = SecretBox()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        CURRENT_LIMITS.set(self.limits)
        token = CURRENT_DEADLINE.set(Deadline.after(self.settings.request_timeout_seconds))
        try:
            await self._serve(scope, receive, send)
        finally:
            CURRENT_DEADLINE.reset(token)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["media_type"] = response_media_type(request.headers.get("accept"))
        state["locale"] = preferred_locale(request.headers.get("accept-language"))
        response = await self._guarded(request, request_id)
        response.headers["X-Request-Id"] = request_id
        await response(scope, receive, send)

    async def _guarded(self, request: Request, request_id: str) -> Response:
        media_type: str = request.scope["state"]["media_type"]
        language: str = request.scope["state"]["locale"]

        def refusal(message: str, code: ErrorCode, status: int) -> JSONResponse:
            body = error_body(message, code, request_id, media_type)
            response = JSONResponse(body, status)
            if media_type == GRAPHQL_RESPONSE:
                response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            return response

        limit = self.settings.max_body_bytes

        def too_large() -> JSONResponse:  # made only when needed: most requests are not
            text = BODY_TOO_LARGE.format(limit=limit).in_(language)
            return refusal(text, ErrorCode.BAD_USER_INPUT, 413)

        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return too_large()
        try:
            await self._read_body(request, limit)
        except BodyTooLargeError:
            return too_large()
        try:
            if not self._is_ide_page(request):
                principal = await self._authenticate(request)
                request.scope.setdefault("state", {})["principal"] = principal
            return self._with_media_type(await self.run(request), request)
        except HTTPException as error:
            if error.status_code == 404:
                return not_found(request)
            reason = refusal_text(error, request.method).in_(language)
            if isinstance(error.__cause__, InvalidOperationTypeError):
                # a mutation over GET: the method is wrong, not the request (GraphQL over HTTP)
                response = refusal(reason, ErrorCode.BAD_USER_INPUT, 405)
                response.headers["Allow"] = "POST"
                return response
            response = refusal(reason, ErrorCode.BAD_USER_INPUT, error.status_code)
            if error.status_code == 405:
                response.headers["Allow"] = "GET, POST"
            return response
        except AuthError as error:
            status = {ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403}.get(error.code, 503)
            text = error.text
            if status == 503:  # the store failed before anything of the request ran
                if asks_for_change(await request.body()):
                    text = NOT_SAVED
                text = text.format(request_id=request_id)
            response = refusal(text.in_(language), error.code, status)
            if error.code is ErrorCode.UNAUTHENTICATED:
                response.headers["WWW-Authenticate"] = error.www_authenticate
            return response

    @staticmethod
    def _with_media_type(response: Response, request: Request) -> Response:
        """Under ``application/graphql-response+json`` an operation that never ran is a 400;
        ``application/json`` keeps 200 for the clients written before the spec."""
        state = request.scope["state"]
        if state["media_type"] != GRAPHQL_RESPONSE or isinstance(response, HTMLResponse):
            return response
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        if state.get("request_error"):
            response.status_code = 400
        return response

    @staticmethod
    async def _read_body(request: Request, limit: int) -> None:
        """Read the body once, counting bytes: chunked bodies have no Content-Length."""
        if request.method not in ("POST", "PUT", "PATCH"):
            return
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLargeError
            chunks.append(chunk)
        request._body = b"".join(chunks)

    def _is_ide_page(self, request: Request) -> bool:
        """A browser asking for the GraphiQL page (development only) needs no credentials."""
        return (
            not self.settings.production
            and request.method == "GET"
            and "query" not in request.query_params
            and "text/html" in request.headers.get("accept", "")
        )

    async def _authenticate(self, request: Request) -> Principal:
        try:
            return await self.authenticator.authenticate(request.headers.get("authorization"))
        except AuthError:
            raise
        except DeadlinePassedError as error:
            log.warning("authentication: %s", error)
            raise AuthError(ErrorCode.UNAVAILABLE, NOT_CHECKED) from error
        except Exception as error:
            request_id = request.scope.get("state", {}).get("request_id", "")
            if isinstance(error, StoreError):
                log_store_failure(f"request {request_id}: authentication", error)
            else:
                log.error(
                    "request %s: authentication failed: %s", request_id, error, exc_info=error
                )
            down = isinstance(error, StoreError)
            code = ErrorCode.UNAVAILABLE if down else ErrorCode.INTERNAL_SERVER_ERROR
            raise AuthError(code, NOT_CHECKED) from error

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        state = request.scope.get("state", {})
        request_id = state.get("request_id", "")
        principal = state.get("principal")
        if not isinstance(principal, Principal):
            if not self.settings.auth_required:
                principal = DEVELOPER
            elif self._is_ide_page(request):
                principal = NOBODY  # the IDE page itself runs no operation
            else:
                principal = await self._authenticate(request)
        locale = _locale(request)
        if response is not None:  # none over a WebSocket
            # the answer's texts follow the request's language: a cache keeps one per language
            response.headers["Content-Language"] = "zh-CN" if is_chinese(locale) else "en"
            response.headers.add_vary_header("Accept-Language")
        return RequestContext(
            store=self.store,
            actor=principal.actor,
            scope=principal.scope,
            roles=principal.roles,
            member_id=principal.member_id,
            member=principal.member,
            member_known=principal.member_known,
            sequence=principal.sequence,
            development=principal is DEVELOPER,
            locale=locale,
            request_id=request_id,
            webhook_private_targets=self.settings.webhooks_allow_private,
            secret_box=self.secret_box,
        )

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        state = request.scope.get("state", {})
        request_id = state.get("request_id", "")
        data: GraphQLHTTPResponse = {"data": result.data}
        if is_request_error(result):
            state["request_error"] = True
            if state.get("media_type") == GRAPHQL_RESPONSE:
                data = {}  # no data entry: the operation did not run
        if result.errors:
            locale = _locale(request)
            production = self.settings.production
            data["errors"] = [
                format_error(error, request_id, locale=locale, production=production)
                for error in result.errors
            ]
        return data

    def encode_json(self, data: object) -> bytes:
        """orjson: a 100-person decision chain encodes about ten times faster than with json."""
        try:
            return orjson.dumps(data)
        except TypeError:  # what orjson refuses (an integer beyond 64 bits) json still writes
            return json.dumps(data, separators=(",", ":")).encode()

    async def render_graphql_ide(self, request: Any) -> HTMLResponse:
        """GraphiQL from the app's own files (see ``dealgraph.ide``), never from a CDN."""
        return ide_page()

    def _handle_errors(self, errors: Any, response_data: Any) -> None:
        """Errors are already logged (unexpected ones) by ``format_error``."""


async def answers(store: GraphStore, seconds: int) -> bool:
    """Whether the store answers a ping within ``seconds``, asked off the event loop: a store
    that hangs must not hold the other requests while /readyz waits."""
    try:
        return await asyncio.wait_for(in_thread(store.ping), seconds)
    except TimeoutError:
        return False


def create_app(settings: Settings, store: GraphStore | None = None) -> Starlette:
    """The ASGI app. With ``store`` given (tests), the app uses it and does not close it.

    The rules files (process definition, strategy configuration) are loaded here, so a
    malformed one stops the start with ``RulesError`` naming its line or key.
    """
    rules.install(rules.load_rules(settings.process_file, settings.strategy_config))
    holder: dict[str, GraphStore] = {}
    keys = server_secret_keys(settings)
    box = SecretBox(keys.keys)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = store is None
        active = store or open_at_start(settings)
        seal_at_start(active, box, keys)
        holder["store"] = active
        graphql.store = active
        graphql.authenticator.store = active
        dispatcher = start_dispatcher(settings, active, box)
        app.state.warming = start_warming(settings, active)
        stop = Stop(active)
        stop.listen()
        try:
            yield
        finally:
            # the background work's batch under way is waited for, unless the store holds it
            hung = await stop.settled()
            hold = HUNG_HOLD_SECONDS if hung else BACKGROUND_HOLD_SECONDS
            if app.state.warming is not None:
                app.state.warming.stop(hold)
            if dispatcher is not None:
                dispatcher.stop(hold)
            if own:
                active.close(hung=hung)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        active = holder.get("store") or store
        ready = active is not None and await answers(active, settings.neo4j_wait_seconds)
        body: dict[str, Any] = {"status": "ready" if ready else "unavailable"}
        if keys.source == "missing":
            body["warnings"] = [SECRET_KEY_MISSING]
        return JSONResponse(body, status_code=200 if ready else 503)

    placeholder = store if store is not None else GraphStore(_NoExecutor())
    graphql = DealgraphGraphQL(
        placeholder,
        settings,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
    )
    graphql.secret_box = box
    if store is not None:
        holder["store"] = store
    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/graphql", graphql),  # a Route: POST /graphql must not redirect to /graphql/
    ]
    if not settings.production:
        routes.append(Route(ASSET_PREFIX + "{asset}", ide_asset))
    return Starlette(
        routes=[*routes, *web.routes()],  # web: the decision-chain map page (/app)
        lifespan=lifespan,
        exception_handlers={404: unserved},
        # outermost: a browser's preflight carries no token and must not meet authentication
        middleware=[
            Middleware(SayWhyNotStarted),
            Middleware(Cors, origins=settings.cors_origins, locale=preferred_locale),
        ],
    )


async def unserved(request: Request, error: Exception) -> Response:
    """Starlette's answer to a path no route serves, in the request's language."""
    return not_found(request)


SECRET_KEY_MISSING = (
    "DEALGRAPH_SECRET_KEY is not set: webhook endpoints cannot be created nor their secrets "
    "rotated, and sealed secrets cannot be opened (docs/webhooks.md#signing-secrets-at-rest)"
)


def seal_at_start(store: GraphStore, box: SecretBox, keys: ServerKeys) -> None:
    """The start's migration: seal the webhook secrets stored in plain text. Without a key
    (production), say so instead; a failure is logged and the next start tries again."""
    if keys.source == "missing":
        log.warning(SECRET_KEY_MISSING)
        return
    try:
        sealing = seal_secrets(store, box)
    except Exception:
        log.exception("sealing the stored webhook secrets failed; the next start tries again")
        return
    if sealing.unreadable:
        log.error(
            "webhook endpoints whose signing secret no secret key opens (their deliveries "
            "fail until their secret is rotated): %s",
            ", ".join(sealing.unreadable),
        )


def start_dispatcher(
    settings: Settings, store: GraphStore, box: SecretBox
) -> BackgroundDispatcher | None:
    """The webhook dispatcher of this worker (its own GraphStore over the same back end, so
    its statements are not counted as the API's), unless the settings turn it off."""
    if not settings.webhooks_dispatch:
        return None
    config = DispatchSettings(allow_private=settings.webhooks_allow_private)
    worker = Dispatcher(GraphStore(store.executor), config, box=box)
    background = BackgroundDispatcher(worker)
    background.start()
    return background


def start_warming(settings: Settings, store: GraphStore) -> Warming | None:
    """This worker's warm-up of the chains of open deals (``resolvers.warming``), unless the
    settings turn it off."""
    if settings.warm_deals == 0:
        return None
    warming = Warming(store, settings.warm_deals)
    warming.start()
    return warming


class _NoExecutor:
    """Stands in until the lifespan opens the real store."""

    name = "unopened"

    def read(self, statement: str, params: Any) -> list[dict[str, Any]]:
        raise RuntimeError("the store is not open yet")

    write = read

    def ensure_schema(self) -> None:
        raise RuntimeError("the store is not open yet")

    def ping(self) -> bool:
        return False

    def close(self, *, hung: bool = False) -> None:
        return None
