"""ASGI entry point for uvicorn (``dealgraph.asgi:app``): settings from the environment."""

from __future__ import annotations

import gc
import logging
import os

from uvicorn.config import STARTUP_FAILURE

from dealgraph.app import create_app
from dealgraph.settings import SettingsError, load_settings
from resolvers.rules import RulesError

# Said through the log before the worker exits (else only a bare trace, or nothing, is
# printed), and with the exit code that tells uvicorn's supervisor the app is broken: it stops
# the server rather than starting the same failing worker again and again. A setting or a rules
# file the operator must fix is one line naming it, as the commands say it; anything else is a
# bug, with its trace.
_log = logging.getLogger("dealgraph.workers")
try:
    app = create_app(load_settings())
except SettingsError as error:
    _log.error("worker [%d] cannot start: configuration error: %s", os.getpid(), error)
    raise SystemExit(STARTUP_FAILURE) from None
except RulesError as error:
    _log.error("worker [%d] cannot start: rules file refused: %s", os.getpid(), error)
    raise SystemExit(STARTUP_FAILURE) from None
except Exception:
    _log.exception("worker [%d] cannot start: the app failed to load", os.getpid())
    raise SystemExit(STARTUP_FAILURE) from None

# What exists now (modules, the schema, the rules) lives as long as the process: moved out of
# the collector's reach, full collections no longer walk it, which keeps slow requests rare.
gc.collect()
gc.freeze()
