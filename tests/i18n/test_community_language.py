"""A community's language reaches the people who set no language of their own and whose
platform says none: in the notes other people's commands send them, in nudges and pulse
questions, and in their replies outside the community's channel."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.container import Container
from bot.forms.choices import ready
from bot.i18n import use_locale
from bot.messages import Actor, Form, Inbound, Platform
from bot.reads import language
from handlers.console.chat import WORKSPACE
from storage.models import Person
from tests.conftest import NOW, Say


def _french_community(say: Say) -> None:
    say("cora", "community create design-thinking")
    assert not say("cora", "community settings language=fr").error


def test_notes_caused_by_others_follow_the_recipients_community(say: Say) -> None:
    _french_community(say)
    say("ana", "ask Comment animer une rétrospective ?")
    say("ana", "idea Cercles de mentorat")
    offered = say("bo", "offer R-1", now=NOW + timedelta(hours=1))
    assert [n.text for n in offered.notices] == [
        "bo propose son aide pour R-1 : Comment animer une rétrospective ?"
    ]
    supported = say("bo", "support I-1", now=NOW + timedelta(hours=2))
    assert [n.text for n in supported.notices] == [
        "bo soutient votre idée I-1 : Cercles de mentorat"
    ]


def test_a_persons_own_choice_still_comes_first(say: Say) -> None:
    _french_community(say)
    say("ana", "ask Comment animer une rétrospective ?")
    say("ana", "language es")
    offered = say("bo", "offer R-1", now=NOW + timedelta(hours=1))
    assert offered.notices[0].text.startswith("bo se ofreció a ayudar con R-1")


def test_scheduled_messages_and_direct_replies_use_the_community_they_joined(
    say: Say, container: Container
) -> None:
    _french_community(say)
    say("ana", "ideas")  # she joins the community by speaking in its channel
    elsewhere = container.runner.context(Inbound(_console("ana"), "direct", "ideas"), now=NOW)
    assert language.for_request(container.uow(), elsewhere) == "fr"  # outside its channel too
    stranger = container.runner.context(Inbound(_console("zoe"), "direct", "ideas"), now=NOW)
    assert language.for_request(container.uow(), stranger) == "en"  # in no community

    with container.uow() as uow:
        ids = dict(uow.session.execute(select(Person.display_name, Person.id)).all())
    spoken = language.of_people(container.uow(), [ids["ana"], ids["cora"]], container.settings)
    assert spoken[ids["ana"]] == "fr"
    say("cora", "language en")
    assert language.of_people(container.uow(), [ids["cora"]], container.settings) == {
        ids["cora"]: "en"
    }


def _console(user: str) -> Actor:
    return Actor(platform=Platform.CONSOLE, workspace=WORKSPACE, user_id=user, display_name=user)


def test_community_and_theme_names_keep_their_letters_in_any_script(say: Say) -> None:
    """Names are stored lowercase with "-" between words, accents and scripts kept."""
    assert "équipe-café" in say("cora", "community create Équipe Café").text
    assert "设计思维" in say("cora", "community create 设计思维").text
    assert "zürich" in say("cora", "community create Zürich").text
    assert not say("cora", "community bind équipe-café").error
    added = say("cora", "themes add Économie sociale et solidaire")
    assert not added.error and "économie" in added.text
    assert not say("ana", "idea Cantines solidaires #Économie").error
    listed = say("ana", "ideas theme:économie")
    assert [i.title for s in listed.sections for i in s.items] == ["Cantines solidaires"]


def test_what_is_posted_in_the_channel_is_in_its_communitys_language(say: Say) -> None:
    """A reply everyone in the channel reads follows the community, whoever typed the
    command; what only they read follows them."""
    _french_community(say)
    say("bo", "language en")
    asked = say("bo", "ask Who has run a retrospective?")
    assert asked.public and asked.text.startswith("La demande R-1 est ouverte")
    say("ana", "offer R-1", now=NOW + timedelta(hours=1))
    resolved = say("bo", "resolve R-1", now=NOW + timedelta(hours=2))
    assert resolved.public and resolved.text == "R-1 résolue. Bravo à ana !"
    assert say("bo", "ideas").text.startswith("No ideas yet")  # his own reply: English


def test_the_default_themes_read_in_the_readers_language(say: Say, container: Container) -> None:
    """The four default themes are described in the reader's language, in the list and in
    the idea form's choices; a theme a coordinator described is shown as written; a theme
    is found by its translated words too."""
    assert not say("cora", "themes add peer-learning Apprendre entre pairs").error
    with use_locale("fr"):
        listed = say("cora", "themes")
        form = ready(container.uow(), Form(kind="idea"))
    shown = str(listed.sections) + listed.text
    assert "Compétences et apprentissage tout au long de la vie" in shown
    assert "Skills and lifelong learning" not in shown
    assert "Apprendre entre pairs" in shown
    options = dict(dict(form.choices)["theme"])
    assert options["climate"] == "Action climatique et transition juste"
    assert not say("ana", "idea Ateliers de codage pour tous #technology").error
    with use_locale("es"):
        found = say("ana", "ideas theme:tecnologías")
    assert [i.title for s in found.sections for i in s.items] == ["Ateliers de codage pour tous"]
