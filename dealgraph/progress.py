"""Progress output for long CLI work: a bar on a terminal, a few plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts work done towards an optional total and reports it on stderr."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._last = 0.0

    def advance(self, count: int) -> None:
        """Record ``count`` more items done; redraws at most ten times a second."""
        self.done += count
        now = time.monotonic()
        if self.tty and now - self._last >= 0.1:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        if self.total:
            filled = int(30 * min(self.done / self.total, 1.0))
            bar = "#" * filled + "-" * (30 - filled)
            text = f"\r{self.label} [{bar}] {self.done}/{self.total} ({rate:,.0f}/s)"
        else:
            text = f"\r{self.label} {self.done} ({rate:,.0f}/s)"
        self.stream.write(text)
        self.stream.flush()

    def finish(self) -> None:
        """Print the final count and rate on its own line."""
        elapsed = time.monotonic() - self.started
        if self.tty:
            self._draw()
            self.stream.write("\n")
        rate = self.done / max(elapsed, 1e-9)
        self.stream.write(f"{self.label}: {self.done} items in {elapsed:.1f}s ({rate:,.0f}/s)\n")
        self.stream.flush()
