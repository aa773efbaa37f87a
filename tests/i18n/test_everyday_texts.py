"""The person's own commands (my-data, forget-me, snooze, settings, pulse) and every limit's
refusal speak the person's language, placeholders filled in."""

from __future__ import annotations

import pytest

from bot import limits
from bot.errors import InvalidInput
from bot.i18n import use_locale
from tests.conftest import Say


def test_my_data_forget_me_and_snooze_speak_french(say: Say) -> None:
    say("ana", "idea Mentoring circles")
    with use_locale("fr"):
        mine = say("ana", "my-data")
        assert mine.text == "Voici tout ce qui est enregistré à votre sujet."
        assert mine.attachments[0].title == "Vos données"
        snoozed = say("ana", "snooze 7d")
        assert snoozed.text == "Rappels en pause jusqu’au mer. 25 nov. 2026."
        settings = say("ana", "settings")
        assert settings.text == "Vos réglages."
        assert "Heures de travail : " in settings.sections[0].lines[0]
        asked = say("ana", "forget-me")
        assert "`forget-me confirm`" in asked.text and asked.text.startswith("Cela supprime")
        done = say("ana", "forget-me confirm")
        assert done.text.startswith("C’est fait. Vos données personnelles ont été effacées")


def test_snooze_and_settings_speak_spanish(say: Say) -> None:
    with use_locale("es"):
        assert say("bo", "snooze 3d").text.startswith("Recordatorios en pausa hasta el ")
        saved = say("bo", "settings hours 08:00-16:00")
        assert saved.text == "Guardado: hours 08:00-16:00."
        refused = say("bo", "pulse")
        assert refused.error and refused.text.startswith("Responde del 1 al 5.")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The note is 501 characters long; the limit is 500 characters."),
        ("fr", "Texte trop long (note) : 501 caractères, pour une limite de 500 caractères."),
        ("es", "Texto demasiado largo (nota): 501 caracteres, y el límite es de 500."),
    ],
)
def test_a_text_over_its_limit_is_refused_in_the_readers_language(
    language: str, expected: str
) -> None:
    with use_locale(language), pytest.raises(InvalidInput) as refused:
        limits.text("x" * 501, what="note", limit=limits.NOTE)
    assert refused.value.message == expected


def test_lists_and_names_over_their_limits_are_refused_in_french() -> None:
    themes = [f"theme{n}" for n in range(limits.THEMES + 1)]
    with use_locale("fr"):
        with pytest.raises(InvalidInput) as too_many:
            limits.words(themes, what="theme", each=limits.THEME, most=limits.THEMES)
        with pytest.raises(InvalidInput) as too_long:
            limits.name("s" * 81, what="skill", limit=limits.SKILL)
        with pytest.raises(InvalidInput) as empty:
            limits.text("\u200b", what="idea", limit=limits.TEXT)
    assert too_many.value.message == "Cela fait 11 thèmes ; la limite est de 10 thèmes."
    assert "81 caractères" in too_long.value.message and "compétence" in too_long.value.message
    assert empty.value.message == "Rien n’est écrit (idée). Écrivez quelques mots."


def test_through_the_runner_a_long_note_is_refused_in_spanish(say: Say) -> None:
    with use_locale("es"):
        refused = say("ana", "log 1h " + "z" * (limits.NOTE + 1))
    assert refused.error
    assert refused.text.startswith("Texto demasiado largo (nota): 501 caracteres")


def test_the_stats_reply_frames_its_table_in_french(say: Say) -> None:
    with use_locale("fr"):
        reply = say("cora", "stats all 2026-Q4")
    assert reply.text.startswith("Indicateurs pour organisation, 2026-Q4 (1 oct. 2026 – ")
    assert reply.text.endswith(", UTC, jour 49 sur 92 à ce jour).")
    assert reply.table is not None
    assert reply.table.columns[0] == "Indicateur" and reply.table.columns[3:] == (
        "Cible (responsable)",
        "Avancement",
    )
