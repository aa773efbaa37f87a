"""The parser with text in French, Spanish and Chinese: titles, questions and notes reach the
command unchanged, and any mix parses or answers with a domain error (in any language)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import CopError
from bot.grammar import commands as c
from bot.grammar.parser import parse
from bot.i18n import use_locale

FRENCH = "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ«»’ "
SPANISH = "áéíñóúüÁÉÍÑÓÚÜ¿¡ "
CHINESE = "设计思维社区创新想法帮助请求活动反馈，。？！“”、 "
WORDS = [
    "Cercles de mentorat pour les nouveaux arrivants",
    "¿Quién sabe usar Power BI?",
    "设计思维社区的新想法",
    "« Semaine de l’innovation » à Genève",
    "Año nuevo, señal débil",
    "🇨🇭 équipe 👩🏽‍💻 código",
]
letters = st.text(alphabet=FRENCH + SPANISH + CHINESE + "abc", min_size=1, max_size=60)
text = st.one_of(letters, st.sampled_from(WORDS)).map(lambda t: " ".join(t.split()))


@given(text.filter(bool))
def test_an_idea_in_any_script_keeps_its_text(title: str) -> None:
    assert parse(f"idea {title}") == c.NewIdea(title)


@given(text.filter(bool))
def test_a_request_in_any_script_keeps_its_text(question: str) -> None:
    assert parse(f"ask {question}") == c.Ask(question)


@given(text.filter(bool))
def test_a_time_log_note_in_any_script_keeps_its_text(note: str) -> None:
    command = parse(f"log 1,5h I-3 {note}")
    assert isinstance(command, c.LogTime) and command.note == note and command.hours == 1.5


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@given(line=st.text(alphabet=FRENCH + SPANISH + CHINESE + "I-12 ideavotsk", max_size=40))
def test_any_line_parses_or_raises_a_domain_error_in_every_language(
    language: str, line: str
) -> None:
    with use_locale(language):
        try:
            result = parse(line)
        except CopError as error:
            assert error.message
            return
    assert result is not None
