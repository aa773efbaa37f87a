"""Every person in their own language, through the signed Slack endpoint: the locale Slack
reports (``users.info`` with ``include_locale``), the ``language`` command, the community's
language for its digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.clock import utcnow
from digests import community_digest, nudges
from digests.dispatcher import Dispatcher
from handlers.slack.mount import register_notifier
from tests.platform.slack.conftest import CHANNEL, Harness


def _last(harness: Harness) -> str:
    return str(harness.responses()[-1]["text"]).strip("*")


def _next_working_morning(after: datetime) -> datetime:
    day = (after + timedelta(days=1)).astimezone(UTC).replace(hour=10, minute=0, second=0)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def _open_home(harness: Harness, user: str) -> str:
    event = harness.event_payload(
        "event_callback.app_mention", type="app_home_opened", user=user, channel="D1", tab="home"
    )
    event["event"].pop("text", None)
    await harness.event(event)
    calls = [c for c in harness.posted("views.publish") if c.params["user_id"] == user]
    return json.dumps(calls[-1].params["view"], ensure_ascii=False)


async def test_a_person_whose_slack_speaks_french_gets_french_without_asking(
    community: Harness,
) -> None:
    community.slack.add_user(
        "UELISE",
        real_name="Élise Fabre",
        email="elise@example.org",
        tz="Europe/Paris",
        locale="fr-FR",
    )

    await community.command("ideas", user="UELISE")
    assert _last(community).startswith("Pas encore d’idées")
    await community.command("help", user="UELISE")
    assert "Apprentissage entre pairs" in _last(community)
    await community.command("help idea", user="UELISE")
    assert "Noter une idée" in _last(community) and "idea [text]" in _last(community)
    await community.command("idea", user="UELISE")
    [form] = community.forms_shown()
    assert form["title"]["text"] == "Partager une idée"
    assert "Annuler" in json.dumps(form, ensure_ascii=False)
    home = await _open_home(community, "UELISE")
    assert "Bonjour" in home and "Vos idées" in home and "Nouvelle idée" in home

    # a nudge, queued by the scheduler and sent by the outbox, reaches her in French
    await community.command("skills add facilitation", user="UELISE")
    community.setup("UANA", "ask How do we run a good retrospective? #facilitation")
    register_notifier(community.container)
    morning = _next_working_morning(utcnow())
    queued = nudges.run(community.container, now=morning)
    languages = {m.address.user: m.language for m in queued.outgoing}
    assert languages["UELISE"] == "fr" and set(languages.values()) <= {"en", "fr"}
    Dispatcher(
        community.container.uow, community.container.notifiers, sleep=lambda s: None
    ).run_once(now=morning)
    [nudge] = [
        json.dumps(c.params, ensure_ascii=False)
        for c in community.posted()
        if "aide serait" in json.dumps(c.params, ensure_ascii=False)
    ]
    assert "Votre aide serait la bienvenue" in nudge and "Je peux aider" in nudge
    assert "correspond à vos compétences" in nudge


async def test_language_es_switches_to_spanish_and_auto_goes_back(community: Harness) -> None:
    community.slack.add_user(
        "UELISE", real_name="Élise Fabre", email="elise@example.org", locale="fr-FR"
    )
    await community.command("language es", user="UELISE")
    assert _last(community) == "A partir de ahora te escribo en español."
    await community.command("ideas", user="UELISE")
    assert _last(community).startswith("Todavía no hay ideas")
    await community.command("language", user="UELISE")
    assert _last(community).startswith("Te escribo en español.")
    await community.command("language auto", user="UELISE")
    assert _last(community) == "Désormais, je vous écris en français."
    await community.command("ideas")  # Ana's Slack is in English
    assert _last(community).startswith("No ideas yet")


async def test_a_community_set_to_french_gets_its_digest_in_french(community: Harness) -> None:
    await community.command("community settings language=fr", user="UCORA")
    assert "language: fr" in json.dumps(community.responses()[-1])
    community.setup("UANA", "idea Mentoring circles for new staff", days_ago=1)
    community.setup("UBO", "vote I-1", days_ago=1)
    register_notifier(community.container)
    now = utcnow()
    report = community_digest.run(
        community.container, now=now, community="design-thinking", force=True
    )
    assert report.queued == 1 and report.outgoing[0].language == "fr"
    Dispatcher(
        community.container.uow, community.container.notifiers, sleep=lambda s: None
    ).run_once(now=now)
    digest = json.dumps(community.posted()[-1].params, ensure_ascii=False)
    assert "Résumé de la semaine pour design-thinking" in digest
    assert "Nouvelles idées" in digest and "Voter" in digest and "1 vote · par" in digest


async def test_forms_their_loading_modal_and_their_refusals_follow_the_slack_locale(
    community: Harness,
) -> None:
    community.slack.add_user(
        "UELISE", real_name="Élise Fabre", email="elise@example.org", locale="fr-FR"
    )
    await community.command("ideas", user="UELISE")  # Slack has told her locale once

    await community.command("feedback", user="UELISE")
    [loading] = [c.params["view"] for c in community.posted("views.open")]
    assert loading["callback_id"] == "cop:loading" and loading["close"]["text"] == "Annuler"
    assert "Ouverture du formulaire…" in json.dumps(loading, ensure_ascii=False)
    [form] = community.forms_shown()
    assert form["title"]["text"] == "Donner un avis"

    state = {
        "target": {"type": "plain_text_input", "value": "I-99"},
        "rating": {"type": "static_select", "selected_option": {"value": "4"}},
        "text": {"type": "plain_text_input", "value": "Utile"},
        "anonymous": {"type": "checkboxes", "selected_options": []},
        "source": {"type": "static_select", "selected_option": {"value": "staff"}},
    }
    refused = await community.interact(community.submission(form, state, user="UELISE"))
    assert await refused.json() == {
        "response_action": "errors",
        "errors": {"target": "Il n’y a pas d’idée I-99."},
    }
    state["target"] = {"type": "plain_text_input", "value": "not an id"}
    checked = await community.interact(community.submission(form, state, user="UELISE"))
    errors = (await checked.json())["errors"]
    assert errors["target"] == "Indiquez un identifiant comme I-12, R-3 ou E-2, ou laissez vide."


def _dms_to(harness: Harness, user: str) -> list[str]:
    """The direct messages the bot sent ``user`` (posted to the user id), as JSON."""
    return [
        json.dumps(c.params, ensure_ascii=False)
        for c in harness.posted()
        if c.params.get("channel") == user
    ]


async def test_a_note_someone_else_causes_is_in_its_recipients_language(
    community: Harness,
) -> None:
    """Ana, who speaks English, offers help on Élise's question and supports her idea: the
    notes Élise gets are in French, then in Spanish once she chose it, never in Ana's
    language."""
    community.slack.add_user(
        "UELISE", real_name="Élise Fabre", email="elise@example.org", locale="fr-FR"
    )
    await community.command("ask Qui a déjà animé une rétrospective ?", user="UELISE")
    await community.command("idea Cercles de mentorat pour les nouveaux", user="UELISE")

    await community.command("offer R-1")
    [offered] = [t for t in _dms_to(community, "UELISE") if "R-1" in t]
    assert "propose son aide pour R-1 : Qui a déjà animé une rétrospective ?" in offered
    assert "offered" not in offered

    await community.command("language es", user="UELISE")
    await community.command("support I-1")
    [supported] = [t for t in _dms_to(community, "UELISE") if "I-1" in t]
    assert "apoya tu idea I-1: Cercles de mentorat pour les nouveaux" in supported


async def test_a_post_for_the_whole_channel_follows_the_community_not_its_author(
    community: Harness,
) -> None:
    await community.command("community settings language=fr", user="UCORA")
    await community.command("ask Who has run a retrospective with 40 people?")  # Ana: English
    [opened] = [c.params for c in community.posted() if "R-1" in str(c.params.get("text"))]
    assert opened["channel"] == CHANNEL
    assert str(opened["text"]).strip("*").startswith("La demande R-1 est ouverte")
    await community.command("ideas")  # what only Ana reads stays in her language
    assert _last(community).startswith("No ideas yet")
