"""One rate limit for every channel: at most `per_minute` requests in any minute per client.

Counted by the `limits` library in the storage named by ALMANAC_RATE_LIMIT_STORAGE: `memory://` (the
default) counts in this process; `redis://host:6379/0` shares the counts between every worker and
every instance using that Redis.
"""

from __future__ import annotations

import logging
import time

from limits import RateLimitItemPerMinute
from limits.errors import ConfigurationError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from assistant.errors import ConfigError

log = logging.getLogger("almanac.ratelimit")
DEFAULT_STORAGE = "memory://"


def open_storage(uri: str) -> Storage:
    """The counters' storage for a limits storage URI; ConfigError naming the setting when it is wrong."""
    try:
        storage = storage_from_string(uri or DEFAULT_STORAGE)
    except (ConfigurationError, ValueError, ImportError) as exc:
        raise ConfigError(
            f"ALMANAC_RATE_LIMIT_STORAGE={uri!r} cannot be used ({exc}); "
            "use memory:// or redis://host:6379/0."
        ) from None
    if not isinstance(storage, Storage):
        raise ConfigError(
            f"ALMANAC_RATE_LIMIT_STORAGE={uri!r} is an async storage; use memory:// or redis://."
        )
    return storage


class RateLimiter:
    """`per_minute` requests in any sixty seconds per client (a web address or a Slack user).

    `namespace` keeps the web's and Slack's clients apart in a shared storage.
    """

    def __init__(self, per_minute: int, *, storage: str | Storage = DEFAULT_STORAGE, namespace: str = "web"):
        if per_minute < 1:
            raise ValueError(f"per_minute must be 1 or more, not {per_minute}")
        self.per_minute = per_minute
        self.namespace = namespace
        self.storage = open_storage(storage) if isinstance(storage, str) else storage
        self._item = RateLimitItemPerMinute(per_minute, namespace="almanac")
        self._limiter = MovingWindowRateLimiter(self.storage)

    def take(self, client: str) -> float:
        """Spend one request; returns 0 when allowed, else the seconds until the next is allowed.

        When the shared storage cannot be reached the request is allowed (and logged): an outage of the
        counters should not take the service down with it.
        """
        key = f"{self.namespace}:{client}"
        try:
            if self._limiter.hit(self._item, key):
                return 0.0
            reset = self._limiter.get_window_stats(self._item, key).reset_time
        except Exception as exc:  # noqa: BLE001 - any storage failure: fail open, loudly
            log.warning("rate limit storage unavailable (%s); allowing the request", type(exc).__name__)
            return 0.0
        return max(0.1, reset - time.time())

    def allow(self, client: str) -> bool:
        """Spend one request; False when the client is over the limit."""
        return self.take(client) == 0
