"""Which exported messages are people's own messages, and their text made readable.

A message counts when a person wrote it: it has a user and no subtype, or one of the
subtypes ``file_share``, ``thread_broadcast`` and ``me_message``. Joins, leaves, topic,
purpose and name changes, pins, bot messages and every other subtype do not count, and
neither do messages posted by an app (``bot_id``) or by a bot user.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

HUMAN_SUBTYPES = frozenset({"file_share", "thread_broadcast", "me_message"})

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>|<([^<>|]+)>")


def author(message: Mapping[str, Any]) -> str | None:
    """The user id of a person's own message, or None when the message does not count."""
    user = message.get("user")
    if not isinstance(user, str) or not user:
        return None
    if message.get("type", "message") != "message" or message.get("bot_id"):
        return None
    subtype = message.get("subtype")
    if subtype is not None and subtype not in HUMAN_SUBTYPES:
        return None
    return user


def plain(text: str, names: Mapping[str, str]) -> str:
    """Slack markup as plain text: ``<@U1|ana>`` → ``@ana``, ``<url|label>`` → ``label (url)``."""
    if "<" not in text and "&" not in text:
        return text
    text = _USER.sub(lambda m: "@" + (m[2] or names.get(m[1], m[1])), text)
    text = _CHANNEL.sub(lambda m: "#" + m[1], text)
    text = _SPECIAL.sub(lambda m: m[1], text)

    def link(m: re.Match[str]) -> str:
        if m[3] is not None:
            return m[3]
        return f"{m[2]} ({m[1]})" if m[2] != m[1] else m[1]

    text = _LINK.sub(link, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
