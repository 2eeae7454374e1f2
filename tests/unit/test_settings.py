"""Settings: defaults work with no configuration, environment overrides, and the documented table is current."""

from __future__ import annotations

import pytest
from pydantic import Field, ValidationError

from assistant.config import PROJECT_ROOT, Settings
from assistant.settings_doc import CONFIGURATION_PAGE, render_page, settings_table


def test_configuration_page_shows_every_setting_as_the_class_defines_it() -> None:
    page = CONFIGURATION_PAGE.read_text(encoding="utf-8")
    assert render_page(page, settings_table()) == page, "run `python -m assistant.settings_doc` and commit"
    assert "| `ALMANAC_TOP_K` | `6` | at least 1, at most 50 |" in page
    assert "| `SLACK_BOT_TOKEN` | unset |" in page  # Slack keeps its own variable names


def test_a_new_or_undescribed_setting_changes_the_table() -> None:
    class Extended(Settings):
        cache_minutes: int = Field(default=5, ge=0, description="Minutes an answer is cached.")

    table = settings_table(Extended)
    assert "| `ALMANAC_CACHE_MINUTES` | `5` | at least 0 | Minutes an answer is cached. |" in table
    assert table != settings_table()

    class Undescribed(Settings):
        cache_minutes: int = 5

    with pytest.raises(ValueError, match="'cache_minutes' has no description"):
        settings_table(Undescribed)


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(__import__("os").environ):
        if name.startswith(("ALMANAC_", "SLACK_")):
            monkeypatch.delenv(name)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.chroma_url is None and settings.llm == "" and settings.retrieval == "hybrid"
    assert settings.corpus_dir == PROJECT_ROOT / "corpus"
    assert settings.feedback_path == settings.data_dir / "feedback.db"


def test_environment_overrides_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMANAC_ALLOWED_ORIGINS", "https://a.example.gov.uk, https://b.example.gov.uk")
    monkeypatch.setenv("ALMANAC_API_KEYS", "k1,k2")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("ALMANAC_TOP_K", "4")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.allowed_origins == ["https://a.example.gov.uk", "https://b.example.gov.uk"]
    assert [k.get_secret_value() for k in settings.api_keys] == ["k1", "k2"]
    assert settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value() == "xoxb-test"
    assert "xoxb-test" not in repr(settings)  # secrets stay out of logs
    assert settings.top_k == 4


def test_bad_values_name_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMANAC_RETRIEVAL", "magic")
    with pytest.raises(ValidationError, match="ALMANAC_RETRIEVAL must be one of"):
        Settings(_env_file=None)  # type: ignore[call-arg]
