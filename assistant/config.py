"""Settings: every knob, read from ALMANAC_* environment variables or an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration for every channel. Defaults work offline with no configuration at all."""

    model_config = SettingsConfigDict(
        env_prefix="ALMANAC_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Corpus and index
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="Folder of Markdown documents.")
    data_dir: Path = Field(default=PROJECT_ROOT / ".almanac", description="Index, feedback and caches.")
    chroma_url: str | None = Field(default=None, description="Chroma server URL; unset = embedded store.")
    collection: str = Field(default="almanac", description="Chroma collection name.")
    embedding_model: str = Field(
        default="", description="sentence-transformers name or path; empty = bundled all-MiniLM-L6-v2."
    )
    embedding_batch_size: int = Field(default=64, ge=1, le=1024, description="Chunks embedded per batch.")
    chunk_tokens: int = Field(
        default=200, ge=50, le=1000, description="Target chunk size in the model's tokens."
    )
    chunk_overlap: int = Field(default=40, ge=0, le=300, description="Overlap between chunks in tokens.")
    review_age_months: int = Field(
        default=12,
        ge=1,
        le=120,
        description="A document not checked against its sources for this long is overdue.",
    )

    # Retrieval and answers
    retrieval: str = Field(default="hybrid", description="hybrid | dense | bm25")
    top_k: int = Field(default=6, ge=1, le=50, description="Chunks given to the answer generator.")
    max_chunks_per_doc: int = Field(
        default=2, ge=1, le=50, description="At most this many of those chunks from one document."
    )
    min_relevance: float = Field(
        default=0.34, description="Cosine similarity below which the almanac is judged to have no answer."
    )
    llm: str = Field(default="", description="Empty = extractive; openai:<model> or ollama:<model>.")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible or Ollama endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="Key for the language model endpoint.")
    llm_temperature: float = Field(default=0.1, ge=0.0, le=2.0, description="Sampling temperature.")
    llm_timeout: float = Field(
        default=60.0,
        gt=0,
        description="Seconds before the model is given up on; the extractive answer is used.",
    )

    # Web
    host: str = Field(default="127.0.0.1", description="Address the web server listens on; 0.0.0.0 = all.")
    port: int = Field(default=8000, ge=1, le=65535, description="Web server port.")
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="CORS allow-list, comma-separated."
    )
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="Comma-separated; if set, X-API-Key is required."
    )
    rate_limit_per_minute: int = Field(
        default=30, ge=1, description="Questions per client (web) or person (Slack) a minute."
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate limits are counted: memory:// (this process) or redis://host:6379/0 (shared).",
    )
    metrics: bool = Field(default=True, description="Serve Prometheus metrics at GET /metrics.")
    metrics_token: SecretStr | None = Field(
        default=None, description="If set, GET /metrics needs Authorization: Bearer <token>."
    )
    log_format: str = Field(
        default="text", description="text | json (one JSON object per line, with request ids)."
    )
    max_question_chars: int = Field(default=1000, ge=10, description="Longest question accepted.")
    max_body_bytes: int = Field(default=16_384, ge=256, description="Largest API request body accepted.")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For is used.",
    )
    behind_tls: bool = Field(
        default=False, description="Served over HTTPS by a proxy: send Strict-Transport-Security."
    )
    api_docs: bool = Field(default=True, description="Serve the API docs at /docs and /redoc.")
    conversation_max_turns: int = Field(default=20, ge=1, description="Turns kept per conversation.")
    conversation_ttl_hours: float = Field(
        default=24.0, gt=0, description="Conversations older than this are forgotten."
    )
    feedback_db: Path | None = Field(default=None, description="SQLite file; default <data_dir>/feedback.db.")
    editors_retention_days: float = Field(
        default=30.0, gt=0, description="Days the editors' view keeps question and answer text (counts stay)."
    )
    gap_relevance: float = Field(
        default=0.45, ge=0, le=1, description="Answers drawn from passages less similar than this are gaps."
    )
    admin_key: SecretStr | None = Field(
        default=None,
        description="Opens /admin as X-Admin-Key or basic-auth password; unset (and no password) = 404.",
    )
    admin_user: str = Field(default="editor", description="The user name for /admin basic auth.")
    admin_password: SecretStr | None = Field(
        default=None, description="If set, /admin also accepts basic auth as ALMANAC_ADMIN_USER."
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="Shared database, e.g. postgresql+psycopg://user:pw@host/almanac; unset = the SQLite file.",
    )
    public_url: str | None = Field(
        default=None, description="The web site's public address, e.g. https://almanac.example.gov.uk."
    )

    # Slack keeps bolt's own variable names.
    slack_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_BOT_TOKEN", "ALMANAC_SLACK_BOT_TOKEN"),
        description="Slack bot token (xoxb-...).",
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "ALMANAC_SLACK_SIGNING_SECRET"),
        description="Slack signing secret (HTTP mode).",
    )
    slack_app_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_APP_TOKEN", "ALMANAC_SLACK_APP_TOKEN"),
        description="Slack app-level token (xapp-..., Socket Mode).",
    )
    slack_api_url: str | None = Field(default=None, description="Slack Web API base URL override.")

    @field_validator("retrieval")
    @classmethod
    def _check_retrieval(cls, value: str) -> str:
        if value not in {"hybrid", "dense", "bm25"}:
            raise ValueError("ALMANAC_RETRIEVAL must be one of: hybrid, dense, bm25")
        return value

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        if value.strip().lower() not in {"text", "json"}:
            raise ValueError(f"ALMANAC_LOG_FORMAT must be text or json, not {value!r}")
        return value.strip().lower()

    @field_validator("allowed_origins", "api_keys", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def feedback_path(self) -> Path:
        """Where feedback and conversations are stored."""
        return self.feedback_db or self.data_dir / "feedback.db"

    def database_target(self) -> str:
        """The SQLAlchemy URL of the stores' database (the SQLite file when no URL is set)."""
        if self.database_url is not None and self.database_url.get_secret_value().strip():
            return self.database_url.get_secret_value().strip()
        return f"sqlite:///{self.feedback_path.expanduser().resolve()}"

    @property
    def chroma_path(self) -> Path:
        """Folder of the embedded Chroma store."""
        return self.data_dir / "chroma"

    def index_location(self) -> str:
        """Human-readable location of the index."""
        return self.chroma_url or str(self.chroma_path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
