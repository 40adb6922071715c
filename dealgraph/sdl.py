"""The SDL as a checked-in artifact: ``dealgraph schema`` prints it, a test compares it.

Printed from the served schema: strawberry builds a schema's types once per process.
"""

from __future__ import annotations

from pathlib import Path

from dealgraph.engine.served import schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def export_sdl() -> str:
    """The schema in SDL, ending with a newline."""
    return schema.as_str().rstrip() + "\n"
