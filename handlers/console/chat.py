"""The local console: the same grammar as Slack and Teams, without any platform.

Interactive in a terminal, with a prompt, line editing and a history kept between sessions
(``readline``, in ``$XDG_DATA_HOME/cop-bot/console_history``, by default
``~/.local/share/cop-bot/``); line by line from a pipe. ``/as NAME`` switches the person
speaking, ``/in CHANNEL`` the channel, so one script can play several people. Files the bot
sends are written to a folder and their paths printed; messages the outbox delivers to console
people and channels (digests, nudges, pulse questions) are shown after each line. A button's
hint can be typed as it is shown, pulse answers included.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.clock import utcnow
from bot.commands import Runner
from bot.commands.channels import meet
from bot.i18n import _, formats, use_locale
from bot.messages import Actor, Inbound, Platform, Reply
from bot.services import pulse
from handlers.console import files as console_files
from handlers.console.render import render_text

WORKSPACE = "local"
HISTORY_LENGTH = 1000
log = logging.getLogger(__name__)

# A pulse button's hint, ``/cop pulse 12:4``: the question id and the answer.
_PULSE = re.compile(r"^(?:/\S+\s+)?pulse\s+(\d{1,9}:\d{1,2})$", re.IGNORECASE)


def inbound(user: str, channel: str, text: str) -> Inbound:
    actor = Actor(platform=Platform.CONSOLE, workspace=WORKSPACE, user_id=user, display_name=user)
    return Inbound(actor=actor, channel=channel, channel_name=channel, text=text)


def render(reply: Reply, saved: list[Path] | None = None) -> str:
    if saved is not None:
        reply = replace(reply, attachments=())
    text = render_text(reply)
    for path, size in ((p, p.stat().st_size) for p in saved or []):
        text += "\n" + _("File saved: {path} ({size} bytes)").format(
            path=path, size=formats.number(size, digits=0)
        )
    for notice in reply.notices:
        text += "\n  " + _("(message to person {person}: {text})").format(
            person=notice.recipient_person_id, text=notice.text
        )
    return text


def meet_channel(runner: Runner, user: str, channel: str, now: datetime) -> Reply | None:
    """The offer for a channel that is not part of a community yet (None when it is)."""
    ctx = runner.context(inbound(user, channel, ""), now=now)
    return meet(runner.uow(), ctx)


def _answer_pulse(runner: Runner, message: Inbound, value: str, now: datetime) -> Reply:
    """A typed pulse hint, exactly as a pulse button click on Slack or Teams."""
    return pulse.answer_reply(runner.uow(), runner.context(message, now=now), value)


@dataclass(slots=True)
class Outputs:
    """Where the console puts files and finds the messages the outbox sent its people."""

    files: Path | None = None
    mailbox: console_files.Mailbox | None = None
    deliver: Callable[[datetime], object] | None = None  # sends due console messages now

    def show_delivered(self, out: TextIO) -> None:
        if self.mailbox is None:
            return
        for message in self.mailbox.new():
            heading = _("message to {recipient}").format(recipient=message.to)
            print(f"\n── {heading} ──\n{message.text}", file=out, flush=True)


def run_lines(
    runner: Runner,
    lines: Iterable[str],
    *,
    user: str,
    channel: str,
    out: TextIO,
    clock: Callable[[], datetime] = utcnow,
    prompt: Callable[[str, str], None] | None = None,
    outputs: Outputs | None = None,
) -> int:
    """Run each line; returns how many replies were errors. ``prompt`` hears who is speaking
    where after every line read."""
    errors = 0
    outputs = outputs or Outputs()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/as "):
            user = line[4:].strip().lstrip("@") or user
            if prompt is not None:
                prompt(user, channel)
            continue
        if line.startswith("/in "):
            channel = line[4:].strip().lstrip("#") or channel
            offer = meet_channel(runner, user, channel, clock())
            if offer is not None:  # as when the bot is invited to a channel on Slack or Teams
                print(render(offer), file=out, flush=True)
            if prompt is not None:
                prompt(user, channel)
            continue
        if line in ("/quit", "/exit"):
            break
        spoken = None
        try:
            message = inbound(user, channel, line)
            spoken = runner.language(message, now=clock())
            with use_locale(spoken):
                if hint := _PULSE.match(line):
                    reply = _answer_pulse(runner, message, hint.group(1), clock())
                else:
                    reply = runner.handle(message, now=clock())
            spoken = runner.language(message, now=clock())  # `language es` answers in it
            saved = None
            if reply.attachments and outputs.files is not None:
                saved = console_files.save(outputs.files, reply.attachments)
            if outputs.deliver is not None:
                outputs.deliver(clock())
        except Exception:  # the console's one global handler: log it all, keep the session
            log.exception("command failed: %r", line)
            with use_locale(spoken):
                reply = Reply(
                    _("Sorry, something went wrong on my side; it has been logged."), error=True
                )
            saved = None
        errors += reply.error
        with use_locale(spoken):
            print(render(reply, saved), file=out, flush=True)
        outputs.show_delivered(out)
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


def chat(
    runner: Runner,
    *,
    user: str,
    channel: str,
    outputs: Outputs | None = None,
    history: Path | None = None,
) -> int:
    """Talk to the bot: typed at a terminal (``history``: the history file, by default
    :func:`history_path`), or line by line from a pipe."""
    outputs = outputs or Outputs()
    if not sys.stdin.isatty():
        run_lines(runner, sys.stdin, user=user, channel=channel, out=sys.stdout, outputs=outputs)
        return 0
    print(
        _("cop-bot console: you are {user} in #{channel}. Type `help`, or /quit to leave.").format(
            user=user, channel=channel
        )
    )
    if outputs.files is not None:
        print(_("Files and messages the bot sends go to {folder}/.").format(folder=outputs.files))
    offer = meet_channel(runner, user, channel, utcnow())
    if offer is not None:
        print(render(offer))
    with Terminal(history or history_path()) as terminal:
        terminal.set_prompt(user, channel)
        run_lines(
            runner,
            terminal.lines(),
            user=user,
            channel=channel,
            out=sys.stdout,
            prompt=terminal.set_prompt,
            outputs=outputs,
        )
    return 0
