"""The local console: the same grammar as Slack and Teams, without any platform.

Interactive in a terminal, with line editing and a history kept between sessions (``readline``,
in ``$XDG_DATA_HOME/cop-bot/console_history``, by default ``~/.local/share/cop-bot/``); line by
line from a pipe. ``/as NAME`` switches the person speaking, ``/in CHANNEL`` the channel, so one
script can play several people.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.clock import utcnow
from bot.commands import Runner
from bot.messages import Actor, Inbound, Platform, Reply
from handlers.console.render import render_text

WORKSPACE = "local"
HISTORY_LENGTH = 1000
log = logging.getLogger(__name__)


def inbound(user: str, channel: str, text: str) -> Inbound:
    actor = Actor(platform=Platform.CONSOLE, workspace=WORKSPACE, user_id=user, display_name=user)
    return Inbound(actor=actor, channel=channel, channel_name=channel, text=text)


def render(reply: Reply) -> str:
    text = render_text(reply)
    for notice in reply.notices:
        text += f"\n  (message to person {notice.recipient_person_id}: {notice.text})"
    return text


def run_lines(
    runner: Runner,
    lines: Iterable[str],
    *,
    user: str,
    channel: str,
    out: TextIO,
    clock: Callable[[], datetime] = utcnow,
    prompt: Callable[[str, str], None] | None = None,
) -> int:
    """Run each line; returns how many replies were errors. ``prompt`` hears who is speaking
    where after every line read."""
    errors = 0
    for raw in lines:
        line = raw.strip()
        if line in ("/quit", "/exit"):
            break
        if line.startswith("/as "):
            user = line[4:].strip().lstrip("@") or user
        elif line.startswith("/in "):
            channel = line[4:].strip().lstrip("#") or channel
        elif line and not line.startswith("#"):
            try:
                reply = runner.handle(inbound(user, channel, line), now=clock(), auto_bind=True)
            except Exception:  # the console's one global handler: log it all, keep the session
                log.exception("command failed: %r", line)
                reply = Reply(
                    "Sorry, something went wrong on my side; it has been logged.", error=True
                )
            errors += reply.error
            print(render(reply), file=out, flush=True)
        if prompt is not None:
            prompt(user, channel)
    return errors


def history_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the console keeps the lines typed in earlier sessions."""
    data = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "cop-bot" / "console_history"


class Terminal:
    """Lines typed at a prompt, with ``readline``'s editing and a history file when the
    module is there (it is not on Windows: then plain ``input``)."""

    def __init__(self, history: Path | None, *, read: Callable[[str], str] = input) -> None:
        self.history = history
        self.prompt = "> "
        self._read = read
        try:
            import readline
        except ImportError:  # pragma: no cover - platforms without readline
            self._readline = None
        else:
            self._readline = readline

    def __enter__(self) -> Terminal:
        if self._readline is not None and self.history is not None:
            self._readline.set_history_length(HISTORY_LENGTH)
            with contextlib.suppress(OSError):  # none yet, or unreadable: start afresh
                self._readline.read_history_file(self.history)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._readline is None or self.history is None:
            return
        try:
            self.history.parent.mkdir(parents=True, exist_ok=True)
            self._readline.write_history_file(self.history)
        except OSError as error:
            log.warning("Could not keep the console history in %s: %s", self.history, error)

    def set_prompt(self, user: str, channel: str) -> None:
        self.prompt = f"{user}@#{channel}> "

    def lines(self) -> Iterator[str]:
        """Each line typed, until end of input (Ctrl-D)."""
        while True:
            try:
                yield self._read(self.prompt)
            except EOFError:
                print()
                return


def chat(runner: Runner, *, user: str, channel: str, history: Path | None = None) -> int:
    """Talk to the bot: typed at a terminal (``history``: the history file, by default
    :func:`history_path`), or line by line from a pipe."""
    if not sys.stdin.isatty():
        run_lines(runner, sys.stdin, user=user, channel=channel, out=sys.stdout)
        return 0
    print(f"cop-bot console: you are {user} in #{channel}. Type `help`, or /quit to leave.")
    with Terminal(history or history_path()) as terminal:
        terminal.set_prompt(user, channel)
        run_lines(
            runner,
            terminal.lines(),
            user=user,
            channel=channel,
            out=sys.stdout,
            prompt=terminal.set_prompt,
        )
    return 0
