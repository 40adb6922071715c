"""The ``dealgraph`` command: serve, demo, export, import, schema, summary, user.

Each subcommand opens the configured store itself; a settings problem is printed as one line
naming the variable, with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dealgraph.settings import Settings, SettingsError, load_settings, open_executor
from graph.store import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """Open the configured store and make sure its schema exists."""
    store = GraphStore(open_executor(settings))
    store.ensure_schema()
    return store


def _summary(store: GraphStore) -> str:
    from domain.model import NodeKind

    counts = ", ".join(f"{store.count(kind)} {kind.value}" for kind in NodeKind)
    return f"store holds: {counts}"


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from dealgraph.demo import load_demo

    store = open_store(settings)
    try:
        print(load_demo(store))
        print(_summary(store))
    finally:
        store.close()
    return 0


def cmd_summary(settings: Settings, args: argparse.Namespace) -> int:
    store = open_store(settings)
    try:
        print(_summary(store))
    finally:
        store.close()
    return 0


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from dealgraph.transfer import export_graph

    store = open_store(settings)
    try:
        count = export_graph(store, Path(args.file))
    finally:
        store.close()
    print(f"exported {count} records to {args.file}")
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from dealgraph.transfer import import_graph

    store = open_store(settings)
    try:
        count = import_graph(store, Path(args.file))
    finally:
        store.close()
    print(f"imported {count} records from {args.file}")
    return 0


def cmd_sweep(settings: Settings, args: argparse.Namespace) -> int:
    from graph.process_store import sweep
    from strategy.tas import load_process

    store = open_store(settings)
    try:
        result = sweep(store, load_process())
    finally:
        store.close()
    print(
        f"checked {result.checked} open opportunities: "
        f"{len({f.key for f in result.findings})} violations, {len(result.new_keys)} new"
    )
    return 0


def cmd_schema(settings: Settings, args: argparse.Namespace) -> int:
    from schema.sdl import export_sdl

    sys.stdout.write(export_sdl())
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from dealgraph.serve import serve

    return serve(settings, host=args.host, port=args.port, workers=args.workers, reload=args.reload)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``dealgraph`` command."""
    parser = argparse.ArgumentParser(
        prog="dealgraph",
        description="Decision-chain graph and TAS+ sales process, served as a GraphQL API.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the GraphQL API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--reload", action="store_true", help="restart on code changes (development)"
    )
    serve.set_defaults(handler=cmd_serve)
    sub.add_parser("demo", help="load the demo deal (idempotent)").set_defaults(handler=cmd_demo)
    sub.add_parser("summary", help="count what is in the store").set_defaults(handler=cmd_summary)
    export = sub.add_parser("export", help="write the whole graph to a JSON Lines file")
    export.add_argument("file")
    export.set_defaults(handler=cmd_export)
    imp = sub.add_parser("import", help="load a JSON Lines export into the store")
    imp.add_argument("file")
    imp.set_defaults(handler=cmd_import)
    sub.add_parser("schema", help="print the GraphQL SDL").set_defaults(handler=cmd_schema)
    sub.add_parser(
        "sweep", help="run the TAS+ violation rules over open opportunities (idempotent)"
    ).set_defaults(handler=cmd_sweep)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dealgraph`` command."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"dealgraph: configuration error: {error}", file=sys.stderr)
        return 2
    handler: Callable[[Settings, argparse.Namespace], int] = args.handler
    try:
        return handler(settings, args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
