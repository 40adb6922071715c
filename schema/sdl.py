"""The SDL as a checked-in artifact: ``dealgraph schema`` prints it, a test compares it."""

from __future__ import annotations

from pathlib import Path

from schema.root import schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def export_sdl() -> str:
    """The schema in SDL, ending with a newline."""
    return schema.as_str().rstrip() + "\n"
