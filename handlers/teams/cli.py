"""``copbot teams manifest``: write the Teams app package to upload."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings
from handlers.teams.manifest import AppInfo, ManifestError, write_package

DEFAULT_OUT = "cop-bot-teams.zip"


def _manifest(args: argparse.Namespace, settings: Settings) -> int:
    bot_id = args.bot_id or settings.microsoft_app_id
    if not bot_id:
        print(
            "copbot: no bot id. Set MICROSOFT_APP_ID (the Azure Bot's Microsoft App ID) "
            "or pass --bot-id.",
            file=sys.stderr,
        )
        return 2
    info = AppInfo(
        bot_id=bot_id,
        app_id=args.app_id,
        name=args.name,
        version=args.version,
        developer=args.developer,
        website=args.website,
        privacy_url=args.privacy_url,
        terms_url=args.terms_url,
        domains=tuple(args.domain or ()),
        dashboard_url=args.dashboard_url
        or (settings.public_url if settings.copbot_dashboard else None),
    )
    try:
        out = write_package(info, Path(args.out))
    except ManifestError as error:
        print(f"copbot: {error}", file=sys.stderr)
        return 2
    print(
        f"Wrote {out}. Upload it in Teams (Apps > Manage your apps > Upload an app) "
        "or in the Teams admin center (Teams apps > Manage apps > Upload)."
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    teams = sub.add_parser("teams", help="Microsoft Teams: the app package")
    actions = teams.add_subparsers(dest="teams_command", required=True)
    manifest = actions.add_parser(
        "manifest", help="write the Teams app package (manifest.json and icons, zipped)"
    )
    manifest.add_argument("--out", default=DEFAULT_OUT, help=f"zip to write ({DEFAULT_OUT})")
    manifest.add_argument("--bot-id", help="the Azure Bot's Microsoft App ID (MICROSOFT_APP_ID)")
    manifest.add_argument("--app-id", help="the Teams app id, a GUID (default: the bot id)")
    manifest.add_argument("--name", default="cop-bot", help="short app name (cop-bot)")
    manifest.add_argument("--version", default="1.0.0", help="app version, e.g. 1.0.0")
    manifest.add_argument("--developer", default="cop-bot", help="developer or organisation name")
    manifest.add_argument(
        "--website", default="https://github.com/cop-bot/cop-bot", help="https:// website"
    )
    manifest.add_argument("--privacy-url", help="https:// privacy statement (website/privacy)")
    manifest.add_argument("--terms-url", help="https:// terms of use (website/terms)")
    manifest.add_argument(
        "--domain",
        action="append",
        help="a valid domain for the app (repeatable), e.g. bot.example.org",
    )
    manifest.add_argument(
        "--dashboard-url",
        help="https:// address of the bot's web app, for the dashboard tab "
        "(default: COPBOT_PUBLIC_URL when COPBOT_DASHBOARD is on)",
    )
    manifest.set_defaults(func=_manifest)
