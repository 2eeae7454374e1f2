"""Rate limits counted in a real redis-server are shared by every instance that uses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.errors import ConfigError
from bots.ratelimit import RateLimiter
from tests.real_servers import running_redis


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with running_redis() as url:
        yield url


def test_two_instances_share_one_limit_through_redis(redis_url) -> None:
    one, other = RateLimiter(3, storage=redis_url), RateLimiter(3, storage=redis_url)
    assert [one.allow("203.0.113.7"), other.allow("203.0.113.7"), one.allow("203.0.113.7")] == [True] * 3
    wait = other.take("203.0.113.7")
    assert 0 < wait <= 60
    assert one.allow("198.51.100.2"), "another client has its own allowance"
    assert RateLimiter(3, storage=redis_url, namespace="slack").allow("203.0.113.7"), "Slack counts apart"


def test_memory_storage_counts_per_process() -> None:
    one, other = RateLimiter(1), RateLimiter(1)
    assert one.allow("u") and not one.allow("u")
    assert other.allow("u")


def test_a_wrong_storage_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="ALMANAC_RATE_LIMIT_STORAGE"):
        RateLimiter(3, storage="carrier-pigeon://loft")


def test_an_unreachable_redis_lets_requests_through() -> None:
    limiter = RateLimiter(1, storage="redis://127.0.0.1:9/0")
    assert limiter.allow("u") and limiter.allow("u")
