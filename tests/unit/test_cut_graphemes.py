"""Cuts for platform limits and previews end between grapheme clusters: an emoji family, a
flag or a letter with its accents is kept whole or left out whole, never split."""

from __future__ import annotations

import wcwidth
from hypothesis import given
from hypothesis import strategies as st

from bot.text import cut, safe_end
from tests.conftest import Say

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
FLAGS = "🇫🇷🇪🇸"


def test_an_emoji_family_is_not_split() -> None:
    assert cut("x" * 72 + FAMILY, 75, "…") == "x" * 72 + "…"


def test_a_flag_pair_is_not_split() -> None:
    assert cut("x" * 73 + FLAGS, 75, "…") == "x" * 73 + "…"
    assert cut("x" * 73 + FLAGS, 76, "…") == "x" * 73 + "🇫🇷…"


def test_a_letter_keeps_its_combining_accent() -> None:
    assert cut("ab" + "e\u0301" + "cd", 4, "…") == "ab…"
    assert safe_end("@\u200bhere", 1) == 0  # a defusing space stays with its character


PIECES = st.sampled_from(["a", "é", "e\u0301", FAMILY, "🇫🇷", "👍🏽", "中", " ", "@\u200b"])


@given(st.lists(PIECES, max_size=40), st.integers(min_value=1, max_value=60))
def test_a_cut_is_a_prefix_of_whole_graphemes(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    shown = cut(text, limit, "…")
    assert len(shown) <= limit
    if shown != text:
        kept = shown.removesuffix("…")
        whole = list(wcwidth.iter_graphemes(text))
        prefix = list(wcwidth.iter_graphemes(kept))
        assert whole[: len(prefix)] == prefix


def test_the_offer_note_cuts_the_question_between_graphemes(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "ask " + "x" * 118 + FAMILY + " and more words after it")
    reply = say("bo", "offer R-1")
    (note,) = reply.notices
    assert note.text.endswith("x" * 118 + "…"), note.text
    assert "\u200d…" not in note.text and "👨…" not in note.text
