"""The Teams app package: ``manifest.json`` (schema 1.16) with the bot, its commands and the
message actions, and the two icons, zipped ready to upload."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.grammar.help import USAGE
from bot.i18n import DEFAULT, LANGUAGES, lazy, use_locale
from handlers.teams.forms import MESSAGE_ACTIONS

ACCENT = (15, 118, 110)  # teal, the accent colour of the icons
COLOR_FILE = "color.png"  # 192x192, a white light bulb on the accent colour
OUTLINE_FILE = "outline.png"  # 32x32, the same bulb as a white outline on transparency
ICON_FILES = (COLOR_FILE, OUTLINE_FILE)
SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.16/MicrosoftTeams.schema.json"
MANIFEST_VERSION = "1.16"
LOCALIZATION_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.16/"
    "MicrosoftTeams.Localization.schema.json"
)
_COMMON = ("help", "idea", "ideas", "ask", "requests", "feedback", "events")
PERSONAL_COMMANDS = (*_COMMON, "log", "skills", "my-data")
TEAM_COMMANDS = (*_COMMON, "stats", "digest", "community")
MAX_COMMANDS = 10
RSC_PERMISSIONS = ("ChannelMessage.Read.Group",)
RSC_RESOURCE = "https://RscBasedStoreApp"
DASHBOARD_TAB = "dashboard"
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_VERSION = re.compile(r"\d+\.\d+\.\d+")
_DOMAIN = re.compile(r"(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?", re.IGNORECASE)

SHORT_DESCRIPTION = lazy("Ideas, peer help, feedback and events for communities of practice.")
FULL_DESCRIPTION = lazy(
    "cop-bot runs the day-to-day of your communities of practice in Teams. Capture innovation "
    "ideas and move them from brainstorming to pilot and scale; ask peers for help and credit "
    "those who answer; give feedback; add events and check in; log time spent on innovation. "
    "Save any message as an idea, a request or feedback with a message action. Focal points get "
    "weekly digests and nudges; coordinators get the participation indicators they report."
)


class ManifestError(ValueError):
    """A value would make Teams reject the package; the message says which and why."""


@dataclass(frozen=True, slots=True)
class AppInfo:
    bot_id: str
    app_id: str | None = None  # the Teams app id; the bot id when not given
    name: str = "cop-bot"
    full_name: str = "cop-bot: communities of practice"
    version: str = "1.0.0"
    developer: str = "cop-bot"
    website: str = "https://github.com/cop-bot/cop-bot"
    privacy_url: str | None = None
    terms_url: str | None = None
    domains: tuple[str, ...] = ()
    dashboard_url: str | None = None  # COPBOT_PUBLIC_URL when the dashboard is on: a tab


def _check(info: AppInfo) -> None:
    for label, value in (("bot id", info.bot_id), ("app id", info.app_id or info.bot_id)):
        if not _GUID.fullmatch(value):
            raise ManifestError(
                f"The {label} {value!r} is not a GUID: use the Microsoft App ID of the "
                "Azure Bot (MICROSOFT_APP_ID)."
            )
    if not _VERSION.fullmatch(info.version):
        raise ManifestError(f"The version {info.version!r} must look like 1.0.0.")
    if not 1 <= len(info.name) <= 30 or len(info.full_name) > 100:
        raise ManifestError("The app name must be 1-30 characters (full name up to 100).")
    urls = (info.website, info.privacy_url, info.terms_url)
    for url in urls:
        if url is not None and not url.startswith("https://"):
            raise ManifestError(f"{url!r} must be an https:// address.")
    if info.dashboard_url is not None and not info.dashboard_url.startswith("https://"):
        raise ManifestError(
            f"The dashboard address {info.dashboard_url!r} must be https:// for a Teams tab "
            "(COPBOT_PUBLIC_URL)."
        )
    for domain in info.domains:
        if not _DOMAIN.fullmatch(domain):
            raise ManifestError(f"{domain!r} is not a domain name (no scheme, no path).")


def _commands(verbs: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"title": verb, "description": USAGE[verb][:128]} for verb in verbs[:MAX_COMMANDS]]


def static_tabs(dashboard_url: str | None) -> list[dict[str, Any]]:
    """The dashboard as a personal tab. Teams puts the ``subEntityId`` of a deep link (the
    personal link's token) into the address; opened from the app bar, the page says how to
    get a link."""
    if dashboard_url is None:
        return []
    base = dashboard_url.rstrip("/")
    return [
        {"entityId": "conversations", "scopes": ["personal"]},  # keep the chat with the bot
        {
            "entityId": DASHBOARD_TAB,
            "name": "Dashboard",
            "contentUrl": f"{base}/dashboard/tab?t={{subEntityId}}",
            "websiteUrl": f"{base}/dashboard/tab",
            "scopes": ["personal"],
        },
    ]


def _domains(info: AppInfo) -> list[str]:
    domains = list(info.domains)
    if info.dashboard_url is not None:
        host = urlsplit(info.dashboard_url).netloc
        if host and host not in domains:
            domains.append(host)
    return domains


def build_manifest(info: AppInfo) -> dict[str, Any]:
    _check(info)
    website = info.website.rstrip("/")
    tabs = static_tabs(info.dashboard_url)
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": info.version,
        "id": info.app_id or info.bot_id,
        "developer": {
            "name": info.developer,
            "websiteUrl": info.website,
            "privacyUrl": info.privacy_url or f"{website}/privacy",
            "termsOfUseUrl": info.terms_url or f"{website}/terms",
        },
        "name": {"short": info.name, "full": info.full_name},
        "description": {"short": str(SHORT_DESCRIPTION), "full": str(FULL_DESCRIPTION)},
        "icons": {"color": COLOR_FILE, "outline": OUTLINE_FILE},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": info.bot_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": _commands(PERSONAL_COMMANDS)},
                    {"scopes": ["team", "groupChat"], "commands": _commands(TEAM_COMMANDS)},
                ],
            }
        ],
        "composeExtensions": [
            {
                "botId": info.bot_id,
                "commands": [
                    {
                        "id": action.command_id,
                        "type": "action",
                        "title": str(action.title),
                        "description": str(action.description),
                        "context": ["message"],
                        "fetchTask": True,
                    }
                    for action in MESSAGE_ACTIONS
                ],
            }
        ],
        **({"staticTabs": tabs} if tabs else {}),
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": _domains(info),
        # Resource-specific consent: the bot receives every message in the channels of teams
        # it is installed in (not only those that @mention it), for participation counting
        # and suggested capture; granted by the team owner when the app is added.
        "webApplicationInfo": {"id": info.bot_id, "resource": RSC_RESOURCE},
        "authorization": {
            "permissions": {
                "resourceSpecific": [
                    {"name": permission, "type": "Application"} for permission in RSC_PERMISSIONS
                ]
            }
        },
        "localizationInfo": {
            "defaultLanguageTag": "en",
            "additionalLanguages": [
                {"languageTag": language, "file": f"{language}.json"}
                for language in LANGUAGES
                if language != DEFAULT
            ],
        },
    }


def localization(info: AppInfo, language: str) -> dict[str, Any]:
    """The manifest's texts in ``language``, as Teams' localization file (same keys)."""
    with use_locale(language):
        strings: dict[str, Any] = {
            "$schema": LOCALIZATION_SCHEMA,
            "name.short": info.name,
            "name.full": info.full_name,
            "description.short": str(SHORT_DESCRIPTION),
            "description.full": str(FULL_DESCRIPTION),
        }
        for n, action in enumerate(MESSAGE_ACTIONS):
            strings[f"composeExtensions[0].commands[{n}].title"] = str(action.title)
            strings[f"composeExtensions[0].commands[{n}].description"] = str(action.description)
    return strings


def icon_files() -> dict[str, bytes]:
    """The two icons Teams requires, as shipped beside this module."""
    here = resources.files(__package__ or "handlers.teams")
    return {name: here.joinpath(name).read_bytes() for name in ICON_FILES}


def package(info: AppInfo) -> bytes:
    """The zip Teams takes: manifest.json and the icons at the top level."""
    manifest = build_manifest(info)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for language in LANGUAGES:
            if language != DEFAULT:
                strings = localization(info, language)
                archive.writestr(
                    f"{language}.json", json.dumps(strings, indent=2, ensure_ascii=False)
                )
        for name, data in icon_files().items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_package(info: AppInfo, out: Path) -> Path:
    """Write the zip to ``out``; its folder must exist (a typo makes no new folders)."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ManifestError(
            f"the folder {folder} for --out {out} does not exist: create it first "
            f"(mkdir -p {folder}) or choose another --out."
        )
    out.write_bytes(package(info))
    return out
