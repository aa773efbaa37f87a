"""The language a request is answered in (``language.for_request``), in its order: the
person's own choice, the locale the platform sent, the locale stored with them, the language
of the community bound to the channel, then that of the community they joined last, then
the default; read in one statement unless only their communities can tell."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update

from bot.container import Container
from bot.messages import Actor, Inbound, Platform
from bot.reads import language
from handlers.console.chat import WORKSPACE
from storage.models import Person
from tests.conftest import NOW, Say
from tests.sql_sent import statements


def _ask(container: Container, user: str, channel: str, *, locale: str | None = None) -> str:
    actor = Actor(
        platform=Platform.CONSOLE,
        workspace=WORKSPACE,
        user_id=user,
        display_name=user,
        locale=locale,
    )
    ctx = container.runner.context(Inbound(actor, channel, "ideas"), now=NOW)
    return language.for_request(container.uow(), ctx)


def _store_locale(container: Container, name: str, locale: str | None) -> None:
    with container.uow() as uow:
        uow.session.execute(
            update(Person).where(Person.display_name == name).values(platform_locale=locale)
        )
        uow.commit()


def test_the_order_of_what_tells_a_requests_language(say: Say, container: Container) -> None:
    say("cora", "community create design-thinking")
    assert not say("cora", "community settings language=fr").error
    say("ana", "ideas")  # joins the community in its channel
    assert _ask(container, "ana", "design-thinking") == "fr"  # the bound channel's community
    assert _ask(container, "ana", "direct") == "fr"  # elsewhere: the community she joined
    assert _ask(container, "zoe", "direct") == "en"  # nobody known, no channel: the default
    assert _ask(container, "zoe", "design-thinking") == "fr"  # unknown, in the bound channel
    _store_locale(container, "ana", "es-ES")
    assert _ask(container, "ana", "design-thinking") == "es"  # the locale stored with her
    assert _ask(container, "ana", "direct", locale="en-US") == "en"  # the platform's, first
    say("ana", "language fr")
    assert _ask(container, "ana", "design-thinking", locale="en-US") == "fr"  # her choice


def test_one_statement_when_the_person_or_the_channel_tells(say: Say, container: Container) -> None:
    say("cora", "community create design-thinking")
    say("ana", "ideas")
    with statements(container.engine) as seen:
        assert _ask(container, "ana", "design-thinking") == "en"
        assert _ask(container, "ana", "direct", locale="fr-FR") == "fr"
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 2


def test_a_missing_person_or_channel_reads_as_nothing_known(container: Container) -> None:
    ctx = container.runner.context(
        Inbound(
            Actor(platform=Platform.CONSOLE, workspace=WORKSPACE, user_id="nobody"), "nowhere", ""
        ),
        now=NOW,
    )
    assert language.for_request(container.uow(), ctx) == container.settings.copbot_language
    other = replace(ctx.actor, platform=Platform.SLACK)
    assert _ask(container, other.user_id, "nowhere", locale="es-MX") == "es"
