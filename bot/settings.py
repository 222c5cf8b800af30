"""Clerk's configuration, read once from the environment (and an optional ``.env``).

Everything a firm can change lives here, validated at start-up: a typo in a time zone or a
database URL must stop Clerk with a message naming the variable, not surface later as a
wrong deadline or a lost write.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.errors import ClerkError

# Languages the date engine has phrase tables for (dateparser knows many more, but Clerk
# refuses what it cannot read with certainty, so only these are accepted).
SUPPORTED_LANGUAGES = ("en", "es", "el", "zh")
DATE_ORDERS = ("MDY", "DMY", "YMD")


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every environment variable the README lists, with the product's defaults."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: str = Field(default="", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field(default="", validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///clerk.db", validation_alias="DATABASE_URL")
    timezone: str = Field(default="America/New_York", validation_alias="CLERK_TIMEZONE")
    admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="CLERK_ADMINS"
    )
    languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["en"], validation_alias="CLERK_LANGUAGES"
    )
    date_order: str | None = Field(
        default=None, validation_alias=AliasChoices("CLERK_DATE_ORDER", "DATE_ORDER")
    )
    holidays: str = Field(default="US", validation_alias="CLERK_HOLIDAYS")
    rules_dir: Path | None = Field(default=None, validation_alias="CLERK_RULES_DIR")
    # The firm's own client notices (notice-1.txt ... notice-4.txt), checked at start-up.
    templates_dir: Path | None = Field(default=None, validation_alias="CLERK_TEMPLATES_DIR")
    deadlines_channel: str = Field(default="", validation_alias="CLERK_DEADLINES_CHANNEL")
    billing_channel: str = Field(default="", validation_alias="CLERK_BILLING_CHANNEL")
    reports_channel: str = Field(default="", validation_alias="CLERK_REPORTS_CHANNEL")
    currency: str = Field(default="USD", validation_alias="CLERK_CURRENCY")
    # Where calendar apps reach ``clerk run``'s HTTP port: subscription URLs start with it.
    public_url: str = Field(default="http://localhost:3000", validation_alias="CLERK_PUBLIC_URL")

    @field_validator("admins", "languages", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. America/New_York)") from exc
        return value

    @field_validator("languages")
    @classmethod
    def _valid_languages(cls, value: list[str]) -> list[str]:
        langs = [v.lower() for v in value] or ["en"]
        unknown = [v for v in langs if v not in SUPPORTED_LANGUAGES]
        if unknown:
            raise ValueError(
                f"unsupported language code(s) {', '.join(unknown)}; "
                f"Clerk reads {', '.join(SUPPORTED_LANGUAGES)}"
            )
        return langs

    @field_validator("date_order")
    @classmethod
    def _valid_date_order(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        upper = value.upper()
        if upper not in DATE_ORDERS:
            raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}")
        return upper

    @field_validator("database_url")
    @classmethod
    def _valid_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL: {value!r}") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("Clerk supports sqlite:/// and postgresql+psycopg:// URLs")
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            # psycopg 3 is the driver Clerk ships; plain postgresql:// would pick psycopg2.
            value = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return value

    @field_validator("holidays")
    @classmethod
    def _valid_holidays(cls, value: str) -> str:
        import holidays as holidays_pkg

        country, _, subdivision = value.partition("-")
        try:
            holidays_pkg.country_holidays(country, subdiv=subdivision or None, years=2026)
        except NotImplementedError as exc:
            raise ValueError(f"unknown holiday calendar {value!r} (e.g. US or US-NY)") from exc
        return value

    @field_validator("currency")
    @classmethod
    def _valid_currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError("currency must be an ISO 4217 code such as USD")
        return value.upper()

    @field_validator("public_url")
    @classmethod
    def _valid_public_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {value!r} (e.g. https://clerk.example.com)")
        if parts.query or parts.fragment:
            raise ValueError("the public URL takes no query or fragment")
        return value.strip().rstrip("/")

    @property
    def calendar_domain(self) -> str:
        """What every calendar event UID ends with: the host the feeds are served from."""
        return urlsplit(self.public_url).hostname or "clerk"

    def calendar_url(self, token: str) -> str:
        return f"{self.public_url}/calendar/{token}.ics"

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class SettingsError(ClerkError):
    """Raised at start-up when the environment is wrong; the message names the variable."""


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = err["loc"][0] if err["loc"] else "?"
            field = Settings.model_fields.get(str(loc))
            alias = field.validation_alias if field else loc
            if isinstance(alias, AliasChoices):
                alias = alias.choices[0]
            lines.append(f"{alias}: {err['msg'].removeprefix('Value error, ')}")
        raise SettingsError("Clerk's configuration is invalid:\n  " + "\n  ".join(lines)) from exc
