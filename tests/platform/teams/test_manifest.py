"""``copbot teams manifest``: a valid Teams app package."""

from __future__ import annotations

import io
import json
import struct
import tomllib
import zipfile
from pathlib import Path

import pytest

from bot.grammar.help import USAGE
from copbot.cli import main
from handlers.teams.manifest import AppInfo, ManifestError, build_manifest, icon_files, package
from tests.platform.teams.wire import APP_ID

TEAMS_APP_ID = "8c2f3b1e-7d4a-4f1b-9a3e-2b6c5d4e3f21"
ROOT = Path(__file__).resolve().parents[3]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


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
        assert sorted(archive.namelist()) == [
            "color.png",
            "es.json",
            "fr.json",
            "manifest.json",
            "outline.png",
        ]
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


def test_the_package_carries_the_shipped_icon_files() -> None:
    here = ROOT / "handlers" / "teams"
    with zipfile.ZipFile(io.BytesIO(package(AppInfo(bot_id=APP_ID)))) as archive:
        assert archive.read("color.png") == (here / "color.png").read_bytes()
        assert archive.read("outline.png") == (here / "outline.png").read_bytes()
    assert icon_files() == {
        "color.png": (here / "color.png").read_bytes(),
        "outline.png": (here / "outline.png").read_bytes(),
    }


def test_an_installed_package_ships_the_icons() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "teams/*.png" in project["tool"]["setuptools"]["package-data"]["handlers"]


def test_the_package_carries_french_and_spanish_texts() -> None:
    info = AppInfo(bot_id="00000000-0000-0000-0000-000000000001")
    manifest = build_manifest(info)
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en",
        "additionalLanguages": [
            {"languageTag": "fr", "file": "fr.json"},
            {"languageTag": "es", "file": "es.json"},
        ],
    }
    with zipfile.ZipFile(io.BytesIO(package(info))) as archive:
        french = json.loads(archive.read("fr.json"))
        spanish = json.loads(archive.read("es.json"))
    assert french["description.short"].startswith("Idées")
    assert spanish["composeExtensions[0].commands[0].title"] == "Guardar como idea"
    for strings in (french, spanish):
        assert len(strings["description.short"]) <= 80
        assert len(strings["description.full"]) <= 4000
        assert set(strings) - {"$schema"} <= {
            "name.short",
            "name.full",
            "description.short",
            "description.full",
            *(
                f"composeExtensions[0].commands[{n}].{k}"
                for n in range(3)
                for k in ("title", "description")
            ),
        }
        for key, value in strings.items():
            if key.endswith(".title"):
                assert len(value) <= 32
            elif key.endswith(".description") and key.startswith("compose"):
                assert len(value) <= 128
