"""The console at a terminal: line editing and a history kept between sessions (readline);
from a pipe it still reads plain lines, with no prompt and no history file."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handlers.console.chat import history_path

UP = "\x1b[A"  # the up arrow: the line before, from the history
LEFT = "\x1b[D"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _environment(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("COPBOT_", "SLACK_"))}
    environment.pop("DATABASE_URL", None)
    environment.update(XDG_DATA_HOME=str(tmp_path / "data"), TERM="xterm", HOME=str(tmp_path))
    return environment


class Session:
    """``copbot chat`` on a pseudo-terminal, typed into key by key."""

    def __init__(self, tmp_path: Path) -> None:
        main, side = pty.openpty()
        self.main = main
        self.process = subprocess.Popen(
            [sys.executable, "-m", "copbot.cli", "chat", "--user", "ana", "--channel", "dt"],
            stdin=side,
            stdout=side,
            stderr=side,
            cwd=tmp_path,
            env=_environment(tmp_path),
            close_fds=True,
        )
        os.close(side)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never came; the terminal shows:\n{self.seen}")
            ready, _, _ = select.select([self.main], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.main, 65536).decode("utf-8", "replace")
                except OSError:  # the program ended
                    raise AssertionError(f"{text!r} never came:\n{self.seen}") from None

    def type(self, keys: str) -> None:
        os.write(self.main, keys.encode())

    def close(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.main)
        return code


def test_typed_lines_can_be_edited_and_recalled_in_a_later_session(tmp_path: Path) -> None:
    first = Session(tmp_path)
    first.expect("ana@#dt> ")
    first.type("idea Mentoring circle" + LEFT * 7 + "s" + "\r")  # edited in the middle
    first.expect("I-1")
    first.type("/as ben\r")
    first.expect("ben@#dt> ")
    first.type("ideas\r")
    first.expect("Mentorings circle")
    first.type("/quit\r")
    assert first.close() == 0

    history = history_path({"XDG_DATA_HOME": str(tmp_path / "data")})
    assert history.read_text().splitlines() == [
        "idea Mentorings circle",
        "/as ben",
        "ideas",
        "/quit",
    ]

    second = Session(tmp_path)
    second.expect("ana@#dt> ")
    second.type(UP * 3 + "\r")  # /quit, ideas, then the line before: /as ben
    second.expect("ben@#dt> ")
    second.type("\x04")  # Ctrl-D leaves
    assert second.close() == 0


def test_piped_lines_still_work_without_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "copbot.cli", "chat", "--user", "ana", "--channel", "dt"],
        input="idea Mentoring circles\n/as ben\nideas\n",
        text=True,
        capture_output=True,
        cwd=tmp_path,
        env=_environment(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Mentoring circles" in result.stdout
    assert "@#" not in result.stdout  # no prompt
    assert not (tmp_path / "data").exists()  # no history


def test_the_history_lives_in_the_data_dir() -> None:
    assert history_path({"XDG_DATA_HOME": "/x"}) == Path("/x/cop-bot/console_history")
    assert history_path({}) == Path.home() / ".local" / "share" / "cop-bot" / "console_history"
