"""Make user text safe inside Slack ``mrkdwn``.

Slack parses ``<…>`` sequences as mentions (``<!channel>``, ``<@U123>``,
``<!subteam^S1>``) and links (``<http://evil|http://good>``), so ``&``, ``<`` and
``>`` in user text are always escaped. Bare ``@here``-style words are broken with
an invisible joiner so Slack never treats them as mentions. Emphasis such as
``*bold*`` or ``_italic_`` is left alone: it cannot ping anyone or hide a link.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

from bot.text import safe_end

ZERO_WIDTH_JOINER = "\u200d"
CUT_MARKER = "… (cut)"

AT_MENTION = re.compile(r"(?<!\w)@(?=\w)|@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
_PARTIAL_ENTITY = re.compile(r"&[#0-9A-Za-z]{0,6}$")
_URL_SAFE = "-._~:/?#@!$&'()*+,;=%[]"


def escape_mrkdwn(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` and defuse ``@channel``/``@here``/``@everyone``/``@name``."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "@" not in escaped:  # the pattern only ever matches an "@"
        return escaped
    return AT_MENTION.sub("@" + ZERO_WIDTH_JOINER, escaped)


def truncate(text: str, limit: int, marker: str = CUT_MARKER) -> str:
    """Cut ``text`` so the result, marker included, is at most ``limit`` characters.

    The cut never splits an ``&amp;``-style entity, a ``<…>`` link made by
    :func:`link`, or a base character from its combining marks.
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    if len(text) <= limit:
        return text
    if len(marker) >= limit:
        return marker[:limit]
    kept = text[: safe_end(text, limit - len(marker))]
    partial = _PARTIAL_ENTITY.search(kept)
    if partial is not None:
        kept = kept[: partial.start()]
    open_at = kept.rfind("<")
    if open_at > kept.rfind(">"):
        kept = kept[:open_at]
    return kept + marker


def safe_url(url: str) -> str | None:
    """Return ``url`` ready for a ``<url|label>`` link, or ``None`` unless it is http(s)."""
    candidate = url.strip()
    if not candidate or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    encoded = quote(candidate, safe=_URL_SAFE)
    return encoded.replace("&", "&amp;")


def link(url: str, label: str) -> str:
    """``<url|label>`` for an http(s) URL; anything else gives the escaped label only."""
    clean_label = " ".join(label.replace("|", " ").replace(">", " ").split())
    shown = escape_mrkdwn(clean_label)
    target = safe_url(url)
    if target is None:
        return shown
    return f"<{target}|{shown or target}>"
