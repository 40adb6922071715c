"""The checked-in SDL is the schema the code builds: a client can rely on ``schema.graphql``."""

from __future__ import annotations

import difflib
import subprocess
import sys

from dealgraph.sdl import SDL_PATH, export_sdl


def test_checked_in_sdl_matches_the_code() -> None:
    current = export_sdl()
    stored = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    if stored != current:
        diff = "".join(
            list(
                difflib.unified_diff(
                    stored.splitlines(keepends=True),
                    current.splitlines(keepends=True),
                    "schema.graphql (checked in)",
                    "schema.graphql (from the code)",
                )
            )[:60]
        )
        raise AssertionError(
            "schema.graphql is out of date; regenerate it with `make schema` "
            f"(dealgraph schema > schema.graphql) and commit it.\n{diff}"
        )


def test_the_sdl_names_every_core_root_field_and_the_node_interface() -> None:
    sdl = export_sdl()
    for needle in (
        "interface Node",
        "type Query",
        "type Mutation",
        "decisionChain(",
        "scalar Long",
    ):
        assert needle in sdl


def test_dealgraph_schema_prints_the_same_sdl() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "dealgraph.cli", "schema"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert printed == export_sdl()
