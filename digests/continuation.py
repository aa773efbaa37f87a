"""Long posts in parts: the first post, then continuations in its thread.

A busy week's digest lists every item; so that each post stays within what Slack (50 blocks)
and Teams (about 28 KB) accept, its sections are spread over parts of at most ``PART_ITEMS``
items each. The first part keeps the headline and says how many posts follow; each
continuation is queued under its own outbox key (``<key>#2``, ``<key>#3``…) and names the first
post's key in ``meta.thread_of``, so the dispatcher posts it in that post's thread, once.
"""

from __future__ import annotations

from dataclasses import replace

from bot.i18n import _, current, ngettext, use_locale
from bot.messages import Reply, Section
from digests.outbox import Outgoing

PART_ITEMS = 24  # items per post; with the compact layout a part stays well within both limits


def split(reply: Reply, *, per_part: int = PART_ITEMS) -> list[Reply]:
    """``reply`` as one or more posts, sections in order, no item left out."""
    parts: list[list[Section]] = [[]]
    used = 0
    for section in reply.sections:
        items = list(section.items)
        if not items:
            parts[-1].append(section)
            continue
        first = True
        while items:
            if used >= per_part:
                parts.append([])
                used = 0
            chunk, items = items[: per_part - used], items[per_part - used :]
            heading = section.heading
            if not first and heading:
                heading = _("{heading} (continued)").format(heading=heading)
            parts[-1].append(
                replace(
                    section,
                    heading=heading,
                    lines=section.lines if first else (),
                    items=tuple(chunk),
                    more=0 if items else section.more,
                )
            )
            used += len(chunk)
            first = False
    if len(parts) == 1:
        return [reply]
    total = len(parts)
    follow = ngettext(
        "Continued in the thread ({n} more post).",
        "Continued in the thread ({n} more posts).",
        total - 1,
    ).format(n=total - 1)
    head = replace(reply, sections=(*parts[0], Section(lines=(follow,))))
    rest = [
        Reply(
            _("{text} (continued, {n} of {total})").format(text=reply.text, n=n, total=total),
            sections=tuple(sections),
            public=reply.public,
        )
        for n, sections in enumerate(parts[1:], start=2)
    ]
    return [head, *rest]


def continuation_key(key: str, part: int) -> str:
    """The outbox key of a post's ``part``-th part (the first part keeps ``key``)."""
    return key if part == 1 else f"{key}#{part}"


def in_parts(message: Outgoing, *, per_part: int = PART_ITEMS) -> list[Outgoing]:
    """``message`` as its first post and continuations threaded on it."""
    with use_locale(message.language or current()):
        replies = split(message.reply, per_part=per_part)
    return [
        replace(
            message,
            key=continuation_key(message.key, n),
            reply=part,
            meta={**message.meta, **({"thread_of": message.key} if n > 1 else {})},
        )
        for n, part in enumerate(replies, start=1)
    ]
