"""``copbot teams manifest``: a valid Teams app package."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from bot.grammar.help import USAGE
from copbot.cli import main
from handlers.teams.icons import color_icon, outline_icon, png_size
from handlers.teams.manifest import AppInfo, ManifestError, build_manifest
from tests.platform.teams.wire import APP_ID

TEAMS_APP_ID = "8c2f3b1e-7d4a-4f1b-9a3e-2b6c5d4e3f21"


def test_the_cli_writes_a_package_teams_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    out = tmp_path / "pkg" / "cop-bot-teams.zip"
    out.parent.mkdir()

    code = main(
        [
            "teams",
            "manifest",
            "--out",
            str(out),
            "--app-id",
            TEAMS_APP_ID,
            "--domain",
            "bot.example.org",
        ]
    )

    assert code == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
    assert png_size(color) == (192, 192)
    assert png_size(outline) == (32, 32)
    assert manifest["manifestVersion"] == "1.16"
    assert manifest["id"] == TEAMS_APP_ID
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["validDomains"] == ["bot.example.org"]
    assert manifest["developer"]["privacyUrl"].startswith("https://")
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    for commands in bot["commandLists"]:
        assert 1 <= len(commands["commands"]) <= 10
        for command in commands["commands"]:
            assert command["title"] in USAGE
            assert len(command["title"]) <= 32 and len(command["description"]) <= 128
    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == APP_ID
    assert [(c["id"], c["type"], c["context"], c["fetchTask"]) for c in extension["commands"]] == [
        ("cop_save_idea", "action", ["message"], True),
        ("cop_save_request", "action", ["message"], True),
        ("cop_give_feedback", "action", ["message"], True),
    ]
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000


def test_without_a_bot_id_the_cli_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    assert main(["teams", "manifest"]) == 2
    assert "MICROSOFT_APP_ID" in capsys.readouterr().err
    assert not (tmp_path / "cop-bot-teams.zip").exists()


@pytest.mark.parametrize(
    ("info", "message"),
    [
        (AppInfo(bot_id="not-a-guid"), "not a GUID"),
        (AppInfo(bot_id=APP_ID, version="1.0"), "1.0.0"),
        (AppInfo(bot_id=APP_ID, website="http://example.org"), "https://"),
        (AppInfo(bot_id=APP_ID, domains=("https://bot.example.org/api",)), "domain"),
    ],
)
def test_values_teams_would_reject_are_refused(info: AppInfo, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        build_manifest(info)


def test_the_shipped_icons_are_the_drawn_ones() -> None:
    here = Path(__file__).resolve().parents[3] / "handlers" / "teams"
    assert (here / "color.png").read_bytes() == color_icon()
    assert (here / "outline.png").read_bytes() == outline_icon()
