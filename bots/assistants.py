"""The process's one Assistant, built on first use: the model takes seconds to load, so no channel
(web or Slack) builds it while it is being set up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.rag import Assistant

log = logging.getLogger("almanac.bots")
NOT_STARTED = "The assistant could not start; the server log says why."


def build_assistant(settings: Settings) -> Assistant:
    """The default Assistant for these settings, warmed when there is an index to warm."""
    from assistant.rag import Assistant

    built = Assistant.from_settings(settings)
    if built.ready():
        built.warm_up()
    return built


class AssistantProvider:
    """Builds the Assistant on first use, then shares it between threads and channels.

    Args:
        settings: what the Assistant is built from.
        assistant: an Assistant already built (then nothing is built).
        build: how to build one; default `build_assistant`.
    """

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant | None = None,
        *,
        build: Callable[[Settings], Assistant] = build_assistant,
    ):
        self.settings = settings
        self._assistant = assistant
        self._build = build
        self._lock = threading.Lock()
        self.failure: str | None = None

    @property
    def loaded(self) -> bool:
        """True once the Assistant exists."""
        return self._assistant is not None

    def get(self) -> Assistant:
        """The Assistant, built now if this is the first call."""
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    self._assistant = self._build(self.settings)
        return self._assistant

    def warm(self) -> None:
        """Build the Assistant ahead of the first question; a failure is kept for the readiness probe."""
        try:
            self.get()
        except Exception:  # noqa: BLE001 - the first question will report it in its own terms
            log.exception("could not load the assistant")
            self.failure = NOT_STARTED
