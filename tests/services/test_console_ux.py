"""The console as people try the bot first, through a console session: files written to a
folder with their paths, messages the outbox sends to console people shown, pulse hints that
can be typed, the prompt after /as, and history."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.container import Container
from bot.ports import Notifiers
from digests.dispatcher import Dispatcher
from digests.jobs import JOBS
from handlers.console.chat import Outputs, run_lines
from handlers.console.files import Mailbox
from handlers.console.notifier import ConsoleNotifier
from storage.models import PulseResponse
from tests.conftest import NOW
from tests.services.test_cli import _copbot

SETUP = "/as cora\n/cop community create design-thinking\n/as ana\n/cop idea Mentoring circles\n"


def _outputs(container: Container, folder: Path) -> Outputs:
    notifier = ConsoleNotifier(Mailbox(folder))
    only = Notifiers()
    only.register("console", notifier)
    dispatcher = Dispatcher(container.uow, only)
    return Outputs(
        files=folder, mailbox=notifier.mailbox, deliver=lambda now: dispatcher.run_once(now=now)
    )


def _run(
    container: Container,
    script: str,
    *,
    outputs: Outputs | None = None,
    at: datetime = NOW,
    prompt: object = None,
) -> str:
    out = io.StringIO()
    times = iter(at + timedelta(seconds=i) for i in range(1000))
    run_lines(
        container.runner,
        script.splitlines(),
        user="cora",
        channel="design-thinking",
        out=out,
        clock=lambda: next(times),
        outputs=outputs,
        prompt=prompt,  # type: ignore[arg-type]
    )
    return out.getvalue()


def test_files_are_written_to_the_folder_and_their_paths_printed(
    container: Container, tmp_path: Path
) -> None:
    _run(container, SETUP)
    folder = tmp_path / "copbot-files"

    output = _run(
        container,
        "/cop stats chart ideas_submitted all 2026-Q4\n/cop export csv 2026-Q4\n/cop my-data\n",
        outputs=_outputs(container, folder),
    )

    saved = [line.split(": ", 1)[1] for line in output.splitlines() if "File saved:" in line]
    assert len(saved) == 3
    paths = [Path(s.rsplit(" (", 1)[0]) for s in saved]
    assert all(p.parent == folder and p.exists() for p in paths)
    assert paths[0].read_bytes().startswith(b"\x89PNG")
    assert "Attachments:" not in output


def test_a_piped_console_saves_my_data_under_copbot_files(tmp_path: Path) -> None:
    result = _copbot(
        ["chat", "--user", "ana", "--channel", "design-thinking"],
        cwd=tmp_path,
        stdin="/cop idea Mentoring circles\n/cop my-data\n",
    )

    assert "File saved: copbot-files/my-data.json" in result.stdout
    assert (tmp_path / "copbot-files" / "my-data.json").read_text().startswith("{")


def test_the_digest_a_focal_point_sends_is_shown_in_the_console(tmp_path: Path) -> None:
    result = _copbot(
        ["chat", "--user", "cora", "--channel", "design-thinking"],
        cwd=tmp_path,
        stdin="/cop community create design-thinking\n/cop idea Mentoring circles\n"
        "/cop digest send\n",
        COPBOT_COORDINATORS="cora",
    )

    assert result.returncode == 0, result.stderr
    shown = result.stdout.split("── message to #design-thinking ──", 1)
    assert len(shown) == 2, result.stdout
    assert "Weekly digest for design-thinking" in shown[1]
    assert "Mentoring circles" in shown[1]


def test_pulse_questions_are_shown_and_their_hints_can_be_typed(
    container: Container, tmp_path: Path
) -> None:
    _run(container, SETUP)
    JOBS["pulse"](container, now=NOW)
    outputs = _outputs(container, tmp_path)
    later = NOW + timedelta(days=1)

    shown = _run(container, "/cop help\n", outputs=outputs, at=later)

    assert "── message to @ana ──" in shown and "Monthly pulse" in shown
    hint = next(part for part in shown.split("[") if part.startswith("4: "))
    typed = hint.split(": ", 1)[1].split("]")[0]
    assert typed.startswith("/cop pulse ")
    answered = _run(container, f"/as ana\n{typed}\n", at=later)
    assert "Error" not in answered
    with container.uow() as uow:
        assert uow.session.scalars(select(PulseResponse.score)).all() == [4]


def test_the_prompt_follows_as_and_in(container: Container) -> None:
    prompts: list[tuple[str, str]] = []

    _run(
        container,
        "/as bo\n/in km-network\n/cop ideas\n",
        prompt=lambda who, where: prompts.append((who, where)),
    )

    assert prompts == [("bo", "design-thinking"), ("bo", "km-network"), ("bo", "km-network")]
