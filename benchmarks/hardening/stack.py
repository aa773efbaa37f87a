"""What the probes run against: the real ``copbot serve`` (web process and its inbox
workers) in its own process group, a stand-in Slack Web API, and a real database (a SQLite
file in a temporary folder, or a private schema on PostgreSQL that is dropped afterwards)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from sqlalchemy import Engine, create_engine, text

from tests.fakes.replies import capture_replies
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_signing import sign

SECRET = "hardening-signing-secret-0123456789"
TOKEN = "xoxb-T111-hardening"
TEAM = "T111"
CHANNEL = "CHARD01"
OTHER_CHANNEL = "CHARD02"
COORDINATOR = "UCOORD"
MEMBERS = [f"UM{n:03d}" for n in range(40)]
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Database:
    """A fresh database for one run: ``url`` for cop-bot, ``engine`` for counting."""

    def __init__(self, kind: str, pg_url: str | None, workdir: Path) -> None:
        self.kind = kind
        self.schema: str | None = None
        if kind == "sqlite":
            self.path: Path | None = workdir / "copbot.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            if not pg_url:
                raise SystemExit("PostgreSQL needs --pg-url (or COPBOT_TEST_DATABASE_URL)")
            base = pg_url.replace("postgresql://", "postgresql+psycopg://", 1)
            self.path = None
            self.schema = f"copbot_hardening_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            admin = create_engine(base)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {self.schema}"))
            admin.dispose()
            self.base = base
            glue = "&" if "?" in base else "?"
            self.url = (
                f"{base}{glue}options=-csearch_path%3D{self.schema}&application_name={self.schema}"
            )
        self.engine: Engine = create_engine(self.url)

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def terminate_connections(self) -> int:
        """PostgreSQL: end every connection cop-bot holds (as a failover or an admin would)."""
        with self.engine.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.schema},
            ).scalar()
        return int(killed or 0)

    def drop(self) -> None:
        self.engine.dispose()
        if self.schema is not None:
            admin = create_engine(self.base)
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            admin.dispose()


class Stack:
    """The fake Slack, the database, and ``copbot serve`` (started, killed, restarted)."""

    def __init__(self, kind: str, pg_url: str | None) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="copbot-hardening-"))
        os.chmod(self.workdir, 0o777)
        self.db = Database(kind, pg_url, self.workdir)
        self.slack = FakeSlackAPI(team_id=TEAM).start()
        self.slack.add_channel(CHANNEL, "hardening")
        self.slack.add_channel(OTHER_CHANNEL, "other-community")
        self.slack.add_user(COORDINATOR, real_name="Cora Ordinator", email="cora@example.org")
        for user in MEMBERS:
            self.slack.add_user(user, real_name=f"Member {user}", email=f"{user}@example.org")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.workdir / "server.log"
        self.serial = 0
        self._prepare()

    # ------------------------------------------------------------------ server

    def env(self, **extra: str) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")}
        return {
            **keep,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.db.url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": self.slack.api_url,
            "COPBOT_COORDINATORS": COORDINATOR,
            "COPBOT_INBOX_WORKERS": "2",
            "PORT": str(self.port),
            **extra,
        }

    def _prepare(self) -> None:
        """Migrate, then one community bound to CHANNEL and another bound to OTHER_CHANNEL."""
        env = self.env()
        subprocess.run(
            [sys.executable, "-m", "copbot", "db", "upgrade"],
            env=env,
            cwd=self.workdir,
            check=True,
            capture_output=True,
        )
        from bot.clock import utcnow
        from bot.messages import Actor, Inbound, Platform
        from bot.settings import Settings
        from copbot.bootstrap import bootstrap

        settings = Settings(
            _env_file=None,
            database_url=self.db.url,
            copbot_coordinators=[COORDINATOR],
        )
        container = bootstrap(settings, migrate=False)
        cora = Actor(Platform.SLACK, TEAM, COORDINATOR, display_name="cora")
        for channel, name in ((CHANNEL, "hardening"), (OTHER_CHANNEL, "other-community")):
            for line in (f"community create {name}", f"community bind {name}"):
                reply = container.runner.handle(Inbound(cora, channel, line, name), now=utcnow())
                assert not reply.error, reply.text
        container.close()

    def start(self, *, extra_env: dict[str, str] | None = None, as_user: int | None = None) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child process owns it)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "copbot", "serve"],
            env=self.env(**(extra_env or {})),
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            user=as_user,
            group=as_user,
            extra_groups=[] if as_user is not None else None,
        )
        self._wait_started()

    def _wait_started(self, timeout: float = 60) -> None:
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers (perhaps 503): started
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"cop-bot did not start (log: {self.log_path})")

    async def wait_healthy(self, *, status: int | None = 200, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                try:
                    async with session.get(f"{self.base}/healthz") as response:
                        if status is None or response.status == status:
                            return response.status
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"cop-bot did not answer /healthz {status} (log: {self.log_path})")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (web process and inbox workers)."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def close(self) -> None:
        self.stop()
        self.slack.stop()
        self.db.drop()

    # ------------------------------------------------------------------ requests

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def command(self, line: str, *, user: str = MEMBERS[0], channel: str = CHANNEL) -> bytes:
        n = self.next()
        return urlencode(
            {
                "token": "x",
                "team_id": TEAM,
                "team_domain": "hardening",
                "channel_id": channel,
                "channel_name": "hardening",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/cop",
                "text": line,
                "api_app_id": "A0COPBOT1",
                "response_url": self.slack.response_url(f"/response/h{n}"),
                "trigger_id": f"{n}.hardening",
            }
        ).encode()

    async def post(
        self,
        body: bytes,
        content_type: str = FORM,
        *,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        timeout: float = 10,
    ) -> int:
        """POST ``body`` signed (status, or 0 when the connection failed)."""
        sent = {"Content-Type": content_type, **sign(body, secret), **(headers or {})}
        return await self.raw(body, sent, session=session, timeout=timeout)

    async def raw(
        self,
        body: bytes,
        headers: dict[str, str],
        *,
        path: str = "/slack/events",
        session: aiohttp.ClientSession | None = None,
        timeout: float = 10,
    ) -> int:
        own = session is None
        session = session or aiohttp.ClientSession()
        try:
            async with session.post(
                f"{self.base}{path}",
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return 0
        finally:
            if own:
                await session.close()

    # ------------------------------------------------------------------ outcomes

    def stored(self, marker: str) -> int:
        """Ideas whose title starts with ``marker``."""
        return int(
            self.db.scalar("SELECT count(*) FROM ideas WHERE title LIKE :m", m=f"{marker}%") or 0
        )

    def duplicate_ideas(self, marker: str) -> int:
        return int(
            self.db.scalar(
                "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ideas "
                "WHERE title LIKE :m GROUP BY title) AS t",
                m=f"{marker}%",
            )
            or 0
        )

    def confirmations(self, title: str) -> int:
        """Capture replies the bot sent for ``title`` (posts and responses)."""
        with self.slack.lock:
            posted = [m for messages in self.slack.history.values() for m in messages]
            answered = list(self.slack.response_posts)
        sent = [json.dumps(message) for message in posted]
        sent += [post.body.decode(errors="replace") for post in answered]
        return capture_replies(sent, title)

    async def settle(self, marker: str, want: int, *, timeout: float = 60) -> float:
        """Wait until ``want`` ideas with ``marker`` are stored or ``timeout``; seconds taken."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.stored(marker) >= want:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)  # replies follow the commit
        return time.monotonic() - started


@contextmanager
def stack(kind: str, pg_url: str | None) -> Iterator[Stack]:
    built = Stack(kind, pg_url)
    try:
        yield built
    finally:
        built.close()
