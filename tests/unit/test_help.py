"""Help texts: a usage line for every verb (and every verb parses), the overview grouped by
area, each verb's help with an example that parses, topics typed in any case or with a
slash, and an unknown topic answered with the closest one and the overview."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from bot.grammar.commands import Command
from bot.grammar.help import AREAS, USAGE, help_text
from bot.grammar.parser import parse
from bot.i18n import _, use_locale


def test_usage_covers_every_verb_and_every_verb_parses() -> None:
    assert len(USAGE) == 41
    for verb in USAGE:
        try:
            parse(verb)
        except UsageError as error:
            assert error.usage == USAGE[verb]


def test_overview_is_grouped_by_area_and_names_every_verb() -> None:
    text = help_text(None)
    for name, _gist, verbs in AREAS:
        assert str(name) in text
        for verb in verbs:
            assert verb in text
    grouped = [verb for _name, _gist, verbs in AREAS for verb in verbs]
    assert sorted(grouped) == sorted(v for v in USAGE if v != "help")
    assert len(text.splitlines()) <= 12
    assert help_text("") == text


@pytest.mark.parametrize("verb", list(USAGE))
def test_help_for_each_verb_has_usage_and_an_example(verb: str) -> None:
    text = help_text(verb)
    assert text.startswith(USAGE[verb])
    example = next(line for line in text.splitlines() if line.startswith("Example: "))
    assert isinstance(parse(example.removeprefix("Example: ")), Command)


def test_help_topic_is_case_and_slash_tolerant() -> None:
    assert help_text("/ADVANCE") == help_text("advance")


def test_help_for_an_unknown_topic_suggests_and_shows_the_overview() -> None:
    text = help_text("avdance")
    assert text.startswith('No help for "avdance". Did you mean "help advance"?')
    assert help_text(None) in text


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("verb", list(USAGE))
def test_translated_examples_keep_their_command_words_and_parse(language: str, verb: str) -> None:
    with use_locale(language):
        text = help_text(verb)
        prefix = _("Example: {example}").format(example="")
    example = next(line for line in text.splitlines() if line.startswith(prefix))
    assert isinstance(parse(example.removeprefix(prefix)), Command)


def test_the_idea_example_is_written_in_the_readers_language() -> None:
    with use_locale("fr"):
        assert "idea Tester un chatbot pour les questions fréquentes" in help_text("idea")
    with use_locale("es"):
        assert 'event add "Sprint de diseño" 2026-12-01 workshop' in help_text("event")
