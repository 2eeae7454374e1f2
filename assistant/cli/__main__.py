"""`python -m assistant.cli`: the same as the `almanac` command."""

from __future__ import annotations

from assistant.cli import main

main()
