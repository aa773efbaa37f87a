"""The local console: the same grammar as Slack and Teams, without any platform.

Interactive in a terminal; line by line from a pipe. ``/as NAME`` switches the person speaking,
``/in CHANNEL`` the channel, so one script can play several people.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TextIO

from bot.clock import utcnow
from bot.commands import Runner
from bot.commands.channels import meet
from bot.messages import Actor, Inbound, Platform, Reply
from handlers.console.render import render_text

WORKSPACE = "local"
log = logging.getLogger(__name__)


def inbound(user: str, channel: str, text: str) -> Inbound:
    actor = Actor(platform=Platform.CONSOLE, workspace=WORKSPACE, user_id=user, display_name=user)
    return Inbound(actor=actor, channel=channel, channel_name=channel, text=text)


def render(reply: Reply) -> str:
    text = render_text(reply)
    for notice in reply.notices:
        text += f"\n  (message to person {notice.recipient_person_id}: {notice.text})"
    return text


def meet_channel(runner: Runner, user: str, channel: str, now: datetime) -> Reply | None:
    """The offer for a channel that is not part of a community yet (None when it is)."""
    ctx = runner.context(inbound(user, channel, ""), now=now)
    return meet(runner.uow(), ctx)


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
    """Run each line; returns how many replies were errors."""
    errors = 0
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("/as "):
            user = line[4:].strip().lstrip("@") or user
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
        try:
            reply = runner.handle(inbound(user, channel, line), now=clock())
        except Exception:  # the console's one global handler: log it all, keep the session
            log.exception("command failed: %r", line)
            reply = Reply("Sorry, something went wrong on my side; it has been logged.", error=True)
        errors += reply.error
        print(render(reply), file=out, flush=True)
        if prompt is not None:
            prompt(user, channel)
    return errors


def chat(runner: Runner, *, user: str, channel: str) -> int:
    interactive = sys.stdin.isatty()

    def show_prompt(who: str, where: str) -> None:
        print(f"{who}@#{where}> ", end="", flush=True)

    if interactive:
        print(f"cop-bot console: you are {user} in #{channel}. Type `help`, or /quit to leave.")
        show_prompt(user, channel)
    run_lines(
        runner,
        sys.stdin,
        user=user,
        channel=channel,
        out=sys.stdout,
        prompt=show_prompt if interactive else None,
    )
    return 0
