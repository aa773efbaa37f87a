"""A pseudo-locale for testing layout: every letter accented and the text 40% longer, so a
text that would overflow a platform limit once translated overflows in the tests first."""

from __future__ import annotations

import re

PSEUDO = "qps"  # the private-use tag Windows uses for its pseudo-locales

_ACCENTS = str.maketrans(
    "AaCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåÇçÐðÉéĜĝĤĥÎîĴĵĶķĻļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž",
)
# What must reach the program unchanged: format placeholders, code in backticks, links.
_KEEP = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sd]|%[sd]|`[^`]*`|<[^<>]*>|https?://\S+")
GROWTH = 0.4


def pseudo(text: str) -> str:
    """``text`` accented and padded to 140% of its length, placeholders untouched."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for match in _KEEP.finditer(text):
        parts.append(text[last : match.start()].translate(_ACCENTS))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(_ACCENTS))
    padding = "·" * max(1, round(len(text) * GROWTH) - 2)
    return "[" + "".join(parts) + padding + "]"
