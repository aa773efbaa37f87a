"""A server without Teams settings: its Teams route refuses everything (401) and the Bot
Framework SDK is never loaded into it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.settings import Settings
from copbot.bootstrap import bootstrap, connect_platforms
from copbot.server import platform_mounts
from copbot.web import build_app
from handlers.teams.unconfigured import REFUSAL

ROOT = Path(__file__).resolve().parents[3]


async def test_without_teams_settings_the_route_answers_401(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    container = bootstrap(settings)
    try:
        connect_platforms(container, console_files=tmp_path / "files")
        app = build_app(container, platform_mounts(container))
        async with TestClient(TestServer(app)) as client:
            for body, headers in (
                ("{}", {"Content-Type": "application/json"}),
                ('{"type": "message"}', {"Authorization": "Bearer x.y.z"}),
                ("not json", {}),
            ):
                answer = await client.post("/api/messages", data=body, headers=headers)
                assert answer.status == 401
                assert await answer.json() == {"error": REFUSAL}
        assert "teams" not in container.notifiers.platforms()
    finally:
        container.close()


def test_a_slack_only_server_does_not_load_the_bot_framework_sdk(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from bot.settings import Settings\n"
        "from copbot.bootstrap import bootstrap, connect_platforms\n"
        "from copbot.server import platform_mounts\n"
        "from copbot.web import build_app\n"
        f"s = Settings(_env_file=None, database_url='sqlite:///{tmp_path / 'db.sqlite3'}',\n"
        "             slack_bot_token='xoxb-1', slack_signing_secret='s')\n"
        "c = bootstrap(s)\n"
        f"connect_platforms(c, console_files=__import__('pathlib').Path({str(tmp_path)!r}))\n"
        "build_app(c, platform_mounts(c))\n"
        "print(__import__('json').dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "slack_bolt" in loaded
    assert not loaded & {"botbuilder", "botframework", "msrest"}
