"""Recognising the bot's capture replies in what a stand-in platform received."""

from __future__ import annotations

import re
from collections.abc import Iterable


def capture_replies(messages: Iterable[str], title: str) -> int:
    """How many of ``messages`` are the reply to capturing ``title`` ("Idea I-n saved: <title>").

    Only that reply counts: another idea's reply may name ``title`` among its similar ideas,
    and a digest or a listing names it too.
    """
    saved = re.compile(r"Idea I-\d+ saved[^\"]*?: " + re.escape(title) + r"(?![\w ])")
    return sum(bool(saved.search(message)) for message in messages)
