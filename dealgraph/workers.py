"""Several API workers under uvicorn's supervisor, which says why it replaces one.

uvicorn's supervisor asks each worker every half second whether it is alive and waits
``timeout_worker_healthcheck`` seconds for the answer; a worker that does not answer in time is
killed and replaced, and the log says only "Child process [pid] died". A worker answers from
a thread it starts once its process has imported what it needs, so a worker still starting on
a busy machine (importing the app, building the schema: seconds on two loaded cores) was taken
for a hung one, killed at start with no reason given. It now gets ``START_SECONDS`` to answer,
and every replacement is explained in the log: killed unanswered, or the exit code or signal
of a worker that ended by itself (whose own error is logged above it).
"""

from __future__ import annotations

import logging
import signal
from typing import Final

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import Process

log = logging.getLogger("dealgraph.workers")

START_SECONDS: Final = 30
"""How long the supervisor waits for a worker's answer before it takes it for hung: longer
than a worker takes to start on a loaded machine (uvicorn's own 5 s is not)."""


class Workers(Multiprocess):
    """uvicorn's supervisor, logging why each worker it replaces stopped."""

    refused = False
    """Whether a worker failed to start, which stops the server: its command then fails too
    (``STARTUP_FAILURE``), so a service manager sees it did not start."""

    def keep_subprocess_alive(self) -> None:
        running = {id(p): (p, p.exitcode) for p in self.processes}
        super().keep_subprocess_alive()
        # the supervisor reaps a worker that ended, and stops on one that failed to start
        if any(p.exitcode == STARTUP_FAILURE for p, _ in running.values()):
            self.refused = True
        for process, exit_before in running.values():
            if process not in self.processes:
                log.warning("worker [%s] replaced: %s", process.pid, why(process, exit_before))


def why(process: Process, exit_before: int | None) -> str:
    """Why a worker stopped: unanswered (the supervisor killed it) or how it ended itself."""
    code = process.exitcode
    if exit_before is None and code == -signal.SIGKILL:
        return (
            f"it did not answer the supervisor's health check within "
            f"{process.config.timeout_worker_healthcheck} s, so it was killed "
            f"(still starting on a busy machine, or hung)"
        )
    if code is not None and code < 0:
        return f"it was ended by signal {signal.Signals(-code).name}"
    return f"it exited with code {code} (its error, if it had one, is logged above)"
