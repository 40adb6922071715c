"""ASGI entry point for uvicorn (``dealgraph.asgi:app``): settings from the environment."""

from __future__ import annotations

from dealgraph.app import create_app
from dealgraph.settings import load_settings

app = create_app(load_settings())
