"""Words the code keeps in English (statuses, stages, event kinds, weekdays, scope kinds) and
ISO dates are shown in the reader's language inside translated sentences."""

from __future__ import annotations

from bot.container import Container
from bot.i18n import use_locale
from tests.conftest import Say
from tests.indicators.conftest import place


def test_an_already_resolved_request_names_its_status_in_french(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "ask How do we run a retrospective?")
    say("ana", "resolve R-1")
    with use_locale("fr"):
        again = say("ana", "resolve R-1")
        closed = say("ana", "close R-1")
    assert again.text == "R-1 est déjà résolue."
    assert closed.text == "R-1 est déjà résolue."


def test_the_digest_names_event_kinds_in_spanish(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("cora", 'event add "Design sprint" 2026-11-26 workshop')
    say("ana", "idea Mentoring circles")
    say("cora", "community settings language=es")  # the digest speaks the community's language
    preview = say("cora", "digest preview")
    details = [d for s in preview.sections for item in s.items for d in item.details]
    assert any(" · taller · 0 inscritos" in d for d in details), details
    assert not any("workshop" in d for d in details)


def test_the_stage_history_shows_localised_dates(say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles")
    say("cora", "advance I-1 development Ready to build")
    with use_locale("fr"):
        shown = say("ana", "show I-1")
    history = next(s for s in shown.sections if s.heading == "Historique des étapes")
    assert history.lines[0] == "18 nov. 2026 nouvelle → proposée par ana"
    assert history.lines[1].startswith("18 nov. 2026 proposée → développement")
    assert "2026-11-18" not in " ".join(history.lines)


def test_the_community_settings_name_the_digest_weekday(say: Say) -> None:
    say("cora", "community create design-thinking")
    with use_locale("fr"):
        reply = say("cora", "community settings")
    lines = [line for s in reply.sections for line in s.lines]
    assert any(line.startswith("résumé : activé, lundi 09:00") for line in lines), lines


def test_the_stats_reply_names_the_scope_kind_in_french(say: Say, container: Container) -> None:
    say("cora", "community create design-thinking")
    place(container, "design-thinking", "Éducation", "Afrique")
    with use_locale("fr"):
        unit = say("cora", "stats unit:Éducation 2026-Q4")
        region = say("cora", "stats region:Afrique 2026-Q4")
    assert unit.text.startswith("Indicateurs pour unité Éducation, 2026-Q4")
    assert region.text.startswith("Indicateurs pour région Afrique, 2026-Q4")
