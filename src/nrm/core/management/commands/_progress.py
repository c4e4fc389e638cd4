"""A one-line text progress bar with rate and time left, for long management commands.

It writes to the command's stdout; on a terminal the line redraws itself, elsewhere (logs, tests)
it prints at most one line every few seconds and a last one at the end.
"""

from __future__ import annotations

import time
from typing import TextIO

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30
_REDRAW_SECONDS = 0.2
_LOG_SECONDS = 10.0


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}:{secs:02d}"


class Progress:
    """Counts work done out of ``total`` and shows it as ``label [####----] 42% 1,234/s 0:35``."""

    def __init__(
        self, stream: OutputWrapper | TextIO, total: int, label: str, unit: str = ""
    ) -> None:
        self.stream = stream
        self.total = max(total, 0)
        self.label = label
        self.unit = unit
        self.done = 0
        self.started = time.monotonic()
        self._last_drawn = 0.0
        self._interactive = bool(getattr(stream, "isatty", lambda: False)())

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        interval = _REDRAW_SECONDS if self._interactive else _LOG_SECONDS
        if now - self._last_drawn >= interval:
            self._last_drawn = now
            self._draw(now)

    def finish(self) -> float:
        """Draw the final line and return the seconds taken."""
        now = time.monotonic()
        self._draw(now)
        if self._interactive:
            self._write("\n")
        self.stream.flush()
        return now - self.started

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        fraction = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(fraction * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        left = (self.total - self.done) / rate if rate > 0 and self.total > self.done else 0.0
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{self.label} [{bar}] {fraction:4.0%} {self.done:,}/{self.total:,}{unit}"
            f"  {rate:,.0f}/s  elapsed {_duration(elapsed)}  left {_duration(left)}"
        )

    def _draw(self, now: float) -> None:
        if self._interactive:
            self._write("\r" + self.line(now) + "\x1b[K")
        else:
            self._write(self.line(now) + "\n")
        self.stream.flush()

    def _write(self, text: str) -> None:
        # Django's OutputWrapper would end every write with a newline, which breaks the redraw.
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
