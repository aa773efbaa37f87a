"""`dashboard` answers focal points and coordinators with a signed, expiring personal link;
the link is refused when tampered with, expired, or used after forget-me."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.container import Container
from bot.messages import Actor, Platform
from bot.services import dashboard_links
from bot.services.dashboard_links import LinkRefused
from bot.settings import Settings, SettingsError, load_settings
from copbot.bootstrap import bootstrap
from handlers.console.render import render_text
from tests.conftest import NOW, Say
from tests.dashboard.conftest import SECRET, link_of


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["t"][0]


def test_the_dashboard_needs_a_secret_key_when_it_is_on() -> None:
    with pytest.raises(SettingsError, match="COPBOT_SECRET_KEY: required when COPBOT_DASHBOARD"):
        load_settings(_env_file=None, copbot_dashboard=True)
    with pytest.raises(SettingsError, match="at least 16 characters"):
        load_settings(_env_file=None, copbot_dashboard=True, copbot_secret_key="short")
    with pytest.raises(SettingsError, match="COPBOT_PUBLIC_URL"):
        load_settings(_env_file=None, copbot_public_url="bot.example.org")
    on = load_settings(
        _env_file=None,
        copbot_dashboard=True,
        copbot_secret_key=SECRET,
        copbot_public_url="https://bot.example.org/cop/",
    )
    assert on.public_url == "https://bot.example.org/cop"
    assert load_settings(_env_file=None, port=8080).public_url == "http://localhost:8080"


def test_a_coordinator_gets_a_personal_link_under_the_public_url(
    say: Say, organisation: None, settings: Settings
) -> None:
    reply = say("cora", "dashboard")
    url = link_of(reply)
    assert url.startswith(f"{settings.public_url}/dashboard/?t=")
    assert "1 hour" in reply.text and "11:00 UTC" in reply.text
    assert reply.sections[0].items[0].link_label == "Open"
    text = render_text(reply)
    assert url in text


def test_focal_points_get_a_link_and_members_are_refused(say: Say, organisation: None) -> None:
    assert link_of(say("fran", "dashboard"))
    refused = say("mo", "dashboard")
    assert refused.error
    assert "focal points and coordinators" in refused.text
    assert not refused.sections


def test_the_command_says_when_the_dashboard_is_off(
    make_settings: Callable[..., Settings], say: Say
) -> None:
    off = bootstrap(make_settings(), migrate=False)
    try:
        from handlers.console.chat import inbound

        reply = off.runner.handle(inbound("cora", "general", "dashboard"), now=NOW, auto_bind=True)
    finally:
        off.close()
    assert reply.error
    assert "COPBOT_DASHBOARD=true" in reply.text


def test_help_lists_the_dashboard(say: Say) -> None:
    assert "dashboard" in say("ana", "help").text
    assert "personal link" in say("ana", "help dashboard").text
    extra = say("ana", "dashboard now")
    assert extra.error


def test_a_valid_link_opens_as_its_person(
    say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    token = token_of(link_of(say("fran", "dashboard")))
    ctx = dashboard_links.viewer(
        container.uow(), settings, token, now=NOW + timedelta(minutes=59)
    ).ctx
    assert ctx.actor.user_id == "fran"
    assert ctx.actor.platform is Platform.CONSOLE


def test_an_expired_link_is_refused(
    say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    token = token_of(link_of(say("fran", "dashboard")))
    with pytest.raises(LinkRefused) as refused:
        dashboard_links.viewer(container.uow(), settings, token, now=NOW + timedelta(minutes=61))
    assert refused.value.reason == "expired"


@pytest.mark.parametrize("change", ["payload", "signature", "cut"])
def test_a_tampered_link_is_refused(
    say: Say, organisation: None, container: Container, settings: Settings, change: str
) -> None:
    token = token_of(link_of(say("fran", "dashboard")))
    cora = token_of(link_of(say("cora", "dashboard")))
    payload, stamp, signature = token.split(".")
    forged = {
        "payload": f"{cora.split('.')[0]}.{stamp}.{signature}",  # fran's signature on cora
        "signature": f"{payload}.{stamp}.{signature[:-2]}xx",
        "cut": token[:-5],
    }[change]
    with pytest.raises(LinkRefused) as refused:
        dashboard_links.viewer(container.uow(), settings, forged, now=NOW)
    assert refused.value.reason == "tampered"


def test_a_link_signed_with_another_key_is_refused(
    say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    other = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=settings.database_url,
        copbot_dashboard=True,
        copbot_secret_key="another-key-entirely-32-characters",
    )
    forged = dashboard_links.sign(
        other, person_id=1, actor=Actor(Platform.CONSOLE, "local", "cora"), now=NOW
    )
    with pytest.raises(LinkRefused):
        dashboard_links.viewer(container.uow(), settings, forged, now=NOW)


def test_a_link_is_refused_after_forget_me_even_once_they_return(
    say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    token = token_of(link_of(say("fran", "dashboard")))
    assert not say("fran", "forget-me confirm").error
    with pytest.raises(LinkRefused) as refused:
        dashboard_links.viewer(container.uow(), settings, token, now=NOW)
    assert refused.value.reason == "revoked"
    say("fran", "ideas")  # back as a new person on the same account
    with pytest.raises(LinkRefused):
        dashboard_links.viewer(container.uow(), settings, token, now=NOW)


def test_a_link_names_the_account_it_was_asked_from(
    say: Say, organisation: None, container: Container, settings: Settings
) -> None:
    """A validly signed payload for someone else's account does not open their dashboard."""
    fran = token_of(link_of(say("fran", "dashboard")))
    ctx = dashboard_links.viewer(container.uow(), settings, fran, now=NOW).ctx
    forged = dashboard_links.sign(settings, person_id=999, actor=ctx.actor, now=NOW)
    with pytest.raises(LinkRefused) as refused:
        dashboard_links.viewer(container.uow(), settings, forged, now=NOW)
    assert refused.value.reason == "revoked"
