"""The ``dealgraph`` command: serve, demo, export, import, schema, secret-key, summary, user,
sweep, webhooks.

Each subcommand opens the configured store itself; a settings problem is printed as one line
naming the variable, with exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from dealgraph.cores import available_cores
from dealgraph.demo import load_demo
from dealgraph.settings import (
    Settings,
    SettingsError,
    check_embedded_server,
    load_settings,
    open_executor,
    server_secret_keys,
    store_problem,
)
from dealgraph.transfer import (
    TransferError,
    export_graph,
    import_graph,
    readable,
    records_held,
)
from domain.errors import DomainError
from domain.model import NodeKind
from domain.roles import ROLES, Role
from domain.vocabulary import Stage
from resolvers import maintenance, security, violations
from resolvers import webhooks as hooks
from resolvers.rules import RulesError, install, load_rules
from schema.ids import raw_id, type_of
from webhooks.sealing import SecretBox, new_key

DEV_USER = "developer"
DEV_TOKEN_FILE = "dev-token"


def dev_token_path(settings: Settings) -> Path:
    """Where ``dealgraph demo`` keeps the development token (development mode only)."""
    return settings.data_dir / DEV_TOKEN_FILE


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    process = load_rules(settings.process_file, settings.strategy_config).process
    with maintenance.opened(open_executor(settings)) as store:
        print(load_demo(store))
        # the process's findings on the demo deal from the first page on, as the scheduled
        # sweep of a deployment would have them, not only once a write checks the deal
        swept = violations.sweep(store, process)
        print(f"process check: {len({f.key for f in swept.findings})} violations open")
        print(maintenance.summary(store))
        if not settings.production:
            path = dev_token_path(settings)
            token = security.ensure_token(store, path, DEV_USER, Role.ADMIN.value, "development")
            print(f"development token (user {DEV_USER!r}, admin; also in {path}):")
            print(f"  Authorization: Bearer {token}")
    return 0


def cmd_user(settings: Settings, args: argparse.Namespace) -> int:
    with maintenance.opened(open_executor(settings)) as store:
        try:
            for name in ("member", "manager"):
                if getattr(args, name, None):
                    setattr(args, name, _member_id(getattr(args, name), name))
            if args.action == "add":
                security.add_user(store, args.name, args.role, args.member)
                member = f", acting as team member {args.member}" if args.member else ""
                print(f"user {args.name} added with role {args.role}{member}")
            elif args.action == "set":
                link: tuple[str | None] | None = (
                    (None,) if args.unlink else (args.member,) if args.member else None
                )
                disabled = True if args.disable else False if args.enable else None
                if args.role is None and link is None and disabled is None:
                    print(
                        "dealgraph: user set: give --role, --member, --unlink, --disable or "
                        "--enable",
                        file=sys.stderr,
                    )
                    return 2
                security.change_user(
                    store, args.name, role=args.role, member=link, disabled=disabled
                )
                user = next(u for u in security.list_users(store) if u["id"] == args.name)
                print(f"user {args.name} changed: {_user_row(user)}")
            elif args.action == "token":
                issued = security.issue_token(store, args.name, args.label, replace=args.replace)
                print(f"token {issued.token_id} for {args.name} (shown once, store it safely):")
                print(issued.token)
                for old in issued.replaced:
                    print(f"token {old} revoked (replaced)")
            elif args.action == "revoke":
                security.revoke_token(store, args.token_id)
                print(f"token {args.token_id} revoked")
            elif args.action == "manage":
                boss, report = security.set_manages(
                    store, args.manager, args.member, remove=args.remove
                )
                verb = "no longer manages" if args.remove else "manages"
                print(f"{boss['name']} {verb} {report['name']}")
            else:
                for user in security.list_users(store):
                    print(f"{user['id']}\t{_user_row(user)}")
        except DomainError as error:
            print(f"dealgraph: {_given(error, args)}", file=sys.stderr)
            return 1
    return 0


def _member_id(given: str, field: str) -> str:
    """A team member's store id, given as such or as the ID the API and the app show: the
    operator copies it from either."""
    if type_of(given) is None:
        return given
    return raw_id(given, NodeKind.TEAM_MEMBER.value, field)


_ARGUMENTS: Final = {"manager_id": "manager", "member_id": "member", "team_member_id": "member"}
"""The command's argument behind each input field a use case's refusal names."""


def _given(error: DomainError, args: argparse.Namespace) -> str:
    """The refusal with the value the operator typed beside each field it names: the API's
    texts never quote ids, but on the command line the operator gave them and wants to see
    which one was wrong."""
    parts = []
    for p in error.problems:
        field = _ARGUMENTS.get(p.field, p.field)
        value = getattr(args, field, None) if field else None
        where = f"{field} {value!r}" if isinstance(value, str) else field
        parts.append(f"{where}: {p.message}" if where else p.message)
    return "; ".join(parts)


def _token_shown(token: Mapping[str, Any]) -> str:
    """``id(label, YYYY-MM-DD HH:MM)``, the parts known."""
    issued = token.get("created_at")
    when = (
        datetime.fromtimestamp(int(issued) / 1000, UTC).strftime("%Y-%m-%d %H:%M") if issued else ""
    )
    told = ", ".join(x for x in (token.get("label") or "", when) if x)
    return f"{token['id']}({told})" if told else str(token["id"])


def _user_row(user: Mapping[str, Any]) -> str:
    """A user's role, member and tokens as ``user list`` shows them: each token in use by id,
    with its label and the minute it was issued (UTC) to tell a lost one from the others."""
    active = [_token_shown(t) for t in user["tokens"] if t.get("revoked_at") is None]
    revoked = len(user["tokens"]) - len(active)
    status = "disabled" if user.get("disabled") else "active"
    return (
        f"role={user['role']}\tmember={user.get('member_id') or '-'}"
        f"\ttokens={','.join(active) or '-'}\trevoked={revoked}\tstatus={status}"
    )


def cmd_summary(settings: Settings, args: argparse.Namespace) -> int:
    with maintenance.opened(open_executor(settings)) as store:
        print(maintenance.summary(store))
    return 0


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    box = SecretBox(server_secret_keys(settings).keys)
    with maintenance.opened(open_executor(settings)) as store:
        hooks.seal_secrets(store, box)  # the backup carries no secret in plain text
        try:
            count = export_graph(store, Path(args.file))
        except OSError as error:  # a folder that does not exist, a full disk, no permission
            print(
                f"dealgraph: export failed, no file written: cannot write {args.file} "
                f"({error.strerror or error})",
                file=sys.stderr,
            )
            return 1
    print(f"exported {count} records to {args.file}")
    return 0


_NOT_EMPTY: Final = (
    "dealgraph: import refused, nothing was written: the store already holds {held} records. A "
    "restore goes into an empty store (a new DEALGRAPH_DATA_DIR, or an empty Neo4j database). "
    "To merge the file into this store, run the import again with --merge: what the file holds "
    "replaces what the store holds, so a token revoked, a login disabled or a role changed "
    "since the export is as the file has it again (an import of this file that stopped part "
    "way is finished so too)."
)


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        readable(Path(args.file))  # a file that cannot be read is said before the store is
        with maintenance.opened(open_executor(settings)) as store:
            held = records_held(store)
            if held and not args.merge:
                print(_NOT_EMPTY.format(held=held), file=sys.stderr)
                return 1
            count = import_graph(store, Path(args.file))
    except (TransferError, OSError) as error:
        print(f"dealgraph: import failed: {error}", file=sys.stderr)
        return 1
    print(f"imported {count} records from {args.file}")
    return 0


def cmd_sweep(settings: Settings, args: argparse.Namespace) -> int:
    process = load_rules(settings.process_file, settings.strategy_config).process
    with maintenance.opened(open_executor(settings)) as store:
        result = violations.sweep(store, process)
    print(
        f"checked {result.checked} open opportunities: "
        f"{len({f.key for f in result.findings})} violations, {len(result.new_keys)} new, "
        f"{len(result.resolved_ids)} resolved"
    )
    return 0


def cmd_calibrate(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: the fitting brings numpy and scipy, which no other command needs.
    from dealgraph.calibrate import calibrate

    strategy = load_rules(settings.process_file, settings.strategy_config).strategy
    with maintenance.opened(open_executor(settings)) as store:
        return calibrate(store, strategy, show=args.show, roll_back=args.roll_back)


def cmd_changes(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: the report brings the whole strategy engine, which no other command needs.
    from dealgraph.changes_report import parse_day, report

    install(load_rules(settings.process_file, settings.strategy_config))
    try:
        since = parse_day(args.since) if args.since else None
        until = parse_day(args.until) if args.until else None
        stages = (Stage(args.from_stage), Stage(args.to_stage)) if args.from_stage else None
    except ValueError as error:
        print(f"dealgraph: {error}", file=sys.stderr)
        return 2
    if (since is None) == (stages is None) or bool(args.from_stage) != bool(args.to_stage):
        print("dealgraph: give --since, or --from-stage and --to-stage", file=sys.stderr)
        return 2
    try:
        with maintenance.opened(open_executor(settings)) as store:
            text = report(
                store,
                args.opportunity,
                since=since,
                until=until,
                stages=stages,
                locale=args.lang,
                threshold=args.threshold,
            )
    except (LookupError, ValueError) as error:
        print(f"dealgraph: {error}", file=sys.stderr)
        return 1
    print(text)
    return 0


def cmd_webhooks(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: delivery brings httpx, which no other command needs.
    from webhooks.dispatcher import Dispatcher, DispatchSettings
    from webhooks.retry import RetryPolicy

    if args.lease <= args.timeout:
        print("dealgraph: --lease must be longer than --timeout", file=sys.stderr)
        return 2
    config = DispatchSettings(
        allow_private=settings.webhooks_allow_private,
        lease_ms=int(args.lease * 1000),
        timeout_s=args.timeout,
        idle_s=args.idle,
        policy=RetryPolicy(first_ms=int(args.first_retry * 1000)),
    )
    box = SecretBox(server_secret_keys(settings).keys)
    with maintenance.opened(open_executor(settings)) as store:
        hooks.seal_secrets(store, box)
        dispatcher = Dispatcher(store, config, box=box)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            if args.once:
                done = dispatcher.run_once()
                print(f"attempted {len(done)} deliveries")
            else:
                print(f"dispatching webhooks as {dispatcher.owner}", flush=True)
                dispatcher.run(stop)
        finally:
            dispatcher.close()
    return 0


def cmd_webhooks_rekey(settings: Settings, args: argparse.Namespace) -> int:
    keys = server_secret_keys(settings)
    if not keys.keys:
        print("dealgraph: webhooks rekey: DEALGRAPH_SECRET_KEY is not set", file=sys.stderr)
        return 2
    with maintenance.opened(open_executor(settings)) as store:
        done = hooks.seal_secrets(store, SecretBox(keys.keys), rekey=True)
    print(
        f"webhook signing secrets: {done.sealed} endpoints sealed with the first secret key, "
        f"{done.kept} already were"
    )
    if done.unreadable:
        print(
            "dealgraph: no secret key opens the signing secret of these endpoints; rotate "
            f"their secrets (webhookEndpointRotateSecret): {', '.join(done.unreadable)}",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_secret_key(settings: Settings, args: argparse.Namespace) -> int:
    print(new_key())
    return 0


def _within(what: str, low: int, high: int) -> Callable[[str], int]:
    """An argument's whole number between ``low`` and ``high``, refused in one line otherwise
    (argparse's usage error) rather than a server that binds nothing or a socket's trace."""

    def cast(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be {low} to {high}, not {value}")
        return value

    cast.__name__ = what  # argparse names the type so in its message
    return cast


def _seconds(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _webhooks_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = sub.add_parser(
        "webhooks",
        help="deliver webhook events (the server does it too)",
        description="Webhook delivery outside the server (docs/webhooks.md).",
    )
    actions = hooks.add_subparsers(dest="action", required=True, metavar="ACTION")
    dispatch = actions.add_parser(
        "dispatch",
        help="deliver pending webhook events until stopped",
        description="Fan out new events to the endpoints and deliver them, with retries, "
        "until SIGTERM or Ctrl-C. Safe beside the servers' own dispatchers.",
    )
    dispatch.add_argument(
        "--once", action="store_true", help="one round, then exit (default: loop until stopped)"
    )
    dispatch.add_argument(
        "--lease",
        type=_seconds,
        default=60.0,
        help="seconds a claimed delivery stays ours before another dispatcher may take it "
        "(default: 60)",
    )
    dispatch.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        help="seconds a receiver has to answer; shorter than --lease (default: 10)",
    )
    dispatch.add_argument(
        "--idle", type=_seconds, default=1.0, help="seconds to wait when idle (default: 1)"
    )
    dispatch.add_argument(
        "--first-retry",
        type=_seconds,
        default=5.0,
        help="seconds before the first retry; each next wait is 4 times longer, up to 12 h, "
        "for 3 days (default: 5)",
    )
    dispatch.set_defaults(handler=cmd_webhooks)
    actions.add_parser(
        "rekey",
        help="seal every webhook signing secret with the first secret key",
        description="After a new key was put first in DEALGRAPH_SECRET_KEY: seal every "
        "endpoint's signing secret again with it, so the old keys can be dropped from the "
        "list. Safe to run again and beside running servers. Takes no arguments.",
    ).set_defaults(handler=cmd_webhooks_rekey)


def cmd_schema(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: building the GraphQL schema takes a while that other commands should not pay.
    from dealgraph.sdl import export_sdl

    sys.stdout.write(export_sdl())
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: the server brings uvicorn, the app and the schema, which other commands
    # should not pay for at start.
    from dealgraph.serve import serve

    load_rules(settings.process_file, settings.strategy_config)  # refuse a bad file up front
    server_secret_keys(settings)  # development mode's key, kept in the data folder
    if settings.store == "neo4j":  # reached and its schema in place, or said in one line
        with maintenance.opened(open_executor(settings)):
            pass
    else:  # a server already running on the folder answers (or loads), or is said in one line
        check_embedded_server(settings)
    return serve(settings, host=args.host, port=args.port, workers=args.workers, reload=args.reload)


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``dealgraph`` command; ``settings`` give serve's defaults."""
    defaults = settings or Settings()
    parser = argparse.ArgumentParser(
        prog="dealgraph",
        description="Decision-chain graph and TAS+ sales process, served as a GraphQL API. "
        "Settings come from DEALGRAPH_* environment variables or a .env file (see README).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser(
        "serve",
        help="serve the GraphQL API with uvicorn",
        description="Serve the GraphQL API at http://HOST:PORT/graphql (GraphiQL in a browser "
        "in development mode). Refuses to start when the port is taken.",
    )
    serve.add_argument(
        "--host",
        default=defaults.host,
        help=f"address to listen on; 0.0.0.0 for every interface "
        f"(default: DEALGRAPH_HOST, else 127.0.0.1; now {defaults.host})",
    )
    serve.add_argument(
        "--port",
        type=_within("a port", 1, 65535),
        default=defaults.port,
        help=f"TCP port to listen on (default: DEALGRAPH_PORT, else 8000; now {defaults.port})",
    )
    serve.add_argument(
        "--workers",
        type=_within("a number of workers", 1, 256),
        default=available_cores(),
        help="worker processes sharing the store (default: the cores available to this "
        f"process; now {available_cores()})",
    )
    serve.add_argument(
        "--reload",
        action="store_true",
        help="restart on code changes, one worker (development; default: off)",
    )
    serve.set_defaults(handler=cmd_serve)
    sub.add_parser(
        "demo",
        help="load the demo deal (idempotent)",
        description="Load the demo customer, people and deal; in development mode also print "
        "a development token. Takes no arguments.",
    ).set_defaults(handler=cmd_demo)
    sub.add_parser(
        "secret-key",
        help="print a new secret key for DEALGRAPH_SECRET_KEY",
        description="Print a new random key that seals webhook signing secrets at rest "
        "(DEALGRAPH_SECRET_KEY). Takes no arguments.",
    ).set_defaults(handler=cmd_secret_key)
    sub.add_parser(
        "summary",
        help="count what is in the store",
        description="Count the nodes of each kind in the store. Takes no arguments.",
    ).set_defaults(handler=cmd_summary)
    export = sub.add_parser(
        "export",
        help="write the whole graph to a JSON Lines file",
        description="Write every node, edge and audit entry to a JSON Lines file.",
    )
    export.add_argument("file", help="path of the file to write (required; no default)")
    export.set_defaults(handler=cmd_export)
    imp = sub.add_parser(
        "import",
        help="load a JSON Lines export into the store",
        description="Load a file written by `dealgraph export` into the store.",
    )
    imp.add_argument("file", help="path of the export file to read (required; no default)")
    imp.add_argument(
        "--merge",
        action="store_true",
        help="import into a store that is not empty: the file's records replace the store's "
        "(revoked tokens, disabled logins and changed roles since the export come back); "
        "default: off, a store that holds records is refused",
    )
    imp.set_defaults(handler=cmd_import)
    sub.add_parser(
        "schema",
        help="print the GraphQL SDL",
        description="Print the GraphQL schema (SDL) to standard output. Takes no arguments.",
    ).set_defaults(handler=cmd_schema)
    _user_parser(sub)
    sub.add_parser(
        "sweep",
        help="run the TAS+ violation rules over open opportunities (idempotent)",
        description="Check every open opportunity against the TAS+ rules and record new "
        "violations. Takes no arguments.",
    ).set_defaults(handler=cmd_sweep)
    calibrate = sub.add_parser(
        "calibrate",
        help="fit the win model on the closed deals and learn play effects (or show/roll back)",
        description="Observe the play effects whose window has ended, fit the win-likelihood "
        "weights on the closed deals (the hand-set weights as prior) and put the result in "
        "force; print held-out Brier score, log loss and the reliability table.",
    )
    mode = calibrate.add_mutually_exclusive_group()
    mode.add_argument(
        "--show",
        action="store_true",
        help="print the model in force, fit nothing (default: off, calibrate)",
    )
    mode.add_argument(
        "--roll-back",
        action="store_true",
        help="retire the model in force; the previous one (or the hand-set weights) returns "
        "(default: off, calibrate)",
    )
    calibrate.set_defaults(handler=cmd_calibrate)
    _changes_parser(sub)
    _webhooks_parser(sub)
    return parser


def _changes_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    changes = sub.add_parser(
        "changes",
        help="print what changed in a deal's decision chain since a date or between two gates",
        description="Print what changed in an opportunity's decision chain: people who joined, "
        "left or turned, ties and closeness, red flags, the four questions and the win "
        "likelihood with the changes that moved it most (as Opportunity.changes).",
    )
    changes.add_argument(
        "opportunity", help="the opportunity's id or exact name (required; no default)"
    )
    changes.add_argument(
        "--since", help="from this date (YYYY-MM-DD, UTC) or ISO-8601 instant (no default)"
    )
    changes.add_argument("--until", help="up to this date or instant (default: now)")
    stages = [s.value for s in Stage]
    changes.add_argument(
        "--from-stage",
        choices=stages,
        help="from entering this stage, instead of --since (no default)",
    )
    changes.add_argument("--to-stage", choices=stages, help="to entering this stage (no default)")
    changes.add_argument(
        "--lang", default="en", help="en or zh-CN: the language of the text (default: en)"
    )
    changes.add_argument(
        "--threshold",
        type=int,
        default=10,
        help="report closeness scores that moved by at least this many points (default: 10)",
    )
    changes.set_defaults(handler=cmd_changes)


def _user_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser(
        "user",
        help="API users and their tokens",
        description="Manage API users, their roles, team-member links and tokens.",
    )
    user.set_defaults(handler=cmd_user)
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add a user (NAME is also the JWT subject)",
        description="Add an API user with a role, optionally acting as a team member.",
    )
    add.add_argument("name", help="user name, also the JWT subject (required; no default)")
    add.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help=f"what the user may do, one of {', '.join(ROLES)} (required; no default)",
    )
    add.add_argument(
        "--member",
        help="id (or the API's ID) of the TeamMember this user acts as in the sales process "
        "(default: none, the user acts as nobody)",
    )
    change = actions.add_parser(
        "set",
        help="change a user's role or team member, or disable or enable them",
        description="Change an existing user's role, or the team member they act as in the "
        "sales process, or whether they may sign in. Takes effect with their next request.",
    )
    change.add_argument("name", help="the user to change (required; no default)")
    change.add_argument(
        "--role", choices=ROLES, help="the new role (default: keep the current one)"
    )
    link = change.add_mutually_exclusive_group()
    link.add_argument(
        "--member",
        help="id (or the API's ID) of the TeamMember the user acts as from now on (default: keep)",
    )
    link.add_argument(
        "--unlink",
        action="store_true",
        help="the user acts as no team member from now on (default: off, keep the link)",
    )
    state = change.add_mutually_exclusive_group()
    state.add_argument(
        "--disable",
        action="store_true",
        help="the user may no longer sign in; their tokens are revoked (default: off)",
    )
    state.add_argument(
        "--enable",
        action="store_true",
        help="a disabled user may sign in again, with a new token (default: off)",
    )
    token = actions.add_parser(
        "token",
        help="issue an API token (printed once)",
        description="Issue a bearer token for a user; it is printed once and stored hashed.",
    )
    token.add_argument("name", help="the user the token is for (required; no default)")
    token.add_argument(
        "--label", default="", help="what the token is for, shown in lists (default: empty)"
    )
    token.add_argument(
        "--replace",
        action="store_true",
        help="revoke the user's other tokens in the same write (one lost or given away; "
        "default: keep them, a token for another device)",
    )
    revoke = actions.add_parser(
        "revoke", help="revoke a token by id", description="Revoke a token so it stops working."
    )
    revoke.add_argument(
        "token_id", help="the token's id as printed by `user token` (required; no default)"
    )
    actions.add_parser(
        "list",
        help="users, roles, members and token ids",
        description="List users with their roles, members and tokens. Takes no arguments.",
    )
    manage = actions.add_parser(
        "manage",
        help="record that a team member manages another",
        description="Record (or with --remove, drop) that one team member manages another.",
    )
    manage.add_argument(
        "manager",
        help="id (or API ID) of the managing TeamMember (required; no default)",
    )
    manage.add_argument(
        "member",
        help="id (or API ID) of the managed TeamMember (required; no default)",
    )
    manage.add_argument(
        "--remove",
        action="store_true",
        help="remove the link instead of adding it (default: off, add)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dealgraph`` command."""
    try:
        settings: Settings | None = load_settings()
        problem = None
    except SettingsError as error:
        settings, problem = None, error
    args = build_parser(settings).parse_args(argv)  # --help works even with a bad setting
    if settings is None:
        print(f"dealgraph: configuration error: {problem}", file=sys.stderr)
        return 2
    handler: Callable[[Settings, argparse.Namespace], int] = args.handler
    # The driver's own lines ("Unable to retrieve routing information") would reach stderr
    # bare, beside the one line below that says what failed and which setting to check.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    try:
        return handler(settings, args)
    except RulesError as error:
        print(f"dealgraph: rules file refused: {error}", file=sys.stderr)
        return 2
    except SettingsError as error:  # one only a command's work reveals (a data folder)
        print(f"dealgraph: configuration error: {error}", file=sys.stderr)
        return 2
    except maintenance.StoreError as error:
        print(f"dealgraph: {store_problem(settings, error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
