"""Cutting text for a platform's limits without splitting what belongs together."""

from __future__ import annotations

import unicodedata

# Characters that belong to the one before them: zero-width (non-)joiners and spaces the
# renderers insert to defuse mentions and links, and the emoji variation selector.
JOINERS = frozenset("\u200b\u200c\u200d\ufe0f")


def safe_end(text: str, end: int) -> int:
    """``end`` moved back so ``text[:end]`` does not separate a character from its combining
    marks or joiners."""
    while 0 < end < len(text) and (unicodedata.combining(text[end]) or text[end] in JOINERS):
        end -= 1
    return end


def cut(text: str, limit: int, marker: str) -> str:
    """``text`` cut on a character boundary so the result, ``marker`` included, fits ``limit``."""
    if len(text) <= limit:
        return text
    if len(marker) >= limit:
        return marker[:limit]
    return text[: safe_end(text, limit - len(marker))] + marker
