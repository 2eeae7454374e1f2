"""The web channel: a FastAPI app (JSON API, streamed answers) and an embeddable chat widget."""
