"""Failed sign-ins counted per key (an account, an account from one address, an address) in a sliding window."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class LoginRateLimiter:
    def __init__(
        self,
        max_failures: int,
        window_seconds: int,
        clock: Callable[[], float] = time.monotonic,
        limits: dict[str, int] | None = None,
    ) -> None:
        """`max_failures` in `window_seconds` lock a key; `limits` sets another number for the keys of a kind (the
        part of the key before its first colon: "user" for "user:thuky")."""
        self.max_failures = max_failures
        self.limits = limits or {}
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
            limit = self.limits.get(key.partition(":")[0], self.max_failures)
            if len(times) >= limit:
                wait = max(wait, times[-limit] + self.window - self._clock())
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = self._clock()
        for key in keys:
            times = self._recent(key)
            times.append(now)
            self._failures[key] = times

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
