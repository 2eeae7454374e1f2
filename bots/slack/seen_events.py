"""Events already handled, so an event Slack retries is answered once."""

from __future__ import annotations

import threading
from collections import OrderedDict


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
