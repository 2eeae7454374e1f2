"""One rate limit for every channel: a token bucket per client (a web address or a Slack user)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """`per_minute` requests a minute per client, with bursts up to that many.

    Memory is bounded: past `max_clients`, the least recently seen clients are forgotten (and simply
    start again with a full bucket).
    """

    def __init__(
        self, per_minute: int, *, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic
    ):
        if per_minute < 1:
            raise ValueError(f"per_minute must be 1 or more, not {per_minute}")
        self.per_minute = per_minute
        self.max_clients = max_clients
        self.clock = clock
        self._refill_per_second = per_minute / 60.0
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one request; returns 0 when allowed, else the seconds until the next is allowed."""
        now = self.clock()
        capacity = float(self.per_minute)
        with self._lock:
            tokens, updated = self._buckets.pop(client, (capacity, now))
            tokens = min(capacity, tokens + (now - updated) * self._refill_per_second)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self._refill_per_second
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait

    def allow(self, client: str) -> bool:
        """Spend one request; False when the client is over the limit."""
        return self.take(client) == 0
