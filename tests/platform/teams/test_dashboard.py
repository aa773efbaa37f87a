"""`dashboard` in Teams answers with an Open button on the personal link; the app package
has the dashboard as a personal tab that opens the same pages."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from copbot.cli import main
from handlers.teams.manifest import AppInfo, ManifestError, build_manifest
from tests.platform.teams.conftest import APP_ID
from tests.platform.teams.flows import Chat, actions, card_text


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The platform's test settings (coordinators included), with the dashboard on."""
    return settings.model_copy(
        update={
            "copbot_dashboard": True,
            "copbot_secret_key": SecretStr("teams-dashboard-test-secret-key"),
            "copbot_public_url": "https://cop.example.org",
        }
    )


async def test_the_link_opens_from_a_button_in_a_personal_chat(chat: Chat) -> None:
    sent = await chat.say("cora", "dashboard", personal=True)

    in_teams, in_browser = [a for a in actions(sent) if a["type"] == "Action.OpenUrl"]
    assert in_browser["title"] == "Open in the browser"
    assert in_browser["url"].startswith("https://cop.example.org/dashboard/?t=")
    token = parse_qs(urlsplit(in_browser["url"]).query)["t"][0]
    assert in_teams["title"] == "Open in Teams"
    deep = urlsplit(in_teams["url"])
    assert (deep.netloc, deep.path) == ("teams.microsoft.com", f"/l/entity/{APP_ID}/dashboard")
    assert json.loads(parse_qs(deep.query)["context"][0]) == {"subEntityId": token}
    assert "works for 1 hour" in card_text(sent)


async def test_a_member_is_refused(chat: Chat) -> None:
    sent = await chat.say("ana", "dashboard", personal=True)

    assert "focal points and coordinators" in card_text(sent)
    assert not [a for a in actions(sent) if a["type"] == "Action.OpenUrl"]


def test_the_app_package_has_the_dashboard_as_a_personal_tab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    monkeypatch.setenv("COPBOT_DASHBOARD", "true")
    monkeypatch.setenv("COPBOT_SECRET_KEY", "teams-dashboard-test-secret-key")
    monkeypatch.setenv("COPBOT_PUBLIC_URL", "https://cop.example.org/bot")
    out = tmp_path / "app.zip"

    assert main(["teams", "manifest", "--out", str(out), "--domain", "cop.example.org"]) == 0

    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    chat_tab, tab = manifest["staticTabs"]
    assert chat_tab == {"entityId": "conversations", "scopes": ["personal"]}
    assert tab["scopes"] == ["personal"]
    assert tab["contentUrl"] == "https://cop.example.org/bot/dashboard/tab?t={subEntityId}"
    assert manifest["validDomains"] == ["cop.example.org"]


def test_a_tab_needs_an_https_address() -> None:
    with pytest.raises(ManifestError, match="https"):
        build_manifest(AppInfo(bot_id=APP_ID, dashboard_url="http://localhost:3000"))
    assert "staticTabs" not in build_manifest(AppInfo(bot_id=APP_ID))
