"""BERT's uncased WordPiece tokenizer, for the suggestion detector's encoder.

The same steps as the reference implementation (``BertTokenizer`` with ``do_lower_case``):
drop control characters, put spaces around CJK characters, lower-case, strip accents, split
on white space and punctuation, then split each word greedily into the longest pieces of the
vocabulary (``##`` marks a piece that continues a word), ``[UNK]`` for a word that cannot be
split. ``benchmarks/detector_train.py`` checks it gives the reference's ids on every
sentence it trains and measures on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

MAX_WORD = 100  # characters; a longer word is [UNK]
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)


def _punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def _space(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK)


def words(text: str) -> list[str]:
    """The basic tokenizer: lower-cased, accent-free words and punctuation marks."""
    spaced = []
    for ch in text:
        if ord(ch) in (0, 0xFFFD) or _control(ch):
            continue
        if _cjk(ch):
            spaced.append(f" {ch} ")
        else:
            spaced.append(" " if _space(ch) else ch)
    out: list[str] = []
    for token in "".join(spaced).lower().split():
        plain = "".join(
            c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn"
        )
        current = ""
        for ch in plain:
            if _punctuation(ch):
                if current:
                    out.append(current)
                out.append(ch)
                current = ""
            else:
                current += ch
        if current:
            out.append(current)
    return out


class WordPiece:
    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.ids = {piece: i for i, piece in enumerate(vocabulary)}
        self.unknown = self.ids["[UNK]"]
        self.first = self.ids["[CLS]"]
        self.last = self.ids["[SEP]"]

    def pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD:
            return [self.unknown]
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else f"##{word[start:end]}"
                if piece in self.ids:
                    found.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return found

    def encode(self, text: str, limit: int) -> list[int]:
        """``[CLS] pieces… [SEP]``, at most ``limit`` ids in all."""
        ids: list[int] = []
        for word in words(text):
            ids += self.pieces(word)
            if len(ids) >= limit - 2:
                break
        return [self.first, *ids[: limit - 2], self.last]
