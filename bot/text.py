"""Cutting text for a platform's limits without splitting what belongs together, and lining
up plain-text columns by how wide the text shows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import wcwidth

# Characters that belong to the one before them: zero-width (non-)joiners and spaces the
# renderers insert to defuse mentions and links, and the emoji variation selector.
JOINERS = frozenset("\u200b\u200c\u200d\ufe0f")


FSI, PDI = "\u2068", "\u2069"  # first-strong isolate … pop directional isolate
_RTL = frozenset({"R", "AL"})
# No character below U+0590 (Latin, Greek, Cyrillic, Armenian…) is right-to-left: the first
# is U+05BE, in the Hebrew block.
_MAY_BE_RTL = re.compile("[\u0590-\U0010ffff]")


def isolate(text: str) -> str:
    """``text`` between FSI and PDI when it holds right-to-left letters (Arabic, Hebrew), so
    it keeps its own direction without reordering the line around it (Unicode UAX #9).
    Text with no character from U+0590 on is returned as it is without a look at each
    character (every title and detail of every listing comes through here)."""
    if text.isascii() or _MAY_BE_RTL.search(text) is None:
        return text
    rtl = any(unicodedata.bidirectional(ch) in _RTL for ch in text)
    if rtl and not (text.startswith(FSI) and text.endswith(PDI)):
        return FSI + text + PDI
    return text


def safe_end(text: str, end: int) -> int:
    """``end`` moved back so ``text[:end]`` ends between grapheme clusters (UAX #29: an emoji
    ZWJ sequence, a flag's two regional indicators, a letter and its combining marks stay
    whole) and keeps a joiner or defusing space with the character before it."""
    while 0 < end < len(text):
        start = int(wcwidth.grapheme_boundary_before(text, end + 1))
        if start < end:  # ``end`` falls inside the cluster that begins at ``start``
            end = start
        elif unicodedata.combining(text[end]) or text[end] in JOINERS:
            end -= 1
        else:
            break
    return end


def cut(text: str, limit: int, marker: str) -> str:
    """``text`` cut between grapheme clusters so the result, ``marker`` included, fits
    ``limit`` code points."""
    if len(text) <= limit:
        return text
    if len(marker) >= limit:
        return marker[:limit]
    return text[: safe_end(text, limit - len(marker))] + marker


def columns(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font: two for a Chinese character or
    an emoji, none for a combining mark or a joiner."""
    return int(wcwidth.width(text))


def fit(text: str, limit: int, marker: str = "…") -> str:
    """``text`` cut between graphemes so the result, ``marker`` included, takes at most
    ``limit`` columns."""
    if columns(text) <= limit:
        return text
    room = limit - columns(marker)
    if room < 0:
        return ""
    kept: list[str] = []
    for grapheme in wcwidth.iter_graphemes(text):
        room -= columns(grapheme)
        if room < 0:
            break
        kept.append(grapheme)
    return "".join(kept) + marker


def align(
    rows: Sequence[Sequence[str]], *, max_width: int | None = None, gap: str = "  "
) -> list[str]:
    """``rows`` (the first is the header) as plain-text lines in columns: the header, a rule,
    then the rest. Columns line up by display width; a cell wider than ``max_width`` columns is
    cut (see :func:`fit`); short rows are padded with empty cells."""
    count = max((len(row) for row in rows), default=0)
    table = [
        [isolate(fit(c, max_width) if max_width is not None else c) for c in row]
        + [""] * (count - len(row))
        for row in rows
    ]
    sizes = [max((columns(row[i]) for row in table), default=0) for i in range(count)]

    def line(cells: list[str]) -> str:
        padded = (c + " " * (sizes[i] - columns(c)) for i, c in enumerate(cells))
        return gap.join(padded).rstrip()

    if not table:
        return []
    header, *body = table
    return [line(header), line(["-" * s for s in sizes]), *(line(r) for r in body)]
