"""Extractive answers: sentences chosen from the retrieved text and shaped by what the question asks."""

from __future__ import annotations

from assistant.compose.composer import Composer
from assistant.compose.pool import Composition
from assistant.compose.wording import as_statement

__all__ = ["Composer", "Composition", "as_statement"]
