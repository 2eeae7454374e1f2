"""Typed errors that users can meet; each message says what to do."""

from __future__ import annotations


class AlmanacError(Exception):
    """Base class for errors shown to users without a stack trace."""


class CorpusError(AlmanacError):
    """The corpus has invalid documents. `problems` lists one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        head = f"The corpus has {count} problem{'s' if count != 1 else ''}; nothing was written to the index:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


class IndexNotBuiltError(AlmanacError):
    """The vector index is missing or empty."""

    def __init__(self, where: str):
        super().__init__(f"The almanac index at {where} is empty. Run `almanac ingest` first.")


class ConfigError(AlmanacError):
    """A setting has a value that cannot work."""
