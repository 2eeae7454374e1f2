"""Settings: defaults work with no configuration, environment overrides, and every setting is documented."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.config import PROJECT_ROOT, Settings


def env_name(field: str) -> str:
    alias = Settings.model_fields[field].validation_alias
    return alias.choices[0] if alias is not None else f"ALMANAC_{field.upper()}"  # type: ignore[union-attr]


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [env_name(f) for f in Settings.model_fields if f"`{env_name(f)}`" not in readme]
    assert not missing, f"README.md does not document: {missing}"


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
