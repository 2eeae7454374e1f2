"""In-memory guards for the Slack bot: events already handled, and questions per user per minute."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class SeenEvents:
    """A bounded set of Events API event ids, so a retried event is answered once."""

    def __init__(self, capacity: int = 5000):
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """Record the id; True if it had not been seen before."""
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            while len(self._ids) > self.capacity:
                self._ids.popitem(last=False)
            return True


class RateLimiter:
    """A sliding one-minute window of questions per user."""

    def __init__(
        self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, max_users: int = 10_000
    ):
        self.per_minute = per_minute
        self.clock = clock
        self.max_users = max_users
        self._asked: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, user: str) -> bool:
        """Count one question from this user; False when they are over the limit."""
        now = self.clock()
        with self._lock:
            times = self._asked.pop(user, None) or deque()
            while times and now - times[0] >= 60.0:
                times.popleft()
            allowed = len(times) < self.per_minute
            if allowed:
                times.append(now)
            self._asked[user] = times
            while len(self._asked) > self.max_users:
                self._asked.popitem(last=False)
            return allowed
