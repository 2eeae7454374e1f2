"""Property-based fuzzing of the web API from its own OpenAPI schema (Schemathesis over a real server).

Every documented route is called with generated requests, valid and invalid, a bounded number of times
each; no response may be a 500, and every error must have the documented {detail, field} shape (for a
streamed answer, no `error` event may carry a 500). The FakeAssistant answers, so the run stays short.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from bots.store import open_stores
from bots.web.app import create_app
from bots.web.server import serve_in_background
from tests.conftest import free_port, make_settings
from tests.fakes import FakeAssistant

pytestmark = pytest.mark.server
EXAMPLES = int(os.environ.get("ALMANAC_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    config = make_settings(tmp_path_factory.mktemp("fuzz"), rate_limit_per_minute=1_000_000)
    app = create_app(config, assistant=FakeAssistant(config), stores=open_stores(config))
    with serve_in_background(app, port=free_port()) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json")


@schemathesis.check
def documented_error_shape(ctx: schemathesis.CheckContext, response: schemathesis.Response, case) -> bool:
    """An error from the API is JSON {detail: a sentence, field: a name or null}."""
    if response.status_code < 400:
        return True
    is_api = case.path.startswith("/api/")
    is_json = response.headers.get("content-type", [""])[0].startswith("application/json")
    if not is_json:
        assert not is_api, f"{response.status_code} from {case.path} is not JSON"
        return True
    body = response.json()
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], body
    assert "field" in body and (body["field"] is None or isinstance(body["field"], str)), body
    return True


@schemathesis.check
def no_failed_stream(ctx: schemathesis.CheckContext, response: schemathesis.Response, case) -> bool:
    """A streamed answer that fails says so in an `error` event that is never a 500."""
    if not response.headers.get("content-type", [""])[0].startswith("text/event-stream"):
        return True
    for block in response.text.split("\n\n"):
        if block.startswith("event: error"):
            data = json.loads(block.split("data: ", 1)[1])
            assert data["status"] != 500, data
    return True


CHECKS = [not_a_server_error, documented_error_shape, no_failed_stream]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_route_fails_or_answers_an_error_in_another_shape(
    api_schema: schemathesis.BaseSchema, mode: GenerationMode
) -> None:
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8, "every documented route is fuzzed"
    # A route with no parameters and no body has no invalid request to make; it is fuzzed as valid only.
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS, timeout=30)

        try:
            call()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request can be made"
        except Exception as exc:  # noqa: BLE001 - every failing route is reported together
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{detail}" for label, detail in failures.items())
