"""Failed sign-ins counted per account and per address in a sliding window."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class LoginRateLimiter:
    def __init__(self, max_failures: int, window_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        """The key's failures within the window; a key with none left is forgotten, so lookups cost no memory."""
        times = self._failures.get(key, deque())
        cutoff = self._clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds until a new attempt is allowed for these keys; 0 when allowed now."""
        wait = 0.0
        for key in keys:
            times = self._recent(key)
            if len(times) >= self.max_failures:
                wait = max(wait, times[-self.max_failures] + self.window - self._clock())
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = self._clock()
        for key in keys:
            times = self._recent(key)
            times.append(now)
            self._failures[key] = times

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
