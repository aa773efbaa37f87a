"""The copbot command line, run as a user would: a piped console session and db commands."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.container import Container
from bot.messages import Inbound, Reply
from handlers.console.chat import run_lines


def _copbot(
    args: list[str], *, cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("COPBOT_", "SLACK_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "copbot.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )


def test_piped_chat_on_the_embedded_default(tmp_path: Path) -> None:
    result = _copbot(
        ["chat", "--user", "ana", "--channel", "design-thinking"],
        cwd=tmp_path,
        stdin="/cop idea Mentoring circles\n/cop ideas\n/cop advance I-1 pilto\n",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Idea I-1 saved: Mentoring circles"
    # As on Slack and Teams: the channel is not a community yet, so the idea is held there
    assert "I-1 is held for #design-thinking" in result.stdout
    assert "[Make #design-thinking a community: /cop community bind]" in result.stdout
    assert "Ideas: 1" in lines
    assert any(line.startswith('Error: Unknown stage "pilto"') for line in lines)
    assert (tmp_path / "copbot.sqlite3").exists()
    assert result.stderr == ""  # no log noise in a console session


def test_coordinators_from_the_environment(tmp_path: Path) -> None:
    result = _copbot(
        ["chat", "--user", "cora"],
        cwd=tmp_path,
        stdin="/cop community create km-network\n/cop stats all\n",
        COPBOT_COORDINATORS="cora,dee",
    )
    assert "Community km-network created, with this channel in it." in result.stdout
    assert "Indicators for organisation" in result.stdout
    refused = _copbot(
        ["chat", "--user", "ana"],
        cwd=tmp_path,
        stdin="/cop stats all\n",
        COPBOT_COORDINATORS="cora,dee",
    )
    assert "Only coordinators can see the whole organisation" in refused.stdout


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    before = _copbot(["db", "current"], cwd=tmp_path, DATABASE_URL=url)
    assert "Database revision: none" in before.stdout
    upgraded = _copbot(["db", "upgrade"], cwd=tmp_path, DATABASE_URL=url)
    assert upgraded.returncode == 0 and "Database is at revision" in upgraded.stdout


@pytest.mark.parametrize("value", ["sqlite:/bad", "redis://localhost"])
def test_bad_database_url_stops_start_up(tmp_path: Path, value: str) -> None:
    result = _copbot(["chat", "--user", "ana"], cwd=tmp_path, DATABASE_URL=value)
    assert result.returncode == 2
    assert result.stderr.startswith("copbot: configuration error: DATABASE_URL:")


def test_a_failing_command_does_not_end_the_console(
    container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    real = container.runner
    failures = [RuntimeError("database went away")]

    class FlakyRunner:
        """Fails on the first line, then answers as the real runner does."""

        def language(self, inbound: Inbound, *, now: datetime) -> str:
            return real.language(inbound, now=now)

        def handle(self, inbound: Inbound, *, now: datetime, auto_bind: bool = False) -> Reply:
            if failures:
                raise failures.pop()
            return real.handle(inbound, now=now, auto_bind=auto_bind)

    out = io.StringIO()
    errors = run_lines(
        FlakyRunner(),
        ["/cop ideas", "/cop ideas"],  # type: ignore[arg-type]
        user="ana",
        channel="general",
        out=out,
    )
    assert errors == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "Error: Sorry, something went wrong on my side; it has been logged."
    assert lines[1].startswith("No ideas")
    assert "database went away" in caplog.text and "Traceback" in caplog.text
