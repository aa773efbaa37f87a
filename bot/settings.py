"""One typed settings object, read from the environment and a ``.env`` file at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.clock import WEEKDAYS

DEFAULT_DATABASE_URL = "sqlite:///copbot.sqlite3"
MIN_SECRET_KEY = 16
_DB_URL = re.compile(r"^(sqlite|postgresql)(\+\w+)?://")


class SettingsError(Exception):
    """A configuration value is wrong; the message names the variable."""


def _csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = DEFAULT_DATABASE_URL

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str | None = None

    microsoft_app_id: str | None = None
    microsoft_app_password: SecretStr | None = None
    microsoft_app_tenant_id: str | None = None
    copbot_teams_allow_unauthenticated: bool = False
    copbot_teams_tenants: Annotated[list[str], NoDecode] = Field(default_factory=list)

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    copbot_model: str = "gpt-4o-mini"
    copbot_llm_timeout: float = Field(default=10.0, gt=0, le=120)

    copbot_slash_command: str = "/cop"
    copbot_coordinators: Annotated[list[str], NoDecode] = Field(default_factory=list)
    copbot_timezone: str = "UTC"
    copbot_language: str = "en"
    copbot_capture_emoji: str = "bulb"
    copbot_active_threshold: int = Field(default=3, ge=1, le=1000)
    copbot_working_hours: str = "09:00-17:00"
    copbot_working_days: str = "mon-fri"
    copbot_digest_day: str = "mon"
    copbot_digest_time: str = "09:00"
    copbot_retention_days: int = Field(default=0, ge=0)
    copbot_inbox_workers: int = Field(default=2, ge=0, le=32)
    copbot_inbox_max_age: float = Field(default=60.0, gt=0)
    copbot_inbox_give_up: float = Field(default=900.0, gt=0)
    port: int = Field(default=3000, ge=1, le=65535)

    copbot_dashboard: bool = False
    copbot_secret_key: SecretStr | None = None
    copbot_public_url: str | None = None
    copbot_dashboard_link_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)

    @field_validator("copbot_coordinators", "copbot_teams_tenants", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
        return _csv(value)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if not _DB_URL.match(value):
            raise ValueError(
                "must look like sqlite:///path.sqlite3 or postgresql+psycopg://user@host/db"
            )
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("copbot_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Europe/Zurich)"
            ) from exc
        return value

    @field_validator("copbot_language")
    @classmethod
    def _check_language(cls, value: str) -> str:
        value = value.strip().lower().replace("_", "-").split("-")[0]
        if value not in {"en", "fr", "es"}:
            raise ValueError("must be en, fr or es")
        return value

    @field_validator("copbot_slash_command")
    @classmethod
    def _check_command(cls, value: str) -> str:
        if not re.fullmatch(r"/[a-z0-9_-]{1,31}", value):
            raise ValueError("must be a slash and up to 31 lowercase letters, digits, - or _")
        return value

    @field_validator("copbot_public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value.strip()):
            raise ValueError(
                "must be the http(s) address people reach the bot at, e.g. https://bot.example.org"
            )
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _dashboard_needs_a_key(self) -> Settings:
        if self.copbot_dashboard:
            key = self.copbot_secret_key.get_secret_value() if self.copbot_secret_key else ""
            if len(key) < MIN_SECRET_KEY:
                raise ValueError(
                    f"COPBOT_SECRET_KEY: required when COPBOT_DASHBOARD is on, at least "
                    f"{MIN_SECRET_KEY} characters (e.g. python3 -c 'import secrets; "
                    "print(secrets.token_urlsafe(32))')"
                )
        return self

    @field_validator("copbot_working_hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("must look like 09:00-17:00")
        return value

    @field_validator("copbot_digest_time")
    @classmethod
    def _check_time(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("must look like 09:00")
        return value

    @field_validator("copbot_digest_day")
    @classmethod
    def _check_day(cls, value: str) -> str:
        value = value.lower()[:3]
        if value not in WEEKDAYS:
            raise ValueError("must be a weekday: mon, tue, wed, thu, fri, sat or sun")
        return value

    # --- derived views -------------------------------------------------------------

    @property
    def command_name(self) -> str:
        return self.copbot_slash_command.lstrip("/")

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_client_id))

    @property
    def slack_socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def slack_oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def teams_enabled(self) -> bool:
        return bool(self.microsoft_app_id) or self.copbot_teams_allow_unauthenticated

    @property
    def teams_tenants(self) -> frozenset[str]:
        """The Microsoft Entra tenants (directory ids) whose people the bot serves and links
        by e-mail: COPBOT_TEAMS_TENANTS, else MICROSOFT_APP_TENANT_ID; empty names none."""
        named = self.copbot_teams_tenants or (
            [self.microsoft_app_tenant_id] if self.microsoft_app_tenant_id else []
        )
        return frozenset(t.strip().lower() for t in named if t.strip())

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def public_url(self) -> str:
        """Where people reach the web app: COPBOT_PUBLIC_URL, else this machine's port."""
        return self.copbot_public_url or f"http://localhost:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        rest = self.database_url.split("://", 1)[1]
        if rest in ("", "/", "/:memory:"):
            return None
        return Path(rest[1:])


def load_settings(**overrides: object) -> Settings:
    """Build the settings, or raise :class:`SettingsError` with one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["loc"]:
                message = f"{str(error['loc'][0]).upper()}: {message}"
            problems.append(message)
        raise SettingsError("; ".join(problems)) from None
