"""ASGI entry point for uvicorn (``dealgraph.asgi:app``): settings from the environment."""

from __future__ import annotations

import gc

from dealgraph.app import create_app
from dealgraph.settings import load_settings

app = create_app(load_settings())

# What exists now (modules, the schema, the rules) lives as long as the process: moved out of
# the collector's reach, full collections no longer walk it, which keeps slow requests rare.
gc.collect()
gc.freeze()
