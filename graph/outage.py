"""Whether a store answers, and since when it has not: what an operator reads in the log.

While a database is down every request fails the same way; its stack trace once tells the
operator everything, a hundred times hides the line saying it came back. A back end keeps one
``Outage``: each failure to reach the store asks it whether this failure began an outage (its
trace is then worth logging), and the first answer after one logs how long the store was gone.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from graph.executor import StoreError

log = logging.getLogger("dealgraph.store")


class StoreUnreachableError(StoreError):
    """The store did not answer at all (down, unreachable, refusing connections): a passing
    fault, not a bug, so it is logged in one line, its trace once per outage."""

    def __init__(self, message: str, *, where: str, first: bool) -> None:
        super().__init__(message)
        self.where = where
        """The store's address, without credentials (``neo4j at bolt://db:7687``)."""
        self.first = first
        """Whether this failure began the outage: the one whose trace is logged."""


class UnconfirmedWriteError(StoreUnreachableError):
    """The store went away while a write was under way, so nobody can say whether it
    landed. A passing fault as an outage is: logged per request in one line naming what was
    being written (``what``, filled in by ``graph.store``), its trace once per crash."""

    def __init__(self, message: str, *, where: str, first: bool) -> None:
        super().__init__(message, where=where, first=first)
        self.what = ""
        """What was being written, in the product's words (the audit entry's change)."""


def written(params: Mapping[str, Any]) -> str:
    """What a write statement was writing, in the product's words, from its audit entry: the
    change, the kind and name of what it changed, and who changed it (``update opportunity
    'Smart ward' by Liu Yang``); a batch without one (an import) by its size."""
    audit = params.get("audit")
    if not isinstance(audit, Mapping):
        rows = params.get("rows")
        if isinstance(rows, list):
            return f"a batch of {len(rows)} records (an import or upkeep)"
        return "an upkeep write (no change of a person's)"
    kind = str(audit.get("target_kind", ""))
    kind = kind.replace("_", " ") if "_" in kind else re.sub(r"(?<!^)(?=[A-Z])", " ", kind)
    try:
        changes = json.loads(audit.get("changes") or "{}")
    except ValueError:
        changes = {}
    names = [
        side.get("name") or side.get("title")
        for side in (changes.get("after"), changes.get("before"))
        if isinstance(side, Mapping)
    ]
    name = next((f"'{n}'" for n in names if n), str(audit.get("target_id", "")))
    operation = str(audit.get("operation", "change")).replace("_", " ")
    by = audit.get("actor_name") or audit.get("actor_id") or "someone"
    return f"{operation} {kind.lower()} {name} by {by}"


def address(uri: str) -> str:
    """A store's URI as a log may show it: scheme, host and port, no user, password or query."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Outage:
    """One store's availability, shared by the threads of a process."""

    def __init__(self, where: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.where = where
        self._clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None
        self._outages = 0
        self._crash: object = None
        self._explaining = threading.Lock()
        self._explained: tuple[int, dict[object, str | None]] = (0, {})

    def failed(
        self, error: BaseException, why: Callable[[], str | None] | None = None
    ) -> StoreUnreachableError:
        """The error to raise for a failure to reach the store, noting when the outage began.

        ``why``, for an error that does not say why the store was not reached (a driver's
        "Unable to retrieve routing information"), asks the store once per outage what it
        says instead (a probe of a few seconds at most): every failure of the outage then
        carries that answer, as the line at start does, and the store is not probed again
        for each request."""
        with self._lock:
            first = self._since is None
            if first:
                self._since = self._clock()
                self._outages += 1
            outage = self._outages
        said = (why and self._explanation(outage, why)) or str(error)
        return StoreUnreachableError(
            f"{type(error).__name__}: {said}", where=self.where, first=first
        )

    def _explanation(self, outage: int, why: Callable[[], str | None]) -> str | None:
        """``why``'s answer for this outage: asked by the first failure that needs it, which
        the others meanwhile wait for (their lines would otherwise say less). Kept by the kind
        of question (the function a ``functools.partial`` calls): one outage may change its
        cause, nothing listening and then a refused login, and each is told in its own words."""
        kind = getattr(why, "func", why)
        with self._explaining:
            asked, answers = self._explained
            if asked != outage:
                answers = {}
                self._explained = (outage, answers)
            if kind not in answers:
                answers[kind] = why()
            return answers[kind]

    def unconfirmed(self, message: str, crash: object) -> UnconfirmedWriteError:
        """The error to raise for a write that met ``crash`` (whatever stands for one crash of
        the store, such as the connection that failed): the first write reported for a crash
        carries its trace, every other only its line."""
        with self._lock:
            first = self._crash is not crash
            self._crash = crash
        return UnconfirmedWriteError(message, where=self.where, first=first)

    def answered(self) -> None:
        """The store answered: if it had been gone, say that it is back and after how long.
        Cheap while it is up (one attribute read, no lock), as it runs after every statement."""
        if self._since is None:
            return
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            log.info("%s: store back after %.1f s", self.where, self._clock() - since)
