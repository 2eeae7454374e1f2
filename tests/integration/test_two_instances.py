"""Two `almanac serve` processes sharing one deployment: PostgreSQL, redis-server and a `chroma run` server.

The Chroma server serves a copy of the test run's index of the real corpus; both instances answer from it.
A conversation begun on one continues on the other, a Slack event retried to the other is answered once,
the rate limit is one limit across both, and each instance's /metrics counts what that instance served.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from assistant.config import PROJECT_ROOT, Settings
from bots.slack.answering import SEARCHING
from bots.store import open_stores
from tests.conftest import CORPUS, free_port, make_settings
from tests.integration.test_metrics import sample
from tests.real_servers import running_chroma, running_postgres, running_redis, stop_process
from tests.slack_api_server import BOT_TOKEN, SlackApiStandIn
from tests.slack_sender import CHANNEL, SIGNING_SECRET, SlackSender, answer_in

pytestmark = pytest.mark.server
ALMANAC = Path(sys.executable).parent / "almanac"
START_SECONDS = 240.0
RATE_LIMIT = 6


@dataclass
class Instance:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    served: Counter[tuple[str, int]] = field(default_factory=Counter)  # (route, status) -> requests
    slack_answers: int = 0

    def post(self, path: str, body: str | dict[str, object], headers: dict[str, str] | None = None):
        if isinstance(body, dict):
            response = httpx.post(f"{self.url}{path}", json=body, headers=headers, timeout=120)
        else:
            response = httpx.post(f"{self.url}{path}", content=body.encode(), headers=headers, timeout=60)
        self.served[(path, response.status_code)] += 1
        return response


@dataclass
class Deployment:
    one: Instance
    other: Instance
    database_url: str
    slack_api: SlackApiStandIn


def start_instance(name: str, env: dict[str, str], folder: Path) -> Instance:
    port = free_port()
    log = folder / f"{name}.log"
    data = folder / name
    data.mkdir()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ALMANAC), "serve", "--port", str(port)],
            cwd=folder,  # no .env from the working tree
            env={**env, "ALMANAC_DATA_DIR": str(data)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Instance(name, f"http://127.0.0.1:{port}", process, log)


def wait_ready(instance: Instance) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise AssertionError(
                f"{instance.name} stopped:\n{instance.log.read_text(errors='replace')[-3000:]}"
            )
        try:
            if httpx.get(f"{instance.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{instance.name} was not ready within {START_SECONDS:.0f} s")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, index_settings: Settings) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("two-instances")
    shutil.copytree(index_settings.chroma_path, folder / "chroma-server")  # as `almanac bench web` serves it
    with ExitStack() as stack:
        database_url = stack.enter_context(running_postgres())
        redis_url = stack.enter_context(running_redis())
        chroma_url = stack.enter_context(running_chroma(folder / "chroma-server"))
        slack_api = SlackApiStandIn().start()
        stack.callback(slack_api.stop)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("ALMANAC_", "SLACK_", "PROMETHEUS_"))
        }
        env.update(
            {
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                "ALMANAC_CORPUS_DIR": str(CORPUS),
                "ALMANAC_CHROMA_URL": chroma_url,
                "ALMANAC_DATABASE_URL": database_url,
                "ALMANAC_RATE_LIMIT_STORAGE": redis_url,
                "ALMANAC_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
                "ALMANAC_TRUSTED_PROXIES": "127.0.0.1",
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "ALMANAC_SLACK_API_URL": slack_api.api_url,
                "PYTHONPATH": str(PROJECT_ROOT),
            }
        )
        upgrade = subprocess.run(
            [str(ALMANAC), "db", "upgrade"], cwd=folder, env=env, capture_output=True, text=True, timeout=120
        )
        assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
        one = start_instance("one", env, folder)
        stack.callback(stop_process, one.process)
        other = start_instance("other", env, folder)
        stack.callback(stop_process, other.process)
        wait_ready(one)
        wait_ready(other)
        yield Deployment(one, other, database_url, slack_api)


def test_a_conversation_begun_on_one_instance_continues_on_the_other(deployment: Deployment) -> None:
    first = deployment.one.post("/api/chat", {"question": "How did Camden write its data charter?"})
    assert first.status_code == 200, first.text
    assert first.json()["citations"][0]["doc_id"] == "case-camden-data-charter"
    conversation = first.json()["conversation_id"]
    follow_up = {"question": "How long did it take?", "conversation_id": conversation}
    continued = deployment.other.post("/api/chat", follow_up)
    assert continued.status_code == 200, continued.text
    assert continued.json()["conversation_id"] == conversation
    # The answer is about Camden's charter, from its case or a guide's account of it.
    assert "Camden" in continued.json()["text"], "the other instance read the first turn"
    alone = deployment.other.post("/api/chat", {"question": "How long did it take?"}).json()
    assert "Camden" not in alone["text"], (
        "without the conversation the follow-up does not find Camden, so the history made the difference"
    )
    settings = make_settings(Path("/nonexistent"), database_url=deployment.database_url)
    turns = open_stores(settings).conversations.history(conversation)
    assert [t.question for t in turns] == ["How did Camden write its data charter?", "How long did it take?"]


def test_a_slack_event_retried_to_the_other_instance_is_answered_once(deployment: Deployment) -> None:
    slack_api = deployment.slack_api
    to_one = SlackSender(deployment.one.url, slack_api)
    question = "What is a data charter?"
    ts = slack_api.add_user_message(CHANNEL, "UPLANNER1", f"<@UALMANAC1> {question}")
    event = {"type": "app_mention", "user": "UPLANNER1", "text": f"<@UALMANAC1> {question}"}
    body = to_one.event_body({**event, "ts": ts, "channel": CHANNEL, "event_ts": ts})
    stamp = int(time.time())
    for instance, headers, when in (
        (deployment.one, {}, stamp),
        (deployment.other, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}, stamp + 1),
    ):
        signature = str(to_one.verifier.generate_signature(timestamp=str(when), body=body))
        signed = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": str(when),
            "X-Slack-Signature": signature,
            **headers,
        }
        response = instance.post("/slack/events", body, headers=signed)
        assert response.status_code == 200, (instance.name, response.text)
    reply = answer_in(slack_api, CHANNEL, thread_ts=ts, nth=1)
    assert "data charter" in json.dumps(reply.params).lower()
    deployment.one.slack_answers += 1
    time.sleep(3)  # time enough for a second answer, if the retry had started one
    placeholders = [
        c
        for c in slack_api.calls_to("chat.postMessage", channel=CHANNEL, text=SEARCHING)
        if c.params.get("thread_ts") == ts
    ]
    assert len(placeholders) == 1, "the retry was answered again"


def test_the_rate_limit_is_shared_by_both_instances(deployment: Deployment) -> None:
    client = {"X-Forwarded-For": "203.0.113.61"}
    statuses = []
    for n in range(RATE_LIMIT + 2):
        instance = (deployment.one, deployment.other)[n % 2]
        response = instance.post("/api/chat", {"question": "What is data ethics?"}, headers=client)
        statuses.append(response.status_code)
    assert statuses == [200] * RATE_LIMIT + [429, 429], statuses
    other_client = {"X-Forwarded-For": "198.51.100.62"}
    assert deployment.other.post("/api/chat", {"question": "What is data ethics?"}, other_client).is_success


def test_each_instance_reports_its_own_metrics(deployment: Deployment) -> None:
    for n, instance in enumerate((deployment.one, deployment.other)):
        asked = instance.post(
            "/api/chat", {"question": "What is a data charter?"}, {"X-Forwarded-For": f"192.0.2.{n + 1}"}
        )
        assert asked.status_code == 200, asked.text
    for instance in (deployment.one, deployment.other):
        text = httpx.get(f"{instance.url}/metrics", timeout=30).text
        for (route, status), count in instance.served.items():
            labels = {"route": route, "method": "POST", "status": str(status)}
            assert sample(text, "almanac_http_requests_total", **labels) == count, (instance.name, labels)
        answered = instance.served[("/api/chat", 200)] + instance.slack_answers
        statuses = ("answered", "no_evidence", "out_of_scope", "guardrail")
        counted = sum(sample(text, "almanac_answers_total", status=s) for s in statuses)
        assert counted == answered, (instance.name, counted, answered)
