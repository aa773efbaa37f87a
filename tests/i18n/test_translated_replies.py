"""Replies that used to stay English whatever the reader's language: the digest command,
roles, settings refusals, request refusals and the focal digest's reasons."""

from __future__ import annotations

from bot.i18n import nlater, use_locale
from bot.messages import Item, Reply, Section
from bot.reads.focal_data import ActionItem
from digests.continuation import split
from tests.conftest import Say


def test_the_digest_command_speaks_french(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles")
    with use_locale("fr"):
        refused = say("ana", "digest preview")
        preview = say("cora", "digest preview")
        sent = say("cora", "digest send")
        again = say("cora", "digest send")
    assert refused.error and "prévisualiser ou envoyer le résumé" in refused.text
    assert preview.text == "Aperçu du résumé de design-thinking (vous seul le voyez) :"
    assert sent.text == "Le résumé de design-thinking part vers 1 canal."
    assert again.text.startswith("Le résumé de design-thinking de cette semaine a déjà")


def test_a_quiet_digest_is_refused_in_spanish(say: Say) -> None:
    say("cora", "community create design-thinking")
    with use_locale("es"):
        assert say("cora", "digest preview").text.startswith("No ha pasado nada en design")
        sent = say("cora", "digest send")
    assert sent.text == "No hay resumen para design-thinking: no ha pasado nada esta semana."


def test_roles_speak_the_readers_language(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles")
    with use_locale("fr"):
        assert say("cora", "focal add @ana").text.endswith(
            "est désormais point focal pour design-thinking."
        )
        assert say("cora", "focal remove @ana").text.endswith(
            "n’est plus point focal pour design-thinking."
        )
    with use_locale("es"):
        assert say("cora", "coordinator add @ana").text.endswith(
            "ya forma parte de la coordinación."
        )


def test_settings_refusals_speak_spanish(say: Say) -> None:
    with use_locale("es"):
        hours = say("bo", "settings hours nine-to-five")
        days = say("bo", "settings days someday")
        zone = say("bo", "settings timezone Mars/Olympus")
    assert hours.error and hours.text.startswith("El horario de trabajo se escribe 08:00-16:00")
    assert days.text.startswith("Los días de trabajo se escriben mon-fri")
    assert zone.text.startswith("Zona horaria desconocida: «Mars/Olympus».")


def test_closing_someone_elses_request_is_refused_in_a_whole_french_sentence(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "ask How do we run a retrospective?")
    with use_locale("fr"):
        resolve = say("bo", "resolve R-1")
        close = say("bo", "close R-1")
    assert resolve.text.endswith("peuvent la marquer comme résolue.")
    assert close.text.endswith("peuvent la fermer.")
    assert "it" not in resolve.text.split() and "it" not in close.text.split()


def test_a_focal_reason_is_written_in_each_readers_language() -> None:

    item = ActionItem(
        "R-1", "q", "c", nlater("no answer for {n} day", "no answer for {n} days", 6), None
    )
    with use_locale("fr"):
        assert str(item.reason) == "sans réponse depuis 6 jours"
    with use_locale("es"):
        assert str(item.reason) == "sin respuesta desde hace 6 días"


def test_a_long_posts_continuations_speak_its_language() -> None:
    items = tuple(Item(f"I-{n}", f"idea {n}") for n in range(30))
    reply = Reply("Résumé", sections=(Section(heading="Idées", items=items),))
    with use_locale("fr"):
        first, second = split(reply, per_part=20)
    assert "Suite dans le fil (1 autre message)." in first.sections[-1].lines
    assert second.text == "Résumé (suite, 2 sur 2)"
    assert second.sections[0].heading == "Idées (suite)"


def test_support_notes_the_champion_in_their_language_and_a_plain_vote_does_not(
    say: Say,
) -> None:
    say("cora", "community create design-thinking")
    say("ana", "language es")
    say("ana", "idea Mentoring circles")
    assert say("bo", "vote I-1").notices == ()  # a vote shows in the digest, not as a note
    (note,) = say("cora", "support I-1").notices
    assert note.text.startswith("cora apoya tu idea I-1"), note.text


def test_attending_twice_is_refused_in_a_whole_spanish_sentence(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("cora", 'event add "Design sprint" 2026-11-26 workshop')
    say("ana", "attend E-1")
    with use_locale("es"):
        again = say("ana", "attend E-1")
    assert again.error and again.text == "Ya tienes plaza en E-1."
