"""Settings: every variable typed and validated at start-up, errors in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_need_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    settings = load_settings()
    assert settings.database_url == "sqlite:///copbot.sqlite3"
    assert settings.port == 3000 and settings.copbot_slash_command == "/cop"
    assert not settings.slack_enabled and not settings.teams_enabled and not settings.llm_enabled


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: must look like"),
        ("COPBOT_TIMEZONE", "Mars/Base", "COPBOT_TIMEZONE: unknown time zone 'Mars/Base'"),
        ("PORT", "eighty", "PORT: Input should be a valid integer"),
        ("COPBOT_SLASH_COMMAND", "cop", "COPBOT_SLASH_COMMAND: must be a slash"),
        ("COPBOT_WORKING_HOURS", "9-5", "COPBOT_WORKING_HOURS: must look like 09:00-17:00"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value).startswith(expected)
    assert "\n" not in str(error.value)


def test_env_file_and_lists(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / ".env").write_text(
        "COPBOT_COORDINATORS=ana, bo ,\nPORT=8080\nDATABASE_URL=postgresql://u@h/db\n"
    )
    monkeypatch.chdir(folder)
    settings = load_settings()
    assert settings.copbot_coordinators == ["ana", "bo"]
    assert settings.port == 8080
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_secrets_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = load_settings()
    assert "xoxb-very-secret" not in repr(settings)
    assert "xoxb-very-secret" not in str(settings.model_dump())


def test_start_up_stops_with_one_line(tmp_path: object) -> None:
    env = {"PATH": "", "PORT": "abc", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "copbot.cli", "db", "current"],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "copbot: configuration error: PORT: Input should be a valid integer, unable to parse "
        "string as an integer"
    ]
