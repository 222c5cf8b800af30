from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def _load(monkeypatch: pytest.MonkeyPatch, **env: str):  # type: ignore[no-untyped-def]
    for key in ("CLERK_TIMEZONE", "CLERK_LANGUAGES", "DATABASE_URL", "CLERK_HOLIDAYS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return load_settings(_env_file=None)


def test_defaults_match_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _load(monkeypatch)
    assert settings.database_url == "sqlite:///clerk.db"
    assert settings.languages == ["en"]
    assert settings.holidays == "US"
    assert settings.slack_api_url == "https://slack.com/api/"


def test_lists_are_read_from_comma_separated_values(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _load(monkeypatch, CLERK_ADMINS="U1, U2", CLERK_LANGUAGES="en,es,el,zh")
    assert settings.admins == ["U1", "U2"]
    assert settings.languages == ["en", "es", "el", "zh"]


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("CLERK_TIMEZONE", "Mars/Olympus", "CLERK_TIMEZONE: unknown IANA time zone"),
        ("CLERK_LANGUAGES", "en,xx", "CLERK_LANGUAGES: unsupported language code(s) xx"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: not a database URL"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL: Clerk supports"),
        ("CLERK_HOLIDAYS", "ZZ", "CLERK_HOLIDAYS: unknown holiday calendar"),
    ],
)
def test_bad_configuration_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragment: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        _load(monkeypatch, **{variable: value})
    assert fragment in caught.value.message


def test_plain_postgresql_urls_use_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _load(monkeypatch, DATABASE_URL="postgresql://postgres@127.0.0.1/clerk")
    assert settings.database_url.startswith("postgresql+psycopg://")
