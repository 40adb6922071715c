"""How many CPU cores this process may use: the default number of API workers."""

from __future__ import annotations

import os


def available_cores() -> int:
    """The cores this process may run on (its affinity or container limit, not the machine's
    count): one worker per core keeps every core busy without processes fighting for one."""
    counted = getattr(os, "process_cpu_count", None)  # Python >= 3.13
    if counted is not None:
        return max(1, counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
