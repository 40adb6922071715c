"""ASGI entry point for uvicorn (``dealgraph.asgi:app``): settings from the environment."""

from __future__ import annotations

import gc
import logging
import os

from uvicorn.config import STARTUP_FAILURE

from dealgraph.app import create_app
from dealgraph.settings import load_settings

try:
    app = create_app(load_settings())
except Exception:
    # Said through the log before the worker exits (else only a bare trace, or nothing, is
    # printed), and with the exit code that tells uvicorn's supervisor the app is broken: it
    # stops the server rather than starting the same failing worker again and again.
    logging.getLogger("dealgraph.workers").exception(
        "worker [%d] cannot start: the app failed to load", os.getpid()
    )
    raise SystemExit(STARTUP_FAILURE) from None

# What exists now (modules, the schema, the rules) lives as long as the process: moved out of
# the collector's reach, full collections no longer walk it, which keeps slow requests rare.
gc.collect()
gc.freeze()
