"""One-off runs from the command line: ``copbot digest run --dry-run`` and friends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.container import Container
from copbot.cli import main
from storage.models import OutboxMessage


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file around
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("COPBOT_COORDINATORS", "cora")


def _rows(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


@pytest.mark.usefixtures("week", "env")
def test_digest_dry_run_prints_text_and_writes_nothing(
    container: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "run", "--now", "2026-11-23T09:00", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "=== To console channel design-thinking (workspace local)" in out
    assert "key digest:community:1:2026-W48@console:" in out
    assert "Weekly digest for design-thinking: 16 Nov – 22 Nov 2026" in out
    assert "R-2  Who knows a good survey tool?" in out
    assert "[I can help: /cop offer R-2]" in out
    assert "dry run, 1 message(s) would be queued" in out
    assert _rows(container) == 0


@pytest.mark.usefixtures("week", "env")
def test_digest_run_queues_and_outbox_flush_sends(
    container: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["digest", "run", "--community", "Design-Thinking", "--now", "2026-11-23T09:00"]) == 0
    )
    assert "queued 1 message(s)" in capsys.readouterr().out
    assert main(["digest", "run", "--now", "2026-11-23T10:00"]) == 0
    assert "queued 0 message(s)" in capsys.readouterr().out
    assert main(["outbox", "status"]) == 0
    assert "console  pending  1" in capsys.readouterr().out
    assert main(["outbox", "flush", "--now", "2026-11-23T10:00"]) == 0
    assert "sent 1" in capsys.readouterr().out
    assert _rows(container) == 1


@pytest.mark.usefixtures("env")
def test_every_job_has_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("focal-digest", "nudges", "pulse", "tally", "retention"):
        assert main([command, "run", "--now", "2026-11-23T09:00", "--dry-run"]) == 0
    out = capsys.readouterr().out
    for name in ("focal-point digest", "nudges", "pulse", "indicator tally", "retention"):
        assert f"{name}: dry run" in out
    assert main(["digest", "run", "--now", "yesterday"]) == 2
