"""Slack's text format → the plain text the core stores.

Slack sends message and command text with ``&``, ``<`` and ``>`` escaped as entities and
with mentions and links as ``<…>`` markup (``<@U123|ana>``, ``<!here>``, ``<#C1|general>``,
``<https://x|label>``). Captured titles and questions are stored as plain text, so the
markup becomes readable words here (``@ana``, ``@here``, ``#general``, ``label (url)``) and
the renderer escapes it again on the way out: nothing a person typed can ping anyone.

Command arguments that name people (``resolve R-3 <@U123>``) keep their user markup, which
the parser reads as a person reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_MARKUP = re.compile(r"<([^<>\n]{1,500})>")
_USER = re.compile(r"<@([UW][A-Z0-9]{1,30})(?:\|[^<>]*)?>")
# Verbs whose arguments may name people: their <@U…> markup is left for the parser.
PERSON_VERBS = frozenset({"resolve", "attend", "focal", "coordinator", "handover", "target"})


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _replace(match: re.Match[str], names: Mapping[str, str], keep_people: bool) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        if keep_people:
            return match.group(0)
        user = target[1:]
        return "@" + (label or names.get(user) or user)
    if target.startswith("!subteam^"):
        return "@" + (label.lstrip("@") or "group")
    if target.startswith("!date^"):
        return label
    if target.startswith("!"):
        return "@" + target[1:].split("^", 1)[0]
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if label and label != target:
        return f"{label} ({target})"
    return target


def plain(text: str, *, names: Mapping[str, str] | None = None, keep_people: bool = False) -> str:
    """Slack-formatted ``text`` as plain text (see the module docstring)."""
    known = names or {}
    converted = _MARKUP.sub(lambda m: _replace(m, known, keep_people), text)
    return unescape(converted)


def user_ids(text: str) -> list[str]:
    """The user ids mentioned without a name, in order (to look their names up)."""
    return list(dict.fromkeys(m.group(1) for m in _USER.finditer(text) if "|" not in m.group(0)))


def command_line(text: str, *, names: Mapping[str, str] | None = None) -> str:
    """A slash command's or mention's text, ready for the parser."""
    first = text.strip().split(maxsplit=1)[0].lower() if text.strip() else ""
    return plain(text, names=names, keep_people=first in PERSON_VERBS).strip()


def without_mention(text: str, bot_user_id: str | None) -> str:
    """``<@UBOT> idea …`` → ``idea …``: the bot's own mention is not part of the command."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^<>]*)?>:?", " ", text)
    return text.strip()
